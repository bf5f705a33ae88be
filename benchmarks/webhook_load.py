"""Webhook load: N concurrent senders of correctly signed LINE and Slack webhooks.

Starts everything itself on loopback and stops by itself:

* a data dir with the test fixture knowledge (or ``--data-dir``),
* the fake LINE and Slack APIs (tests/fakes, real HTTP on 127.0.0.1),
* the real server, run with the Procfile's ``web:`` command (PORT and WEB_CONCURRENCY=W set),
  pointed at the fakes through LINE_API_BASE_URL / SLACK_API_BASE_URL.

Then ``--senders`` coroutines post the webhooks (one event each; a share of them delivered a
second time, as LINE redeliveries and Slack retries) and the script reports:

* webhook response time p50/p95/p99/max: the time LINE or Slack waits for our 200;
* answers delivered per second to the fake APIs (first webhook sent → last answer received);
* that every event was answered exactly once (none lost, none duplicated).

    python benchmarks/webhook_load.py                      # 50 senders, 400 LINE + 400 Slack events
    python benchmarks/webhook_load.py --workers 2 --json   # WEB_CONCURRENCY=2, as on a 2-core host

Exit status 0 when every event was answered exactly once and p99 < --p99-target-ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fakes.line_api import FakeLineApi  # noqa: E402
from fakes.slack_api import FakeSlackApi  # noqa: E402
from fakes.webhooks import (  # noqa: E402
    JSON,
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    line_body,
    line_headers,
    line_text_event,
    slack_event_body,
    slack_headers,
    slack_mention_event,
)

CITIZEN_QUESTIONS = [
    "粗大ごみはどうやって出せばいいですか？", "燃えるごみの収集日はいつですか？", "転入届に必要なものは何ですか？",
    "住民票の写しはコンビニで取れますか？", "母子手帳はどこでもらえますか？", "児童手当の申請方法を教えてください。",
    "保育園の申し込みはいつからですか？", "マイナンバーカードの暗証番号を忘れました。", "犬の登録はどこでしますか？",
    "市役所の開庁時間は？", "粗大ごみの料金はいくら？", "引っ越しの手続きを知りたい",
]
STAFF_QUESTIONS = [
    "時間外勤務の申請はいつまでですか？", "共有フォルダのファイル名のルールは？", "時間外勤務の原則を教えて",
    "チャットボットによる問い合わせ対応の計画は？", "残業の申請方法", "ファイル名に日付は必要？",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_data_dir(work: Path, data_dir: str | None) -> Path:
    target = work / "data"
    if data_dir:
        shutil.copytree(data_dir, target)
    else:
        from indexing.importer import import_paths

        import_paths([ROOT / "tests" / "fixtures" / "knowledge"], target)
    return target


def procfile_web_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line[len("web:"):].strip()
    raise SystemExit("Procfile has no web: line")


class Server:
    def __init__(self, data_dir: Path, workers: int, line_url: str, slack_url: str, log_path: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "SLACK_", "MADOGUCHI_"))}
        env.update({
            "MADOGUCHI_DATA_DIR": str(data_dir),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN, "LINE_API_BASE_URL": line_url,
            "SLACK_SIGNING_SECRET": SLACK_SECRET, "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN, "SLACK_API_BASE_URL": slack_url,
        })
        env.update({"PORT": str(self.port), "WEB_CONCURRENCY": str(workers),
                    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"})
        self.log = log_path.open("w")
        # The Procfile's web process, bound to loopback only instead of 0.0.0.0.
        command = procfile_web_command().replace("--host 0.0.0.0", "--host 127.0.0.1")
        if "--host 127.0.0.1" not in command:
            raise SystemExit("cannot bind the Procfile's web command to loopback")
        self.proc = subprocess.Popen(command, shell=True, cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"

    async def wait_ready(self, session: aiohttp.ClientSession, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                async with session.get(self.url + "/healthz") as response:
                    if response.status == 200:
                        return await response.json()
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def worker_cpu_seconds(self) -> list[float]:
        """CPU seconds used by each worker process (Linux /proc), to show how evenly work spread."""
        def cpu(pid: int) -> float:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
            pids = [int(p) for p in children] or [self.proc.pid]
            # uvicorn --workers also starts a resource tracker; workers are the busy ones.
            return sorted((round(cpu(pid), 1) for pid in pids), reverse=True)
        except (OSError, ValueError, IndexError):
            return []

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def build_deliveries(line_events: int, slack_events: int, duplicate_share: float, rng: random.Random):
    """(channel, key, body, extra headers) for every delivery, duplicates included, shuffled."""
    deliveries, expected = [], {"line": set(), "slack": set()}
    for i in range(line_events):
        event = line_text_event(rng.choice(CITIZEN_QUESTIONS), user_id=f"U{i % 200:032d}")
        expected["line"].add(event["replyToken"])
        deliveries.append(("line", event["replyToken"], line_body([event]), {}))
        if rng.random() < duplicate_share:
            again = dict(event, deliveryContext={"isRedelivery": True})
            deliveries.append(("line", event["replyToken"], line_body([again]), {}))
    for i in range(slack_events):
        event = slack_mention_event(rng.choice(STAFF_QUESTIONS), user=f"U{i % 50:08d}", channel=f"C{i % 20:08d}")
        body = slack_event_body(event)
        expected["slack"].add(event["ts"])
        deliveries.append(("slack", event["ts"], body, {}))
        if rng.random() < duplicate_share:
            deliveries.append(("slack", event["ts"], body, {"retry_num": 1}))
    rng.shuffle(deliveries)
    return deliveries, expected


async def send_all(session, url, deliveries, senders: int):
    queue: asyncio.Queue = asyncio.Queue()
    for item in deliveries:
        queue.put_nowait(item)
    results: list[tuple[str, float, int]] = []

    async def sender():
        while True:
            try:
                channel, _, body, extra = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if channel == "line":
                path, headers = "/callback/line", line_headers(body)
            else:
                path, headers = "/slack/events", slack_headers(body, JSON, **extra)
            started = time.perf_counter()
            async with session.post(url + path, data=body, headers=headers) as response:
                await response.read()
                results.append((channel, (time.perf_counter() - started) * 1000, response.status))

    await asyncio.gather(*(sender() for _ in range(senders)))
    return results


def answered(line_api: FakeLineApi, slack_api: FakeSlackApi) -> tuple[Counter, Counter]:
    """Answer attempts per event: LINE by reply token, Slack by thread_ts (= the event's ts).

    A second reply with a used token is refused by the fake (as by LINE) and the server then
    pushes; both count as duplicates (pushes are reported separately: none are expected here).
    """
    line = Counter(r.json.get("replyToken") for r in line_api.replies())
    slack = Counter(r.json.get("thread_ts") for r in slack_api.posts())
    return line, slack


async def run(args) -> dict:
    rng = random.Random(args.seed)
    load_before = os.getloadavg()  # other work on the host skews every figure below
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    line_api, slack_api = FakeLineApi(LINE_TOKEN), FakeSlackApi(SLACK_BOT_TOKEN, SLACK_APP_TOKEN)
    server = None
    try:
        data_dir = prepare_data_dir(work, args.data_dir)
        await line_api.start_async()
        await slack_api.start_async()
        server = Server(data_dir, args.workers, line_api.url, slack_api.api_url, work / "server.log")
        connector = aiohttp.TCPConnector(limit=args.senders)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
            health = await server.wait_ready(session)

            # Warm-up (not measured): all sender connections open and spread over the workers, every
            # worker has answered both channels (Bolt's auth.test, SDK sessions, first bot calls).
            warm, _ = build_deliveries(args.senders, args.senders, 0.0, rng)
            await send_all(session, server.url, warm, args.senders)
            await wait_until(lambda: sum(sum(c.values()) for c in answered(line_api, slack_api)) >= len(warm), 30)
            line_api.clear()
            slack_api.clear()

            deliveries, expected = build_deliveries(args.line_events, args.slack_events, args.duplicates, rng)
            total_expected = len(expected["line"]) + len(expected["slack"])
            started = time.monotonic()
            results = await send_all(session, server.url, deliveries, args.senders)
            sent_at = time.monotonic()
            all_in = await wait_until(
                lambda: _answered_unique(line_api, slack_api, expected) >= total_expected, args.timeout)
            finished = time.monotonic()
            # Late duplicates would arrive just after the originals: give them a moment to show up.
            await asyncio.sleep(args.grace)
            worker_cpu = server.worker_cpu_seconds()
    finally:
        if server is not None:
            server.stop()
        await line_api.stop_async()
        await slack_api.stop_async()

    line_counts, slack_counts = answered(line_api, slack_api)
    answer_times = [r.at for r in line_api.replies() + slack_api.posts()]
    last_answer = max(answer_times) if answer_times else finished
    report = {
        "senders": args.senders, "workers": args.workers, "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "events": {"line": len(expected["line"]), "slack": len(expected["slack"])},
        "deliveries": len(deliveries), "redeliveries": len(deliveries) - total_expected,
        "knowledge_entries": health["entries"], "worker_cpu_seconds": worker_cpu,
        "http_status": dict(Counter(str(status) for _, _, status in results)),
        "webhook_ms": {channel: _summary([ms for c, ms, _ in results if channel in (c, "all")])
                       for channel in ("all", "line", "slack")},
        "send_seconds": round(sent_at - started, 2),
        "answers": {
            "delivered": sum(1 for k in expected["line"] if line_counts[k]) + sum(
                1 for k in expected["slack"] if slack_counts[k]),
            "lost": sum(1 for k in expected["line"] if not line_counts[k]) + sum(
                1 for k in expected["slack"] if not slack_counts[k]),
            "duplicated": sum(max(0, n - 1) for n in line_counts.values()) + sum(
                max(0, n - 1) for n in slack_counts.values()) + len(line_api.pushes()),
            "pushes": len(line_api.pushes()),
            "per_second": round(total_expected / max(1e-9, min(last_answer, finished) - started), 1),
            "all_within_timeout": all_in,
        },
    }
    report["exactly_once"] = report["answers"]["lost"] == 0 and report["answers"]["duplicated"] == 0
    report["p99_target_met"] = report["webhook_ms"]["all"]["p99"] < args.p99_target_ms
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        report["work_dir"] = str(work)
    return report


def _answered_unique(line_api, slack_api, expected) -> int:
    line_counts, slack_counts = answered(line_api, slack_api)
    return sum(1 for k in expected["line"] if line_counts[k]) + sum(1 for k in expected["slack"] if slack_counts[k])


def _summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": round(percentile(values, 0.50), 1), "p95": round(percentile(values, 0.95), 1),
            "p99": round(percentile(values, 0.99), 1), "max": round(max(values), 1) if values else None,
            "mean": round(statistics.fmean(values), 1) if values else None}


async def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def print_report(report: dict):
    print(f"madoguchi webhook load — {report['senders']} concurrent senders, {report['workers']} worker(s), "
          f"{report['knowledge_entries']} knowledge entries, {report['cpus']} CPUs "
          f"(load average before: {report['load_average_before'][0]})")
    print(f"events: {report['events']['line']} LINE + {report['events']['slack']} Slack, "
          f"{report['deliveries']} deliveries ({report['redeliveries']} redeliveries/retries), "
          f"sent in {report['send_seconds']} s; HTTP status {report['http_status']}")
    print("webhook response time (ms)    n      p50     p95     p99     max")
    for channel, s in report["webhook_ms"].items():
        print(f"  {channel:<26} {s['n']:5d} {s['p50']:8.1f}{s['p95']:8.1f}{s['p99']:8.1f}{s['max']:8.1f}")
    a = report["answers"]
    print(f"answers: {a['delivered']} delivered, {a['lost']} lost, {a['duplicated']} duplicated, "
          f"{a['pushes']} by push; {a['per_second']} answers/s")
    print(f"CPU seconds per server process: {report['worker_cpu_seconds']}")
    print(f"every event answered exactly once: {'yes' if report['exactly_once'] else 'NO'}; "
          f"p99 target met: {'yes' if report['p99_target_met'] else 'NO'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--line-events", type=int, default=400)
    parser.add_argument("--slack-events", type=int, default=400)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of events delivered twice")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (WEB_CONCURRENCY)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for all answers")
    parser.add_argument("--grace", type=float, default=1.0, help="seconds to watch for late duplicates")
    parser.add_argument("--p99-target-ms", type=float, default=200)
    parser.add_argument("--data-dir", help="a data dir to copy (default: import the test fixture knowledge)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work dir (server log, database)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.senders < 1 or args.line_events + args.slack_events < 1 or args.line_events + args.slack_events > 20000:
        parser.error("need 1+ senders and 1..20000 events")
    report = asyncio.run(asyncio.wait_for(run(args), timeout=args.timeout + 300))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0 if report["exactly_once"] and report["p99_target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
