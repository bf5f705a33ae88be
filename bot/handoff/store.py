"""Every SQL statement against the ticket tables (``tickets``, ``ticket_drafts``), in one class.

Tables in the data dir's one database (``indexing.database.open_database``)::

    tickets        one row per ticket (the fields of bot.handoff.ticket.Ticket; texts masked)
    ticket_drafts  one row per citizen (user_key) with an offer not yet confirmed
    ticket_outbox  a staff answer for a web chat citizen, in the staff's own words, kept only
                   until the page fetches it once (or the ticket becomes final), like the inbox
                   keeps a LINE event's payload only until it is answered

``create_ticket_tables(db)`` creates them (idempotent). Statements are short; a lock
serialises this process's use of the connection, SQLite's busy timeout the other workers'.

>>> store = TicketStore("var")                                             # doctest: +SKIP
>>> ticket = store.create(fields)                                          # doctest: +SKIP
>>> store.record_answer(ticket.id, "回答です", at)                           # doctest: +SKIP
"""
from __future__ import annotations

import threading
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from pathlib import Path

from bot.handoff.ticket import Draft, Ticket, TicketState, parse_time, to_iso, utc_now
from indexing.database import open_database

_SCHEMA = """
create table if not exists tickets (
    id            integer primary key autoincrement,  -- never reused: retry keys derive from it
    state         text not null,
    channel       text not null,
    user_key      text not null,
    reply_to      text not null default '',
    question      text not null,
    category      text not null default '',
    department    text not null default '',
    bot_answer    text not null default '',
    bot_declined  integer not null default 0,
    language      text not null default 'ja',
    created_at    text not null,
    due_at        text not null,
    inquiry_id    integer unique,
    slack_channel text not null default '',
    slack_ts      text not null default '',
    answer        text not null default '',
    answered_at   text not null default '',
    delivered_at  text not null default '',
    closed_at     text not null default '',
    reminded_at   text not null default '',
    rating        text not null default '',
    staff_minutes real
);
create index if not exists idx_tickets_state_due on tickets (state, due_at);
create index if not exists idx_tickets_thread on tickets (slack_channel, slack_ts);
create index if not exists idx_tickets_created on tickets (created_at);
create table if not exists ticket_outbox (
    ticket_id   integer primary key,
    text        text not null
);
create table if not exists ticket_drafts (
    user_key    text primary key,
    inquiry_id  integer not null,
    addition    text not null default '',
    created_at  text not null
);
"""
_COLUMNS = tuple(f.name for f in dataclass_fields(Ticket))
_LIVE = ("open", "answered")


def create_ticket_tables(db) -> None:
    """Create the ticket tables and their indexes if they are missing."""
    db.executescript(_SCHEMA)


