"""The filters and sorts of the activity and task lists (HTML and API alike)."""

from functools import cache

from django.db.models import QuerySet

from rapport.core.filters import FilterField, Filters, parse_filters
from rapport.records.lists import model_filter, ownership_filters

from .models import Activity, Task


@cache
def activity_filter_fields() -> tuple[FilterField, ...]:
    return (
        model_filter(Activity, "kind", "choice"),
        model_filter(Activity, "subject", "text", sortable=True),
        model_filter(Activity, "occurred_at", "date", sortable=True, lookup="occurred_at__date"),
        model_filter(Activity, "outcome", "text"),
        model_filter(Activity, "place", "text"),
        model_filter(Activity, "account", "relation"),
        model_filter(Activity, "contact", "relation"),
        *ownership_filters(Activity),
    )


@cache
def task_filter_fields() -> tuple[FilterField, ...]:
    return (
        model_filter(Task, "title", "text", sortable=True),
        model_filter(Task, "status", "choice"),
        model_filter(Task, "priority", "choice"),
        model_filter(Task, "assignee", "relation"),
        model_filter(Task, "due_at", "date", sortable=True, lookup="due_at__date"),
        model_filter(Task, "completed_at", "date", lookup="completed_at__date"),
        model_filter(Task, "account", "relation"),
        model_filter(Task, "contact", "relation"),
        *ownership_filters(Task),
    )


def parse_activity_filters(query) -> Filters:
    return parse_filters(query, list(activity_filter_fields()), default_sort="-occurred_at", default_columns=[],
                         column_keys=set())


def parse_task_filters(query) -> Filters:
    return parse_filters(query, list(task_filter_fields()), default_sort="due_at", default_columns=[],
                         column_keys=set())


def activity_text_search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(subject__icontains=text)


def task_text_search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(title__icontains=text)
