"""The inquiry log: one row per question on any channel, personal data masked before storage.

One row of the ``inquiries`` table per question::

    asked_at        UTC, ISO 8601 to the second ('2026-10-01T00:15:00+00:00')
    channel         line | web | slack | cli | ...
    audience        citizen | staff
    user_key        keyed HMAC-SHA256 of the platform user id (never the raw id)
    question        the question with personal data masked (bot.masking)
    answer          what the bot said (masked, first 2,000 characters)
    answer_kind     answer | abstain | other_city | staff_topic | name_check | folder | empty | too_long |
                    small_talk | person | crisis
    abstained       1 when the bot said it could not answer
    confidence, entry_ids (JSON list), category, department (所管課), latency_ms
    feedback        resolved (解決した) | unresolved (解決しない) | NULL
    feedback_comment, feedback_at, escalated (1 when handed to a person)
    record_key      unique id of the write (``event:<event key>`` for a LINE or Slack event), so
                    that replaying a spooled row or re-answering an event never duplicates it
    language        BCP-47 code of the question's language (ja, en, zh-Hans, ..., und); 'ja' for
                    rows written before languages were detected

Writes never block for long or fail an answer:

* the log's own connection waits at most ``busy_timeout_ms`` (default 500 ms) for a lock (SQLite)
  or for a free pooled connection (PostgreSQL); rows are stored by ``indexing.storage.inquiries``;
* any failure (locked, broken or missing database, disk error, even a bug in masking) is
  caught: the already-masked row is appended to ``<data dir>/spool/inquiries.jsonl`` and the
  call returns ``None`` instead of an id;
* the spool is replayed, in order, before the next successful write (and by
  :meth:`InquiryLog.replay_spool`, which ``madoguchi report`` calls); replay is one
  transaction and idempotent (``insert or ignore`` on ``record_key``), and appends and replays
  are serialised with a file lock so that several workers sharing a data dir lose nothing.

Feedback and escalation updates that cannot be written are spooled the same way.

>>> log = InquiryLog("var", user_key_secret="s3cret")            # doctest: +SKIP
>>> inquiry_id = log.record(answer, channel="line", user_id="U123")  # doctest: +SKIP
>>> log.set_feedback(inquiry_id, "resolved")                      # doctest: +SKIP
True
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

from bot.answering.answer import Answer
from bot.insights.masking import mask_personal_data
from indexing.storage import DATABASE_ERRORS, is_busy
from indexing.storage.inquiries import ROW_COLUMNS as _ROW_COLUMNS, InquiryTables
from indexing.storage.inquiries import asked_at_bounds, read_inquiries  # noqa: F401  (report reads these)

try:  # POSIX; on other systems the thread lock alone serialises the spool
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

log = logging.getLogger(__name__)

FEEDBACK_VALUES = ("resolved", "unresolved")
SPOOL_FILE = Path("spool") / "inquiries.jsonl"
_SPOOL_OPS = ("insert", "feedback", "escalate", "message", "unsent")
DEFAULT_BUSY_TIMEOUT_MS = 500
MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 2000
MAX_COMMENT_CHARS = 1000
# Stored instead of the text if masking itself fails: privacy first, never the raw text.
MASKING_FAILED = "〔マスク処理エラーのため記録せず〕"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_utc_iso(value: str | datetime | None) -> str:
    """A timestamp as stored: UTC, ISO 8601 to the second. Naive values are taken as UTC.

    >>> to_utc_iso("2026-10-01T09:15:00+09:00")
    '2026-10-01T00:15:00+00:00'
    """
    if value is None or value == "":
        return utc_now()
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _safe_mask(text: str | None, limit: int) -> str:
    """The first ``limit`` characters of ``text`` with personal data masked.

    Only the opening of a long text is masked (the cost of masking grows with the text: 1.3 s for a
    900,000-character message). It is cut well past ``limit`` so that a phone number or address
    cut in two at that point stays out of what is kept; should masking shrink the opening so much
    that the cut could come near the kept part, the whole text is masked instead."""
    text = text or ""
    try:
        opening = text[:limit * 4]
        masked = mask_personal_data(opening)
        if len(opening) < len(text) and len(masked) < limit * 2:
            masked = mask_personal_data(text)
        return masked[:limit]
    except Exception:  # a masking bug must not leak the raw text, nor fail the answer
        log.exception("masking failed; text not stored")
        return MASKING_FAILED


class InquiryLog:
    """Records inquiries and their feedback; reads them back for reports.

    ``user_key_secret`` is ``MADOGUCHI_USER_KEY_SECRET``; without it a random per-installation
    key is created in ``<data dir>/user-key.secret`` the first time a user key is needed.
    """

    def __init__(self, data_dir: str | Path, user_key_secret: str = "",
                 busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS):
        self.data_dir = Path(data_dir)
        self.busy_timeout_ms = int(busy_timeout_ms)
        self._configured_secret = user_key_secret or ""
        self._secret: bytes | None = None
        self._lock = threading.RLock()
        self._spool = self.data_dir / SPOOL_FILE
        self._tables: InquiryTables | None = None
        with self._lock, contextlib.suppress(Exception):
            self._database()  # connect early; a broken database is retried on the next write

    # --- connection ---------------------------------------------------------------------------
    @property
    def db(self):
        """The storage ``Database`` (connects on first use; raises if the database is unusable)."""
        with self._lock:
            return self._database().db

    def _database(self) -> InquiryTables:
        if self._tables is None:
            self._tables = InquiryTables(self.data_dir, busy_timeout_ms=self.busy_timeout_ms)
        return self._tables

    def _drop_connection(self, exc: BaseException):
        """Forget a connection that failed for any reason other than a busy lock."""
        if is_busy(exc):
            return
        if self._tables is not None:
            with contextlib.suppress(Exception):
                self._tables.close()
            self._tables = None

    # --- pseudonymous user keys ----------------------------------------------------------------
    def user_key(self, user_id: str | None) -> str:
        """Pseudonymous key of a platform user: keyed HMAC, never the raw id."""
        if not user_id:
            return ""
        return hmac.new(self._user_key_secret(), str(user_id).encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def _user_key_secret(self) -> bytes:
        if self._secret is None:
            self._secret = (self._configured_secret or self._local_secret()).encode("utf-8")
        return self._secret

    def _local_secret(self) -> str:
        """A per-installation key kept beside the database (never logged).

        Created atomically (write a temporary file, then hard-link it into place) so that two
        workers starting together end up with the same key.
        """
        path = self.data_dir / "user-key.secret"
        try:
            if not path.exists():
                self.data_dir.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f".user-key.{uuid.uuid4().hex}.tmp")
                temporary.write_text(secrets.token_hex(32))
                os.chmod(temporary, 0o600)
                try:
                    os.link(temporary, path)
                except FileExistsError:
                    pass
                finally:
                    temporary.unlink(missing_ok=True)
            secret = path.read_text().strip()
            if secret:
                return secret
        except OSError:
            log.exception("user key secret file unusable")
        # Keys then differ after a restart, but nothing is logged in the clear.
        log.warning("MADOGUCHI_USER_KEY_SECRET not set and %s unusable: using a temporary key", path)
        return secrets.token_hex(32)

    # --- writing ------------------------------------------------------------------------------
    def record(self, answer: Answer, channel: str, user_id: str | None = None,
               asked_at: str | datetime | None = None, escalated: bool = False,
               event_key: str | None = None) -> int | None:
        """Log one inquiry; returns its id, or None when the row had to be spooled.

        ``event_key`` (``line:<webhookEventId>``, ``slack:<event_id>``) makes the write
        idempotent: an event answered again after a crash re-uses its first row and id.
        Never raises: a failure to write must not fail the answer being sent.
        """
        try:
            row = self._row(answer, channel, user_id, asked_at, escalated)
            if event_key:
                row["record_key"] = f"event:{event_key}"
        except Exception:
            log.exception("inquiry could not be prepared for the log")
            return None
        try:
            with self._lock:
                tables = self._database()
                self._replay_spool_quietly(tables)
                inserted = tables.insert({c: row.get(c) for c in _ROW_COLUMNS})
                if inserted is not None:
                    return inserted
                # Only an event key can repeat (the others are random): the event's first row.
                return tables.id_of_record(row["record_key"])
        except Exception as exc:
            log.warning("inquiry log write failed (%s: %s); spooled", type(exc).__name__, exc)
            with self._lock:
                self._drop_connection(exc)
            self._spool_entry({"op": "insert", "row": row})
            return None

    def _row(self, answer: Answer, channel: str, user_id, asked_at, escalated) -> dict:
        try:
            when = to_utc_iso(asked_at)
        except (TypeError, ValueError):
            log.warning("unreadable asked_at %r; using the current time", asked_at)
            when = utc_now()
        return {
            "asked_at": when, "channel": channel or "", "audience": answer.audience,
            "user_key": self.user_key(user_id), "question": _safe_mask(answer.question, MAX_QUESTION_CHARS),
            "answer": _safe_mask(answer.text, MAX_ANSWER_CHARS), "answer_kind": answer.kind,
            "abstained": int(bool(answer.abstained)), "confidence": round(float(answer.confidence), 4),
            "entry_ids": json.dumps([s.id for s in answer.sources], ensure_ascii=False),
            "category": answer.category or "", "department": answer.department or "",
            "latency_ms": round(float(answer.latency_ms), 1), "escalated": int(bool(escalated)),
            "feedback": None, "feedback_comment": None, "feedback_at": None,
            "record_key": uuid.uuid4().hex, "language": answer.language or "ja",
        }

    def set_feedback(self, inquiry_id: int, feedback: str, comment: str = "",
                     at: str | datetime | None = None) -> bool:
        """Record 解決した (``resolved``) or 解決しない (``unresolved``) with an optional comment.

        Returns False when no such inquiry exists; True when it was updated or, the database
        being unavailable, spooled for replay.
        """
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"feedback must be one of {FEEDBACK_VALUES}")
        update = {"op": "feedback", "id": int(inquiry_id), "feedback": feedback,
                  "comment": _safe_mask(comment, MAX_COMMENT_CHARS), "at": to_utc_iso(at)}
        return self._update(update)

    def set_escalated(self, inquiry_id: int) -> bool:
        """Mark an inquiry as handed over to a person (same return values as set_feedback)."""
        return self._update({"op": "escalate", "id": int(inquiry_id)})

    def note_message(self, inquiry_id: int, message_id: str) -> bool:
        """Remember which platform message asked the inquiry (a keyed hash of its id), so that the sender taking
        it back (forget_message) reaches the row."""
        return self._update({"op": "message", "id": int(inquiry_id), "key": self.message_key(message_id)})

    def forget_message(self, message_id: str) -> bool:
        """The sender took the message back (LINE's 送信取消): the inquiry's words are removed (InquiryTables.forget_message)."""
        return self._update({"op": "unsent", "key": self.message_key(message_id), "at": utc_now()})

    def message_key(self, message_id: str) -> str:
        return self.user_key(f"message:{message_id}")

    def _update(self, update: dict) -> bool:
        try:
            with self._lock:
                tables = self._database()
                self._replay_spool_quietly(tables)
                return _apply_update(tables, update) > 0
        except Exception as exc:
            log.warning("inquiry %s update failed (%s); spooled", update["op"], type(exc).__name__)
            with self._lock:
                self._drop_connection(exc)
            self._spool_entry(update)
            return True

    # --- the spool ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _spool_locked(self):
        """Serialise spool appends and replays across threads and worker processes."""
        with self._lock:
            self._spool.parent.mkdir(parents=True, exist_ok=True)
            if fcntl is None:  # pragma: no cover
                yield
                return
            with open(self._spool.with_suffix(".lock"), "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _spool_entry(self, entry: dict):
        try:
            with self._spool_locked(), self._spool.open("a", encoding="utf-8") as spool:
                spool.write(json.dumps(entry, ensure_ascii=False) + "\n")
                spool.flush()
                os.fsync(spool.fileno())
        except Exception:
            log.exception("inquiry could not be spooled; it is lost")

    def pending(self) -> int:
        """How many spooled writes wait to be replayed."""
        try:
            return sum(1 for line in self._spool.read_text(encoding="utf-8").splitlines() if line.strip())
        except FileNotFoundError:
            return 0

    def replay_spool(self) -> int:
        """Write spooled rows and updates to the database now; returns how many were applied.

        Raises a database error (``indexing.storage.DATABASE_ERRORS``) if the database is still unavailable (the spool is kept).
        """
        with self._lock:
            try:
                return self._replay_spool(self._database())
            except Exception as exc:
                self._drop_connection(exc)
                raise

    def _replay_spool_quietly(self, db):
        if not self._spool.exists():  # the common case: one stat, no lock
            return
        try:
            self._replay_spool(db)
        except Exception as exc:  # the new row is still attempted (and spooled after the old ones)
            log.warning("spool replay failed (%s)", type(exc).__name__)

    def _replay_spool(self, db) -> int:
        if not self._spool.exists():
            return 0
        with self._spool_locked():
            try:
                lines = self._spool.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:  # another worker replayed it meanwhile
                return 0
            entries, rejected = [], []
            for line in lines:
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    if not isinstance(entry, dict):
                        raise ValueError("not an object")
                    entry = entry if "op" in entry else {"op": "insert", "row": entry}  # first spool format
                    if entry["op"] not in _SPOOL_OPS or not isinstance(entry.get("row", {}), dict):
                        raise ValueError("unknown operation")
                    entries.append(entry)
                except ValueError:
                    rejected.append(line)  # a torn line from a crash mid-write
            with db.transaction():
                for entry in entries:
                    if entry["op"] == "insert":
                        row = dict(entry["row"])
                        row.setdefault("record_key", hashlib.sha256(
                            json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32])
                        db.insert({c: row[c] for c in _ROW_COLUMNS if c in row})
                    else:
                        _apply_update(db, entry)
            if rejected:
                with (self._spool.parent / "rejected.jsonl").open("a", encoding="utf-8") as bad:
                    bad.write("\n".join(rejected) + "\n")
            self._spool.unlink()  # after the commit; a crash in between only replays idempotently
            if entries:
                log.info("replayed %d spooled inquiry log writes", len(entries))
            return len(entries)

    # --- reading ------------------------------------------------------------------------------
    def get(self, inquiry_id: int) -> dict | None:
        """One inquiry as a dict, or None (also when the database is unavailable)."""
        try:
            with self._lock:
                return self._database().get(inquiry_id)
        except DATABASE_ERRORS as exc:
            log.warning("inquiry log read failed (%s)", type(exc).__name__)
            with self._lock:
                self._drop_connection(exc)
            return None

    def inquiries(self, since: str | datetime | None = None, until: str | datetime | None = None) -> list[dict]:
        """Inquiries with ``since <= asked_at < until`` (UTC strings or aware datetimes), oldest first."""
        with self._lock:
            return self._database().read(since, until)

    def asked_at_bounds(self) -> tuple[str, str] | None:
        """(first, last) ``asked_at`` in the log, or None when it is empty."""
        with self._lock:
            return self._database().bounds()

    def count(self) -> int:
        with self._lock:
            return self._database().count()

    def close(self):
        with self._lock:
            if self._tables is not None:
                with contextlib.suppress(Exception):
                    self._tables.close()
                self._tables = None


def _apply_update(tables: InquiryTables, update: dict) -> int:
    if update["op"] == "feedback":
        return tables.set_feedback(update["id"], update["feedback"], update.get("comment") or "",
                                   update.get("at") or utc_now())
    if update["op"] == "escalate":
        return tables.set_escalated(update["id"])
    if update["op"] == "message":
        return tables.set_message_key(update["id"], update["key"])
    if update["op"] == "unsent":
        # Nothing to remove is no failure (the message asked nothing that was logged): never spooled again.
        tables.forget_message(update["key"], update.get("at") or utc_now())
        return 1
    raise ValueError(f"unknown spooled operation {update['op']!r}")


def spool_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / SPOOL_FILE

