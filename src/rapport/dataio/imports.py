"""Importing records from legacy files: the registry of importable entities, their fields and options.

An entity registers an `Importable`: its fields with the header names people give them (English and
Chinese), the keys that find duplicates, and how a batch of rows is validated and written — through the
entity's own services, so an imported row obeys exactly the rules of a record typed into a form.
The jobs that read files and run imports are in `import_jobs`; reading the files in `import_files`;
reading one cell as a value in `cells`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import DomainError, InvalidInput, NotFound
from rapport.core.registry import Registry
from rapport.records import custom_fields

from .cells import (
    DATE_FORMATS,
    NUMBER_FORMATS,
    TEXT,
    CellError,
    normalise_label,
    read_cell,
)

CUSTOM_PREFIX = "custom."

DUPLICATE_ACTIONS = {
    "skip": gettext_lazy("Skip the row"),
    "update": gettext_lazy("Update the existing record (empty cells keep its value)"),
    "create": gettext_lazy("Create another record anyway"),
}


@dataclass(frozen=True)
class ImportField:
    """A field a column can be mapped to: `aliases` are header names that suggest it."""

    key: str  # the service's data key, "custom.<key>" for a custom field, or an entity-specific key
    label: str | Promise
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, Any], ...] = ()  # (code, label) for CHOICE
    required: bool = False


@dataclass(frozen=True)
class DuplicateKey:
    """One way to recognise a row's existing record: normalised values, looked up a batch at a time."""

    label: str | Promise
    fields: tuple[str, ...]  # mapping one of these fields makes the key usable
    values: Callable[[dict], list[str]]  # a row's converted data -> its normalised values
    find: Callable[[set[str]], dict[str, int]]  # normalised values -> id of the oldest live record with each


@dataclass
class ImportRow:
    """One data row on its way through an import."""

    number: int  # as a spreadsheet shows it: the header is row 1
    cells: list
    data: dict = field(default_factory=dict)
    reason: str = ""  # why it is rejected; empty while it is fine
    keys: list[str] = field(default_factory=list)  # its normalised duplicate-key values
    match: int | None = None  # the existing record it duplicates
    record: Model | None = None
    tags: list[str] | None = None
    before: dict = field(default_factory=dict)  # history snapshot before an update
    previous: dict = field(default_factory=dict)  # raw values before an update, to undo it

    def reject(self, reason: str) -> None:
        self.reason = self.reason or reason


@dataclass
class ImportContext:
    """What every step of one import run knows: who imports what, with which options."""

    actor: Any
    importable: "Importable"
    options: "ImportOptions"
    dry_run: bool = False
    state: dict = field(default_factory=dict)  # the entity's per-run cache (custom field definitions, …)
    labels: dict = field(default_factory=dict)  # field key -> label, for reasons


class Importable:
    """What an entity tells the importer. Subclass it per entity and `register` an instance.

    The importer converts cells to values by each field's kind, finds duplicates with the entity's
    `duplicate_keys`, then calls, per batch: `resolve` (batch look-ups, e.g. accounts by name),
    `build` or `change` per row (validation by the entity's services; nothing is written), and —
    in one transaction — `create_many` and `update_many` (the services' bulk writes).
    """

    name: str = ""
    label: str | Promise = ""
    model: type[Model]
    permission_module: str = ""
    list_url_name: str = ""
    duplicate_keys: dict[str, DuplicateKey] = {}

    def fields(self) -> list[ImportField]:
        raise NotImplementedError

    def check_mapping(self, keys: set[str], options: "ImportOptions") -> list[str]:
        """Problems with the chosen columns, as messages: by default, required fields left out — unless the
        import updates records, where a row that creates one is refused on its own if it lacks them."""
        if options.updates:
            return []
        return [_("Choose a column for “%(field)s”.") % {"field": f.label} for f in self.fields()
                if f.required and f.key not in keys]

    def begin(self, context: ImportContext) -> None:
        """Load what every batch needs once per run."""

    def resolve(self, context: ImportContext, rows: list[ImportRow]) -> None:
        """Turn entity-specific keys into values with one query per batch; reject rows that fail."""

    def build(self, context: ImportContext, row: ImportRow) -> None:
        """Set `row.record` (new, unsaved) and `row.tags`, validated; raise a DomainError to reject the row."""
        raise NotImplementedError

    def lock(self, ids: list[int]) -> dict[int, Model]:
        """The existing records to update, locked for this transaction."""
        raise NotImplementedError

    def change(self, context: ImportContext, row: ImportRow, record: Model) -> None:
        """Apply the row to `record` and validate it (setting row.record, tags, before, previous); not saved."""
        raise NotImplementedError

    def create_many(self, context: ImportContext, rows: list[ImportRow]) -> None:
        raise NotImplementedError

    def update_many(self, context: ImportContext, rows: list[ImportRow]) -> dict[int, dict]:
        """Save the changed rows; returns {pk: changes} of the records that really changed."""
        raise NotImplementedError

    def live(self, ids: list[int]) -> QuerySet:
        """Records of this entity, deleted ones included, for the checks before an undo."""
        return self.model._base_manager.filter(pk__in=ids)

    def delete_created(self, actor, ids: list[int]) -> int:
        """Undo: move created records to the recycle bin through the services; returns how many."""
        raise NotImplementedError

    def restore_updated(self, actor, record: Model, before: dict, version: int) -> None:
        """Undo: put back an updated record's previous values through the services."""
        raise NotImplementedError


