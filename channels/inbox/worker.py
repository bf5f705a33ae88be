"""Drains the inbox: one asyncio task per process claims leased batches and answers them.

A channel registers a handler for its events (``worker.register("line", handler)``); the
handler answers one claimed event and says what happened with an :class:`Outcome`:

* ``Outcome.done(...)``: the platform accepted the answer → ``done``, payload dropped;
* ``Outcome.failed(...)``: the platform refused it for good (a 4xx) → ``failed_permanent``;
* ``Outcome.retry(...)``: 5xx, 429 or the network → tried again after a backoff (1, 2, 4 … 60 s, or
  the platform's ``Retry-After`` when that is longer), at most ``Inbox.max_attempts`` times in all.

The worker is woken right after a webhook stored an event in this process, and polls every
``poll_seconds`` for events stored by other processes, retries whose backoff is over, and
events left unfinished by a process that died (resumed at start, too).
"""
from __future__ import annotations

import asyncio
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Awaitable, Callable

from indexing.storage.inbox import DEFAULT_KEEP_DAYS, Inbox, InboxEvent, worker_identity
from indexing.storage import DATABASE_ERRORS
from indexing.storage.factory import storage_for

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8
DEFAULT_POLL_SECONDS = 1.0
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0


@dataclass(frozen=True)
class Outcome:
    kind: str                       # done | failed | retry
    detail: str                     # short, no message text and no user ids
    inquiry_id: int | None = None
    retry_after: float | None = None
    progress: str | None = None     # on retry: what the next attempt may assume was sent

    @classmethod
    def done(cls, detail: str, inquiry_id: int | None = None) -> "Outcome":
        return cls("done", detail, inquiry_id)

    @classmethod
    def failed(cls, detail: str, inquiry_id: int | None = None) -> "Outcome":
        return cls("failed", detail, inquiry_id)

    @classmethod
    def retry(cls, detail: str, retry_after: float | None = None, progress: str | None = None) -> "Outcome":
        return cls("retry", detail, None, retry_after, progress)


Handler = Callable[[InboxEvent], Awaitable[Outcome]]


def backoff_seconds(attempts: int) -> float:
    """1, 2, 4, ... seconds (capped), with a little jitter so that retries do not march together."""
    base = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** max(0, attempts - 1))
    return base * random.uniform(0.8, 1.2)


