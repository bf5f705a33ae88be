"""The handoff desk: what a channel asks of the ticket system, with ownership checks.

A channel offers the handoff after a decline or 解決しない (``offer``), shows the preview,
lets the citizen add one message (``add_to_draft``) and confirms (``confirm``). Staff answer,
decline or move a ticket (``answer``, ``decline``, ``reroute``); the citizen rates the answer
(``rate``). A citizen is known by the inquiry log's keyed hash of their platform id; a ticket
is only ever created for, rated by and answered to the citizen who asked its inquiry.

    >>> desk = HandoffDesk(TicketStore(data_dir), inquiry_log, lambda: departments, policy)  # doctest: +SKIP
    >>> preview = desk.offer(inquiry_id, "line:U123")                                       # doctest: +SKIP
    >>> ticket = desk.confirm(inquiry_id, "line:U123", channel="line", reply_to="U123")     # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from bot.handoff.store import TicketStore
from bot.handoff.ticket import Route, Ticket, TicketState, due_time, route_for, to_iso, utc_now
from bot.insights.masking import mask_personal_data

MAX_TEXT_CHARS = 2000
DRAFT_MINUTES = 15  # an offer not confirmed within this time is forgotten (the next text is a question again)


@dataclass(frozen=True)
class HandoffPolicy:
    """The handoff settings (indexing.settings.Settings, documented in the README)."""

    default_channel: str = ""        # MADOGUCHI_HANDOFF_SLACK_CHANNEL: the default desk's channel
    reply_hours: float = 24.0        # MADOGUCHI_HANDOFF_REPLY_HOURS: due time when a department sets none
    expire_days: float = 14.0        # MADOGUCHI_TICKET_EXPIRE_DAYS: open past due / answered unrated → final
    retention_days: float = 365.0    # MADOGUCHI_TICKET_RETENTION_DAYS: tickets deleted after this

    @classmethod
    def from_settings(cls, settings) -> "HandoffPolicy":
        return cls(default_channel=settings.handoff_slack_channel, reply_hours=settings.handoff_reply_hours,
                   expire_days=settings.ticket_expire_days,
                   retention_days=settings.ticket_retention_days)


@dataclass(frozen=True)
class Preview:
    """What the citizen is asked to confirm: the question as it will be sent (masked) and what follows."""

    inquiry_id: int
    question: str
    addition: str
    department: str
    reply_hours: float
    language: str
    existing: Ticket | None = None   # the inquiry was handed over already

    @property
    def text(self) -> str:
        return join_question(self.question, self.addition)


def join_question(question: str, addition: str) -> str:
    return question if not addition else f"{question}\n（補足）{addition}"


def masked(text: str) -> str:
    return mask_personal_data((text or "").strip())[:MAX_TEXT_CHARS]


class HandoffDesk:
    def __init__(self, store: TicketStore, inquiry_log, departments: Callable[[], list[dict]],
                 policy: HandoffPolicy = HandoffPolicy()):
        self.store = store
        self.inquiry_log = inquiry_log
        self.departments = departments
        self.policy = policy

    # --- routing --------------------------------------------------------------------------------
    def route(self, department: str) -> Route | None:
        return route_for(department, self.departments(), default_channel=self.policy.default_channel,
                         default_hours=self.policy.reply_hours)

    # --- the citizen's side -----------------------------------------------------------------------
    def _own_inquiry(self, inquiry_id, user_id: str | None) -> dict | None:
        try:
            inquiry = self.inquiry_log.get(int(inquiry_id))
        except (TypeError, ValueError):
            return None
        if inquiry is None or not user_id or inquiry.get("audience") != "citizen":
            return None
        if (inquiry.get("user_key") or "") != self.inquiry_log.user_key(user_id):
            return None
        return inquiry

    def offer(self, inquiry_id, user_id: str | None, now: datetime | None = None) -> Preview | None:
        """Start (or restart) the citizen's handoff of their inquiry; None when it cannot be handed over."""
        inquiry = self._own_inquiry(inquiry_id, user_id)
        if inquiry is None:
            return None
        existing = self.store.by_inquiry(inquiry["id"])
        route = self.route(inquiry.get("department") or "")
        if route is None:
            return None
        if existing is None:
            self.store.start_draft(inquiry["user_key"], inquiry["id"], now)
        return Preview(inquiry["id"], inquiry.get("question") or "", "", route.department, route.reply_hours,
                       inquiry.get("language") or "ja", existing)

    def pending_draft(self, user_id: str | None, now: datetime | None = None):
        if not user_id:
            return None
        since = (now or utc_now()) - timedelta(minutes=DRAFT_MINUTES)
        return self.store.draft(self.inquiry_log.user_key(user_id), newer_than=since)

    def add_to_draft(self, user_id: str | None, text: str, now: datetime | None = None,
                     inquiry_id: int | None = None) -> Preview | None:
        """Append the citizen's one extra message to their pending offer (of ``inquiry_id`` when
        given); None when there is no such offer still open for an addition (on LINE the message
        is then an ordinary question)."""
        draft = self.pending_draft(user_id, now)
        if draft is None or draft.addition or not (text or "").strip():
            return None
        if inquiry_id is not None and draft.inquiry_id != inquiry_id:
            return None
        inquiry = self._own_inquiry(draft.inquiry_id, user_id)
        route = self.route((inquiry or {}).get("department") or "")
        if inquiry is None or route is None:
            return None
        addition = masked(text)
        if not self.store.add_to_draft(draft.user_key, addition):
            return None
        return Preview(inquiry["id"], inquiry.get("question") or "", addition, route.department,
                       route.reply_hours, inquiry.get("language") or "ja")

    def confirm(self, inquiry_id, user_id: str | None, channel: str, reply_to: str,
                now: datetime | None = None) -> tuple[Ticket | None, bool]:
        """(ticket, created): the ticket of the citizen's inquiry, created on the first confirmation."""
        inquiry = self._own_inquiry(inquiry_id, user_id)
        if inquiry is None or not reply_to:
            return None, False
        existing = self.store.by_inquiry(inquiry["id"])
        if existing is not None:
            return existing, False
        route = self.route(inquiry.get("department") or "")
        if route is None:
            return None, False
        draft = self.store.draft(inquiry["user_key"])
        addition = draft.addition if draft is not None and draft.inquiry_id == inquiry["id"] else ""
        created = now or utc_now()
        ticket = self.store.create({
            "state": TicketState.OPEN, "channel": channel, "user_key": inquiry["user_key"], "reply_to": reply_to,
            "question": join_question(inquiry.get("question") or "", addition),
            "category": inquiry.get("category") or "", "department": route.department,
            "bot_answer": inquiry.get("answer") or "", "bot_declined": int(bool(inquiry.get("abstained"))),
            "language": inquiry.get("language") or "ja", "created_at": to_iso(created),
            "due_at": to_iso(due_time(created, route)), "inquiry_id": inquiry["id"],
            "slack_channel": route.slack_channel,
        })
        if ticket is None:  # another worker confirmed the same inquiry a moment ago
            return self.store.by_inquiry(inquiry["id"]), False
        self.store.drop_draft(inquiry["user_key"])
        self.inquiry_log.set_escalated(inquiry["id"])
        return ticket, True

    def rate(self, ticket_id, rating: str, user_id: str | None) -> Ticket | None:
        """解決した / 解決しない on the citizen's own answered ticket (None: not theirs, or not answered)."""
        ticket = self.store.get(int(ticket_id))
        if ticket is None or not user_id or ticket.user_key != self.inquiry_log.user_key(user_id):
            return None
        if not self.store.rate(ticket.id, rating):
            return None
        return self.store.get(ticket.id)

    # --- the staff's side -------------------------------------------------------------------------
    def answer(self, ticket: Ticket, text: str, now: datetime | None = None) -> Ticket | None:
        """Record a staff answer (stored masked); None when the ticket is no longer live. A follow-up in the
        thread (「補足：…」) is added after the answers before it (TicketTables.record_answer), so the ticket and a
        FAQ made from it keep all of them; the same text recorded again (a retried delivery) is not added twice."""
        if not self.store.record_answer(ticket.id, masked(text), now):
            return None
        return self.store.get(ticket.id)

    def decline(self, ticket: Ticket, now: datetime | None = None) -> Ticket | None:
        """対応不要: an open ticket is declined (tell the citizen first: it forgets whom to reply to);
        None if it was not open."""
        if not self.store.finish(ticket.id, TicketState.DECLINED, now, from_states=("open",)):
            return None
        return self.store.get(ticket.id)

    def reroute(self, ticket: Ticket, department: str, now: datetime | None = None) -> Ticket | None:
        """担当課を変更: the ticket moves to ``department`` (its channel and due time)."""
        route = self.route(department)
        if route is None or route.department != department or department == ticket.department:
            return None
        due = due_time(now or utc_now(), route)
        if not self.store.reroute(ticket.id, department, route.slack_channel, to_iso(due)):
            return None
        return self.store.get(ticket.id)

    # --- housekeeping -------------------------------------------------------------------------------
    def stale(self, now: datetime | None = None) -> tuple[list[Ticket], list[Ticket]]:
        """(open tickets past due by the expiry time, answered tickets unrated that long): the
        first are to be expired once their citizen was told, the second closed."""
        return self.store.stale(now or utc_now(), timedelta(days=self.policy.expire_days))

    def expire(self, ticket: Ticket, now: datetime | None = None) -> Ticket | None:
        """An open ticket expires (tell the citizen first); None if it was not open any more."""
        if not self.store.finish(ticket.id, TicketState.EXPIRED, now, from_states=("open",)):
            return None
        return self.store.get(ticket.id)

    def close_quiet(self, ticket: Ticket, now: datetime | None = None) -> Ticket | None:
        """An answered ticket the citizen never rated is closed."""
        if not self.store.finish(ticket.id, TicketState.CLOSED, now, from_states=("answered",)):
            return None
        return self.store.get(ticket.id)

    def purge(self, now: datetime | None = None) -> int:
        return self.store.purge(self.policy.retention_days, now)
