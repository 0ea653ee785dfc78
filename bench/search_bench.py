"""Global search: the service call against the raw index SQL it runs, on whatever data is loaded.

    RAPPORT_DATA_DIR=/tmp/searchbench .venv/bin/python bench/search_bench.py [--repeat 21] [--query TEXT ...]
    DATABASE_URL=postgres://... .venv/bin/python bench/search_bench.py

For each user and query it times, interleaved and alternating which goes first:
- service: `rapport.search.selectors.search(actor=..., text=..., limit=...)` as a request would call
  it — query parsing, the user's grants and reports read afresh (per request, they are), the SQL,
  the result objects;
- raw: the same SQL statement with the same parameters, compiled once, through a plain cursor.
It prints p50/p95 of each and their ratio. Figures only; nothing is asserted.

Users: a superuser (scope "all") and the owner of the fewest indexed records (a rep with a small
share: the case where a top-N filtered afterwards would find nothing). Queries: a Latin prefix, a
two-character Chinese term, a full phone number and the last four digits of one — taken from the
index so that they match — unless given with --query.
"""

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from rapport.search.backends import backend  # noqa: E402
from rapport.search.models import SearchEntry  # noqa: E402
from rapport.search.selectors import search, search_types_named, type_scope  # noqa: E402
from rapport.search.tokens import REVERSED_PHONE_MARK, parse_query  # noqa: E402

CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
LATIN_WORD = re.compile(r"\b[a-z]{5,}\b")
SAMPLE = 2000


def sample_queries() -> list[tuple[str, str]]:
    """(kind, text) pairs that match something in the index."""
    rows = list(SearchEntry.objects.order_by("id").values_list("title", "tokens")[:SAMPLE])
    if not rows:
        sys.exit("The search index is empty: load data (rapport demo) or run `rapport rebuild_search_index`.")
    latin = Counter(word for title, _ in rows for word in LATIN_WORD.findall(title.lower()))
    chinese = Counter(pair for title, _ in rows for pair in CJK_PAIR.findall(title) if pair not in {"有限", "公司"})
    queries = []
    if latin:
        queries.append(("latin prefix", latin.most_common(1)[0][0][:3]))
    if chinese:
        queries.append(("chinese 2-char", chinese.most_common(1)[0][0]))
        queries.append(("chinese 2-char, rarer", chinese.most_common()[len(chinese) // 2][0]))
    phone = next((token for _, tokens in rows for token in tokens.split() if token.startswith(REVERSED_PHONE_MARK)
                  and len(token) > 10), None)
    if phone:
        digits = phone[len(REVERSED_PHONE_MARK):][::-1]
        queries.append(("phone, full", "+" + digits))
        queries.append(("phone, last 4", digits[-4:]))
    return queries


def chosen_users():
    users = get_user_model().objects
    wide = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    owners = (SearchEntry.objects.filter(owner_id__isnull=False).values("owner_id").annotate(rows=Count("id"))
              .order_by("rows", "owner_id"))
    narrow = None
    for row in owners:  # the smallest owner who sees only their own records (no reports)
        candidate = users.filter(pk=row["owner_id"], is_active=True, is_superuser=False).first()
        if candidate is not None and not users.filter(manager=candidate).exists():
            narrow = candidate
            break
    return [user for user in (wide, narrow) if user is not None]


def fresh(user):
    """The user as a new request sees it: grants, reports and team members not cached yet."""
    for cached in ("_access_scopes", "_visible_owner_ids", "_team_member_ids"):
        user.__dict__.pop(cached, None)
    return user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=21, help="timed runs of each (at least 5)")
    parser.add_argument("--limit", type=int, default=10, help="results per type, as the API's default")
    parser.add_argument("--query", action="append", help="search for this instead of the sampled queries")
    options = parser.parse_args()
    repeat = max(options.repeat, 5)
    queries = [("given", text) for text in options.query] if options.query else sample_queries()
    users = chosen_users()
    total = SearchEntry.objects.count()
    print(f"database: {connection.vendor}, index entries: {total:,}, repetitions: {repeat}, limit {options.limit}/type")
    for user in users:
        share = SearchEntry.objects.filter(owner_id=user.pk).count() / total if total else 0
        print(f"user {user.username}: {'superuser' if user.is_superuser else f'owns {share:.2%} of the entries'}")

    cases = []
    for user in users:
        scopes = [s for t in search_types_named(None) if (s := type_scope(fresh(user), t)) is not None]
        if not scopes:
            print(f"user {user.username} may not view any searchable type; skipped")
            continue
        for kind, text in queries:
            sql, params = backend().compile(parse_query(text), scopes, options.limit)
            cases.append({"user": user, "kind": kind, "text": text, "sql": sql, "params": params,
                          "service": [], "raw": [], "hits": 0})

    def run_service(case):
        started = time.perf_counter()
        results = search(actor=fresh(case["user"]), text=case["text"], limit=options.limit)
        elapsed = time.perf_counter() - started
        case["hits"] = len(results.hits)
        return elapsed

    def run_raw(case):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(case["sql"], case["params"])
            cursor.fetchall()
        return time.perf_counter() - started

    for case in cases:  # warm-up: connection, statement caches, pages in memory
        run_service(case)
        run_raw(case)
    for round_number in range(repeat):
        for case in cases:
            order = (("service", run_service), ("raw", run_raw))
            for name, run in order if round_number % 2 == 0 else reversed(order):
                case[name].append(run(case) * 1000)

    header = f"{'user':<10} {'query':<22} {'text':<16} {'hits':>4}  {'service p50':>11} {'p95':>8}  " \
             f"{'raw SQL p50':>11} {'p95':>8}  {'ratio p50':>9}"
    print(header)
    print("-" * len(header))
    for case in cases:
        service50, raw50 = statistics.median(case["service"]), statistics.median(case["raw"])
        print(f"{case['user'].username:<10} {case['kind']:<22} {case['text']:<16} {case['hits']:>4}  "
              f"{service50:>9.2f}ms {percentile(case['service'], .95):>6.2f}ms  "
              f"{raw50:>9.2f}ms {percentile(case['raw'], .95):>6.2f}ms  {service50 / raw50:>8.2f}x")


if __name__ == "__main__":
    main()
