"""The writes every kind of record shares, whatever its module: the locked, versioned update, the soft
delete and the restore — each with its history row, its access check and its search entry.

A module's services do their own validation and side effects around these.
"""

from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access
from rapport.audit import history
from rapport.audit.history import ChangeAction
from rapport.audit.recycle_bin import Recyclable
from rapport.core.errors import Conflict, InvalidInput
from rapport.core.remembered import forget_about
from rapport.search import registry as search_registry
from rapport.search import services as search_index

from .models import SavedView
from .tags import link_tags

SAVED_ON_DELETE = ["deleted_at", "deleted_by", "version", "updated_at"]


def require(actor, action: str, record: models.Model) -> None:
    """Refuse `action` ("edit", "delete") on `record` unless granted; as not found to those who may not see it."""
    module, _scoped = access.module_for_model(type(record))
    hidden = not access.can(actor, f"{module.name}.view", record)
    access.require(actor, f"{module.name}.{action}", record, hide=hidden)


def records_created(*, actor, model: type[models.Model], records: list) -> None:
    """What every new record gets once saved, whoever made it: a history row with its values, and its
    search entry."""
    created = {record.pk: history.diff({}, history.snapshot(record)) for record in records}
    history.record_many(actor=actor, objects=records, action=ChangeAction.CREATED,
                        changes_of=lambda record: created[record.pk])
    if search_registry.indexes(model):
        search_index.index_created(model, records)


def record_update[M: models.Model](*, actor, record: M, version: int | None, change: Callable[[M], None]) -> M:
    """Edit `record` as it is now, locked until the transaction ends: `change(current)` sets and validates its
    fields (raising InvalidInput writes nothing). A `version` other than the current one is a StaleEdit.
    Saved with a new version, a history row and its search entry when anything changed."""
    require(actor, "edit", record)
    with transaction.atomic():
        current = history.lock_for_edit(type(record), pk=record.pk, version=version)
        before = history.snapshot(current)
        change(current)
        changes = history.diff(before, history.snapshot(current))
        if not changes:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        history.record(actor=actor, obj=current, action=ChangeAction.UPDATED, changes=changes)
        _follow_in_search(type(current), [current.pk])
    return current


def record_delete[M: models.Model](*, actor, record: M, note: str = "") -> M:
    """Move `record` to the recycle bin; everything linked to it stays, to come back with it."""
    require(actor, "delete", record)
    with transaction.atomic():
        record.deleted_at, record.deleted_by = timezone.now(), actor
        record.version += 1
        record.save(update_fields=SAVED_ON_DELETE)
        history.record(actor=actor, obj=record, action=ChangeAction.DELETED, note=note)
        _follow_in_search(type(record), [record.pk])
    return record


def records_delete(*, actor, model: type[models.Model], ids: Iterable[int]) -> int:
    """Move those of these records the actor may delete to the recycle bin; returns how many."""
    records = list(access.visible_to(actor, model.objects.filter(pk__in=list(ids)), "delete"))
    with transaction.atomic():
        _bump(model, records, deleted_at=timezone.now(), deleted_by=actor)
        history.record_many(actor=actor, objects=records, action=ChangeAction.DELETED, changes_of=lambda _r: {})
        _follow_in_search(model, [record.pk for record in records])
    return len(records)


def records_assign_owner(*, actor, model: type[models.Model], ids: Iterable[int], owner) -> int:
    """Give those of these records the actor may edit to `owner`; returns how many."""
    module, _scoped = access.module_for_model(model)
    if not owner.is_active or not access.may_assign_owner(actor, f"{module.name}.edit", owner):
        raise InvalidInput(fields={"owner": [_("You cannot give records to this person.")]})
    records = list(_editable(actor, model, ids).select_related("owner"))
    previous = {record.pk: str(record.owner) for record in records}
    with transaction.atomic():
        _bump(model, records, owner=owner)
        history.record_many(actor=actor, objects=records, action=ChangeAction.UPDATED,
                            changes_of=lambda record: {"owner": [previous[record.pk], str(owner)]})
        _follow_in_search(model, [record.pk for record in records])
    return len(records)


