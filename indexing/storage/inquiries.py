"""The ``inquiries`` table (the inquiry log's rows) and ``review_status`` (the review queue's verdicts).

``bot.insights.inquiry_log.InquiryLog`` decides what a row holds (masking, user keys, the
spool when the database is unavailable) and ``channels.admin.review_queue.ReviewQueue`` how
open questions are grouped; both store and read through ``InquiryTables``, the one owner of
these two tables, so the review queue no longer reads the log's table on its own.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from indexing.storage.connection import SQLITE_BUSY_TIMEOUT_MS, Database
from indexing.storage.factory import storage_for

INQUIRY_COLUMNS = {
    "id": int, "asked_at": str, "channel": str, "audience": str, "user_key": str, "question": str,
    "answer": str, "answer_kind": str, "abstained": int, "confidence": float, "entry_ids": str,
    "category": str, "department": str, "latency_ms": float, "feedback": str, "feedback_comment": str,
    "feedback_at": str, "escalated": int, "record_key": str, "language": str, "message_key": str,
}
ROW_COLUMNS = tuple(c for c in INQUIRY_COLUMNS if c != "id")
UNSENT_KEPT_DAYS = 7  # LINE redelivers for at most a day; a message is taken back within 24 hours of sending


def _days_before(value: str, days: int) -> str:
    return (datetime.fromisoformat(_utc_iso(value)) - timedelta(days=days)).isoformat()


def _utc_iso(value: str | datetime) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


class InquiryTables:
    """Statements on ``inquiries`` and ``review_status`` over one connection."""

    def __init__(self, data_dir: str | Path, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS):
        self.db: Database = storage_for(data_dir).connect(busy_timeout_ms)

    def transaction(self):
        return self.db.transaction()

    # --- the log ------------------------------------------------------------------------------
    def insert(self, row: dict) -> int | None:
        """Insert a row unless its ``record_key`` is already stored; the new id, or None then."""
        columns = [c for c in ROW_COLUMNS if c in row]
        inserted = self.db.execute(
            f"insert into inquiries ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            "on conflict do nothing returning id", [row[c] for c in columns]).first()
        return inserted["id"] if inserted else None

    def id_of_record(self, record_key: str) -> int | None:
        return self.db.value("select id from inquiries where record_key = ?", [record_key])

    def set_feedback(self, inquiry_id: int, feedback: str, comment: str, at: str) -> int:
        return self.db.execute("update inquiries set feedback = ?, feedback_comment = ?, feedback_at = ? where id = ?",
                               [feedback, comment, at, int(inquiry_id)]).rowcount

    def set_message_key(self, inquiry_id: int, message_key: str) -> int:
        """Key an inquiry by the message that asked it; the message already taken back (its unsend handled
        before the inquiry was logged) leaves the inquiry without words at once."""
        changed = self.db.execute("update inquiries set message_key = ? where id = ?",
                                  [message_key, int(inquiry_id)]).rowcount
        if self.db.value("select 1 from unsent_messages where message_key = ?", [message_key]):
            self.forget_message(message_key)
        return changed

    def forget_message(self, message_key: str, at: str | None = None) -> int:
        """The words of the inquiries asked by one message, which its sender took back (LINE's 送信取消): the
        question, the answer and any comment go; what was asked when, how it was answered and how it was rated stay
        for the counts. Given ``at``, the key is also remembered (a week) for an inquiry logged after this."""
        if at is not None:
            self.db.execute("delete from unsent_messages where unsent_at < ?", [_days_before(at, UNSENT_KEPT_DAYS)])
            self.db.execute("insert into unsent_messages (message_key, unsent_at) values (?, ?) on conflict do nothing",
                            [message_key, at])
        return self.db.execute("update inquiries set question = '', answer = '', feedback_comment = null "
                               "where message_key = ?", [message_key]).rowcount

    def set_escalated(self, inquiry_id: int) -> int:
        return self.db.execute("update inquiries set escalated = 1 where id = ?", [int(inquiry_id)]).rowcount

    def get(self, inquiry_id: int) -> dict | None:
        return self.db.execute("select * from inquiries where id = ?", [int(inquiry_id)]).first()

    def read(self, since=None, until=None) -> list[dict]:
        return read_inquiries(self.db, since, until)

    def bounds(self) -> tuple[str, str] | None:
        return asked_at_bounds(self.db)

    def count(self) -> int:
        return int(self.db.value("select count(*) as n from inquiries", default=0))

    # --- the review queue ---------------------------------------------------------------------
    def open_review_items(self, not_gaps: tuple[str, ...], limit: int) -> list[dict]:
        """Inquiries not reviewed yet that were abstained (answer kind not in ``not_gaps``) or
        marked unresolved, newest first."""
        marks = ",".join("?" * len(not_gaps))
        return self.db.execute(
            f"""select i.id, i.asked_at, i.channel, i.audience, i.question, i.abstained, i.feedback,
                       i.feedback_comment, i.entry_ids
                from inquiries i left join review_status r on r.inquiry_id = i.id
                where r.inquiry_id is null and trim(coalesce(i.question, '')) != ''
                  and ((i.abstained = 1 and coalesce(i.answer_kind, '') not in ({marks}))
                       or i.feedback = 'unresolved')
                order by i.id desc limit ?""", [*not_gaps, limit]).rows

    def close_reviews(self, inquiry_ids: list[int], resolution: str, entry_id: str, reviewed_by: str,
                      reviewed_at: str) -> None:
        with self.db.transaction():
            self.db.executemany(
                "insert into review_status (inquiry_id, resolution, entry_id, reviewed_by, reviewed_at) "
                "values (?, ?, ?, ?, ?) on conflict (inquiry_id) do nothing",
                [(int(i), resolution, entry_id, reviewed_by, reviewed_at) for i in inquiry_ids])

    def recently_closed(self, limit: int) -> list[dict]:
        return self.db.execute(
            """select r.*, i.question from review_status r left join inquiries i on i.id = r.inquiry_id
               order by r.reviewed_at desc, r.inquiry_id desc limit ?""", [limit]).rows

    def close(self):
        self.db.close()


def read_inquiries(db, since: str | datetime | None = None, until: str | datetime | None = None) -> list[dict]:
    """Rows of ``inquiries`` with ``since <= asked_at < until``, oldest first (none if the table does not
    exist). ``db`` is a ``Database`` or a sqlite-utils Database (ad-hoc analysis of an exported log)."""
    if "inquiries" not in db.table_names():
        return []
    clauses, params = [], []
    for bound, op in ((since, ">="), (until, "<")):
        if bound is not None:
            clauses.append(f"asked_at {op} ?")
            params.append(_utc_iso(bound))
    where = f" where {' and '.join(clauses)}" if clauses else ""
    return list(db.query(f"select * from inquiries{where} order by asked_at, id", params))


def asked_at_bounds(db) -> tuple[str, str] | None:
    if "inquiries" not in db.table_names():
        return None
    row = next(iter(db.query("select min(asked_at) as first, max(asked_at) as last from inquiries")))
    return (row["first"], row["last"]) if row["first"] else None
