"""API: import a CSV or .xlsx file of accounts or contacts, follow the job, read its rejected rows, undo it."""

import json
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from rapport.core.errors import DomainError, InvalidInput, NotFound
from rapport.core.ids import RecordId
from rapport.core.schemas import answers

from . import import_jobs, undo
from .import_views import rejected_file_response
from .imports import ImportOptions, importable_for, mapping_from_headers
from .models import ImportJob

router = Router(tags=["imports"])


class RejectedRowOut(Schema):
    row: int
    reason: str


class ImportJobOut(Schema):
    id: int
    entity: str
    file: str
    dry_run: bool
    status: str
    waiting_for_worker: bool = Field(description="Queued for over a minute without a worker taking it up: "
                                                 "check that a task worker runs.")
    progress: int
    total_rows: int
    created: int
    updated: int
    skipped: int
    rejected: int
    rejected_rows: list[RejectedRowOut]
    columns: dict[str, str]
    options: dict
    error: str
    created_at: datetime
    finished_at: datetime | None
    undone_at: datetime | None
    status_url: str
    rejected_file_url: str | None

    @staticmethod
    def from_job(job: ImportJob) -> "ImportJobOut":
        options = dict(job.options)
        columns = options.pop("columns", [])
        return ImportJobOut(
            id=job.pk, entity=job.entity, file=job.original_filename, dry_run=job.dry_run, status=job.status,
            waiting_for_worker=import_jobs.waiting_for_worker(job),
            progress=job.progress, total_rows=job.total_rows, created=job.created_count, updated=job.updated_count,
            skipped=job.skipped_count, rejected=job.rejected_count,
            rejected_rows=[RejectedRowOut(**row) for row in job.rejected_sample],
            columns={name or str(index + 1): key for index, (name, key) in enumerate(zip(job.header, columns,
                                                                                         strict=False)) if key},
            options=options, error=job.error, created_at=job.created_at, finished_at=job.finished_at,
            undone_at=job.undone_at, status_url=reverse("api:get_import", kwargs={"job_id": job.pk}),
            rejected_file_url=reverse("api:import_rejected_rows", kwargs={"job_id": job.pk})
            if job.rejected_file else None,
        )


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


@router.post("/imports", response=answers({202: ImportJobOut}, 400, 403, 404, 409),
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
    return Status(202, ImportJobOut.from_job(job))


@router.get("/imports", response=answers({200: list[ImportJobOut]}), operation_id="list_imports")
def list_imports(request, limit: int = Query(50, ge=1, le=200)):
    """Your imports (not dry runs), newest first."""
    return [ImportJobOut.from_job(job) for job in import_jobs.import_list(actor=request.auth)[:limit]]


@router.get("/imports/{int:job_id}", response=answers({200: ImportJobOut}, 404), operation_id="get_import",
            url_name="get_import")
def get_import(request, job_id: RecordId):
    """One of your imports or dry runs: status, progress, counts and the first rejected rows (404 for anyone
    else's)."""
    return ImportJobOut.from_job(import_jobs.import_get(actor=request.auth, job_id=job_id))


@router.get("/imports/{int:job_id}/rejected", response=answers({200: None}, 404),
            operation_id="import_rejected_rows", url_name="import_rejected_rows",
            openapi_extra={"responses": {"200": {"description": "CSV: the original columns and a reason.",
                                                 "content": {"text/csv": {"schema": {"type": "string",
                                                                                     "format": "binary"}}}}}})
def rejected_rows(request, job_id: RecordId):
    """All rejected rows as CSV (UTF-8 with BOM), to fix and import again."""
    job = import_jobs.import_get(actor=request.auth, job_id=job_id)
    if not job.rejected_file:
        raise NotFound()
    return rejected_file_response(job)


@router.post("/imports/{int:job_id}/undo",
             response=answers({200: ImportJobOut}, 400, 403, 404, 409),
             operation_id="undo_import")
def undo_import(request, job_id: RecordId):
    """Undo an import while nothing newer depends on it (409 with the reason otherwise)."""
    job = import_jobs.import_get(actor=request.auth, job_id=job_id)
    return ImportJobOut.from_job(undo.import_undo(actor=request.auth, job=job))