class InboxWorker:
    def __init__(self, inbox: Inbox, concurrency: int = DEFAULT_CONCURRENCY,
                 poll_seconds: float = DEFAULT_POLL_SECONDS):
        self.inbox = inbox
        self.owner = worker_identity()
        self.concurrency = concurrency
        self.poll_seconds = poll_seconds
        self.handlers: dict[str, Handler] = {}
        # Inbox statements are short; their own thread keeps them from queueing behind answers.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="madoguchi-inbox")
        # The webhooks' inserts (what LINE and Slack wait for) have a thread of their own, so that
        # they never queue behind claims and progress marks, and the inserts of webhooks arriving
        # together are committed in one transaction (one commit, one thread hop). On PostgreSQL
        # they have a connection of their own too; SQLite has one writer at a time anyway, and a
        # second connection there met "database is locked" while the worker's wrote.
        postgres = storage_for(inbox.data_dir).dialect.is_postgres
        self._intake = Inbox(inbox.data_dir, inbox.lease_seconds, inbox.max_attempts) if postgres else inbox
        self._intake_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="madoguchi-intake")
        self._waiting_adds: list[tuple[list, asyncio.Future]] = []
        self._adding: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self._loop_task: asyncio.Task | None = None
        self._inflight: set[asyncio.Task] = set()
        self._stopping = False

    async def _call(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # --- channels' side -----------------------------------------------------------------------
    def register(self, channel: str, handler: Handler):
        """Answer ``channel``'s events with ``handler``; starts draining (call inside the loop)."""
        self.handlers[channel] = handler
        if self._loop_task is None:
            self._wake = asyncio.Event()
            self._loop_task = asyncio.ensure_future(self._drain_forever())
            self._loop_task.set_name("inbox worker")
        self.wake()

    async def add(self, events: list[tuple[str, str, dict]]) -> list[bool]:
        """Store verified events (before the webhook's 200); True for each new one."""
        if not events:
            return []
        future = asyncio.get_running_loop().create_future()
        self._waiting_adds.append((list(events), future))
        if self._adding is None:
            self._adding = asyncio.ensure_future(self._store_waiting_adds())
        added = await future
        if any(added):
            self.wake()
        return added

    async def _store_waiting_adds(self):
        """Store every waiting webhook's events in one transaction; again while more arrived meanwhile.
        Each webhook hears back only after the commit that holds its events (or that commit's error)."""
        loop = asyncio.get_running_loop()
        batch: list = []
        try:
            while self._waiting_adds:
                batch, self._waiting_adds = self._waiting_adds, []
                events = [event for waiting, _ in batch for event in waiting]
                try:
                    added = await loop.run_in_executor(self._intake_executor, self._intake.add, events)
                except Exception as exc:  # every webhook of the batch answers its error (e.g. 503)
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                start = 0
                for waiting, future in batch:
                    if not future.done():
                        future.set_result(added[start:start + len(waiting)])
                    start += len(waiting)
        except asyncio.CancelledError:  # shutting down: no webhook waits forever
            for _, future in batch + self._waiting_adds:
                future.cancel()
            self._waiting_adds = []
            raise
        finally:
            self._adding = None

    async def mark_progress(self, event_key: str, progress: str, inquiry_id: int | None = None, answer=None):
        await self._call(self.inbox.mark_progress, event_key, progress, inquiry_id, answer)

    def wake(self):
        if self._wake is not None:
            self._wake.set()

    # --- the drain loop -----------------------------------------------------------------------
    async def _drain_forever(self):
        try:
            forgotten = await self._call(self.inbox.forget_finished)
            if forgotten:
                log.info("inbox: %d finished events older than %d days forgotten", forgotten, DEFAULT_KEEP_DAYS)
        except DATABASE_ERRORS as exc:
            log.warning("inbox: old events not forgotten (%s)", type(exc).__name__)
        while not self._stopping:
            self._wake.clear()  # before claiming: a wake during the claim is not lost
            free = self.concurrency - len(self._inflight)
            if free > 0:
                try:
                    claimed = await self._call(self.inbox.claim, self.owner, free, tuple(self.handlers))
                except DATABASE_ERRORS as exc:
                    log.warning("inbox claim failed (%s); retrying in %.0f s", type(exc).__name__,
                                self.poll_seconds)
                    await asyncio.sleep(self.poll_seconds)  # not woken by new events: they cannot be claimed
                    continue
                resumed = sum(1 for event in claimed if event.attempts > 1)
                if resumed:
                    log.info("inbox: %d events resumed (earlier attempts failed or were interrupted)", resumed)
                for event in claimed:
                    task = asyncio.ensure_future(self._handle(event))
                    task.set_name(f"inbox {event.channel}")
                    self._inflight.add(task)
                    task.add_done_callback(self._finished)
                if claimed and len(claimed) == free:
                    continue  # maybe more are waiting: claim again once a slot is free
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except asyncio.TimeoutError:
                pass

    def _finished(self, task: asyncio.Task):
        self._inflight.discard(task)
        self.wake()

    async def _handle(self, event: InboxEvent):
        handler = self.handlers[event.channel]
        try:
            outcome = await handler(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not lose the event: it is retried, boundedly
            log.exception("inbox %s event failed", event.channel)
            outcome = Outcome.retry(f"error {type(exc).__name__}")
        try:
            if outcome.kind == "done":
                await self._call(self.inbox.finish, event.event_key, outcome.detail, outcome.inquiry_id)
            elif outcome.kind == "failed":
                log.warning("inbox %s event failed for good (%s)", event.channel, outcome.detail)
                await self._call(self.inbox.fail, event.event_key, outcome.detail, outcome.inquiry_id)
            else:
                # A platform's Retry-After is the least wait: under a lasting rate limit (Slack answers
                # every post with Retry-After: 1) the backoff still grows, so the attempts last minutes.
                delay = max(outcome.retry_after or 0.0, backoff_seconds(event.attempts))
                if not await self._call(self.inbox.retry, event.event_key, outcome.detail, delay, outcome.progress):
                    log.error("inbox %s event given up after %d attempts (%s)", event.channel, event.attempts,
                              outcome.detail)
        except DATABASE_ERRORS as exc:
            # The lease runs out and the event is answered again: the platform's key (LINE) or
            # the progress mark keeps that from sending twice where it can.
            log.error("inbox outcome not recorded (%s)", type(exc).__name__)

    @property
    def busy(self) -> int:
        return len(self._inflight)

    async def stop(self, timeout: float):
        """Stop claiming; let events being answered finish for ``timeout`` seconds; hand back the rest."""
        self._stopping = True
        self.wake()
        if self._loop_task is not None:
            await asyncio.wait([self._loop_task], timeout=timeout)
        if self._inflight:
            _, late = await asyncio.wait(set(self._inflight), timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=1)
                log.warning("%d inbox events handed back at shutdown", len(late))
        try:
            await self._call(self.inbox.release, self.owner)
        except DATABASE_ERRORS as exc:
            log.warning("inbox leases not released (%s); they expire", type(exc).__name__)
        self._executor.shutdown(wait=True)
        self._intake_executor.shutdown(wait=True)
        self.inbox.close()
        if self._intake is not self.inbox:
            self._intake.close()
