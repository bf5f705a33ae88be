"""Two madoguchi hosts sharing one PostgreSQL database, as real subprocesses on loopback.

Shared by tests/channels/test_two_hosts.py and benchmarks/two_hosts.py. Each host has a data dir
of its own (its local FAISS and lexical caches) and the same ``MADOGUCHI_DATABASE_URL``, user-key
secret and admin session secret, as two machines behind one load balancer would::

    prepare_database(url, data_dirs[0], knowledge_dir, users=[("editor1", "...", "editor")])
    hosts = [Host("a", dir_a, host_env(url, line_api.url, slack_api.api_url)), Host("b", ...)]
    for host in hosts: host.wait_healthy()

``prepare_database`` runs the operator's commands once: ``madoguchi migrate``, ``madoguchi import``
and ``madoguchi admin create-user``. A host with ``workers > 1`` runs the Procfile's web command
(uvicorn ``--workers``), otherwise ``madoguchi serve``.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from .webhooks import LINE_SECRET, LINE_TOKEN, SLACK_BOT_TOKEN, SLACK_SECRET

ROOT = Path(__file__).resolve().parents[2]
# Variables a developer's shell may set that would point the hosts elsewhere.
CLEARED = ("LINE_", "SLACK_", "MADOGUCHI_", "PORT", "WEB_CONCURRENCY")
USER_KEY_SECRET = "two-hosts-user-key-secret"
SESSION_SECRET = "two-hosts-admin-session-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url: str, **extra: str) -> dict:
    """The environment every command of the deployment shares (hosts and operator commands)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env.update(MADOGUCHI_DATABASE_URL=database_url, MADOGUCHI_USER_KEY_SECRET=USER_KEY_SECRET,
               MADOGUCHI_SESSION_SECRET=SESSION_SECRET)
    env.update(extra)
    return env


def host_env(database_url: str, line_url: str, slack_url: str, **extra: str) -> dict:
    """A host's environment: the shared one plus LINE and Slack pointed at the fakes. Per-user rate
    limits are off: the senders are few fake users by design, and the hosts count delivery here."""
    return base_env(database_url, LINE_CHANNEL_SECRET=LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN=LINE_TOKEN,
                    LINE_API_BASE_URL=line_url, SLACK_SIGNING_SECRET=SLACK_SECRET, SLACK_BOT_TOKEN=SLACK_BOT_TOKEN,
                    SLACK_API_BASE_URL=slack_url, MADOGUCHI_RATE_LIMIT_PER_MINUTE="0", **extra)


def madoguchi(args: list[str], env: dict, data_dir: Path, stdin: str | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess:
    """Run one ``madoguchi`` command; an AssertionError with its output when it fails."""
    result = subprocess.run([sys.executable, "-m", "channels.cli", "--data-dir", str(data_dir), *args], cwd=ROOT,
                            env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"madoguchi {' '.join(args)} exited {result.returncode}:\n{result.stdout[-2000:]}"
                             f"{result.stderr[-4000:]}")
    return result


def prepare_database(database_url: str, data_dir: Path, knowledge_dir: Path,
                     users: list[tuple[str, str, str]] = ()) -> None:
    """What an operator runs once for a new database: migrate, import the knowledge, create accounts."""
    env = base_env(database_url)
    madoguchi(["migrate"], env, data_dir)
    madoguchi(["import", "--quiet", str(knowledge_dir)], env, data_dir)
    for name, password, role in users:
        madoguchi(["admin", "create-user", name, "--role", role, "--password-stdin"], env, data_dir,
                  stdin=password + "\n")


class Host:
    """One host: ``madoguchi serve`` (or the Procfile's uvicorn with ``workers``) on its own data dir.
    stderr goes to a file, shown when the host fails to start."""

    def __init__(self, name: str, data_dir: Path, env: dict, log_dir: Path, workers: int = 1):
        self.name = name
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"host-{name}.log"
        self._log = self.log_path.open("w")
        env = dict(env, MADOGUCHI_DATA_DIR=str(self.data_dir), PORT=str(self.port))
        if workers > 1:
            command = procfile_web_command().replace("--host 0.0.0.0", "--host 127.0.0.1")
            env["WEB_CONCURRENCY"] = str(workers)
            args, shell = command, True
        else:
            args, shell = [sys.executable, "-m", "channels.cli", "serve", "--host", "127.0.0.1"], False
        self.proc = subprocess.Popen(args, shell=shell, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def log_tail(self, chars: int = 4000) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def wait_healthy(self, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"host {self.name} exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                response = httpx.get(self.url + "/healthz", timeout=2)
                if response.status_code == 200:
                    return response.json()
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"host {self.name} not healthy after {timeout}s:\n{self.log_tail()}")
            time.sleep(0.05)  # uvicorn has no readiness signal a client can await

    def stop(self, timeout: float = 30) -> int:
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                return self.proc.wait(timeout)
        finally:
            self._log.close()


def procfile_web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line[len("web:"):].strip()
    raise AssertionError("Procfile has no web: line")


class AdminClient:
    """The admin web UI over real HTTP, logged in as one account (cookies and CSRF as a browser)."""

    def __init__(self, url: str, name: str, password: str):
        self.http = httpx.Client(base_url=url, timeout=30)
        page = self.http.get("/admin/login")
        response = self.http.post("/admin/login", data={"name": name, "password": password, "next": "",
                                                        "csrf_token": csrf_of(page.text)})
        if response.status_code != 303:
            raise AssertionError(f"login as {name} failed: {response.status_code}")
        self.token = csrf_of(self.http.get("/admin/entries/new").text)

    def create_entry(self, entry_id: str, **values: str) -> httpx.Response:
        form = {"csrf_token": self.token, "id": entry_id, "alternates": "", "audience": "citizen", "section": "",
                "url": "", **values}
        return self.http.post("/admin/entries/new", data=form)

    def close(self):
        self.http.close()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


def logged_per_event(database_url: str) -> Counter:
    """Inquiry-log rows per inbox event key (``line:<webhookEventId>``, ``slack:<event_id>``)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT substr(record_key, 7), count(*) FROM inquiries "
                                  "WHERE record_key LIKE 'event:%' GROUP BY record_key").fetchall()
    return Counter(dict(rows))
