"""What a list of records is made of: its filter fields and columns, built from the model's fields,
and a query loading only what the visible columns show."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import FilterField


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Callable  # record -> display value
    sort: str = ""  # the sort key, when sortable
    loads: tuple[str, ...] = ()  # the fields value() reads, as only() paths; () = the field named `key`
    prefetch: str = ""  # a many-relation value() reads


def model_filter(model, name: str, kind: str, *, sortable: bool = False, lookup: str = "") -> FilterField:
    """A filter on one field of `model`, labelled and offering choices as the field is."""
    field = model._meta.get_field(name)
    return FilterField(name=name, label=field.verbose_name, kind=kind, lookup=lookup, sortable=sortable,
                       choices=tuple(field.choices or ()))


def ownership_filters(model) -> list[FilterField]:
    """owner, team, created and updated: every business record has them."""
    return [
        model_filter(model, "owner", "relation"),
        model_filter(model, "team", "relation"),
        model_filter(model, "created_at", "date", sortable=True, lookup="created_at__date"),
        model_filter(model, "updated_at", "date", sortable=True, lookup="updated_at__date"),
    ]


def display(model, attribute: str) -> Callable:
    """record -> the field's value, or the label of its choice (looked up in a dict made once, not
    through get_FOO_display, which rebuilds and hashes every lazy choice label on each call)."""
    field = model._meta.get_field(attribute)
    if not field.choices:
        return lambda record: getattr(record, attribute)
    labels = dict(field.flatchoices)  # lazy labels: translated when the cell is shown

    def value(record):
        raw = getattr(record, attribute)
        return labels.get(raw, raw)

    return value


def field_columns(model, names: list[str], *, sortable: set[str]) -> list[Column]:
    return [Column(name, model._meta.get_field(name).verbose_name, display(model, name),
                   name if name in sortable else "") for name in names]


def person_column(key: str, label) -> Column:
    """A column showing a person (owner, assignee), loading only their name."""
    return Column(key, label, lambda record: getattr(record, key) or "",
                  loads=tuple(f"{key}__{field}" for field in get_user_model().NAME_FIELDS))


def ownership_columns() -> list[Column]:
    return [person_column("owner", _("owner")),
            Column("team", _("team"), lambda record: record.team or "", loads=("team__name",))]


def stamp_columns(model) -> list[Column]:
    return [Column("updated_at", _("updated"), display(model, "updated_at"), "updated_at"),
            Column("created_at", _("created"), display(model, "created_at"), "created_at")]


def load_only_shown(records: QuerySet, columns: list[Column], *, ordering_field: str,
                    name_fields: tuple[str, ...]) -> QuerySet:
    """The list's rows loading only what its visible columns show, its order needs, and what names
    and links a row (id and `name_fields`, what str() reads). Building every field of a record and of
    its owner, team and parent for 50 rows cost four times the SQL of the page."""
    paths = {"id", *name_fields, ordering_field}
    for column in columns:
        paths.update(column.loads or (column.key,))
    related = {path.rsplit("__", 1)[0] for path in paths if "__" in path}
    records = records.select_related(None).prefetch_related(None).only(*paths)
    if related:
        records = records.select_related(*related)
    prefetch = [column.prefetch for column in columns if column.prefetch]
    return records.prefetch_related(*prefetch) if prefetch else records
