"""Two hosts, one database: webhook load spread over two madoguchi hosts sharing one PostgreSQL.

Starts everything itself on loopback and stops by itself:

* a throwaway PostgreSQL cluster (tests/fakes/postgres.py, with fsync and synchronous commit on as on a
  production server; or ``--database-url``, an empty database),
  prepared as an operator would: ``madoguchi migrate``, ``madoguchi import``, ``madoguchi admin create-user``
  (or, with ``--data-dir``, a one-host data dir's database copied in: knowledge without embedding it again);
* the fake LINE and Slack APIs (tests/fakes, real HTTP on 127.0.0.1);
* two hosts, each the Procfile's web command (uvicorn, ``--workers`` W) on a data dir of its own
  (its local index cache; host B's starts empty), both with the same MADOGUCHI_DATABASE_URL.

Then ``--senders`` coroutines post correctly signed LINE and Slack webhooks, each event to one host
(alternating) and a share of them redelivered to the other host (LINE ``isRedelivery``, Slack
``X-Slack-Retry-Num``), and the script reports:

* webhook response time p50/p95/p99/max (what LINE or Slack waits for our 200);
* answers per second (first webhook sent → last answer received);
* lost (acknowledged, never answered) and duplicated (answered more than once) events, and inquiry
  log rows per event (exactly one expected);
* the time an entry created in one host's admin UI takes to be answered by the other host
  (``--edits`` times, alternating directions);
* whether ``madoguchi report`` (from a third data dir) counts every inquiry of both hosts.

    python benchmarks/two_hosts.py                        # 2 hosts x 2 workers, 100 senders
    python benchmarks/two_hosts.py --line-events 2000 --slack-events 2000 --json
    python benchmarks/two_hosts.py --data-dir /srv/var     # the knowledge of a one-host data dir, copied in

Exit status 0 when every event was answered and logged exactly once, the report counted the sum,
every edit reached the other host within --edit-target-s and p99 < --p99-target-ms.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.webhook_load import CITIZEN_QUESTIONS, STAFF_QUESTIONS, _summary, answered, wait_until  # noqa: E402
from fakes.line_api import FakeLineApi  # noqa: E402
from fakes.postgres import PostgresCluster, missing  # noqa: E402
from fakes.slack_api import FakeSlackApi  # noqa: E402
from fakes.two_hosts import AdminClient, Host, base_env, host_env, logged_per_event, madoguchi, prepare_database  # noqa: E402
from fakes.webhooks import (  # noqa: E402
    JSON,
    LINE_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    line_body,
    line_headers,
    line_text_event,
    slack_event_body,
    slack_headers,
    slack_mention_event,
)

EDITOR = ("bench-editor", "two hosts benchmark password")
DURABLE = {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "on"}


def copy_data_dir(source: Path, database_url: str, data_dir: Path) -> None:
    """Move a one-host data dir's SQLite database (knowledge and vectors: nothing to embed) into the
    empty PostgreSQL database, as an operator moving to several hosts would; then the editor account."""
    from indexing.storage import storage_for
    from indexing.storage.transfer import copy_database

    if not (source / "madoguchi.db").is_file():
        raise SystemExit(f"{source} holds no madoguchi.db to copy")
    data_dir.mkdir(parents=True, exist_ok=True)
    origin, target = storage_for(source, ""), storage_for(data_dir, database_url)
    try:
        copy_database(origin, target)
    finally:
        origin.release()
        target.release()
    name, password = EDITOR
    madoguchi(["admin", "create-user", name, "--role", "editor", "--password-stdin"], base_env(database_url),
              data_dir, stdin=password + "\n")


def build_deliveries(line_events: int, slack_events: int, redeliver_share: float, hosts: int, rng: random.Random):
    """(host index, channel, key, body, extra headers) per delivery, shuffled. Event n goes to host
    n % hosts; its redelivery (a share of events) to the next host."""
    deliveries, expected = [], {"line": set(), "slack": set()}
    for n in range(line_events + slack_events):
        first, other = n % hosts, (n + 1) % hosts
        if n < line_events:
            event = line_text_event(rng.choice(CITIZEN_QUESTIONS), user_id=f"U{n % 200:032d}")
            expected["line"].add(event["replyToken"])
            deliveries.append((first, "line", event["replyToken"], line_body([event]), {}))
            if rng.random() < redeliver_share:
                again = dict(event, deliveryContext={"isRedelivery": True})
                deliveries.append((other, "line", event["replyToken"], line_body([again]), {}))
        else:
            event = slack_mention_event(rng.choice(STAFF_QUESTIONS), user=f"U{n % 50:08d}", channel=f"C{n % 20:08d}")
            body = slack_event_body(event)
            expected["slack"].add(event["ts"])
            deliveries.append((first, "slack", event["ts"], body, {}))
            if rng.random() < redeliver_share:
                deliveries.append((other, "slack", event["ts"], body, {"retry_num": 1}))
    rng.shuffle(deliveries)
    return deliveries, expected


async def send_all(session, urls: list[str], deliveries, senders: int):
    """Post every delivery; (host, channel, key, ms, HTTP status or 0, error class or "") per delivery."""
    queue: asyncio.Queue = asyncio.Queue()
    for item in deliveries:
        queue.put_nowait(item)
    results: list[tuple[int, str, str, float, int, str]] = []

    async def sender():
        while True:
            try:
                host, channel, key, body, extra = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if channel == "line":
                path, headers = "/callback/line", line_headers(body)
            else:
                path, headers = "/slack/events", slack_headers(body, JSON, **extra)
            started = time.perf_counter()
            status, error = 0, ""
            try:
                async with session.post(urls[host] + path, data=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                error = type(exc).__name__
            results.append((host, channel, key, (time.perf_counter() - started) * 1000, status, error))

    await asyncio.gather(*(sender() for _ in range(senders)))
    return results


def worker_cpu_seconds(host: Host) -> list[float]:
    """CPU seconds of each of a host's processes (Linux /proc): shows how evenly the work spread."""
    def cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{host.proc.pid}/task/{host.proc.pid}/children").read_text().split()
        return sorted((round(cpu(int(pid)), 1) for pid in children or [host.proc.pid]), reverse=True)
    except (OSError, ValueError, IndexError):
        return []


