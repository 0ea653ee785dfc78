"""Reports: each module registers definitions over its record lists — which records (the list's filters),
grouped by which field, measured how — and gets a table, a chart whose bars link to the records behind
them, and a CSV of the table."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Aggregate, Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.registry import Registry
from rapport.records.pages import RecordPages


@dataclass(frozen=True)
class Measure:
    key: str
    label: str | Promise
    aggregate: Callable[[], Aggregate]  # () -> Count("id"), Sum("employees")


RECORDS = Measure("records", _("records"), lambda: Count("id"))


@dataclass(frozen=True)
class Report:
    title: str | Promise
    pages: RecordPages  # whose records: their list's filters and scope, and the list each bar links to
    group_by: str  # a filter of that list (a choice, text, yes/no or relation field)
    measures: tuple[Measure, ...] = (RECORDS,)  # the chart shows the first
    query: str = ""  # the filters it starts with, written as in the list: "status=open"


reports: Registry[Report] = Registry("reports")


def register_report(key: str, report: Report, *, order: int = 100) -> Report:
    return reports.register(key, report, order=order)
