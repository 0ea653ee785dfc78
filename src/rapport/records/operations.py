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
