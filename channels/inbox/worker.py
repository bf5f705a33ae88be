"""Drains the inbox: one asyncio task per process claims leased batches and answers them.

A channel registers a handler for its events (``worker.register("line", handler)``); the
handler answers one claimed event and says what happened with an :class:`Outcome`:

* ``Outcome.done(...)``: the platform accepted the answer → ``done``, payload dropped;
* ``Outcome.failed(...)``: the platform refused it for good (a 4xx) → ``failed_permanent``;
* ``Outcome.retry(...)``: 5xx, 429 or the network → tried again after a backoff, at most
  ``Inbox.max_attempts`` times in all.

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
        added = await self._call(self.inbox.add, events)
        if any(added):
            self.wake()
        return added

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
                delay = outcome.retry_after if outcome.retry_after is not None else backoff_seconds(event.attempts)
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
        self.inbox.close()
