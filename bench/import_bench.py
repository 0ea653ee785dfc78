"""Importing contacts: Rapport's import against a raw bulk load of the same rows into the same table.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rapport_dev .venv/bin/python bench/import_bench.py
    RAPPORT_DATA_DIR=/tmp/rapport_1m .venv/bin/python bench/import_bench.py --into-existing --rows 5000

It writes N contacts as a CSV (Chinese headers, names, mobiles, emails, titles, departments, the name of
one of 200 accounts, a birthday), then times, interleaved and alternating which goes first, each on an
emptied contacts table:
- import: the import job's run as the task runs it, without the task queue — the whole file read once,
  every row converted and validated by the services' rules, duplicates looked up by email a batch at a
  time, the valid rows written by the bulk services with their history, search entries and undo records;
- raw: the same rows, converted beforehand, loaded in one transaction: COPY on PostgreSQL (psycopg),
  executemany on SQLite — the same table and indexes, nothing else.
It prints p50/p95 of each and their ratio, then (from one more, untimed import) how the import's CPU
time divides between its parts. Figures only; nothing is asserted.

SQLite runs in a fresh database in a temporary directory (SQLITE_PATH to choose one); PostgreSQL in a
database named <yours>_import_bench on the same server, created if needed — never in yours. With
--into-existing both run in the database Rapport is configured with (a `rapport demo --size 1m` one):
each round removes the rows it added (those above the ids the tables had), and the bench's 200 accounts
and its user go at the end.
"""

import argparse
import csv
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--into-existing", action="store_true",
                        help="Import into the database Rapport is configured with (e.g. the 1m one) instead of an "
                             "empty one; each round removes only what it added.")
    parser.add_argument("--no-breakdown", dest="breakdown", action="store_false",
                        help="Skip the instrumented run that divides the import's time between its parts.")
    return parser.parse_args()


OPTIONS = arguments()
WORK_DIR = Path(tempfile.mkdtemp(prefix="rapport-import-bench-"))
os.environ.setdefault("MEDIA_ROOT", str(WORK_DIR / "media"))
if OPTIONS.into_existing:
    pass
elif os.environ.get("DATABASE_URL"):
    import psycopg

    base_url = os.environ["DATABASE_URL"]
    bench_name = base_url.rsplit("/", 1)[1].split("?")[0] + "_import_bench"
    server_url = base_url.rsplit("/", 1)[0] + "/postgres"  # the maintenance database, which always exists
    with psycopg.connect(server_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name]).fetchone():
            admin.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + bench_name
