"""``OutreachBook``: the one owner of the LINE delivery tables (subscriptions, deliveries, batches).

It lives in the storage layer because it is nothing but the
statements on these tables; the delivery engine (``bot.outreach.delivery``) holds the policy.

Why the raw LINE user id is stored here, when the inquiry log keeps only keyed hashes:
sending a multicast needs the platform id itself, and a hash cannot be reversed. The
ids are kept only while the citizen wants deliveries: 配信停止 removes the topics, an
unfollow removes every row of that user. The consent log (``push_consent_events``) keeps
counts for the report and never a user id. Batches keep the ids they were sent to,
because a batch interrupted by a crash must be resent to exactly the same ids with the
same retry key (LINE then answers 409 instead of sending twice).

    book = OutreachBook(data_dir)
    book.toggle_topic("U123…", "bousai")          # -> {"bousai"}
    delivery = book.create_delivery(["bousai"], None, "避難所を開設しました。", "", now_utc(), "cli")
"""
from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from indexing.storage.factory import storage_for
from indexing.storage.locks import named_lock

# Delivery states. A delivery is "sending" from the moment its batches are planned until
# every batch is sent, skipped or failed.
SCHEDULED, SENDING, SENT, FAILED, CANCELLED = "scheduled", "sending", "sent", "failed", "cancelled"
DELIVERY_STATES = (SCHEDULED, SENDING, SENT, FAILED, CANCELLED)
# Batch states: planned (never attempted), attempting (at least one attempt made, outcome
# unknown or retryable), sent (LINE accepted it), skipped (nobody left after 配信停止), failed.
PLANNED, ATTEMPTING, BATCH_SENT, SKIPPED, BATCH_FAILED = "planned", "attempting", "sent", "skipped", "failed"
OPEN_BATCH_STATES = (PLANNED, ATTEMPTING)
MULTICAST_LIMIT = 500   # user ids per LINE multicast call

