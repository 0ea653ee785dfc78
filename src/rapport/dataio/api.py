"""API: import a file, export a list, and follow either as a job of the same shape — its progress, its
file, its rejected rows, its undo."""

import json
from datetime import datetime
from typing import Annotated, Literal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from rapport.core.errors import DomainError, InvalidInput
from rapport.core.ids import RecordId
from rapport.core.schemas import answers

from . import exports, import_jobs, jobs, undo
from .export_views import exported_file
from .import_views import rejected_file_response
from .imports import ImportOptions, importable_for, mapping_from_headers
from .models import Job, JobKind

router = Router(tags=["imports and exports"])

FileFormatParam = Annotated[Literal["csv", "xlsx", "docx", "vcf"], Query(alias="format")]
FILE_CONTENT = {file_format.content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for file_format in exports.FORMATS.values()}
CSV_CONTENT = {"text/csv": {"schema": {"type": "string", "format": "binary"}}}


class ColumnOut(Schema):
    name: str = Field(description="The file's column header (import) or the exported column's label.")
    field: str = Field(description="The field the column holds.")


class RejectedRowOut(Schema):
    row: int
    reason: str


class JobOut(Schema):
    id: int
    kind: Literal["import", "export"]
    entity: str
    format: str
    file: str = Field(description="The uploaded file's name (import) or the download's name (export).")
    status: str
    waiting_for_worker: bool = Field(description="Queued for over a minute without a worker taking it up: "
                                                 "check that a task worker runs.")
    progress: int
    rows: int = Field(description="Rows in the uploaded file (import) or written to the file (export).")
    columns: list[ColumnOut]
    filters: list[str] = Field(description="An export's filters and sort, in words.")
    options: dict = Field(description="An import's duplicate key and action, date and number formats.")
    dry_run: bool
    created: int
    updated: int
    skipped: int
    rejected: int
    rejected_rows: list[RejectedRowOut] = Field(description="An import's first rejected rows, with the reason.")
    error: str
    created_at: datetime
    finished_at: datetime | None
    undone_at: datetime | None
    status_url: str
    download_url: str | None = Field(description="An export's file, once it is written.")
    rejected_file_url: str | None = Field(description="All of an import's rejected rows, as CSV.")

    @staticmethod
    def from_job(job: Job) -> "JobOut":
        options = dict(job.options)
        if job.is_import:
            mapped = zip(job.header, options.pop("columns", []), strict=False)
            columns = [ColumnOut(name=name or str(index + 1), field=key)
                       for index, (name, key) in enumerate(mapped) if key]
            filters, file = [], job.original_filename
        else:
            columns = [ColumnOut(name=column.get("label", ""), field=column.get("key", ""))
                       for column in options.pop("columns", [])]
            filters, file, options = options.get("filters", []), exports.download_name(job), {}
        return JobOut(
            id=job.pk, kind=job.kind, entity=job.entity, format=job.file_format, file=file, status=job.status,
            waiting_for_worker=jobs.waiting_for_worker(job), progress=job.progress, rows=job.total_rows,
            columns=columns, filters=[str(line) for line in filters], options=options, dry_run=job.dry_run,
            created=job.created_count, updated=job.updated_count, skipped=job.skipped_count,
            rejected=job.rejected_count, rejected_rows=[RejectedRowOut(**row) for row in job.rejected_sample],
            error=job.error, created_at=job.created_at, finished_at=job.finished_at, undone_at=job.undone_at,
            status_url=reverse("api:get_job", kwargs={"job_id": job.pk}),
            download_url=reverse("api:job_file", kwargs={"job_id": job.pk})
            if exports.is_downloadable(job) and not job.is_import else None,
            rejected_file_url=reverse("api:job_rejected_rows", kwargs={"job_id": job.pk})
            if job.rejected_file else None,
        )


# --- starting a job -------------------------------------------------------------------------------------


@router.get(
    "/{entity}/export", response=answers({202: JobOut}, 400, 403, 404),
    operation_id="export_list",
    summary="Export a list",
    openapi_extra={"responses": {"200": {"description": "The file, when the list is small.", "content": FILE_CONTENT}}},
)
def export_records(request, entity: str, file_format: FileFormatParam = "csv"):
    """Export `accounts`, `contacts` or another list registered for export (vcf: contacts only) with the list's
    filters and sort, e.g. `/contacts/export?format=xlsx&account=12&sort=-birthday&cols=full_name,email`.

    Up to EXPORT_SYNC_LIMIT rows the answer is the file (200); beyond, 202 with a job whose
    `status_url` shows its progress and `download_url` the file once it is written.
    """
    job = exports.export_start(actor=request.auth, entity=entity, file_format=file_format, query=request.GET)
    if exports.is_downloadable(job):
        return exported_file(job)
    return Status(202, JobOut.from_job(job))


