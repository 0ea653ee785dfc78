"""Background work of exports: writing a large export's file while its status page shows progress."""

from django.tasks import task

from . import exports


@task()
def run_export(*, job_id: int) -> int:
    """Write export job `job_id`; the job records its progress, its file or why it failed."""
    return exports.export_run(job_id=job_id).row_count
