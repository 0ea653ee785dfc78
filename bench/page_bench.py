"""The pages of issue 16's table that no other script measures, on `rapport demo --size 1m` data: a
contact's page, and the contact list's quick search (`?q=`), each a full request through Django's test
Client next to hand-written SQL that reads the same rows, interleaved in the same run.

    RAPPORT_DATA_DIR=/path .venv/bin/python bench/page_bench.py               # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/page_bench.py            # PostgreSQL
    … bench/page_bench.py --contact-page                                      # that page only

Targets: a page's p95 ≤ its raw SQL's p95 + 5 ms on SQLite, + 7 ms on PostgreSQL; a quick search's
p95 ≤ 50 ms. The raw SQL of a quick search asks the search index for the ids (the backend's own
statement, which is hand-written SQL), then reads those contacts' first 50 rows in name order and their
capped count.
"""

import sys
from collections.abc import Callable
from urllib.parse import urlencode

from common import (
    RESULTS,
    Target,
    all_of,
    client_for,
    get_ok,
    measure,
    page_allowance_ms,
    raw,
    report_table,
    setup,
)

setup()

from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.customers.models import Account, Contact  # noqa: E402
from rapport.directory.models import User  # noqa: E402
from rapport.search.backends import backend  # noqa: E402
from rapport.search.selectors import FEW_MATCHES  # noqa: E402
from rapport.search.tokens import parse_query  # noqa: E402
from rapport.timeline.demo import special_accounts  # noqa: E402
from rapport.timeline.selectors import FILTER_OPTIONS_FROM_LATEST  # noqa: E402

PER_PAGE = 50


def contact_page_sql(contact: Contact) -> list[tuple[str, list]]:
    """What a contact's page reads, hand-written: the contact with its account, owner and team; its last
    history rows; the departments and people of its latest timeline entries (the filters); the timeline's first page;
    comments on it; its last customer contact; its next open task; its tags."""
    true, false = ("TRUE", "FALSE") if connection.vendor == "postgresql" else ("1", "0")
    entries = (f"FROM timeline_timelineentry e LEFT JOIN directory_user u ON u.id = e.actor_id "
               f"WHERE e.contact_id = %s AND e.source_deleted = {false}")
    return [
        ("SELECT c.*, a.*, u.*, t.* FROM customers_contact c LEFT JOIN customers_account a ON a.id = c.account_id "
         "JOIN directory_user u ON u.id = c.owner_id LEFT JOIN directory_team t ON t.id = c.team_id "
         "WHERE c.id = %s AND c.deleted_at IS NULL", [contact.pk]),
        ("SELECT h.*, u.* FROM audit_change h LEFT JOIN directory_user u ON u.id = h.actor_id "
         "WHERE h.content_type_id = (SELECT id FROM django_content_type WHERE app_label = 'customers' "
         "AND model = 'contact') AND h.object_id = %s ORDER BY h.at DESC, h.id DESC LIMIT 10", [contact.pk]),
        (f"SELECT DISTINCT e.department, e.actor_id, u.display_name, u.username FROM (SELECT e.id {entries} "
         f"ORDER BY e.occurred_at DESC, e.id DESC LIMIT {FILTER_OPTIONS_FROM_LATEST}) AS latest "
         f"JOIN timeline_timelineentry e ON e.id = latest.id LEFT JOIN directory_user u ON u.id = e.actor_id",
         [contact.pk]),
        (f"SELECT e.*, u.* {entries} ORDER BY e.occurred_at DESC, e.id DESC LIMIT 26", [contact.pk]),
        ("SELECT m.*, u.* FROM timeline_comment m JOIN directory_user u ON u.id = m.author_id "
         "WHERE m.contact_id = %s ORDER BY m.created_at DESC LIMIT 26", [contact.pk]),
        (f"SELECT e.*, u.* {entries} AND e.is_customer_contact = {true} ORDER BY e.occurred_at DESC, e.id DESC "
         f"LIMIT 1", [contact.pk]),
        ("SELECT t.*, u.* FROM timeline_task t JOIN directory_user u ON u.id = t.assignee_id WHERE t.contact_id = %s "
         "AND t.status = 'open' AND t.due_at IS NOT NULL AND t.deleted_at IS NULL ORDER BY t.due_at, t.id LIMIT 1",
         [contact.pk]),
        ("SELECT g.id, g.name FROM customers_tag g JOIN customers_contact_tags l ON l.tag_id = g.id "
         "WHERE l.contact_id = %s ORDER BY g.name", [contact.pk]),
    ]


