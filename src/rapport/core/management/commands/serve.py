import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_LOGINS = "admin, manager, rep1, rep2, agent, marketer"


class Command(BaseCommand):
    help = "Serve Rapport (uvicorn) together with the background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 1)))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker here.")

    def handle(self, *args, host, port, workers, no_worker, **options):
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "rapport.cli", "db_worker", "--queue-name", "default"])
        self.stdout.write(self.style.SUCCESS(f"\nRapport is running at http://{host}:{port}/"))
        if settings.DEBUG or "sqlite" in settings.DATABASES["default"]["ENGINE"]:
            self.stdout.write(f"Demo logins (password “demo”): {DEMO_LOGINS}\n")
        self.stdout.flush()
        try:
            subprocess.call([sys.executable, "-m", "uvicorn", "rapport.asgi:application", "--host", host,
                             "--port", str(port), "--workers", str(workers), "--no-access-log"])
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
