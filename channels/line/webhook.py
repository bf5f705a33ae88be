"""LINE Messaging API webhook: verify → parse → store in the inbox → 200; then ask → render → send.

The webhook is answered 200 as soon as the signature is verified and the events are
stored (committed) in the inbox (LINE gives us 2 seconds, and never resends what got a
200). The inbox worker answers them; an event is done only when LINE accepted the reply
or the push. Redeliveries are recognised by ``webhookEventId`` (the inbox's key), so an
event is answered once even when several workers receive copies or the server was killed
in between. See ``LineChannel.deliver`` for how a resumed event avoids sending twice.
"""
from __future__ import annotations

import asyncio
import logging
import time
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
    Event,
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
    UnfollowEvent,
    UnsendEvent,
    UserSource,
    VideoMessageContent,
)
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.insights.inquiry_log import FEEDBACK_VALUES
from bot.insights.masking import PLACEHOLDERS
from channels.feedback import feedback_reply
from channels.inbox import InboxEvent, Outcome
from channels.line import handoff, messages, preferences, render
from channels.line.profiles import ProfileLanguages
from channels.runtime import FeedbackResult, Runtime
from indexing.language import detect_language, is_ambiguous, list_separator
from indexing.storage import DATABASE_ERRORS
from indexing.storage.inbox import DEFAULT_KEEP_DAYS

log = logging.getLogger(__name__)


def _in_standby(event) -> bool:
    mode = getattr(event, "mode", None)
    return str(getattr(mode, "value", mode) or "").lower() == "standby"


AUDIENCE = "citizen"
CHANNEL = "line"
MAX_BODY_BYTES = 1_000_000
API_TIMEOUT_SECONDS = 10
LOADING_SECONDS = 5          # 5..60 in steps of 5; the indicator stops when our reply arrives
LOADING_WAIT_SECONDS = 1.0   # never hold an answer back longer than this for the indicator
# A reply token works once, for about a minute. Within this many seconds of the event a
# refused token that an earlier attempt had already sent was used by that attempt; past it, a
# retry after LINE failed (5xx, 429) pushes instead of trying the token again.
REPLY_TOKEN_TRUSTED_SECONDS = 40
# An event older than this is not answered: the inbox forgets finished events after DEFAULT_KEEP_DAYS (see too_old).
MAX_EVENT_AGE_SECONDS = (DEFAULT_KEEP_DAYS - 1) * 86400
# Another group member's mention, a display name, as the inquiry log stores a name.
NAME_PLACEHOLDER = PLACEHOLDERS["name"]
RETRY_KEY_NAMESPACE = uuid.UUID("6f0d3c1e-2b7a-5c4e-9a51-6d61646f6775")  # fixed: keys survive restarts
# Inbox progress marks (what an attempt started sending).
REPLY = "reply"
PUSH = "push"

Composed = tuple  # (messages to send or None, inquiry id or None)
Compose = Callable[[str], Awaitable[Composed]]


def user_id_of(source) -> str | None:
    """The id handed to the inquiry log (which keeps only a keyed hash of it)."""
    user_id = getattr(source, "user_id", None)
    return f"line:{user_id}" if user_id else None


def rate_limit_key(source) -> str | None:
    """Whose questions count against one allowance: the user's, or where LINE withholds the id of a
    group or room member who has not agreed to share it, the group's or room's (else they never would)."""
    user = user_id_of(source)
    if user or isinstance(source, UserSource):
        return user
    place = push_target(source)
    return f"line:{type(source).__name__}:{place}" if place else None


def push_target(source) -> str | None:
    if isinstance(source, GroupSource):
        return source.group_id
    if isinstance(source, RoomSource):
        return source.room_id
    return getattr(source, "user_id", None)


def mentions_me(content: TextMessageContent) -> bool:
    mention = content.mention
    return bool(mention and any(getattr(m, "is_self", False) for m in mention.mentionees))


