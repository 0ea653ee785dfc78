"""Export pages: start an export from a list, follow its progress, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.core.errors import InvalidInput
from rapport.core.feedback import flash_errors
from rapport.core.http import domain_errors_as_http, file_download

from . import exports, jobs
from .job_views import job_context
from .models import Job, JobKind


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
        return exported_file(job)
    messages.info(request, _("The export is being prepared. It can be downloaded here when it is ready."))
    return redirect("dataio:export_status", job_id=job.pk)


@login_required
@domain_errors_as_http
def export_status(request, job_id: int):
    context = job_context(jobs.job_get(actor=request.user, job_id=job_id, kind=JobKind.EXPORT))
    template = "dataio/export_status.html#progress" if request.htmx else "dataio/export_status.html"
    return render(request, template, context)


@login_required
@domain_errors_as_http
def export_download(request, job_id: int):
    """The file, to its owner only — never from a public URL — while they may still export that list."""
    return exported_file(exports.exported_file_of(actor=request.user, job_id=job_id))


def exported_file(job: Job) -> FileResponse:
    return file_download(job.file, filename=exports.download_name(job),
                         content_type=exports.FORMATS[job.file_format].content_type,
                         missing=_("This export's file is no longer available."))
