"""Token buckets: how many questions one web client or one LINE/Slack user may ask.

Each key (a web client's address, or the keyed hash of a chat user's id) owns a bucket of
``burst`` tokens that refills at ``per_minute`` tokens a minute; a request takes one token::

    limiter = RateLimiter(per_minute=20, burst=10)
    decision = limiter.take("web:203.0.113.7")
    if not decision.allowed:
        ...  # HTTP 429 with Retry-After: decision.retry_after; a chat user is told once (decision.notify)

``per_minute=0`` turns limiting off. The buckets live in this process: with several worker
processes (``WEB_CONCURRENCY`` > 1) each worker keeps its own, so one client may get up to
``workers ×`` the limit when the load balancer spreads its requests. At most ``max_keys``
buckets are kept (least recently used dropped first), so a flood of new addresses cannot grow
memory without bound; a dropped bucket starts full again.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

MAX_KEYS = 50_000


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0      # whole seconds until the next token (HTTP Retry-After)
    notify: bool = False      # first refusal since the key was last allowed: tell the user once


ALLOWED = Decision(True)


@dataclass
class _Bucket:
    tokens: float
    updated: float
    refused: bool = False


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic):
        self.rate = max(0.0, float(per_minute)) / 60.0   # tokens per second
        self.burst = max(1, int(burst))
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: str) -> Decision:
        """Take one token for ``key``: allowed, or refused with the wait until the next token."""
        if not self.enabled:
            return ALLOWED
        now = self.clock()
        with self._lock:
            bucket = self._buckets.pop(key, None)
            if bucket is None:
                bucket = _Bucket(tokens=float(self.burst), updated=now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[key] = bucket  # most recently used last
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                bucket.refused = False
                return ALLOWED
            notify = not bucket.refused
            bucket.refused = True
            return Decision(False, retry_after=max(1, math.ceil((1.0 - bucket.tokens) / self.rate)), notify=notify)