def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    """One sortable text form for every stored time (UTC), so SQL can compare them."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Delivery:
    id: int
    topics: tuple[str, ...]
    area: str | None
    text: str
    url: str
    scheduled_at: datetime
    state: str
    created_by: str
    created_at: datetime
    recipients: int | None
    note: str = ""

    @classmethod
    def from_row(cls, row: dict) -> "Delivery":
        return cls(row["id"], tuple(json.loads(row["topics"])), row["area"], row["text"], row["url"],
                   parse_time(row["scheduled_at"]), row["state"], row["created_by"], parse_time(row["created_at"]),
                   row["recipients"], row["note"])


@dataclass(frozen=True)
class Batch:
    delivery_id: int
    number: int
    user_ids: tuple[str, ...]
    retry_key: str
    state: str
    attempts: int
    http_status: int | None
    sent_at: str | None
    first_attempt_at: datetime | None = None

    @classmethod
    def from_row(cls, row: dict) -> "Batch":
        first = row.get("first_attempt_at")
        return cls(row["delivery_id"], row["number"], tuple(json.loads(row["user_ids"])), row["retry_key"],
                   row["state"], row["attempts"], row["http_status"], row["sent_at"], parse_time(first) if first else None)


class OutreachBook:
    def __init__(self, data_dir: str | Path):
        self.storage = storage_for(data_dir)
        self.db = self.storage.connect()
        self.lock = threading.RLock()

    @contextmanager
    def _transaction(self):
        with self.lock, self.db.transaction():
            yield

    def sending_lock(self):
        """Held by the one process delivering (yields False when another one is)."""
        return named_lock(self.storage, "push", wait=False)

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self.lock:
            return self.db.execute(sql, params).rows

    # --- subscriptions ------------------------------------------------------------------------
    def subscription(self, user_id: str) -> tuple[set[str], str | None]:
        """(topic keys, area) a user chose."""
        topics = {r["topic"] for r in self._rows("select topic from push_topics where user_id = ?", [user_id])}
        rows = self._rows("select area from push_subscribers where user_id = ?", [user_id])
        return topics, (rows[0]["area"] if rows else None)

    def _ensure_subscriber(self, user_id: str, at: str):
        self.db.execute("insert into push_subscribers (user_id, area, created_at, updated_at) "
                        "values (?, null, ?, ?) on conflict (user_id) do nothing", [user_id, at, at])

    def toggle_topic(self, user_id: str, topic: str, at: datetime | None = None) -> set[str]:
        """Subscribe to ``topic`` (recording the time of consent) or unsubscribe if already chosen."""
        stamp = _iso(at or now_utc())
        with self._transaction():
            self._ensure_subscriber(user_id, stamp)
            removed = self.db.execute("delete from push_topics where user_id = ? and topic = ?",
                                      [user_id, topic]).rowcount
            if not removed:
                self.db.execute("insert into push_topics (user_id, topic, consented_at) values (?, ?, ?)",
                                [user_id, topic, stamp])
            self.db.execute("insert into push_consent_events (at, topic, action) values (?, ?, ?)",
                            [stamp, topic, "unsubscribe" if removed else "subscribe"])
            self.db.execute("update push_subscribers set updated_at = ? where user_id = ?", [stamp, user_id])
        return self.subscription(user_id)[0]

    def subscribe(self, user_id: str, topics, area: str | None = None, at: datetime | None = None):
        """Set a user's topics at once (bulk loads, benchmarks); consent time ``at``."""
        stamp = _iso(at or now_utc())
        with self._transaction():
            self._ensure_subscriber(user_id, stamp)
            self.db.execute("update push_subscribers set area = ?, area_at = ?, updated_at = ? where user_id = ?",
                            [area, stamp, stamp, user_id])
            for topic in topics:
                self.db.execute("insert into push_topics (user_id, topic, consented_at) values (?, ?, ?) "
                                "on conflict (user_id, topic) do nothing", [user_id, topic, stamp])

    def subscribe_many(self, rows, at: datetime | None = None):
        """``rows`` of (user_id, topics, area) in one transaction (synthetic loads)."""
        stamp = _iso(at or now_utc())
        with self._transaction():
            for user_id, topics, area in rows:
                self.db.execute("insert into push_subscribers (user_id, area, area_at, created_at, updated_at) "
                                "values (?, ?, ?, ?, ?) on conflict (user_id) do update set area = excluded.area, "
                                "area_at = excluded.area_at, created_at = excluded.created_at, "
                                "updated_at = excluded.updated_at", [user_id, area, stamp, stamp, stamp])
                for topic in topics:
                    self.db.execute("insert into push_topics (user_id, topic, consented_at) values (?, ?, ?) "
                                    "on conflict (user_id, topic) do nothing", [user_id, topic, stamp])

    def set_area(self, user_id: str, area: str | None, at: datetime | None = None):
        stamp = _iso(at or now_utc())
        with self._transaction():
            self._ensure_subscriber(user_id, stamp)
            self.db.execute("update push_subscribers set area = ?, area_at = ?, updated_at = ? where user_id = ?",
                            [area, stamp, stamp, user_id])

    def stop_all(self, user_id: str, at: datetime | None = None) -> int:
        """配信停止: drop every topic (and the area) of the user; returns how many topics were dropped."""
        return self._drop(user_id, "stop", at)

    def forget(self, user_id: str, at: datetime | None = None, happened: datetime | None = None) -> int:
        """Unfollow (or blocked): remove every row that holds this user's id. An unfollow that ``happened``
        before a topic was chosen (a redelivery after the user followed again, or an old event sent again)
        keeps what was chosen since: the user came back and chose it."""
        return self._drop(user_id, "unfollow", at, happened)

    def _drop(self, user_id: str, action: str, at, happened: datetime | None = None) -> int:
        stamp = _iso(at or now_utc())
        with self._transaction():
            # Topics chosen after the unfollow happened (the user followed again and chose) stay, and so does the
            # subscriber; those chosen before it go.
            before = "" if happened is None else " and consented_at <= ?"
            params = [user_id] + ([] if happened is None else [_iso(happened)])
            topics = [r["topic"] for r in self._rows(f"select topic from push_topics where user_id = ?{before}", params)]
            self.db.execute(f"delete from push_topics where user_id = ?{before}", params)
            for topic in topics:
                self.db.execute("insert into push_consent_events (at, topic, action) values (?, ?, ?)",
                                [stamp, topic, action])
            if not self._rows("select 1 from push_topics where user_id = ?", [user_id]):
                self.db.execute("delete from push_subscribers where user_id = ?", [user_id])
            elif happened is not None:  # an area chosen before the unfollow goes with the topics of then
                self.db.execute("update push_subscribers set area = null, area_at = null "
                                "where user_id = ? and (area_at is null or area_at <= ?)", [user_id, _iso(happened)])
        return len(topics)

    def _audience_sql(self, topics, area: str | None) -> tuple[str, list]:
        marks = ",".join("?" for _ in topics)
        sql = (f"select distinct t.user_id from push_topics t join push_subscribers s on s.user_id = t.user_id "
               f"where t.topic in ({marks})")
        params = list(topics)
        if area:
            sql += " and s.area = ?"
            params.append(area)
        return sql, params

    def recipients(self, topics, area: str | None = None) -> list[str]:
        """User ids subscribed to any of ``topics`` (and living in ``area`` when given), sorted."""
        if not topics:
            return []
        sql, params = self._audience_sql(topics, area)
        return [r["user_id"] for r in self._rows(sql + " order by t.user_id", params)]

    def count_recipients(self, topics, area: str | None = None) -> int:
        if not topics:
            return 0
        sql, params = self._audience_sql(topics, area)
        return int(self._rows(f"select count(*) as n from ({sql}) as audience", params)[0]["n"])

    # --- deliveries ---------------------------------------------------------------------------
    def create_delivery(self, topics, area: str | None, text: str, url: str, scheduled_at: datetime,
                        created_by: str) -> Delivery:
        stamp = _iso(now_utc())
        with self.lock:
            created = self.db.execute(
                "insert into push_deliveries (topics, area, text, url, scheduled_at, state, created_by, created_at) "
                "values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [json.dumps(list(topics)), area or None, text, url or "", _iso(scheduled_at), SCHEDULED, created_by,
                 stamp]).first()
            return self.delivery(created["id"])

    def delivery(self, delivery_id: int) -> Delivery | None:
        rows = self._rows("select * from push_deliveries where id = ?", [delivery_id])
        return Delivery.from_row(rows[0]) if rows else None

    def deliveries(self, limit: int = 100) -> list[Delivery]:
        return [Delivery.from_row(r) for r in
                self._rows("select * from push_deliveries order by id desc limit ?", [limit])]

    def due(self, now: datetime | None = None) -> list[int]:
        """Deliveries to work on: those being sent (resume) first, then scheduled ones now due."""
        rows = self._rows("select id from push_deliveries where state = ? or (state = ? and scheduled_at <= ?) "
                          "order by state = ? desc, scheduled_at, id",
                          [SENDING, SCHEDULED, _iso(now or now_utc()), SENDING])
        return [r["id"] for r in rows]

    def cancel(self, delivery_id: int) -> bool:
        """Cancel a delivery that has not started; True if it was cancelled."""
        with self.lock:
            return self.db.execute("update push_deliveries set state = ?, finished_at = ? where id = ? and state = ?",
                                   [CANCELLED, _iso(now_utc()), delivery_id, SCHEDULED]).rowcount == 1

    def refuse(self, delivery_id: int, note: str):
        """A scheduled delivery that cannot be sent (quota): failed, nothing planned."""
        with self.lock:
            self.db.execute("update push_deliveries set state = ?, note = ?, finished_at = ? where id = ? and state = ?",
                            [FAILED, note, _iso(now_utc()), delivery_id, SCHEDULED])

    def plan(self, delivery_id: int, batch_size: int = MULTICAST_LIMIT) -> list[Batch]:
        """Split the recipients into batches, each with its retry key, once (idempotent).

        The retry key is generated here and stored, never at send time: a resumed delivery
        must reuse it so LINE can recognise a batch it already accepted.
        """
        if not 1 <= batch_size <= MULTICAST_LIMIT:
            raise ValueError(f"batch size must be 1..{MULTICAST_LIMIT}")
        with self._transaction():
            row = self.db.execute("select * from push_deliveries where id = ?" + self.db.dialect.for_update,
                                  [delivery_id]).first()
            if row is None:
                raise KeyError(delivery_id)
            if row["state"] == SCHEDULED:
                delivery = Delivery.from_row(row)
                sql, params = self._audience_sql(delivery.topics, delivery.area)
                ids = [r["user_id"] for r in self._rows(sql + " order by t.user_id", params)]
                for number, start in enumerate(range(0, len(ids), batch_size), start=1):
                    self.db.execute("insert into push_batches (delivery_id, number, user_ids, retry_key, state) "
                                    "values (?, ?, ?, ?, ?)",
                                    [delivery_id, number, json.dumps(ids[start:start + batch_size]),
                                     str(uuid.uuid4()), PLANNED])
                self.db.execute("update push_deliveries set state = ?, recipients = ?, planned_at = ? where id = ?",
                                [SENDING, len(ids), _iso(now_utc()), delivery_id])
        return self.batches(delivery_id)

    def batches(self, delivery_id: int) -> list[Batch]:
        return [Batch.from_row(r) for r in
                self._rows("select * from push_batches where delivery_id = ? order by number", [delivery_id])]

    def refilter_batch(self, delivery: Delivery, number: int) -> tuple[str, ...]:
        """Right before a batch's first attempt: drop ids that stopped deliveries since planning.

        Only a batch never attempted may shrink; one already attempted is resent as it was
        (same ids, same key), or LINE could not recognise it as the same request.
        """
        with self._transaction():
            row = self.db.execute("select * from push_batches where delivery_id = ? and number = ?"
                                  + self.db.dialect.for_update, [delivery.id, number]).first()
            batch = Batch.from_row(row)
            if batch.attempts or batch.state != PLANNED:
                return batch.user_ids
            sql, params = self._audience_sql(delivery.topics, delivery.area)
            marks = ",".join("?" for _ in batch.user_ids)
            still = {r["user_id"] for r in self._rows(
                f"select user_id from ({sql}) as audience where user_id in ({marks})",
                params + list(batch.user_ids))} if batch.user_ids else set()
            kept = tuple(u for u in batch.user_ids if u in still)
            if kept != batch.user_ids:
                self.db.execute("update push_batches set user_ids = ?, state = ? where delivery_id = ? and number = ?",
                                [json.dumps(list(kept)), PLANNED if kept else SKIPPED, delivery.id, number])
            return kept

    def record_attempt(self, delivery_id: int, number: int, at: datetime | None = None) -> int:
        """Count an attempt *before* calling the API (a crash after it means: resend, same key)."""
        with self.lock:
            self.db.execute("update push_batches set attempts = attempts + 1, state = ?, "
                            "first_attempt_at = coalesce(first_attempt_at, ?) where delivery_id = ? and number = ?",
                            [ATTEMPTING, _iso(at or now_utc()), delivery_id, number])
            return self._rows("select attempts from push_batches where delivery_id = ? and number = ?",
                              [delivery_id, number])[0]["attempts"]

    def record_outcome(self, delivery_id: int, number: int, state: str, http_status: int | None):
        with self.lock:
            self.db.execute("update push_batches set state = ?, http_status = ?, sent_at = ? "
                            "where delivery_id = ? and number = ?",
                            [state, http_status, _iso(now_utc()) if state == BATCH_SENT else None, delivery_id,
                             number])

    def finish_if_done(self, delivery_id: int) -> str | None:
        """Close a delivery whose batches are all settled; its final state, or None if not done."""
        with self._transaction():
            states = [r["state"] for r in self._rows("select state from push_batches where delivery_id = ?"
                                                     + self.db.dialect.for_update, [delivery_id])]
            if any(s in OPEN_BATCH_STATES for s in states):
                return None
            final = FAILED if BATCH_FAILED in states else SENT
            sent = sum(len(json.loads(r["user_ids"])) for r in self._rows(
                "select user_ids from push_batches where delivery_id = ? and state = ?", [delivery_id, BATCH_SENT]))
            failed = states.count(BATCH_FAILED)
            note = f"{sent} recipients reached" + (f", {failed} batches failed" if failed else "")
            self.db.execute("update push_deliveries set state = ?, finished_at = ?, note = ? where id = ? and state = ?",
                            [final, _iso(now_utc()), note, delivery_id, SENDING])
            return final

    # --- figures for the report ---------------------------------------------------------------
    def finished_deliveries(self, start: datetime, end: datetime) -> list[dict]:
        """Sent deliveries finished in [start, end): topics, finished_at and the recipients reached."""
        rows = []
        for row in self._rows("select id, topics, finished_at from push_deliveries where state = ? "
                              "and finished_at >= ? and finished_at < ? order by finished_at",
                              [SENT, _iso(start), _iso(end)]):
            reached = sum(len(json.loads(r["user_ids"])) for r in self._rows(
                "select user_ids from push_batches where delivery_id = ? and state = ?", [row["id"], BATCH_SENT]))
            rows.append({"topics": json.loads(row["topics"]), "finished_at": parse_time(row["finished_at"]),
                         "reached": reached})
        return rows

    def consent_counts(self, start: datetime, end: datetime) -> list[dict]:
        """Subscribe / opt-out events per hour (UTC, so that any time zone can bucket them), topic
        and action in [start, end)."""
        return self._rows("select substr(at, 1, 13) as hour, topic, action, count(*) as n from push_consent_events "
                          "where at >= ? and at < ? group by hour, topic, action", [_iso(start), _iso(end)])

    def subscriber_counts(self) -> dict[str, int]:
        """Citizens subscribed now, per topic."""
        return {r["topic"]: r["n"] for r in self._rows("select topic, count(*) as n from push_topics group by topic")}

