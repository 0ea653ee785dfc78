"""Small template helpers shared by every page."""

import html
import re

from django import template
from django.http import QueryDict
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from rapport.core.extensions import navigation
from rapport.core.icons import icon_svg
from rapport.core.urls import fixed_url

register = template.Library()


@register.simple_tag
def main_menu(user) -> list[dict]:
    """The main menu's entries this user may see, in their registered order."""
    menu = []
    for name, entry in navigation.items():
        if entry.visible(user):
            badge = entry.badge(user) if entry.badge else 0
            menu.append({"name": name, "label": entry.label, "url": fixed_url(entry.url_name), "badge": badge,
                         "badge_label": entry.badge_label(badge) if badge and entry.badge_label else ""})
    return menu


@register.simple_tag
def icon(name: str):
    """One of our own icons (rapport.core.icons) by its registered name."""
    return icon_svg(name)


_BREAK_POINTS = re.compile(r"(?<=[@/])|(?=[.\-_])")


@register.filter
def breakable(value) -> str:
    """An address (email, website) that wraps after "@" and "/" and before ".", "-" and "_" when it must,
    instead of in the middle of a word."""
    return mark_safe("<wbr>".join(html.escape(part) for part in _BREAK_POINTS.split(str(value))))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def join_if_list(value):
    return ", ".join(str(item) for item in value) if isinstance(value, list | tuple) else value


@register.filter
def verbose_name(record) -> str:
    return record._meta.verbose_name


@register.simple_tag(takes_context=True)
def record_rows(context, columns, records, select_label, url_of):
    """The body of a record list: a checkbox, then each column's value, the first linking to the record
    (`url_of(id)`).

    Built here rather than with template loops: 50 rows of 6 columns through `{% for %}`, filters and
    a tag per cell cost about ten times as much, and a list page should cost little more than its SQL.
    Values are shown as a template shows them (local time, localised numbers, escaped). Text is escaped
    with `html.escape`, which is what Django's `escape` does without its check for lazy strings per call.
    """
    labels = [html.escape(capfirst(str(column.label))) for column in columns]
    select_label = html.escape(str(select_label))
    rows = []
    for record in records:
        cells = [_cell(context, column, record) for column in columns]
        cells[0] = f'<a href="{html.escape(url_of(record.pk))}">{cells[0]}</a>'
        rows.append(
            f'<tr><td><input type="checkbox" name="ids" value="{record.pk}" '
            f'aria-label="{select_label} {html.escape(str(record))}"></td>'
            + "".join(f'<td data-label="{label}">{value}</td>' for label, value in zip(labels, cells, strict=True))
            + "</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


def _cell(context, column, record) -> str:
    value = column.value(record)
    if value is None or value == "":
        return "—"
    return html.escape(value) if type(value) is str else render_value_in_context(value, context)


@register.simple_tag
def options(choices, selected):
    """`<option>`s for (value, label) pairs, `selected` marked — for selects with many options."""
    selected = "" if selected is None else str(selected)
    return mark_safe("".join(  # noqa: S308 - values and labels are escaped
        f'<option value="{html.escape(str(value))}"{" selected" if str(value) == selected else ""}>'
        f'{html.escape(str(label))}</option>'
        for value, label in choices
    ))


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
