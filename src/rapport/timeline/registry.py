"""What modules add to the customer timeline: their event types (deal moved, ticket opened…), how each
renders, and which changes of their records are part of the customer's story."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.icons import icons
from rapport.core.registry import Registry

# What the timeline's entries and buttons show, stroked on a 24 × 24 box (rapport.core.icons).
TIMELINE_ICONS = {
    "call": "M6 3h3l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v3a3 3 0 0 1-3 3A15 15 0 0 1 3 6a3 3 0 0 1 3-3z",
    "visit": "M12 21s-7-6-7-11a7 7 0 0 1 14 0c0 5-7 11-7 11zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
    "meeting": "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20a6 6 0 0 1 12 0M16.5 11a2.5 2.5 0 1 0 0-5M17 14.5a5 5 0 0 1 4 5",
    "email": "M3 6h18v12H3zM3 7l9 6 9-6",
    "email-in": "M4 5h16l1 8v6H3v-6zM3 13h5l2 3h4l2-3h5",
    "email-out": "M21 3 10 14M21 3l-6 18-5-7-7-5z",
    "note": "M6 3h9l4 4v14H6zM14 3v5h5M9 13h6M9 17h6",
    "task": "M5 4h14v16H5z",
    "task-done": "M5 4h14v16H5zM8.5 12.5l2.5 2.5 4.5-5.5",
    "comment": "M4 5h16v11H10l-5 4v-4H4z",
    "change": "M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4",
    "attachment": "M20 11.5l-7.8 7.8a5 5 0 0 1-7-7L13 4.5a3.3 3.3 0 0 1 4.7 4.7l-7.6 7.6a1.7 1.7 0 0 1-2.4-2.4l7-7",
}


@dataclass(frozen=True)
class EventType:
    name: str  # stored in TimelineEntry.kind, e.g. "activity.call"
    label: str | Promise
    group: str  # what the timeline's type filter offers, e.g. "activity", "task", "deal"
    icon: str = "dot"  # a name in rapport.core.icons
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
    icon: str = ""  # a name in rapport.core.icons, or none


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
        ("activity.call", _("Call"), "call", True),
        ("activity.visit", _("Visit"), "visit", True),
        ("activity.meeting", _("Meeting"), "meeting", True),
        ("activity.email", _("Email"), "email", True),
        ("activity.note", _("Note"), "note", False),
    ]:
        register_event_type(EventType(name, label, "activity", icon, contact), order=10)
    register_event_type(EventType("email.in", _("Email received"), "email", "email-in", True), order=20)
    register_event_type(EventType("email.out", _("Email sent"), "email", "email-out", True), order=20)
    register_event_type(EventType("task.created", _("Task planned"), "task", "task"), order=30)
    register_event_type(EventType("task.completed", _("Task done"), "task", "task-done"), order=30)
    register_event_type(EventType("comment", _("Comment"), "comment", "comment"), order=40)
    register_event_type(EventType("change", _("Changed"), "change", "change"), order=50)
    for name, path in TIMELINE_ICONS.items():
        icons.register(name, path)
