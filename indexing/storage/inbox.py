"""The inbox of LINE and Slack events: stored before the webhook is answered, drained by workers.

One row of ``channel_inbox`` per platform event, keyed by the platform's own id
(``line:<webhookEventId>``, ``slack:<event_id>``), in the shared database (``indexing.storage``)::

    event_key      line:01H... | slack:Ev...  (primary key: a redelivery inserts nothing)
    channel        line | slack
    payload        the event JSON needed to answer (personal data: kept only here, and
                   set to NULL as soon as the event is done or has failed for good)
    state          pending → answering → done | failed_permanent
    attempts       claims so far (an attempt that crashed counts too)
    lease_owner    which worker holds the event while answering ("host:pid:random")
    lease_until    epoch seconds; an ``answering`` row with an expired lease is claimed again
    not_before     epoch seconds; retries wait for their backoff
    progress       how far the last attempt got before sending: '' | reply | push | post
                   (tells a resumed attempt whether the platform may already have the answer)
    answer         the rendered answer being sent (JSON), so that a resumed attempt sends the
                   very same messages without answering again; NULL once done (personal data)
    outcome        the last result, e.g. 'reply', 'push', 'push 409', 'refused 400' (no text, no ids)
    inquiry_id     the inquiry row written with the answer
    received_at, updated_at, finished_at   UTC ISO 8601

Every method is one short transaction. Claims use ``BEGIN IMMEDIATE`` on SQLite (one writer
at a time) and ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (hosts claim side by side,
never the same row), so the workers sharing the database never hand the same event to two
workers while a lease is valid. A lease held by a process of this host that no longer exists
(killed) is taken over at once; other leases (other hosts' included) wait for their expiry.

>>> inbox = Inbox("var")                                              # doctest: +SKIP
>>> inbox.add([("line:01H", "line", {"type": "follow", ...})])        # doctest: +SKIP
[True]
>>> [event] = inbox.claim("worker-1", limit=8)                        # doctest: +SKIP
>>> inbox.finish(event.event_key, "reply")                            # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from indexing.storage.connection import DATABASE_ERRORS
from indexing.storage.factory import storage_for

PENDING = "pending"
ANSWERING = "answering"
DONE = "done"
FAILED = "failed_permanent"
STATES = (PENDING, ANSWERING, DONE, FAILED)

DEFAULT_LEASE_SECONDS = 120.0
# With the inbox worker's backoff (channels/inbox/worker.py: 1, 2, 4 … 60 s) 20 attempts span about 14
# minutes: an outage or a rate limit of the platform that long delays answers, only a longer one loses them.
DEFAULT_MAX_ATTEMPTS = 20
# Finished rows are kept this long so that late redeliveries are still recognised.
DEFAULT_KEEP_DAYS = 7
# Events per insert statement in ``add`` (5 parameters each, far below either backend's limit).
ADD_CHUNK = 200

def _json(text: str | None, default):
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def worker_identity() -> str:
    """A lease owner name: this host, this process, and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_is_dead(owner: str | None, host: str) -> bool:
    """True only for an owner known to be gone: a process of this host that no longer runs."""
    try:
        owner_host, pid, _ = (owner or "").rsplit(":", 2)
        pid = int(pid)
    except ValueError:
        return False
    if owner_host != host or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


@dataclass(frozen=True)
class InboxEvent:
    """One claimed event, as a worker sees it."""
    event_key: str
    channel: str
    payload: dict
    attempts: int            # including this one
    progress: str            # what the previous attempt had started ('' on a first attempt)
    received_at: str
    inquiry_id: int | None = None
    answer: object = None    # what the previous attempt was sending (JSON), if it got that far


