"""Requests per second with 1, 2 and 4 uvicorn workers: `rapport serve --no-worker --workers N` on the
benchmark's database, loaded by wrk (a separate process, C, on the same machine) through real HTTP with a
logged-in session, for the contact list and the account page — to show whether throughput grows with
processes, and where this machine stops it.

    DATABASE_URL=postgres://…/rapport_1m REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/throughput_bench.py

REDIS_URL is needed (the cache and sessions every process shares, as when scaling out) and so is wrk
(Debian's package `wrk`); the script stops and says so when either is missing. Each figure is the same
page's single request, timed alone in the same run, beside it: the time one request takes with nothing else
running, so that "requests per second" can be read against "1000 / that" for one process. By default each
request comes on a connection of its own, as from many separate users (see --keep-alive).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import client_for, setup

WORKERS = (1, 2, 4)
PORT = 8765


def require_tools() -> None:
    missing = [what for what, present in (("wrk (apt install wrk)", shutil.which("wrk")),
                                          ("REDIS_URL", os.environ.get("REDIS_URL"))) if not present]
    if missing:
        sys.exit(f"throughput_bench needs {' and '.join(missing)}.")


def pages() -> dict[str, str]:
    from rapport.timeline.demo import special_accounts

    return {"contact list, rep1": "/customers/contacts/?sort=full_name",
            "account page (10k at scale 1), rep1": f"/customers/accounts/{special_accounts()['10k']}/"}


def session_cookie(username: str) -> str:
    """A logged-in session, stored where every server process reads it (the database and Redis)."""
    return client_for(username).cookies["sessionid"].value


class Server:
    def __init__(self, workers: int):
        command = [sys.executable, "-m", "rapport.cli", "serve", "--no-worker", "--workers", str(workers),
                   "--port", str(PORT)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        cwd=Path(__file__).resolve().parents[1])
        self.wait_until_up()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit("the server did not answer /health within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def load(url: str, cookie: str, *, connections: int, seconds: int, close: bool) -> dict[str, float]:
    """wrk's figures for `url`: requests per second, latency p50 and p99 in ms, non-2xx answers."""
    headers = ["-H", f"Cookie: sessionid={cookie}", *(["-H", "Connection: close"] if close else [])]
    output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
                            capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        sys.exit(f"{url} answered errors under load:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+m?s)", output, re.M))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": _ms(latency["50"]), "p99": _ms(latency["99"])}


def _ms(text: str) -> float:
    return float(text[:-2]) if text.endswith("ms") else float(text[:-1]) * 1000


def one_request_ms(url: str, cookie: str, repetitions: int = 20) -> float:
    """The median of single requests, one after the other, nothing else running."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        urllib.request.urlopen(request).read()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15, help="how long wrk loads each page (default 15)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections (default 8)")
    parser.add_argument("--keep-alive", action="store_true", help=(
        "keep each connection for many requests; by default each request opens its own, as many separate "
        "users do: the operating system hands a new connection to whichever worker accepts first, and a few "
        "connections kept open may all land on one worker"))
    options = parser.parse_args()
    require_tools()
    setup()
    cookie = session_cookie("rep1")
    shown = pages()
    kept = "kept open" if options.keep_alive else "a new one for each request"
    print(f"wrk: 1 thread, {options.connections} connections ({kept}), {options.seconds} s a page after 3 s of "
          f"warm-up; {os.cpu_count()} cores for wrk, uvicorn and the database together")
    print(f"{'page':38} {'workers':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'one request ms':>15}")
    for workers in WORKERS:
        server = Server(workers)
        try:
            for title, path in shown.items():
                url = f"http://127.0.0.1:{PORT}{path}"
                close = not options.keep_alive
                load(url, cookie, connections=options.connections, seconds=3, close=close)
                alone = one_request_ms(url, cookie)
                figures = load(url, cookie, connections=options.connections, seconds=options.seconds, close=close)
                print(f"{title:38} {workers:>7} {figures['rps']:8.1f} {figures['p50']:8.1f} {figures['p99']:8.1f} "
                      f"{alone:15.1f}", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
