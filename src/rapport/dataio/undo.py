"""Undoing an import: what it created goes to the recycle bin, what it updated gets its previous values —
only while nothing changed those records or came to depend on them since."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import Conflict, Refused

from .imports import importable_for
from .jobs import is_working
from .models import Job, JobStatus

UNDO_CHUNK = 1000


def import_undo(*, actor, job: Job) -> Job:
    """Take an import back: what it created goes to the recycle bin, what it updated gets its previous
    values — only while nothing changed those records or came to depend on them since."""
    if job.dry_run:
        raise Conflict(_("A dry run changed nothing; there is nothing to undo."))
    if job.status == JobStatus.UNDONE:
        raise Conflict(_("This import has already been undone."))
    if is_working(job):
        raise Conflict(_("Wait until the import has finished."))
    importable = importable_for(job.entity)
    records = job.records.order_by("pk")
    created = list(records.filter(created=True).values_list("object_id", "version_after"))
    updated = list(records.filter(created=False).values_list("object_id", "version_after", "before"))
    _refuse_if_changed(importable, [(pk, version) for pk, version in created]
                       + [(pk, version) for pk, version, _before in updated])
    _refuse_if_depended_on(importable, job, [pk for pk, _version in created])
    with transaction.atomic():
        for start in range(0, len(updated), UNDO_CHUNK):
            chunk = updated[start:start + UNDO_CHUNK]
            current = importable.live([pk for pk, _v, _b in chunk]).in_bulk()
            for pk, version, before in chunk:
                importable.restore_updated(actor, current[pk], before, version)
        for start in range(0, len(created), UNDO_CHUNK):
            ids = [pk for pk, _version in created[start:start + UNDO_CHUNK]]
            if importable.delete_created(actor, ids) != len(ids):
                raise Refused(_("You may not delete some of the records this import created, so it cannot be "
                                "undone. Ask someone who may."))
        job.status, job.undone_at, job.undone_by = JobStatus.UNDONE, timezone.now(), actor
        job.save(update_fields=["status", "undone_at", "undone_by"])
    return job


def _refuse_if_changed(importable, expected: list[tuple[int, int]]) -> None:
    changed = []
    for start in range(0, len(expected), UNDO_CHUNK):
        chunk = dict(expected[start:start + UNDO_CHUNK])
        current = dict(importable.live(list(chunk)).values_list("pk", "version"))
        changed += [pk for pk, version in chunk.items() if current.get(pk) != version]
        if len(changed) >= 5:
            break
    if changed:
        names = _names(importable, changed[:5])
        raise Conflict(_("This import cannot be undone: %(records)s changed after it (edited, deleted or imported "
                        "again). Change them back by hand instead.") % {"records": names})


def _refuse_if_depended_on(importable, job: Job, created: list[int]) -> None:
    """Refuse when records added since point at what the import created (e.g. a contact under an imported
    account) — in any module, through any foreign key."""
    created_set = set(created)
    for relation in importable.model._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        related = relation.related_model._base_manager
        for start in range(0, len(created), UNDO_CHUNK):
            chunk = created[start:start + UNDO_CHUNK]
            rows = related.filter(**{f"{relation.field.name}__in": chunk})
            if relation.related_model is importable.model:
                rows = rows.exclude(pk__in=created_set)
            blocked = list(rows.values_list(relation.field.attname, flat=True)[:5])
            if blocked:
                raise Conflict(_("This import cannot be undone: %(records)s now have %(related)s added after the "
                                "import.") % {"records": _names(importable, blocked),
                                              "related": relation.related_model._meta.verbose_name_plural})


def _names(importable, ids: list[int]) -> str:
    records = importable.live(sorted(set(ids))).in_bulk()
    return ", ".join(f"“{records[pk]}” (#{pk})" if pk in records else f"#{pk}" for pk in sorted(set(ids)))
