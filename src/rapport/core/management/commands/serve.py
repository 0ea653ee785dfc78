import argparse
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_LOGINS = "admin, manager, rep1, rep2, agent, marketer"
# A worker that keeps dying at once (e.g. a broken configuration) is restarted less and less often.
RESTART_DELAYS_SECONDS = (1, 2, 5, 10, 30)
STEADY_AFTER_SECONDS = 60


def _number_within(low: int, high: int):
    """An argparse type: a whole number from `low` to `high`, refused by name otherwise. Defaults read from
    the environment (PORT=abc) pass through it too, so they are refused as clearly as the options."""
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}” is not a whole number.") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; give {low} to {high}.")
        return value
    return number


class Command(BaseCommand):
    help = "Serve Rapport (uvicorn) together with the background task worker, restarting the worker if it stops."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"),
                            help="The address to listen on (default: $HOST if set, else 127.0.0.1).")
        parser.add_argument("--port", type=_number_within(1, 65535), default=os.environ.get("PORT", "8000"),
                            help="The port to listen on (default: $PORT if set, else 8000).")
        parser.add_argument("--workers", type=_number_within(1, 64), default=os.environ.get("WEB_CONCURRENCY", "1"),
                            help="Web processes (default: $WEB_CONCURRENCY if set, else 1).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker here.")

    def handle(self, *args, host, port, workers, no_worker, **options):
        web = subprocess.Popen([sys.executable, "-m", "uvicorn", "rapport.asgi:application", "--host", host,
                                "--port", str(port), "--workers", str(workers), "--no-access-log",
                                # Django answers no lifespan events; uvicorn would say so at every start.
                                "--lifespan", "off"],
                               env=process_environment("rapport web"))
        worker = None if no_worker else _Supervised(self.stderr)
        self.stdout.write(self.style.SUCCESS(f"\nRapport is running at http://{host}:{port}/"))
        if settings.DEBUG or "sqlite" in settings.DATABASES["default"]["ENGINE"]:
            self.stdout.write(f"Demo logins (password “demo”): {DEMO_LOGINS}\n")
        self.stdout.flush()
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            while web.poll() is None:
                if worker is not None:
                    worker.keep_running()
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker.process if worker else None):
                _stop(process)
        sys.exit(web.returncode or 0)


class _Supervised:
    """The task worker, started again whenever it stops, saying why it stopped."""

    def __init__(self, log):
        self.log = log
        self.restarts = 0
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "rapport.cli", "db_worker", "--queue-name", "default"],
                                        env=process_environment("rapport worker"))
        self.started_at = time.monotonic()
        self.restart_at: float | None = None

    def keep_running(self) -> None:
        if self.process.poll() is None:
            if time.monotonic() - self.started_at > STEADY_AFTER_SECONDS:
                self.restarts = 0
            return
        if self.restart_at is None:
            delay = RESTART_DELAYS_SECONDS[min(self.restarts, len(RESTART_DELAYS_SECONDS) - 1)]
            self.log.write(f"The task worker stopped ({_why(self.process.returncode)}); "
                           f"starting it again in {delay} s.")
            self.log.flush()
            self.restart_at = time.monotonic() + delay
        elif time.monotonic() >= self.restart_at:
            self.restarts += 1
            self.start()


def process_environment(name: str) -> dict:
    """This environment, naming the process's database connections (see settings.DATABASES)."""
    return {**os.environ, "RAPPORT_PROCESS_NAME": name}


def _why(returncode: int) -> str:
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exit code {returncode}"


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