def quick_search_rows(text: str, scope: str) -> Callable[[], None]:
    """The list's first page for `?q=text`, by hand: the ids the index finds (up to FEW_MATCHES; more, and
    the index query stays a sub-query), then those contacts' first 50 rows by name and their capped count."""
    ids_sql, ids_params = backend().ids_matching(parse_query(text), "contact")

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"{ids_sql} LIMIT {FEW_MATCHES + 1}", ids_params)
            found = [str(row[0]) for row in cursor.fetchall()]
            ids, params = (", ".join(found) or "NULL", []) if len(found) <= FEW_MATCHES else (ids_sql, ids_params)
            where = f"c.id IN ({ids}) AND c.deleted_at IS NULL AND {scope}"
            cursor.execute(f"SELECT c.*, a.*, u.* FROM customers_contact c LEFT JOIN customers_account a "
                           f"ON a.id = c.account_id JOIN directory_user u ON u.id = c.owner_id WHERE {where} "
                           f"ORDER BY c.full_name, c.id LIMIT {PER_PAGE + 1}", params)
            cursor.fetchall()
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT c.id FROM customers_contact c WHERE {where} LIMIT 1001) n",
                           params)
            cursor.fetchall()
    return run


def bench_contact_page() -> None:
    account = Account.objects.get(pk=special_accounts()["10k"])  # 10,000 activities at full size
    contact = Contact.objects.filter(account=account).order_by("pk").first()
    owner = User.objects.get(pk=account.owner_id)
    client = client_for(owner.username)
    page = get_ok(client, reverse("customers:contact_detail", args=[contact.pk]))
    statements = contact_page_sql(contact)
    times = measure({"contact page": page, "raw SQL of the page": all_of(statements)})
    times["SQL inside the request"] = page.sql_times()
    report_table(f"contact page, {contact.activities.count():,} activities, as {owner.username}", times,
                 baseline="raw SQL of the page", notes={"contact page": page.note()},
                 targets=[Target("contact page", "raw SQL of the page", plus_ms=page_allowance_ms())])


def bench_quick_search(username: str, text: str) -> None:
    actor = User.objects.get(username=username)
    client = client_for(username)
    url = f"{reverse('customers:contact_list')}?{urlencode({'q': text, 'sort': 'full_name'})}"
    request = get_ok(client, url)
    # The agent sees every contact; a rep with scope "own" those they own or whose account they own.
    scope = "1 = 1" if username == "agent" else (
        f"(c.owner_id = {actor.pk} OR c.account_id IN (SELECT id FROM customers_account WHERE owner_id = {actor.pk}))")
    rows = quick_search_rows(text, scope)
    baseline = "raw: index ids, then 50 rows and capped count"
    times = measure({"contact list ?q=": request, baseline: rows, "raw: the index's ids alone": raw(*_ids(text))})
    times["SQL inside the request"] = request.sql_times()
    found = _ids_found(text)
    report_table(f"contact list ?q={text} as {username} ({found:,} found in the index)",
                 times, baseline=baseline, notes={"contact list ?q=": request.note()},
                 targets=[Target("contact list ?q=", baseline, plus_ms=page_allowance_ms()),
                          Target("contact list ?q=", baseline, factor=0, plus_ms=50,
                                 label="p95(contact list ?q=) ≤ 50 ms")])


def _ids(text: str) -> tuple[str, list]:
    return backend().ids_matching(parse_query(text), "contact")


def _ids_found(text: str) -> int:
    return len(raw(*_ids(text))())


QUICK_SEARCHES = [("agent", "company33364"), ("agent", "Karen Jackson"), ("rep1", "Karen Jackson"),
                  ("agent", "张伟"), ("agent", "example")]

if __name__ == "__main__":
    bench_contact_page()
    for username, text in [] if sys.argv[1:] == ["--contact-page"] else QUICK_SEARCHES:
        bench_quick_search(username, text)
    RESULTS.summary()
