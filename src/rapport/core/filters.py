"""List filters parsed from a query string, the same way for the HTML list and the API.

Canonical form: `field=value`, `field__op=value` (ops by type below), `q=text`, `sort=-field`,
`cols=a,b`. The HTML filter builder may also send rows as repeated `ff`/`fo`/`fv` triples.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InvalidInput
from .ids import is_record_id
from .pagination import Ordering
from .parsing import parse_yes_no

RESERVED = {"q", "sort", "cols", "col", "cursor", "format", "per_page", "ff", "fo", "fv", "view", "page_size"}

OPERATORS = {
    "text": ("", "contains", "startswith", "empty"),
    "number": ("", "gte", "lte", "empty"),
    "date": ("", "gte", "lte", "empty"),
    "choice": ("", "empty"),
    "bool": ("",),
    "relation": ("", "empty"),
    "tag": ("",),
}
OPERATOR_LABELS = {
    "": gettext_lazy("is"), "contains": gettext_lazy("contains"), "startswith": gettext_lazy("starts with"),
    "empty": gettext_lazy("is empty (yes/no)"), "gte": gettext_lazy("at least"), "lte": gettext_lazy("at most"),
}


@dataclass(frozen=True)
class FilterField:
    name: str
    label: str | Promise
    kind: str  # a key of OPERATORS
    lookup: str = ""  # ORM path; defaults to name
    choices: tuple = ()
    sortable: bool = False
    parse: Callable | None = None  # custom value parser (custom fields)

    @property
    def path(self) -> str:
        return self.lookup or self.name

    @property
    def sort_path(self) -> str:
        """What the list sorts by: the column itself, not its date (an index serves `updated_at`,
        not `updated_at__date`, and sorting by the date would sort every row of the list)."""
        return self.path.removesuffix("__date")


@dataclass
class Condition:
    field: FilterField
    op: str
    value: object
    raw: str


@dataclass
class Filters:
    """Parsed filters for one list: conditions, free text, sort and columns."""

    conditions: list[Condition] = field(default_factory=list)
    text: str = ""
    ordering: Ordering | None = None
    sort: str = ""
    columns: list[str] = field(default_factory=list)
    visible_columns: list[str] = field(default_factory=list)

    def apply(self, queryset: QuerySet, text_search: Callable[[QuerySet, str], QuerySet]) -> QuerySet:
        for condition in self.conditions:
            queryset = queryset.filter(_q_for(condition))
        if self.text:
            queryset = text_search(queryset, self.text)
        return queryset

    def as_query_items(self) -> list[tuple[str, str]]:
        """The canonical query-string items, for links, exports and saved views."""
        items = [(f"{c.field.name}__{c.op}" if c.op else c.field.name, c.raw) for c in self.conditions]
        if self.text:
            items.append(("q", self.text))
        if self.sort:
            items.append(("sort", self.sort))
        if self.columns:
            items.append(("cols", ",".join(self.columns)))
        return items

    def describe(self) -> list[str]:
        """Human-readable lines, e.g. for an export's header."""
        lines = [f"{c.field.label} {OPERATOR_LABELS[c.op]} {c.raw}" for c in self.conditions]
        if self.text:
            lines.append(_("Text contains “%(text)s”") % {"text": self.text})
        return lines


def _q_for(condition: Condition) -> Q:
    path, op, value = condition.field.path, condition.op, condition.value
    kind = condition.field.kind
    if op == "empty":
        empty = Q(**{f"{path}__isnull": True})
        if kind in ("text", "choice"):
            empty |= Q(**{path: ""})
        return empty if value else ~empty
    if kind == "text" and op == "":
        return Q(**{f"{path}__iexact": value})
    if kind == "text":
        return Q(**{f"{path}__i{op}": value})
    if kind == "tag":
        return Q(**{f"{path}__name__iexact": value})
    if isinstance(value, list) and path.endswith("__array_has"):
        return _any_of(path, value)
    if isinstance(value, list):
        return Q(**{f"{path}__in": value})
    return Q(**{f"{path}__{op}" if op else path: value})