def answered_unique(line_api, slack_api, expected) -> int:
    line_counts, slack_counts = answered(line_api, slack_api)
    return sum(1 for k in expected["line"] if line_counts[k]) + sum(1 for k in expected["slack"] if slack_counts[k])


async def edit_reaches_other_host(session, editor_host: Host, other: Host, number: int, timeout: float) -> tuple:
    """Create an FAQ entry in ``editor_host``'s admin UI; seconds until ``other`` answers with it, and
    the number of questions asked meanwhile (each is logged as a web inquiry)."""
    entry_id = f"bench-edit-{number}"
    question = f"ベンチマーク{number}番の臨時窓口はどこにありますか？"
    body = f"ベンチマーク{number}番の臨時窓口は北庁舎の{number + 1}階にあります。"
    editor = await asyncio.to_thread(AdminClient, editor_host.url, *EDITOR)
    try:
        created = await asyncio.to_thread(editor.create_entry, entry_id, title=question, body=body,
                                          category="総合案内", department="総合案内", updated="2026-11-01",
                                          review_by="2027-11-01")
        saved = time.monotonic()
        if created.status_code != 303:
            raise RuntimeError(f"creating {entry_id} on host {editor_host.name} failed: {created.status_code}")
    finally:
        editor.close()
    asked = 0
    while time.monotonic() - saved < timeout:
        async with session.post(other.url + "/api/ask", json={"question": question}) as response:
            answer = await response.json()
        asked += 1
        if any(source["id"] == entry_id for source in answer.get("sources", [])):
            return time.monotonic() - saved, asked
        await asyncio.sleep(0.05)
    return None, asked


