"""What the timeline adds to access, the customer pages, the home page, demo data — and what it hears."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from rapport import access
from rapport.audit.history import ChangeAction, change_recorded
from rapport.audit.recycle_bin import recyclables
from rapport.core.extensions import DemoGenerator, HomeCard, NavEntry, demo_generators, home_cards, navigation
from rapport.core.phrases import choice_label, field_name, joined, phrase
from rapport.customers.merging import MergeHook, merge_hooks
from rapport.customers.sections import (
    Section,
    account_header_facts,
    account_sections,
    contact_header_facts,
    contact_sections,
)
from rapport.insights.registry import Report, register_report
from rapport.records.registry import RecordType, register_record_type
from rapport.records.services import recyclable
from rapport.search import registry as search

from . import demo, selectors, services, views
from .events import hide_events_of, record_events
from .forms import CommentForm
from .models import Activity, Task
from .registry import ImportantChanges, important_changes, register_own_event_types
from .services import MODULE


def register_all() -> None:
    access.register_module(access.Module(
        name=MODULE, label=gettext_lazy("Activities and tasks"),
        models=(
            access.ScopedModel("timeline.Activity", owner_paths=("owner", "account__owner", "contact__owner"),
                               team_paths=("team", "account__team")),
            access.ScopedModel("timeline.Task", owner_paths=("assignee", "owner", "account__owner"),
                               team_paths=("team", "account__team")),
        ),
    ), order=20)
    register_own_event_types()
    important_changes.register("customers.Account", ImportantChanges(
        fields=frozenset({"name", "lifecycle_stage", "owner", "rating", "parent"}),
        customer_of=lambda account: (account, None)))
    important_changes.register("customers.Contact", ImportantChanges(
        fields=frozenset({"account", "owner", "title", "marketing_consent"}),
        customer_of=lambda contact: (contact.account, contact)))
    register_record_type(RecordType("activity", Activity, gettext_lazy("activity"), gettext_lazy("Activities"),
                                    MODULE, lookup_fields=("subject",)), order=30)
    register_record_type(RecordType("task", Task, gettext_lazy("task"), gettext_lazy("Tasks"), MODULE,
                                    lookup_fields=("title",)), order=40)
    recyclables.register("timeline.activity", recyclable(Activity, gettext_lazy("Activities")), order=30)
    recyclables.register("timeline.task", recyclable(Task, gettext_lazy("Tasks")), order=40)
    for sections, facts, kind in ((account_sections, account_header_facts, "account"),
                                  (contact_sections, contact_header_facts, "contact")):
        sections.register("timeline", Section(
            title=gettext_lazy("Timeline"), template="timeline/sections/timeline.html",
            context=lambda actor, record, kind=kind: timeline_section_context(actor, **{kind: record}),
        ), order=5)
        facts.register("last_contact", Section(
            title=gettext_lazy("Last contact"), template="timeline/sections/header_facts.html",
            context=lambda actor, record, kind=kind: {
                "last_contact": selectors.last_contact(actor=actor, **{kind: record}),
                "next_step": selectors.next_step(**{kind: record}),
            },
        ), order=0)
    for sections in (account_sections, contact_sections):
        sections.register("comments", Section(
            title=gettext_lazy("Comments"), template="timeline/sections/comments.html",
            context=lambda actor, record: {"comments": selectors.comments_of(record), "form": CommentForm()},
        ), order=90)
    home_cards.register("my_tasks", HomeCard(
        title=gettext_lazy("My tasks"), template="timeline/cards/my_tasks.html",
        context=lambda request: {"tasks": selectors.my_tasks(actor=request.user, limit=10)},
    ), order=10)
    home_cards.register("inbox", HomeCard(
        title=gettext_lazy("Inbox"), template="timeline/cards/inbox.html",
        context=lambda request: {"notifications": selectors.inbox(user=request.user, limit=5)},
    ), order=20)
    demo_generators.register("timeline", DemoGenerator(generate=demo.generate), order=20)
    register_menu()
    register_search()
    register_report("open-tasks-by-assignee", Report(gettext_lazy("Open tasks by assignee"), views.TASKS, "assignee",
                                                     query="status=open"), order=30)
    register_report("activities-by-kind", Report(gettext_lazy("Activities by type"), views.ACTIVITIES, "kind"),
                    order=40)
    register_report("activities-by-author", Report(gettext_lazy("Activities by author"), views.ACTIVITIES, "owner"),
                    order=40)
    for customer in ("customers.Account", "customers.Contact"):
        merge_hooks.register(f"timeline.{customer}", MergeHook(customer, services.customer_merged))


def register_menu() -> None:
    def may_view(user) -> bool:
        return access.can(user, f"{MODULE}.view")

    navigation.register("activities", NavEntry(gettext_lazy("Activities"), "timeline:activity_list",
                                               visible=may_view), order=30)
    navigation.register("tasks", NavEntry(gettext_lazy("Tasks"), "timeline:my_tasks", visible=may_view), order=40)
    navigation.register("calendar", NavEntry(gettext_lazy("Calendar"), "timeline:calendar", visible=may_view),
                        order=50)
    navigation.register("inbox", NavEntry(
        gettext_lazy("Inbox"), "timeline:inbox", badge=lambda user: selectors.unread_count(user=user),
        badge_label=lambda count: ngettext("%(count)d unread", "%(count)d unread", count) % {"count": count},
    ), order=60)


def register_search() -> None:
    """Tasks are found by anyone whose scope reaches them through any of their owner paths.

    Activities are not in the search index yet: at ten million of them (the 1m demo) their text would
    lengthen every term list the customer searches read; they need an index partition of their own.
    """
    search.register(search.SearchType(
        name="task", label=gettext_lazy("Tasks"), model=Task, permission_module=MODULE,
        queryset=lambda: Task.objects.select_related("account", "contact"),
        title=lambda task: task.title, subtitle=_customer_and_date(lambda task: task.due_at),
        text=lambda task: [*search.field_values(task, ("description", "outcome")), *_customer_names(task),
                           *search.custom_values(task.custom)],
        url=lambda task: task.get_absolute_url(), follows=_follows_customers(Task),
    ), order=30)


def _customer_names(record) -> list[str]:
    return [str(customer) for customer in (record.account, record.contact) if customer is not None]


def _customer_and_date(moment):
    """The subtitle of a result: its customer and its day, in no one's language."""
    def subtitle(record) -> str:
        day = timezone.localdate(moment(record)).isoformat() if moment(record) else ""
        return " · ".join(filter(None, [*_customer_names(record)[:1], day]))
    return subtitle