importables: Registry[Importable] = Registry("import entities")


def custom_import_fields(entity: str) -> list[ImportField]:
    """A field for each active custom field of the record type `entity`, read as its type says."""
    return [ImportField(f"{CUSTOM_PREFIX}{definition.key}", definition.label, custom_fields.kind_of(definition).cell,
                        aliases=(definition.key,))
            for definition in custom_fields.definitions_for(entity)]


def register(importable: Importable, *, order: int = 100) -> Importable:
    """Make an entity importable as /data/imports/new/<name>, `rapport import <name>` and the API."""
    return importables.register(importable.name, importable, order=order)


def importable_for(name: str) -> Importable:
    if name not in importables:
        raise NotFound(_("There is no import of “%(name)s”.") % {"name": name})
    return importables.get(name)


# --- options ------------------------------------------------------------------------------------


@dataclass
class ImportOptions:
    """What the user chose: a field (or "") for each column, and how to treat duplicates and formats."""

    columns: list[str]
    duplicate_key: str = ""  # "" = no duplicate check
    on_duplicate: str = "skip"
    date_format: str = "YYYY-MM-DD"
    number_format: str = "1,234.56"

    def to_json(self) -> dict:
        return {"columns": self.columns, "duplicate_key": self.duplicate_key, "on_duplicate": self.on_duplicate,
                "date_format": self.date_format, "number_format": self.number_format}

    @classmethod
    def from_json(cls, data: dict) -> "ImportOptions":
        return cls(columns=list(data.get("columns") or []), duplicate_key=data.get("duplicate_key") or "",
                   on_duplicate=data.get("on_duplicate") or "skip",
                   date_format=data.get("date_format") or "YYYY-MM-DD",
                   number_format=data.get("number_format") or "1,234.56")

    @property
    def updates(self) -> bool:
        return bool(self.duplicate_key) and self.on_duplicate == "update"


