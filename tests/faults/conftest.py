"""The fault suite: a real `rapport serve` on a real database, under load and faults.

Run with `pytest -m fault tests/faults` and DATABASE_URL naming a PostgreSQL server (`.ci/run` does);
each test makes its own database there and drops it afterwards.
"""

import os
import uuid

import dj_database_url
import psycopg
import pytest

from .private_postgres import PrivatePostgres
from .server import Server

pytestmark = pytest.mark.fault


def postgres_settings() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail("The fault suite needs DATABASE_URL to name a PostgreSQL server (it makes its own databases "
                    "there), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres")
    return dj_database_url.parse(url)


def admin_connection(server: dict) -> psycopg.Connection:
    return psycopg.connect(host=server["HOST"], port=server["PORT"] or 5432, user=server["USER"],
                           password=server["PASSWORD"] or None, dbname="postgres", autocommit=True)


@pytest.fixture
def postgres_database():
    """A new, empty database on the PostgreSQL server of DATABASE_URL: (its URL, a function counting the
    connections to it by process name)."""
    server = postgres_settings()
    name = f"rapport_fault_{uuid.uuid4().hex[:10]}"
    with admin_connection(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    url = f"postgres://{server['USER']}{password}@{server['HOST']}:{server['PORT'] or 5432}/{name}"

    # One connection of its own, opened now, so that counting never competes for a free slot.
    with admin_connection(server) as counter:
        def connections() -> dict[str, int]:
            """The connections to the database, by the kind of process holding them ("rapport web", …)."""
            query = "SELECT application_name, count(*) FROM pg_stat_activity WHERE datname = %s GROUP BY 1"
            return dict(counter.execute(query, [name]).fetchall())

        yield url, connections
        counter.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def served(tmp_path):
    """Start servers with `served(database_url, **env)`; each is stopped after the test."""
    started: list[Server] = []

    def serve(database_url: str, *serve_args: str, **extra_env: str) -> Server:
        server = Server.prepared(database_url=database_url, folder=tmp_path / f"server{len(started)}",
                                 extra_env=extra_env)
        started.append(server)
        server.start(*serve_args)
        return server

    yield serve
    for server in started:
        server.stop()


@pytest.fixture
def private_postgres():
    """A PostgreSQL server of this test's own, started, with an empty `rapport` database; a test may kill it."""
    postgres_settings()  # the suite runs against PostgreSQL
    server = PrivatePostgres()
    try:
        server.start()
        server.create_database()
        yield server
    finally:
        server.remove()
