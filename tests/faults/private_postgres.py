"""A PostgreSQL of the fault suite's own, in a temporary folder on a free port, that a test may kill.

The machine's PostgreSQL serves everything else and must never be stopped; this one is made with
initdb, started as the `postgres` user when the suite runs as root (PostgreSQL refuses root), and
removed afterwards.
"""

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from .server import free_port, stop_group


def postgres_binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found and not shutil.which("postgres"):
        raise RuntimeError("The fault suite needs PostgreSQL's server programs (Debian's postgresql package).")
    return Path(found[-1]).parent if found else Path(shutil.which("postgres")).parent


class PrivatePostgres:
    def __init__(self):
        self.binaries = postgres_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="rapport-fault-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres([str(self.binaries / "initdb"), "--auth=trust", "--username=postgres", "--encoding=UTF8",
                           "--locale=C.UTF-8", "-D", str(self.data)])

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/rapport"

    def start(self) -> None:
        command = [str(self.binaries / "postgres"), "-D", str(self.data), "-p", str(self.port),
                   "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.folder}",
                   "-c", "max_connections=60"]
        log = (self.folder / "postgres.log").open("ab")
        # A session of its own, so that killing it kills the server and all its backends at once, as a crash does.
        self.process = subprocess.Popen(self._run_as_postgres(command), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.wait_until_ready()

    def wait_until_ready(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                     connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError(f"The private PostgreSQL did not start:\n{self.log()}")

    def create_database(self) -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute("CREATE DATABASE rapport")

    def kill(self) -> None:
        """kill -9 the server and every backend, as a crash of the database's machine would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def remove(self) -> None:
        stop_group(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _as_postgres(self, command: list[str]) -> None:
        subprocess.run(self._run_as_postgres(command), check=True, capture_output=True)

    @staticmethod
    def _run_as_postgres(command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
