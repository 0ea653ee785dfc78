from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from rapport.core.icons import icon_svg
from rapport.timeline.models import TaskPriority
from rapport.timeline.registry import event_groups as registered_groups
from rapport.timeline.registry import event_type as registered_event_type

register = template.Library()


@register.simple_tag
def event_groups() -> list:
    return list(registered_groups)


@register.simple_tag
def comment_url(target) -> str:
    return reverse("timeline:comment_add", args=[ContentType.objects.get_for_model(target).pk, target.pk])


@register.simple_tag
def task_rows(tasks) -> str:
    """The rows of "my tasks", built here rather than with template loops: a rep's 50 rows through
    `{% for %}` cost five times the SQL of the page (see docs/performance.md)."""
    labels = {key: escape(label) for key, label in (
        ("task", _("Task")), ("due", _("Due")), ("priority", _("Priority")),
        ("customer", _("Account or contact")), ("given_by", _("Given by")))}
    priorities = {value: escape(label) for value, label in TaskPriority.choices}
    overdue = escape(_("overdue"))
    rows = []
    for task in tasks:
        late = task.is_overdue
        rows.append(
            f'<tr{' class="overdue"' if late else ""}>'
            f'<td data-label="{labels["task"]}"><a href="{task.get_absolute_url()}">{escape(task.title)}</a></td>'
            f'<td data-label="{labels["due"]}">{_due(task, late, overdue)}</td>'
            f'<td data-label="{labels["priority"]}">{priorities.get(task.priority, escape(task.priority))}</td>'
            f'<td data-label="{labels["customer"]}">{_customer_link(task)}</td>'
            f'<td data-label="{labels["given_by"]}">{escape(task.owner)}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped


def _due(task, late: bool, overdue: str) -> str:
    if task.due_at is None:
        return "—"
    when = escape(date_format(timezone.localtime(task.due_at), "SHORT_DATETIME_FORMAT"))
    return f'<span class="error">{when} ({overdue})</span>' if late else f"<span>{when}</span>"


def _customer_link(task) -> str:
    customer = task.contact or task.account
    if customer is None:
        return "—"
    return f'<a href="{customer.get_absolute_url()}">{escape(customer)}</a>'


@register.simple_tag
def timeline_items(entries) -> str:
    """The `<li>` of each timeline entry, built here: the account page's 25 entries through template
    loops and filters were half the time of the whole page."""
    system = escape(_("System"))
    items = []
    for entry in entries:
        event = registered_event_type(entry.kind)
        title = escape(entry.shown_title)
        if entry.url:
            title = f'<a href="{escape(entry.url)}">{title}</a>'
        byline = escape(entry.actor) if entry.actor else system
        if entry.department:
            byline += f" · {escape(entry.department)}"
        when = timezone.localtime(entry.occurred_at)
        shown_detail = entry.shown_detail
        detail = f'<div class="timeline-detail">{linebreaksbr(shown_detail)}</div>' if shown_detail else ""
        if event.template:
            detail += render_to_string(event.template, {"entry": entry})
        items.append(
            f'<li class="timeline-entry{" customer-contact" if entry.is_customer_contact else ""}" '
            f'data-kind="{escape(entry.kind)}">'
            f'<span class="timeline-icon">{icon_svg(event.icon)}</span>'
            f'<div class="timeline-body"><div><span class="badge">{escape(event.label)}</span> {title}</div>'
            f'<div class="muted">{byline} · <time datetime="{dateformat.format(when, "c")}">'
            f'{escape(date_format(when, "SHORT_DATETIME_FORMAT"))}</time></div>{detail}</div></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value above is escaped
