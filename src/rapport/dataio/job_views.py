"""The history of one's imports and exports on one page, and what each job shows wherever it is listed."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.core.errors import InvalidInput
from rapport.core.pagination import Ordering, paginate

from . import exports, import_jobs, jobs
from .imports import importables
from .models import Job, JobKind, JobStatus

PER_PAGE = 50


@login_required
def job_list(request):
    """Every import and export of the user, newest first; `?kind=import` or `export` for one kind."""
    kind = request.GET.get("kind", "")
    if kind and kind not in JobKind.values:
        raise Http404(_("Choose imports or exports."))
    try:
        page = paginate(jobs.jobs_of(request.user, kind), Ordering("created_at", descending=True),
                        cursor=request.GET.get("cursor"), per_page=PER_PAGE)
    except InvalidInput:  # a damaged page link: start from the first page
        return redirect(f"{reverse('dataio:job_list')}?kind={kind}" if kind else reverse("dataio:job_list"))
    context = {"page": page, "rows": [job_context(job) for job in page.rows], "kind": kind,
               "kinds": JobKind.choices, "base_query": f"kind={kind}" if kind else "", "nav": "data"}
    template = "dataio/job_list.html#results" if request.htmx else "dataio/job_list.html"
    return render(request, template, context)


def job_context(job: Job) -> dict:
    """What a page or a row shows of a job: its state, its records and list, its own page and its file."""
    details = _import_details(job) if job.is_import else _export_details(job)
    return {"job": job, "working": jobs.is_working(job), "waiting_for_worker": jobs.waiting_for_worker(job),
            "failed": job.status == JobStatus.FAILED, **details}


def _import_details(job: Job) -> dict:
    if job.entity not in importables:  # a module no longer installed: its history still shows
        return {"title": job.entity, "nav": "data", "list_url": "", "may_undo": False,
                "page_url": reverse("dataio:import_detail", args=[job.pk]), "download_url": ""}
    importable = importables.get(job.entity)
    return {
        "importable": importable, "title": importable.label, "nav": importable.name,
        "list_url": reverse(importable.list_url_name), "may_undo": import_jobs.may_undo(job),
        "page_url": reverse("dataio:import_detail", args=[job.pk]),
        "download_url": reverse("dataio:import_rejected", args=[job.pk]) if job.rejected_file else "",
    }


def _export_details(job: Job) -> dict:
    file_format = exports.FORMATS.get(job.file_format)
    list_url, query = "", job.options.get("query", "")
    if job.entity in exports.exportables:
        list_url = reverse(exports.exportables.get(job.entity).list_url_name)
        list_url = f"{list_url}?{QueryDict(query).urlencode()}" if query else list_url
    downloadable = exports.is_downloadable(job)
    return {
        "title": exports.entity_title(job.entity), "nav": "data",
        "format_label": file_format.label if file_format else job.file_format, "list_url": list_url,
        "page_url": reverse("dataio:export_status", args=[job.pk]), "downloadable": downloadable,
        "download_url": reverse("dataio:export_download", args=[job.pk]) if downloadable else "",
    }