def validate_options(importable: Importable, header: list[str], options: ImportOptions) -> ImportOptions:
    """The options made whole and checked against the entity's fields; InvalidInput says what to change."""
    fields = {f.key: f for f in importable.fields()}
    columns = [(key or "").strip() for key in options.columns[: len(header)]]
    columns += [""] * (len(header) - len(columns))
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for index, key in enumerate(columns):
        if not key:
            continue
        if key not in fields:
            errors.setdefault("mapping", []).append(
                _("Column “%(column)s”: there is no field “%(field)s”.") % {"column": column_name(header, index),
                                                                             "field": key})
        elif key in seen:
            errors.setdefault("mapping", []).append(
                _("Columns “%(first)s” and “%(second)s” are both mapped to “%(field)s”; choose one.")
                % {"first": column_name(header, seen[key]), "second": column_name(header, index),
                   "field": fields[key].label})
        else:
            seen[key] = index
    if not seen:
        errors.setdefault("mapping", []).append(_("Choose at least one column to import."))
    elif "mapping" not in errors:
        errors.setdefault("mapping", []).extend(importable.check_mapping(set(seen), options))
        if not errors["mapping"]:
            del errors["mapping"]
    if options.duplicate_key:
        key = importable.duplicate_keys.get(options.duplicate_key)
        if key is None:
            errors["duplicate_key"] = [_("Choose one of: %(choices)s.")
                                       % {"choices": ", ".join(importable.duplicate_keys)}]
        elif not set(key.fields) & set(seen):
            errors["duplicate_key"] = [_("To find duplicates by %(key)s, map a column to it.") % {"key": key.label}]
    if options.on_duplicate not in DUPLICATE_ACTIONS:
        errors["on_duplicate"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(DUPLICATE_ACTIONS)}]
    if options.date_format not in DATE_FORMATS:
        errors["date_format"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(DATE_FORMATS)}]
    if options.number_format not in NUMBER_FORMATS:
        errors["number_format"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(NUMBER_FORMATS)}]
    if errors:
        raise InvalidInput(fields=errors)
    options.columns = columns
    return options


def column_name(header: list[str], index: int) -> str:
    name = header[index] if index < len(header) else ""
    return name or _("column %(number)s") % {"number": index + 1}


def mapping_from_headers(importable: Importable, header: list[str], mapping: dict[str, str]) -> list[str]:
    """Columns from {header name or 1-based column number: field key}; unnamed columns stay unmapped."""
    columns = [""] * len(header)
    positions = {}
    for index, name in enumerate(header):
        positions.setdefault(normalise_label(name), index)
    unknown = []
    for name, key in mapping.items():
        text = str(name).strip()
        index = positions.get(normalise_label(text))
        if index is None and text.isdigit() and 1 <= int(text) <= len(header):
            index = int(text) - 1
        if index is None:
            unknown.append(text)
        else:
            columns[index] = str(key or "").strip()
    if unknown:
        raise InvalidInput(fields={"mapping": [_("The file has no column “%(column)s”.") % {"column": name}
                                               for name in unknown]})
    return columns


# --- suggestions ----------------------------------------------------------------------------------


def suggest_columns(importable: Importable, header: list[str]) -> list[str]:
    """A field for each column whose header names one (by key, label in any language, or alias)."""
    names: dict[str, str] = {}
    for import_field in importable.fields():
        candidates = [import_field.key, import_field.key.removeprefix(CUSTOM_PREFIX), *import_field.aliases]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                candidates.append(str(import_field.label))
        for candidate in candidates:
            names.setdefault(normalise_label(candidate), import_field.key)
    suggested, used = [], set()
    for name in header:
        key = names.get(normalise_label(name), "")
        if key in used:
            key = ""
        used.add(key)
        suggested.append(key)
    return suggested


# --- cells to values ------------------------------------------------------------------------------


def convert_row(context: ImportContext, fields: list[ImportField | None], cells: list) -> tuple[dict, list[str]]:
    """The data dict of one row (blank cells left out) and the reasons of cells that are not values."""
    data: dict = {}
    problems = []
    options = context.options
    for import_field, cell in zip(fields, cells, strict=False):
        if import_field is None or cell == "" or cell is None:
            continue
        try:
            value = read_cell(import_field.kind, cell, choices=import_field.choices,
                              date_format=options.date_format, number_format=options.number_format)
        except CellError as error:
            problems.append(f"{capfirst(str(import_field.label))}: {error}")
            continue
        if import_field.key.startswith(CUSTOM_PREFIX):
            data.setdefault("custom", {})[import_field.key.removeprefix(CUSTOM_PREFIX)] = value
        else:
            data[import_field.key] = value
    return data, problems


def reason_of(context: ImportContext, error: DomainError) -> str:
    """A rejected row's reason from a service's error: each field's label and message."""
    if not error.fields:
        return str(error.message)
    parts = []
    for key, messages in error.fields.items():
        label = context.labels.get(key) or ("" if key == "__all__" else key)
        text = " ".join(str(message) for message in messages)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)
