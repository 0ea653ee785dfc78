"""Starting background work from a service: once the transaction commits, so a task never reads a row that
was rolled back, and given ids, never objects.

A task is named by its path: a task module imports the services whose work it does, so the services
cannot import it back; naming it keeps the imports pointing one way.
"""

from datetime import datetime

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *, run_after: datetime | None = None, **kwargs) -> None:
    def enqueue() -> None:
        task = import_string(task_path)
        (task.using(run_after=run_after) if run_after else task).enqueue(**kwargs)

    transaction.on_commit(enqueue)
