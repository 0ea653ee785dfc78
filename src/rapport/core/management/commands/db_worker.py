import logging
import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from rapport.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = "Run the background task worker: it waits out database outages and gives up jobs of dead workers."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        logging.getLogger("rapport.worker").setLevel(logging.INFO if verbosity else logging.WARNING)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        queues, excluded = queue_name.split(","), exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(queue_names=queues, interval=interval, batch=batch, backend_name=backend_name,
                                 startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
                                 excluded_queue_names=excluded)
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # in the reloaded child only
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
