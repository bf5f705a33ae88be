"""One answer at a time per conversation, in the order the events were received.

The inbox worker answers up to eight events at once. Two messages a resident sends a second apart would
otherwise race: a short greeting answered before the question typed first, or a long question's answer
arriving after the next one's. A channel's handler takes its conversation's turn first::

    async with turns.of(conversation_key):
        ...compose and send...

Handlers start in the order the worker claimed their events (oldest first) and ``asyncio.Lock`` wakes
waiters first come, first served, so the answers go out in that order. Other conversations never wait.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager


class Turns:
    def __init__(self):
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    @asynccontextmanager
    async def of(self, key: str | None):
        """Wait for ``key``'s earlier events to finish (no key: no waiting)."""
        if not key:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:  # the last one out: nothing kept per past conversation
                del self._holders[key], self._locks[key]

    @property
    def conversations(self) -> int:
        return len(self._locks)
