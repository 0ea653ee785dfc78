"""A real Rapport, started as an operator starts it (`rapport serve`), for the fault suite."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

RAPPORT = [sys.executable, "-m", "rapport.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rapport_command(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run([*RAPPORT, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"rapport {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    """`rapport serve` (web and worker) on a free port, with an administrator's API token."""

    env: dict
    folder: Path
    port: int = field(default_factory=free_port)
    token: str = ""
    process: subprocess.Popen | None = None

    @classmethod
    def prepared(cls, *, database_url: str, folder: Path, extra_env: dict | None = None) -> "Server":
        env = {**os.environ, "RAPPORT_DATA_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "rapport.settings",
               "DJANGO_SUPERUSER_PASSWORD": "fault-suite-password", **(extra_env or {})}
        env.pop("SQLITE_TEST_PATH", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        server = cls(env=env, folder=folder)
        rapport_command(env, "migrate", "--no-input", "--verbosity", "0")
        rapport_command(env, "createsuperuser", "--no-input", "--username", "admin", "--email", "admin@example.com")
        server.token = rapport_command(env, "token", "create", "admin").strip()
        return server

    @property
    def log_path(self) -> Path:
        return self.folder / "serve.log"

    def start(self, *args: str) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen([*RAPPORT, "serve", "--port", str(self.port), *args], env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_until_up()

    def wait_until_up(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rapport serve exited:\n{self.log()}")
            try:
                if self.request("GET", "/api/v1/accounts?page_size=1", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"rapport serve did not answer within {within} s:\n{self.log()}")

    def stop(self) -> None:
        stop_group(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def request(self, method: str, path: str, body=None, *, timeout: float = 30, headers: dict | None = None):
        """(status, headers, parsed JSON or text) of one API call as the administrator."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
            payload = body
            if isinstance(body, dict):
                payload = json.dumps(body)
                sent["Content-Type"] = "application/json"
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            raw = response.read().decode(errors="replace")
            content = json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json") else raw
            return response.status, dict(response.getheaders()), content
        finally:
            connection.close()

    def upload(self, path: str, fields: dict[str, str], filename: str, content: bytes):
        """(status, headers, JSON) of a multipart form post with one file, as the administrator."""
        boundary = "rapport-fault-suite-boundary"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def worker_pids(self) -> list[int]:
        """The task workers that `serve` runs: its children running db_worker."""
        return [pid for pid in children_of(self.process.pid) if "db_worker" in command_line(pid)]


def stop_group(process: subprocess.Popen | None, *, within: float = 30) -> None:
    """Stop a process started in a session of its own, with everything it started: politely, then not."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""  # it has just ended


@dataclass
class Load:
    """Concurrent API clients, each alternating a list read and an account create, for a bounded time."""

    server: Server
    clients: int = 16
    statuses: Counter = field(default_factory=Counter)
    answers: list[tuple[float, int, str]] = field(default_factory=list)  # (when sent, status, error code) of each
    acknowledged: list[str] = field(default_factory=list)  # names of accounts whose create got 201
    failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, seconds: float, *, during=None) -> None:
        stop_at = time.monotonic() + seconds
        threads = [threading.Thread(target=self._client, args=(number, stop_at)) for number in range(self.clients)]
        for thread in threads:
            thread.start()
        if during is not None:
            during()
        for thread in threads:
            thread.join(timeout=seconds + 120)

    def _client(self, number: int, stop_at: float) -> None:
        sequence = 0
        while time.monotonic() < stop_at:
            sequence += 1
            if sequence % 2:
                outcome = self._call("GET", "/api/v1/accounts?page_size=20", None)
            else:
                name = f"Load {number}-{sequence}-{time.monotonic_ns()}"
                outcome = self._call("POST", "/api/v1/accounts", {"name": name, "allow_duplicates": True})
                if outcome and outcome[0] == 201:
                    with self._lock:
                        self.acknowledged.append(name)
            if outcome is None:
                time.sleep(0.05)  # the server is unreachable; don't spin

    def _call(self, method: str, path: str, body):
        sent = time.monotonic()
        try:
            status, headers, content = self.server.request(method, path, body, timeout=30)
        except OSError as error:
            with self._lock:
                self.statuses["no answer"] += 1
                self.failures.append(f"{method} {path}: {error!r}")
            return None
        code = content.get("error", {}).get("code", "") if isinstance(content, dict) else ""
        told_to_retry = status == 503 and code == "unavailable" and headers.get("Retry-After")
        with self._lock:
            self.statuses[status] += 1
            self.answers.append((sent, status, code))
            if status >= 500 and not told_to_retry:
                self.failures.append(f"{method} {path}: {status} {headers.get('Content-Type')} {str(content)[:200]}")
        return status, headers, content

    @property
    def server_errors(self) -> int:
        """Answers of 500 and above, including 503s that ask to retry."""
        return sum(count for status, count in self.statuses.items() if isinstance(status, int) and status >= 500)
