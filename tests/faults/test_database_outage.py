"""The database is killed (kill -9) and restarted under load: nothing acknowledged is lost, clients are told
to retry meanwhile, and the web and the worker come back by themselves."""

import threading
import time

import psycopg
import pytest

from .server import Load

pytestmark = pytest.mark.fault

OUTAGE_SECONDS = 6
RECOVERY_LIMIT_SECONDS = 5


def test_a_killed_and_restarted_database_loses_no_acknowledged_write_and_everything_recovers(
        private_postgres, served):
    server = served(private_postgres.url, EXPORT_SYNC_LIMIT="0")  # every export is the worker's job
    load = Load(server, clients=16)
    moments = {}
    workers_before = server.worker_pids()

    def outage():
        time.sleep(4)
        moments["killed"] = time.monotonic()
        private_postgres.kill()
        time.sleep(OUTAGE_SECONDS)
        private_postgres.start()
        moments["back"] = time.monotonic()
        moments["export"] = export_as_soon_as_accepted(server)

    fault = threading.Thread(target=outage)
    fault.start()
    load.run(4 + OUTAGE_SECONDS + 8)
    fault.join()
    export = moments["export"]

    during = [(status, code) for sent, status, code in load.answers if moments["killed"] < sent < moments["back"]]
    after = sorted(sent - moments["back"] for sent, status, code in load.answers
                   if sent > moments["back"] and status < 500)
    print(f"\nanswers: {dict(load.statuses)}; sent during the outage: {len(during)} "
          f"({sum(1 for status, _ in during if status == 503)} × 503); first success sent {after[0]:.2f} s after the "
          f"database was back; {len(load.acknowledged)} acknowledged creates, all stored; an export accepted "
          f"{export['accepted'] - moments['back']:.2f} s after it was back was {export['job']['status']} "
          f"{export['done'] - export['accepted']:.2f} s later")
    assert not load.failures, load.failures[:5]  # no 500, no 503 without its JSON and Retry-After
    # Sent during the outage: a 503 asking to retry, or — sent near its end — a success once the database was back.
    assert any(status == 503 for status, _code in during)
    assert all(status == 503 or status < 300 for status, _code in during)
    assert after and after[0] <= RECOVERY_LIMIT_SECONDS
    assert export["job"]["status"] == "done"
    assert server.worker_pids() == workers_before, "the worker died with the database"
    assert "The task worker stopped" not in server.log()
    assert export["done"] - export["accepted"] <= RECOVERY_LIMIT_SECONDS

    with psycopg.connect(private_postgres.url.replace("postgres://", "postgresql://")) as database:
        stored = {name for (name,) in database.execute("SELECT name FROM customers_account")}
    missing = [name for name in load.acknowledged if name not in stored]
    assert not missing, f"{len(missing)} acknowledged accounts are missing, e.g. {missing[:3]}"


def export_as_soon_as_accepted(server) -> dict:
    """Ask for an export until the web accepts it, then follow it to its end: when each happened, and the job."""
    while (answer := server.request("GET", "/api/v1/accounts/export?format=csv"))[0] != 202:
        assert answer[0] == 503, answer
        time.sleep(0.1)
    accepted, job = time.monotonic(), answer[2]
    while job["status"] in ("pending", "running") and time.monotonic() - accepted < 60:
        time.sleep(0.1)
        job = server.request("GET", job["status_url"])[2]
    return {"accepted": accepted, "done": time.monotonic(), "job": job}
