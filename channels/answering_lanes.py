"""Bounded answering: short questions never queue behind long ones, and no caller waits forever.

Answers are computed on threads in two lanes::

    lanes = AnsweringLanes()
    answer = await lanes.run(lanes.lane_for(question), lambda: bot.ask(question), timeout=15)

* the **short** lane (2 threads, up to 64 waiting) takes questions up to ``LONG_QUESTION_CHARS``
  characters, which is nearly every real question;
* the **long** lane (1 thread) takes the rest: a 1,000-character story costs several times a
  short question (the embedder sees at most ``indexing.embeddings.MAX_QUERY_CHARS`` of it, but
  tokenizing and scoring still grow with it), so at most one is computed at a time and a flood
  of them only fills its own queue.

A call with a ``timeout`` (an interactive web request) is refused at once with ``LaneBusy``
when its lane already holds ``threads + queue_limit`` jobs, and gets ``DeadlineExceeded`` when
the deadline passes; a job whose caller gave up before it started is skipped, so it is neither
computed nor logged. Calls without a timeout (LINE/Slack answers after the webhook was
acknowledged) wait their turn.
"""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, TypeVar

T = TypeVar("T")

LONG_QUESTION_CHARS = 120
SHORT_THREADS = 2
LONG_THREADS = 1
# How many questions may wait per thread before a web request is refused: a short question takes tens of
# milliseconds, so a burst of 20 web questions at once (a page opened in a class, a shared link) waits well under a
# second in the short lane instead of being refused; a long story takes up to a second, so its lane stays shallow.
SHORT_QUEUE_PER_THREAD = 32
QUEUE_PER_THREAD = 4
BUSY_RETRY_SECONDS = 5


class LaneBusy(Exception):
    """The lane's queue is full: try again after ``retry_after`` seconds."""

    def __init__(self, lane: str, retry_after: int = BUSY_RETRY_SECONDS):
        super().__init__(f"{lane} lane busy")
        self.lane, self.retry_after = lane, retry_after


class DeadlineExceeded(Exception):
    """No answer within the caller's deadline (the job is skipped if it has not started)."""

    def __init__(self, lane: str, retry_after: int = BUSY_RETRY_SECONDS):
        super().__init__(f"no answer in time ({lane} lane)")
        self.lane, self.retry_after = lane, retry_after


@dataclass
class Lane:
    name: str
    threads: int
    queue_limit: int
    executor: ThreadPoolExecutor = field(init=False)
    admitted: int = 0                 # submitted and not finished (running or queued)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        self.executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix=f"madoguchi-{self.name}")

    def _enter(self, bounded: bool) -> bool:
        with self._lock:
            if bounded and self.admitted >= self.threads + self.queue_limit:
                return False
            self.admitted += 1
            return True

    def _leave(self):
        with self._lock:
            self.admitted -= 1


class _Skipped:
    """Returned by a job whose caller had already given up."""


class AnsweringLanes:
    def __init__(self, short_threads: int = SHORT_THREADS, long_threads: int = LONG_THREADS,
                 queue_per_thread: int | None = None, long_question_chars: int = LONG_QUESTION_CHARS):
        """``queue_per_thread``: one depth for both lanes (tests); by default SHORT_QUEUE_PER_THREAD and QUEUE_PER_THREAD."""
        short_depth = SHORT_QUEUE_PER_THREAD if queue_per_thread is None else queue_per_thread
        long_depth = QUEUE_PER_THREAD if queue_per_thread is None else queue_per_thread
        self.short = Lane("short", short_threads, short_threads * short_depth)
        self.long = Lane("long", long_threads, long_threads * long_depth)
        self.long_question_chars = long_question_chars

    def lane_for(self, question: str) -> Lane:
        return self.long if len(question.strip()) > self.long_question_chars else self.short

    async def run(self, lane: Lane, function: Callable[[], T], timeout: float | None = None) -> T:
        if not lane._enter(bounded=timeout is not None):
            raise LaneBusy(lane.name)
        abandoned = threading.Event()

        def job():
            try:
                if abandoned.is_set():
                    return _Skipped
                return function()
            finally:
                lane._leave()

        try:
            future = asyncio.get_running_loop().run_in_executor(lane.executor, job)
        except RuntimeError:  # executor shut down
            lane._leave()
            raise
        if timeout is None:
            return await future
        try:
            result = await asyncio.wait_for(asyncio.shield(future), timeout)
        except asyncio.TimeoutError:
            abandoned.set()
            # The job's own outcome is no longer anyone's business; retrieve it so it is not reported.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise DeadlineExceeded(lane.name) from None
        return result

    def shutdown(self):
        for lane in (self.short, self.long):
            lane.executor.shutdown(wait=True, cancel_futures=False)
