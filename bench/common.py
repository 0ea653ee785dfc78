"""Shared helpers for the benchmark scripts in bench/: Django set-up, interleaved timing, percentiles,
query capture, raw SQL baselines and the printed report. Benchmarks print; they never assert.

The database is whatever Rapport's settings choose: DATABASE_URL for PostgreSQL, otherwise the
SQLite file under RAPPORT_DATA_DIR (or SQLITE_PATH). Nothing here is specific to one page: the list,
timeline, search and import benchmarks can all time their cases with `measure` and print them with
`report_table` (BENCH_REPETITIONS and BENCH_WARMUP override the defaults). Typical use:

    from common import setup, measure, report_table, Target
    setup()                                   # before importing anything from rapport
    times = measure({"orm": run_orm, "raw": run_raw}, repetitions=30)
    report_table("Accounts, first page", times, baseline="raw",
                 targets=[Target("orm", "raw", factor=1.0, plus_ms=3)])
"""

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 30))
WARMUP = int(os.environ.get("BENCH_WARMUP", 3))


def setup(*, quiet: bool = False) -> None:
    """Configure Django from Rapport's settings (DATABASE_URL or the SQLite file) and print where.

    Set environment variables (DATABASE_URL, SQLITE_PATH, MEDIA_ROOT …) before calling it.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    if not quiet:
        print(describe_environment())
        print(f"data: {data_scale():g} of `rapport demo --size 1m` (its accounts counted)")


def describe_environment() -> str:
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
            version, size = cursor.fetchone()
        where = f"PostgreSQL {database['NAME']} ({size}) — {version.split(' on ')[0]}"
    else:
        import sqlite3

        path = Path(database["NAME"])
        size = path.stat().st_size / 2**30 if path.exists() else 0
        where = f"SQLite {path} ({size:.1f} GB) — SQLite {sqlite3.sqlite_version}"
    cpus = os.cpu_count()
    connections = database.get("OPTIONS", {}).get("pool") or f"CONN_MAX_AGE {database.get('CONN_MAX_AGE')}"
    return (f"database: {where}\nmachine: {platform.machine()}, {cpus} cores, Python {platform.python_version()}, "
            f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n"
            f"connections: {connections}")


def data_scale() -> float:
    """How large the data is next to `rapport demo --size 1m` (100,000 accounts): 0.1 for `demo --scale 0.1`.
    Benchmarks scale what they look for with it (how deep a page, how many rows), so they run at any size."""
    from rapport.customers.demo import ACCOUNTS_AT_SCALE
    from rapport.customers.models import Account

    return Account.all_objects.count() / ACCOUNTS_AT_SCALE


def page_allowance_ms() -> float:
    """What issue 16 allows a page beyond its raw SQL at p95: 5 ms on SQLite, 7 ms on PostgreSQL."""
    from django.db import connection

    return 7 if connection.vendor == "postgresql" else 5


def database_label() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


# --- timing ------------------------------------------------------------------------------------


def measure(cases: dict[str, Callable[[], object]], *, repetitions: int = REPETITIONS,
            warmup: int = WARMUP, before_each: Callable[[], object] | None = None) -> dict[str, list[float]]:
    """Milliseconds per run of each case, interleaved (a, b, c, a, b, c, …) so that a noisy moment
    on the machine hits every case alike; `warmup` untimed rounds first (caches, connections).
    `before_each`, if given, runs untimed before every run (e.g. emptying a table an import fills)."""
    names = list(cases)
    for _round in range(warmup):
        for name in names:
            if before_each:
                before_each()
            cases[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(repetitions):
        # Alternate the order too, so no case always runs right after the same neighbour.
        for name in names if round_number % 2 == 0 else reversed(names):
            if before_each:
                before_each()
            started = time.perf_counter()
            cases[name]()
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: Iterable[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (linear interpolation, like numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Stats:
    n: int
    p50: float
    p95: float
    mean: float

    @classmethod
    def of(cls, values: list[float]) -> "Stats":
        return cls(len(values), percentile(values, 0.5), percentile(values, 0.95), statistics.fmean(values))


@dataclass
class Target:
    """`case` p95 ≤ factor × `baseline` p95 + plus_ms (the forms the performance targets take)."""

    case: str
    baseline: str
    factor: float = 1.0
    plus_ms: float = 0.0
    label: str = ""

    def describe(self) -> str:
        factor = f"{self.factor:g}× " if self.factor != 1 else ""
        plus = f" + {self.plus_ms:g} ms" if self.plus_ms else ""
        return self.label or f"p95({self.case}) ≤ {factor}p95({self.baseline}){plus}"


@dataclass
class Outcome:
    title: str
    target: Target
    value: float
    limit: float

    @property
    def met(self) -> bool:
        return self.value <= self.limit


@dataclass
class Results:
    """Every target checked during a run, for the closing summary."""

    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> None:
        print(f"\n== Targets ({database_label()}) ==")
        for outcome in self.outcomes:
            verdict = "met" if outcome.met else "MISSED"
            print(f"  [{verdict:>6}] {outcome.title}: {outcome.target.describe()}: "
                  f"{outcome.value:.2f} ms vs limit {outcome.limit:.2f} ms")


RESULTS = Results()


def report_table(title: str, times: dict[str, list[float]], *, baseline: str | None = None,
                 targets: Iterable[Target] = (), notes: dict[str, str] | None = None) -> dict[str, Stats]:
    """Print p50/p95/mean per case, each case's p95 as a multiple of the baseline's, and the targets."""
    stats = {name: Stats.of(values) for name, values in times.items()}
    print(f"\n-- {title} ({database_label()}) --")
    print(f"  {'case':<44}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}{'p95 ×base':>11}")
    for name, stat in stats.items():
        ratio = f"{stat.p95 / stats[baseline].p95:>10.2f}×" if baseline and stats[baseline].p95 else ""
        note = f"  {notes[name]}" if notes and name in notes else ""
        print(f"  {name:<44}{stat.n:>4}{stat.p50:>10.2f}{stat.p95:>10.2f}{stat.mean:>10.2f}{ratio:>11}{note}")
    for target in targets:
        limit = stats[target.baseline].p95 * target.factor + target.plus_ms
        outcome = Outcome(title, target, stats[target.case].p95, limit)
        RESULTS.outcomes.append(outcome)
        print(f"  target {target.describe()}: {outcome.value:.2f} ≤ {limit:.2f} ms → "
              f"{'met' if outcome.met else 'MISSED'}")
    return stats


# --- queries ---------------------------------------------------------------------------------


@dataclass
class CapturedQuery:
    sql: str
    ms: float


@contextmanager
def captured_queries():
    """Every SQL statement run inside the block with its time, also when DEBUG is off."""
    from django.db import connection

    queries: list[CapturedQuery] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(CapturedQuery(sql, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(wrapper):
        yield queries


def sql_time(run: Callable[[], object]) -> tuple[int, float]:
    """(number of queries, milliseconds spent in them) for one call of `run`."""
    with captured_queries() as queries:
        run()
    return len(queries), sum(query.ms for query in queries)


def raw(sql: str, params: Iterable = ()) -> Callable[[], list]:
    """A baseline: run `sql` on Django's connection (same connection, same driver) and fetch all."""
    from django.db import connection

    params = list(params)

    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def all_of(statements: list[tuple[str, list]]) -> Callable[[], None]:
    """A baseline of several statements run one after the other (all the SQL a page needs)."""
    runs = [raw(sql, params) for sql, params in statements]

    def run() -> None:
        for statement in runs:
            statement()

    return run


