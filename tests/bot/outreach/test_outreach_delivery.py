"""Deliveries by interest: the real line-bot-sdk multicast against the fake LINE API on 127.0.0.1."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from fakes.line_api import MULTICAST, FakeLineApi
from fakes.webhooks import LINE_TOKEN

from indexing.storage.outreach import OutreachBook, now_utc
from bot.outreach.delivery import DeliveryEngine, QuotaExceeded, check_quota
from channels.line.multicast import LineMulticastSender, build_engine
from indexing.settings import Settings

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def line_api():
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture
def book(tmp_path) -> OutreachBook:
    return OutreachBook(tmp_path / "data")


def users(prefix: str, count: int) -> list[str]:
    return [f"U{prefix}{n:08d}" for n in range(count)]


def engine_for(book, line_api, **kwargs) -> DeliveryEngine:
    sleeps = kwargs.pop("sleeps", [])
    return DeliveryEngine(book, LineMulticastSender(LINE_TOKEN, line_api.url), sleep=sleeps.append, **kwargs)


def deliver(book, line_api, topics, area=None, text="お知らせです。", **kwargs):
    delivery = book.create_delivery(topics, area, text, "https://example.lg.jp/a", now_utc(), "test")
    return delivery, engine_for(book, line_api, **kwargs).run_one(delivery.id)


def test_only_subscribed_users_receive_in_batches_of_500(book, line_api):
    parents = users("kosodate", 1234)
    book.subscribe_many([(u, ["kosodate"], None) for u in parents])
    book.subscribe_many([(u, ["gomi"], None) for u in users("gomi", 100)])
    book.subscribe_many([(u, ["gomi", "kosodate"], "北地区") for u in users("both", 10)])
    delivery, result = deliver(book, line_api, ["kosodate"])
    assert result.state == "sent" and result.batches_sent == 3
    calls = line_api.multicasts()
    assert [len(c.json["to"]) for c in calls] == [500, 500, 244]
    assert set(line_api.delivered) == set(parents) | set(users("both", 10))
    assert set(line_api.delivered.values()) == {1}
    assert len({c.header("X-Line-Retry-Key") for c in calls}) == 3
    assert calls[0].json["messages"][0]["text"] == "お知らせです。\n\nhttps://example.lg.jp/a"
    assert book.delivery(delivery.id).recipients == 1244


def test_area_narrows_the_recipients(book, line_api):
    book.subscribe_many([(u, ["gomi"], "北地区") for u in users("north", 3)])
    book.subscribe_many([(u, ["gomi"], "南地区") for u in users("south", 4)])
    deliver(book, line_api, ["gomi"], area="南地区")
    assert set(line_api.delivered) == set(users("south", 4))


def test_the_retry_key_is_reused_on_429_and_5xx(book, line_api):
    book.subscribe_many([(u, ["bousai"], None) for u in users("b", 20)])
    line_api.fail_multicasts = [500, 429, 503]
    sleeps = []
    _, result = deliver(book, line_api, ["bousai"], sleeps=sleeps)
    calls = line_api.multicasts()
    assert result.state == "sent" and len(calls) == 4
    assert len({c.header("X-Line-Retry-Key") for c in calls}) == 1
    assert len(sleeps) == 3 and sleeps[0] < sleeps[2]   # backed off, growing
    assert set(line_api.delivered.values()) == {1}


def test_a_batch_still_failing_is_retried_by_the_next_run_with_the_same_key(book, line_api):
    book.subscribe_many([(u, ["zei"], None) for u in users("z", 600)])
    line_api.fail_multicasts = [500] * 5
    delivery, first = deliver(book, line_api, ["zei"])
    assert first.state == "sending" and "run again" in first.message
    assert book.delivery(delivery.id).state == "sending"
    second = engine_for(book, line_api).run_due()
    assert [r.state for r in second] == ["sent"]
    keys = [c.header("X-Line-Retry-Key") for c in line_api.multicasts()]
    assert len(keys) == 7 and len(set(keys[:6])) == 1 and keys[6] != keys[0]
    assert len(line_api.delivered) == 600 and set(line_api.delivered.values()) == {1}


def test_a_refused_batch_is_not_retried(book, line_api):
    book.subscribe_many([(u, ["zei"], None) for u in users("r", 5)])
    line_api.fail_multicasts = [400]
    delivery, result = deliver(book, line_api, ["zei"])
    assert result.state == "failed" and len(line_api.multicasts()) == 1
    assert book.batches(delivery.id)[0].http_status == 400


def test_a_delivery_exceeding_the_quota_is_refused_before_sending(book, line_api):
    book.subscribe_many([(u, ["event"], None) for u in users("e", 60)])
    line_api.quota_limit, line_api.quota_used = 100, 50
    with pytest.raises(QuotaExceeded) as caught:
        check_quota(LineMulticastSender(LINE_TOKEN, line_api.url), 60)
    assert "残り 50 通" in str(caught.value)
    delivery, result = deliver(book, line_api, ["event"])
    assert result.state == "failed" and "送信できません" in result.message
    assert book.delivery(delivery.id).note == result.message
    assert line_api.multicasts() == [] and book.batches(delivery.id) == []
    line_api.quota_limit = 110
    _, fits = deliver(book, line_api, ["event"])
    assert fits.state == "sent" and line_api.quota_used == 110


class StopAfterFirstBatch:
    """A sender that lets citizens press 配信停止 right after LINE accepted the first batch."""

    def __init__(self, sender, book, stopping):
        self.sender, self.book, self.stopping, self.calls = sender, book, stopping, 0

    def quota(self):
        return self.sender.quota()

    def multicast(self, user_ids, text, url, retry_key):
        outcome = self.sender.multicast(user_ids, text, url, retry_key)
        self.calls += 1
        if self.calls == 1:
            for user in self.stopping:
                self.book.stop_all(user)
        return outcome


def test_stop_is_honoured_before_the_next_batch(book, line_api):
    everyone = users("s", 1100)
    book.subscribe_many([(u, ["kenko"], None) for u in everyone])
    stopping = everyone[600:650] + everyone[1050:]      # in batches 2 and 3
    sender = StopAfterFirstBatch(LineMulticastSender(LINE_TOKEN, line_api.url), book, stopping)
    delivery = book.create_delivery(["kenko"], None, "検診のお知らせ", "", now_utc(), "test")
    result = DeliveryEngine(book, sender).run_one(delivery.id)
    assert result.state == "sent"
    assert not set(stopping) & set(line_api.delivered)
    assert len(line_api.delivered) == 1100 - len(stopping)
    assert [len(c.json["to"]) for c in line_api.multicasts()] == [500, 450, 50]


def test_a_killed_run_resumes_without_sending_a_batch_twice(fresh_data_dir, line_api):
    book = OutreachBook(fresh_data_dir)
    everyone = users("k", 1300)
    book.subscribe_many([(u, ["gomi"], None) for u in everyone])
    delivery = book.create_delivery(["gomi"], None, "収集日が変わります。", "", now_utc(), "test")
    line_api.hold_multicast(2)      # the 2nd batch reaches LINE but its answer never comes back
    env = {**os.environ, "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN, "LINE_API_BASE_URL": line_api.url,
           "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "channels.cli", "--data-dir", str(fresh_data_dir), "push", "run"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        line_api.wait_for_count(MULTICAST, 2, timeout=60)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert process.returncode == -signal.SIGKILL
    line_api.release_multicast()    # LINE took the 2nd batch after all, while the sender was dead
    line_api.wait_for(lambda f: len(f.accepted_multicasts) == 2, 10, what="the held batch accepted")
    assert book.delivery(delivery.id).state == "sending"

    settings = Settings(data_dir=fresh_data_dir, line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url)
    results = build_engine(settings).run_due()
    assert [(r.delivery_id, r.state) for r in results] == [(delivery.id, "sent")]
    assert len(line_api.delivered) == 1300 and set(line_api.delivered.values()) == {1}
    batches = book.batches(delivery.id)
    assert [b.state for b in batches] == ["sent", "sent", "sent"]
    assert batches[1].http_status == 409 and batches[1].attempts == 2
    keys = [c.header("X-Line-Retry-Key") for c in line_api.multicasts()]
    assert keys == [batches[0].retry_key, batches[1].retry_key, batches[1].retry_key, batches[2].retry_key]


def test_a_cancelled_delivery_is_not_sent_and_an_unreadable_quota_sends_nothing(book, line_api):
    book.subscribe_many([(u, ["event"], None) for u in users("x", 3)])
    cancelled = book.create_delivery(["event"], None, "中止", "", now_utc(), "test")
    assert book.cancel(cancelled.id)
    assert engine_for(book, line_api).run_due() == []
    waiting = book.create_delivery(["event"], None, "まつり", "", now_utc(), "test")
    broken = DeliveryEngine(book, LineMulticastSender("wrong-token", line_api.url))   # LINE answers 401
    [result] = broken.run_due()
    assert result.state == "scheduled" and "quota" in result.message
    assert book.delivery(waiting.id).state == "scheduled" and line_api.multicasts() == []
    assert [r.state for r in engine_for(book, line_api).run_due()] == ["sent"]
    assert book.delivery(cancelled.id).state == "cancelled" and len(line_api.delivered) == 3


def test_a_batch_whose_retry_key_expired_is_not_resent(book, line_api):
    """LINE keeps a retry key 24 hours: after that a resend could reach people twice, so it is not made."""
    book.subscribe_many([(u, ["kenko"], None) for u in users("old", 3)])
    delivery = book.create_delivery(["kenko"], None, "検診", "", now_utc(), "test")
    book.plan(delivery.id)
    book.record_attempt(delivery.id, 1, at=now_utc() - timedelta(hours=30))   # a crash, long ago
    [result] = engine_for(book, line_api).run_due()
    assert result.state == "failed" and line_api.multicasts() == []
    assert book.batches(delivery.id)[0].state == "failed"


def test_a_late_unfollow_drops_the_topics_chosen_before_it_and_keeps_those_chosen_since(book):
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
    user = "U" + "4" * 32
    book.subscribe(user, ["kosodate"], area="north", at=start)
    unfollowed = start + timedelta(hours=1)
    book.toggle_topic(user, "zei", at=start + timedelta(hours=2))  # followed again and chose
    assert book.forget(user, happened=unfollowed) == 1
    assert book.subscription(user) == ({"zei"}, None) and book.recipients(["zei"]) == [user]  # area of then gone
    book.set_area(user, "south", at=start + timedelta(hours=2, minutes=30))
    assert book.forget(user, happened=unfollowed) == 0 and book.subscription(user) == ({"zei"}, "south")
    assert book.forget(user, happened=start + timedelta(hours=3)) == 1  # an unfollow after both: all goes
    assert book.subscription(user) == (set(), None) and book.recipients(["zei"]) == []
