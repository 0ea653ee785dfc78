"""The task worker is killed (kill -9) in the middle of an import: `serve` starts another, the import is
given up as stalled within a minute, no row is imported twice, and undo takes back what was written."""

import os
import signal
import time

import psycopg
import pytest

pytestmark = pytest.mark.fault

ROWS = 50_000


def test_a_worker_killed_during_an_import_is_replaced_and_its_import_given_up_then_undone(
        postgres_database, served):
    url, _connections = postgres_database
    server = served(url)
    content = "Name,Email\n" + "".join(f"Person {number},person{number}@example.com\n" for number in range(ROWS))
    status, _headers, job = server.upload("/api/v1/imports", {"entity": "contacts"}, "people.csv", content.encode())
    assert status == 202, job
    job = follow(server, job, until=lambda job: job["status"] == "running" and job["progress"] >= 5, within=120)
    [worker] = server.worker_pids()
    os.kill(worker, signal.SIGKILL)
    killed = time.monotonic()

    replaced = wait_for(lambda: [pid for pid in server.worker_pids() if pid != worker], within=10)
    job = follow(server, job, until=lambda job: job["status"] != "running", within=90)
    given_up_after = time.monotonic() - killed
    print(f"\nkilled the worker at {job['progress']}%; serve started worker {replaced} "
          f"{'and said why' if 'killed by SIGKILL' in server.log() else 'without saying why'}; the import was "
          f"{job['status']} {given_up_after:.1f} s later with {job['created']} contacts: {job['error']}")
    assert "The task worker stopped (killed by SIGKILL)" in server.log()
    assert job["status"] == "failed" and "worker stopped" in job["error"]
    assert given_up_after <= 60

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as database:
        live = database.execute("SELECT full_name FROM customers_contact WHERE deleted_at IS NULL")
        names = [name for (name,) in live]
    assert 0 < len(names) == len(set(names)) == job["created"] < ROWS  # none twice, counted as written

    status, _headers, undone = server.request("POST", f"/api/v1/jobs/{job['id']}/undo")
    assert status == 200 and undone["status"] == "undone", undone
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as database:
        left = database.execute("SELECT count(*) FROM customers_contact WHERE deleted_at IS NULL").fetchone()[0]
    assert left == 0


def follow(server, job: dict, *, until, within: float) -> dict:
    deadline = time.monotonic() + within
    while not until(job):
        assert time.monotonic() < deadline, f"the import stayed {job['status']} at {job['progress']}%"
        time.sleep(0.2)
        job = server.request("GET", job["status_url"])[2]
    return job


def wait_for(found, *, within: float):
    deadline = time.monotonic() + within
    while not (result := found()):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return result
