"""Writing the timeline: one call per thing that happened, from any module."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import TimelineEntry
from .registry import event_type


def department_of(user) -> str:
    if user is None:
        return ""
    return user.department or (user.team.department if user.team_id else "")


def record_event(*, kind: str, title, account=None, contact=None, actor=None, occurred_at=None,
                 detail="", source: models.Model | None = None, url: str = "") -> TimelineEntry:
    """Add one line to the timelines of `account` and `contact`; `kind` is a registered event type.

    `title` and `detail` are what someone typed (text) or generated words (core.phrases), which every
    reader reads in their own language."""
    return TimelineEntry.objects.create(**_entry_fields(
        kind=kind, title=title, account=account, contact=contact, actor=actor, occurred_at=occurred_at,
        detail=detail, source=source, url=url,
    ))


def record_events(entries: list[dict]) -> None:
    """Many lines in one INSERT; each dict takes record_event's keyword arguments."""
    TimelineEntry.objects.bulk_create(TimelineEntry(**_entry_fields(**entry)) for entry in entries)


def _entry_fields(*, kind, title, account=None, contact=None, actor=None, occurred_at=None, detail="",
                  source=None, url="") -> dict:
    return {
        "kind": kind, **_texts(title, detail), "account": account, "contact": contact,
        "actor": actor if actor is not None and actor.is_authenticated else None,
        "department": department_of(actor) if actor is not None and actor.is_authenticated else "",
        "occurred_at": occurred_at or timezone.now(),
        "is_customer_contact": event_type(kind).is_customer_contact,
        "source_type": ContentType.objects.get_for_model(source) if source is not None else None,
        "source_id": source.pk if source is not None else None,
        "url": url or (source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""),
    }


def update_events_of(source: models.Model, *, title, detail, **fields) -> None:
    if "kind" in fields:
        fields["is_customer_contact"] = event_type(fields["kind"]).is_customer_contact
    _events_of(source).update(**_texts(title, detail), **fields)


def _texts(title, detail) -> dict:
    """The columns of a title and a detail: typed text as it is, generated words in `words`."""
    typed = {"title": title[:300] if isinstance(title, str) else "",
             "detail": detail if isinstance(detail, str) else ""}
    generated = {key: value for key, value in (("title", title), ("detail", detail)) if not isinstance(value, str)}
    return {**typed, "words": generated}


def hide_events_of(model: type[models.Model], ids: list[int], *, hidden: bool = True) -> None:
    """Take the entries of these records off the timelines while they are in the recycle bin (or put them back)."""
    TimelineEntry.all_entries.filter(source_type=ContentType.objects.get_for_model(model), source_id__in=ids).update(
        source_deleted=hidden)


def _events_of(source: models.Model):
    return TimelineEntry.all_entries.filter(source_type=ContentType.objects.get_for_model(source),
                                            source_id=source.pk)
