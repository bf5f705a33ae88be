"""Two hosts, one database: two real ``madoguchi serve`` processes with data dirs of their own share
one PostgreSQL database (MADOGUCHI_DATABASE_URL), as behind a load balancer.

LINE and Slack events (real signed webhooks) are spread over both hosts and each is redelivered to
the other host, at the same moment for half of them and after the first delivery was answered for
the rest: every event is answered once and logged once, and ``madoguchi report`` counts what both
hosts logged. An entry created in the admin UI of one host is answered by the other.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from fakes.line_api import FakeLineApi
from fakes.slack_api import FakeSlackApi
from fakes.two_hosts import AdminClient, Host, base_env, host_env, logged_per_event, madoguchi, prepare_database
from fakes.webhooks import (JSON, LINE_TOKEN, SLACK_BOT_TOKEN, line_body, line_headers, line_text_event,
                            slack_event_body, slack_headers, slack_mention_event, unique)

EVENTS_PER_CHANNEL = 8
EDITOR = ("editor1", "two hosts editor password")
# The target is 2 s (benchmarks/two_hosts.py measures it); the bound here leaves room for a
# loaded CI machine while still failing when hosts never pick knowledge changes up.
EDIT_REACHES_OTHER_HOST_SECONDS = 10
QUESTIONS = {"line": ["粗大ごみはどうやって出せばいいですか？", "燃えるごみの収集日はいつですか？", "転入届に必要なものは何ですか？"],
             "slack": ["時間外勤務の申請はいつまでですか？", "共有フォルダのファイル名のルールは？"]}


@pytest.fixture(scope="module")
def shared_database(postgres_cluster):
    name, url = postgres_cluster.take_database()
    try:
        yield url
    finally:
        postgres_cluster.give_back(name)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, shared_database, knowledge_dir):
    """The shared database prepared once, the fake platforms, and two healthy hosts (for the module:
    starting them is the expensive part)."""
    work = tmp_path_factory.mktemp("two-hosts")
    prepare_database(shared_database, work / "host-a", knowledge_dir, users=[(*EDITOR, "editor")])
    with FakeLineApi(access_token=LINE_TOKEN) as line_api, FakeSlackApi(bot_token=SLACK_BOT_TOKEN) as slack_api:
        env = host_env(shared_database, line_api.url, slack_api.api_url)
        # Host B starts from an empty data dir: everything it knows comes from the database.
        hosts = [Host("a", work / "host-a", env, work), Host("b", work / "host-b", env, work)]
        try:
            for host in hosts:
                health = host.wait_healthy()
                assert health["ok"] is True and health["entries"] > 0, health
            # Shared state is in PostgreSQL only: no host fell back to a SQLite file of its own.
            assert not any((host.data_dir / "madoguchi.db").exists() for host in hosts)
            yield hosts, line_api, slack_api
        finally:
            for host in hosts:
                host.stop()


def _report(database_url: str, work) -> dict:
    """``madoguchi report --format json`` run from a data dir of its own (an operator's machine)."""
    operator = work / "operator"
    operator.mkdir(exist_ok=True)
    return json.loads(madoguchi(["report", "--format", "json"], base_env(database_url), operator).stdout)


def _delivery(event: dict, channel: str, redelivery: bool) -> tuple[str, bytes, dict]:
    if channel == "line":
        body = line_body([dict(event, deliveryContext={"isRedelivery": redelivery})])
        return "/callback/line", body, line_headers(body)
    body = slack_event_body(event["event"], event_id=event["event_id"])
    return "/slack/events", body, slack_headers(body, JSON, retry_num=1 if redelivery else None)


def _post(url: str, path: str, body: bytes, headers: dict) -> int:
    with httpx.Client(timeout=30) as http:  # a connection of its own, as each platform delivery
        return http.post(url + path, content=body, headers=headers).status_code


def _answers(line_api: FakeLineApi, slack_api: FakeSlackApi, events: dict) -> Counter:
    """Answers the platforms accepted per event key: LINE replies (first use of a token) and pushes
    (one per retry key), Slack posts (each event asks in a channel of its own)."""
    from channels.line.webhook import retry_key

    counts: Counter = Counter()
    by_token = {e["replyToken"]: key for key, (channel, e) in events.items() if channel == "line"}
    by_retry_key = {retry_key(key): key for key, (channel, _) in events.items() if channel == "line"}
    by_channel = {e["event"]["channel"]: key for key, (channel, e) in events.items() if channel == "slack"}
    for reply in line_api.successful_replies():
        if reply.json.get("replyToken") in by_token:
            counts[by_token[reply.json["replyToken"]]] += 1
    for retry in {push.header("X-Line-Retry-Key") for push in line_api.pushes()}:
        if retry in by_retry_key:
            counts[by_retry_key[retry]] += 1
    for post in slack_api.posts():
        if post.json.get("channel") in by_channel:
            counts[by_channel[post.json["channel"]]] += 1
    return counts


def _unfinished(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute("SELECT count(*) FROM channel_inbox WHERE state IN ('pending', 'answering')"
                                  ).fetchone()[0]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)  # the answers come from other processes: poll, bounded
    return value


def test_two_hosts_answer_and_log_each_event_once_and_report_the_sum(deployment, shared_database, tmp_path):
    hosts, line_api, slack_api = deployment
    before = _report(shared_database, tmp_path)
    events: dict[str, tuple[str, dict]] = {}
    together, after = [], []   # (key, first delivery, redelivery to the other host)
    for i in range(EVENTS_PER_CHANNEL):
        line = line_text_event(f"{QUESTIONS['line'][i % 3]} ({unique('two')})", user_id=unique("Utwohosts"))
        event_id = unique("Ev")
        slack = {"event": slack_mention_event(f"{QUESTIONS['slack'][i % 2]} ({unique('two')})",
                                              channel=unique("CTWO")), "event_id": event_id}
        for key, channel, event in ((f"line:{line['webhookEventId']}", "line", line),
                                    (f"slack:{event_id}", "slack", slack)):
            events[key] = (channel, event)
            # Event i of each channel goes first to host i % 2 and is redelivered to the other host:
            # at the same moment for half of them (the hosts race for it), after it was answered for
            # the other half.
            first, other = hosts[i % 2], hosts[(i + 1) % 2]
            (together if (i // 2) % 2 == 0 else after).append(
                (key, (first.url, *_delivery(event, channel, redelivery=False)),
                 (other.url, *_delivery(event, channel, redelivery=True))))
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda d: _post(*d), [d for _, *pair in together for d in pair]
                                 + [original for _, original, _ in after]))
        _wait(lambda: all(_answers(line_api, slack_api, events)[key] for key, *_ in after), 60,
              "the answers to the first deliveries")
        statuses += list(pool.map(lambda d: _post(*d), [again for _, _, again in after]))
    assert set(statuses) == {200}

    _wait(lambda: all(_answers(line_api, slack_api, events)[key] for key in events), 60, "every event's answer")
    _wait(lambda: _unfinished(shared_database) == 0, 60, "both hosts' inboxes to finish")
    answers = _answers(line_api, slack_api, events)
    assert {key: answers[key] for key in events} == {key: 1 for key in events}
    logged = logged_per_event(shared_database)
    assert {key: logged[key] for key in events} == {key: 1 for key in events}

    # One web question on each host, then the report (from a third, empty data dir) counts both hosts.
    for host in hosts:
        assert httpx.post(host.url + "/api/ask", json={"question": "市役所の開庁時間は？"}, timeout=30).json()["answer"]
    after = _report(shared_database, tmp_path)
    assert after["total_inquiries"] - before["total_inquiries"] == len(events) + len(hosts)
    added = {channel: after["by_channel"].get(channel, 0) - before["by_channel"].get(channel, 0)
             for channel in ("line", "slack", "web")}
    assert added == {"line": EVENTS_PER_CHANNEL, "slack": EVENTS_PER_CHANNEL, "web": len(hosts)}


