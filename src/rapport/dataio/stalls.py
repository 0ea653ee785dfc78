"""Jobs whose worker stopped — killed, restarted, out of memory — without saying so.

Such a job would show "running" with a frozen progress bar for ever. Every run records a heartbeat
with its progress (at least once per batch of rows); a running job without one for STALLED_AFTER is
failed, with a message saying what to do, as soon as its owner looks at it. No run goes ten
minutes without progress: a batch takes a second or two.
"""

from datetime import timedelta

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from rapport.core.errors import NotFound

from .models import JobStatus

STALLED_AFTER = timedelta(minutes=10)


def fail_stalled(jobs: QuerySet, message: str) -> int:
    """Fail the running jobs among `jobs` that gave no sign of life for STALLED_AFTER; how many."""
    cutoff = timezone.now() - STALLED_AFTER
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    return jobs.filter(silent, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def owned_job[J: Model](model: type[J], *, actor, job_id, stalled_message: str) -> J:
    """The actor's own import or export job (failed first if it stalled); anyone else's is NotFound,
    so its existence does not leak."""
    if not str(job_id).isdigit():
        raise NotFound()
    found = model.objects.filter(pk=job_id, user=actor)
    fail_stalled(found, stalled_message)
    job = found.first()
    if job is None:
        raise NotFound()
    return job
