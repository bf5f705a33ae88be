"""The inbox store: idempotent insert, leased claims, expiry, retries and permanent failure.

Every test that does not poke at the SQLite file itself runs on both backends (SQLite in the
data dir, and PostgreSQL: ``empty_backend_data_dir``)."""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from channels.inbox import Inbox, InboxWorker, Outcome
from indexing.storage.inbox import worker_identity


@pytest.fixture
def inbox(empty_backend_data_dir):
    store = Inbox(empty_backend_data_dir, lease_seconds=60, max_attempts=3)
    yield store
    store.close()


def event(n: int, channel: str = "line") -> tuple[str, str, dict]:
    return (f"{channel}:evt-{n}", channel, {"type": "message", "text": f"質問{n}"})


def state(inbox, key):
    return inbox.get(key)["state"]


def test_a_redelivery_inserts_nothing_whatever_the_state(inbox):
    assert inbox.add([event(1), event(2)]) == [True, True]
    assert inbox.add([event(1)]) == [False]                       # pending
    [claimed, _] = inbox.claim("w1", limit=2)
    assert inbox.add([event(1)]) == [False]                       # answering
    inbox.finish(claimed.event_key, "reply")
    assert inbox.add([event(1), event(3)]) == [False, True]       # done
    assert inbox.counts() == {"pending": 1, "answering": 1, "done": 1, "failed_permanent": 0}


def test_webhooks_stored_together_keep_their_own_answers(empty_backend_data_dir):
    """The worker commits concurrent webhooks' events in one transaction: each webhook still
    learns which of its events are new, and an event sent twice at once is new only once."""
    inbox = Inbox(empty_backend_data_dir)
    inbox.add([event(1)])

    async def scenario():
        worker = InboxWorker(inbox, poll_seconds=0.05)
        try:
            return await asyncio.gather(worker.add([event(1), event(2)]), worker.add([event(3)]),
                                        worker.add([event(2), event(4)]), worker.add([event(5), event(5)]))
        finally:
            await worker.stop(timeout=1)

    results = asyncio.run(scenario())
    assert results == [[False, True], [True], [False, True], [True, False]]
    assert Inbox(empty_backend_data_dir).counts()["pending"] == 5


def test_claims_are_leased_oldest_first_and_never_shared(inbox):
    inbox.add([event(n) for n in range(5)])
    first = inbox.claim("w1", limit=3)
    assert [e.event_key for e in first] == ["line:evt-0", "line:evt-1", "line:evt-2"]
    assert all(e.attempts == 1 and e.progress == "" for e in first)
    other_process = Inbox(inbox.data_dir)
    assert [e.event_key for e in other_process.claim("w2", limit=10)] == ["line:evt-3", "line:evt-4"]
    assert other_process.claim("w2", limit=10) == []
    assert first[0].payload == {"type": "message", "text": "質問0"}
    other_process.close()


def test_a_claim_takes_only_the_channels_asked_for(inbox):
    inbox.add([event(1, "line"), event(2, "slack")])
    assert [e.channel for e in inbox.claim("w1", channels=("slack",))] == ["slack"]
    assert [e.channel for e in inbox.claim("w1", channels=("line",))] == ["line"]


def test_an_expired_lease_is_claimed_again_with_its_progress(empty_backend_data_dir):
    short = Inbox(empty_backend_data_dir, lease_seconds=0.05)
    short.add([event(1)])
    [first] = short.claim("w1")
    short.mark_progress(first.event_key, "reply", inquiry_id=7)
    assert short.claim("w2") == []
    time.sleep(0.1)  # the lease is a wall-clock deadline: nothing to await
    [again] = short.claim("w2")
    assert (again.attempts, again.progress, again.inquiry_id) == (2, "reply", 7)
    short.close()


def test_a_lease_of_a_killed_process_is_taken_over_at_once(inbox):
    inbox.add([event(1)])
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_owner = worker_identity().rsplit(":", 2)
    dead_owner[1] = child.stdout.strip()  # a pid of this host that has exited
    [first] = inbox.claim(":".join(dead_owner))
    [again] = inbox.claim("w2")
    assert again.event_key == first.event_key and again.attempts == 2
    # A live owner (this process) keeps its lease.
    inbox.add([event(2)])
    inbox.claim(worker_identity())
    assert inbox.claim("w3") == []


