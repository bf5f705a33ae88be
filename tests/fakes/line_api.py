"""A fake LINE Messaging API: reply, push and multicast (with X-Line-Retry-Key semantics),
loading indicator, the month's message quota and its consumption, profiles.

Point the real SDK at it with ``LINE_API_BASE_URL=fake.url``. Knobs for failure paths:
``reject_reply_tokens`` (a reply with one of these tokens gets 400 "Invalid reply token",
as an expired token does), ``fail_replies`` and ``fail_pushes`` (the next N replies or pushes get
500 and are not accepted) and ``refuse_push_targets`` (pushes to these ids get 400, as for a user who
blocked the account). A push whose retry key was already accepted gets 409, like the real API.

Multicast: ``fail_multicasts`` is a list of statuses (500, 429, ...) the next calls get
before one is accepted; ``hold_multicast(n)`` makes the n-th multicast call wait until
``release_multicast()`` (then it is accepted, as if LINE had taken it while the sender
died); ``quota_limit`` (None: no limit) and ``quota_used`` answer the quota endpoints, and
every accepted multicast adds its recipients to ``quota_used``. ``delivered`` counts the
messages each user actually received, so a test sees any duplicate.
"""
from __future__ import annotations

import asyncio
import itertools
from collections import Counter

from aiohttp import web

from .base import FakeServer

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"
LOADING = "/v2/bot/chat/loading/start"
MULTICAST = "/v2/bot/message/multicast"
QUOTA = "/v2/bot/message/quota"
CONSUMPTION = "/v2/bot/message/quota/consumption"
MULTICAST_LIMIT = 500
PROFILE = "/v2/bot/profile/"


class FakeLineApi(FakeServer):
    def __init__(self, access_token: str = "line-test-token"):
        super().__init__()
        self.access_token = access_token
        self.reject_reply_tokens: set[str] = set()
        self.fail_replies = 0
        self.fail_pushes = 0
        self.refuse_push_targets: set[str] = set()
        self._used_reply_tokens: set[str] = set()
        self._accepted_retry_keys: set[str] = set()
        self._ids = itertools.count(1)
        self.fail_multicasts: list[int] = []
        self.quota_limit: int | None = None
        self.quota_used = 0
        self.delivered: Counter = Counter()
        self.accepted_multicasts: list[dict] = []
        self._multicast_calls = 0
        self._hold_call: int | None = None
        self._released: asyncio.Event | None = None
        # user id → the language set in the LINE app; users not listed get 404 (not a friend).
        self.profile_languages: dict[str, str | None] = {}

    def routes(self, app: web.Application):
        app.router.add_post(REPLY, self.reply)
        app.router.add_post(PUSH, self.push)
        app.router.add_post(LOADING, self.loading)
        app.router.add_post(MULTICAST, self.multicast)
        app.router.add_get(QUOTA, self.quota)
        app.router.add_get(CONSUMPTION, self.consumption)
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
        if self.fail_replies > 0:
            self.fail_replies -= 1
            return web.json_response({"message": "Internal server error"}, status=500)
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
        if (item.json or {}).get("to") in self.refuse_push_targets:
            return web.json_response({"message": "Failed to send messages"}, status=400)
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

    async def multicast(self, request: web.Request) -> web.Response:
        item = await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        self._multicast_calls += 1
        if self._hold_call == self._multicast_calls:
            await self._released.wait()
        if self.fail_multicasts:
            status = self.fail_multicasts.pop(0)
            headers = {"Retry-After": "0"} if status == 429 else {}
            return web.json_response({"message": "failure injected by the fake"}, status=status, headers=headers)
        to = (item.json or {}).get("to", [])
        if not to or len(to) > MULTICAST_LIMIT or len(set(to)) != len(to):
            return web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        retry_key = request.headers.get("X-Line-Retry-Key")
        if retry_key and retry_key in self._accepted_retry_keys:
            return web.json_response({"message": "The retry key is already accepted"}, status=409,
                                     headers={"x-line-accepted-request-id": "accepted"})
        if self.quota_limit is not None and self.quota_used + len(to) > self.quota_limit:
            return web.json_response({"message": "You have reached your monthly limit."}, status=429)
        if retry_key:
            self._accepted_retry_keys.add(retry_key)
        self.quota_used += len(to)
        self.delivered.update(to)
        self.accepted_multicasts.append({"to": to, "retry_key": retry_key, "messages": item.json.get("messages")})
        return web.json_response({})

    async def quota(self, request: web.Request) -> web.Response:
        await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        if self.quota_limit is None:
            return web.json_response({"type": "none"})
        return web.json_response({"type": "limited", "value": self.quota_limit})

    async def consumption(self, request: web.Request) -> web.Response:
        await self.record(request)
        if not self._authorized(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        return web.json_response({"totalUsage": self.quota_used})

    def hold_multicast(self, call_number: int):
        """Make the ``call_number``-th multicast call (counted from now) wait for ``release_multicast``."""
        self._hold_call = self._multicast_calls + call_number
        self._released = self.call(_new_event())

    def release_multicast(self):
        if self._released is not None:
            self._loop.call_soon_threadsafe(self._released.set)

    def multicasts(self) -> list:
        return self.requests(MULTICAST)

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

    def reply_to(self, event: dict, timeout: float = 10.0):
        """The first reply request sent with ``event``'s reply token, waited for."""
        token = event["replyToken"]
        return self.wait_for(lambda f: f.replies(token), timeout, what=f"reply {token}")[0]

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


async def _new_event() -> asyncio.Event:
    """An Event created on the fake's own loop."""
    return asyncio.Event()
