"""Citizens choose what the city may send them: 「配信設定」, topic postbacks, 「配信停止」, unfollow.

The webhook asks ``plan(channel, event)`` first; it returns the work for the events that
belong to deliveries (and None for everything else, which the webhook handles as before):

- text 「配信設定」 (1:1 chat): the topics as quick reply postback buttons, and the current choice;
- a postback ``{"a": "push", "t": KEY}``: subscribe to KEY, or unsubscribe if already chosen;
- ``{"a": "push-areas"}`` / ``{"a": "push-area", "r": AREA}``: choose the 地区 ("" = none);
- text 「配信停止」: every topic dropped;
- unfollow (the citizen blocked or removed the account): every row with the user's id removed.

The welcome message after a follow gets the same buttons from ``welcome_choice``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import datetime, timezone
from pathlib import Path

from linebot.v3.messaging import MessageAction, PostbackAction, QuickReply, QuickReplyItem, TextMessage
from linebot.v3.webhooks import MessageEvent, PostbackEvent, TextMessageContent, UnfollowEvent, UserSource

from indexing.storage.outreach import OutreachBook
from channels.line import messages, render
from indexing.interests import Interests, stored_interests
from indexing.language import list_separator
from indexing.storage.knowledge import KnowledgeStore

log = logging.getLogger(__name__)

TOPIC = "push"
AREA_MENU = "push-areas"
AREA = "push-area"

_books: dict[str, tuple[OutreachBook, KnowledgeStore]] = {}
_books_lock = threading.Lock()


def _stores(data_dir: Path) -> tuple[OutreachBook, KnowledgeStore]:
    """One book per data dir and process (the SQLite connection is reused)."""
    key = str(Path(data_dir).resolve())
    with _books_lock:
        if key not in _books:
            _books[key] = (OutreachBook(data_dir), KnowledgeStore(data_dir))
        return _books[key]


def topic_data(key: str) -> str:
    return json.dumps({"a": TOPIC, "t": key}, separators=(",", ":"))


def area_data(area: str) -> str:
    return json.dumps({"a": AREA, "r": area}, separators=(",", ":"), ensure_ascii=False)


class _Wording:
    """``messages.say`` bound to one user's language (their LINE profile's; Japanese if unknown)."""

    def __init__(self, language: str, easy_japanese: bool):
        self.language, self.easy_japanese = language, easy_japanese

    def __call__(self, name: str, **fields) -> str:
        return messages.say(name, self.language, self.easy_japanese, **fields)


async def _wording(channel, event) -> _Wording:
    return _Wording(await channel.user_language(event), channel.easy_japanese)


IN_JAPANESE = _Wording("ja", False)


def status_text(interests: Interests, topics: set[str], area: str | None, say: _Wording = IN_JAPANESE) -> str:
    labels = interests.labels(topics)
    lines = [say("PUSH_STATUS", topics=list_separator(say.language).join(labels)) if labels
             else say("PUSH_STATUS_NONE")]
    if area:
        lines.append(say("PUSH_STATUS_AREA", area=area))
    return "\n".join(lines)


def topic_quick_reply(interests: Interests, subscribed: bool, say: _Wording = IN_JAPANESE) -> QuickReply:
    items = [QuickReplyItem(action=PostbackAction(label=t.label, data=topic_data(t.key), display_text=t.label))
             for t in interests.topics]
    if interests.areas:
        items.append(QuickReplyItem(action=PostbackAction(label=say("PUSH_AREA_BUTTON"), data=json.dumps(
            {"a": AREA_MENU}), display_text=say("PUSH_AREA_BUTTON"))))
    if subscribed:  # the button sends the keyword itself, whatever its label's language
        items.append(QuickReplyItem(action=MessageAction(label=say("PUSH_STOP_BUTTON"), text=messages.PUSH_STOP_WORD)))
    return QuickReply(items=items[:render.QUICK_REPLY_LIMIT])


def area_quick_reply(interests: Interests, say: _Wording = IN_JAPANESE) -> QuickReply:
    items = [QuickReplyItem(action=PostbackAction(label=area, data=area_data(area), display_text=area))
             for area in interests.areas]
    items.append(QuickReplyItem(action=PostbackAction(label=say("PUSH_AREA_NONE"), data=area_data(""),
                                                      display_text=say("PUSH_AREA_NONE"))))
    return QuickReply(items=items[:render.QUICK_REPLY_LIMIT])


def _text(text: str, quick_reply: QuickReply | None = None) -> list:
    return [TextMessage(text=render.cut(text, render.TEXT_LIMIT), quick_reply=quick_reply)]


# --- what the webhook calls ------------------------------------------------------------------
def plan(channel, event):
    """The work for a delivery-preference event, or None when the event is not one."""
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None) if isinstance(source, UserSource) else None
    if not user_id:
        return None
    if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
        text = event.message.text.strip()
        if text == messages.PUSH_SETTINGS_WORD:
            return lambda key: show_settings(channel, event, user_id)
        if text == messages.PUSH_STOP_WORD:
            return lambda key: stop(channel, event, user_id)
    elif isinstance(event, PostbackEvent):
        data = render.parse_postback(event.postback.data)
        if data.get("a") in (TOPIC, AREA_MENU, AREA):
            return lambda key: on_postback(channel, event, user_id, data)
    elif isinstance(event, UnfollowEvent):
        return lambda key: forget(channel, user_id, event_time(event))
    return None


async def welcome_choice(runtime, language: str = "ja", easy_japanese: bool = False) -> list:
    """The message added to the welcome after a follow: topics as buttons (none if no topics)."""
    _, store = _stores(runtime.settings.data_dir)
    interests = await asyncio.to_thread(stored_interests, store)
    if not interests.topics:
        return []
    say = _Wording(language, easy_japanese)
    return _text(say("PUSH_WELCOME"), topic_quick_reply(interests, subscribed=False, say=say))


async def show_settings(channel, event, user_id: str):
    book, store = _stores(channel.runtime.settings.data_dir)
    interests = await asyncio.to_thread(stored_interests, store)
    say = await _wording(channel, event)
    if not interests.topics:
        return _text(say("PUSH_UNAVAILABLE")), None
    topics, area = await asyncio.to_thread(book.subscription, user_id)
    text = say("PUSH_MENU", status=status_text(interests, topics, area, say))
    return _text(text, topic_quick_reply(interests, subscribed=bool(topics), say=say)), None


async def stop(channel, event, user_id: str):
    book, _ = _stores(channel.runtime.settings.data_dir)
    dropped = await asyncio.to_thread(book.stop_all, user_id)
    say = await _wording(channel, event)
    return _text(say("PUSH_STOPPED" if dropped else "PUSH_NOTHING_TO_STOP")), None


def event_time(event) -> datetime | None:
    """When LINE says the event happened (its ``timestamp``, milliseconds), or None."""
    stamp = getattr(event, "timestamp", None)
    return datetime.fromtimestamp(stamp / 1000, timezone.utc) if isinstance(stamp, int) and stamp > 0 else None


async def forget(channel, user_id: str, happened: datetime | None = None):
    book, _ = _stores(channel.runtime.settings.data_dir)
    await asyncio.to_thread(book.forget, user_id, None, happened)
    log.info("LINE unfollow: delivery subscriptions removed")
    return None, None


async def on_postback(channel, event, user_id: str, data: dict):
    book, store = _stores(channel.runtime.settings.data_dir)
    interests = await asyncio.to_thread(stored_interests, store)
    say = await _wording(channel, event)
    action = data.get("a")
    if action == TOPIC:
        topic = interests.topic(data.get("t")) if isinstance(data.get("t"), str) else None
        if topic is None:
            return _text(say("PUSH_UNKNOWN_TOPIC")), None
        topics = await asyncio.to_thread(book.toggle_topic, user_id, topic.key)
        _, area = await asyncio.to_thread(book.subscription, user_id)
        text = say("PUSH_SUBSCRIBED" if topic.key in topics else "PUSH_UNSUBSCRIBED", topic=topic.label,
                   status=status_text(interests, topics, area, say))
        return _text(text, topic_quick_reply(interests, subscribed=bool(topics), say=say)), None
    elif action == AREA_MENU:
        return _text(say("PUSH_AREA_MENU"), area_quick_reply(interests, say)), None
    elif action == AREA:
        area = data.get("r")
        if not isinstance(area, str) or (area and area not in interests.areas):
            return _text(say("PUSH_AREA_MENU"), area_quick_reply(interests, say)), None
        await asyncio.to_thread(book.set_area, user_id, area or None)
        topics, _ = await asyncio.to_thread(book.subscription, user_id)
        status = status_text(interests, topics, area or None, say)
        text = say("PUSH_AREA_SET", area=area, status=status) if area else say("PUSH_AREA_CLEARED", status=status)
        return _text(text, topic_quick_reply(interests, subscribed=bool(topics), say=say)), None
