"""The delivery engine: plan batches, check the quota, send each batch once, resume after a crash.

The engine knows nothing of LINE's SDK: it talks to a ``Sender`` (channels/line/multicast.py
implements it with line-bot-sdk's ``MessagingApi.multicast``). Guarantees:

- each batch holds at most 500 user ids and its own retry key, stored when the batch is
  planned and reused on every attempt, in this run or a later one;
- an attempt is recorded *before* the call, and a batch is marked sent only after the
  API accepted it (200, or 409 = an earlier attempt with this key was accepted); a batch
  interrupted by a crash is resent with the same ids and key, so LINE drops the copy;
- 配信停止 is honoured up to the last moment: a batch never attempted is re-filtered
  against the current subscriptions right before its first attempt;
- a delivery that would exceed the month's message quota is refused before anything is sent.

    engine = DeliveryEngine(OutreachBook(data_dir), sender, exclusive=True)
    for result in engine.run_due():
        print(result.delivery_id, result.state)
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Protocol

from indexing.storage.outreach import (
    BATCH_FAILED, BATCH_SENT, MULTICAST_LIMIT, OPEN_BATCH_STATES, SCHEDULED, SENDING, SKIPPED, Delivery,
    OutreachBook,
)

log = logging.getLogger(__name__)

ATTEMPTS_PER_RUN = 5        # per batch in one run; the next run continues with the same key
MAX_ATTEMPTS = 15           # over all runs; then the batch is given up as failed
BACKOFF_SECONDS = 0.5       # doubled each attempt
BACKOFF_CAP_SECONDS = 30.0
ACCEPTED = (200, 409)       # 409: this retry key was already accepted (a resend after a crash)
# LINE remembers a retry key for 24 hours. A batch first attempted longer ago than this is
# not resent: LINE could no longer tell a copy from a new request, so it may send twice.
RETRY_KEY_LIFETIME = timedelta(hours=23)


@dataclass(frozen=True)
class Quota:
    limit: int | None        # None: no monthly limit (type "none")
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


@dataclass(frozen=True)
class SendOutcome:
    status: int                      # HTTP status; 0 when the API could not be reached
    retry_after: float | None = None


class Sender(Protocol):
    def quota(self) -> Quota: ...

    def multicast(self, user_ids: list[str], text: str, url: str, retry_key: str) -> SendOutcome: ...


class QuotaExceeded(Exception):
    """A delivery needs more messages than the month has left."""

    def __init__(self, needed: int, quota: Quota):
        self.needed, self.quota = needed, quota
        super().__init__(f"今月の送信可能数を超えるため送信できません: 送信対象 {needed:,} 人、"
                         f"残り {quota.remaining:,} 通（上限 {quota.limit:,} 通、使用済み {quota.used:,} 通）")


def check_quota(sender: Sender, needed: int) -> Quota:
    """Read the month's quota and consumption; raise QuotaExceeded if ``needed`` does not fit.

    A multicast counts one message per recipient, whatever the number of message objects.
    """
    quota = sender.quota()
    if quota.limit is not None and needed > quota.remaining:
        raise QuotaExceeded(needed, quota)
    return quota


def is_retryable(status: int) -> bool:
    return status == 0 or status == 429 or status >= 500


@dataclass(frozen=True)
class RunResult:
    delivery_id: int
    state: str                 # the delivery's state after this run
    batches_sent: int = 0      # batches accepted in this run
    calls: int = 0             # multicast calls made in this run
    message: str = ""


class DeliveryEngine:
    def __init__(self, book: OutreachBook, sender: Sender, *, exclusive: bool = False,
                 batch_size: int = MULTICAST_LIMIT, sleep: Callable[[float], None] = time.sleep,
                 should_stop: Callable[[], bool] = lambda: False, backoff_seconds: float = BACKOFF_SECONDS):
        self.book, self.sender = book, sender
        self.exclusive = exclusive
        self.batch_size = batch_size
        self.sleep = sleep
        self.should_stop = should_stop
        self.backoff_seconds = backoff_seconds

    # --- one process at a time ----------------------------------------------------------------
    @contextmanager
    def _one_sender(self):
        """Yields False when another process (on PostgreSQL: on any host) is delivering.

        ``OutreachBook.sending_lock``: a lock the holder's death releases (flock on SQLite, an
        advisory lock on PostgreSQL), so a crashed run never blocks the next one."""
        if not self.exclusive:
            yield True
            return
        with self.book.sending_lock() as held:
            yield held

    def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Deliver everything due (resuming interrupted deliveries first)."""
        with self._one_sender() as held:
            if not held:
                log.info("push: another process is delivering; nothing done")
                return []
            results = []
            for delivery_id in self.book.due(now):
                if self.should_stop():
                    break
                results.append(self._run(delivery_id))
            return results

    def run_one(self, delivery_id: int) -> RunResult:
        with self._one_sender() as held:
            if not held:
                return RunResult(delivery_id, self.book.delivery(delivery_id).state,
                                 message="another process is delivering")
            return self._run(delivery_id)

    # --- one delivery -------------------------------------------------------------------------
    def _run(self, delivery_id: int) -> RunResult:
        delivery = self.book.delivery(delivery_id)
        if delivery.state == SCHEDULED:
            try:
                check_quota(self.sender, self.book.count_recipients(delivery.topics, delivery.area))
            except QuotaExceeded as exc:
                self.book.refuse(delivery_id, str(exc))
                log.warning("push: delivery %d refused: quota", delivery_id)
                return RunResult(delivery_id, "failed", message=str(exc))
            except Exception as exc:  # LINE unreachable or refusing: never send without knowing the quota
                log.warning("push: quota not readable (%s); delivery %d waits", type(exc).__name__, delivery_id)
                return RunResult(delivery_id, SCHEDULED, message="the month's quota could not be read; run again later")
            self.book.plan(delivery_id, self.batch_size)
            delivery = self.book.delivery(delivery_id)
        if delivery.state != SENDING:  # cancelled meanwhile, or already finished by another run
            return RunResult(delivery_id, delivery.state)
        sent = calls = 0
        for batch in self.book.batches(delivery_id):
            if batch.state not in OPEN_BATCH_STATES:
                continue
            if self.should_stop():
                return RunResult(delivery_id, delivery.state, sent, calls, "stopped before the next batch")
            outcome, made = self._send_batch(delivery, batch.number)
            calls += made
            if outcome == BATCH_SENT:
                sent += 1
            elif outcome is None:
                message = f"batch {batch.number} not accepted yet; run again to retry with the same key"
                return RunResult(delivery_id, delivery.state, sent, calls, message)
        final = self.book.finish_if_done(delivery_id)
        return RunResult(delivery_id, final or delivery.state, sent, calls)

    def _send_batch(self, delivery: Delivery, number: int) -> tuple[str | None, int]:
        """Send one batch; its final state (sent/skipped/failed) or None to retry in a later run."""
        user_ids = self.book.refilter_batch(delivery, number)
        if not user_ids:
            return SKIPPED, 0
        batch = next(b for b in self.book.batches(delivery.id) if b.number == number)
        if batch.first_attempt_at and datetime.now(timezone.utc) - batch.first_attempt_at > RETRY_KEY_LIFETIME:
            log.warning("push: delivery %d batch %d not resent: its retry key has expired (check it by hand)",
                        delivery.id, number)
            self.book.record_outcome(delivery.id, number, BATCH_FAILED, batch.http_status)
            return BATCH_FAILED, 0
        calls = 0
        for attempt_in_run in range(1, ATTEMPTS_PER_RUN + 1):
            attempts = self.book.record_attempt(delivery.id, number)
            outcome = self.sender.multicast(list(user_ids), delivery.text, delivery.url, batch.retry_key)
            calls += 1
            if outcome.status in ACCEPTED:
                self.book.record_outcome(delivery.id, number, BATCH_SENT, outcome.status)
                return BATCH_SENT, calls
            if not is_retryable(outcome.status) or attempts >= MAX_ATTEMPTS:
                log.warning("push: delivery %d batch %d failed (HTTP %s, attempt %d)", delivery.id, number,
                            outcome.status, attempts)
                self.book.record_outcome(delivery.id, number, BATCH_FAILED, outcome.status)
                return BATCH_FAILED, calls
            self.book.record_outcome(delivery.id, number, "attempting", outcome.status)
            if attempt_in_run < ATTEMPTS_PER_RUN:
                delay = min(BACKOFF_CAP_SECONDS, self.backoff_seconds * 2 ** (attempt_in_run - 1))
                if outcome.retry_after:
                    delay = min(BACKOFF_CAP_SECONDS, max(delay, outcome.retry_after))
                log.info("push: delivery %d batch %d got HTTP %s; retrying in %.1f s", delivery.id, number,
                         outcome.status, delay)
                self.sleep(delay)
        return None, calls
