"""The ticket tables of the handoff to staff: ``tickets``, ``ticket_outbox`` and ``ticket_drafts``.

    tickets        one row per ticket (the fields of bot.handoff.ticket.Ticket; texts masked)
    ticket_outbox  a staff answer for a web chat citizen, in the staff's own words, kept only
                   until the page fetches it once (or the ticket becomes final), like the inbox
                   keeps a LINE event's payload only until it is answered
    ticket_drafts  one row per citizen (user_key) with an offer not yet confirmed

``bot.handoff.store.TicketStore`` turns rows into ``Ticket`` and ``Draft`` objects and
decides times and states; every statement is here. Ticket ids come from an identity column
and are never reused (LINE retry keys derive from them).
"""
from __future__ import annotations

import threading
from pathlib import Path

from indexing.storage.connection import Database, where_clause
from indexing.storage.factory import storage_for
from indexing.storage.locks import named_lock

# The columns of ``tickets``, as the fields of bot.handoff.ticket.Ticket (a test keeps them equal).
TICKET_COLUMNS = ("id", "state", "channel", "user_key", "reply_to", "question", "category", "department",
                  "bot_answer", "bot_declined", "language", "created_at", "due_at", "inquiry_id", "slack_channel",
                  "slack_ts", "answer", "answered_at", "delivered_at", "closed_at", "reminded_at", "rating",
                  "staff_minutes")
LIVE_STATES = ("open", "answered")
REPORT_COLUMNS = ("id", "state", "channel", "category", "department", "bot_declined", "created_at", "due_at",
                  "answered_at", "closed_at", "rating", "staff_minutes")


# Answers to one ticket (a first answer, then follow-ups) are kept one after another, this between them.
PART_SEPARATOR = "\n\n"
# Whether a column already holds a text as one of its parts (a whole part, not the end of a longer one).
_HOLDS_PART = "(? || {column} || ?) like ? escape '!'"