def test_an_entry_created_on_one_host_is_answered_by_the_other(deployment):
    hosts, _, _ = deployment
    a, b = hosts
    question = "二台構成の試験用窓口はどこにありますか？"

    def cites_new_entry() -> bool:
        answer = httpx.post(b.url + "/api/ask", json={"question": question}, timeout=30).json()
        return any(source["id"] == "two-hosts-1" for source in answer["sources"])

    assert not cites_new_entry()
    editor = AdminClient(a.url, *EDITOR)
    try:
        created = editor.create_entry("two-hosts-1", title=question, body="二台構成の試験用窓口は北庁舎の2階にあります。",
                                      category="総合案内", department="総合案内", updated="2026-11-01",
                                      review_by="2027-11-01")
        saved_at = time.monotonic()
        assert created.status_code == 303, created.text[-2000:]
        _wait(cites_new_entry, EDIT_REACHES_OTHER_HOST_SECONDS, "host B to answer with the new entry")
        reached = time.monotonic() - saved_at
        # The admin session is shared too: host B shows the entry to the same logged-in editor.
        editor.http.base_url = b.url
        assert "北庁舎の2階" in editor.http.get("/admin/entries/two-hosts-1").text
    finally:
        editor.close()
    print(f"edit reached the other host in {reached:.2f} s")