def test_done_and_failed_events_drop_their_payload(inbox):
    inbox.add([event(1), event(2)])
    one, two = inbox.claim("w1", limit=2)
    inbox.finish(one.event_key, "push", inquiry_id=3)
    inbox.fail(two.event_key, "push refused 400")
    done, failed = inbox.get(one.event_key), inbox.get(two.event_key)
    assert (done["state"], done["payload"], done["outcome"], done["inquiry_id"]) == ("done", None, "push", 3)
    assert (failed["state"], failed["payload"], failed["outcome"]) == ("failed_permanent", None, "push refused 400")
    assert inbox.claim("w1") == [] and inbox.unfinished() == 0


def test_retries_wait_for_their_backoff_and_are_bounded(inbox):
    inbox.add([event(1)])
    key = "line:evt-1"
    for attempt in (1, 2):
        [claimed] = inbox.claim("w1")
        assert claimed.attempts == attempt
        assert inbox.retry(key, "push 500", delay_seconds=0) is True
    [claimed] = inbox.claim("w1")
    assert inbox.retry(key, "push 500", delay_seconds=0) is False  # third attempt was the last
    row = inbox.get(key)
    assert row["state"] == "failed_permanent" and row["payload"] is None and "3 attempts" in row["outcome"]

    inbox.add([event(2)])
    inbox.claim("w1")
    inbox.retry("line:evt-2", "push 500", delay_seconds=3600)
    assert inbox.claim("w1") == [] and state(inbox, "line:evt-2") == "pending"


def test_release_hands_back_what_an_owner_holds(inbox):
    inbox.add([event(1), event(2)])
    inbox.claim("w1", limit=1)
    inbox.release("w1")
    assert [e.event_key for e in inbox.claim("w2", limit=5)] == ["line:evt-1", "line:evt-2"]


def test_forget_finished_keeps_recent_and_unfinished_rows(inbox):
    inbox.add([event(1), event(2)])
    [one, _] = inbox.claim("w1", limit=2)
    inbox.finish(one.event_key, "reply")
    assert inbox.forget_finished(keep_days=1) == 0
    assert inbox.forget_finished(keep_days=-1) == 1
    assert inbox.get("line:evt-1") is None and state(inbox, "line:evt-2") == "answering"