def _part_params(text: str) -> list[str]:
    """The parameters of _HOLDS_PART for ``text``: the separators around the column, and the LIKE pattern."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    separator = PART_SEPARATOR
    return [separator, separator, f"%{separator}{escaped}{separator}%"]


class TicketTables:
    def __init__(self, data_dir: str | Path):
        self.storage = storage_for(data_dir)
        self.db: Database = self.storage.connect()
        self._lock = threading.Lock()

    def housekeeping_lock(self, wait: bool):
        """Held by the one process (on PostgreSQL: of any host) doing the tickets' housekeeping;
        yields False when another one is and ``wait`` is off."""
        return named_lock(self.storage, "tickets", wait=wait)

    def close(self):
        self.db.close()

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self._lock:
            return self.db.execute(sql, list(params)).rows

    def _execute(self, sql: str, params=()) -> int:
        with self._lock:
            return self.db.execute(sql, list(params)).rowcount

    # --- tickets ------------------------------------------------------------------------------
    def insert(self, values: dict) -> int | None:
        """A new ticket's id; None when its inquiry already has one."""
        columns = [c for c in TICKET_COLUMNS if c != "id" and c in values]
        row = self._rows(f"insert into tickets ({', '.join(columns)}) values ({', '.join('?' for _ in columns)}) "
                         "on conflict do nothing returning id", [values[c] for c in columns])
        return row[0]["id"] if row else None

    def get(self, ticket_id: int) -> dict | None:
        rows = self._rows("select * from tickets where id = ?", [int(ticket_id)])
        return rows[0] if rows else None

    def by_inquiry(self, inquiry_id: int) -> dict | None:
        rows = self._rows("select * from tickets where inquiry_id = ?", [int(inquiry_id)])
        return rows[0] if rows else None

    def by_thread(self, slack_channel: str, slack_ts: str) -> dict | None:
        rows = self._rows("select * from tickets where slack_channel = ? and slack_ts = ? order by id desc limit 1",
                          [slack_channel, slack_ts])
        return rows[0] if rows else None

    def set_posted(self, ticket_id: int, slack_channel: str, slack_ts: str) -> None:
        self._execute("update tickets set slack_channel = ?, slack_ts = ? where id = ?",
                      [slack_channel, slack_ts, int(ticket_id)])

    def awaited_by(self, user_key: str, channel: str) -> list[int]:
        return [r["id"] for r in self._rows(
            "select id from tickets where user_key = ? and channel = ? and "
            "(state = 'open' or (state = 'answered' and delivered_at = '')) order by id", [user_key, channel])]

    def unposted(self, limit: int) -> list[dict]:
        return self._rows("select * from tickets where slack_ts = '' and state in ('open', 'answered') "
                          "order by id limit ?", [limit])

    def reroute(self, ticket_id: int, department: str, slack_channel: str, due_at: str) -> bool:
        return self._execute(
            "update tickets set department = ?, slack_channel = ?, slack_ts = '', due_at = ?, reminded_at = '' "
            "where id = ? and state in ('open', 'answered')", [department, slack_channel, due_at, int(ticket_id)]) > 0

    def record_answer(self, ticket_id: int, answer: str, at: str) -> bool:
        """A staff answer; a follow-up is added after the answers before it in the same statement (two at once
        both stay), unless that very text is already one of them (a retried delivery)."""
        return self._execute(
            "update tickets set state = 'answered', answer = case when answer = '' then ? "
            f"when {_HOLDS_PART.format(column='answer')} then answer else answer || ? || ? end, "
            "answered_at = case when answered_at = '' then ? else answered_at end, delivered_at = '' "
            "where id = ? and state in ('open', 'answered')",
            [answer, *_part_params(answer), PART_SEPARATOR, answer, at, int(ticket_id)]) > 0

    def set_field(self, ticket_id: int, column: str, value) -> None:
        """``delivered_at``, ``reminded_at`` or ``staff_minutes`` of one ticket."""
        if column not in ("delivered_at", "reminded_at", "staff_minutes"):
            raise ValueError(f"not a settable ticket column: {column}")
        self._execute(f"update tickets set {column} = ? where id = ?", [value, int(ticket_id)])

    def finish(self, ticket_id: int, state: str, at: str, from_states: tuple[str, ...]) -> bool:
        """A final state; a held web chat answer goes with it."""
        marks = ", ".join("?" for _ in from_states)
        return self._close(
            f"update tickets set state = ?, closed_at = ?, reply_to = '' where id = ? and state in ({marks})",
            [state, at, int(ticket_id), *from_states], ticket_id)

    def rate(self, ticket_id: int, rating: str, at: str) -> bool:
        return self._close("update tickets set rating = ?, state = 'closed', closed_at = ?, reply_to = '' "
                           "where id = ? and state = 'answered'", [rating, at, int(ticket_id)], ticket_id)

    def _close(self, sql: str, params: list, ticket_id: int) -> bool:
        with self._lock, self.db.transaction():
            changed = self.db.execute(sql, params).rowcount > 0
            if changed:
                self.db.execute("delete from ticket_outbox where ticket_id = ?", [int(ticket_id)])
        return changed

    def hold_answer(self, ticket_id: int, text: str) -> None:
        """Held until the page fetches it; a follow-up sent before that is added after it (the same text held
        again, a retried delivery, is not)."""
        self._execute("insert into ticket_outbox (ticket_id, text) values (?, ?) "
                      "on conflict (ticket_id) do update set text = case "
                      f"when {_HOLDS_PART.format(column='ticket_outbox.text')} then ticket_outbox.text "
                      "else ticket_outbox.text || ? || excluded.text end",
                      [int(ticket_id), text, *_part_params(text), PART_SEPARATOR])

    def take_answer(self, ticket_id: int) -> str | None:
        """The held answer, removed as it is handed over: one delete, so only one fetch gets it."""
        rows = self._rows("delete from ticket_outbox where ticket_id = ? returning text", [int(ticket_id)])
        return rows[0]["text"] if rows else None

    def overdue(self, now: str, reminded_before: str) -> list[dict]:
        return self._rows("select * from tickets where state = 'open' and due_at <= ? and slack_ts != '' "
                          "and (reminded_at = '' or reminded_at <= ?) order by due_at", [now, reminded_before])

    def claim_reminder(self, ticket_id: int, now: str, reminded_before: str) -> bool:
        """One worker (one host) wins: the update only matches while nobody reminded recently."""
        return self._execute(
            "update tickets set reminded_at = ? where id = ? and state = 'open' and (reminded_at = '' or reminded_at <= ?)",
            [now, int(ticket_id), reminded_before]) > 0

    def stale(self, cutoff: str) -> tuple[list[dict], list[dict]]:
        expired = self._rows("select * from tickets where state = 'open' and due_at <= ? order by id", [cutoff])
        quiet = self._rows("select * from tickets where state = 'answered' and answered_at <= ? order by id", [cutoff])
        return expired, quiet

    def purge(self, cutoff: str) -> int:
        with self._lock, self.db.transaction():
            removed = self.db.execute("delete from tickets where created_at < ?", [cutoff]).rowcount
            self.db.execute("delete from ticket_drafts where created_at < ?", [cutoff])
        return removed

    def list(self, state: str = "", department: str = "", overdue_at: str = "", since: str = "", until: str = "",
             limit: int | None = None) -> list[dict]:
        where, params = where_clause([("state = ?", state), ("department = ?", department),
                                      ("state = 'open' and due_at <= ?", overdue_at),
                                      ("created_at >= ?", since), ("created_at < ?", until)])
        sql = f"select * from tickets{where} order by id desc"
        if limit:
            sql += " limit ?"
            params.append(int(limit))
        return self._rows(sql, params)

    def report_rows(self, since: str = "", until: str = "") -> list[dict]:
        where, params = where_clause([("created_at >= ?", since), ("created_at < ?", until)])
        return self._rows(f"select {', '.join(REPORT_COLUMNS)} from tickets{where} order by id", params)

    def departments(self) -> list[str]:
        return [r["department"] for r in self._rows("select distinct department from tickets order by department")]

    # --- drafts -------------------------------------------------------------------------------
    def start_draft(self, user_key: str, inquiry_id: int, created_at: str) -> None:
        self._execute("insert into ticket_drafts (user_key, inquiry_id, addition, created_at) values (?, ?, '', ?) "
                      "on conflict (user_key) do update set inquiry_id = excluded.inquiry_id, addition = '', "
                      "created_at = excluded.created_at", [user_key, int(inquiry_id), created_at])

    def draft(self, user_key: str) -> dict | None:
        rows = self._rows("select * from ticket_drafts where user_key = ?", [user_key])
        return rows[0] if rows else None

    def add_to_draft(self, user_key: str, addition: str) -> bool:
        return self._execute("update ticket_drafts set addition = ? where user_key = ? and addition = ''",
                             [addition, user_key]) > 0

    def drop_draft(self, user_key: str) -> None:
        self._execute("delete from ticket_drafts where user_key = ?", [user_key])
