"""Imports and exports become one model, Job: the import table is renamed (its ids, and the undo rows
pointing at them, stay), and every export is copied into it with a new id."""

from django.db import migrations, models

EXPORT_OPTIONS = ("query", "filters_description", "columns")


def exports_into_jobs(apps, schema_editor):
    Job, ExportJob = apps.get_model("dataio", "Job"), apps.get_model("dataio", "ExportJob")
    for export in ExportJob.objects.order_by("pk").iterator():
        Job.objects.create(
            kind="export", user_id=export.user_id, entity=export.entity, file_format=export.file_format,
            file=export.file.name, status=export.status, progress=export.progress, total_rows=export.row_count,
            error=export.error, created_at=export.created_at, finished_at=export.finished_at,
            heartbeat_at=export.heartbeat_at,
            options={"query": export.query, "filters": export.filters_description, "columns": export.columns})


def jobs_into_exports(apps, schema_editor):
    Job, ExportJob = apps.get_model("dataio", "Job"), apps.get_model("dataio", "ExportJob")
    for job in Job.objects.filter(kind="export").order_by("pk").iterator():
        ExportJob.objects.create(
            user_id=job.user_id, entity=job.entity, file_format=job.file_format, file=job.file.name,
            status=job.status, progress=job.progress, row_count=job.total_rows, error=job.error,
            created_at=job.created_at, finished_at=job.finished_at, heartbeat_at=job.heartbeat_at,
            query=job.options.get("query", ""), filters_description=job.options.get("filters", []),
            columns=job.options.get("columns", []))
    Job.objects.filter(kind="export").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("dataio", "0003_job_heartbeat"),
    ]

    operations = [
        migrations.RenameModel("ImportJob", "Job"),
        migrations.AddField(
            model_name="job",
            name="kind",
            field=models.CharField(choices=[("import", "Import"), ("export", "Export")], default="import",
                                   max_length=10, verbose_name="kind"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="job",
            name="file",
            field=models.FileField(blank=True, upload_to="data/%Y/%m/"),
        ),
        migrations.AlterField(
            model_name="job",
            name="file_format",
            field=models.CharField(max_length=10, verbose_name="format"),
        ),
        migrations.AlterField(
            model_name="job",
            name="original_filename",
            field=models.CharField(blank=True, max_length=255, verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="job",
            name="rejected_file",
            field=models.FileField(blank=True, upload_to="data/rejected/%Y/%m/"),
        ),
        migrations.AlterField(
            model_name="job",
            name="total_rows",
            field=models.PositiveIntegerField(default=0, verbose_name="rows"),
        ),
        migrations.AlterModelOptions(
            name="job",
            options={"ordering": ["-created_at", "-id"], "verbose_name": "import or export",
                     "verbose_name_plural": "imports and exports"},
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(fields=["user", "-created_at", "-id"], name="dataio_jobs_of_user"),
        ),
        migrations.RunPython(exports_into_jobs, jobs_into_exports),
        migrations.DeleteModel("ExportJob"),
    ]
