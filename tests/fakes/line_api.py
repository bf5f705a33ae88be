"""A fake LINE Messaging API: reply, push (with X-Line-Retry-Key semantics), loading indicator, profiles.

Point the real SDK at it with ``LINE_API_BASE_URL=fake.url``. Knobs for failure paths:
``reject_reply_tokens`` (a reply with one of these tokens gets 400 "Invalid reply token",
as an expired token does) and ``fail_pushes`` (the next N pushes get 500 and are not
accepted). A push whose retry key was already accepted gets 409, like the real API.
"""
from __future__ import annotations

import itertools

from aiohttp import web

from .base import FakeServer

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
LOADING = "/v2/bot/chat/loading/start"
PROFILE = "/v2/bot/profile/"


class FakeLineApi(FakeServer):
    def __init__(self, access_token: str = "line-test-token"):
        super().__init__()
        self.access_token = access_token
        self.reject_reply_tokens: set[str] = set()
        self.fail_pushes = 0
        self._used_reply_tokens: set[str] = set()
        self._accepted_retry_keys: set[str] = set()
        self._ids = itertools.count(1)
        # user id → the language set in the LINE app; users not listed get 404 (not a friend).
        self.profile_languages: dict[str, str | None] = {}

    def routes(self, app: web.Application):
        app.router.add_post(REPLY, self.reply)
        app.router.add_post(PUSH, self.push)
        app.router.add_post(LOADING, self.loading)
        app.router.add_get(PROFILE + "{user_id}", self.profile)

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.access_token}"

    def _sent(self, messages: list) -> dict:
        return {"sentMessages": [{"id": str(next(self._ids)), "quoteToken": "q"} for _ in messages]}

    async def reply(self, request: web.Request) -> web.Response:
        item = await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        token = (item.json or {}).get("replyToken", "")
        if token in self.reject_reply_tokens or token in self._used_reply_tokens:
            return web.json_response({"message": "Invalid reply token"}, status=400)
        self._used_reply_tokens.add(token)
        return web.json_response(self._sent(item.json.get("messages", [])))

    async def push(self, request: web.Request) -> web.Response:
        item = await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        if self.fail_pushes > 0:
            self.fail_pushes -= 1
            return web.json_response({"message": "Internal server error"}, status=500)
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key and retry_key in self._accepted_retry_keys:
            return web.json_response({"message": "The retry key is already accepted"}, status=409,
                                     headers={"x-line-accepted-request-id": "accepted"})
        if retry_key:
            self._accepted_retry_keys.add(retry_key)
        return web.json_response(self._sent(item.json.get("messages", [])))

    async def loading(self, request: web.Request) -> web.Response:
        await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        return web.json_response({}, status=202)

    async def profile(self, request: web.Request) -> web.Response:
        await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        user_id = request.match_info["user_id"]
        if user_id not in self.profile_languages:
            return web.json_response({"message": "Not found"}, status=404)
        body = {"displayName": "テスト", "userId": user_id}
        if self.profile_languages[user_id]:
            body["language"] = self.profile_languages[user_id]
        return web.json_response(body)

    # --- what the bot sent ----------------------------------------------------------------------
    def replies(self, reply_token: str | None = None) -> list:
        return [r for r in self.requests(REPLY) if reply_token is None or (r.json or {}).get("replyToken") == reply_token]

    def successful_replies(self) -> list:
        """Replies that delivered (first use of a token not marked as rejected)."""
        seen, result = set(), []
        for r in self.replies():
            token = r.json.get("replyToken")
            if token not in self.reject_reply_tokens and token not in seen:
                seen.add(token)
                result.append(r)
        return result

    def pushes(self, to: str | None = None) -> list:
        return [r for r in self.requests(PUSH) if to is None or (r.json or {}).get("to") == to]
