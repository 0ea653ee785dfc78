"""Keyset pagination: page 1 and page 10,000 cost the same, and nobody counts a million rows."""

import base64
import json
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from .errors import InvalidCursor
from .ids import MAX_RECORD_ID, is_record_id

COUNT_CAP = 1000


@dataclass
class Page:
    rows: list
    number: int
    next_cursor: str | None
    previous_cursor: str | None
    count_capped: int | None  # the true count, COUNT_CAP + 1 when there are more, None when not counted

    @property
    def count_is_exact(self) -> bool:
        return self.count_capped is not None and self.count_capped <= COUNT_CAP

    @property
    def first_index(self) -> int:
        return 0 if not self.rows else self.rows_before + 1

    @property
    def last_index(self) -> int:
        return self.rows_before + len(self.rows)

    rows_before: int = 0


@dataclass(frozen=True)
class Ordering:
    """Sort by one field, then by id in the same direction; NULLs always last."""

    field: str
    descending: bool = False

    def order_by(self, queryset: QuerySet, *, reverse: bool = False) -> QuerySet:
        descending = self.descending != reverse
        # NULLS FIRST/LAST only where NULLs can occur: on PostgreSQL "DESC NULLS LAST" does not match
        # a plain index, and the database would sort every row of the list to find the first 50.
        nulls = {} if not _nullable(queryset.model, self.field) else \
            {"nulls_first": True} if reverse else {"nulls_last": True}
        column = F(self.field).desc(**nulls) if descending else F(self.field).asc(**nulls)
        return queryset.order_by(column, "-pk" if descending else "pk")


def _field_at(model, path: str):
    """The field at the end of `path` ("name", "account__name")."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _nullable(model, path: str) -> bool:
    """Whether the column at `path` ("name", "account__name") can be NULL, relations included."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.null:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _encode(payload: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, default=str).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list:
    """The cursor's [direction, page number, value, value is null, id], or InvalidCursor for anything that is
    not exactly what _encode wrote (a forged or truncated link)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as error:
        raise InvalidCursor() from error
    if not (isinstance(payload, list) and len(payload) == 5):
        raise InvalidCursor()
    direction, number, _value, value_is_null, pk = payload
    if direction not in ("after", "before") or not isinstance(value_is_null, bool) \
            or not is_record_id(number) or not is_record_id(pk):
        raise InvalidCursor()
    return payload


def _beyond(queryset: QuerySet, ordering: Ordering, value, pk, *, backwards: bool) -> QuerySet:
    """Rows strictly after (or, backwards, before) the row (value, pk) in `ordering`."""
    field = queryset.model._meta.get_field(ordering.field.split("__")[0])
    nullable = field.null
    forward_greater = not ordering.descending
    greater = forward_greater != backwards
    op = "gt" if greater else "lt"
    if value is None:
        if backwards:
            return queryset.filter(Q(**{f"{ordering.field}__isnull": False}) | Q(**{
                f"{ordering.field}__isnull": True, f"pk__{op}": pk}))
        return queryset.filter(**{f"{ordering.field}__isnull": True, f"pk__{op}": pk})
    condition = Q(**{f"{ordering.field}__{op}": value}) | Q(**{ordering.field: value, f"pk__{op}": pk})
    if nullable and not backwards:
        return queryset.filter(condition | Q(**{f"{ordering.field}__isnull": True}))
    # The redundant bound (value >= v AND …) lets PostgreSQL start the index scan at the cursor;
    # without it a page 500,000 rows deep reads the 500,000 index entries before it.
    return queryset.filter(Q(**{f"{ordering.field}__{op}e": value}), condition)


def paginate(queryset: QuerySet, ordering: Ordering, *, cursor: str | None, per_page: int = 50,
             count: bool = True) -> Page:
    """One page of `queryset` in `ordering`, from an opaque cursor (None = the first page)."""
    number, backwards = 1, False
    if cursor:
        direction, number, raw_value, value_is_null, pk = _decode(cursor)
        backwards = direction == "before"
        value = None if value_is_null else _to_python(_field_at(queryset.model, ordering.field), raw_value)
        window = _beyond(queryset, ordering, value, pk, backwards=backwards)
    else:
        window = queryset
    rows = list(ordering.order_by(window, reverse=backwards)[: per_page + 1])
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    has_next = has_more if not backwards else True
    has_previous = number > 1
    count_capped = queryset.order_by()[: COUNT_CAP + 1].count() if count else None
    return Page(
        rows=rows, number=number,
        next_cursor=_cursor_at("after", number + 1, rows[-1], ordering) if rows and has_next else None,
        previous_cursor=_cursor_at("before", number - 1, rows[0], ordering) if rows and has_previous else None,
        count_capped=count_capped, rows_before=(number - 1) * per_page,
    )


def _to_python(field, raw):
    if isinstance(raw, (list, dict)):
        raise InvalidCursor()
    try:
        value = field.to_python(raw)
    except Exception as error:  # noqa: BLE001 - any unparsable value means a forged cursor
        raise InvalidCursor() from error
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_RECORD_ID:
        raise InvalidCursor()  # beyond what the database stores
    return value


def _cursor_at(direction: str, number: int, row, ordering: Ordering) -> str:
    value = row
    for part in ordering.field.split("__"):
        value = getattr(value, part, None)
    if hasattr(value, "pk"):
        value = value.pk
    return _encode([direction, number, value, value is None, row.pk])