class Inbox:
    """The one owner of the ``channel_inbox`` table."""

    def __init__(self, data_dir: str | Path, lease_seconds: float = DEFAULT_LEASE_SECONDS,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS):
        self.data_dir = Path(data_dir)
        self.lease_seconds = float(lease_seconds)
        self.max_attempts = int(max_attempts)
        self._host = socket.gethostname()
        self._lock = threading.Lock()
        self._db = None

    # --- connection ---------------------------------------------------------------------------
    def _database(self):
        if self._db is None:
            self._db = storage_for(self.data_dir).connect()
        return self._db

    @contextlib.contextmanager
    def _transaction(self):
        with self._lock:
            db = self._database()
            try:
                with db.transaction():
                    yield db
            except DATABASE_ERRORS:
                self._forget_connection()  # reopened on the next call (a replaced or broken file)
                raise

    def _forget_connection(self):
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None

    def close(self):
        with self._lock:
            self._forget_connection()

    # --- the webhook side ---------------------------------------------------------------------
    def add(self, events: list[tuple[str, str, dict]]) -> list[bool]:
        """Store ``(event_key, channel, payload)`` events in one transaction.

        Returns, per event, True when it is new and False for a redelivery of an event already
        stored (pending, answering, done or failed): a redelivery inserts nothing. Raises
        a database error (``indexing.storage.DATABASE_ERRORS``) when nothing could be stored (the webhook must then not answer 200).
        """
        if not events:
            return []
        now = utc_now()
        inserted: set[str] = set()
        with self._transaction() as db:
            # One statement per chunk, not one per event: a round trip each (to a busy server).
            for start in range(0, len(events), ADD_CHUNK):
                chunk = events[start:start + ADD_CHUNK]
                params = [value for event_key, channel, payload in chunk
                          for value in (event_key, channel, _encode(payload), now, now)]
                rows = db.execute(
                    "insert into channel_inbox (event_key, channel, payload, received_at, updated_at) "
                    f"values {', '.join(['(?, ?, ?, ?, ?)'] * len(chunk))} "
                    "on conflict (event_key) do nothing returning event_key", params).rows
                inserted.update(row["event_key"] for row in rows)
        added = []
        for event_key, _, _ in events:  # an event listed twice is new only the first time
            added.append(event_key in inserted)
            inserted.discard(event_key)
        return added

    # --- the worker side ----------------------------------------------------------------------
    def claim(self, owner: str, limit: int = 8, channels: tuple[str, ...] | None = None) -> list[InboxEvent]:
        """Lease up to ``limit`` events to ``owner``, oldest first: pending ones whose backoff is
        over, and ``answering`` ones whose lease expired or whose owner process is gone."""
        if limit <= 0:
            return []
        now = time.time()
        with self._transaction() as db:
            where, params = "", []
            if channels:
                where = f" and channel in ({', '.join('?' * len(channels))})"
                params = list(channels)
            rows = db.execute(
                "select event_key, channel, payload, state, attempts, lease_owner, lease_until, progress, "
                "answer, received_at, inquiry_id from channel_inbox "
                # Only rows that may be claimable: pending ones, and answering ones whose lease
                # expired or whose owner was another process of this host (checked below: it may
                # have died). Leases of this process are left out, so they never hide pending events.
                "where not_before <= ? and (state = 'pending' or (state = 'answering' and "
                "(coalesce(lease_until, 0) <= ? or (lease_owner like ? and lease_owner not like ?))))"
                f"{where} "
                # Events an attempt had started sending first: whether the platform has the
                # answer is easiest to tell soon (a LINE reply token is valid about a minute).
                "order by progress = '', received_at, event_key limit ?" + db.dialect.skip_locked,
                [now, now, f"{self._host}:%", f"{self._host}:{os.getpid()}:%", *params, max(limit * 4, 32)]).rows
            claimed = []
            for row in rows:
                if len(claimed) >= limit:
                    break
                if row["state"] == ANSWERING and (row["lease_until"] or 0) > now \
                        and not _owner_is_dead(row["lease_owner"], self._host):
                    continue  # someone is answering it right now
                attempts = row["attempts"] + 1
                db.execute("update channel_inbox set state = 'answering', attempts = ?, lease_owner = ?, "
                           "lease_until = ?, updated_at = ? where event_key = ?",
                           [attempts, owner, now + self.lease_seconds, utc_now(), row["event_key"]])
                claimed.append(InboxEvent(row["event_key"], row["channel"], _json(row["payload"], {}), attempts,
                                          row["progress"] or "", row["received_at"], row["inquiry_id"],
                                          _json(row["answer"], None)))
        return claimed

    def mark_progress(self, event_key: str, progress: str, inquiry_id: int | None = None, answer=None):
        """Record, before calling the platform, what this attempt is about to send (``answer``:
        the rendered messages as JSON-able data; None keeps what is stored)."""
        encoded = None if answer is None else _encode(answer)
        with self._transaction() as db:
            db.execute("update channel_inbox set progress = ?, inquiry_id = coalesce(?, inquiry_id), "
                       "answer = coalesce(?, answer), updated_at = ? where event_key = ?",
                       [progress, inquiry_id, encoded, utc_now(), event_key])

    def finish(self, event_key: str, outcome: str, inquiry_id: int | None = None):
        """The platform accepted the answer: done, and the payload (personal data) is dropped."""
        self._close(event_key, DONE, outcome, inquiry_id)

    def fail(self, event_key: str, outcome: str, inquiry_id: int | None = None):
        """A permanent failure (the platform refused the request): recorded, never retried."""
        self._close(event_key, FAILED, outcome, inquiry_id)

    def _close(self, event_key: str, state: str, outcome: str, inquiry_id: int | None):
        now = utc_now()
        with self._transaction() as db:
            db.execute("update channel_inbox set state = ?, payload = null, answer = null, outcome = ?, "
                       "inquiry_id = coalesce(?, inquiry_id), lease_owner = null, lease_until = null, "
                       "updated_at = ?, finished_at = ? where event_key = ?",
                       [state, outcome, inquiry_id, now, now, event_key])

    def retry(self, event_key: str, outcome: str, delay_seconds: float, progress: str | None = None) -> bool:
        """Give the event back for another attempt after ``delay_seconds``.

        Returns False when the event has had its ``max_attempts`` and was failed instead.
        ``progress`` resets what the next attempt assumes was sent (None keeps it).
        """
        now = utc_now()
        with self._transaction() as db:
            row = db.execute("select attempts from channel_inbox where event_key = ?" + db.dialect.for_update,
                             [event_key]).first()
            if row is None:
                return False
            if row["attempts"] >= self.max_attempts:
                db.execute("update channel_inbox set state = 'failed_permanent', payload = null, answer = null, "
                           "outcome = ?, lease_owner = null, lease_until = null, updated_at = ?, finished_at = ? "
                           "where event_key = ?", [f"{outcome}; gave up after {row['attempts']} attempts",
                                                   now, now, event_key])
                return False
            db.execute("update channel_inbox set state = 'pending', outcome = ?, not_before = ?, "
                       "progress = coalesce(?, progress), lease_owner = null, lease_until = null, updated_at = ? "
                       "where event_key = ?", [outcome, time.time() + delay_seconds, progress, now, event_key])
        return True

    def release(self, owner: str):
        """Hand back every event ``owner`` holds (a graceful shutdown), for the next worker."""
        with self._transaction() as db:
            db.execute("update channel_inbox set state = 'pending', lease_owner = null, lease_until = null, "
                       "updated_at = ? where state = 'answering' and lease_owner = ?", [utc_now(), owner])

    def forget_finished(self, keep_days: float = DEFAULT_KEEP_DAYS) -> int:
        """Delete done and failed rows finished more than ``keep_days`` ago; returns how many."""
        cutoff = datetime.fromtimestamp(time.time() - keep_days * 86400, timezone.utc).isoformat(
            timespec="milliseconds")
        with self._transaction() as db:
            return db.execute("delete from channel_inbox where state in ('done', 'failed_permanent') "
                              "and finished_at < ?", [cutoff]).rowcount

    # --- reading ------------------------------------------------------------------------------
    def get(self, event_key: str) -> dict | None:
        with self._lock:
            return self._database().execute("select * from channel_inbox where event_key = ?", [event_key]).first()

    def counts(self) -> dict[str, int]:
        """Events per state (every state present, zero included)."""
        with self._lock:
            rows = self._database().execute("select state, count(*) as n from channel_inbox group by state").rows
            found = {row["state"]: row["n"] for row in rows}
        return {state: found.get(state, 0) for state in STATES}

    def unfinished(self) -> int:
        counts = self.counts()
        return counts[PENDING] + counts[ANSWERING]

    def next_due(self) -> float | None:
        """Epoch seconds when the earliest waiting event becomes claimable, or None."""
        with self._lock:
            row = self._database().execute(
                "select min(coalesce(case when state = 'answering' then lease_until end, not_before)) as due "
                "from channel_inbox where state in ('pending', 'answering')").first()
        return row["due"] if row and row["due"] is not None else None


def _encode(value) -> str:
    """JSON for a payload column. ASCII escapes keep a lone surrogate (\\ud800, which a client may
    send) storable: SQLite text must be valid UTF-8, and json.loads gives the same string back."""
    return json.dumps(value, ensure_ascii=True)
