"""Background work of imports: running an import (or its dry run) while its page shows the progress."""

from django.tasks import task

from . import import_jobs


@task()
def run_import(*, job_id: int) -> dict:
    """Run import job `job_id`; the job records its progress, counts, rejected rows or why it failed."""
    job = import_jobs.import_run(job_id=job_id)
    return {"status": job.status, "created": job.created_count, "updated": job.updated_count,
            "skipped": job.skipped_count, "rejected": job.rejected_count}