class TicketStore:
    def __init__(self, data_dir: str | Path):
        self.db = open_database(data_dir)
        self._lock = threading.Lock()
        create_ticket_tables(self.db)

    def close(self):
        self.db.conn.close()

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self._lock:
            return list(self.db.query(sql, list(params)))

    def _execute(self, sql: str, params=()) -> int:
        with self._lock:
            return self.db.execute(sql, list(params)).rowcount

    # --- tickets ------------------------------------------------------------------------------
    def create(self, values: dict) -> Ticket | None:
        """Insert a ticket (``values``: Ticket fields but ``id``); None when its inquiry already has one."""
        columns = [c for c in _COLUMNS if c != "id" and c in values]
        row = [str(values[c]) if isinstance(values[c], TicketState) else values[c] for c in columns]
        sql = (f"insert or ignore into tickets ({', '.join(columns)}) "
               f"values ({', '.join('?' for _ in columns)})")
        with self._lock:
            cursor = self.db.execute(sql, row)
            if cursor.rowcount == 0:
                return None
            ticket_id = cursor.lastrowid
        return self.get(ticket_id)

    def get(self, ticket_id: int) -> Ticket | None:
        rows = self._rows("select * from tickets where id = ?", [int(ticket_id)])
        return _ticket(rows[0]) if rows else None

    def by_inquiry(self, inquiry_id: int) -> Ticket | None:
        rows = self._rows("select * from tickets where inquiry_id = ?", [int(inquiry_id)])
        return _ticket(rows[0]) if rows else None

    def by_thread(self, slack_channel: str, slack_ts: str) -> Ticket | None:
        """The ticket whose Slack message starts this thread (None for any other thread)."""
        if not slack_channel or not slack_ts:
            return None
        rows = self._rows("select * from tickets where slack_channel = ? and slack_ts = ? order by id desc limit 1",
                          [slack_channel, slack_ts])
        return _ticket(rows[0]) if rows else None

    def set_posted(self, ticket_id: int, slack_channel: str, slack_ts: str) -> None:
        self._execute("update tickets set slack_channel = ?, slack_ts = ? where id = ?",
                      [slack_channel, slack_ts, int(ticket_id)])

    def awaited_by(self, user_key: str, channel: str) -> list[int]:
        """Ids of a citizen's tickets on ``channel`` still waiting for an answer or for its delivery."""
        return [r["id"] for r in self._rows(
            "select id from tickets where user_key = ? and channel = ? and "
            "(state = 'open' or (state = 'answered' and delivered_at = '')) order by id", [user_key, channel])]

    def unposted(self, limit: int = 50) -> list[Ticket]:
        """Live tickets not yet in Slack (the post failed, or the process stopped before it)."""
        return [_ticket(r) for r in self._rows(
            "select * from tickets where slack_ts = '' and state in ('open', 'answered') order by id limit ?", [limit])]

    def reroute(self, ticket_id: int, department: str, slack_channel: str, due_at: str) -> bool:
        """Move a live ticket to another department; it is posted again in that channel."""
        return self._execute(
            "update tickets set department = ?, slack_channel = ?, slack_ts = '', due_at = ?, reminded_at = '' "
            "where id = ? and state in ('open', 'answered')", [department, slack_channel, due_at, int(ticket_id)]) > 0

    def record_answer(self, ticket_id: int, answer: str, at: datetime | None = None) -> bool:
        """The staff answer (masked) of a live ticket; a follow-up replaces the text, not the time."""
        at_iso = to_iso(at or utc_now())
        return self._execute(
            "update tickets set state = 'answered', answer = ?, "
            "answered_at = case when answered_at = '' then ? else answered_at end, delivered_at = '' "
            "where id = ? and state in ('open', 'answered')", [answer, at_iso, int(ticket_id)]) > 0

    def mark_delivered(self, ticket_id: int, at: datetime | None = None) -> None:
        self._execute("update tickets set delivered_at = ? where id = ?", [to_iso(at or utc_now()), int(ticket_id)])

    def finish(self, ticket_id: int, state: TicketState, at: datetime | None = None,
               from_states: tuple[str, ...] = _LIVE) -> bool:
        """Move a ticket to a final state (closed, declined, expired); it forgets whom to reply to."""
        assert not state.live
        marks = ", ".join("?" for _ in from_states)
        with self._lock:
            changed = self.db.execute(
                f"update tickets set state = ?, closed_at = ?, reply_to = '' where id = ? and state in ({marks})",
                [str(state), to_iso(at or utc_now()), int(ticket_id), *from_states]).rowcount > 0
            if changed:
                self.db.execute("delete from ticket_outbox where ticket_id = ?", [int(ticket_id)])
        return changed

    def rate(self, ticket_id: int, rating: str, at: datetime | None = None) -> bool:
        """The citizen's 解決した / 解決しない on an answered ticket, which closes it."""
        with self._lock:
            changed = self.db.execute(
                "update tickets set rating = ?, state = 'closed', closed_at = ?, reply_to = '' "
                "where id = ? and state = 'answered'", [rating, to_iso(at or utc_now()), int(ticket_id)]).rowcount > 0
            if changed:
                self.db.execute("delete from ticket_outbox where ticket_id = ?", [int(ticket_id)])
        return changed

    def hold_answer(self, ticket_id: int, text: str) -> None:
        """Keep a web chat ticket's answer as written until the page fetches it (``take_answer``)."""
        self._execute("insert or replace into ticket_outbox (ticket_id, text) values (?, ?)", [int(ticket_id), text])

    def take_answer(self, ticket_id: int) -> str | None:
        """The held answer, removed as it is handed over (None when there is none)."""
        with self._lock:
            rows = list(self.db.query("select text from ticket_outbox where ticket_id = ?", [int(ticket_id)]))
            self.db.execute("delete from ticket_outbox where ticket_id = ?", [int(ticket_id)])
        return rows[0]["text"] if rows else None

    def set_staff_minutes(self, ticket_id: int, minutes: float | None) -> None:
        self._execute("update tickets set staff_minutes = ? where id = ?", [minutes, int(ticket_id)])

    def overdue(self, now: datetime | None = None, remind_every: timedelta | None = None) -> list[Ticket]:
        """Open tickets past their due time not reminded about (or last reminded ``remind_every`` ago)."""
        now = now or utc_now()
        last = to_iso(now - remind_every) if remind_every else ""
        return [_ticket(r) for r in self._rows(
            "select * from tickets where state = 'open' and due_at <= ? and slack_ts != '' "
            "and (reminded_at = '' or reminded_at <= ?) order by due_at", [to_iso(now), last])]

    def mark_reminded(self, ticket_id: int, at: datetime | None = None) -> None:
        self._execute("update tickets set reminded_at = ? where id = ?", [to_iso(at or utc_now()), int(ticket_id)])

    def claim_reminder(self, ticket_id: int, now: datetime, remind_every: timedelta) -> bool:
        """Mark an overdue ticket reminded now, unless another worker did so within ``remind_every``."""
        return self._execute(
            "update tickets set reminded_at = ? where id = ? and state = 'open' and (reminded_at = '' or reminded_at <= ?)",
            [to_iso(now), int(ticket_id), to_iso(now - remind_every)]) > 0

    def stale(self, now: datetime, expire_after: timedelta) -> tuple[list[Ticket], list[Ticket]]:
        """(open tickets past due by ``expire_after``, answered tickets unrated for ``expire_after``)."""
        cutoff = to_iso(now - expire_after)
        expired = [_ticket(r) for r in self._rows(
            "select * from tickets where state = 'open' and due_at <= ? order by id", [cutoff])]
        quiet = [_ticket(r) for r in self._rows(
            "select * from tickets where state = 'answered' and answered_at <= ? order by id", [cutoff])]
        return expired, quiet

    def purge(self, retention_days: float, now: datetime | None = None) -> int:
        """Delete tickets (any state) created more than ``retention_days`` ago, and old drafts."""
        cutoff = to_iso((now or utc_now()) - timedelta(days=retention_days))
        with self._lock:
            removed = self.db.execute("delete from tickets where created_at < ?", [cutoff]).rowcount
            self.db.execute("delete from ticket_drafts where created_at < ?", [cutoff])
            self.db.execute("delete from ticket_outbox where ticket_id not in (select id from tickets)")
        return removed

    def list(self, state: str = "", department: str = "", overdue: bool = False, now: datetime | None = None,
             since: str = "", until: str = "", limit: int | None = None) -> list[Ticket]:
        """Tickets newest first, filtered by state, department, overdue and creation time."""
        where, params = ["1 = 1"], []
        if state:
            where.append("state = ?")
            params.append(state)
        if department:
            where.append("department = ?")
            params.append(department)
        if overdue:
            where.append("state = 'open' and due_at <= ?")
            params.append(to_iso(now or utc_now()))
        if since:
            where.append("created_at >= ?")
            params.append(since)
        if until:
            where.append("created_at < ?")
            params.append(until)
        sql = f"select * from tickets where {' and '.join(where)} order by id desc"
        if limit:
            sql += f" limit {int(limit)}"
        return [_ticket(r) for r in self._rows(sql, params)]

    def rows(self, since: str = "", until: str = "") -> list[dict]:
        """Tickets created in [since, until) as plain dicts for the report (no ``reply_to``, no texts)."""
        columns = ("id", "state", "channel", "category", "department", "bot_declined", "created_at", "due_at",
                   "answered_at", "closed_at", "rating", "staff_minutes")
        where, params = ["1 = 1"], []
        if since:
            where.append("created_at >= ?")
            params.append(since)
        if until:
            where.append("created_at < ?")
            params.append(until)
        return self._rows(f"select {', '.join(columns)} from tickets where {' and '.join(where)} order by id", params)

    def departments(self) -> list[str]:
        return [r["department"] for r in self._rows("select distinct department from tickets order by department")]

    # --- drafts (offered, not yet confirmed) --------------------------------------------------
    def start_draft(self, user_key: str, inquiry_id: int, at: datetime | None = None) -> Draft:
        """The citizen's one pending offer; offering again replaces it."""
        created = to_iso(at or utc_now())
        self._execute("insert or replace into ticket_drafts (user_key, inquiry_id, addition, created_at) "
                      "values (?, ?, '', ?)", [user_key, int(inquiry_id), created])
        return Draft(user_key, int(inquiry_id), "", created)

    def draft(self, user_key: str, newer_than: datetime | None = None) -> Draft | None:
        rows = self._rows("select * from ticket_drafts where user_key = ?", [user_key])
        if not rows:
            return None
        row = rows[0]
        if newer_than is not None and parse_time(row["created_at"]) < newer_than:
            return None
        return Draft(row["user_key"], int(row["inquiry_id"]), row["addition"], row["created_at"])

    def add_to_draft(self, user_key: str, addition: str) -> bool:
        """Append the citizen's one extra message (masked); False when there is none or it has one."""
        return self._execute("update ticket_drafts set addition = ? where user_key = ? and addition = ''",
                             [addition, user_key]) > 0

    def drop_draft(self, user_key: str) -> None:
        self._execute("delete from ticket_drafts where user_key = ?", [user_key])


def _ticket(row: dict) -> Ticket:
    values = {c: row.get(c) for c in _COLUMNS}
    values["state"] = TicketState(values["state"])
    values["bot_declined"] = bool(values["bot_declined"])
    return Ticket(**values)