def typed_question(content: TextMessageContent) -> str:
    """The question without the '@bot' parts and without LINE emoji, which the text holds as their alt text
    (「(hello)」, 「$」 in older clients) at the places ``emojis`` gives. Another member's mention is a display
    name, personal data: it stays as context, written as the name placeholder (@〔氏名〕); an @All is dropped.
    LINE counts those places in UTF-16 code units: an emoji (😊) or a rare kanji (𠮷) before them is two."""
    mentionees = content.mention.mentionees if content.mention else []
    spans = [(m.index, m.index + m.length, "" if getattr(m, "is_self", False) or getattr(m, "type", "") == "all"
              else f"@{NAME_PLACEHOLDER}") for m in mentionees
             if isinstance(getattr(m, "index", None), int) and isinstance(getattr(m, "length", None), int)]
    spans += [(e.index, e.index + e.length, "") for e in content.emojis or []
              if isinstance(e.index, int) and isinstance(e.length, int)]
    if not spans:
        return content.text.strip()
    # surrogatepass: a lone surrogate in the JSON ("\ud83d") must not fail the event; ignore drops it,
    # and the half of a pair a span cuts through.
    units = content.text.encode("utf-16-le", errors="surrogatepass")
    for start, end, replacement in sorted(spans, reverse=True):
        if 0 <= start < end <= len(units) // 2:
            units = units[:2 * start] + replacement.encode("utf-16-le") + units[2 * end:]
    return units.decode("utf-16-le", errors="ignore").strip()


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
        channel = cls(runtime, AsyncApiClient(configuration))
        runtime.inbox.register(CHANNEL, channel.handle)  # also resumes events left unfinished
        return channel

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
        accepted = [(key_of(event), CHANNEL, event.to_dict()) for event in events
                    if self.plan(event) is not None]
        if accepted:
            # Stored (and committed) before the 200: LINE never resends what got a 200.
            try:
                await self.runtime.inbox.add(accepted)
            except DATABASE_ERRORS as exc:
                log.error("LINE events not stored (%s); answering 503", type(exc).__name__)
                return PlainTextResponse("temporarily unavailable", status_code=503)
        return PlainTextResponse("OK")

    def plan(self, event) -> Compose | None:
        """What to send for one event, or None for events this bot stays silent on."""
        if not getattr(event, "webhook_event_id", None):
            return None
        if too_old(event) and not isinstance(event, UnfollowEvent):
            # LINE's signature carries no time: a signed body captured and sent again after the inbox has
            # forgotten its events would be answered again (a push, as its reply token is long gone). LINE
            # itself never redelivers that late. Forgetting a user who blocked the account may be repeated.
            return None
        if _in_standby(event) and not isinstance(event, UnfollowEvent):
            # Another channel (a module) is in control of the chat: it answers, this bot stays silent
            # (the event carries no reply token; a push would talk over it and use paid quota).
            # A user who blocks the account is still forgotten.
            return None
        work = preferences.plan(self, event)  # 配信設定 / 配信停止 / topic postbacks / unfollow
        if work is not None:
            return work
        if isinstance(event, MessageEvent):
            return self._plan_message(event)
        if isinstance(event, FollowEvent):
            return lambda key: self.welcome(event)
        if isinstance(event, JoinEvent):
            return lambda key: self.fixed_text(event, "JOIN_GROUP", "ja")
        if isinstance(event, PostbackEvent):
            return lambda key: self.on_postback(event, key)
        if isinstance(event, UnsendEvent) and getattr(event.unsend, "message_id", None):
            return lambda key: self.forget_unsent(event.unsend.message_id)
        return None  # unfollow, leave, member joined/left, ...: nothing to say

    def _plan_message(self, event: MessageEvent) -> Compose | None:
        content = event.message
        direct = isinstance(event.source, UserSource)
        if isinstance(content, TextMessageContent):
            if direct:
                return lambda key: self.answer_or_add(event, typed_question(content), event_key=key)
            if not mentions_me(content):
                return None  # in groups and rooms, speak only when spoken to
            return lambda key: self.answer(event, typed_question(content), quote_token=content.quote_token,
                                           event_key=key)
        if not direct:
            return None
        if isinstance(content, StickerMessageContent):
            name = "STICKER"
        elif isinstance(content, (ImageMessageContent, VideoMessageContent, AudioMessageContent,
                                  FileMessageContent)):
            image_set = getattr(content, "image_set", None)
            if image_set is not None and isinstance(image_set.index, int) and image_set.index > 1:
                return None  # several photos sent at once: one apology, for the first of them
            name = "MEDIA"
        elif isinstance(content, LocationMessageContent):
            name = "LOCATION"
        else:
            name = "UNSUPPORTED"
        return lambda key: self.fixed_text(event, name)

    # --- draining the inbox -------------------------------------------------------------------
    async def handle(self, item: InboxEvent) -> Outcome:
        """Answer one stored event; done only when LINE accepted the reply or the push."""
        try:
            event = Event.from_dict(item.payload)
        except Exception:  # stored by another version, or damaged: retrying cannot help
            return Outcome.failed("unreadable payload")
        if item.answer:  # an earlier attempt got as far as sending: the very same messages again
            try:
                return await self.deliver(item, event, [Message.from_dict(m) for m in item.answer], item.inquiry_id)
            except (TypeError, ValueError):
                log.warning("LINE stored answer unreadable; answering again")
        compose = self.plan(event)
        if compose is None:
            return Outcome.done("nothing to send")
        reply, inquiry_id = await compose(item.event_key)
        if reply is None:
            return Outcome.done("nothing to send", inquiry_id)
        return await self.deliver(item, event, reply, inquiry_id)

    # --- handling ---------------------------------------------------------------------------
    async def answer_or_add(self, event, text: str, event_key: str | None = None) -> Composed:
        """A 1:1 text: the one addition to a pending handoff offer, else a question."""
        added = await handoff.addition(self, event, text, user_id_of(event.source))
        return added if added is not None else await self.answer(event, text, event_key=event_key)

    async def answer(self, event, question: str, quote_token: str | None = None,
                     event_key: str | None = None) -> Composed:
        admission = self.runtime.admit(rate_limit_key(event.source))  # per-user rate limit: not answered, not logged
        if not admission.allowed:
            if admission.notify:  # told once per refused streak, not per message
                text = messages.say("RATE_LIMITED", await self.question_language(event, question), self.easy_japanese)
                return render.text_messages(text, quote_token), None
            return None, None
        loading = None
        if isinstance(event.source, UserSource) and event.source.user_id:
            loading = asyncio.ensure_future(self.show_loading(event.source.user_id))
        inquiry_id = None
        try:
            # The profile language only matters when the text does not tell ("👍", "ok", "123").
            hint = await self.user_language(event) if is_ambiguous(question) else None
            answer = await self.runtime.ask(question, AUDIENCE, CHANNEL, user_id_of(event.source), event_key=event_key,
                                            language_hint=hint)
            inquiry_id = answer.inquiry_id
            message_id = getattr(getattr(event, "message", None), "id", None)
            if inquiry_id is not None and message_id and self.runtime.inquiry_log is not None:
                # So that a 送信取消 of this message reaches its inquiry (forget_unsent).
                await self.runtime.run_blocking(self.runtime.inquiry_log.note_message, inquiry_id, message_id)
            # The handoff is offered in 1:1 chats only: the answer goes back to one citizen.
            offer = isinstance(event.source, UserSource) and self.runtime.handoff_available(answer.department)
            reply = render.answer_messages(answer, quote_token, self.easy_japanese, offer_handoff=offer)
        except Exception:  # a bug or a broken index must not leave the citizen without a word
            log.exception("LINE answer failed")
            reply = render.text_messages(messages.say("ERROR", await self.question_language(event, question),
                                                      self.easy_japanese), quote_token)
        if loading is not None:
            # The indicator stops when a message arrives: make sure it was started before our reply.
            await asyncio.wait([loading], timeout=LOADING_WAIT_SECONDS)
        return reply, inquiry_id

    async def forget_unsent(self, message_id: str) -> Composed:
        """送信取消: the sender took a message back, and LINE asks that it be neither seen nor used again. The
        inquiry it asked keeps no words (its count and rating stay); nothing is said."""
        log_ = self.runtime.inquiry_log
        if log_ is not None:
            await self.runtime.run_blocking(log_.forget_message, message_id)
        return None, None

    async def question_language(self, event, question: str) -> str:
        """The language a reply about ``question`` is said in (when the bot is not asked): the text's,
        else the user's profile language."""
        return await self.user_language(event) if is_ambiguous(question) else detect_language(question)

    async def user_language(self, event) -> str:
        """The language the user set in LINE (``und`` if unknown); 1:1 chats only."""
        if not isinstance(event.source, UserSource):
            return "und"
        return await self.profile_languages.of(event.source.user_id)

    async def fixed_text(self, event, name: str, language: str | None = None, **fields) -> Composed:
        """One fixed text of channels/line/messages.py, in ``language`` or else the user's profile language."""
        language = language or await self.user_language(event)
        return render.text_messages(messages.say(name, language, self.easy_japanese, **fields)), None

    async def welcome(self, event: FollowEvent) -> Composed:
        topics = await self.runtime.topics(AUDIENCE)
        language = await self.user_language(event)
        listed = messages.say("WELCOME_TOPICS", language, self.easy_japanese,
                              topics=list_separator(language).join(topics)) if topics else ""
        text = messages.say("WELCOME", language, self.easy_japanese, topics=listed)
        return render.text_messages(text) + await preferences.welcome_choice(self.runtime, language,
                                                                              self.easy_japanese), None

    async def on_postback(self, event: PostbackEvent, event_key: str | None = None) -> Composed:
        data = render.parse_postback(event.postback.data)
        if isinstance(event.source, UserSource):
            handled = await handoff.on_postback(self, event, data, user_id_of(event.source))
            if handled is not None:
                return handled
        action = data.get("a")
        if action == render.ASK and isinstance(data.get("q"), str):
            return await self.answer(event, data["q"], event_key=event_key)
        if action == render.FEEDBACK and data.get("v") in FEEDBACK_VALUES and handoff.is_number(data.get("i")):
            outcome = await self.runtime.set_feedback(data["i"], data["v"], user_id_of(event.source))
            # The language of the question rated (carried by the button), else the profile's.
            language = data.get("l") if data.get("l") in messages.CATALOGUE["RESOLVED"] else \
                await self.user_language(event)
            reply = render.text_messages(feedback_reply(outcome, data["v"], messages, language, self.easy_japanese))
            if data["v"] == "unresolved" and outcome.result is FeedbackResult.OK and \
                    isinstance(event.source, UserSource) and self.runtime.handoff_available(outcome.department):
                reply += handoff.offer_messages(data["i"], language, self.easy_japanese)  # 解決しない → a person
            return reply, None
        log.info("LINE postback with unknown data ignored")
        return None, None

    async def show_loading(self, user_id: str):
        try:
            await self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=LOADING_SECONDS),
                _request_timeout=API_TIMEOUT_SECONDS)
        except (ApiException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("LINE loading indicator not shown (%s)", _describe(exc))

    # --- sending ----------------------------------------------------------------------------
    async def deliver(self, item: InboxEvent, event, messages_: list[Message], inquiry_id: int | None) -> Outcome:
        """Reply (free) with the event's token; if LINE refuses it, push (quota) with a retry key.

        Each step is marked in the inbox before LINE is called, with the messages, so that an
        attempt resumed after a crash sends the very same messages (the inquiry was logged once,
        with this answer) and knows what may already have been sent:

        * ``reply`` marked, and now the token is refused while it cannot have expired yet
          (``REPLY_TOKEN_TRUSTED_SECONDS``): the earlier attempt used it, the answer arrived;
        * ``push`` marked: the push is repeated with the same ``X-Line-Retry-Key`` (derived from
          the event), and LINE accepts it at most once (409 for the repeats).
        """
        key = item.event_key
        answer = None if item.answer else [m.to_dict() for m in messages_]  # stored with the first mark
        reply_token = getattr(event, "reply_token", None)
        # A retry after LINE failed (5xx, 429) pushes once the token may have expired: retrying the
        # reply for minutes would only meet a 400 at the end. The first attempt always tries the
        # token (a late redelivery's may still work).
        if reply_token and item.progress != PUSH and (item.attempts <= 1 or token_still_valid(event)):
            replied_before = item.progress == REPLY
            await self.runtime.inbox.mark_progress(key, REPLY, inquiry_id, answer)
            answer = None
            try:
                await self.api.reply_message(ReplyMessageRequest(reply_token=reply_token, messages=messages_),
                                             _request_timeout=API_TIMEOUT_SECONDS)
                return Outcome.done("reply", inquiry_id)
            except ApiException as exc:
                if exc.status == 429 or exc.status >= 500:  # not accepted; the token may still work
                    return Outcome.retry(f"reply {exc.status}", progress="")
                if replied_before and token_still_valid(event):
                    return Outcome.done("reply (sent before a restart)", inquiry_id)
                log.info("LINE reply refused (%s); falling back to push", _describe(exc))
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                log.info("LINE reply not confirmed (%s); retrying", _describe(exc))
                return Outcome.retry(f"reply {type(exc).__name__}")  # it may have arrived: progress stays
        return await self.push(key, push_target(event.source), messages_, inquiry_id, answer)

    async def push(self, event_key: str, to: str | None, messages_: list[Message],
                   inquiry_id: int | None = None, answer: list | None = None) -> Outcome:
        if not to:
            log.warning("LINE answer dropped: no reply token and no push target")
            return Outcome.failed("no push target", inquiry_id)
        await self.runtime.inbox.mark_progress(event_key, PUSH, inquiry_id, answer)
        try:
            await self.api.push_message(PushMessageRequest(to=to, messages=messages_),
                                        x_line_retry_key=retry_key(event_key), _request_timeout=API_TIMEOUT_SECONDS)
            return Outcome.done("push", inquiry_id)
        except ApiException as exc:
            if exc.status == 409:
                return Outcome.done("push 409 (accepted earlier)", inquiry_id)
            if exc.status < 500 and exc.status != 429:
                log.warning("LINE push refused (%s)", _describe(exc))
                return Outcome.failed(f"push refused {exc.status}", inquiry_id)
            log.info("LINE push failed (%s); retrying", _describe(exc))
            return Outcome.retry(f"push {exc.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("LINE push failed (%s); retrying", _describe(exc))
            return Outcome.retry(f"push {type(exc).__name__}")


def key_of(event) -> str:
    """The event's inbox key (LINE's webhookEventId is unique per event, kept on redelivery)."""
    return f"{CHANNEL}:{event.webhook_event_id}"


def retry_key(event_key: str) -> str:
    """The push's ``X-Line-Retry-Key``: the same UUID for every attempt at one event."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, event_key))


def too_old(event, now: float | None = None) -> bool:
    """Whether the event is older than the inbox recognises redeliveries for (a day's margin): a replay."""
    sent_ms = getattr(event, "timestamp", None)
    if not sent_ms:
        return False
    return (now if now is not None else time.time()) - sent_ms / 1000 > MAX_EVENT_AGE_SECONDS


def token_still_valid(event, now: float | None = None) -> bool:
    """Whether the event's reply token cannot have expired yet (LINE's own timestamp)."""
    sent_ms = getattr(event, "timestamp", None)
    if not sent_ms:
        return False
    return ((now if now is not None else time.time()) - sent_ms / 1000) < REPLY_TOKEN_TRUSTED_SECONDS


def _describe(exc: Exception) -> str:
    """Status and type only: response bodies may echo user ids."""
    status = getattr(exc, "status", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__
