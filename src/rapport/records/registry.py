"""The record types: each module declares its kinds of record here, from its AppConfig.ready().

A record type is what custom fields, saved views, bulk actions, the record picker and the shared
list/detail/form and API scaffolding know a model by.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.utils.functional import Promise

from rapport.core.registry import Registry


@dataclass(frozen=True)
class RecordType:
    key: str  # "account": stored with custom field definitions and saved views; never renamed
    model: type[Model]
    label: str | Promise  # one record, lower case: "account"
    plural: str | Promise  # a list's heading: "Accounts"
    permission_module: str  # the access module whose grants apply: "customers"
    lookup_fields: tuple[str, ...] = ("name",)  # what the record picker matches typed text in; sorted by the first
    hint: Callable = lambda record: ""  # record -> what the picker shows beside its name: "Shanghai"
    hint_loads: tuple[str, ...] = ()  # the relations hint() reads, loaded with the matches


record_types: Registry[RecordType] = Registry("record types")


def register_record_type(record_type: RecordType, *, order: int = 100) -> RecordType:
    return record_types.register(record_type.key, record_type, order=order)


def record_type(key: str) -> RecordType:
    return record_types.get(key)


def record_type_of(model: type[Model]) -> RecordType:
    for candidate in record_types:
        if candidate.model is model:
            return candidate
    raise LookupError(f"{model._meta.label} is not a registered record type.")
