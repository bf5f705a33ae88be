"""Kill the real server (SIGKILL) during bursts of LINE and Slack events, restart it, and count.

Used by the suite (tests/channels/inbox/test_inbox_kill.py, a few rounds) and by benchmarks/inbox_kill.py
(many rounds). Each round:

1. start ``madoguchi serve`` as a subprocess on a copy of a data dir, pointed at the fake LINE
   and Slack APIs of this process (LINE_API_BASE_URL, SLACK_API_BASE_URL);
2. send the events not acknowledged so far again, as redeliveries (LINE ``isRedelivery``,
   Slack ``X-Slack-Retry-Num``), plus a share of acknowledged ones (redeliveries happen anyway);
3. send a burst of new signed events from several threads, and SIGKILL the server's process
   group at a random moment during the burst or the answering that follows.

A last round restarts the server, resends what was never acknowledged, and waits until every
acknowledged event has its answer and the inbox holds nothing unfinished; the server is then
stopped gracefully. The fake APIs count what reached the platform for each event: LINE replies
(by reply token, first use only: the fake refuses a used token) plus accepted pushes (one per
distinct ``X-Line-Retry-Key``), Slack posts (each event is asked in a channel of its own).
"""
from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from .line_api import FakeLineApi
from .slack_api import FakeSlackApi
from .webhooks import (
    JSON,
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    line_body,
    line_headers,
    line_text_event,
    slack_event_body,
    slack_headers,
    slack_mention_event,
    unique,
)

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = {
    "line": ["粗大ごみはどうやって出せばいいですか？", "燃えるごみの収集日はいつですか？", "母子手帳はどこでもらえますか？",
             "転入届に必要なものは何ですか？", "児童手当の申請方法を教えてください。", "市役所の開庁時間は？"],
    "slack": ["時間外勤務の申請はいつまでですか？", "共有フォルダのファイル名のルールは？", "残業の申請方法"],
}
REDELIVER_SHARE = 0.2
CHANNEL_VARIABLES = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL", "SLACK_SIGNING_SECRET",
                     "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_BASE_URL", "MADOGUCHI_SLACK_SOCKET_MODE",
                     "PORT", "WEB_CONCURRENCY", "MADOGUCHI_DATA_DIR")


@dataclass
class SentEvent:
    key: str                 # the inbox key: line:<webhookEventId> | slack:<event_id>
    channel: str
    payload: dict            # the LINE event or the Slack event
    acknowledged: bool = False
    deliveries: int = 0      # webhook posts made for it


@dataclass
class ChannelFigures:
    sent: int = 0            # distinct events
    posts: int = 0           # webhook posts, redeliveries included
    accepted: int = 0        # events that got a 200 at least once
    answered: int = 0        # accepted events answered at least once
    duplicated: int = 0      # events answered more than once
    lost: int = 0            # accepted events never answered
    logged_once: int = 0     # events with exactly one inquiry row
    logged_twice: int = 0    # events with more than one inquiry row
    resumed: int = 0       # events that needed more than one attempt (a kill, a retry)
    late_pushes: int = 0   # LINE: resumed and pushed after the reply token could have expired

    def line(self, name: str) -> str:
        return (f"{name:6s} sent {self.sent:4d}  posts {self.posts:4d}  accepted {self.accepted:4d}  "
                f"answered {self.answered:4d}  duplicated {self.duplicated:3d}  lost {self.lost:3d}  "
                f"logged once {self.logged_once:4d} (twice+ {self.logged_twice})  resumed "
                f"{self.resumed:3d}  late pushes {self.late_pushes:3d}")


@dataclass
class KillReport:
    rounds: int
    kills: int
    figures: dict[str, ChannelFigures] = field(default_factory=dict)
    inbox_states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    quiet: bool = True       # every acknowledged event answered and nothing unfinished in the end

    def lines(self) -> list[str]:
        return [f"rounds {self.rounds}  kills {self.kills}  seconds {self.seconds:.1f}  "
                f"{'quiet' if self.quiet else 'NOT QUIET (events lost or stuck)'}",
                *(figures.line(name) for name, figures in self.figures.items()),
                f"inbox states {self.inbox_states}"]


