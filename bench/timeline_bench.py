"""The account page (its timeline) and "my tasks" on `rapport demo --size 1m` data: full requests
through Django's test Client next to raw SQL baselines, measured interleaved in the same run.

    RAPPORT_DATA_DIR=/path .venv/bin/python bench/timeline_bench.py           # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/timeline_bench.py        # PostgreSQL

Targets: the 10,000-activity account page p95 ≤ raw + 5 ms on SQLite, + 7 ms on PostgreSQL; the 100,000-activity account
no slower than 1.5 × a 10-activity one, with the same number of queries; my tasks for the rep who
holds 20% of everything p95 ≤ raw + 5 / 7 ms. "Raw" is all the SQL the page needs, hand-written (the
account page's seven reads; my tasks' 50 rows and capped count); the timeline query alone is
shown beside it.
"""

from common import (
    RESULTS,
    Target,
    all_of,
    captured_queries,
    client_for,
    get_ok,
    measure,
    page_allowance_ms,
    print_plan,
    raw,
    report_table,
    setup,
)

setup()

from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.customers.demo import BIG_OWNER  # noqa: E402
from rapport.directory.models import User  # noqa: E402
from rapport.timeline.demo import special_accounts  # noqa: E402
from rapport.timeline.models import Activity  # noqa: E402

TIMELINE_PAGE = 25


def timeline_sql(account_id: int) -> tuple[str, list]:
    """The first page of the account's timeline, newest first, with who did it."""
    return (f"SELECT e.*, u.* FROM timeline_timelineentry e LEFT JOIN directory_user u ON u.id = e.actor_id "
            f"WHERE e.account_id = %s ORDER BY e.occurred_at DESC, e.id DESC LIMIT {TIMELINE_PAGE + 1}", [account_id])


def page_reads_sql(account_id: int) -> list[tuple[str, list]]:
    """What the account page must read, hand-written: the account, its timeline page, last contact,
    next step, its contacts and child accounts, and the contact counts."""
    true = "TRUE" if connection.vendor == "postgresql" else "1"
    return [
        ("SELECT a.*, u.*, t.* FROM customers_account a JOIN directory_user u ON u.id = a.owner_id "
         "LEFT JOIN directory_team t ON t.id = a.team_id WHERE a.id = %s", [account_id]),
        timeline_sql(account_id),
        (f"SELECT e.*, u.* FROM timeline_timelineentry e LEFT JOIN directory_user u ON u.id = e.actor_id "
         f"WHERE e.account_id = %s AND e.is_customer_contact = {true} ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1",
         [account_id]),
        ("SELECT t.*, u.* FROM timeline_task t JOIN directory_user u ON u.id = t.assignee_id WHERE t.account_id = %s "
         "AND t.status = 'open' AND t.due_at IS NOT NULL ORDER BY t.due_at, t.id LIMIT 1", [account_id]),
        ("SELECT c.*, u.* FROM customers_contact c JOIN directory_user u ON u.id = c.owner_id "
         "WHERE c.account_id = %s AND c.deleted_at IS NULL ORDER BY c.full_name, c.id", [account_id]),
        ("SELECT a.* FROM customers_account a WHERE a.parent_id = %s AND a.deleted_at IS NULL ORDER BY a.name, a.id",
         [account_id]),
        (f"SELECT COUNT(*), SUM(CASE WHEN marketing_consent = {true} THEN 1 ELSE 0 END) FROM customers_contact "
         f"WHERE account_id = %s AND deleted_at IS NULL", [account_id]),
    ]


def my_tasks_sql(user_id: int) -> tuple[str, list]:
    return ("SELECT t.*, a.*, c.*, o.* FROM timeline_task t LEFT JOIN customers_account a ON a.id = t.account_id "
            "LEFT JOIN customers_contact c ON c.id = t.contact_id JOIN directory_user o ON o.id = t.owner_id "
            "WHERE t.assignee_id = %s AND t.status = 'open' ORDER BY t.due_at ASC NULLS LAST, t.id ASC LIMIT 51",
            [user_id])


