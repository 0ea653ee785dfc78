"""What modules add to the customer timeline: their event types (deal moved, ticket opened…), how each
renders, and which changes of their records are part of the customer's story."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.registry import Registry


@dataclass(frozen=True)
class EventType:
    name: str  # stored in TimelineEntry.kind, e.g. "activity.call"
    label: str | Promise
    group: str  # what the timeline's type filter offers, e.g. "activity", "task", "deal"
    icon: str = "•"
    is_customer_contact: bool = False  # counts as "last contact" (call, visit, meeting, email)
    # A template fragment for more than the title and detail (a deal's stages, a ticket's reply), given
    # `entry`; it renders inside the entry, below its title line.
    template: str = ""


@dataclass(frozen=True)
class EventGroup:
    name: str
    label: str | Promise


@dataclass(frozen=True)
class ImportantChanges:
    """Changes to these fields of a record are a line on its customer's timeline, not only its history."""

    fields: frozenset[str]
    customer_of: Callable  # record -> (account, contact) whose timelines show the line


event_types: Registry[EventType] = Registry("timeline event types")
event_groups: Registry[EventGroup] = Registry("timeline event groups")
important_changes: Registry[ImportantChanges] = Registry("important changes")  # by model label


@dataclass(frozen=True)
class InboxLink:
    """A link at the top of the inbox to another module's page of things to deal with (incoming email)."""

    label: str | Promise
    url_name: str
    icon: str = ""


inbox_links: Registry[InboxLink] = Registry("inbox links")


def register_event_type(event_type: EventType, *, order: int = 100) -> EventType:
    return event_types.register(event_type.name, event_type, order=order)


def register_event_group(group: EventGroup, *, order: int = 100) -> EventGroup:
    return event_groups.register(group.name, group, order=order)


def event_type(name: str) -> EventType:
    if name in event_types:
        return event_types.get(name)
    return EventType(name=name, label=name, group="other")


def register_own_event_types() -> None:
    for order, (name, label) in enumerate([
        ("activity", _("Activities")), ("task", _("Tasks")), ("comment", _("Comments")),
        ("email", _("Emails")), ("change", _("Changes")),
    ]):
        register_event_group(EventGroup(name, label), order=order)
    for name, label, icon, contact in [
        ("activity.call", _("Call"), "☎", True),
        ("activity.visit", _("Visit"), "📍", True),
        ("activity.meeting", _("Meeting"), "👥", True),
        ("activity.email", _("Email"), "✉", True),
        ("activity.note", _("Note"), "📝", False),
    ]:
        register_event_type(EventType(name, label, "activity", icon, contact), order=10)
    register_event_type(EventType("email.in", _("Email received"), "email", "📨", True), order=20)
    register_event_type(EventType("email.out", _("Email sent"), "email", "📤", True), order=20)
    register_event_type(EventType("task.created", _("Task planned"), "task", "☐"), order=30)
    register_event_type(EventType("task.completed", _("Task done"), "task", "☑"), order=30)
    register_event_type(EventType("comment", _("Comment"), "comment", "💬"), order=40)
    register_event_type(EventType("change", _("Changed"), "change", "✎"), order=50)
