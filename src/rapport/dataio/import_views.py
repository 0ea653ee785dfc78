"""Import pages: upload → columns and options (with a preview) → dry run → import → result and undo.
Every action is a call to `import_jobs`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.core.errors import DomainError, InvalidInput, Refused
from rapport.core.feedback import form_errors
from rapport.core.http import domain_errors_as_http, file_download

from . import import_files, import_jobs, jobs, undo
from .cells import DATE_FORMATS, NUMBER_FORMATS, cell_text
from .import_files import ENCODINGS, ImportFileError
from .imports import DUPLICATE_ACTIONS, ImportOptions, column_name, importable_for
from .job_views import job_context
from .models import Job

# A multipart body carries some headers besides the file.
MULTIPART_OVERHEAD = 64 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"),
                           help_text=gettext_lazy("CSV (UTF-8, GBK…) or Excel .xlsx; the first row names the columns."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}))
    encoding = forms.ChoiceField(label=gettext_lazy("Encoding of a CSV file"), required=False,
                                 choices=[("", gettext_lazy("Detect it")), *ENCODINGS.items()])


class MappingForm(forms.Form):
    """One select per column of the file, and the options."""

    encoding = forms.ChoiceField(label=gettext_lazy("Encoding"), required=False,
                                 choices=[("", gettext_lazy("Detect it")), *ENCODINGS.items()],
                                 help_text=gettext_lazy("If the preview shows garbled text, choose another one."))
    duplicate_key = forms.ChoiceField(label=gettext_lazy("Find duplicates by"), required=False)
    on_duplicate = forms.ChoiceField(label=gettext_lazy("When a row matches an existing record"),
                                     choices=list(DUPLICATE_ACTIONS.items()))
    date_format = forms.ChoiceField(label=gettext_lazy("Dates are written as"),
                                    choices=[(key, key) for key in DATE_FORMATS])
    number_format = forms.ChoiceField(label=gettext_lazy("Numbers are written as"),
                                      choices=[(key, key) for key in NUMBER_FORMATS])

    def __init__(self, *args, importable, header: list[str], samples: list[list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— do not import —"))] + [(f.key, capfirst(str(f.label))) for f in importable.fields()]
        self.columns = []
        for index in range(len(header)):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(label=column_name(header, index), choices=choices, required=False)
            self.columns.append((self[name], samples[index]))
        self.fields["duplicate_key"].choices = [("", _("Do not look for duplicates"))] + [
            (key, capfirst(str(duplicate.label))) for key, duplicate in importable.duplicate_keys.items()]

    def options(self) -> ImportOptions:
        data = self.cleaned_data
        return ImportOptions(columns=[data.get(f"column_{index}") or "" for index in range(len(self.columns))],
                             duplicate_key=data["duplicate_key"], on_duplicate=data["on_duplicate"],
                             date_format=data["date_format"], number_format=data["number_format"])


def _apply_errors(form: forms.Form, error: InvalidInput) -> None:
    form_errors(form, error.fields)
    if not error.fields:
        form.add_error(None, str(error.message))


@login_required
@domain_errors_as_http
def import_upload(request, entity: str):
    importable = importable_for(entity)
    import_jobs.require_import(request.user, importable)
    form = UploadForm()
    if request.method == "POST":
        # Refuse a file that is too large before Django reads the request body.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > import_files.max_bytes() + MULTIPART_OVERHEAD:
            limit = import_files.size_text(import_files.max_bytes())
            messages.error(request, _("The file is larger than %(limit)s, the most that can be imported. Split it "
                                      "into smaller files.") % {"limit": limit})
            return _upload_page(request, importable, form, status=413)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_jobs.import_upload(actor=request.user, entity=entity, upload=upload,
                                                filename=upload.name, encoding=form.cleaned_data["encoding"])
            except InvalidInput as error:
                _apply_errors(form, error)
            else:
                return redirect("dataio:import_mapping", job_id=job.pk)
        return _upload_page(request, importable, form, status=400)
    return _upload_page(request, importable, form)


def _upload_page(request, importable, form, status: int = 200):
    context = {"importable": importable, "form": form, "nav": importable.name,
               "list_url": reverse(importable.list_url_name), "fields": importable.fields(),
               "limit": import_files.size_text(import_files.max_bytes())}
    return render(request, "dataio/import_upload.html", context, status=status)


@login_required
@domain_errors_as_http
def import_mapping(request, job_id: int):
    job = import_jobs.import_get(actor=request.user, job_id=job_id)
    if not job.dry_run or jobs.is_working(job):
        return redirect("dataio:import_detail", job_id=job.pk)
    importable = importable_for(job.entity)
    options = ImportOptions.from_json(job.options)
    initial = {"encoding": job.encoding, "duplicate_key": options.duplicate_key, "on_duplicate": options.on_duplicate,
               "date_format": options.date_format, "number_format": options.number_format,
               **{f"column_{index}": key for index, key in enumerate(options.columns)}}
    status = 200
    if request.method == "POST":
        encoding = request.POST.get("encoding", "")
        if job.file_format == "csv" and encoding and encoding != job.encoding:
            # A different encoding changes what the preview shows: show it before checking anything.
            try:
                with import_jobs.local_path(job) as path:
                    job.encoding = import_files.inspect(path, chosen_encoding=encoding).encoding
                job.save(update_fields=["encoding"])
                messages.info(request, _("The preview now shows the file read as %(encoding)s. Check it and the "
                                         "columns, then run the check.") % {"encoding": ENCODINGS[job.encoding]})
            except ImportFileError as error:
                messages.error(request, str(error.message))
            return redirect("dataio:import_mapping", job_id=job.pk)
    try:
        inspection = import_jobs.preview(job)
    except ImportFileError as error:
        messages.error(request, str(error.message))
        return redirect("dataio:import_upload", entity=job.entity)
    except OSError:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("dataio:import_upload", entity=job.entity)
    samples = [[cell_text(cells[index]) if index < len(cells) else "" for _number, cells in
                inspection.preview[:3]] for index in range(len(job.header))]
    form = MappingForm(request.POST or None, initial=initial, importable=importable, header=job.header,
                       samples=samples)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                import_jobs.import_configure(actor=request.user, job=job, options=form.options())
                import_jobs.import_start(actor=request.user, job=job, dry_run=True)
            except InvalidInput as error:
                _apply_errors(form, error)
            except Refused as error:
                form.add_error(None, str(error.message))
            else:
                return redirect("dataio:import_detail", job_id=job.pk)
    context = {"job": job, "importable": importable, "form": form, "preview": inspection.preview,
               "header": job.header, "nav": importable.name, "encoding_label": ENCODINGS.get(job.encoding, "")}
    return render(request, "dataio/import_mapping.html", context, status=status)


@login_required
@domain_errors_as_http
def import_detail(request, job_id: int):
    """A job's progress while it runs (polled by htmx), then its results."""
    job = import_jobs.import_get(actor=request.user, job_id=job_id)
    if job.dry_run and job.enqueued_at is None:
        return redirect("dataio:import_mapping", job_id=job.pk)
    context = job_context(job)
    template = "dataio/import_detail.html#status" if request.htmx else "dataio/import_detail.html"
    return render(request, template, context)


