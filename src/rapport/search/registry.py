"""Which records are searchable: each module registers its record types here from its AppConfig.ready().

A type says how to read a record's title, subtitle, text and phones and where it lives (url). Who
may find it follows from its access module's owner and team paths — the same as `access.visible_to`
applies — and what it `follows`: the types whose changes change its entry (a contact shows its
account's name and is visible to its account's owner).
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from rapport.core.registry import Registry

TYPE_NAME = re.compile(r"^[a-z][a-z0-9]{0,29}$")  # also a token in the SQLite index: letters and digits only


def _nothing(record) -> Iterable[str]:
    return ()


def _updated_at(record):
    return record.updated_at


@dataclass(frozen=True)
class Follows:
    """A type whose title or holders this type's entries copy: when those change, they are re-indexed."""

    type: str  # "account"
    ids_for: Callable[[Sequence[int]], Iterable[int]]  # (ids of changed records of `type`) -> ids of this type


@dataclass(frozen=True)
class SearchType:
    name: str  # "account": lower-case letters and digits
    label: str | Promise  # the heading of its results, plural: "Accounts"
    model: type[Model]
    permission_module: str  # results need "<module>.view" within the user's scope
    queryset: Callable[[], QuerySet]  # the records that belong in the index, with what the functions need joined
    title: Callable[[Any], str]
    subtitle: Callable[[Any], str]
    text: Callable[[Any], Iterable[str]]  # every searchable value, custom fields included
    url: Callable[[Any], str]
    phones: Callable[[Any], Iterable[str]] = _nothing
    updated_at: Callable[[Any], Any] = _updated_at
    follows: tuple[Follows, ...] = ()


search_types: Registry[SearchType] = Registry("search types")


def register(search_type: SearchType, *, order: int = 100) -> SearchType:
    if not TYPE_NAME.match(search_type.name):
        raise ValueError(f"Search type {search_type.name!r}: use lower-case letters and digits.")
    return search_types.register(search_type.name, search_type, order=order)


def followers_of(name: str) -> list[tuple[SearchType, Follows]]:
    """The types whose entries copy something of type `name`."""
    return [(search_type, follows) for search_type in search_types for follows in search_type.follows
            if follows.type == name]


def indexes(model: type[Model]) -> bool:
    """Does the index hold records of `model`?"""
    return any(search_type.model is model or issubclass(model, search_type.model) for search_type in search_types)


def type_for_model(model: type[Model]) -> SearchType:
    for search_type in search_types:
        if search_type.model is model or issubclass(model, search_type.model):
            return search_type
    raise LookupError(f"{model._meta.label} is not a registered search type.")


# --- helpers for a type's `text` and `phones` ---------------------------------------------------

_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}$")


def field_values(record, names: Iterable[str]) -> list[str]:
    """The non-empty values of these fields, as text."""
    return [str(value) for name in names if (value := getattr(record, name)) not in (None, "")]


def custom_values(custom: dict | None) -> list[str]:
    """The values of a record's custom fields, as text (yes/no values say nothing worth finding)."""
    values = []
    for value in (custom or {}).values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item not in (None, "") and not isinstance(item, bool):
                values.append(str(item))
    return values


def phone_like(values: Iterable[str]) -> list[str]:
    """Those values that look like phone numbers, e.g. a custom "fax" field."""
    return [value for value in values if _PHONE_LIKE.match(value)]
