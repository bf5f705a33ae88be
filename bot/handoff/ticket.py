"""The ticket: one citizen question handed to the department that owns its topic.

States::

    open ──answer──▶ answered ──rate / quiet for long──▶ closed
      │  ╲
      │   ╲──対応不要──▶ declined
      └──past due by the expiry time──▶ expired

``open`` and ``answered`` are live (staff may still answer; an answered ticket takes a
follow-up); the other three are final, and a final ticket forgets whom to reply to.

Routing (``route_for``): the department of the inquiry (``knowledge/departments.toml``) when it
has a ``slack_channel``; else the default desk (the department with ``default = true`` and a
``slack_channel``, else ``MADOGUCHI_HANDOFF_SLACK_CHANNEL``). A department may set its own
``reply_hours`` (the due time after a ticket is opened; default MADOGUCHI_HANDOFF_REPLY_HOURS).
The staff minutes a ticket takes are a ledger setting (bot/insights/ledger_defaults.toml).

>>> route = route_for("市民課", [{"name": "市民課", "slack_channel": "C1", "reply_hours": 48}],
...                   default_channel="C0", default_hours=24)
>>> (route.department, route.slack_channel, route.reply_hours)
('市民課', 'C1', 48.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum


class TicketState(str, Enum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"
    DECLINED = "declined"
    EXPIRED = "expired"

    def __str__(self) -> str:
        return self.value

    @property
    def live(self) -> bool:
        return self in (TicketState.OPEN, TicketState.ANSWERED)


TICKET_STATES = tuple(s.value for s in TicketState)


@dataclass(frozen=True)
class Ticket:
    """One handed-over question. Every text is masked (bot.insights.masking) before it is stored."""

    id: int
    state: TicketState
    channel: str               # line | web: where the citizen asked, and where the answer goes
    user_key: str              # the inquiry log's keyed hash of the citizen (ownership checks)
    reply_to: str              # LINE user id or web session id; '' once the ticket is final
    question: str              # masked; the citizen's addition appended
    category: str
    department: str
    bot_answer: str            # masked: what the bot said (its answer, or why it declined)
    bot_declined: bool
    language: str
    created_at: str            # UTC ISO 8601
    due_at: str
    inquiry_id: int | None = None
    slack_channel: str = ""
    slack_ts: str = ""         # the ticket's Slack message (its thread)
    answer: str = ""           # masked: the staff answer
    answered_at: str = ""
    delivered_at: str = ""     # when the citizen's channel accepted the answer
    closed_at: str = ""
    reminded_at: str = ""
    rating: str = ""           # resolved | unresolved (the citizen's 解決した / 解決しない)
    staff_minutes: float | None = None  # minutes staff spent, when someone recorded them

    def overdue(self, now: datetime | None = None) -> bool:
        return self.state is TicketState.OPEN and parse_time(self.due_at) <= (now or utc_now())


@dataclass(frozen=True)
class Route:
    """Where a ticket goes: the department, its Slack channel and its due time."""

    department: str
    slack_channel: str
    reply_hours: float


@dataclass(frozen=True)
class Draft:
    """A handoff the citizen has been offered and not yet confirmed (at most one per citizen)."""

    user_key: str
    inquiry_id: int
    addition: str              # masked; the one message the citizen may add before confirming
    created_at: str


def route_for(department: str, departments: list[dict], *, default_channel: str = "",
              default_hours: float = 24.0) -> Route | None:
    """The route of a ticket about ``department``; None when no Slack channel can take it."""
    by_name = {d.get("name"): d for d in departments}
    owner = by_name.get(department) if department else None
    if owner is None or not owner.get("slack_channel"):
        # A general desk read from the FAQ answers (bot/answering/department_contacts.py) is a phone
        # number for residents, not a desk that takes tickets.
        desk = next((d for d in departments if d.get("default") and not d.get("from_entries")), None)
        if desk is not None and desk.get("slack_channel"):
            owner = desk
        elif default_channel:
            name = desk.get("name") if desk else (owner.get("name") if owner else department)
            return Route(name or "", default_channel, _number(owner, "reply_hours", default_hours))
        else:
            return None
    return Route(owner["name"], owner["slack_channel"], _number(owner, "reply_hours", default_hours))


def routable_departments(departments: list[dict], default_channel: str = "") -> list[str]:
    """Departments a ticket may be moved to (担当課を変更): those with a Slack channel, and the
    default desk when ``default_channel`` serves it."""
    return [d["name"] for d in departments if d.get("name") and d.get("audience", "all") in ("citizen", "all")
            and (d.get("slack_channel") or (default_channel and d.get("default") and not d.get("from_entries")))]


def due_time(created_at: datetime, route: Route) -> datetime:
    return created_at + timedelta(hours=route.reply_hours)


def _number(department: dict | None, key: str, default: float) -> float:
    try:
        value = float((department or {}).get(key, default))
    except (TypeError, ValueError):
        return default
    return value if value >= 0 else default


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def to_iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
