"""Report pages: the reports a user may read, and one report as a table and a chart (or a CSV file)."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.text import capfirst

from rapport.core.charts import Bar, bar_chart
from rapport.core.errors import InvalidInput
from rapport.core.http import domain_errors_as_http
from rapport.core.writers import CSV_CONTENT_TYPE, write_csv

from . import selectors


@login_required
def report_list(request):
    return render(request, "insights/report_list.html", {
        "reports": selectors.reports_for(request.user), "nav": "reports"})


@login_required
@domain_errors_as_http
def report_detail(request, key: str):
    report = selectors.report_get(actor=request.user, key=key)
    try:
        result = selectors.report_result(actor=request.user, report=report, query=_query(request, report))
    except InvalidInput as error:
        return render(request, "insights/report_detail.html", {
            "key": key, "report": report, "errors": error.fields, "nav": "reports"}, status=400)
    if request.GET.get("format") == "csv":
        return _csv(key, result)
    chart = bar_chart([Bar(label=group.label, value=float(group.values[0] or 0), shown=selectors.shown(group.values[0]),
                           url=group.url) for group in result.groups], title=str(report.title))
    return render(request, "insights/report_detail.html", {
        "key": key, "report": report, "result": result, "chart": chart, "nav": "reports",
        "rows": [(group, [(measure.label, selectors.shown(value))
                           for measure, value in zip(report.measures, group.values, strict=True)])
                 for group in result.groups],
        "group_label": _group_label(result), "max_groups": selectors.MAX_GROUPS,
    })


def _query(request, report) -> QueryDict:
    """The filters asked for; the report's own when none are."""
    asked = request.GET.copy()
    asked.pop("format", None)
    return asked if asked else QueryDict(report.query)


def _group_label(result) -> str:
    fields = {field.name: field for field in result.report.pages.list.filter_fields()}
    return capfirst(str(fields[result.report.group_by].label))


def _csv(key: str, result) -> HttpResponse:
    out = io.BytesIO()
    write_csv(out, [_group_label(result), *(str(m.label) for m in result.report.measures)],
              ([group.label, *group.values] for group in result.groups))
    response = HttpResponse(out.getvalue(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="report-{key}.csv"'
    return response
