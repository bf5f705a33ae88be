"""A delivery as staff compose it, checked once for the CLI and the admin UI alike.

    draft = make_draft(interests, ["bousai"], None, "避難所を開設しました。", "", at="2026-12-01 09:00",
                       now=now_utc())
    draft.confirm_twice        # True: 防災 asks for a second confirmation
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from indexing.dates import JAPAN_TIME
from indexing.interests import Interests, Topic

JST = JAPAN_TIME   # a time typed without an offset is Japan time
TEXT_LIMIT = 4500                           # LINE allows 5000 characters; the URL goes below the text
URL_LIMIT = 400


class DraftError(ValueError):
    """A delivery that cannot be sent as composed (the message says what to fix)."""


@dataclass(frozen=True)
class Draft:
    topics: tuple[Topic, ...]
    area: str | None
    text: str
    url: str
    scheduled_at: datetime      # UTC
    send_now: bool

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.topics]

    @property
    def labels(self) -> str:
        return "、".join(t.label for t in self.topics)

    @property
    def confirm_twice(self) -> list[Topic]:
        return [t for t in self.topics if t.confirm_twice]


def parse_when(text: str, now: datetime) -> datetime:
    """'2026-12-01 09:00' (JST) or an ISO time with an offset → UTC; a past time is refused."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError as exc:
        raise DraftError(f"送信日時は 2026-12-01T09:00 の形で指定してください（{text!r}）") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JST)
    if moment < now - timedelta(minutes=1):
        raise DraftError(f"送信日時 {text} は過ぎています")
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def make_draft(interests: Interests, keys, area: str | None, text: str, url: str, at: str | None,
               now: datetime) -> Draft:
    topics = []
    for key in keys:
        topic = interests.topic(key)
        if topic is None:
            raise DraftError(f"分野 {key!r} はありません（{', '.join(interests.keys())} から選んでください）")
        if topic not in topics:
            topics.append(topic)
    if not topics:
        raise DraftError("配信する分野を選んでください")
    area = (area or "").strip() or None
    if area and area not in interests.areas:
        known = "、".join(interests.areas) or "なし"
        raise DraftError(f"地区 {area!r} はありません（選べる地区: {known}）")
    text, url = (text or "").strip(), (url or "").strip()
    if not text:
        raise DraftError("本文を入力してください")
    if len(text) > TEXT_LIMIT:
        raise DraftError(f"本文は {TEXT_LIMIT} 文字以内にしてください（{len(text)} 文字）")
    if url and (not url.startswith(("https://", "http://")) or len(url) > URL_LIMIT or any(c.isspace() for c in url)):
        raise DraftError("URL は https:// で始まる1行で入力してください")
    when = parse_when(at, now) if at and at.strip() else now
    return Draft(tuple(topics), area, text, url, when, send_now=when <= now)
