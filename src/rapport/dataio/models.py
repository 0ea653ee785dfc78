"""Jobs that move data in or out: who imported or exported which records, when, how much, and the files
involved. Imports and exports are one model, so they share one life (waiting, running with a heartbeat,
done or failed), one history page and one API shape; what only an import has is blank on an export."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    entity = models.CharField(_("records"), max_length=50)
    file_format = models.CharField(_("format"), max_length=10)  # csv, xlsx; exports also docx, vcf
    file = models.FileField(upload_to="data/%Y/%m/", blank=True)  # the uploaded file, or the exported one
    original_filename = models.CharField(_("file"), max_length=255, blank=True)  # as uploaded
    # An import's columns, duplicate key and action, date and number formats; an export's query string
    # (filters, sort, columns), its filters in words and its columns.
    options = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    total_rows = models.PositiveIntegerField(_("rows"), default=0)  # in the uploaded file; written to the export
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)  # when its run was handed to the task worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the run's last sign of life (see jobs.py)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    # Imports only.
    encoding = models.CharField(max_length=20, blank=True)
    header = models.JSONField(default=list)  # the file's column names, as read at upload
    dry_run = models.BooleanField(_("dry run"), default=False)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    rejected_sample = models.JSONField(default=list)  # the first rejected rows: [{"row": n, "reason": ...}]
    rejected_file = models.FileField(upload_to="data/rejected/%Y/%m/", blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("import or export")
        verbose_name_plural = _("imports and exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="dataio_jobs_of_user")]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity}.{self.file_format} ({self.total_rows})"

    @property
    def is_import(self) -> bool:
        return self.kind == JobKind.IMPORT


class ImportedRecord(models.Model):
    """What one import did to one record, so the import can be undone."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created = models.BooleanField()  # False: updated
    before = models.JSONField(default=dict)  # the updated fields' previous values
    version_after = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["job", "content_type"], name="imported_by_job")]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.content_type_id}#{self.object_id}"
