"""Reads every record type shares."""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from rapport import access
from rapport.core.remembered import remembered

from .models import SavedView
from .registry import RecordType


def record_lookup(*, actor, record_type: RecordType, text: str, limit: int = 10) -> QuerySet:
    """Records of `record_type` with `text` in one of its lookup fields, within the actor's scope — for pickers."""
    fields = record_type.lookup_fields
    matches = reduce(or_, (Q(**{f"{field}__icontains": text}) for field in fields))
    records = access.visible_to(actor, record_type.model.objects.filter(matches))
    if record_type.hint_loads:
        records = records.select_related(*record_type.hint_loads)
    return records.order_by(fields[0], "id")[:limit]


def saved_views_of(actor, entity: str) -> list[SavedView]:
    return remembered(actor, f"saved views of {entity}", lambda: list(
        SavedView.objects.filter(user=actor, entity=entity)))


def people_to_assign(actor) -> list[tuple[int, str]]:
    """(id, name) of every active user, for a list's "assign owner"; kept with the actor's other facts, as
    adding, renaming or deactivating anyone renews every stamp (directory.signals)."""
    return remembered(actor, "active people", _active_people)


def _active_people() -> list[tuple[int, str]]:
    user_model = get_user_model()
    people = user_model.objects.filter(is_active=True).only("id", *user_model.NAME_FIELDS).order_by("username")
    return [(person.pk, str(person)) for person in people]