def _json_object(text: str, field: str) -> dict:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidInput(fields={field: [_('Send a JSON object, e.g. {"Email": "email"}.')]})
    return value


@router.post("/imports", response=answers({202: JobOut}, 400, 403, 404, 409),
             operation_id="create_import", summary="Import a file")
def create_import(request, entity: Form[str], file: File[UploadedFile], mapping: Form[str] = "",
                  options: Form[str] = "", dry_run: Form[bool] = False):
    """Import `accounts` or `contacts` from a CSV (UTF-8, GBK/GB18030, …) or .xlsx file (multipart).

    - `mapping`: JSON `{"column header or number": "field"}`; without it, columns are mapped by their
      header names (English or Chinese, e.g. 姓名, 手机, 邮箱). Unmapped columns are not imported.
    - `options`: JSON with `duplicate_key` (email, phone, external_id, name), `on_duplicate` (skip,
      update, create), `date_format` (e.g. "DD/MM/YYYY"), `number_format` ("1,234.56" or "1.234,56"),
      `encoding` (e.g. "gbk"; detected when left out).
    - `dry_run`: check every row and count what would happen, without writing.

    The job runs in the background: follow it at `status_url`; rejected rows come with their row
    number and reason.
    """
    importable = importable_for(entity)
    chosen = _json_object(options, "options")
    wanted_columns = _json_object(mapping, "mapping")
    import_jobs.require_import(request.auth, importable)
    job = import_jobs.import_upload(actor=request.auth, entity=entity, upload=file, filename=file.name or "",
                                    encoding=str(chosen.get("encoding") or ""), dry_run=dry_run)
    try:
        with transaction.atomic():
            suggested = ImportOptions.from_json(job.options)
            columns = mapping_from_headers(importable, job.header, wanted_columns) if wanted_columns \
                else suggested.columns
            job_options = ImportOptions(
                columns=columns, duplicate_key=str(chosen.get("duplicate_key") or chosen.get("duplicates") or ""),
                on_duplicate=str(chosen.get("on_duplicate") or "skip"),
                date_format=str(chosen.get("date_format") or suggested.date_format),
                number_format=str(chosen.get("number_format") or suggested.number_format),
            )
            import_jobs.import_configure(actor=request.auth, job=job, options=job_options)
            job = import_jobs.import_start(actor=request.auth, job=job, dry_run=dry_run)
    except DomainError:
        job.file.delete(save=False)
        job.delete()
        raise
    return Status(202, JobOut.from_job(job))


# --- following a job --------------------------------------------------------------------------------------


@router.get("/jobs", response=answers({200: list[JobOut]}), operation_id="list_jobs")
def list_jobs(request, kind: Literal["import", "export"] | None = None, limit: int = Query(50, ge=1, le=200)):
    """Your imports and exports (not an import's dry runs), newest first; `kind` for one of them."""
    return [JobOut.from_job(job) for job in jobs.jobs_of(request.auth, kind or "")[:limit]]


@router.get("/jobs/{int:job_id}", response=answers({200: JobOut}, 404), operation_id="get_job", url_name="get_job")
def get_job(request, job_id: RecordId):
    """One of your imports, import checks or exports: status, progress, counts (404 for anyone else's)."""
    return JobOut.from_job(jobs.job_get(actor=request.auth, job_id=job_id))


@router.get("/jobs/{int:job_id}/file", response=answers({200: None}, 403, 404), operation_id="job_file",
            url_name="job_file",
            openapi_extra={"responses": {"200": {"description": "The exported file.", "content": FILE_CONTENT}}})
def job_file(request, job_id: RecordId):
    """The file of one of your finished exports, while you may still export that list (404 for anyone else's)."""
    return exported_file(exports.exported_file_of(actor=request.auth, job_id=job_id))


@router.get("/jobs/{int:job_id}/rejected", response=answers({200: None}, 404),
            operation_id="job_rejected_rows", url_name="job_rejected_rows",
            openapi_extra={"responses": {"200": {"description": "CSV: the original columns and a reason.",
                                                 "content": CSV_CONTENT}}})
def rejected_rows(request, job_id: RecordId):
    """All rows an import rejected, as CSV (UTF-8 with BOM), to fix and import again."""
    return rejected_file_response(import_jobs.with_rejected_rows(actor=request.auth, job_id=job_id))


@router.post("/jobs/{int:job_id}/undo", response=answers({200: JobOut}, 400, 403, 404, 409),
             operation_id="undo_import")
def undo_import(request, job_id: RecordId):
    """Undo an import while nothing newer depends on it (409 with the reason otherwise)."""
    job = jobs.job_get(actor=request.auth, job_id=job_id, kind=JobKind.IMPORT)
    return JobOut.from_job(undo.import_undo(actor=request.auth, job=job))
