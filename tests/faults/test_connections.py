"""Sixteen clients at once through `rapport serve`: no server errors, and connections stay bounded."""

import contextlib
import threading
import time
from pathlib import Path

import pytest

from .server import Load, children_of

pytestmark = pytest.mark.fault

POOL_SIZE = 8


def test_sixteen_clients_on_postgresql_get_no_server_error_and_the_pool_bounds_the_connections(
        postgres_database, served):
    url, connections = postgres_database
    server = served(url, DATABASE_POOL_SIZE=str(POOL_SIZE))
    seen = []
    stop = threading.Event()

    def watch_connections():
        while not stop.is_set():
            seen.append(connections())
            time.sleep(0.2)

    watcher = threading.Thread(target=watch_connections)
    watcher.start()
    load = Load(server, clients=16)
    try:
        load.run(10)
    finally:
        stop.set()
        watcher.join()
    most = {name: max(counts.get(name, 0) for counts in seen) for name in ("rapport web", "rapport worker")}
    print(f"\nPostgreSQL, 16 clients, 10 s: {dict(load.statuses)}; connections at most {most} "
          f"(pool size {POOL_SIZE} per process)")
    assert load.server_errors == 0, load.failures[:5]
    assert load.statuses[200] > 100 and load.statuses[201] > 100
    assert 0 < most["rapport web"] <= POOL_SIZE and most["rapport worker"] <= POOL_SIZE


def test_sixteen_clients_on_sqlite_get_no_server_error_and_keep_no_file_open_per_request(served):
    server = served("")
    load = Load(server, clients=16)
    load.run(10)
    web = web_process(server)
    database_files = files_settled(web)
    print(f"\nSQLite, 16 clients, 10 s: {dict(load.statuses)}; the web process holds {len(database_files)} "
          "database files open")
    assert load.server_errors == 0, load.failures[:5]
    assert load.statuses[200] > 100 and load.statuses[201] > 100
    # A connection holds the database, its WAL and its shared-memory file: a few connections at most.
    assert len(database_files) <= 3 * 4


def files_settled(web: int, *, within: float = 5.0) -> list[str]:
    """The database files `web` holds once its last requests have finished: a request's connection is closed
    when the request ends, which can be a moment after its answer went out — a leak keeps them for good."""
    deadline = time.monotonic() + within
    while True:
        files = [name for name in open_files(web) if "rapport.sqlite3" in name]
        if len(files) <= 3 * 4 or time.monotonic() > deadline:
            return files
        time.sleep(0.2)


def web_process(server) -> int:
    """uvicorn's process: the child of `serve` that is not the task worker."""
    workers = set(server.worker_pids())
    return next(pid for pid in children_of(server.process.pid) if pid not in workers)


def open_files(pid: int) -> list[str]:
    names = []
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed while we looked
            names.append(str(descriptor.readlink()))
    return names