def _any_of(path: str, values: list) -> Q:
    condition = Q()
    for value in values:
        condition |= Q(**{path: value})
    return condition


def parse_filters(query, fields: list[FilterField], *, default_sort: str, default_columns: list[str],
                  column_keys: set[str]) -> Filters:
    """Parse a QueryDict (or dict of lists); every unknown key or bad value is an InvalidInput."""
    by_name = {f.name: f for f in fields}
    errors: dict[str, list[str]] = {}
    filters = Filters(text=(query.get("q") or "").strip()[:200])
    for key, raw in _condition_items(query):
        name, _sep, op = key.partition("__")
        filter_field = by_name.get(name)
        if filter_field is None:
            errors[key] = [_("Unknown filter “%(name)s”.") % {"name": key}]
            continue
        if op not in OPERATORS[filter_field.kind]:
            errors[key] = [_("“%(op)s” does not apply to %(field)s.") % {"op": op, "field": filter_field.label}]
            continue
        try:
            value = _parse_value(filter_field, op, raw)
        except ValidationError as error:
            errors[key] = list(error.messages)
            continue
        filters.conditions.append(Condition(filter_field, op, value, raw))
    filters.sort = (query.get("sort") or default_sort).strip()
    sort_name = filters.sort.removeprefix("-")
    sortable = {f.name: f for f in fields if f.sortable}
    if sort_name not in sortable:
        errors["sort"] = [_("Cannot sort by “%(name)s”.") % {"name": sort_name}]
    else:
        filters.ordering = Ordering(sortable[sort_name].sort_path, descending=filters.sort.startswith("-"))
    columns = [c for c in (query.get("cols") or "").split(",") if c] or query.getlist("col")
    unknown_columns = [c for c in columns if c not in column_keys]
    if unknown_columns:
        errors["cols"] = [_("Unknown column: %(names)s.") % {"names": ", ".join(unknown_columns)}]
    filters.columns = columns if columns and not unknown_columns else []
    filters.visible_columns = filters.columns or default_columns
    if errors:
        raise InvalidInput(fields=errors)
    return filters


def _condition_items(query) -> list[tuple[str, str]]:
    items = []
    for key in query:
        if key in RESERVED:
            continue
        items.extend((key, value) for value in query.getlist(key) if value != "")
    names, ops, values = query.getlist("ff"), query.getlist("fo"), query.getlist("fv")
    for name, op, value in zip(names, ops, values, strict=False):
        if name and value != "":
            items.append((f"{name}__{op}" if op else name, value))
    return items


def _parse_value(filter_field: FilterField, op: str, raw: str):
    raw = raw.strip()
    if op == "empty":
        return _parse_bool(raw)
    if filter_field.parse is not None:
        return filter_field.parse(raw)
    kind = filter_field.kind
    if kind == "number":
        try:
            return Decimal(raw)
        except InvalidOperation as error:
            raise ValidationError(_("Enter a number.")) from error
    if kind == "date":
        parsed = parse_date(raw) if raw else None
        if parsed is None:
            raise ValidationError(_("Enter a date as YYYY-MM-DD."))
        return parsed
    if kind == "choice":
        allowed = {str(value) for value, _label in filter_field.choices}
        values = [v for v in raw.split(",") if v]
        if not values or any(v not in allowed for v in values):
            raise ValidationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(allowed))})
        return values
    if kind == "bool":
        return _parse_bool(raw)
    if kind == "relation":
        try:
            ids = [int(v) for v in raw.split(",") if v]
        except ValueError as error:
            raise ValidationError(_("Enter record ids.")) from error
        if not all(is_record_id(pk) for pk in ids):
            raise ValidationError(_("Enter record ids."))
        return ids
    return raw


def _parse_bool(raw: str) -> bool:
    answer = parse_yes_no(raw)
    if answer is not None:
        return answer
    raise ValidationError(_("Enter yes or no."))
