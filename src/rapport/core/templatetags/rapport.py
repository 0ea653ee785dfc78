"""Small template helpers shared by every page."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def join_if_list(value):
    return ", ".join(str(item) for item in value) if isinstance(value, list | tuple) else value


@register.filter
def verbose_name(record) -> str:
    return record._meta.verbose_name


@register.simple_tag
def cell(column, record):
    """One list cell: the column's display value for the record, or a dash when empty."""
    value = column.value(record)
    return "—" if value is None or value == "" else value


@register.simple_tag
def query_with(query: QueryDict, **changes) -> str:
    """The current query string with some keys replaced (None removes a key) — for sort links."""
    updated = query.copy()
    for key, value in changes.items():
        updated.pop(key, None)
        if value not in (None, ""):
            updated[key] = value
    updated.pop("cursor", None)
    return updated.urlencode()
