"""Global search on `rapport demo --size 1m` data: the search page, the typeahead and the API over
HTTP (Django's test Client, every middleware) next to the raw index query they run, measured
interleaved in the same run.

    RAPPORT_DATA_DIR=/path .venv/bin/python bench/search_bench.py            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/search_bench.py         # PostgreSQL
    … bench/search_bench.py --query 华为 --query "138 0013"                  # your own queries
    … bench/search_bench.py --types account,contact                           # the types of an older run, no typeahead

Targets: search p95 ≤ the raw index query's p95 + 5 ms, and ≤ 50 ms over HTTP; nothing counted.

Users: the service agent (sees every record), rep1 (owns a fifth of them) and the rep who owns the
fewest (where a top-N filtered afterwards would find nothing). Queries, taken from the index so that
they match: a Latin prefix, the most common two-character Chinese term and a middling one, a
company-name word found in most Chinese records (有限公司), a full phone number and its last four digits.
"""

import argparse
import re
from collections import Counter
from urllib.parse import urlencode

from common import RESULTS, Target, client_for, get_ok, measure, raw, report_table, setup

setup()

from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from rapport.customers.models import Account  # noqa: E402
from rapport.directory.models import User  # noqa: E402
from rapport.search import backends  # noqa: E402
from rapport.search.models import SearchEntry  # noqa: E402
from rapport.search.selectors import search_types_named, type_scope  # noqa: E402
from rapport.search.tokens import REVERSED_PHONE_MARK, parse_query  # noqa: E402
from rapport.search.views import RESULTS_PER_TYPE, SUGGESTIONS_PER_TYPE  # noqa: E402

CJK_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
LATIN_WORD = re.compile(r"\b[a-z]{5,}\b")
SAMPLE = 2000
API_LIMIT = 10  # the API's default number of results per type


def sample_queries() -> list[tuple[str, str]]:
    """(kind, text) pairs that match something in the index."""
    entries = SearchEntry.objects.order_by("id").values_list("title", "tokens")
    rows = [row for type_name in ("account", "contact") for row in entries.filter(type=type_name)[:SAMPLE]]
    if not rows:
        raise SystemExit("The search index is empty: load data (rapport demo) or run `rapport rebuild_search_index`.")
    latin = Counter(word for title, _ in rows for word in LATIN_WORD.findall(title.lower()))
    chinese = Counter(pair for title, _ in rows for pair in CJK_PAIR.findall(title) if pair not in {"有限", "公司"})
    queries = [("very common word", "有限公司")]
    if latin:
        queries.append(("latin prefix", latin.most_common(1)[0][0][:3]))
    if chinese:
        queries.append(("chinese 2-char", chinese.most_common(1)[0][0]))
        queries.append(("chinese 2-char, rarer", chinese.most_common()[len(chinese) // 2][0]))
    mobiles = (token[len(REVERSED_PHONE_MARK):][::-1] for _, tokens in rows for token in tokens.split()
               if token.startswith(REVERSED_PHONE_MARK))
    mobile = next((digits[2:] for digits in mobiles if len(digits) == 13 and digits.startswith("861")), None)
    if mobile:  # a Chinese mobile, typed as people write it: 138 0013 8000
        queries.append(("phone, spaced", f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"))
        queries.append(("phone, last 4", mobile[-4:]))
    return queries


def chosen_users() -> list[User]:
    users = [User.objects.get(username=name) for name in ("agent", "rep1")]
    owners = Account.objects.values("owner_id").annotate(rows=Count("id")).order_by("rows", "owner_id")
    for row in owners:  # the smallest owner who sees only their own records (no reports)
        candidate = User.objects.filter(pk=row["owner_id"], is_active=True, is_superuser=False).first()
        if candidate is not None and not User.objects.filter(manager=candidate).exists():
            return [*users, candidate]
    return users


def index_query(user: User, text: str, limit: int, types: list[str] | None):
    """The raw statement the search runs for `user`, compiled once, on a plain cursor."""
    scopes = [scope for search_type in search_types_named(types) if (scope := type_scope(user, search_type))]
    sql, params = backends.backend().compile(parse_query(text), scopes, limit, window=backends.RANK_WINDOW)
    return raw(sql, params)


def bench(user: User, kind: str, text: str, types: list[str] | None) -> None:
    """Each way in, next to the index query it runs: the page shows 20 a type, the typeahead 5, the API 10."""
    client = client_for(user.username)
    query = urlencode({"q": text, **({"types": ",".join(types)} if types else {})})
    ways = {
        "search page": (f"{reverse('search:results')}?{query}", RESULTS_PER_TYPE, False),
        "typeahead (htmx)": (f"{reverse('search:suggestions')}?{query}", SUGGESTIONS_PER_TYPE, True),
        "API /api/v1/search": (f"/api/v1/search?{query}", API_LIMIT, False),
    }
    if types:  # the typeahead searches every type whatever it is given
        del ways["typeahead (htmx)"]
    requests = {name: get_ok(client, url, htmx=htmx) for name, (url, _limit, htmx) in ways.items()}
    fresh = User.objects.get(pk=user.pk)
    raws = {f"raw index query, {limit} a type": index_query(fresh, text, limit, types)
            for _url, limit, _htmx in ways.values()}
    times = measure({**requests, **raws})
    hits = len(index_query(user, text, RESULTS_PER_TYPE, types)())
    report_table(f"{user.username}, {kind}: {text!r} ({hits} hits on the page)", times,
                 baseline=f"raw index query, {RESULTS_PER_TYPE} a type",
                 notes={name: request.note() for name, request in requests.items()}, targets=[
        *(Target(name, f"raw index query, {limit} a type", plus_ms=5) for name, (_url, limit, _htmx) in ways.items()),
        *(Target(name, f"raw index query, {limit} a type", factor=0, plus_ms=50, label=f"p95({name}) ≤ 50 ms")
          for name, (_url, limit, _htmx) in ways.items()),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--query", action="append", help="search for this instead of the sampled queries")
    parser.add_argument("--types", help="search only these types, e.g. account,contact (the types of an earlier run)")
    options = parser.parse_args()
    types = options.types.split(",") if options.types else None
    queries = [("given", text) for text in options.query] if options.query else sample_queries()
    print(f"index entries: {SearchEntry.objects.count():,}")
    for user in chosen_users():
        for kind, text in queries:
            bench(user, kind, text, types)
    RESULTS.summary()


if __name__ == "__main__":
    main()
