"""A real HTTP server on 127.0.0.1 port 0 (aiohttp) that records every request it gets.

Run it in its own thread (tests: ``with FakeLineApi() as line:``) or inside an existing
event loop (benchmarks: ``await fake.start_async()``). Tests wait for background work
with ``wait_for(predicate, timeout)``: it returns as soon as the recorded requests
satisfy the predicate, and fails with what was received otherwise.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from aiohttp import web


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes
    json: object = None
    form: dict = field(default_factory=dict)
    at: float = 0.0

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FakeServer:
    def __init__(self):
        self.received: list[Received] = []
        self._condition = threading.Condition()
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- subclass API -------------------------------------------------------------------------
    def routes(self, app: web.Application):
        raise NotImplementedError

    async def record(self, request: web.Request) -> Received:
        body = await request.read()
        content_type = request.headers.get("Content-Type", "")
        parsed_json, form = None, {}
        if body and "json" in content_type:
            parsed_json = json.loads(body)
        elif body and "x-www-form-urlencoded" in content_type:
            form = dict(parse_qsl(body.decode("utf-8")))
        item = Received(request.method, request.path, {k.lower(): v for k, v in request.headers.items()}, body,
                        parsed_json, form, time.monotonic())
        with self._condition:
            self.received.append(item)
            self._condition.notify_all()
        return item

    # --- queries ------------------------------------------------------------------------------
    def requests(self, path: str | None = None) -> list[Received]:
        with self._condition:
            return [r for r in self.received if path is None or r.path == path]

    def wait_for(self, predicate, timeout: float = 10.0, what: str = "requests"):
        """Block until ``predicate(self)`` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                value = predicate(self)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    paths = [f"{r.method} {r.path}" for r in self.received]
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}; received {paths}")
                self._condition.wait(remaining)

    def wait_for_count(self, path: str, count: int, timeout: float = 10.0) -> list[Received]:
        return self.wait_for(lambda s: (lambda rs: rs if len(rs) >= count else None)(s.requests(path)),
                             timeout, what=f"{count} x {path}")

    def clear(self):
        with self._condition:
            self.received.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- lifecycle in the caller's loop ---------------------------------------------------------
    async def start_async(self) -> "FakeServer":
        app = web.Application(client_max_size=4 * 1024 * 1024)
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop_async(self):
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- lifecycle in a thread of its own -------------------------------------------------------
    def start(self) -> "FakeServer":
        started = threading.Event()
        errors: list[BaseException] = []

        def run():
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            try:
                self._loop.run_until_complete(self.start_async())
            except BaseException as exc:  # surfaced to the caller below
                errors.append(exc)
                started.set()
                return
            started.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop_async())
            self._loop.close()

        self._thread = threading.Thread(target=run, name=type(self).__name__, daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError(f"{type(self).__name__} did not start")
        if errors:
            raise errors[0]
        return self

    def call(self, coroutine, timeout: float = 10.0):
        """Run a coroutine on the fake's own loop (thread mode) and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self):
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
