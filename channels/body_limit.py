"""A cap on request bodies for the whole app, before any handler reads them.

``Content-Length`` over the cap is answered 413 at once; a body sent without one (chunked) is
read up to the app-wide cap and then refused the same way, so no handler ever holds more than the
cap in memory. The admin UI's uploads (of a declared length) get their own, larger cap::

    app = BodyLimit(app, limit=1_000_000, limits={"/admin": 21 * 1024 * 1024})
"""
from __future__ import annotations

import asyncio
import html
import json

from channels.web.messages import api_error
from indexing.language import preferred_language

DEFAULT_LIMIT_BYTES = 1_000_000
# An oversized form post from a browser is read (and dropped) up to this size before the 413 page is sent.
DRAIN_LIMIT_BYTES = 100 * 1024 * 1024
DRAIN_SECONDS = 60


class BodyLimit:
    def __init__(self, app, limit: int = DEFAULT_LIMIT_BYTES, limits: dict[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.limits = sorted((limits or {}).items(), key=lambda item: -len(item[0]))

    def drains(self, scope, declared: int) -> bool:
        """Whether an oversized body is read before the 413: a browser's form post to a path with a cap of its
        own (the admin UI's uploads), of at most DRAIN_LIMIT_BYTES, and not one that waits to be asked for its
        body (Expect: 100-continue gets the 413 at once)."""
        return (self._own_limit(scope.get("path", "")) is not None and _wants_html(scope)
                and declared <= DRAIN_LIMIT_BYTES and _header(scope, b"expect") is None)

    def limit_for(self, path: str) -> int:
        own = self._own_limit(path)
        return self.limit if own is None else own

    def _own_limit(self, path: str) -> int | None:
        """The cap of the longest prefix in ``limits`` that ``path`` is under, or None."""
        for prefix, limit in self.limits:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            if self.drains(scope, declared):
                # A browser still sending its upload reads a reply only after it has sent it all; cut off,
                # it shows a connection error instead of the page that says what the limit is. A client that
                # trickles is not waited for past DRAIN_SECONDS.
                try:
                    await asyncio.wait_for(_drain(receive), DRAIN_SECONDS)
                except asyncio.TimeoutError:
                    pass
            return await _too_large(scope, send, limit)
        if declared is not None:
            return await self.app(scope, _capped(receive, limit), send)
        # No length declared (chunked): buffer up to the cap, then replay to the app. The buffer is held before
        # any handler runs, so before a login is checked: never more than the app-wide cap, whatever the
        # path's own (browsers declare the length of their uploads; an anonymous client sending 20 MB bodies
        # to the admin UI without one could hold 20 MB each).
        limit = min(limit, self.limit)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return await _too_large(scope, send, limit)
            if not message.get("more_body", False):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else 1 << 62
    return None


def _capped(receive, limit: int):
    """The server already frames the body by Content-Length; this only guards the total."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                return {"type": "http.disconnect"}
        return message

    return wrapped


async def _drain(receive):
    """Read the request body to its end without keeping it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


def _header(scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


def _wants_html(scope) -> bool:
    """A browser's form post (an admin upload) rather than an API client: it reads a page, not JSON."""
    accept = _header(scope, b"accept") or ""
    return "text/html" in accept and "application/json" not in accept


def _page(message: str, limit: int, path: str) -> bytes:
    megabytes = max(1, round(limit / (1024 * 1024)))
    back = "/admin/" if path == "/admin" or path.startswith("/admin/") else "/"
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{html.escape(message)}</title></head>'
            f"<body><h1>{html.escape(message)}</h1><p>上限は {megabytes}MB です。ファイルを分けるか、小さくしてから"
            f'もう一度お試しください。</p><p><a href="{back}">戻る</a></p></body></html>').encode("utf-8")


async def _too_large(scope, send, limit: int):
    """413: a Japanese page for a browser's form post (the admin UI is Japanese), else JSON in the
    browser's language (the body was not read, so the question's is unknown)."""
    if _wants_html(scope):
        body = _page(api_error("too_large"), limit, scope.get("path", ""))
        content_type = b"text/html; charset=utf-8"
    else:
        message = api_error("too_large", preferred_language(_header(scope, b"accept-language")))
        body = json.dumps({"error": "too_large", "message": message}, ensure_ascii=False).encode("utf-8")
        content_type = b"application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
