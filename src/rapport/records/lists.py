"""The columns a list of records can show."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Callable  # record -> display value
    sort: str = ""  # the sort key, when sortable
    loads: tuple[str, ...] = ()  # the fields value() reads, as only() paths; () = the field named `key`
    prefetch: str = ""  # a many-relation value() reads
