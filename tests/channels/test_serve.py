"""``madoguchi serve`` and the Procfile's web process, run as real subprocesses."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from fakes.line_api import FakeLineApi
from fakes.webhooks import LINE_SECRET, LINE_TOKEN, line_body, line_follow_event, line_headers, line_text_event

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHANNEL_VARIABLES = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL", "SLACK_SIGNING_SECRET",
                     "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_BASE_URL", "MADOGUCHI_SLACK_SOCKET_MODE",
                     "PORT", "WEB_CONCURRENCY", "MADOGUCHI_DATA_DIR", "MADOGUCHI_WEB_AUDIENCE")


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


class Process:
    """A server subprocess in its own process group; its stderr is collected by a reader thread."""

    def __init__(self, args, env, shell=False):
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, shell=shell, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for_line(self, pattern: str, count: int = 1, timeout: float = 40) -> re.Match:
        """The ``count``-th stderr line matching ``pattern`` (fails fast if the process exits)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matches = [m for m in (re.search(pattern, line) for line in self.lines) if m]
                if len(matches) >= count:
                    return matches[count - 1]
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no line matching {pattern!r} (x{count}); got:\n{''.join(self.lines)}")
                self._changed.wait(min(remaining, 0.5))

    def stop(self, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 40) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(url + "/healthz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not become healthy")
        time.sleep(0.1)


@pytest.fixture
def serve_data_dir(tmp_path, data_dir) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


def test_serve_without_channel_credentials_serves_the_web_chat(serve_data_dir):
    server = Process([sys.executable, "-m", "channels.cli", "--data-dir", str(serve_data_dir), "serve",
                      "--host", "127.0.0.1", "--port", "0"], clean_env())
    try:
        port = server.wait_for_line(r"Uvicorn running on http://127\.0\.0\.1:(\d+)").group(1)
        url = f"http://127.0.0.1:{port}"
        health = httpx.get(url + "/healthz").json()
        assert health["ok"] is True and health["entries"] > 0
        assert httpx.get(url + "/").status_code == 200
        assert httpx.post(url + "/api/ask", json={"question": "市役所の開庁時間は？"}).json()["answer"]

        line = httpx.post(url + "/callback/line", content=b"{}")
        assert line.status_code == 503
        assert "LINE_CHANNEL_SECRET" in line.json()["message"] and "LINE_CHANNEL_ACCESS_TOKEN" in line.json()["message"]
        slack = httpx.post(url + "/slack/events", content=b"{}")
        assert slack.status_code == 503
        assert "SLACK_SIGNING_SECRET" in slack.json()["message"] and "SLACK_BOT_TOKEN" in slack.json()["message"]
    finally:
        # uvicorn shuts down gracefully on SIGTERM, then re-raises it (exit status -15).
        assert server.stop() in (0, -signal.SIGTERM)
    log = "".join(server.lines)
    assert "LINE off" in log and "Application shutdown complete" in log


def test_serve_reads_port_from_the_environment(serve_data_dir):
    port = free_port()
    server = Process([sys.executable, "-m", "channels.cli", "--data-dir", str(serve_data_dir), "serve"],
                     clean_env(PORT=str(port)))
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}")["ok"] is True
    finally:
        server.stop()


@pytest.mark.parametrize("args", [["--port", "70000"], ["--port", "abc"]])
def test_serve_rejects_a_bad_port(serve_data_dir, args):
    result = subprocess.run([sys.executable, "-m", "channels.cli", "--data-dir", str(serve_data_dir), "serve", *args],
                            cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "error" in result.stderr


def procfile_web_command() -> str:
    lines = [l for l in (ROOT / "Procfile").read_text().splitlines() if l.startswith("web:")]
    assert len(lines) == 1
    command = lines[0][len("web:"):].strip()
    assert "0.0.0.0" in command and "$PORT" in command.replace("{", "").replace("}", "").replace(":-8000", "")
    assert "WEB_CONCURRENCY" in command
    return command


def test_procfile_runs_several_workers_that_answer_each_line_event_once(serve_data_dir):
    """Two worker processes share the SQLite dedup store: concurrent copies of one event → one reply."""
    port = free_port()
    with FakeLineApi(access_token=LINE_TOKEN) as line_api:
        env = clean_env(PORT=str(port), WEB_CONCURRENCY="2", MADOGUCHI_DATA_DIR=str(serve_data_dir),
                        LINE_CHANNEL_SECRET=LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN=LINE_TOKEN,
                        LINE_API_BASE_URL=line_api.url)
        server = Process(procfile_web_command(), env, shell=True)
        try:
            url = f"http://127.0.0.1:{port}"
            # Each worker logs this once its lifespan (and LINE client) is up.
            server.wait_for_line(r"Application startup complete", count=2)
            wait_healthy(url)

            question = "粗大ごみはどうやって出せばいいですか？ (workers)"
            event = line_text_event(question)
            body = line_body([event])

            def deliver(_):
                # A fresh connection per copy, so the kernel spreads them over both workers.
                with httpx.Client(timeout=10) as http:
                    return http.post(url + "/callback/line", content=body, headers=line_headers(body)).status_code

            with ThreadPoolExecutor(8) as pool:
                assert set(pool.map(deliver, range(16))) == {200}
            line_api.wait_for(lambda f: f.replies(event["replyToken"]), what="the reply")
            sentinel = line_follow_event(user_id="Usentinel")
            sentinel_body = line_body([sentinel])
            httpx.post(url + "/callback/line", content=sentinel_body, headers=line_headers(sentinel_body))
            line_api.wait_for(lambda f: f.replies(sentinel["replyToken"]), what="the sentinel reply")
            assert len(line_api.replies(event["replyToken"])) == 1
        finally:
            assert server.stop() in (0, -signal.SIGTERM)
    import sqlite3

    with sqlite3.connect(serve_data_dir / "madoguchi.db") as db:
        rows = db.execute("select count(*) from inquiries where question = ?", [question]).fetchone()[0]
        stored = db.execute("select state from channel_inbox where event_key = ?",
                            [f"line:{event['webhookEventId']}"]).fetchall()
    assert rows == 1 and stored == [("done",)]


def test_serve_rejects_a_bad_port_in_the_environment_or_audience(serve_data_dir):
    # A shared database without the secrets every host must share is refused before connecting.
    shared = {"MADOGUCHI_DATABASE_URL": f"postgresql://madoguchi@/madoguchi?host={serve_data_dir}/nowhere"}
    for env in ({"PORT": "eighty"}, {"MADOGUCHI_WEB_AUDIENCE": "everyone"}, {"MADOGUCHI_DATABASE_URL": "mysql://db"},
                shared, {**shared, "MADOGUCHI_USER_KEY_SECRET": "k"}):
        result = subprocess.run([sys.executable, "-m", "channels.cli", "--data-dir", str(serve_data_dir), "serve"],
                                cwd=ROOT, env=clean_env(**env), capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "madoguchi: error:" in result.stderr, result.stderr
        if env.get("MADOGUCHI_DATABASE_URL", "").startswith("postgresql"):
            assert "MADOGUCHI_SESSION_SECRET" in result.stderr and "the same on every host" in result.stderr
