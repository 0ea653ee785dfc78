"""Recording and reading the change history of business records."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.dispatch import Signal
from django.utils.translation import get_language

from rapport.core import bulk
from rapport.core.errors import NotFound, StaleEdit

from .models import Change, ChangeAction

# Sent after history rows are written: (actor, objects, action, changes_of) — the timeline listens.
change_recorded = Signal()

SYSTEM_FIELDS = {"id", "version", "created_at", "updated_at", "created_by", "deleted_at", "deleted_by", "custom"}


def display_value(obj: models.Model, field: models.Field) -> str:
    """What a person reads for one field's value: choice labels, related names, not raw ids."""
    if field.many_to_many:
        return ", ".join(sorted(str(item) for item in getattr(obj, field.name).all()))
    if field.is_relation:
        related = getattr(obj, field.name)
        return "" if related is None else str(related)
    value = field.value_from_object(obj)
    if field.choices:
        return str(_choice_labels(field, get_language()).get(value, value))
    return "" if value is None else str(value)


@functools.cache
def _choice_labels(field: models.Field, language: str | None) -> dict:
    """A field's labels by value in one language, worked out once: Django's get_FOO_display() builds and
    hashes the whole list of lazy labels on every call (70 µs, a third of an imported row's history)."""
    return {value: str(label) for value, label in field.flatchoices}


@functools.cache
def _edited_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.get_fields()
                 if (field.concrete or field.many_to_many) and not field.auto_created
                 and field.name not in SYSTEM_FIELDS)


def snapshot(obj: models.Model, custom_values: dict | None = None) -> dict[str, str]:
    """Every field a person edits, as displayed; custom fields under "custom.<key>"."""
    values = {field.name: display_value(obj, field) for field in _edited_fields(type(obj))}
    for key, value in (custom_values if custom_values is not None else getattr(obj, "custom", {})).items():
        values[f"custom.{key}"] = "" if value is None else str(value)
    return values


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        key: [before.get(key, ""), after.get(key, "")]
        for key in sorted(set(before) | set(after))
        if before.get(key, "") != after.get(key, "")
    }


def record(*, actor, obj: models.Model, action: str, changes: dict | None = None, note: str = "") -> Change:
    change = Change.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk, actor=actor if actor and actor.is_authenticated else None, action=action,
        version=getattr(obj, "version", None), changes=changes or {}, note=note[:300],
    )
    change_recorded.send(sender=type(obj), actor=change.actor, objects=[obj], action=action,
                         changes_of=lambda _obj: change.changes)
    return change


def record_many(*, actor, objects, action: str, changes_of, note: str = "") -> None:
    """One history row per object in a single INSERT; `changes_of(obj)` gives each diff."""
    objects = list(objects)
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=False)
    bulk.insert_many(Change, [
        Change(content_type=content_type, object_id=obj.pk, actor=actor, action=action,
               version=getattr(obj, "version", None), changes=changes_of(obj), note=note[:300])
        for obj in objects
    ])
    change_recorded.send(sender=type(objects[0]), actor=actor, objects=objects, action=action, changes_of=changes_of)


def history_of(obj: models.Model):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return Change.objects.filter(content_type=content_type, object_id=obj.pk).select_related("actor")


def changes_since(obj: models.Model, version: int):
    """The changes made after `version`: what a stale editor missed."""
    return history_of(obj).filter(version__gt=version).order_by("at", "id")


def lock_for_edit[M: models.Model](model: type[M], *, pk, version: int | None) -> M:
    """The record, locked until the transaction ends, if it is still at `version` (None: whatever version it
    is at now, read under the lock, so that concurrent edits of other fields never refuse each other).
    A record changed since is a StaleEdit naming what the editor missed; a gone one is NotFound."""
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None:
        raise NotFound()
    if version is not None and current.version != version:
        raise StaleEdit(current, changes=list(changes_since(current, version)))
    return current


__all__ = ["ChangeAction", "changes_since", "diff", "history_of", "lock_for_edit", "record", "record_many",
           "snapshot"]
