"""Reads of the timeline app; each list starts from the actor's scope or the customer they can see."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access
from rapport.core.errors import InvalidInput
from rapport.core.filters import Filters
from rapport.core.pagination import Ordering, Page, paginate
from rapport.core.remembered import remembered
from rapport.core.request_memo import once_per_request
from rapport.directory.models import User
from rapport.records.registry import record_types

from .filters import ACTIVITY_LIST, TASK_LIST
from .models import Activity, Comment, Notification, Task, TaskStatus, TimelineEntry
from .registry import event_groups, event_types

TIMELINE_ORDER = Ordering("occurred_at", descending=True)


@dataclass
class TimelineFilters:
    group: str = ""
    department: str = ""
    person: int | None = None

    @classmethod
    def from_query(cls, query) -> "TimelineFilters":
        group = query.get("group", "")
        if group and group not in event_groups:
            raise InvalidInput(fields={"group": [_("Unknown type of event.")]})
        person = query.get("person", "")
        if person and not person.isdigit():
            raise InvalidInput(fields={"person": [_("Choose a person from the list.")]})
        return cls(group=group, department=query.get("department", "").strip()[:100],
                   person=int(person) if person else None)

    def apply(self, entries: QuerySet) -> QuerySet:
        if self.group:
            entries = entries.filter(kind__in=[t.name for t in event_types if t.group == self.group])
        if self.department:
            entries = entries.filter(department=self.department)
        if self.person:
            entries = entries.filter(actor_id=self.person)
        return entries

    def as_query(self) -> str:
        query = QueryDict(mutable=True)
        for key, value in (("group", self.group), ("department", self.department), ("person", self.person)):
            if value:
                query[key] = value
        return query.urlencode()


def entries_of(*, actor, account=None, contact=None) -> QuerySet[TimelineEntry]:
    """The story of a customer the caller has checked `actor` may see, as far as `actor` may see it: from every
    department, but each entry of a record (an activity, a task, a later module's deal) only if its module's
    scope lets `actor` see that record."""
    path, customer = ("account", account) if account is not None else ("contact", contact)
    return TimelineEntry.objects.filter(**{path: customer}).filter(
        once_per_request(("timeline scope", actor.pk, path, customer.pk), lambda: _scope(actor, path, customer)))


def _scope(actor, path: str, customer) -> Q:
    """Entries of records whose every one on this customer the actor may see (their scope runs through the
    customer's owner: the usual case), and those of the customer itself, need no check each."""
    models = [kind.model for kind in record_types]
    covered = {type(customer), *(model for model in models if access.covers_through(actor, model, path, customer))}
    return access.pointing_at_visible(actor, "source_type", "source_id", models, covered=covered)


def timeline_page(*, actor, account=None, contact=None, filters: TimelineFilters, cursor: str | None,
                  per_page: int = 25) -> Page:
    """One page of a customer's story, newest first — constant cost however long the story is."""
    entries = entries_of(actor=actor, account=account, contact=contact)
    return paginate(filters.apply(entries).select_related("actor"), TIMELINE_ORDER, cursor=cursor,
                    per_page=per_page, count=False)


def last_contact(*, actor, account=None, contact=None) -> TimelineEntry | None:
    entries = entries_of(actor=actor, account=account, contact=contact)
    return entries.filter(is_customer_contact=True).select_related("actor").order_by("-occurred_at", "-id").first()


def next_step(*, account=None, contact=None) -> Task | None:
    """The open task with the earliest due time: what happens next with this customer."""
    tasks = Task.objects.filter(account=account) if account is not None else Task.objects.filter(contact=contact)
    return (tasks.filter(status=TaskStatus.OPEN, due_at__isnull=False).select_related("assignee")
            .order_by("due_at", "id").first())


# The department and person filters offer who appears in this many latest entries: everyone who
# works with the customer now, at the same cost for a story of 10 lines or of 100,000.
FILTER_OPTIONS_FROM_LATEST = 1000


def timeline_filter_options(*, actor, account=None, contact=None) -> tuple[list[str], list]:
    """The departments and the people in this customer's latest entries, for the timeline's filters."""
    latest = (entries_of(actor=actor, account=account, contact=contact).order_by("-occurred_at", "-id")
              [:FILTER_OPTIONS_FROM_LATEST].values("pk"))
    # order_by(): the model's default ordering would add its columns to the DISTINCT, one row per entry.
    pairs = (TimelineEntry.objects.filter(pk__in=latest).order_by()
             .values_list("department", "actor_id", *(f"actor__{field}" for field in User.NAME_FIELDS)).distinct())
    departments, people = set(), {}
    for department, actor_id, *names in pairs:
        departments.add(department)
        if actor_id is not None:
            people[actor_id] = User(pk=actor_id, **dict(zip(User.NAME_FIELDS, names, strict=True)))
    departments.discard("")
    return sorted(departments)[:50], sorted(people.values(), key=lambda person: person.username)[:100]


MY_TASKS_ORDER = Ordering("due_at")  # overdue first, then by due time, undated last


def open_tasks_of(*, actor) -> QuerySet[Task]:
    """Open tasks assigned to the actor, to page through in MY_TASKS_ORDER, with only what the list shows."""
    return (Task.objects.filter(assignee=actor, status=TaskStatus.OPEN)
            .select_related("account", "contact", "owner")
            .only("id", "title", "due_at", "priority", "status", "account__name", "contact__full_name",
                  *(f"owner__{field}" for field in User.NAME_FIELDS)))


def my_tasks(*, actor, limit: int | None = None) -> list[Task]:
    """Open tasks assigned to the actor: overdue first, then by due time, undated last."""
    tasks = (Task.objects.filter(assignee=actor, status=TaskStatus.OPEN)
             .select_related("account", "contact", "owner")
             .order_by(F("due_at").asc(nulls_last=True), "id"))
    return list(tasks[:limit] if limit else tasks)


def task_list(*, actor, filters: Filters) -> QuerySet[Task]:
    tasks = TASK_LIST.apply(access.visible_to(actor, Task.objects.all()), filters)
    return tasks.select_related("assignee", "account", "contact")


def task_get(*, actor, task_id, action: str = "view") -> Task:
    return access.get_visible(actor, Task.objects.select_related("assignee", "account", "contact", "owner"), task_id,
                       action)


def activity_list(*, actor, filters: Filters) -> QuerySet[Activity]:
    activities = ACTIVITY_LIST.apply(access.visible_to(actor, Activity.objects.all()), filters)
    return activities.select_related("owner", "account", "contact").prefetch_related(
        "participant_users", "participant_contacts")


def activity_get(*, actor, activity_id, action: str = "view") -> Activity:
    activities = Activity.objects.select_related("owner", "account", "contact")
    return access.get_visible(actor, activities, activity_id, action)


def inbox(*, user, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def unread_count(*, user) -> int:
    return remembered(user, "unread notifications",
                      lambda: Notification.objects.filter(user=user, read_at__isnull=True).count())


@dataclass
class WeekDay:
    date: datetime
    activities: list
    tasks: list


def week_of(*, actor, start: datetime) -> list[WeekDay]:
    """The actor's activities (authored or attended) and tasks of the 7 days from `start`, day by day."""
    end = start + timedelta(days=7)
    activities = (Activity.objects.filter(Q(owner=actor) | Q(participant_users=actor),
                                          occurred_at__gte=start, occurred_at__lt=end)
                  .distinct().select_related("account", "contact").order_by("occurred_at"))
    tasks = (Task.objects.filter(assignee=actor, due_at__gte=start, due_at__lt=end)
             .exclude(status=TaskStatus.CANCELLED).select_related("account").order_by("due_at"))
    days = [WeekDay(date=start + timedelta(days=offset), activities=[], tasks=[]) for offset in range(7)]
    for activity in activities:
        days[(timezone.localtime(activity.occurred_at).date() - start.date()).days].activities.append(activity)
    for task in tasks:
        days[(timezone.localtime(task.due_at).date() - start.date()).days].tasks.append(task)
    return days


def calendar_items(*, user, since: datetime) -> tuple[list[Activity], list[Task]]:
    """What the iCalendar feed publishes: recent and future activities and dated open tasks."""
    activities = list(Activity.objects.filter(Q(owner=user) | Q(participant_users=user), occurred_at__gte=since)
                      .distinct().select_related("account", "contact").order_by("occurred_at")[:2000])
    tasks = list(Task.objects.filter(assignee=user, due_at__isnull=False, due_at__gte=since)
                 .exclude(status=TaskStatus.CANCELLED).select_related("account").order_by("due_at")[:2000])
    return activities, tasks


def comments_of(record) -> list[Comment]:
    content_type = ContentType.objects.get_for_model(record)
    return list(Comment.objects.filter(content_type=content_type, object_id=record.pk)
                .select_related("author").order_by("created_at", "id"))
