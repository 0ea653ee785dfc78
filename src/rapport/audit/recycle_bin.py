"""The recycle bin: modules register which deleted records it lists and how to restore them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from rapport.core.registry import Registry


@dataclass(frozen=True)
class Recyclable:
    label: str | Promise
    deleted_for: Callable[..., QuerySet]  # (actor) -> deleted rows the actor may restore
    restore: Callable[..., object]  # (actor, obj) -> restored obj
    url_of: Callable[[object], str]


recyclables: Registry[Recyclable] = Registry("recycle bin")
