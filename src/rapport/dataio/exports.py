"""Export of any list: the registry of exportable lists, and the service that writes their files.

A list registers what it is (title, the permission that exports it), how it parses its query string
and selects its rows — the list's own filters and selector, so scope, filters and order are the
list's — and which columns it shows, with typed values. `export_start` records every export as a
Job; small ones are written at once, larger ones (EXPORT_SYNC_LIMIT) by a task that updates
the job's progress.
"""

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport import access
from rapport.core import writers
from rapport.core.background import enqueue_on_commit
from rapport.core.errors import InvalidInput, NotFound
from rapport.core.filters import FilterField, Filters
from rapport.core.heartbeat import heartbeat
from rapport.core.registry import Registry

from . import jobs
from .models import Job, JobKind, JobStatus

CHUNK_SIZE = 2000
QUERY_LIMIT = 2000  # characters of the list's query string an export keeps
VCARD_PROPERTIES = ["FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "BDAY"]


def sync_limit() -> int:
    """Lists with more rows than this are exported by a background task."""
    return int(getattr(settings, "EXPORT_SYNC_LIMIT", 5000))


def docx_limit() -> int:
    """A Word report is for reading; longer lists are refused with a pointer to XLSX or CSV."""
    return int(getattr(settings, "EXPORT_DOCX_LIMIT", 20000))


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: str | Promise
    extension: str
    content_type: str


FORMATS = {
    "csv": FileFormat("csv", gettext_lazy("CSV (Excel, any spreadsheet)"), "csv", writers.CSV_CONTENT_TYPE),
    "xlsx": FileFormat("xlsx", gettext_lazy("Excel workbook (.xlsx)"), "xlsx", writers.XLSX_CONTENT_TYPE),
    "docx": FileFormat("docx", gettext_lazy("Word report (.docx)"), "docx", writers.DOCX_CONTENT_TYPE),
    "vcf": FileFormat("vcf", gettext_lazy("vCard (.vcf)"), "vcf", writers.VCF_CONTENT_TYPE),
}
TABLE_FORMATS = ("csv", "xlsx", "docx")


@dataclass(frozen=True)
class ExportColumn:
    key: str
    label: str | Promise
    value: Callable[[Any], Any]  # record -> a typed value for the writers (see core.writers)


@dataclass(frozen=True)
class Exportable:
    """A list that can be exported: its own filters, selector and columns."""

    title: str | Promise
    permission: str  # e.g. "customers.export"
    list_url_name: str  # e.g. "customers:contact_list"
    parse_filters: Callable[[QueryDict], Filters]
    select: Callable[[Any, Filters], QuerySet]  # (actor, filters) -> the list's scoped, filtered rows
    columns: Callable[[Filters], list[ExportColumn]]  # the columns the list shows, in its order
    filter_fields: Callable[[], list[FilterField]]  # to name the sort in the description
    # (rows, column keys, format) -> the same rows loading only what the file shows
    narrow: Callable[[QuerySet, list[str], str], QuerySet] | None = None
    vcard: Callable[[Any], writers.VCard] | None = None  # for lists of people

    @property
    def formats(self) -> tuple[str, ...]:
        return (*TABLE_FORMATS, "vcf") if self.vcard else TABLE_FORMATS


exportables: Registry[Exportable] = Registry("export entities")


def register(name: str, exportable: Exportable, *, order: int = 100) -> Exportable:
    """Make a list exportable as /data/exports/<name>/start and /api/v1/<name>/export."""
    return exportables.register(name, exportable, order=order)


def exportable_for(entity: str) -> Exportable:
    if entity not in exportables:
        raise NotFound()
    return exportables.get(entity)


def entity_title(entity: str) -> str:
    return str(exportables.get(entity).title) if entity in exportables else entity


def formats_for(actor, entity: str) -> list[FileFormat]:
    """The formats `actor` may export `entity` in: none without the permission."""
    if entity not in exportables:
        return []
    exportable = exportables.get(entity)
    if not access.can(actor, exportable.permission):
        return []
    return [FORMATS[key] for key in exportable.formats]


# --- reads ---------------------------------------------------------------------------------------


def download_name(job: Job) -> str:
    return f"{job.entity}-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.{FORMATS[job.file_format].extension}"


def is_downloadable(job: Job) -> bool:
    return job.status == JobStatus.DONE and bool(job.file)


def exported_file_of(*, actor, job_id) -> Job:
    """The actor's finished export, while they may still export that list; NotFound for anyone else's or
    one without a file, PermissionDenied once their role lost the export permission."""
    job = jobs.job_get(actor=actor, job_id=job_id, kind=JobKind.EXPORT)
    if not is_downloadable(job):
        raise NotFound(_("This export has no file to download."))
    access.require(actor, exportable_for(job.entity).permission)
    return job


# --- starting and running ------------------------------------------------------------------------


def export_start(*, actor, entity: str, file_format: str, query: QueryDict) -> Job:
    """Record an export of the list `entity` as `query` selects it; write it now when it is small.

    Raises NotFound (no such list), PermissionDenied (no export permission) or InvalidInput.
    """
    exportable = exportable_for(entity)
    access.require(actor, exportable.permission)
    if file_format not in exportable.formats:
        names = ", ".join(exportable.formats)
        raise InvalidInput(fields={"format": [_("Choose one of: %(choices)s.") % {"choices": names}]})
    filters = exportable.parse_filters(query)
    canonical = _canonical_query(filters)
    if len(canonical) > QUERY_LIMIT:
        raise InvalidInput(fields={"query": [_("These filters are too long to export; use fewer.")]})
    limit = sync_limit()
    counted_to = max(limit, docx_limit()) if file_format == "docx" else limit
    total = exportable.select(actor, filters).order_by()[: counted_to + 1].count()
    if file_format == "docx" and total > docx_limit():
        most = formats.number_format(docx_limit(), force_grouping=True)
        message = _("A Word report holds at most %(limit)s rows. Narrow the filters, or export to Excel or CSV.")
        raise InvalidInput(fields={"format": [message % {"limit": most}]})
    columns = _columns(exportable, filters, file_format)
    job = Job(kind=JobKind.EXPORT, user=actor, entity=entity, file_format=file_format, options={
        "query": canonical, "filters": _describe(exportable, filters),
        "columns": [{"key": column.key, "label": _label(column)} for column in columns]})
    if total > limit:
        jobs.enqueued(job)
        job.save()
        enqueue_on_commit("rapport.dataio.tasks.run_export", job_id=job.pk)
        return job
    job.save()
    return _write(job, exportable, filters, columns, total=total, report_progress=False)


def export_run(*, job_id: int) -> Job:
    """Write a recorded export (the task's work), as its user, with the filters it was started with."""
    job = Job.objects.select_related("user").get(pk=job_id, kind=JobKind.EXPORT)
    if job.status not in jobs.WORKING:
        return job
    try:
        exportable = exportable_for(job.entity)
        access.require(job.user, exportable.permission)
        filters = exportable.parse_filters(QueryDict(job.options["query"]))
        columns = _columns(exportable, filters, job.file_format)
        job.status, job.progress, job.heartbeat_at = JobStatus.RUNNING, 0, timezone.now()
        job.save(update_fields=["status", "progress", "heartbeat_at"])
        total = exportable.select(job.user, filters).order_by().count()
    except Exception as error:
        jobs.fail(job, error)
        raise
    with heartbeat(jobs.running(job.pk)):
        return _write(job, exportable, filters, columns, total=total, report_progress=True)


def _write(job: Job, exportable: Exportable, filters: Filters, columns: list[ExportColumn], *,
           total: int, report_progress: bool) -> Job:
    actor = job.user
    with translation.override(actor.language or translation.get_language() or settings.LANGUAGE_CODE):
        try:
            records = exportable.select(actor, filters)
            if exportable.narrow is not None:
                records = exportable.narrow(records, [column.key for column in columns], job.file_format)
            records = filters.ordering.order_by(records)
            progress = _Progress(job, total) if report_progress else None
            file_format = FORMATS[job.file_format]
            with tempfile.TemporaryFile() as scratch:
                count = _write_file(scratch, job, exportable, columns, records, total, progress)
                scratch.seek(0)
                job.file.save(f"{job.entity}.{file_format.extension}", File(scratch), save=False)
        except Exception as error:
            jobs.fail(job, error)
            raise
    job.status, job.progress, job.total_rows, job.finished_at = JobStatus.DONE, 100, count, timezone.now()
    job.error = ""
    unfinished = Job.objects.filter(pk=job.pk, status__in=jobs.WORKING)
    if not unfinished.update(status=job.status, progress=job.progress, total_rows=count, file=job.file.name,
                             finished_at=job.finished_at, error=""):
        job.file.delete(save=False)  # given up as stalled while it was written: its owner was told to export again
        job.refresh_from_db()
    return job


def _write_file(out, job: Job, exportable: Exportable, columns: list[ExportColumn], records: QuerySet,
                total: int, progress) -> int:
    if job.file_format == "vcf":
        return writers.write_vcf(out, (exportable.vcard(record) for record in _stream(records, progress)))
    labels = [_label(column) for column in columns]
    rows = ([column.value(record) for column in columns] for record in _stream(records, progress))
    if job.file_format == "csv":
        return writers.write_csv(out, labels, rows)
    title = capfirst(str(exportable.title))
    if job.file_format == "xlsx":
        return writers.write_xlsx(out, labels, rows, title=title)
    return writers.write_docx(out, labels, rows, title=title, lines=_report_lines(job, total))


def _stream(records: QuerySet, progress) -> Iterator:
    """The rows in chunks: a 100,000-row export holds one chunk in memory, not the list."""
    for index, record in enumerate(records.iterator(chunk_size=CHUNK_SIZE), start=1):
        yield record
        if progress is not None and index % CHUNK_SIZE == 0:
            progress(index)


class _Progress:
    """Writes the job's percentage as rows go out, at most once per percent."""

    def __init__(self, job: Job, total: int):
        self.job, self.total, self.shown = job, total, 0

    def __call__(self, done: int) -> None:
        percent = jobs.percent(done, self.total)
        if percent > self.shown:
            self.shown = percent
            Job.objects.filter(pk=self.job.pk).update(progress=percent, heartbeat_at=timezone.now())


def _columns(exportable: Exportable, filters: Filters, file_format: str) -> list[ExportColumn]:
    if file_format == "vcf":
        return [ExportColumn(name, name, lambda record: None) for name in VCARD_PROPERTIES]
    return exportable.columns(filters)


def _label(column: ExportColumn) -> str:
    return capfirst(str(column.label))


def _canonical_query(filters: Filters) -> str:
    query = QueryDict(mutable=True)
    for key, value in filters.as_query_items():
        query.appendlist(key, value)
    return query.urlencode()


def _describe(exportable: Exportable, filters: Filters) -> list[str]:
    """The filters in words, for the report and the history page; the sort last."""
    lines = [str(line) for line in filters.describe()] or [_("No filters (every record you may see)")]
    labels = {field.name: field.label for field in exportable.filter_fields()}
    name = filters.sort.removeprefix("-")
    if name in labels:
        template = _("Sorted by %(field)s, descending") if filters.sort.startswith("-") else \
            _("Sorted by %(field)s, ascending")
        lines.append(template % {"field": labels[name]})
    return lines


def _report_lines(job: Job, total: int) -> list[str]:
    lines = [_("Filters and sort: %(filters)s") % {"filters": "; ".join(job.options["filters"])}]
    when = formats.date_format(timezone.localtime(job.created_at), "DATETIME_FORMAT")
    lines.append(_("Exported on %(date)s by %(author)s") % {"date": when, "author": job.user})
    lines.append(ngettext("%(count)d record", "%(count)d records", total) % {"count": total})
    return lines