async def run(args) -> dict:
    rng = random.Random(args.seed)
    load_before = os.getloadavg()  # other work on the host skews every figure below
    work = Path(tempfile.mkdtemp(prefix="madoguchi-two-hosts-"))
    cluster = None
    hosts: list[Host] = []
    line_api, slack_api = FakeLineApi(LINE_TOKEN), FakeSlackApi(SLACK_BOT_TOKEN, SLACK_APP_TOKEN)
    try:
        if args.database_url:
            database_url = args.database_url
        else:
            reason = missing()
            if reason:
                raise SystemExit(f"cannot start a PostgreSQL cluster: {reason}")
            # Durable, as a production server: the test cluster's fsync/commit shortcuts would flatter the figures.
            cluster = await asyncio.to_thread(lambda: PostgresCluster(settings=DURABLE).start())
            database_url = cluster.create_database("bench")[1]
        started_prepare = time.monotonic()
        if args.data_dir:
            await asyncio.to_thread(copy_data_dir, Path(args.data_dir), database_url, work / "host-a")
        else:
            await asyncio.to_thread(prepare_database, database_url, work / "host-a", Path(args.knowledge),
                                    [(*EDITOR, "editor")])
        prepare_seconds = time.monotonic() - started_prepare

        await line_api.start_async()
        await slack_api.start_async()
        env = host_env(database_url, line_api.url, slack_api.api_url)
        started_hosts = time.monotonic()
        hosts = [Host(name, work / f"host-{name}", env, work, workers=args.workers) for name in ("a", "b")]
        health = [await asyncio.to_thread(host.wait_healthy, 180) for host in hosts]
        start_seconds = time.monotonic() - started_hosts
        urls = [host.url for host in hosts]

        # Before the warm-up: idle pooled connections would otherwise outlive uvicorn's keep-alive.
        before = json.loads((await asyncio.to_thread(
            madoguchi, ["report", "--format", "json"], base_env(database_url), work)).stdout)
        connector = aiohttp.TCPConnector(limit=args.senders)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
            # Warm-up (not measured): sender connections open on both hosts, every worker has answered.
            warm, _ = build_deliveries(args.senders, args.senders, 0.0, len(hosts), rng)
            await send_all(session, urls, warm, args.senders)
            await wait_until(lambda: sum(sum(c.values()) for c in answered(line_api, slack_api)) >= len(warm), 60)
            line_api.clear()
            slack_api.clear()

            deliveries, expected = build_deliveries(args.line_events, args.slack_events, args.redeliveries,
                                                    len(hosts), rng)
            total_expected = len(expected["line"]) + len(expected["slack"])
            started = time.monotonic()
            results = await send_all(session, urls, deliveries, args.senders)
            sent_at = time.monotonic()
            acknowledged = {(channel, key) for _, channel, key, _, status, _ in results if status == 200}
            all_in = await wait_until(lambda: answered_unique(line_api, slack_api, expected) >= total_expected,
                                      args.timeout)
            finished = time.monotonic()
            await asyncio.sleep(args.grace)  # late duplicates would show up just after the originals
            # An answer may reach the platform a moment before its inquiry-log row is committed.
            await wait_until(lambda: sum(logged_per_event(database_url).values()) >= len(warm) + len(acknowledged), 30)
            cpu = {host.name: worker_cpu_seconds(host) for host in hosts}

            edits, asked = [], 0
            for number in range(args.edits):
                seconds, questions = await edit_reaches_other_host(
                    session, hosts[number % 2], hosts[(number + 1) % 2], number, args.edit_timeout)
                edits.append(seconds)
                asked += questions
            after = json.loads((await asyncio.to_thread(
                madoguchi, ["report", "--format", "json"], base_env(database_url), work)).stdout)
        logged = await asyncio.to_thread(logged_per_event, database_url)
    finally:
        for host in hosts:
            host.stop()
        await line_api.stop_async()
        await slack_api.stop_async()
        if cluster is not None:
            cluster.stop()

    line_counts, slack_counts = answered(line_api, slack_api)
    counts = {**{("line", k): n for k, n in line_counts.items()}, **{("slack", k): n for k, n in slack_counts.items()}}
    answer_times = [r.at for r in line_api.replies() + slack_api.posts()]
    last_answer = max(answer_times) if answer_times else finished
    log_rows = Counter(logged.values())
    reached = [s for s in edits if s is not None]
    report = {
        "hosts": len(hosts), "workers_per_host": args.workers, "senders": args.senders, "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "knowledge_entries": health[0]["entries"], "prepare_seconds": round(prepare_seconds, 1),
        "host_start_seconds": round(start_seconds, 1),
        "events": {"line": len(expected["line"]), "slack": len(expected["slack"])},
        "deliveries": len(deliveries), "redeliveries_to_the_other_host": len(deliveries) - total_expected,
        "deliveries_per_host": dict(Counter(hosts[h].name for h, *_ in deliveries)),
        "http_status": dict(Counter(str(status) for *_, status, _ in results)),
        "delivery_errors": dict(Counter(error for *_, error in results if error)),
        "webhook_ms": {
            **{channel: _summary([ms for _, c, _, ms, status, _ in results if channel in (c, "all") and status])
               for channel in ("all", "line", "slack")},
            **{f"host {host.name}": _summary([ms for h, _, _, ms, status, _ in results if h == i and status])
               for i, host in enumerate(hosts)},
        },
        "cpu_seconds_per_process": cpu,
        "send_seconds": round(sent_at - started, 2),
        "answers": {
            "delivered": answered_unique(line_api, slack_api, expected),
            # Lost: acknowledged with a 200, never answered. An event none of whose deliveries got a 200
            # is the platform's to redeliver; counted apart.
            "lost": sum(1 for event in acknowledged if not counts.get(event)),
            "never_acknowledged": total_expected - len(acknowledged),
            "duplicated": sum(max(0, n - 1) for n in line_counts.values()) + sum(
                max(0, n - 1) for n in slack_counts.values()) + len(line_api.pushes()),
            "pushes": len(line_api.pushes()),
            "per_second": round(total_expected / max(1e-9, min(last_answer, finished) - started), 1),
            "all_within_timeout": all_in,
        },
        # The warm-up's events are logged too: compare row counts per event, over every logged event.
        "inquiry_rows_per_event": {str(rows): events for rows, events in sorted(log_rows.items())},
        "edit_to_other_host_s": {"each": [None if s is None else round(s, 2) for s in edits],
                                 "median": round(statistics.median(reached), 2) if reached else None,
                                 "max": round(max(reached), 2) if reached else None},
        "report": {"inquiries_added": after["total_inquiries"] - before["total_inquiries"],
                   "expected": len(warm) + len(acknowledged) + asked},
    }
    report["exactly_once"] = (report["answers"]["lost"] == 0 and report["answers"]["duplicated"] == 0
                              and set(log_rows) == {1})
    report["report_counts_the_sum"] = report["report"]["inquiries_added"] == report["report"]["expected"]
    report["edit_target_met"] = len(reached) == len(edits) and all(s < args.edit_target_s for s in reached)
    report["p99_target_met"] = report["webhook_ms"]["all"]["p99"] < args.p99_target_ms
    if args.keep:
        report["work_dir"] = str(work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return report


def print_report(report: dict):
    print(f"madoguchi two hosts, one PostgreSQL — {report['hosts']} hosts x {report['workers_per_host']} workers, "
          f"{report['senders']} concurrent senders, {report['knowledge_entries']} knowledge entries, "
          f"{report['cpus']} CPUs (load average before: {report['load_average_before'][0]})")
    print(f"prepare (migrate, import, account): {report['prepare_seconds']} s; hosts healthy after "
          f"{report['host_start_seconds']} s")
    print(f"events: {report['events']['line']} LINE + {report['events']['slack']} Slack, {report['deliveries']} "
          f"deliveries ({report['redeliveries_to_the_other_host']} redeliveries to the other host), per host "
          f"{report['deliveries_per_host']}, sent in {report['send_seconds']} s; HTTP status {report['http_status']}")
    if report["delivery_errors"]:
        print(f"deliveries without an HTTP response: {report['delivery_errors']}")
    print("webhook response time (ms)    n      p50     p95     p99     max")
    for name, s in report["webhook_ms"].items():
        print(f"  {name:<26} {s['n']:5d} {s['p50']:8.1f}{s['p95']:8.1f}{s['p99']:8.1f}{s['max']:8.1f}")
    a = report["answers"]
    print(f"answers: {a['delivered']} delivered, {a['lost']} lost, {a['duplicated']} duplicated, "
          f"{a['pushes']} by push, {a['never_acknowledged']} never acknowledged; {a['per_second']} answers/s")
    print(f"CPU seconds per host process: {report['cpu_seconds_per_process']}")
    print(f"inquiry-log rows per event (rows: events): {report['inquiry_rows_per_event']}")
    e = report["edit_to_other_host_s"]
    print(f"admin edit on one host answered by the other after (s): {e['each']} (median {e['median']}, max {e['max']})")
    r = report["report"]
    print(f"madoguchi report: {r['inquiries_added']} inquiries added, {r['expected']} expected")
    print(f"exactly once: {'yes' if report['exactly_once'] else 'NO'}; report counts the sum: "
          f"{'yes' if report['report_counts_the_sum'] else 'NO'}; edit target met: "
          f"{'yes' if report['edit_target_met'] else 'NO'}; p99 target met: "
          f"{'yes' if report['p99_target_met'] else 'NO'}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes per host")
    parser.add_argument("--line-events", type=int, default=500)
    parser.add_argument("--slack-events", type=int, default=500)
    parser.add_argument("--redeliveries", type=float, default=0.1,
                        help="share of events delivered a second time, to the other host")
    parser.add_argument("--edits", type=int, default=4, help="admin edits to time (alternating hosts)")
    parser.add_argument("--edit-timeout", type=float, default=30)
    parser.add_argument("--edit-target-s", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for all answers")
    parser.add_argument("--grace", type=float, default=1.0, help="seconds to watch for late duplicates")
    parser.add_argument("--p99-target-ms", type=float, default=250)
    parser.add_argument("--knowledge", default=str(ROOT / "tests" / "fixtures" / "knowledge"),
                        help="knowledge to import (default: the test fixture knowledge)")
    parser.add_argument("--data-dir", help="copy this one-host data dir's database (e.g. a copy of the imported "
                                           "sample knowledge) instead of importing --knowledge")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use instead of a throwaway cluster")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work dir (host logs, data dirs)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.senders < 1 or not 1 <= args.line_events + args.slack_events <= 20000 or args.workers < 1:
        parser.error("need 1+ senders, 1+ workers and 1..20000 events")
    report = asyncio.run(asyncio.wait_for(run(args), timeout=args.timeout + args.edits * args.edit_timeout + 900))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
    ok = report["exactly_once"] and report["report_counts_the_sum"] and report["edit_target_met"] \
        and report["p99_target_met"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