def _seconds_after(event_ms, finished_at: str | None) -> float:
    if not event_ms or not finished_at:
        return 0.0
    return datetime.fromisoformat(finished_at).timestamp() - event_ms / 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedProcess:
    """``madoguchi serve`` in its own process group; stderr goes to a file (read on failure)."""

    def __init__(self, env: dict, log_path: Path, root: Path = ROOT):
        self.log_path = log_path
        self._log = open(log_path, "a")
        self.proc = subprocess.Popen([sys.executable, "-m", "channels.cli", "serve"], cwd=root, env=env,
                                     stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True)

    def wait_healthy(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited ({self.proc.returncode}):\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"server not healthy:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)  # uvicorn has no readiness signal a client can await

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(20)
        self._log.close()

    def stop(self) -> int:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(10)
        finally:
            self._log.close()


class KillRounds:
    def __init__(self, data_dir: Path, work_dir: Path, seed: int = 0, events_per_round: int = 40,
                 senders: int = 4, kill_window: tuple[float, float] = (0.05, 1.5), server_root: Path = ROOT):
        self.data_dir = Path(data_dir)
        self.server_root = Path(server_root)  # another checkout to measure its code (e.g. before a change)
        self.work_dir = Path(work_dir)
        self.random = random.Random(seed)
        self.events_per_round = events_per_round
        self.senders = senders
        self.kill_window = kill_window
        self.events: dict[str, SentEvent] = {}
        self._lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.line_api = FakeLineApi(access_token=LINE_TOKEN)
        self.slack_api = FakeSlackApi(bot_token=SLACK_BOT_TOKEN)
        self.kills = 0
        self.servers = 0

    # --- the server ---------------------------------------------------------------------------
    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES}
        env.update(PYTHONPATH=str(self.server_root), PORT=str(self.port), MADOGUCHI_DATA_DIR=str(self.data_dir),
                   LINE_CHANNEL_SECRET=LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN=LINE_TOKEN,
                   LINE_API_BASE_URL=self.line_api.url, SLACK_SIGNING_SECRET=SLACK_SECRET,
                   SLACK_BOT_TOKEN=SLACK_BOT_TOKEN, SLACK_API_BASE_URL=self.slack_api.api_url,
                   # The bursts come from a few users by design: per-user rate limits would (rightly)
                   # refuse most of them, and this harness counts delivery, not limits.
                   MADOGUCHI_RATE_LIMIT_PER_MINUTE="0")
        return env

    def _start_server(self) -> ServedProcess:
        self.servers += 1
        server = ServedProcess(self._env(), self.work_dir / f"server-{self.servers}.log", self.server_root)
        server.wait_healthy(self.url)
        return server

    # --- events -------------------------------------------------------------------------------
    def _new_event(self, channel: str) -> SentEvent:
        question = f"{self.random.choice(QUESTIONS[channel])} ({unique('k')})"
        if channel == "line":
            event = line_text_event(question, user_id=unique("Ukill"))
            sent = SentEvent(f"line:{event['webhookEventId']}", "line", event)
        else:
            event = slack_mention_event(question, channel=unique("CKILL"))
            sent = SentEvent(f"slack:{unique('Ev')}", "slack", event)
        self.events[sent.key] = sent
        return sent

    def _post(self, http: httpx.Client, sent: SentEvent, redelivery: bool) -> None:
        if sent.channel == "line":
            event = dict(sent.payload, deliveryContext={"isRedelivery": redelivery})
            body = line_body([event])
            path, headers = "/callback/line", line_headers(body)
        else:
            body = slack_event_body(sent.payload, event_id=sent.key.split(":", 1)[1])
            path, headers = "/slack/events", slack_headers(body, JSON, retry_num=1 if redelivery else None)
        with self._lock:
            sent.deliveries += 1
        try:
            status = http.post(self.url + path, content=body, headers=headers, timeout=10).status_code
        except httpx.TransportError:
            return
        if status == 200:
            with self._lock:
                sent.acknowledged = True

    def _send(self, batch: list[tuple[SentEvent, bool]]) -> None:
        def sender(part):
            with httpx.Client() as http:
                for sent, redelivery in part:
                    self._post(http, sent, redelivery)

        parts = [batch[i::self.senders] for i in range(self.senders)]
        with ThreadPoolExecutor(self.senders) as pool:
            list(pool.map(sender, parts))

    def _redeliveries(self, share: float) -> list[tuple[SentEvent, bool]]:
        again = [e for e in self.events.values() if not e.acknowledged]
        again += [e for e in self.events.values() if e.acknowledged and self.random.random() < share]
        return [(e, True) for e in again]

    # --- rounds -------------------------------------------------------------------------------
    def run(self, rounds: int, quiet_timeout: float = 90) -> KillReport:
        started = time.monotonic()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.line_api.start()
        self.slack_api.start()
        try:
            for _ in range(rounds):
                server = self._start_server()
                burst = self._redeliveries(REDELIVER_SHARE)
                burst += [(self._new_event(self.random.choice(("line", "slack"))), False)
                          for _ in range(self.events_per_round)]
                self.random.shuffle(burst)
                timer = threading.Timer(self.random.uniform(*self.kill_window), server.kill)
                timer.start()
                try:
                    self._send(burst)
                finally:
                    timer.join()
                    self.kills += 1
            server = self._start_server()
            try:
                self._send(self._redeliveries(0.0))
                unacknowledged = [e.key for e in self.events.values() if not e.acknowledged]
                assert not unacknowledged, f"a healthy server refused {unacknowledged[:3]}"
                quiet = self._wait_quiet(quiet_timeout)
            finally:
                server.stop()
            report = self._report(rounds, time.monotonic() - started)
            report.quiet = quiet
            return report
        finally:
            self.line_api.stop()
            self.slack_api.stop()

    def _unfinished(self) -> int:
        with sqlite3.connect(self.data_dir / "madoguchi.db", timeout=30) as db:
            try:
                return db.execute("select count(*) from channel_inbox where state in ('pending', 'answering')"
                                  ).fetchone()[0]
            except sqlite3.OperationalError:  # a version without the inbox
                return 0

    def _wait_quiet(self, timeout: float) -> bool:
        """True once every event is answered and the inbox is empty; False after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            counts = self._answers()
            if all(counts[e.key] for e in self.events.values()) and self._unfinished() == 0:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)  # answers arrive from another process: poll, bounded

    # --- counting -----------------------------------------------------------------------------
    def _answers(self) -> Counter:
        """Answers the platforms accepted, per event key."""
        from channels.line.webhook import retry_key

        counts: Counter = Counter()
        token_to_key = {e.payload["replyToken"]: e.key for e in self.events.values() if e.channel == "line"}
        retry_to_key = {retry_key(e.key): e.key for e in self.events.values() if e.channel == "line"}
        for reply in self.line_api.successful_replies():
            key = token_to_key.get(reply.json.get("replyToken"))
            if key:
                counts[key] += 1
        accepted_keys = set()
        for push in self.line_api.pushes():
            retry = push.header("X-Line-Retry-Key")
            if retry in accepted_keys:
                continue  # the fake answered 409: not delivered again
            accepted_keys.add(retry)
            key = retry_to_key.get(retry)
            if key:
                counts[key] += 1
        channel_to_key = {e.payload["channel"]: e.key for e in self.events.values() if e.channel == "slack"}
        for post in self.slack_api.posts():
            key = channel_to_key.get(post.json.get("channel"))
            if key:
                counts[key] += 1
        return counts

    def _report(self, rounds: int, seconds: float) -> KillReport:
        from channels.line.webhook import REPLY_TOKEN_TRUSTED_SECONDS

        answers = self._answers()
        with sqlite3.connect(self.data_dir / "madoguchi.db", timeout=30) as db:
            logged = Counter(dict(db.execute(
                "select substr(record_key, 7), count(*) from inquiries where record_key like 'event:%' "
                "group by record_key").fetchall()))
            try:
                states = dict(db.execute("select state, count(*) from channel_inbox group by state").fetchall())
                rows = {row[0]: row[1:] for row in db.execute(
                    "select event_key, attempts, outcome, finished_at from channel_inbox").fetchall()}
            except sqlite3.OperationalError:  # a version without the inbox
                states, rows = {}, {}
        report = KillReport(rounds, self.kills, {"line": ChannelFigures(), "slack": ChannelFigures()}, states,
                            seconds)
        for event in self.events.values():
            figures = report.figures[event.channel]
            figures.sent += 1
            figures.posts += event.deliveries
            figures.accepted += event.acknowledged
            answered = answers[event.key]
            if event.acknowledged:
                figures.answered += answered > 0
                figures.lost += answered == 0
            figures.duplicated += answered > 1
            figures.logged_once += logged[event.key] == 1
            figures.logged_twice += logged[event.key] > 1
            attempts, outcome, finished_at = rows.get(event.key, (0, "", None))
            figures.resumed += attempts > 1
            figures.late_pushes += (event.channel == "line" and attempts > 1 and outcome.startswith("push")
                                    and _seconds_after(event.payload.get("timestamp"), finished_at)
                                    > REPLY_TOKEN_TRUSTED_SECONDS)
        return report
