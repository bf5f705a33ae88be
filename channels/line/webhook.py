"""LINE Messaging API webhook: verify → parse → dedupe → ask → render → send.

The webhook is answered 200 as soon as the signature is verified and the events are
parsed; each event is then handled in the background (LINE gives us 2 seconds).
Redeliveries are recognised by ``webhookEventId`` in the shared database, so an event is
answered once even when several workers receive copies.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Awaitable, Callable

import aiohttp
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    Message,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.webhook import WebhookParser
from linebot.v3.webhooks import (
    AudioMessageContent,
    FileMessageContent,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    StickerMessageContent,
    TextMessageContent,
    UserSource,
    VideoMessageContent,
)
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.insights.inquiry_log import FEEDBACK_VALUES
from channels.feedback import feedback_reply
from channels.line import messages, render
from channels.line.profiles import ProfileLanguages
from channels.runtime import Runtime
from indexing.language import is_ambiguous

log = logging.getLogger(__name__)

AUDIENCE = "citizen"
CHANNEL = "line"
MAX_BODY_BYTES = 1_000_000
API_TIMEOUT_SECONDS = 10
LOADING_SECONDS = 5          # 5..60 in steps of 5; the indicator stops when our reply arrives
LOADING_WAIT_SECONDS = 1.0   # never hold an answer back longer than this for the indicator
PUSH_ATTEMPTS = 3
PUSH_BACKOFF_SECONDS = 0.5

Work = Callable[[], Awaitable[None]]


def user_id_of(source) -> str | None:
    """The id handed to the inquiry log (which keeps only a keyed hash of it)."""
    user_id = getattr(source, "user_id", None)
    return f"line:{user_id}" if user_id else None


def push_target(source) -> str | None:
    if isinstance(source, GroupSource):
        return source.group_id
    if isinstance(source, RoomSource):
        return source.room_id
    return getattr(source, "user_id", None)


def mentions_me(content: TextMessageContent) -> bool:
    mention = content.mention
    return bool(mention and any(getattr(m, "is_self", False) for m in mention.mentionees))


def strip_self_mentions(content: TextMessageContent) -> str:
    """The question without the '@bot' parts (other people's mentions stay: they may be context)."""
    text = content.text
    spans = sorted(((m.index, m.index + m.length) for m in (content.mention.mentionees if content.mention else [])
                    if getattr(m, "is_self", False)), reverse=True)
    for start, end in spans:
        text = text[:start] + text[end:]
    return text.strip()


class LineChannel:
    def __init__(self, runtime: Runtime, api_client: AsyncApiClient):
        settings = runtime.settings
        self.runtime = runtime
        self.parser = WebhookParser(settings.line_channel_secret)
        self.api_client = api_client
        self.api = AsyncMessagingApi(api_client)
        self.profile_languages = ProfileLanguages(self.api)
        self.easy_japanese = settings.easy_japanese

    @classmethod
    def start(cls, runtime: Runtime) -> "LineChannel":
        """Build inside the running event loop (the SDK's aiohttp session belongs to it)."""
        settings = runtime.settings
        configuration = Configuration(access_token=settings.line_channel_access_token,
                                      host=settings.line_api_base_url.rstrip("/"))
        configuration.connection_pool_maxsize = 64
        return cls(runtime, AsyncApiClient(configuration))

    async def close(self):
        await self.api_client.close()

    # --- the webhook ------------------------------------------------------------------------
    async def callback(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        signature = request.headers.get("X-Line-Signature", "")
        try:
            events = self.parser.parse(body.decode("utf-8"), signature)
        except (InvalidSignatureError, UnicodeDecodeError):
            log.warning("LINE webhook rejected: bad signature")
            return PlainTextResponse("invalid signature", status_code=400)
        except (ValueError, KeyError, TypeError):
            # Signed by LINE but not a payload we understand: nothing to retry.
            log.warning("LINE webhook with a malformed body ignored")
            return PlainTextResponse("malformed body", status_code=400)
        for event in events:
            work = self.plan(event)
            if work is not None:
                self.runtime.spawn(self._once(event.webhook_event_id, work), name=f"line {event.type}")
        return PlainTextResponse("OK")

    async def _once(self, webhook_event_id: str, work: Work):
        if not await self.runtime.claim_event(f"{CHANNEL}:{webhook_event_id}"):
            log.info("LINE redelivery of an answered event skipped")
            return
        await work()

    def plan(self, event) -> Work | None:
        """What to do for one event, or None for events this bot stays silent on."""
        if not getattr(event, "webhook_event_id", None):
            return None
        if isinstance(event, MessageEvent):
            return self._plan_message(event)
        if isinstance(event, FollowEvent):
            return lambda: self.welcome(event)
        if isinstance(event, JoinEvent):
            return lambda: self.send(event, render.text_messages(messages.say("JOIN_GROUP", "ja", self.easy_japanese)))
        if isinstance(event, PostbackEvent):
            return lambda: self.on_postback(event)
        return None  # unfollow, leave, member joined/left, unsend, ...: nothing to say

    def _plan_message(self, event: MessageEvent) -> Work | None:
        content = event.message
        direct = isinstance(event.source, UserSource)
        if isinstance(content, TextMessageContent):
            if direct:
                return lambda: self.answer(event, content.text)
            if not mentions_me(content):
                return None  # in groups and rooms, speak only when spoken to
            return lambda: self.answer(event, strip_self_mentions(content), quote_token=content.quote_token)
        if not direct:
            return None
        if isinstance(content, StickerMessageContent):
            name = "STICKER"
        elif isinstance(content, (ImageMessageContent, VideoMessageContent, AudioMessageContent,
                                  FileMessageContent)):
            name = "MEDIA"
        elif isinstance(content, LocationMessageContent):
            name = "LOCATION"
        else:
            name = "UNSUPPORTED"
        return lambda: self.send_text(event, name)

    # --- handling ---------------------------------------------------------------------------
    async def answer(self, event, question: str, quote_token: str | None = None):
        loading = None
        if isinstance(event.source, UserSource) and event.source.user_id:
            loading = asyncio.ensure_future(self.show_loading(event.source.user_id))
        try:
            # The profile language only matters when the text does not tell ("👍", "ok", "123").
            hint = await self.user_language(event) if is_ambiguous(question) else None
            answer = await self.runtime.ask(question, AUDIENCE, CHANNEL, user_id_of(event.source), language_hint=hint)
            reply = render.answer_messages(answer, quote_token, self.easy_japanese)
        except Exception:  # a bug or a broken index must not leave the citizen without a word
            log.exception("LINE answer failed")
            reply = render.text_messages(messages.say("ERROR", await self.user_language(event), self.easy_japanese),
                                         quote_token)
        if loading is not None:
            # The indicator stops when a message arrives: make sure it was started before our reply.
            await asyncio.wait([loading], timeout=LOADING_WAIT_SECONDS)
        await self.send(event, reply)

    async def user_language(self, event) -> str:
        """The language the user set in LINE (``und`` if unknown); 1:1 chats only."""
        if not isinstance(event.source, UserSource):
            return "und"
        return await self.profile_languages.of(event.source.user_id)

    async def send_text(self, event, name: str, language: str | None = None, **fields):
        """One fixed text of channels/line/messages.py, in ``language`` or else the user's profile language."""
        language = language or await self.user_language(event)
        await self.send(event, render.text_messages(messages.say(name, language, self.easy_japanese, **fields)))

    async def welcome(self, event: FollowEvent):
        topics = await self.runtime.topics(AUDIENCE)
        language = await self.user_language(event)
        separator = "、" if language in ("ja", "und", "zh-Hans", "zh-Hant") else ", "
        await self.send_text(event, "WELCOME", language, topics=messages.say(
            "WELCOME_TOPICS", language, self.easy_japanese, topics=separator.join(topics)) if topics else "")

    async def on_postback(self, event: PostbackEvent):
        data = render.parse_postback(event.postback.data)
        action = data.get("a")
        if action == render.ASK and isinstance(data.get("q"), str):
            await self.answer(event, data["q"])
        elif action == render.FEEDBACK and data.get("v") in FEEDBACK_VALUES and isinstance(data.get("i"), int):
            outcome = await self.runtime.set_feedback(data["i"], data["v"], user_id_of(event.source))
            # The language of the question rated (carried by the button), else the profile's.
            language = data.get("l") if data.get("l") in messages.CATALOGUE["RESOLVED"] else \
                await self.user_language(event)
            await self.send(event, render.text_messages(
                feedback_reply(outcome, data["v"], messages, language, self.easy_japanese)))
        else:
            log.info("LINE postback with unknown data ignored")

    async def show_loading(self, user_id: str):
        try:
            await self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=LOADING_SECONDS),
                _request_timeout=API_TIMEOUT_SECONDS)
        except (ApiException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("LINE loading indicator not shown (%s)", _describe(exc))

    # --- sending ----------------------------------------------------------------------------
    async def send(self, event, messages_: list[Message]) -> bool:
        """Reply (free) with the event's token; if that fails, push (quota) with a retry key."""
        reply_token = getattr(event, "reply_token", None)
        if reply_token:
            try:
                await self.api.reply_message(ReplyMessageRequest(reply_token=reply_token, messages=messages_),
                                             _request_timeout=API_TIMEOUT_SECONDS)
                return True
            except (ApiException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.info("LINE reply failed (%s); falling back to push", _describe(exc))
        return await self.push(push_target(event.source), messages_)

    async def push(self, to: str | None, messages_: list[Message]) -> bool:
        if not to:
            log.warning("LINE answer dropped: no reply token and no push target")
            return False
        # The same key on every attempt: LINE accepts a retried push only once (409 afterwards).
        retry_key = str(uuid.uuid4())
        request = PushMessageRequest(to=to, messages=messages_)
        for attempt in range(1, PUSH_ATTEMPTS + 1):
            try:
                await self.api.push_message(request, x_line_retry_key=retry_key, _request_timeout=API_TIMEOUT_SECONDS)
                return True
            except ApiException as exc:
                if exc.status == 409:
                    return True  # an earlier attempt with this key was accepted
                if exc.status < 500 and exc.status != 429:
                    log.warning("LINE push refused (%s)", _describe(exc))
                    return False
                log.info("LINE push attempt %d failed (%s)", attempt, _describe(exc))
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.info("LINE push attempt %d failed (%s)", attempt, _describe(exc))
            if attempt < PUSH_ATTEMPTS:
                await asyncio.sleep(PUSH_BACKOFF_SECONDS * attempt)
        log.error("LINE answer lost after %d push attempts", PUSH_ATTEMPTS)
        return False


def _describe(exc: Exception) -> str:
    """Status and type only: response bodies may echo user ids."""
    status = getattr(exc, "status", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__