def test_a_locked_database_makes_add_raise_so_the_webhook_is_not_answered_200(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.add([event(0)])
    blocker = sqlite3.connect(tmp_path / "madoguchi.db", isolation_level=None)
    blocker.execute("pragma busy_timeout=0")
    blocker.execute("begin exclusive")
    inbox._database().execute("pragma busy_timeout=50")
    with pytest.raises(sqlite3.OperationalError):
        inbox.add([event(1)])
    blocker.execute("rollback")
    assert inbox.add([event(1)]) == [True]


def test_the_worker_applies_each_outcome(empty_backend_data_dir, monkeypatch):
    import channels.inbox.worker as worker_module

    monkeypatch.setattr(worker_module, "BACKOFF_FIRST_SECONDS", 0.01)  # retries without the real wait

    async def scenario():
        inbox = Inbox(empty_backend_data_dir, max_attempts=2)
        worker = InboxWorker(inbox, poll_seconds=0.05)
        seen: dict[str, int] = {}
        finished = asyncio.Event()

        async def handler(item):
            seen[item.event_key] = item.attempts
            text = item.payload["text"]
            if text == "質問1":
                return Outcome.done("reply", inquiry_id=1)
            if text == "質問2":
                return Outcome.failed("push refused 400")
            if text == "質問3":
                return Outcome.retry("push 500", retry_after=0)
            raise RuntimeError("a bug")  # 質問4: retried like a transient failure

        worker.register("line", handler)
        await worker.add([event(1), event(2), event(3), event(4)])
        for _ in range(200):  # bounded: every event reaches a final state
            if inbox.unfinished() == 0:
                finished.set()
                break
            await asyncio.sleep(0.02)
        await worker.stop(timeout=2)
        return finished.is_set(), seen

    finished, seen = asyncio.run(scenario())
    assert finished
    check = Inbox(empty_backend_data_dir)
    assert [check.get(f"line:evt-{n}")["state"] for n in (1, 2, 3, 4)] == [
        "done", "failed_permanent", "failed_permanent", "failed_permanent"]
    assert seen == {"line:evt-1": 1, "line:evt-2": 1, "line:evt-3": 2, "line:evt-4": 2}
    assert "gave up after 2 attempts" in check.get("line:evt-3")["outcome"]
    check.close()


def test_events_caught_mid_send_are_resumed_first(inbox):
    inbox.add([event(1), event(2), event(3)])
    inbox.claim("w1", limit=3)
    inbox.mark_progress("line:evt-3", "reply")
    inbox.release("w1")
    assert [e.event_key for e in inbox.claim("w2", limit=3)] == ["line:evt-3", "line:evt-1", "line:evt-2"]


def test_a_table_made_by_an_earlier_version_gets_the_new_columns(tmp_path):
    db = sqlite3.connect(tmp_path / "madoguchi.db")
    db.execute("create table channel_inbox (event_key text primary key, channel text not null, payload text, "
               "state text not null default 'pending', attempts integer not null default 0, lease_owner text, "
               "lease_until real, not_before real not null default 0, progress text not null default '', "
               "outcome text not null default '', inquiry_id integer, received_at text not null, "
               "updated_at text not null, finished_at text)")
    db.close()
    inbox = Inbox(tmp_path)
    inbox.add([event(1)])
    [claimed] = inbox.claim("w1")
    inbox.mark_progress(claimed.event_key, "reply", answer=[{"type": "text", "text": "回答"}])
    inbox.release("w1")
    assert inbox.claim("w1")[0].answer == [{"type": "text", "text": "回答"}]
    inbox.close()


def test_workers_claiming_at_once_never_get_the_same_event(inbox):
    """Several processes (on PostgreSQL: hosts) claim concurrently, each with its own connection:
    ``begin immediate`` on SQLite, ``for update skip locked`` on PostgreSQL; every event goes to
    exactly one of them."""
    inbox.add([event(n) for n in range(60)])
    claimants = [Inbox(inbox.data_dir) for _ in range(4)]
    claimed: list[list[str]] = [[] for _ in claimants]
    start = threading.Barrier(len(claimants))

    def drain(number: int):
        start.wait()
        for _ in range(100):  # bounded
            got = claimants[number].claim(f"w{number}", limit=3)
            if not got:
                return
            claimed[number].extend(e.event_key for e in got)

    threads = [threading.Thread(target=drain, args=(n,)) for n in range(len(claimants))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    everything = [key for keys in claimed for key in keys]
    assert sorted(everything) == sorted(f"line:evt-{n}" for n in range(60))
    assert len(set(everything)) == len(everything)
    for claimant in claimants:
        claimant.close()


def test_a_platforms_retry_after_is_the_least_wait_and_the_backoff_still_grows(empty_backend_data_dir, monkeypatch):
    from indexing.storage.inbox import InboxEvent

    inbox = Inbox(empty_backend_data_dir)
    worker = InboxWorker(inbox)
    waits = []
    monkeypatch.setattr(inbox, "retry", lambda key, detail, delay, progress: waits.append(delay) or True)

    async def rate_limited(item):
        return Outcome.retry("post ratelimited", retry_after=1.0)

    async def slow_down(item):
        return Outcome.retry("post ratelimited", retry_after=30.0)

    async def scenario():
        for attempts, handler in ((1, rate_limited), (7, rate_limited), (1, slow_down)):
            worker.handlers["slack"] = handler
            await worker._handle(InboxEvent(f"slack:E{attempts}", "slack", {}, attempts, "", ""))

    asyncio.run(scenario())
    worker._executor.shutdown(wait=True)
    inbox.close()
    # Slack's Retry-After: 1 on every post: 1 s at first, a minute by the seventh attempt, not 1 s each time.
    assert 1.0 <= waits[0] < 1.3 and waits[1] >= 48 and waits[2] == 30.0
