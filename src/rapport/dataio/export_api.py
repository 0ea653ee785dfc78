"""API: export any list with its filters — the file at once when small, else a job to follow."""

from datetime import datetime
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from rapport import access
from rapport.core.errors import NotFound
from rapport.core.ids import RecordId
from rapport.core.schemas import answers

from . import exports
from .export_views import file_response
from .models import ExportJob

router = Router(tags=["exports"])

FileFormatParam = Annotated[Literal["csv", "xlsx", "docx", "vcf"], Query(alias="format")]
FILE_CONTENT = {file_format.content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for file_format in exports.FORMATS.values()}


class ExportJobOut(Schema):
    id: int
    entity: str
    format: str
    status: str
    waiting_for_worker: bool = Field(description="Queued for over a minute without a worker taking it up: "
                                                 "check that a task worker runs.")
    progress: int
    row_count: int
    filters: list[str]
    columns: list[str]
    created_at: datetime
    finished_at: datetime | None
    error: str
    status_url: str
    download_url: str | None

    @staticmethod
    def from_job(job: ExportJob) -> "ExportJobOut":
        return ExportJobOut(
            id=job.pk, entity=job.entity, format=job.file_format, status=job.status,
            waiting_for_worker=exports.waiting_for_worker(job), progress=job.progress,
            row_count=job.row_count, filters=[str(line) for line in job.filters_description],
            columns=[column.get("label", "") for column in job.columns], created_at=job.created_at,
            finished_at=job.finished_at, error=job.error,
            status_url=reverse("api:get_export", kwargs={"job_id": job.pk}),
            download_url=reverse("api:download_export", kwargs={"job_id": job.pk})
            if exports.is_downloadable(job) else None,
        )


@router.get(
    "/{entity}/export", response=answers({202: ExportJobOut}, 400, 403, 404),
    operation_id="export_list",
    summary="Export a list",
    openapi_extra={"responses": {"200": {"description": "The file, when the list is small.", "content": FILE_CONTENT}}},
)
def export_records(request, entity: str, file_format: FileFormatParam = "csv"):
    """Export `accounts` or `contacts` (vcf: contacts only) with the list's filters and sort, e.g.
    `/contacts/export?format=xlsx&account=12&sort=-birthday&cols=full_name,email`.

    Up to EXPORT_SYNC_LIMIT rows the answer is the file (200); beyond, 202 with a job whose
    `status_url` shows its progress and `download_url` the file once it is written.
    """
    job = exports.export_start(actor=request.auth, entity=entity, file_format=file_format, query=request.GET)
    if exports.is_downloadable(job):
        return file_response(job)
    return Status(202, ExportJobOut.from_job(job))


@router.get("/exports", response=answers({200: list[ExportJobOut]}), operation_id="list_exports")
def list_exports(request, limit: int = Query(50, ge=1, le=200)):
    """Your exports, newest first."""
    return [ExportJobOut.from_job(job) for job in exports.export_list(actor=request.auth)[:limit]]


@router.get("/exports/{int:job_id}", response=answers({200: ExportJobOut}, 404), operation_id="get_export",
            url_name="get_export")
def get_export(request, job_id: RecordId):
    return ExportJobOut.from_job(exports.export_get(actor=request.auth, job_id=job_id))


@router.get("/exports/{int:job_id}/download", response=answers({200: None}, 403, 404),
            operation_id="download_export",
            url_name="download_export",
            openapi_extra={"responses": {"200": {"description": "The file.", "content": FILE_CONTENT}}})
def download_export(request, job_id: RecordId):
    """The file of one of your finished exports (404 for anyone else's)."""
    job = exports.export_get(actor=request.auth, job_id=job_id)
    if not exports.is_downloadable(job):
        raise NotFound()
    access.require(request.auth, exports.exportable_for(job.entity).permission)
    return file_response(job)
