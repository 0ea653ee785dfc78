"""Background work of imports and exports: running a job while its page shows the progress."""

from django.tasks import task

from . import exports, import_jobs


@task()
def run_import(*, job_id: int) -> dict:
    """Run import job `job_id`; the job records its progress, counts, rejected rows or why it failed."""
    job = import_jobs.import_run(job_id=job_id)
    return {"status": job.status, "created": job.created_count, "updated": job.updated_count,
            "skipped": job.skipped_count, "rejected": job.rejected_count}


@task()
def run_export(*, job_id: int) -> int:
    """Write export job `job_id`; the job records its progress, its file or why it failed."""
    return exports.export_run(job_id=job_id).total_rows
