"""Delivery figures for the managers' report: per month (Japan time) and topic.

Shown beside the inquiry figures and never counted as inquiries: a delivery is the city
speaking unasked, not a question answered::

    figures = delivery_figures(OutreachBook(data_dir), interests, date(2026, 4, 1), date(2026, 6, 30))
    figures.rows[0]   # MonthTopic(month="2026-04", label="防災", deliveries=2, recipients=2400, ...)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from indexing.storage.outreach import OutreachBook
from bot.outreach.compose import JST
from indexing.interests import Interests

OPT_OUT_ACTIONS = ("unsubscribe", "stop", "unfollow")


@dataclass(frozen=True)
class MonthTopic:
    month: str            # YYYY-MM, Japan time
    topic: str
    label: str
    deliveries: int = 0
    recipients: int = 0   # messages that reached citizens (one per recipient and delivery)
    subscribed: int = 0
    opted_out: int = 0    # unsubscribed from the topic, 配信停止 or unfollow


@dataclass(frozen=True)
class DeliveryFigures:
    rows: tuple[MonthTopic, ...]
    deliveries: int           # deliveries sent in the period (one delivery may cover several topics)
    recipients: int
    opted_out: int
    subscribers_now: dict     # topic label -> citizens subscribed today

    @property
    def empty(self) -> bool:
        return not self.rows and not any(self.subscribers_now.values())


def _utc_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = datetime.combine(date_from, datetime.min.time(), JST).astimezone(timezone.utc)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), JST).astimezone(timezone.utc)
    return start, end


def delivery_figures(book: OutreachBook, interests: Interests, date_from: date, date_to: date) -> DeliveryFigures:
    start, end = _utc_bounds(date_from, date_to)
    label = {t.key: t.label for t in interests.topics}
    cells: dict[tuple[str, str], dict] = {}

    def cell(month: str, topic: str) -> dict:
        return cells.setdefault((month, topic), {"deliveries": 0, "recipients": 0, "subscribed": 0, "opted_out": 0})

    finished = book.finished_deliveries(start, end)
    for delivery in finished:
        month = delivery["finished_at"].astimezone(JST).strftime("%Y-%m")
        for topic in delivery["topics"]:
            cell(month, topic)["deliveries"] += 1
            cell(month, topic)["recipients"] += delivery["reached"]
    opted_out = 0
    for event in book.consent_counts(start, end):
        hour = datetime.strptime(event["hour"], "%Y-%m-%dT%H").replace(tzinfo=timezone.utc)
        target = cell(hour.astimezone(JST).strftime("%Y-%m"), event["topic"])
        if event["action"] == "subscribe":
            target["subscribed"] += event["n"]
        else:
            target["opted_out"] += event["n"]
            opted_out += event["n"]
    order = {key: n for n, key in enumerate(label)}
    rows = tuple(MonthTopic(month, topic, label.get(topic, topic), **values)
                 for (month, topic), values in sorted(cells.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99),
                                                                                      kv[0][1])))
    now = book.subscriber_counts()
    return DeliveryFigures(rows, deliveries=len(finished), recipients=sum(d["reached"] for d in finished),
                           opted_out=opted_out,
                           subscribers_now={t.label: now.get(t.key, 0) for t in interests.topics})
