"""How the shared pages and API routes reach one record type's selectors and services — declared once per
type, used by both."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordOperations:
    select: Callable  # (actor, filters) -> the scoped, filtered QuerySet of the list
    get: Callable  # (actor, id, action="view") -> the record, or NotFound
    create: Callable  # (actor, data, allow_duplicates) -> the new record
    update: Callable  # (actor, record, data, version) -> the saved record; StaleEdit for an old version
    delete: Callable  # (actor, record) -> the record, in the recycle bin


def by_convention(name: str, selectors, services, *, checks_duplicates: bool = False) -> RecordOperations:
    """The operations of a record type whose selectors and services are named as DESIGN.md asks:
    `<name>_list(*, actor, filters)`, `<name>_get(*, actor, <name>_id, action)`, `<name>_create(*, actor, data)`
    (and `allow_duplicates` where it `checks_duplicates`), `<name>_update(*, actor, <name>, data, version)`,
    `<name>_delete(*, actor, <name>)`."""
    select, get = getattr(selectors, f"{name}_list"), getattr(selectors, f"{name}_get")
    create, update, delete = (getattr(services, f"{name}_{action}") for action in ("create", "update", "delete"))

    def create_record(actor, data, allow_duplicates):
        duplicates = {"allow_duplicates": allow_duplicates} if checks_duplicates else {}
        return create(actor=actor, data=data, **duplicates)

    return RecordOperations(
        select=lambda actor, filters: select(actor=actor, filters=filters),
        get=lambda actor, pk, action="view": get(actor=actor, **{f"{name}_id": pk}, action=action),
        create=create_record,
        update=lambda actor, record, data, version: update(actor=actor, **{name: record}, data=data, version=version),
        delete=lambda actor, record: delete(actor=actor, **{name: record}),
    )
