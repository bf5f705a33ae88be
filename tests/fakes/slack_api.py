"""A fake Slack Web API (auth.test, chat.postMessage with blocks, chat.update, views.open,
conversations.replies/history of the bot's own posts, with their metadata), response_url
endpoints and a Socket Mode WebSocket server (apps.connections.open → ws://.../link).

Point the real SDK at it with ``SLACK_API_BASE_URL=fake.api_url`` (trailing slash kept).
"""
from __future__ import annotations

import itertools
import json

from aiohttp import WSMsgType, web

from .base import FakeServer, Received

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0001"


class FakeSlackApi(FakeServer):
    def __init__(self, bot_token: str = "xoxb-test-token", app_token: str = "xapp-test-token"):
        super().__init__()
        self.bot_token = bot_token
        self.app_token = app_token
        self.socket_acks: list[dict] = []
        self.missing_channels: set[str] = set()  # chat.postMessage there: channel_not_found
        self.missing_scopes: set[str] = set()    # methods answered missing_scope
        self.messages: dict[str, list[dict]] = {}  # posted messages by channel (chat.update edits them)
        self.views: list[dict] = []                # views.open: {"trigger_id", "view"}
        self._sockets: set[web.WebSocketResponse] = set()
        self._ts = itertools.count(1)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def routes(self, app: web.Application):
        app.router.add_post("/api/{method}", self.api)
        app.router.add_get("/api/{method}", self.api)
        app.router.add_post("/response/{name}", self.response)
        app.router.add_get("/link", self.link)

    def _token(self, request: web.Request, item: Received) -> str:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[len("Bearer "):]
        return item.form.get("token", "") or ((item.json or {}).get("token", "") if isinstance(item.json, dict) else "")

    async def api(self, request: web.Request) -> web.Response:
        item = await self.record(request)
        method = request.match_info["method"]
        token = self._token(request, item)
        if method == "apps.connections.open":
            if token != self.app_token:
                return web.json_response({"ok": False, "error": "invalid_auth"})
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"})
        if token != self.bot_token:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "auth.test":
            return web.json_response({"ok": True, "url": "https://test.slack.example/", "team": "test",
                                      "user": "madoguchi", "team_id": TEAM_ID, "user_id": BOT_USER_ID,
                                      "bot_id": BOT_ID, "is_enterprise_install": False})
        if method == "chat.postMessage":
            payload = item.json if isinstance(item.json, dict) else item.form
            if payload.get("channel") in self.missing_channels:
                return web.json_response({"ok": False, "error": "channel_not_found"})
            message = {"ts": f"1700000000.{next(self._ts):06d}", "text": payload.get("text", ""),
                       "thread_ts": payload.get("thread_ts"), "metadata": _metadata(payload.get("metadata")),
                       "blocks": _json_value(payload.get("blocks")),
                       "reply_broadcast": payload.get("reply_broadcast") in (True, "true", "1")}
            with self._condition:
                self.messages.setdefault(payload.get("channel"), []).append(message)
            return web.json_response({"ok": True, "channel": payload.get("channel"), "ts": message["ts"],
                                      "message": {"text": message["text"]}})
        if method == "chat.update":
            payload = item.json if isinstance(item.json, dict) else item.form
            with self._condition:
                found = [m for m in self.messages.get(payload.get("channel"), []) if m["ts"] == payload.get("ts")]
                for message in found:
                    message.update(text=payload.get("text", ""), blocks=_json_value(payload.get("blocks")))
                self._condition.notify_all()
            if not found:
                return web.json_response({"ok": False, "error": "message_not_found"})
            return web.json_response({"ok": True, "channel": payload.get("channel"), "ts": payload.get("ts")})
        if method == "views.open":
            payload = item.json if isinstance(item.json, dict) else item.form
            with self._condition:
                self.views.append({"trigger_id": payload.get("trigger_id"), "view": _json_value(payload.get("view"))})
                self._condition.notify_all()
            return web.json_response({"ok": True, "view": {"id": f"V{len(self.views):06d}"}})
        if method in ("conversations.replies", "conversations.history"):
            return self._conversation(method, {**dict(request.query), **item.form})
        return web.json_response({"ok": False, "error": "unknown_method"})

    def _conversation(self, method: str, params: dict) -> web.Response:
        """The bot's own posts in a channel (history) or a thread (replies), newest first."""
        if method in self.missing_scopes:
            return web.json_response({"ok": False, "error": "missing_scope"})
        with self._condition:
            posted = list(self.messages.get(params.get("channel"), []))
        if method == "conversations.replies":
            posted = [m for m in posted if m["thread_ts"] == params.get("ts")]
        else:
            posted = [m for m in posted if not m["thread_ts"]]
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        messages = [{"type": "message", "ts": m["ts"], "text": m["text"], "bot_id": BOT_ID,
                     **({"metadata": m["metadata"]} if with_metadata and m["metadata"] else {})}
                    for m in reversed(posted)]
        return web.json_response({"ok": True, "messages": messages, "has_more": False})

    async def response(self, request: web.Request) -> web.Response:
        await self.record(request)
        return web.Response(text="ok")

    # --- Socket Mode --------------------------------------------------------------------------
    async def link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        with self._condition:
            self._sockets.add(socket)
            self._condition.notify_all()
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    data = json.loads(message.data)
                    with self._condition:
                        self.socket_acks.append(data)
                        self._condition.notify_all()
        finally:
            self._sockets.discard(socket)
        return socket

    @property
    def socket_connected(self) -> bool:
        return bool(self._sockets)

    async def send_envelope(self, envelope: dict):
        for socket in list(self._sockets):
            await socket.send_str(json.dumps(envelope))

    async def close_sockets(self):
        for socket in list(self._sockets):
            await socket.close()

    # --- what the bot sent ----------------------------------------------------------------------
    def posts(self) -> list[Received]:
        return self.requests("/api/chat.postMessage")

    def thread(self, channel: str, ts: str) -> list[dict]:
        """The bot's replies in a thread, oldest first."""
        with self._condition:
            return [m for m in self.messages.get(channel, []) if m["thread_ts"] == ts]

    def top_level(self, channel: str) -> list[dict]:
        with self._condition:
            return [m for m in self.messages.get(channel, []) if not m["thread_ts"]]

    def responses(self, name: str | None = None) -> list[Received]:
        return [r for r in self.received if r.path.startswith("/response/")
                and (name is None or r.path == f"/response/{name}")]


def _json_value(value):
    """A JSON field as sent (a JSON body carries it parsed, a form as a JSON string)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _metadata(value) -> dict | None:
    """Message metadata as sent (a JSON body carries a dict, a form a JSON string)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None
