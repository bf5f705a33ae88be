"""The inquiry log: one row per question on any channel, personal data masked before storage.

Writing never fails an answer: if the database is busy or broken the record is spooled
to ``<data dir>/spool/inquiries.jsonl`` and replayed on the next successful write.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from bot.answer import Answer
from bot.masking import mask_personal_data
from indexing.database import open_database

log = logging.getLogger(__name__)

FEEDBACK_VALUES = ("resolved", "unresolved")
INQUIRY_COLUMNS = {
    "id": int, "asked_at": str, "channel": str, "audience": str, "user_key": str, "question": str,
    "answer": str, "answer_kind": str, "abstained": int, "confidence": float, "entry_ids": str,
    "category": str, "department": str, "latency_ms": float, "feedback": str, "feedback_comment": str,
    "feedback_at": str, "escalated": int,
}


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class InquiryLog:
    def __init__(self, data_dir: str | Path, user_key_secret: str = ""):
        self.data_dir = Path(data_dir)
        self.db = open_database(self.data_dir)
        self._lock = threading.Lock()
        self._secret = (user_key_secret or self._local_secret()).encode("utf-8")
        self._spool = self.data_dir / "spool" / "inquiries.jsonl"
        self._ensure_schema()

    def _local_secret(self) -> str:
        """A per-installation key when none is configured, kept beside the database (never logged)."""
        path = self.data_dir / "user-key.secret"
        if not path.exists():
            path.write_text(secrets.token_hex(32))
            os.chmod(path, 0o600)
        return path.read_text().strip()

    def _ensure_schema(self):
        if "inquiries" not in self.db.table_names():
            self.db["inquiries"].create(INQUIRY_COLUMNS, pk="id", defaults={"escalated": 0, "abstained": 0})
            self.db["inquiries"].create_index(["asked_at"])
            self.db["inquiries"].create_index(["channel"])
        if "channel_events" not in self.db.table_names():
            self.db["channel_events"].create({"event_key": str, "received_at": str, "inquiry_id": int},
                                             pk="event_key")

    def user_key(self, user_id: str | None) -> str:
        """Pseudonymous key of a platform user: keyed HMAC, never the raw id."""
        if not user_id:
            return ""
        return hmac.new(self._secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    # --- dedupe of channel events -------------------------------------------------------------
    def claim_event(self, event_key: str) -> bool:
        """True the first time an event key is seen (across workers); False for a redelivery."""
        try:
            self.db.execute("insert into channel_events (event_key, received_at) values (?, ?)",
                            [event_key, utc_now()])
            return True
        except sqlite3.IntegrityError:
            return False

    # --- writing ------------------------------------------------------------------------------
    def record(self, answer: Answer, channel: str, user_id: str | None = None, asked_at: str | None = None,
               escalated: bool = False) -> int | None:
        row = {
            "asked_at": asked_at or utc_now(), "channel": channel, "audience": answer.audience,
            "user_key": self.user_key(user_id), "question": mask_personal_data(answer.question),
            "answer": mask_personal_data(answer.text)[:2000], "answer_kind": answer.kind,
            "abstained": int(answer.abstained), "confidence": round(float(answer.confidence), 4),
            "entry_ids": json.dumps([s.id for s in answer.sources], ensure_ascii=False),
            "category": answer.category, "department": answer.department,
            "latency_ms": round(float(answer.latency_ms), 1), "escalated": int(escalated),
        }
        try:
            with self._lock:
                self._replay_spool()
                return self.db["inquiries"].insert(row).last_pk
        except sqlite3.Error as exc:
            log.warning("inquiry log write failed (%s); spooled", type(exc).__name__)
            self._spool_row(row)
            return None

    def _spool_row(self, row: dict):
        try:
            self._spool.parent.mkdir(parents=True, exist_ok=True)
            with self._spool.open("a", encoding="utf-8") as spool:
                spool.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError:
            log.exception("inquiry could not be spooled")

    def _replay_spool(self):
        if not self._spool.exists():
            return
        rows = [json.loads(line) for line in self._spool.read_text(encoding="utf-8").splitlines() if line.strip()]
        if rows:
            self.db["inquiries"].insert_all(rows)
        self._spool.unlink()

    def set_feedback(self, inquiry_id: int, feedback: str, comment: str = "") -> bool:
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"feedback must be one of {FEEDBACK_VALUES}")
        cursor = self.db.execute(
            "update inquiries set feedback = ?, feedback_comment = ?, feedback_at = ? where id = ?",
            [feedback, mask_personal_data(comment)[:1000], utc_now(), int(inquiry_id)])
        return cursor.rowcount > 0

    def set_escalated(self, inquiry_id: int) -> bool:
        cursor = self.db.execute("update inquiries set escalated = 1 where id = ?", [int(inquiry_id)])
        return cursor.rowcount > 0

    def get(self, inquiry_id: int) -> dict | None:
        rows = list(self.db.query("select * from inquiries where id = ?", [int(inquiry_id)]))
        return rows[0] if rows else None

    def count(self) -> int:
        return self.db["inquiries"].count