def _follows_customers(model) -> tuple:
    """Re-indexed when their account or contact changes name or hands: they show both, and are visible to
    the account's owner."""
    return tuple(search.Follows(kind, lambda ids, field=f"{kind}_id__in": model.objects.filter(**{field: ids})
                                .values_list("pk", flat=True)) for kind in ("account", "contact"))


def timeline_section_context(actor, *, account=None, contact=None) -> dict:
    filters = selectors.TimelineFilters()
    departments, people = selectors.timeline_filter_options(actor=actor, account=account, contact=contact)
    return {
        "page": selectors.timeline_page(actor=actor, account=account, contact=contact, filters=filters, cursor=None),
        "filters": filters,
        "account": account, "contact": contact,
        "departments": departments, "people": people,
    }


@receiver(change_recorded)
def entries_follow_their_record_into_the_recycle_bin(sender, objects, action, **kwargs):
    if action in (ChangeAction.DELETED, ChangeAction.RESTORED):
        hide_events_of(sender, [record.pk for record in objects], hidden=action == ChangeAction.DELETED)


@receiver(change_recorded)
def important_changes_on_the_timeline(sender, actor, objects, action, changes_of, **kwargs):
    if action != ChangeAction.UPDATED or sender._meta.label not in important_changes:
        return
    important = important_changes.get(sender._meta.label)
    entries = []
    for record in objects:
        changed = {field: values for field, values in changes_of(record).items() if field in important.fields}
        if not changed:
            continue
        account, contact = important.customer_of(record)
        title = joined([_change(sender, field, old, new) for field, (old, new) in changed.items()], "; ")
        entries.append({"kind": "change", "title": title, "account": account, "contact": contact, "actor": actor,
                        "source": record, "url": record.get_absolute_url()})
    record_events(entries)


def _change(model, field: str, old, new) -> dict:
    return phrase(gettext_noop("%(field)s: %(old)s → %(new)s"), field=field_name(model, field),
                  old=_value(model, field, old), new=_value(model, field, new))


def _value(model, field: str, shown):
    """A value as history shows it (in the writer's language), kept as its choice where it is one, so that
    every reader reads the choice's label in their own language."""
    if shown in (None, ""):
        return "—"
    choices = {str(label): value for value, label in model._meta.get_field(field).flatchoices}
    return choice_label(model, field, choices[shown]) if shown in choices else shown
