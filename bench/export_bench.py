"""Exporting a list of over 100,000 contacts to CSV and XLSX on `rapport demo --size 1m` data, as the
worker writes it (the export job's own run: rows streamed from the list's query, scope and filters
applied, values typed, the file written and stored), next to the raw SQL read of the same rows.

    RAPPORT_DATA_DIR=/path .venv/bin/python bench/export_bench.py            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/export_bench.py         # PostgreSQL

Targets: 100,000 contacts to XLSX ≤ 20 s, to CSV ≤ 5 s. The manager exports rep1's contacts who
agreed to marketing (about 120,000 on the demo data), with the list's default columns. The files go to a
temporary MEDIA_ROOT; the jobs and queued tasks the runs create are deleted afterwards.
"""

import os
import tempfile

os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="rapport-export-bench-")

from common import RESULTS, Target, measure, raw, report_table, setup  # noqa: E402

setup()

from django.http import QueryDict  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from rapport.customers.demo import BIG_OWNER  # noqa: E402
from rapport.dataio import exports  # noqa: E402
from rapport.dataio.models import Job  # noqa: E402
from rapport.directory.models import User  # noqa: E402

REPETITIONS = int(os.environ.get("BENCH_REPETITIONS", 5))


def export_as(actor: User, file_format: str, query: QueryDict):
    """One export as the worker runs it; the job is recorded first, as clicking Export does."""
    rows: list[int] = []

    def run() -> None:
        job = exports.export_start(actor=actor, entity="contacts", file_format=file_format, query=query)
        if job.status != "done":
            job = exports.export_run(job_id=job.pk)
        rows.append(job.total_rows)

    return run, rows


def main() -> None:
    actor, owner = User.objects.get(username="manager"), User.objects.get(username=BIG_OWNER)
    query = QueryDict(f"owner={owner.pk}&marketing_consent=true&sort=full_name")
    started_jobs = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started_tasks = DBTaskResult.objects.values_list("enqueued_at", flat=True).order_by("-enqueued_at").first()
    csv_run, csv_rows = export_as(actor, "csv", query)
    xlsx_run, xlsx_rows = export_as(actor, "xlsx", query)
    read = raw("SELECT c.full_name, a.name, c.title, c.mobile_phone, c.email, c.owner_id FROM customers_contact c "
               "LEFT JOIN customers_account a ON a.id = c.account_id WHERE c.deleted_at IS NULL AND "
               "c.marketing_consent AND c.owner_id = %s ORDER BY c.full_name, c.id", [owner.pk])
    try:
        times = measure({"export to CSV": csv_run, "export to XLSX": xlsx_run, "raw SQL read of the rows": read},
                        repetitions=REPETITIONS, warmup=1)
        print(f"\nrows exported: {set(csv_rows)} (CSV), {set(xlsx_rows)} (XLSX)")
        report_table(f"Export of {BIG_OWNER}'s consenting contacts", times, baseline="raw SQL read of the rows",
                     targets=[Target("export to CSV", "raw SQL read of the rows", factor=0, plus_ms=5000,
                                     label="p95(export to CSV) ≤ 5 s"),
                              Target("export to XLSX", "raw SQL read of the rows", factor=0, plus_ms=20000,
                                     label="p95(export to XLSX) ≤ 20 s")])
    finally:
        Job.objects.filter(pk__gt=started_jobs).delete()
        queued = DBTaskResult.objects.all()
        if started_tasks is not None:
            queued = queued.filter(enqueued_at__gt=started_tasks)
        queued.delete()
    RESULTS.summary()


if __name__ == "__main__":
    main()
