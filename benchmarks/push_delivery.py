"""LINE delivery by interest: N synthetic subscribers sent through the real SDK to the fake LINE API.

Starts the fake LINE Messaging API (tests/fakes, real HTTP on 127.0.0.1) and a fresh data
dir with N synthetic subscribers, then runs three deliveries to everyone:

1. clean: ``DeliveryEngine.run_one`` in this process;
2. flaky: the fake answers 500, 429, 503, 500 to some calls (retried with the same key);
3. crash: ``madoguchi push run`` in a subprocess, SIGKILLed while LINE holds its batch K
   (LINE then accepts it anyway), followed by a second ``push run`` that resumes.

For each it prints wall time, multicast calls, batches, recipients reached and duplicates
(users who got the message more than once, counted by the fake). Exit status 0 when every
subscriber got each message exactly once.

    python benchmarks/push_delivery.py                    # 10,000 subscribers
    python benchmarks/push_delivery.py --subscribers 2000 --json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fakes.line_api import MULTICAST, FakeLineApi  # noqa: E402
from fakes.webhooks import LINE_TOKEN  # noqa: E402

from indexing.storage.outreach import OutreachBook, now_utc  # noqa: E402
from bot.outreach.delivery import DeliveryEngine  # noqa: E402
from channels.line.multicast import LineMulticastSender  # noqa: E402

TOPICS = ["kosodate", "gomi", "bousai", "zei", "kenko", "event"]
AREAS = ["北地区", "南地区", "東地区", "西地区", "中央地区"]


def synthetic_subscribers(count: int, seed: int = 7) -> list[tuple[str, list[str], str | None]]:
    """Everyone follows 防災 (the delivered topic) plus 0-3 random others; 80% chose an area."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        others = rng.sample([t for t in TOPICS if t != "bousai"], rng.randint(0, 3))
        rows.append((f"U{n:032x}", ["bousai", *others], rng.choice(AREAS) if rng.random() < 0.8 else None))
    return rows


def figures(name: str, line: FakeLineApi, seconds: float, book: OutreachBook, delivery_id: int,
            expected: int) -> dict:
    calls = line.multicasts()
    batches = book.batches(delivery_id)
    reached = len(line.delivered)
    duplicates = sum(1 for c in line.delivered.values() if c > 1)
    return {"scenario": name, "seconds": round(seconds, 3), "multicast_calls": len(calls),
            "batches": len(batches), "batches_sent": sum(b.state == "sent" for b in batches),
            "accepted_409": sum(b.http_status == 409 for b in batches),
            "distinct_retry_keys": len({c.header("X-Line-Retry-Key") for c in calls}),
            "recipients": book.delivery(delivery_id).recipients, "reached": reached, "expected": expected,
            "duplicates": duplicates, "state": book.delivery(delivery_id).state}


def run_in_process(name: str, data_dir: Path, expected: int, fail: list[int] | None = None) -> dict:
    with FakeLineApi(access_token=LINE_TOKEN) as line:
        line.fail_multicasts = list(fail or [])
        book = OutreachBook(data_dir)
        delivery = book.create_delivery(["bousai"], None, f"{name}: 防災訓練のお知らせ", "", now_utc(), "benchmark")
        sender = LineMulticastSender(LINE_TOKEN, line.url)
        engine = DeliveryEngine(book, sender, backoff_seconds=0.05)
        started = time.perf_counter()
        engine.run_one(delivery.id)
        seconds = time.perf_counter() - started
        sender.close()
        return figures(name, line, seconds, book, delivery.id, expected)


def run_with_crash(data_dir: Path, expected: int, kill_at_batch: int) -> dict:
    with FakeLineApi(access_token=LINE_TOKEN) as line:
        book = OutreachBook(data_dir)
        delivery = book.create_delivery(["bousai"], None, "crash: 避難訓練のお知らせ", "", now_utc(), "benchmark")
        env = {**os.environ, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN, "LINE_API_BASE_URL": line.url,
               "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "channels.cli", "--data-dir", str(data_dir), "push", "run"]
        line.hold_multicast(kill_at_batch)
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            line.wait_for_count(MULTICAST, kill_at_batch, timeout=120)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        line.release_multicast()
        line.wait_for(lambda f: len(f.accepted_multicasts) == kill_at_batch, 10, what="the held batch")
        resume = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        seconds = time.perf_counter() - started
        result = figures("crash+resume", line, seconds, book, delivery.id, expected)
        result["resume_exit"] = resume.returncode
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--kill-at-batch", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="madoguchi-push-") as tmp:
        data_dir = Path(tmp) / "data"
        book = OutreachBook(data_dir)
        started = time.perf_counter()
        book.subscribe_many(synthetic_subscribers(args.subscribers))
        load_seconds = time.perf_counter() - started
        results.append(run_in_process("clean", data_dir, args.subscribers))
        results.append(run_in_process("flaky", data_dir, args.subscribers, fail=[500, 429, 503, 500]))
        results.append(run_with_crash(data_dir, args.subscribers, args.kill_at_batch))
    ok = all(r["reached"] == r["expected"] and r["duplicates"] == 0 and r["state"] == "sent" for r in results)
    if args.json:
        print(json.dumps({"subscribers": args.subscribers, "load_seconds": round(load_seconds, 3),
                          "results": results, "ok": ok}, ensure_ascii=False))
    else:
        print(f"{args.subscribers:,} synthetic subscribers (stored in {load_seconds:.2f} s); "
              f"delivery to everyone who chose 防災")
        print(f"{'scenario':<14}{'seconds':>9}{'calls':>7}{'batches':>9}{'409s':>6}{'keys':>6}"
              f"{'reached':>9}{'dupes':>7}  state")
        for r in results:
            print(f"{r['scenario']:<14}{r['seconds']:>9.2f}{r['multicast_calls']:>7}{r['batches']:>9}"
                  f"{r['accepted_409']:>6}{r['distinct_retry_keys']:>6}{r['reached']:>9,}{r['duplicates']:>7}  "
                  f"{r['state']}")
        print("ok: every subscriber got each message exactly once" if ok else "FAILED: lost or duplicated messages")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
