"""The account and contact lists on `rapport demo --size 1m` data: a full request through Django's
test Client for the first page and for a page deep in the list, next to the raw SQL the page needs —
the keyset query that fetches the same 50 rows and the count capped at 1,001 rows ("of more than
1,000") — measured interleaved in the same run; the keyset query alone is shown beside it.

    RAPPORT_DATA_DIR=/path .venv/bin/python bench/list_bench.py               # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/list_bench.py            # PostgreSQL

Targets: request p95 ≤ raw p95 + 5 ms on SQLite, + 7 ms on PostgreSQL (also shown for the htmx partial
that paging and filtering fetch); deep page p95 ≤ 2 × first page p95; no exact count.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from common import (
    RESULTS,
    Target,
    all_of,
    captured_queries,
    client_for,
    data_scale,
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
from django.http import QueryDict  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.core.pagination import _cursor_at, paginate  # noqa: E402
from rapport.customers.views import ACCOUNTS, CONTACTS  # noqa: E402
from rapport.directory.models import User  # noqa: E402
from rapport.records import views  # noqa: E402

PER_PAGE = views.PER_PAGE


@dataclass(frozen=True)
class ListCase:
    entity: str  # "accounts" or "contacts"
    actor: str
    query: dict  # the list's filters and sort, as the browser sends them
    depth_at_1m: int  # rows before the deep page on the 1m data; scaled with the data (data_scale)
    where: str  # the same filter and scope as raw SQL, on alias t (the listed table)

    @property
    def pages(self):
        return {"accounts": ACCOUNTS, "contacts": CONTACTS}[self.entity]

    @property
    def title(self) -> str:
        return f"{self.entity} as {self.actor}, {urlencode(self.query)}"


def scope_of(username: str) -> str:
    user = User.objects.get(username=username)
    return "" if user.is_superuser or user.role.name == "Service agent" else \
        f"({{owner}} IN ({', '.join(str(pk) for pk in user.visible_owner_ids())}))"


def cases() -> list[ListCase]:
    true = "TRUE" if connection.vendor == "postgresql" else "1"
    rep1 = scope_of("rep1")
    return [
        ListCase("accounts", "agent", {"lifecycle_stage": "prospect,customer", "sort": "name"}, 50_000,
                 "t.lifecycle_stage IN ('prospect', 'customer')"),
        ListCase("accounts", "rep1", {"lifecycle_stage": "customer", "sort": "-updated_at"}, 5_000,
                 f"t.lifecycle_stage IN ('customer') AND {rep1.format(owner='t.owner_id')}"),
        ListCase("contacts", "agent", {"marketing_consent": "true", "sort": "full_name"}, 500_000,
                 f"t.marketing_consent = {true}"),
        ListCase("contacts", "rep1", {"sort": "full_name"}, 100_000,
                 f"({rep1.format(owner='t.owner_id')} OR {rep1.format(owner='a.owner_id')})"),
    ]


JOINS = {
    "accounts": ("customers_account", "JOIN directory_user u ON u.id = t.owner_id "
                 "LEFT JOIN directory_team tm ON tm.id = t.team_id "
                 "LEFT JOIN customers_account a ON a.id = t.parent_id"),
    "contacts": ("customers_contact", "LEFT JOIN customers_account a ON a.id = t.account_id "
                 "JOIN directory_user u ON u.id = t.owner_id LEFT JOIN directory_team tm ON tm.id = t.team_id"),
}


def keyset_sql(case: ListCase, after: tuple | None) -> tuple[str, list]:
    """The hand-written page: same rows, same columns (the ORM's select_related), row-value keyset."""
    table, joins = JOINS[case.entity]
    sort = case.query["sort"]
    column, descending = sort.removeprefix("-"), sort.startswith("-")
    direction, compare = ("DESC", "<") if descending else ("ASC", ">")
    where, params = [case.where, "t.deleted_at IS NULL"], []
    if after is not None:
        where.append(f"(t.{column}, t.id) {compare} (%s, %s)")
        params += list(after)
    sql = (f"SELECT t.*, u.*, tm.*, a.* FROM {table} t {joins} WHERE {' AND '.join(where)} "
           f"ORDER BY t.{column} {direction}, t.id {direction} LIMIT {PER_PAGE + 1}")
    return sql, params


def deep_cursor(case: ListCase) -> tuple[str, tuple, int]:
    """The cursor a user would hold after walking the case's depth in rows, built from the row at that
    depth; the depth scales with the data, and stays inside a list shorter than it."""
    filters = case.pages.list.parse(QueryDict(urlencode(case.query)))
    actor = User.objects.get(username=case.actor)
    records = filters.ordering.order_by(case.pages.operations.select(actor, filters))
    records = records.select_related(None).prefetch_related(None)
    depth = max(PER_PAGE, round(case.depth_at_1m * data_scale()))
    if not records[depth - 1:depth].exists():
        depth = max(1, records.count() // 2)
    row = records[depth - 1]
    field = row._meta.get_field(filters.ordering.field)
    value = field.get_db_prep_value(getattr(row, field.attname), connection)  # as the raw SQL must pass it
    return _cursor_at("after", depth // PER_PAGE + 1, row, filters.ordering), (value, row.pk), depth


def bench(case: ListCase) -> None:
    client = client_for(case.actor)
    url = reverse(f"customers:{case.pages.url_prefix}_list")
    first_url = f"{url}?{urlencode(case.query)}"
    cursor, after, depth = deep_cursor(case)
    deep_url = f"{url}?{urlencode({**case.query, 'cursor': cursor})}"
    first_sql, first_params = keyset_sql(case, None)
    deep_sql, deep_params = keyset_sql(case, after)
    raw_first, raw_deep = raw(first_sql, first_params), raw(deep_sql, deep_params)

    def raw_with_count(sql, params):
        """The page's rows and its capped count: what the page needs (its columns show no tags)."""
        table = JOINS[case.entity][0]
        join = "LEFT JOIN customers_account a ON a.id = t.account_id" if "a." in case.where else ""
        return all_of([(sql, params), (f"SELECT COUNT(*) FROM (SELECT t.id FROM {table} t {join} WHERE {case.where} "
                                       f"AND t.deleted_at IS NULL LIMIT 1001) capped", [])])

    requests = {
        "request, first page": get_ok(client, first_url),
        f"request, {depth:,} rows deep": get_ok(client, deep_url),
        "htmx partial, first page": get_ok(client, first_url, htmx=True),
        f"htmx partial, {depth:,} rows deep": get_ok(client, deep_url, htmx=True),
    }
    times = measure({
        **requests,
        "raw keyset SQL, first page": raw_first,
        f"raw keyset SQL, {depth:,} rows deep": raw_deep,
        "raw page + capped count, first": raw_with_count(first_sql, first_params),
        "raw page + capped count, deep": raw_with_count(deep_sql, deep_params),
    })
    deep = f"{depth:,} rows deep"
    times["SQL inside the request, first page"] = requests["request, first page"].sql_times()
    times[f"SQL inside the request, {deep}"] = requests[f"request, {deep}"].sql_times()
    report_table(case.title, times, baseline="raw keyset SQL, first page",
                 notes={name: request.note() for name, request in requests.items()}, targets=[
        Target("request, first page", "raw page + capped count, first", plus_ms=page_allowance_ms()),
        Target(f"request, {deep}", "raw page + capped count, deep", plus_ms=page_allowance_ms()),
        Target("htmx partial, first page", "raw page + capped count, first", plus_ms=page_allowance_ms()),
        Target(f"request, {deep}", "request, first page", factor=2),
    ])
    show_counting(client, case, deep_url, cursor)
    print_plan("deep page, raw keyset SQL", deep_sql, deep_params)


def show_counting(client, case: ListCase, url: str, cursor: str) -> None:
    """Print every COUNT the page runs: each must be capped (LIMIT 1001), never a count of all rows."""
    with captured_queries() as queries:
        client.get(url)
    table = JOINS[case.entity][0]
    for query in (q for q in queries if "COUNT(" in q.sql.upper() and table in q.sql):
        capped = "LIMIT 1001" in query.sql.upper()
        print(f"  count query ({'capped at 1001 rows' if capped else 'NOT CAPPED'}, {query.ms:.2f} ms): "
              f"…{query.sql[-100:]}")
    filters = case.pages.list.parse(QueryDict(urlencode(case.query)))
    actor = User.objects.get(username=case.actor)
    page = paginate(case.pages.operations.select(actor, filters), filters.ordering, cursor=cursor,
                    per_page=PER_PAGE)
    total = "more than 1,000" if not page.count_is_exact else f"{page.count_capped:,}"
    print(f"  the deep page shows rows {page.first_index:,}–{page.last_index:,} of {total}")


if __name__ == "__main__":
    for list_case in cases():
        bench(list_case)
    RESULTS.summary()
