"""A report's figures: the list's records within the reader's scope and filters, counted by group."""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rapport import access
from rapport.core.errors import NotFound
from rapport.core.filters import FilterField, Filters

from .registry import Report, reports

MAX_GROUPS = 50
EMPTY = "—"


@dataclass(frozen=True)
class Group:
    label: str
    values: list  # one per measure
    url: str  # the list, filtered to this group's records


@dataclass(frozen=True)
class ReportResult:
    report: Report
    filters: Filters
    query: str  # the filters, as the list writes them
    groups: list[Group]
    more: bool  # more groups than shown


def reports_for(actor) -> list[tuple[str, Report]]:
    return [(key, report) for key, report in reports.items() if _may_read(actor, report)]


def report_get(*, actor, key: str) -> Report:
    if key not in reports or not _may_read(actor, report := reports.get(key)):
        raise NotFound()
    return report


def report_result(*, actor, report: Report, query: QueryDict) -> ReportResult:
    """InvalidInput (from the list's own parser) names a filter that is wrong."""
    listing = report.pages.list
    filters = listing.parse(query)
    field = _group_field(report)
    grouped = (report.pages.operations.select(actor, filters).order_by().values(field.path)
               .annotate(**{measure.key: measure.aggregate() for measure in report.measures})
               .order_by(f"-{report.measures[0].key}", field.path))
    rows = list(grouped[:MAX_GROUPS + 1])
    first = report.measures[0].key
    rows.sort(key=lambda row: (-(row[first] or 0), row[field.path] in (None, "")))  # among equals, "none" last
    labels = _labels(report, field, [row[field.path] for row in rows])
    canonical = _canonical(filters)
    groups = [Group(label=labels.get(row[field.path], EMPTY),
                    values=[row[measure.key] for measure in report.measures],
                    url=_list_url(report, canonical, field, row[field.path])) for row in rows[:MAX_GROUPS]]
    return ReportResult(report=report, filters=filters, query=canonical.urlencode(), groups=groups,
                        more=len(rows) > MAX_GROUPS)


def shown(value) -> str:
    return EMPTY if value is None else number_format(value, force_grouping=True)


def _may_read(actor, report: Report) -> bool:
    return access.can(actor, f"{report.pages.permission}.view")


def _group_field(report: Report) -> FilterField:
    for field in report.pages.list.filter_fields():
        if field.name == report.group_by:
            return field
    raise LookupError(f"{report.title}: its list has no filter {report.group_by!r} to group by.")


def _labels(report: Report, field: FilterField, values: list) -> dict:
    """What each group is called: a choice's label, a related record's name, yes or no, or the text."""
    if field.kind == "relation":
        related = report.pages.type.model._meta.get_field(report.group_by).related_model
        return {record.pk: str(record) for record in related._base_manager.filter(pk__in=[v for v in values if v])}
    if field.kind == "choice":
        return {value: str(label) for value, label in field.choices}
    if field.kind == "bool":
        return {True: _("Yes"), False: _("No")}
    return {value: str(value) for value in values if value not in (None, "")}


def _canonical(filters: Filters) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in filters.as_query_items():
        if key not in ("sort", "cols"):
            query.appendlist(key, value)
    return query


def _list_url(report: Report, canonical: QueryDict, field: FilterField, value) -> str:
    query = canonical.copy()
    if value in (None, ""):
        query[f"{field.name}__empty"] = "yes"
    else:
        query[field.name] = "yes" if value is True else "no" if value is False else str(value)
    return f"{report.pages.url('list')}?{query.urlencode()}"
