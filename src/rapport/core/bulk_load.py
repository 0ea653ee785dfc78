"""Loading millions of generated rows fast: raw `executemany` on SQLite, `COPY` on PostgreSQL.

For `rapport demo --size 1m` and benchmarks only — application writes go through services.
Rows are tuples of plain values in `columns` order: int, str, None, or 0/1 for booleans.
Datetimes are naive UTC text, 'YYYY-MM-DD HH:MM:SS' (see `utc_text`): Django's own SQLite
format, and what PostgreSQL reads in the UTC session Django opens. JSON columns take their text.
Each call to `insert_rows` is one transaction; nothing here sends signals or writes history.
"""

import itertools
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Max, Model

BATCH_ROWS = 50_000
REPORT_EVERY = 1_000_000


def utc_text(moment: datetime) -> str:
    """A naive-UTC datetime as the text both databases store and compare (second precision)."""
    return moment.isoformat(" ", "seconds")  # several times faster than strftime


class LoadReport:
    """Prints rows/s while loading and keeps each table's timings for the summary at the end."""

    def __init__(self, stdout=None):
        self.stdout = stdout
        self.timings: dict[str, dict[str, float]] = {}

    def say(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line)
            self.stdout.flush()

    def add(self, table: str, step: str, seconds: float, cpu_seconds: float, rows: int = 0) -> None:
        entry = self.timings.setdefault(table, {"rows": 0})
        entry[step] = entry.get(step, 0.0) + seconds
        entry[f"{step} cpu"] = entry.get(f"{step} cpu", 0.0) + cpu_seconds
        entry["rows"] += rows

    def summary(self) -> list[str]:
        """Wall-clock seconds per table, and this process's CPU seconds (on SQLite all of the work;
        on PostgreSQL the server's share is not in it)."""
        lines = [f"{'table':<26}{'rows':>12}{'insert s':>10}{'rows/s':>10}{'indexes s':>11}{'total s':>9}"
                 f"{'cpu s':>8}"]
        for table, entry in self.timings.items():
            insert, indexes = entry.get("insert", 0.0), entry.get("indexes", 0.0)
            cpu = entry.get("insert cpu", 0.0) + entry.get("indexes cpu", 0.0)
            rate = entry["rows"] / insert if insert else 0
            lines.append(f"{table:<26}{int(entry['rows']):>12,}{insert:>10.1f}{rate:>10,.0f}{indexes:>11.1f}"
                         f"{insert + indexes:>9.1f}{cpu:>8.1f}")
        return lines


def insert_rows(model: type[Model], columns: list[str], rows: Iterable[tuple], *,
                report: LoadReport | None = None) -> int:
    """Insert `rows` into `model`'s table in one transaction, batch by batch; returns the row count.

    `rows` may be a generator, but one that does not query the database: on PostgreSQL it is drawn
    while COPY holds the connection.
    """
    table = model._meta.db_table
    names = [model._meta.get_field(name).column for name in columns]  # field names or attnames ("owner_id")
    started, cpu_started, count = time.perf_counter(), time.process_time(), 0
    batches = _batches(iter(rows))
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
                    count = _progress(report, table, count, len(batch), started)
        else:
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({', '.join('?' * len(names))})"
            raw = cursor.cursor  # sqlite3's own cursor: Django's wrapper would rewrite every batch's SQL
            for batch in batches:
                raw.executemany(sql, batch)
                count = _progress(report, table, count, len(batch), started)
    elapsed = time.perf_counter() - started
    if report is not None:
        report.add(table, "insert", elapsed, time.process_time() - cpu_started, count)
        report.say(f"  {table}: {count:,} rows in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f} rows/s)")
    return count


def _batches(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    while batch := list(itertools.islice(rows, BATCH_ROWS)):
        yield batch


def _progress(report: LoadReport | None, table: str, count: int, added: int, started: float) -> int:
    total = count + added
    if report is not None and total // REPORT_EVERY != count // REPORT_EVERY:
        elapsed = time.perf_counter() - started
        report.say(f"  {table}: {total:,} rows, {total / elapsed:,.0f} rows/s")
    return total


def next_id(model: type[Model]) -> int:
    """The first free primary key: bulk loads choose their ids so related rows can refer to them."""
    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


@contextmanager
def tuned_for_bulk_load():
    """Session settings for a long load: more memory for sorts and caches; no foreign-key checks on
    SQLite (the generators build every reference from ids they have just written; on PostgreSQL the
    foreign keys are checked once, when `secondary_indexes_dropped` puts them back)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '1GB'")  # index builds sort in memory
            cursor.execute("SET work_mem = '256MB'")  # so "id NOT IN (a million ids)" is hashed, not looped
            cursor.execute("SET synchronous_commit = off")
        else:
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB, in KiB
            cursor.execute("PRAGMA temp_store = MEMORY")
    checks_off = not postgres and connection.disable_constraint_checking()
    try:
        yield
    finally:
        if checks_off:
            connection.enable_constraint_checking()
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("RESET maintenance_work_mem")
                cursor.execute("RESET work_mem")
                cursor.execute("RESET synchronous_commit")
            else:
                cursor.execute("PRAGMA cache_size = -2000")


@contextmanager
def secondary_indexes_dropped(*models: type[Model], report: LoadReport | None = None):
    """Drop the non-unique indexes (and, on PostgreSQL, the foreign keys) of these tables while the
    block loads them, then build them again: one sort per index instead of one B-tree insert per row.
    If the block fails they stay dropped: a failed demo load starts again from an empty database."""
    saved = []
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            indexes, foreign_keys = _secondary_indexes(cursor, table)
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} "
                               f"DROP CONSTRAINT {connection.ops.quote_name(name)}")
            saved.append((table, indexes, foreign_keys))
    yield
    for table, indexes, foreign_keys in saved:
        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction.atomic(), connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} "
                               f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        elapsed = time.perf_counter() - started
        if report is not None:
            report.add(table, "indexes", elapsed, time.process_time() - cpu_started)
            report.say(f"  {table}: {len(indexes)} indexes, {len(foreign_keys)} foreign keys built in {elapsed:.1f} s")


def _secondary_indexes(cursor, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique ORDER BY c.relname",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' ORDER BY conname", [table],
        )
        return indexes, cursor.fetchall()
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
        "AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY name", [table],
    )
    return cursor.fetchall(), []


def reset_sequences(*models: type[Model]) -> None:
    """After loading explicit ids, make the next ordinary INSERT continue after them (PostgreSQL;
    SQLite's AUTOINCREMENT already follows the largest id)."""
    statements = connection.ops.sequence_reset_sql(_NoStyle(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


def analyze() -> None:
    """Fresh planner statistics, so the first page after a load uses the indexes it should.

    A full ANALYZE on SQLite, not a sampled one (`analysis_limit`): sampled statistics said
    `deleted_at IS NULL` matched 1% of the accounts instead of all of them, and the planner then
    sorted every account to show the first 50.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