def records_add_tag(*, actor, model: type[models.Model], ids: Iterable[int], tag_name: str) -> int:
    """Tag those of these records the actor may edit; returns how many."""
    if not tag_name.strip():
        raise InvalidInput(fields={"tag": [_("Enter a tag.")]})
    records = list(_editable(actor, model, ids))
    with transaction.atomic():
        link_tags(model, records, [[tag_name]] * len(records))
        _bump(model, records)
        history.record_many(actor=actor, objects=records, action=ChangeAction.UPDATED,
                            changes_of=lambda record: {"tags": ["", f"+ {tag_name.strip()[:50]}"]})
        _follow_in_search(model, [record.pk for record in records])
    return len(records)


def records_reassign(*, actor, model: type[models.Model], field: str, source, target) -> int:
    """Point `field` of every record of `model` naming `source` at `target` instead — binned ones too, so they
    come back in the right place — with a new version and a history row each, and their search entries.
    What a module registers to do with its records when two customers merge."""
    records = list(model._base_manager.filter(**{field: source}))
    if not records:
        return 0
    with transaction.atomic():
        _bump(model, records, **{field: target})
        history.record_many(actor=actor, objects=records, action=ChangeAction.UPDATED,
                            changes_of=lambda _record: {field: [str(source), str(target)]})
        _follow_in_search(model, [record.pk for record in records])
    return len(records)


def _editable(actor, model: type[models.Model], ids: Iterable[int]) -> models.QuerySet:
    return access.visible_to(actor, model.objects.filter(pk__in=list(ids)), "edit")


def _bump(model: type[models.Model], records: list, **changes) -> None:
    model._base_manager.filter(pk__in=[record.pk for record in records]).update(
        version=models.F("version") + 1, updated_at=timezone.now(), **changes)


def record_restore[M: models.Model](*, actor, record: M) -> M:
    """Bring a record back from the recycle bin, with everything still linked to it."""
    module, _scoped = access.module_for_model(type(record))
    access.require(actor, f"{module.name}.delete", record, hide=True)
    if record.deleted_at is None:
        raise Conflict(_("This record is not in the recycle bin."))
    with transaction.atomic():
        record.deleted_at, record.deleted_by = None, None
        record.version += 1
        record.save(update_fields=SAVED_ON_DELETE)
        history.record(actor=actor, obj=record, action=ChangeAction.RESTORED)
        _follow_in_search(type(record), [record.pk])
    return record


def recyclable(model: type[models.Model], label) -> Recyclable:
    """The recycle bin's view of a record type: its deleted rows the actor may restore, and how."""
    return Recyclable(
        label=label,
        deleted_for=lambda actor: access.visible_to(
            actor, model.all_objects.filter(deleted_at__isnull=False), "delete").select_related("deleted_by"),
        restore=lambda actor, record: record_restore(actor=actor, record=record),
        url_of=lambda record: record.get_absolute_url(),
    )


def _follow_in_search(model: type[models.Model], ids: list[int]) -> None:
    """Bring the search entries of these records in line (a deleted record loses its entry)."""
    if ids and search_registry.indexes(model):
        search_index.index_many(model, ids)


# --- saved views ----------------------------------------------------------------------------------
# A user's own, remembered with their other facts (selectors.saved_views_of): each write renews the stamp.


def saved_view_save(*, actor, entity: str, name: str, query: str) -> SavedView:
    """Keep the list's filters under `name` (replacing a view of that name)."""
    with transaction.atomic():
        view, _created = SavedView.objects.update_or_create(user=actor, entity=entity, name=name,
                                                            defaults={"query": query[:2000]})
        forget_about(actor)
    return view


def saved_view_delete(*, actor, entity: str, view_id: int) -> None:
    with transaction.atomic():
        SavedView.objects.filter(user=actor, entity=entity, pk=view_id).delete()
        forget_about(actor)
