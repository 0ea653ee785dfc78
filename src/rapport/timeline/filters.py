"""The activity and task lists: filters, sorts and columns (HTML, API and export alike)."""

from functools import cache

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import FilterField
from rapport.records.listings import RecordList
from rapport.records.lists import Column, field_columns, model_filter, ownership_filters, person_column, stamp_columns

from .models import Activity, Task


@cache
def _activity_filter_fields() -> tuple[FilterField, ...]:
    return (
        model_filter(Activity, "kind", "choice", sortable=True),
        model_filter(Activity, "subject", "text", sortable=True),
        model_filter(Activity, "occurred_at", "date", sortable=True, lookup="occurred_at__date"),
        model_filter(Activity, "outcome", "text"),
        model_filter(Activity, "place", "text"),
        model_filter(Activity, "account", "relation"),
        model_filter(Activity, "contact", "relation"),
        *ownership_filters(Activity),
    )


@cache
def _task_filter_fields() -> tuple[FilterField, ...]:
    return (
        model_filter(Task, "title", "text", sortable=True),
        model_filter(Task, "status", "choice", sortable=True),
        model_filter(Task, "priority", "choice", sortable=True),
        model_filter(Task, "assignee", "relation"),
        model_filter(Task, "due_at", "date", sortable=True, lookup="due_at__date"),
        model_filter(Task, "completed_at", "date", sortable=True, lookup="completed_at__date"),
        model_filter(Task, "account", "relation"),
        model_filter(Task, "contact", "relation"),
        *ownership_filters(Task),
    )


def _customer_columns() -> list[Column]:
    return [Column("account", _("account"), lambda record: record.account or "", loads=("account__name",)),
            Column("contact", _("contact"), lambda record: record.contact or "", loads=("contact__full_name",))]


@cache
def _activity_columns() -> tuple[Column, ...]:
    return (
        *field_columns(Activity, ["subject", "kind", "occurred_at"], sortable={"subject", "kind", "occurred_at"}),
        *_customer_columns(),
        *field_columns(Activity, ["outcome", "place", "duration_minutes"], sortable=set()),
        person_column("owner", _("author")),
        *stamp_columns(Activity),
    )


@cache
def _task_columns() -> tuple[Column, ...]:
    return (
        *field_columns(Task, ["title", "due_at", "priority", "status"], sortable={"title", "due_at", "priority",
                                                                                  "status"}),
        person_column("assignee", _("assigned to")),
        *_customer_columns(),
        *field_columns(Task, ["completed_at"], sortable={"completed_at"}),
        person_column("owner", _("created by")),
        *stamp_columns(Task),
    )


def _activity_text_search(queryset: QuerySet, text: str) -> QuerySet:
    return queryset.filter(subject__icontains=text)


ACTIVITY_LIST = RecordList(
    record_type_key="activity", model_filter_fields=_activity_filter_fields, model_columns=_activity_columns,
    default_sort="-occurred_at", default_columns=("subject", "kind", "occurred_at", "account", "contact", "owner"),
    name_fields=("subject",), text_search=_activity_text_search,
)
TASK_LIST = RecordList(
    record_type_key="task", model_filter_fields=_task_filter_fields, model_columns=_task_columns,
    default_sort="due_at", default_columns=("title", "due_at", "priority", "status", "assignee", "account"),
    name_fields=("title",),
)
