"""The same pages served by two checkouts of Rapport (e.g. before and after a change) on the same database,
interleaved request by request: on a virtual machine whose speed drifts from one minute to the next,
runs of the two versions minutes apart compare the machine, not the code.

    git worktree add /tmp/before <commit>
    RAPPORT_DATA_DIR=/tmp/rapport_1m .venv/bin/python bench/compare_checkouts.py /tmp/before .
    DATABASE_URL=postgres://…/rapport_1m .venv/bin/python bench/compare_checkouts.py /tmp/before .
    COMPARE_SKIP="?q=" …   # leave out the pages whose title holds one of these (comma-separated)

Each checkout runs in a process of its own (its own code, the same Python packages), and the two take
turns: one request of a page from the first, the same from the second, then the next page; the next
round starts with the second. Only one runs
at a time. Prints p50 / p95 per page and checkout, and the query count of each. Both checkouts must
understand the database's schema (the older one may need views over tables a migration renamed).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_REPETITIONS", 60))
WARMUP = int(os.environ.get("BENCH_WARMUP", 5))
# A page that reads a whole table (a quick search before issue 16, 6 s on PostgreSQL) pushes the others' rows
# out of the database's memory; compare those pages without it.
SKIPPED = [text for text in os.environ.get("COMPARE_SKIP", "").split(",") if text]


def pages() -> list[tuple[str, str, str]]:
    """(title, user, url) of the pages docs/performance.md follows, on `rapport demo --size 1m` data."""
    from rapport.customers.models import Contact
    from rapport.timeline.demo import special_accounts

    accounts = special_accounts()
    contact = Contact.objects.filter(account_id=accounts["10k"]).order_by("pk").values_list("pk", flat=True)[0]
    return [
        ("accounts list, agent", "agent", "/customers/accounts/?lifecycle_stage=prospect%2Ccustomer&sort=name"),
        ("accounts list, rep1", "rep1", "/customers/accounts/?lifecycle_stage=customer&sort=-updated_at"),
        ("contacts list, agent", "agent", "/customers/contacts/?marketing_consent=true&sort=full_name"),
        ("contacts list, rep1", "rep1", "/customers/contacts/?sort=full_name"),
        ("account page, 10k activities", "rep1", f"/customers/accounts/{accounts['10k']}/"),
        ("account page, 100k activities", "rep1", f"/customers/accounts/{accounts['100k']}/"),
        ("my tasks, rep1", "rep1", "/tasks/"),
        ("contact page (10k account), rep1", "rep1", f"/customers/contacts/{contact}/"),
        ("contacts ?q=company33364, agent", "agent", "/customers/contacts/?q=company33364&sort=full_name"),
        ("contacts ?q=Karen Jackson, agent", "agent", "/customers/contacts/?q=Karen+Jackson&sort=full_name"),
    ]


# --- one checkout, serving requests on stdin --------------------------------------------------------


def serve(checkout: str) -> None:
    sys.path.insert(0, str(Path(checkout).resolve() / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    clients = {}
    print(json.dumps([list(page) for page in pages()]), flush=True)
    for line in sys.stdin:
        username, url = json.loads(line)
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        queries = []
        with connection.execute_wrapper(lambda execute, *args, seen=queries: seen.append(1) or execute(*args)):
            started = time.perf_counter()
            status = clients[username].get(url).status_code
            elapsed = (time.perf_counter() - started) * 1000
        print(json.dumps([status, elapsed, len(queries)]), flush=True)


# --- the driver -----------------------------------------------------------------------------------------


class Checkout:
    def __init__(self, path: str):
        self.name = str(Path(path).resolve())
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", path], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=path)
        self.pages = [tuple(page) for page in json.loads(self.process.stdout.readline())]

    def get(self, username: str, url: str) -> tuple[float, int]:
        self.process.stdin.write(json.dumps([username, url]) + "\n")
        self.process.stdin.flush()
        status, elapsed, queries = json.loads(self.process.stdout.readline())
        if status != 200:
            raise RuntimeError(f"{self.name}: GET {url} answered {status}")
        return elapsed, queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def compare(paths: list[str]) -> None:
    checkouts = [Checkout(path) for path in paths]
    shown = [page for page in checkouts[0].pages if not any(text in page[0] for text in SKIPPED)]
    times = {(page, c.name): [] for page in shown for c in checkouts}
    queries = {}
    for round_number in range(WARMUP + ROUNDS):
        # Which goes first alternates: with a fixed order, the first was measured up to 2 ms faster.
        in_turn = checkouts if round_number % 2 == 0 else checkouts[::-1]
        for page in shown:
            for checkout in in_turn:
                elapsed, count = checkout.get(page[1], page[2])
                if round_number >= WARMUP:
                    times[page, checkout.name].append(elapsed)
                    queries[page, checkout.name] = count
    print(f"{ROUNDS} rounds after {WARMUP} warm-up, interleaved; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'page':32} {'checkout':34} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'queries':>8}")
    for page in shown:
        for checkout in checkouts:
            values = times[page, checkout.name]
            print(f"{page[0]:32} {checkout.name[-34:]:34} {percentile(values, 0.5):8.2f} "
                  f"{percentile(values, 0.95):8.2f} {statistics.fmean(values):8.2f} {queries[page, checkout.name]:8}")


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        compare(sys.argv[1:])
