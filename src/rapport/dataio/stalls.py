"""Jobs whose worker stopped — killed, restarted, out of memory — without saying so, and jobs that no
worker has picked up.

A running job records a heartbeat every few seconds (core.heartbeat) and with its progress; one without
a heartbeat for STALLED_AFTER has lost its worker. The task workers give such jobs up (when they start
and every few seconds), and so does any page that shows them, with a message saying what to do. A job waiting
for longer than UNCLAIMED_AFTER says that no worker has taken it.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import timezone, translation

from rapport.core.errors import NotFound

from .models import JobStatus

STALLED_AFTER = timedelta(seconds=45)  # three heartbeats missed: its worker is gone
UNCLAIMED_AFTER = timedelta(minutes=1)


def fail_stalled(jobs: QuerySet, message: Callable[[], str]) -> int:
    """Fail the running jobs among `jobs` that gave no sign of life for STALLED_AFTER, each with `message()`
    in its owner's language; how many. Writes nothing when there are none."""
    cutoff = timezone.now() - STALLED_AFTER
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    stalled = list(jobs.filter(silent, status=JobStatus.RUNNING).values_list("pk", "user__language"))
    failed = 0
    for job_id, language in stalled:
        with translation.override(language or settings.LANGUAGE_CODE):
            failed += jobs.filter(pk=job_id, status=JobStatus.RUNNING).update(
                status=JobStatus.FAILED, error=message(), finished_at=timezone.now())
    return failed


def silent_seconds() -> int:
    return int(STALLED_AFTER.total_seconds())


def waiting_for_worker(status: str, queued_at: datetime | None) -> bool:
    """Whether a job queued at `queued_at` has waited so long that no worker can be taking jobs."""
    return status == JobStatus.PENDING and queued_at is not None and queued_at < timezone.now() - UNCLAIMED_AFTER


def owned_job[J: Model](model: type[J], *, actor, job_id, stalled_message: Callable[[], str]) -> J:
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
