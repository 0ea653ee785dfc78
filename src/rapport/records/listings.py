"""What one record type's list is: its filters, columns, default sort and columns, quick search and
names — declared once, used by its HTML list, its API list and its export. Custom fields join
the filters and columns by themselves. The quick search (`q=`) is the search module's, where the type
is indexed: every field, phone fragments, Chinese substrings, through the index."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from rapport.core.filters import FilterField, Filters, parse_filters
from rapport.search import registry as search_registry
from rapport.search import selectors as search_selectors

from . import custom_fields
from .lists import Column


@dataclass(frozen=True)
class RecordList:
    record_type_key: str
    model_filter_fields: Callable[[], tuple[FilterField, ...]]  # the model's own, built once (functools.cache)
    model_columns: Callable[[], tuple[Column, ...]]  # the same
    default_sort: str
    default_columns: tuple[str, ...]
    name_fields: tuple[str, ...]  # what str(record) reads: loaded on every row
    text_search: Callable[[QuerySet, str], QuerySet] | None = None  # the list's `q=` where search does not index it

    def filter_fields(self) -> list[FilterField]:
        return [*self.model_filter_fields(), *custom_fields.filter_fields(self.record_type_key)]

    def columns(self) -> list[Column]:
        return [*self.model_columns(), *custom_fields.columns(self.record_type_key)]

    def parse(self, query) -> Filters:
        """The list's filters, sort and columns from a query string; InvalidInput naming what is wrong."""
        return parse_filters(query, self.filter_fields(), default_sort=self.default_sort,
                             default_columns=list(self.default_columns),
                             column_keys={column.key for column in self.columns()})

    def apply(self, records: QuerySet, filters: Filters) -> QuerySet:
        return filters.apply(records, self._text_search(records.model))

    def _text_search(self, model) -> Callable[[QuerySet, str], QuerySet]:
        if search_registry.indexes(model):
            return search_selectors.matching
        if self.text_search is None:
            raise LookupError(f"{self.record_type_key}: not in the search index, so its list needs a text_search.")
        return self.text_search
