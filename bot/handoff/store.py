"""``TicketStore``: tickets, held web chat answers and drafts, as ``Ticket`` and ``Draft`` objects.

The statements live in the storage layer (``indexing.storage.tickets.TicketTables``, the one
owner of ``tickets``, ``ticket_outbox`` and ``ticket_drafts``, on SQLite or PostgreSQL); this class turns rows into
the handoff's types and times into stored text.

>>> store = TicketStore("var")                                             # doctest: +SKIP
>>> ticket = store.create(fields)                                          # doctest: +SKIP
>>> store.record_answer(ticket.id, "回答です", at)                           # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from pathlib import Path

from bot.handoff.ticket import Draft, Ticket, TicketState, parse_time, to_iso, utc_now
from indexing.storage.tickets import LIVE_STATES, TicketTables

_COLUMNS = tuple(f.name for f in dataclass_fields(Ticket))
_LIVE = LIVE_STATES


class TicketStore:
    def __init__(self, data_dir: str | Path):
        self.tables = TicketTables(data_dir)

    @property
    def db(self):
        return self.tables.db

    def close(self):
        self.tables.close()

    def housekeeping_lock(self, wait: bool = True):
        """One process (one host) at a time posts, reminds, expires and purges (yields False to a
        second one when ``wait`` is off)."""
        return self.tables.housekeeping_lock(wait)

    # --- tickets ------------------------------------------------------------------------------
    def create(self, values: dict) -> Ticket | None:
        """Insert a ticket (``values``: Ticket fields but ``id``); None when its inquiry already has one."""
        row = {c: (str(v) if isinstance(v, TicketState) else v) for c, v in values.items() if c != "id"}
        ticket_id = self.tables.insert(row)
        return None if ticket_id is None else self.get(ticket_id)

    def get(self, ticket_id: int) -> Ticket | None:
        return _ticket_or_none(self.tables.get(ticket_id))

    def by_inquiry(self, inquiry_id: int) -> Ticket | None:
        return _ticket_or_none(self.tables.by_inquiry(inquiry_id))

    def by_thread(self, slack_channel: str, slack_ts: str) -> Ticket | None:
        """The ticket whose Slack message starts this thread (None for any other thread)."""
        if not slack_channel or not slack_ts:
            return None
        return _ticket_or_none(self.tables.by_thread(slack_channel, slack_ts))

    def set_posted(self, ticket_id: int, slack_channel: str, slack_ts: str) -> None:
        self.tables.set_posted(ticket_id, slack_channel, slack_ts)

    def awaited_by(self, user_key: str, channel: str) -> list[int]:
        """Ids of a citizen's tickets on ``channel`` still waiting for an answer or for its delivery."""
        return self.tables.awaited_by(user_key, channel)

    def unposted(self, limit: int = 50) -> list[Ticket]:
        """Live tickets not yet in Slack (the post failed, or the process stopped before it)."""
        return [_ticket(r) for r in self.tables.unposted(limit)]

    def reroute(self, ticket_id: int, department: str, slack_channel: str, due_at: str) -> bool:
        """Move a live ticket to another department; it is posted again in that channel."""
        return self.tables.reroute(ticket_id, department, slack_channel, due_at)

    def record_answer(self, ticket_id: int, answer: str, at: datetime | None = None) -> bool:
        """The staff answer (masked) of a live ticket, all of it (Desk.answer adds a follow-up to it); the time
        stays the first answer's."""
        return self.tables.record_answer(ticket_id, answer, to_iso(at or utc_now()))

    def mark_delivered(self, ticket_id: int, at: datetime | None = None) -> None:
        self.tables.set_field(ticket_id, "delivered_at", to_iso(at or utc_now()))

    def finish(self, ticket_id: int, state: TicketState, at: datetime | None = None,
               from_states: tuple[str, ...] = _LIVE) -> bool:
        """Move a ticket to a final state (closed, declined, expired); it forgets whom to reply to
        (and a held web chat answer)."""
        assert not state.live
        return self.tables.finish(ticket_id, str(state), to_iso(at or utc_now()), tuple(from_states))

    def rate(self, ticket_id: int, rating: str, at: datetime | None = None) -> bool:
        """The citizen's 解決した / 解決しない on an answered ticket, which closes it."""
        return self.tables.rate(ticket_id, rating, to_iso(at or utc_now()))

    def hold_answer(self, ticket_id: int, text: str) -> None:
        """Keep a web chat ticket's answer as written until the page fetches it (``take_answer``)."""
        self.tables.hold_answer(ticket_id, text)

    def take_answer(self, ticket_id: int) -> str | None:
        """The held answer, removed as it is handed over (None when there is none)."""
        return self.tables.take_answer(ticket_id)

    def set_staff_minutes(self, ticket_id: int, minutes: float | None) -> None:
        self.tables.set_field(ticket_id, "staff_minutes", minutes)

    def overdue(self, now: datetime | None = None, remind_every: timedelta | None = None) -> list[Ticket]:
        """Open tickets past their due time not reminded about (or last reminded ``remind_every`` ago)."""
        now = now or utc_now()
        last = to_iso(now - remind_every) if remind_every else ""
        return [_ticket(r) for r in self.tables.overdue(to_iso(now), last)]

    def mark_reminded(self, ticket_id: int, at: datetime | None = None) -> None:
        self.tables.set_field(ticket_id, "reminded_at", to_iso(at or utc_now()))

    def claim_reminder(self, ticket_id: int, now: datetime, remind_every: timedelta) -> bool:
        """Mark an overdue ticket reminded now, unless another worker did so within ``remind_every``."""
        return self.tables.claim_reminder(ticket_id, to_iso(now), to_iso(now - remind_every))

    def stale(self, now: datetime, expire_after: timedelta) -> tuple[list[Ticket], list[Ticket]]:
        """(open tickets past due by ``expire_after``, answered tickets unrated for ``expire_after``)."""
        expired, quiet = self.tables.stale(to_iso(now - expire_after))
        return [_ticket(r) for r in expired], [_ticket(r) for r in quiet]

    def purge(self, retention_days: float, now: datetime | None = None) -> int:
        """Delete tickets (any state) created more than ``retention_days`` ago, and old drafts."""
        return self.tables.purge(to_iso((now or utc_now()) - timedelta(days=retention_days)))

    def list(self, state: str = "", department: str = "", overdue: bool = False, now: datetime | None = None,
             since: str = "", until: str = "", limit: int | None = None) -> list[Ticket]:
        """Tickets newest first, filtered by state, department, overdue and creation time."""
        overdue_at = to_iso(now or utc_now()) if overdue else ""
        return [_ticket(r) for r in self.tables.list(state, department, overdue_at, since, until, limit)]

    def rows(self, since: str = "", until: str = "") -> list[dict]:
        """Tickets created in [since, until) as plain dicts for the report (no ``reply_to``, no texts)."""
        return self.tables.report_rows(since, until)

    def departments(self) -> list[str]:
        return self.tables.departments()

    # --- drafts (offered, not yet confirmed) --------------------------------------------------
    def start_draft(self, user_key: str, inquiry_id: int, at: datetime | None = None) -> Draft:
        """The citizen's one pending offer; offering again replaces it."""
        created = to_iso(at or utc_now())
        self.tables.start_draft(user_key, inquiry_id, created)
        return Draft(user_key, int(inquiry_id), "", created)

    def draft(self, user_key: str, newer_than: datetime | None = None) -> Draft | None:
        row = self.tables.draft(user_key)
        if row is None:
            return None
        if newer_than is not None and parse_time(row["created_at"]) < newer_than:
            return None
        return Draft(row["user_key"], int(row["inquiry_id"]), row["addition"], row["created_at"])

    def add_to_draft(self, user_key: str, addition: str) -> bool:
        """Append the citizen's one extra message (masked); False when there is none or it has one."""
        return self.tables.add_to_draft(user_key, addition)

    def drop_draft(self, user_key: str) -> None:
        self.tables.drop_draft(user_key)


def _ticket_or_none(row: dict | None) -> Ticket | None:
    return None if row is None else _ticket(row)


def _ticket(row: dict) -> Ticket:
    values = {c: row.get(c) for c in _COLUMNS}
    values["state"] = TicketState(values["state"])
    values["bot_declined"] = bool(values["bot_declined"])
    return Ticket(**values)
