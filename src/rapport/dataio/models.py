"""Import and export jobs: who moved which data in or out, when, how much, and the files involved."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class ImportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    entity = models.CharField(_("records"), max_length=50)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=10)  # csv, xlsx
    encoding = models.CharField(max_length=20, blank=True)
    options = models.JSONField(default=dict)  # mapping, duplicate key and action, date and number formats
    header = models.JSONField(default=list)  # the file's column names, as read at upload
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    rejected_sample = models.JSONField(default=list)  # the first rejected rows: [{"row": n, "reason": ...}]
    rejected_file = models.FileField(upload_to="imports/rejected/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    enqueued_at = models.DateTimeField(null=True, blank=True)  # when its run was handed to the task worker
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the run's last sign of life (see stalls.py)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.entity})"


class ImportedRecord(models.Model):
    """What one import did to one record, so the import can be undone."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created = models.BooleanField()  # False: updated
    before = models.JSONField(default=dict)  # the updated fields' previous values
    version_after = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["job", "content_type"], name="imported_by_job")]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.content_type_id}#{self.object_id}"


class ExportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    entity = models.CharField(_("records"), max_length=50)
    file_format = models.CharField(_("format"), max_length=10)  # csv, xlsx, docx, vcf
    query = models.CharField(max_length=2000, blank=True)  # the list's query string: filters, sort, columns
    filters_description = models.JSONField(default=list)
    columns = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the run's last sign of life (see stalls.py)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entity}.{self.file_format} ({self.row_count})"