@login_required
@require_POST
@domain_errors_as_http
def import_run(request, job_id: int):
    """Import for real what a dry run checked."""
    job = import_jobs.import_get(actor=request.user, job_id=job_id)
    try:
        real = import_jobs.import_start(actor=request.user, job=job, dry_run=False)
    except DomainError as error:
        messages.error(request, import_jobs.message_of(error))
        return redirect("dataio:import_detail", job_id=job.pk)
    return redirect("dataio:import_detail", job_id=real.pk)


@login_required
@require_POST
@domain_errors_as_http
def import_undo(request, job_id: int):
    job = import_jobs.import_get(actor=request.user, job_id=job_id)
    try:
        undo.import_undo(actor=request.user, job=job)
    except Refused as error:
        messages.error(request, import_jobs.message_of(error))
    else:
        messages.success(request, _("The import was undone: the records it created are in the recycle bin, and "
                                    "the records it updated have their previous values again."))
    return redirect("dataio:import_detail", job_id=job.pk)


@login_required
@domain_errors_as_http
def import_rejected(request, job_id: int):
    """The rejected rows with their reasons, to fix and import again — to the job's owner only."""
    return rejected_file_response(import_jobs.with_rejected_rows(actor=request.user, job_id=job_id))


def rejected_file_response(job: Job) -> FileResponse:
    return file_download(job.rejected_file, filename=import_jobs.rejected_download_name(job),
                         content_type="text/csv; charset=utf-8",
                         missing=_("The file of rejected rows is no longer available."))
