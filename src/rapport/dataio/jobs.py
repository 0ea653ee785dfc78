"""The life every import and export shares: waiting for a worker, running with a heartbeat and a
percentage, then done or failed; and who may see a job (its owner only).

A running job records a heartbeat every few seconds (core.heartbeat) and with its progress; one without
a heartbeat for STALLED_AFTER has lost its worker — killed, restarted, out of memory — without saying so.
The task workers give such jobs up (when they start and every few seconds), and so does any page that
shows them, with a message saying what to do. A job waiting for longer than UNCLAIMED_AFTER says that no
worker has taken it.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.core.errors import NotFound

from .models import Job, JobKind, JobStatus

STALLED_AFTER = timedelta(seconds=45)  # three heartbeats missed: its worker is gone
UNCLAIMED_AFTER = timedelta(minutes=1)
WORKING = (JobStatus.PENDING, JobStatus.RUNNING)


def jobs_of(actor, kind: str = "") -> QuerySet[Job]:
    """The actor's imports and exports (`kind` only, when given; never an import's dry run), newest first;
    stalled runs shown as failed."""
    jobs = Job.objects.filter(user=actor)
    fail_stalled(jobs)
    jobs = jobs.filter(dry_run=False)
    return jobs.filter(kind=kind) if kind else jobs


def job_get(*, actor, job_id, kind: str = "") -> Job:
    """The actor's own import or export (of `kind`, when given; failed first if it stalled); anyone else's
    is NotFound, so its existence does not leak."""
    if not str(job_id).isdigit():
        raise NotFound()
    found = Job.objects.filter(pk=job_id, user=actor)
    found = found.filter(kind=kind) if kind else found
    fail_stalled(found)
    job = found.first()
    if job is None:
        raise NotFound()
    return job


def give_up_stalled() -> int:
    """Fail every job whose worker stopped giving signs of life (run by the task workers)."""
    return fail_stalled(Job.objects.all())


def fail_stalled(jobs: QuerySet[Job]) -> int:
    """Fail the running jobs among `jobs` that gave no sign of life for STALLED_AFTER, each with a message in
    its owner's language; how many. Writes nothing when there are none."""
    cutoff = timezone.now() - STALLED_AFTER
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    stalled = list(jobs.filter(silent, status=JobStatus.RUNNING).values_list("pk", "kind", "user__language"))
    failed = 0
    for job_id, kind, language in stalled:
        with translation.override(language or settings.LANGUAGE_CODE):
            failed += running(job_id).update(status=JobStatus.FAILED, error=_stalled_message(kind),
                                             finished_at=timezone.now())
    return failed


def _stalled_message(kind: str) -> str:
    seconds = {"seconds": int(STALLED_AFTER.total_seconds())}
    if kind == JobKind.EXPORT:
        return _("Its worker stopped (it gave no sign of life for %(seconds)s seconds). Export the list "
                 "again.") % seconds
    return _("Its worker stopped (it gave no sign of life for %(seconds)s seconds). The rows written before are "
             "kept: undo the import, or upload the file again.") % seconds


def running(job_id: int) -> QuerySet[Job]:
    """The job while it runs: what its heartbeat touches, and what a run's writes go through so that they
    stop once it was given up."""
    return Job.objects.filter(pk=job_id, status=JobStatus.RUNNING)


def enqueued(job: Job) -> None:
    """Mark `job` as handed to the task worker (the clock of `waiting_for_worker`)."""
    job.enqueued_at = timezone.now()


def is_working(job: Job) -> bool:
    return job.enqueued_at is not None and job.status in WORKING


def waiting_for_worker(job: Job) -> bool:
    """Whether the job has waited so long that no worker can be taking jobs."""
    return (job.status == JobStatus.PENDING and job.enqueued_at is not None
            and job.enqueued_at < timezone.now() - UNCLAIMED_AFTER)


def percent(done: int, total: int) -> int:
    """A running job's progress: 100 only once it has finished."""
    return min(99, done * 100 // max(total, 1))


def fail(job: Job, error: Exception | str) -> None:
    """Record why the job stopped, in words its owner can act on."""
    message = error if isinstance(error, str) else str(getattr(error, "message", "") or error)
    job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    job.error = message[:1000] or type(error).__name__
    job.save(update_fields=["status", "finished_at", "error"])
