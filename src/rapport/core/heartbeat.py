"""A long job's proof of life, written while it runs, so that a job whose process died can be told from
one that is merely slow."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

BEAT_EVERY_SECONDS = 10


@contextmanager
def heartbeat(jobs: QuerySet, *, every: float = BEAT_EVERY_SECONDS) -> Iterator[None]:
    """Set `jobs`' heartbeat_at to now every `every` seconds while the block runs, from a thread of its own:
    a step that reports no progress for a while (counting a big file's rows, saving a big file) still
    shows that its process lives."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                jobs.update(heartbeat_at=timezone.now())
            except DatabaseError as error:
                logger.warning("Could not record a job's heartbeat: %s", error)
            finally:
                connections.close_all()  # this thread's own connection goes back to the pool

    beating = threading.Thread(target=beat, name="job heartbeat", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