def queries_of(client, url: str) -> tuple[int, float, list]:
    with captured_queries() as queries:
        client.get(url)
    return len(queries), sum(q.ms for q in queries), queries


def bench_account_pages(client) -> None:
    accounts = special_accounts()
    activity_counts = {name: Activity.objects.filter(account_id=pk).count() for name, pk in accounts.items()}
    described = ", ".join(f"#{pk} has {activity_counts[name]:,} activities" for name, pk in accounts.items())
    print(f"\naccounts: {described}")
    url = {name: reverse("customers:account_detail", args=[pk]) for name, pk in accounts.items()}
    requests = {f"request, {name}-activity account": get_ok(client, url[name]) for name in ("10", "10k", "100k")}
    cases = dict(requests)
    for name in ("10", "10k", "100k"):
        sql, params = timeline_sql(accounts[name])
        cases[f"raw timeline SQL, {name}"] = raw(sql, params)
        cases[f"raw page reads (7 queries), {name}"] = all_of(page_reads_sql(accounts[name]))
    times = measure(cases)
    for name in ("10k", "100k"):
        times[f"SQL inside the request, {name}"] = requests[f"request, {name}-activity account"].sql_times()
    report_table("Account page", times, baseline="raw page reads (7 queries), 10k",
                 notes={name: request.note() for name, request in requests.items()}, targets=[
        Target("request, 10k-activity account", "raw page reads (7 queries), 10k", plus_ms=page_allowance_ms()),
        Target("request, 100k-activity account", "request, 10-activity account", factor=1.5),
    ])
    counts = {name: request.timed_query_counts() for name, request in requests.items()}
    constant = len({tuple(value) for value in counts.values()}) == 1 and all(len(v) == 1 for v in counts.values())
    print(f"  query counts: {counts} — {'constant' if constant else 'NOT CONSTANT'}")
    _count, _ms, queries = queries_of(client, url["100k"])
    print("  slowest queries of the 100k-activity account page:")
    for query in sorted(queries, key=lambda q: -q.ms)[:5]:
        print(f"    {query.ms:7.2f} ms  {query.sql[:150]}")
    sql, params = timeline_sql(accounts["100k"])
    print_plan("timeline page of the 100k-activity account", sql, params)


def bench_my_tasks(client, user: User) -> None:
    from rapport.timeline.models import Task

    open_tasks = Task.objects.filter(assignee=user, status="open").count()
    print(f"\n{user.username}: {Task.objects.filter(assignee=user).count():,} tasks assigned, {open_tasks:,} open "
          f"(of {Task.objects.count():,})")
    sql, params = my_tasks_sql(user.pk)
    url = reverse("timeline:my_tasks")
    request = get_ok(client, url)
    count_sql = ("SELECT COUNT(*) FROM (SELECT t.id FROM timeline_task t WHERE t.assignee_id = %s "
                 "AND t.status = 'open' LIMIT 1001) capped")
    times = measure({"request, my tasks": request, "raw SQL, first 50 open tasks": raw(sql, params),
                     "raw SQL, first 50 + capped count": all_of([(sql, params), (count_sql, [user.pk])])})
    times["SQL inside the request"] = request.sql_times()
    report_table(f"My tasks ({user.username})", times, baseline="raw SQL, first 50 + capped count",
                 notes={"request, my tasks": request.note()},
                 targets=[Target("request, my tasks", "raw SQL, first 50 + capped count", plus_ms=page_allowance_ms())])
    print_plan("my tasks, raw SQL", sql, params)


if __name__ == "__main__":
    big_owner = User.objects.get(username=BIG_OWNER)
    owner_client = client_for(BIG_OWNER)
    bench_account_pages(owner_client)
    bench_my_tasks(owner_client, big_owner)
    RESULTS.summary()