def explain(sql: str, params: Iterable = (), *, analyze: bool = True) -> str:
    """The plan of `sql`: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN ({'ANALYZE, BUFFERS, ' if analyze else ''}COSTS OFF) {sql}", list(params))
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", list(params))
        return "\n".join(f"{'  ' * 0}{row[-1]}" for row in cursor.fetchall())


def print_plan(title: str, sql: str, params: Iterable = ()) -> None:
    print(f"\n  plan — {title}:")
    for line in explain(sql, params).splitlines():
        print(f"    {line}")


# --- requests --------------------------------------------------------------------------------


def client_for(username: str):
    """A Django test Client logged in as `username`: full requests through every middleware."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


class Request:
    """A case that GETs `url` (200 or it raises: a benchmark of an error page measures nothing) and
    records, for each call, how many queries it ran and how long they took in the database."""

    def __init__(self, client, url: str, *, htmx: bool = False):
        self.client, self.url = client, url
        self.headers = {"HX-Request": "true"} if htmx else {}
        self.query_counts: list[int] = []
        self.sql_ms: list[float] = []

    def __call__(self):
        with captured_queries() as queries:
            response = self.client.get(self.url, headers=self.headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {self.url} answered {response.status_code}")
        self.query_counts.append(len(queries))
        self.sql_ms.append(sum(query.ms for query in queries))
        return response

    def sql_times(self, repetitions: int = REPETITIONS) -> list[float]:
        """The database time of the timed calls (the warm-up calls come first and are dropped)."""
        return self.sql_ms[-repetitions:]

    def timed_query_counts(self, repetitions: int = REPETITIONS) -> list[int]:
        return sorted(set(self.query_counts[-repetitions:]))

    def note(self) -> str:
        counts = self.timed_query_counts()
        return f"{'/'.join(map(str, counts))} queries, p50 {percentile(self.sql_times(), 0.5):.1f} ms of it in SQL"


def get_ok(client, url: str, *, htmx: bool = False) -> Request:
    return Request(client, url, htmx=htmx)