else:
    os.environ.setdefault("SQLITE_PATH", str(WORK_DIR / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.audit.models import Change  # noqa: E402
from rapport.core.phones import to_e164  # noqa: E402
from rapport.customers.models import Account, Contact  # noqa: E402
from rapport.dataio import import_jobs  # noqa: E402
from rapport.dataio.models import ImportedRecord, Job, JobKind  # noqa: E402
from rapport.directory.models import User  # noqa: E402
from rapport.search.models import SearchEntry  # noqa: E402

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英"]
TITLES = ["销售经理", "采购经理", "总经理", "财务总监", "工程师", "Buyer", "Sales Manager", "CTO"]
DEPARTMENTS = ["销售部", "采购部", "财务部", "技术部", "市场部", "Purchasing"]
HEADER = ["姓名", "邮箱", "手机", "职位", "部门", "所属公司", "生日"]
ACCOUNTS = 200


def generate(path: Path, rows: int, accounts: list[str]) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            birthday = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
            writer.writerow([
                rng.choice(FAMILY) + rng.choice(GIVEN) + f"{number:06d}", f"person{number}@import-bench.example.com",
                f"138{number:08d}", rng.choice(TITLES), rng.choice(DEPARTMENTS), rng.choice(accounts),
                birthday.isoformat(),
            ])


def raw_rows(path: Path, owner: User, accounts: dict[str, int]) -> tuple[list[str], list[tuple]]:
    """The contacts of the file as table rows, prepared before timing."""
    fields = [field for field in Contact._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for name, email, mobile, title, department, account, birthday in reader:
            contact = Contact(full_name=name, email=email, mobile_phone=mobile, mobile_phone_e164=to_e164(mobile),
                              title=title, department=department, account_id=accounts[account],
                              birthday=datetime.date.fromisoformat(birthday), owner=owner, team_id=owner.team_id,
                              created_by=owner, created_at=now, updated_at=now)
            rows.append(tuple(field.get_db_prep_save(getattr(contact, field.attname), connection) for field in fields))
    return [field.column for field in fields], rows


BENCH_TABLES = (ImportedRecord, SearchEntry, Change, Contact)


def last_ids() -> dict:
    """The largest id of each table the bench writes to: what was there before a round."""
    return {model: model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in BENCH_TABLES}


def remove_added(before: dict) -> None:
    """Back to the tables as they were: all of them emptied, or (--into-existing) only the rows above
    the ids they had before."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and not any(before.values()):
            tables = [model._meta.db_table for model in BENCH_TABLES]
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for model in BENCH_TABLES:
                model._base_manager.filter(pk__gt=before[model])._raw_delete(connection.alias)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def time_import(owner: User, stored_name: str) -> float:
    job = Job.objects.create(
        kind=JobKind.IMPORT,
        user=owner, entity="contacts", file=stored_name, original_filename="contacts.csv", file_format="csv",
        encoding="utf-8", header=HEADER, dry_run=False, enqueued_at=timezone.now(),
        options={"columns": ["full_name", "email", "mobile_phone", "title", "department", "account_name", "birthday"],
                 "duplicate_key": "email", "on_duplicate": "skip"},
    )
    started = time.perf_counter()
    import_jobs.import_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != "done" or job.rejected_count:
        sys.exit(f"The import did not import everything: {job.status} {job.error} {job.rejected_sample[:3]}")
    return elapsed


def time_raw(columns: list[str], rows: list[tuple]) -> float:
    table = Contact._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)
    return time.perf_counter() - started


def breakdown(owner: User, stored_name: str, rows: int, before: dict) -> list[tuple[str, float]]:
    """CPU time of the import's parts, from one instrumented run: (part, µs per row). A part's time excludes
    the parts it calls (the INSERTs are one part, whichever part sends them)."""
    from rapport.audit import history
    from rapport.core import bulk
    from rapport.customers import imports as customer_imports
    from rapport.customers import services
    from rapport.dataio import import_files
    from rapport.search import services as search_services

    parts = {
        "validation (services.record_build: the forms' rules)": [(services, "record_build")],
        "history rows (audit snapshot + record_many)": [(history, "snapshot"), (history, "record_many")],
        "search entries (search.index_created)": [(search_services, "index_created")],
        "INSERTs of contacts, history, search entries, undo (core.bulk.insert_many)": [(bulk, "insert_many")],
        "cells to values (dataio.convert_row)": [(import_jobs, "convert_row")],
        "accounts by name (ContactImport.resolve)": [(customer_imports.ContactImport, "resolve")],
        "duplicates by email (one query per batch)": [(import_jobs._Run, "sort_duplicates")],
        "reading the whole file first (count_rows)": [(import_files, "count_rows")],
    }
    spent = dict.fromkeys(parts, 0.0)
    inner = [0.0]  # CPU time of timed parts called by the part running now
    originals = {}

    def timed(label, function):
        def wrapper(*args, **kwargs):
            started, outer_inner = time.process_time(), inner[0]
            inner[0] = 0.0
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - started
                spent[label] += elapsed - inner[0]
                inner[0] = outer_inner + elapsed
        return wrapper

    for label, functions in parts.items():
        for owner_object, name in functions:
            originals[(owner_object, name)] = getattr(owner_object, name)
            setattr(owner_object, name, timed(label, getattr(owner_object, name)))
    try:
        remove_added(before)
        started = time.process_time()
        time_import(owner, stored_name)
        total = time.process_time() - started
    finally:
        for (owner_object, name), original in originals.items():
            setattr(owner_object, name, original)
    figures = [(label, seconds / rows * 1e6) for label, seconds in spent.items()]
    figures.append(("everything else (job, batches, Python)", (total - sum(spent.values())) / rows * 1e6))
    figures.append(("total CPU", total / rows * 1e6))
    return figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    options = OPTIONS
    if not options.into_existing:
        call_command("migrate", verbosity=0)
    owner = User.objects.filter(username="import-bench").first() or User.objects.create_superuser(
        "import-bench", "import-bench@example.com", "import-bench")
    before = last_ids() if options.into_existing else dict.fromkeys(BENCH_TABLES, 0)
    remove_added(before)
    Account.all_objects.filter(owner=owner).delete()
    accounts = {f"华东贸易{number:03d}有限公司": Account.objects.create(
        name=f"华东贸易{number:03d}有限公司", owner=owner).pk for number in range(ACCOUNTS)}
    media = Path(os.environ["MEDIA_ROOT"]) / "imports" / "bench"
    media.mkdir(parents=True, exist_ok=True)
    path = media / "contacts.csv"
    generate(path, options.rows, list(accounts))
    columns, rows = raw_rows(path, owner, accounts)
    contacts_before = Contact._base_manager.count()

    timings: dict[str, list[float]] = {"import": [], "raw": []}
    for repetition in range(options.repeat):
        order = ["import", "raw"] if repetition % 2 == 0 else ["raw", "import"]
        for method in order:
            remove_added(before)
            if method == "import":
                timings[method].append(time_import(owner, "imports/bench/contacts.csv"))
            else:
                timings[method].append(time_raw(columns, rows))
            if (added := Contact._base_manager.count() - contacts_before) != options.rows:
                sys.exit(f"{method} loaded {added} rows, not {options.rows}")
            print(f"repetition {repetition + 1}/{options.repeat}: {method} {timings[method][-1]:.3f} s",
                  file=sys.stderr, flush=True)
    remove_added(before)

    into = f"into {contacts_before:,} contacts" if options.into_existing else "into an empty table"
    print(f"database: {connection.vendor}; rows: {options.rows} {into}; repetitions: {options.repeat} (interleaved)")
    for method, label in (("import", "Rapport import (validated, email duplicates, bulk)"), ("raw", "raw bulk load")):
        p50, p95 = statistics.median(timings[method]), percentile(timings[method], 0.95)
        print(f"{label:52} p50 {p50:8.3f} s  p95 {p95:8.3f} s  {options.rows / p50:10,.0f} rows/s")
    ratio50 = statistics.median(timings["import"]) / statistics.median(timings["raw"])
    ratio95 = percentile(timings["import"], 0.95) / percentile(timings["raw"], 0.95)
    print(f"ratio import/raw: p50 {ratio50:.2f}x  p95 {ratio95:.2f}x")
    if options.breakdown:
        print("CPU per row of one more (instrumented, untimed) import:")
        for label, micros in breakdown(owner, "imports/bench/contacts.csv", options.rows, before):
            print(f"  {label:78} {micros:8.0f} µs")
        remove_added(before)
    if options.into_existing:
        Account.all_objects.filter(owner=owner).delete()
        Job.objects.filter(user=owner).delete()
        owner.delete()  # the database is left as it was found


if __name__ == "__main__":
    main()
