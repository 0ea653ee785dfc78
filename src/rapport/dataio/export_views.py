"""Export pages: start an export from a list, follow its progress, download it, see past exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport import access
from rapport.core.errors import InvalidInput
from rapport.core.feedback import flash_errors
from rapport.core.http import domain_errors_as_http
from rapport.core.pagination import Ordering, paginate

from . import exports
from .models import JobStatus

PER_PAGE = 50


@login_required
@domain_errors_as_http
def export_start(request, entity: str):
    """The list's export link: a small export downloads at once, a large one opens its status page."""
    exportable = exports.exportable_for(entity)
    file_format = request.GET.get("format", "csv")
    try:
        job = exports.export_start(actor=request.user, entity=entity, file_format=file_format, query=request.GET)
    except InvalidInput as error:
        flash_errors(request, error.fields)
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse(exportable.list_url_name)}?{query.urlencode()}")
    if exports.is_downloadable(job):
        return file_response(job)
    messages.info(request, _("The export is being prepared. It can be downloaded here when it is ready."))
    return redirect("dataio:export_status", job_id=job.pk)


@login_required
@domain_errors_as_http
def export_status(request, job_id: int):
    job = exports.export_get(actor=request.user, job_id=job_id)
    context = {"job": job, **_job_context(job), "nav": "exports"}
    template = "dataio/export_status.html#progress" if request.htmx else "dataio/export_status.html"
    return render(request, template, context)


@login_required
@domain_errors_as_http
def export_download(request, job_id: int):
    """The file, to its owner only — never from a public URL — while they may still export that list."""
    job = exports.export_get(actor=request.user, job_id=job_id)
    if not exports.is_downloadable(job):
        raise Http404(_("This export has no file to download."))
    access.require(request.user, exports.exportable_for(job.entity).permission)
    return file_response(job)


@login_required
def export_list(request):
    jobs = exports.export_list(actor=request.user)
    page = paginate(jobs, Ordering("created_at", descending=True), cursor=request.GET.get("cursor"),
                    per_page=PER_PAGE)
    rows = [(job, _job_context(job)) for job in page.rows]
    template = "dataio/export_list.html#results" if request.htmx else "dataio/export_list.html"
    return render(request, template, {"page": page, "rows": rows, "base_query": "", "nav": "exports"})


def file_response(job) -> FileResponse:
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("This export's file is no longer available.")) from error
    return FileResponse(handle, as_attachment=True, filename=exports.download_name(job),
                        content_type=exports.FORMATS[job.file_format].content_type)


def _job_context(job) -> dict:
    file_format = exports.FORMATS.get(job.file_format)
    list_url = ""
    if job.entity in exports.exportables:
        list_url = reverse(exports.exportables.get(job.entity).list_url_name)
        list_url = f"{list_url}?{QueryDict(job.query).urlencode()}" if job.query else list_url
    return {
        "title": exports.entity_title(job.entity),
        "format_label": file_format.label if file_format else job.file_format,
        "list_url": list_url,
        "downloadable": exports.is_downloadable(job),
        "working": job.status in (JobStatus.PENDING, JobStatus.RUNNING),
        "waiting_for_worker": exports.waiting_for_worker(job),
        "failed": job.status == JobStatus.FAILED,
    }
