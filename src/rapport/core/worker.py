"""The background task worker: django-tasks-db's, made to outlive its database and to clean up after
workers that died.

The library's worker exits on the first database error (a restart, a dropped connection), leaving
every job queued after it waiting for ever. This one waits for the database to come back, with a short
backoff, and carries on. It also runs the modules' stalled-job checks when it starts and every few seconds,
so a job whose worker was killed is given up by the next worker, not only when its owner looks.
"""

import logging
import random
import time

from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .errors import DATABASE_UNAVAILABLE
from .extensions import stalled_job_checks

logger = logging.getLogger("rapport.worker")

CHECK_STALLED_EVERY_SECONDS = 15
# Short enough that the worker is back within a few seconds of the database.
RETRY_DELAYS_SECONDS = (0.5, 1, 2)


class ResilientWorker(Worker):
    def run(self) -> None:
        logger.info("Worker %s started (queues: %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # workers started together do not all poll at once
        outage = _Outage()
        next_check = 0.0
        while self.running:
            try:
                if time.monotonic() >= next_check:
                    check_stalled_jobs()
                    next_check = time.monotonic() + CHECK_STALLED_EVERY_SECONDS
                task_result = self.claim_next_task()
                if task_result is not None:
                    self.run_task(task_result)
            except DATABASE_UNAVAILABLE as error:
                outage.wait(error)
                continue
            finally:
                close_old_connections()
            outage.end()
            if (self.batch and task_result is None) or self.max_tasks_done():
                return
            if self.running and task_result is None:
                time.sleep(self.interval)

    def max_tasks_done(self) -> bool:
        return self.max_tasks is not None and self._run_tasks >= self.max_tasks

    def claim_next_task(self) -> DBTaskResult | None:
        """The next ready task of this worker's queues, claimed so that no other worker runs it."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result


def check_stalled_jobs() -> int:
    """Run every module's stalled-job check; how many jobs were given up."""
    given_up = sum(check.give_up_stalled() for check in stalled_job_checks)
    if given_up:
        logger.warning("Gave up %s job(s) whose worker stopped giving signs of life", given_up)
    return given_up


class _Outage:
    """Waiting out a database that cannot be reached: each wait a little longer, up to a few seconds."""

    def __init__(self):
        self.started_at: float | None = None
        self.attempts = 0

    def wait(self, error: Exception) -> None:
        if self.started_at is None:
            self.started_at = time.monotonic()
            logger.warning("The database cannot be reached (%s); retrying until it can", error)
        connections.close_all()  # a broken connection must not be reused
        time.sleep(RETRY_DELAYS_SECONDS[min(self.attempts, len(RETRY_DELAYS_SECONDS) - 1)])
        self.attempts += 1

    def end(self) -> None:
        if self.started_at is not None:
            logger.warning("The database is back after %.1f s; carrying on", time.monotonic() - self.started_at)
            self.started_at, self.attempts = None, 0
