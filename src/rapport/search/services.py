"""Every write to the search index. Domain services call these inside their own transaction.

`index(record)` and `index_many(model, ids)` bring the entries of records in line with the records:
a record the type's queryset no longer yields (soft-deleted, gone) loses its entry. Entries are
replaced with one DELETE and one bulk INSERT per batch, never row by row. An entry's holders are the
people and teams its access module's paths name (access.holders_of).
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef, QuerySet, prefetch_related_objects

from rapport import access
from rapport.core import bulk

from . import backends
from .models import SearchEntry
from .registry import SearchType, followers_of, search_types, type_for_model
from .tokens import document, holder_tokens

BATCH_SIZE = 5000
_TRACKED = ("title", "holders")  # what a follower's entry copies from this one


def index(record: Model) -> None:
    """Index one record (or drop its entry when it is deleted).

    Records whose type follows this one (contacts of an account) are re-indexed when its title or
    holders changed.
    """
    index_many(type(record), [record.pk])


def index_many(model: type[Model], ids: Iterable[int], *, followers: bool = True) -> int:
    """Index these records of `model` in batches; returns how many entries were written."""
    search_type = type_for_model(model)
    written = 0
    for batch in _batches(list(dict.fromkeys(ids)), BATCH_SIZE):
        records = list(search_type.queryset().filter(pk__in=batch))
        found = {record.pk for record in records}
        with transaction.atomic():  # a savepoint inside the caller's transaction, where it has one
            if missing := [pk for pk in batch if pk not in found]:
                _delete_entries(search_type, missing)
            written += _replace_entries(search_type, records, followers=followers)
    return written


def index_created(model: type[Model], records: list) -> int:
    """Entries for records just inserted, built from the objects in hand rather than read back (an import
    writes a million): a new record has no entry to replace and no other entry copies it yet. What the
    type reads of related records and is not loaded yet is read for the whole list, a query per relation."""
    search_type = type_for_model(model)
    prefetch_related_objects(records, *_what_entries_read(search_type.queryset()))
    entries = [entry_for(search_type, record) for record in records]
    _insert(entries)
    return len(entries)


def _what_entries_read(queryset: QuerySet) -> list[str]:
    """The relations a type's queryset joins and prefetches, as lookups ("account", "account__owner")."""
    def paths(joined: dict, prefix: str = "") -> list[str]:
        return [path for name, nested in joined.items()
                for path in [f"{prefix}{name}", *paths(nested, f"{prefix}{name}__")]]
    joined = queryset.query.select_related
    return [*(paths(joined) if isinstance(joined, dict) else []), *queryset._prefetch_related_lookups]


def rebuild(*, types: Sequence[str] | None = None, batch_size: int = BATCH_SIZE,
            progress: Callable[[SearchType, int, int], None] | None = None) -> dict[str, int]:
    """Re-index every record of the given types (all by default), batch by batch in key order.

    Each batch is its own transaction, so searches go on during a rebuild and an interrupted one
    can simply be run again. Entries of records that no longer exist are dropped at the end.
    """
    counts = {}
    for search_type in search_types:
        if types and search_type.name not in types:
            continue
        records = search_type.queryset().order_by("pk")
        total = records.prefetch_related(None).count()
        done, last_pk = 0, None
        if progress:
            progress(search_type, done, total)
        while True:
            batch_query = records if last_pk is None else records.filter(pk__gt=last_pk)
            with transaction.atomic():
                # Locked while indexed, so an edit saved meanwhile cannot be overwritten by an older copy.
                batch = list(batch_query.select_for_update(of=("self",))[:batch_size])
                if not batch:
                    break
                _replace_entries(search_type, batch, followers=False)
            done, last_pk = done + len(batch), batch[-1].pk
            if progress:
                progress(search_type, done, total)
        # NOT EXISTS, an anti-join: NOT IN over a million ids became a loop on PostgreSQL whenever the
        # ids did not fit in work_mem.
        live = search_type.queryset().select_related(None).prefetch_related(None).filter(pk=OuterRef("object_id"))
        with transaction.atomic():
            SearchEntry.objects.filter(type=search_type.name).filter(~Exists(live)).delete()
        counts[search_type.name] = done
    with connection.cursor() as cursor:
        backends.backend().index_rebuilt(cursor)
    return counts


# --- entries ----------------------------------------------------------------------------------


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def entry_for(search_type: SearchType, record) -> SearchEntry:
    title = str(search_type.title(record) or "")
    return SearchEntry(
        type=search_type.name, object_id=record.pk,
        title=title[:300], subtitle=str(search_type.subtitle(record) or "")[:300], url=search_type.url(record),
        holders=_holders(search_type, record),
        updated_at=search_type.updated_at(record),
        **vars(document(title=title, texts=search_type.text(record), phones=search_type.phones(record))),
    )


def _holders(search_type: SearchType, record) -> str:
    return " ".join(holder_tokens(search_type.name, *access.holders_of(record)))


def _replace_entries(search_type: SearchType, records: list, *, followers: bool) -> int:
    if not records:
        return 0
    ids = [record.pk for record in records]
    existing = SearchEntry.objects.filter(type=search_type.name, object_id__in=ids)
    before = {}
    following = followers_of(search_type.name) if followers else []
    if following:
        before = {row[0]: row[1:] for row in existing.values_list("object_id", *_TRACKED)}
    entries = [entry_for(search_type, record) for record in records]
    existing.delete()
    _insert(entries)
    if following:
        changed = [
            entry.object_id for entry in entries
            if entry.object_id in before and before[entry.object_id] != tuple(getattr(entry, f) for f in _TRACKED)
        ]
        if changed:
            for follower, follows in following:
                index_many(follower.model, list(follows.ids_for(changed)), followers=False)
    return len(entries)


def _insert(entries: list[SearchEntry]) -> None:
    """Insert entries, then have the backend file them in its full-text index, the whole list at once.
    (On SQLite `insert_many` gives them consecutive ids.)"""
    if not entries:
        return
    with transaction.atomic(savepoint=False):
        bulk.insert_many(SearchEntry, entries)
        with connection.cursor() as cursor:
            backends.backend().entries_inserted(cursor, entries[0].pk, entries[-1].pk)


def _delete_entries(search_type: SearchType, ids: list[int]) -> None:
    SearchEntry.objects.filter(type=search_type.name, object_id__in=ids).delete()
