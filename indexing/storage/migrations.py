"""Versioned schema migrations: ordered steps, applied once each, recorded in ``schema_version``.

Each step runs in its own transaction with its row in ``schema_version``, under a lock that
excludes every other process (``flock`` on SQLite, an advisory lock on PostgreSQL), so that
workers and hosts starting together apply it once. ``Storage.connect`` applies what is
missing; ``madoguchi migrate`` does the same and prints the versions.

Steps 1-5 are the schema of rounds 1 and 2 per table group, 7 the handoff's tickets as
they were first released (a data dir that already has them keeps its rows). On SQLite they are written to
also bring a data dir made before migrations existed up to date in place (tables created if
missing, columns added that older versions lacked); on PostgreSQL they create the tables.
A new step goes at the end of ``MIGRATIONS`` and is never edited once released.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from indexing.storage.connection import Database


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Database], None]


def _create(db: Database, statements: str):
    for statement in statements.split(";"):
        if statement.strip():
            db.execute(db.dialect.ddl(statement))


def _add_missing_columns(db: Database, table: str, columns: dict[str, str]) -> list[str]:
    """Columns a table made by an older version lacks (SQLite data dirs from before migrations)."""
    present = db.columns(table)
    added = []
    for name, declaration in columns.items():
        if name not in present:
            db.execute(f"alter table {table} add column {name} {db.dialect.ddl(declaration)}")
            added.append(name)
    return added


def _typed(db: Database, columns: dict[str, type], skip=()) -> dict[str, str]:
    return {name: db.dialect.type_of(kind) for name, kind in columns.items() if name not in skip}


# --- 1: knowledge -----------------------------------------------------------------------------
def _knowledge(db: Database):
    from indexing.storage.knowledge import ENTRY_COLUMNS

    not_null = {"kind", "title", "body"}
    columns = ", ".join(f"{name} {db.dialect.type_of(kind)}" + (" not null" if name in not_null else "")
                        for name, kind in ENTRY_COLUMNS.items() if name != "id")
    _create(db, f"""
        create table if not exists entries ({{order}} id text primary key, {columns});
        create index if not exists idx_entries_status_audience on entries (status, audience);
        create index if not exists idx_entries_source on entries (source);
        create table if not exists entry_history (
            id {{id}}, entry_id text, changed_at text, changed_by text, action text, before text, after text);
        create index if not exists idx_entry_history_entry_id on entry_history (entry_id);
        create table if not exists vectors (
            model text not null, text_hash text not null, vector {{blob}}, primary key (model, text_hash));
        create table if not exists sources (path text primary key, sha256 text, imported_at text, entries {{int}},
            root text);
        create table if not exists settings (key text primary key, value text);
        create table if not exists departments ({{order}} name text primary key, data text)
    """)
    _add_missing_columns(db, "entries", _typed(db, ENTRY_COLUMNS))
    _add_missing_columns(db, "sources", {"root": "text"})


# --- 2: inquiries and the review queue ----------------------------------------------------------
def _inquiries(db: Database):
    from indexing.storage.inquiries import INQUIRY_COLUMNS

    defaults = {"escalated": " default 0", "abstained": " default 0", "language": " default 'ja'"}
    columns = ", ".join(f"{name} {db.dialect.type_of(kind)}{defaults.get(name, '')}"
                        for name, kind in INQUIRY_COLUMNS.items() if name != "id")
    _create(db, f"""
        create table if not exists inquiries (id {{id}}, {columns});
        create index if not exists idx_inquiries_asked_at on inquiries (asked_at);
        create index if not exists idx_inquiries_channel on inquiries (channel);
        create table if not exists review_status (
            inquiry_id {{int}} primary key, resolution text, entry_id text, reviewed_by text, reviewed_at text)
    """)
    added = _add_missing_columns(db, "inquiries", _typed(db, INQUIRY_COLUMNS, skip=("id",)))
    if "language" in added:  # every question was Japanese before languages were told apart
        db.execute("update inquiries set language = 'ja' where language is null")
    # Unique but NULL-tolerant: rows from before record_key existed keep NULL.
    db.execute("create unique index if not exists idx_inquiries_record_key on inquiries (record_key)")


# --- 3: the event inbox -----------------------------------------------------------------------
def _inbox(db: Database):
    _create(db, """
        create table if not exists channel_inbox (
            event_key   text primary key,
            channel     text not null,
            payload     text,
            state       text not null default 'pending',
            attempts    {int} not null default 0,
            lease_owner text,
            lease_until {real},
            not_before  {real} not null default 0,
            progress    text not null default '',
            answer      text,
            outcome     text not null default '',
            inquiry_id  {int},
            received_at text not null,
            updated_at  text not null,
            finished_at text);
        create index if not exists idx_channel_inbox_todo on channel_inbox (state, not_before, received_at)
    """)
    _add_missing_columns(db, "channel_inbox", {"answer": "text"})


# --- 4: admin accounts ------------------------------------------------------------------------
def _accounts(db: Database):
    _create(db, """
        create table if not exists admin_users (
            name text primary key, role text, password_hash text, created_at text, updated_at text);
        create table if not exists admin_sessions (
            token_hash text primary key, "user" text, csrf_token text, created_at text, last_seen text,
            expires_at text);
        create index if not exists idx_admin_sessions_user on admin_sessions ("user");
        create table if not exists admin_login_failures (id {id}, key text, failed_at text);
        create index if not exists idx_admin_login_failures_key_failed_at on admin_login_failures (key, failed_at);
        create table if not exists admin_login_audit (id {id}, at text, account text, client text, outcome text);
        create index if not exists idx_admin_login_audit_at on admin_login_audit (at)
    """)


# --- 5: LINE deliveries by interest -------------------------------------------------------------
def _outreach(db: Database):
    _create(db, """
        create table if not exists push_subscribers (
            user_id text primary key, area text, created_at text not null, updated_at text not null);
        create table if not exists push_topics (
            user_id text not null, topic text not null, consented_at text not null, primary key (user_id, topic));
        create index if not exists push_topics_by_topic on push_topics (topic, user_id);
        create table if not exists push_consent_events (
            id {id}, at text not null, topic text not null, action text not null);
        create table if not exists push_deliveries (
            id {id}, topics text not null, area text, text text not null,
            url text not null default '', scheduled_at text not null, state text not null, created_by text not null,
            created_at text not null, recipients {int}, planned_at text, finished_at text,
            note text not null default '');
        create index if not exists push_deliveries_by_state on push_deliveries (state, scheduled_at);
        create table if not exists push_batches (
            delivery_id {int} not null, number {int} not null, user_ids text not null, retry_key text not null,
            state text not null, attempts {int} not null default 0, http_status {int}, sent_at text,
            first_attempt_at text, primary key (delivery_id, number))
    """)


# --- 6: admin uploads between preview and apply ---------------------------------------------------
def _uploads(db: Database):
    _create(db, """
        create table if not exists admin_uploads (
            token text primary key, name text not null, uploaded_by text not null, uploaded_at {real} not null,
            options text not null, data {blob} not null);
        create index if not exists idx_admin_uploads_uploaded_at on admin_uploads (uploaded_at)
    """)


# --- 7: tickets of the handoff to staff ----------------------------------------------------------
def _tickets(db: Database):
    _create(db, """
        create table if not exists tickets (
            id            {id},
            state         text not null,
            channel       text not null,
            user_key      text not null,
            reply_to      text not null default '',
            question      text not null,
            category      text not null default '',
            department    text not null default '',
            bot_answer    text not null default '',
            bot_declined  {int} not null default 0,
            language      text not null default 'ja',
            created_at    text not null,
            due_at        text not null,
            inquiry_id    {int} unique,
            slack_channel text not null default '',
            slack_ts      text not null default '',
            answer        text not null default '',
            answered_at   text not null default '',
            delivered_at  text not null default '',
            closed_at     text not null default '',
            reminded_at   text not null default '',
            rating        text not null default '',
            staff_minutes {real});
        create index if not exists idx_tickets_state_due on tickets (state, due_at);
        create index if not exists idx_tickets_thread on tickets (slack_channel, slack_ts);
        create index if not exists idx_tickets_created on tickets (created_at);
        create table if not exists ticket_outbox (ticket_id {int} primary key, text text not null);
        create table if not exists ticket_drafts (
            user_key    text primary key,
            inquiry_id  {int} not null,
            addition    text not null default '',
            created_at  text not null)
    """)


# --- 8: messages their senders took back ---------------------------------------------------------
def _unsent(db: Database):
    # A database at step 7 has no message_key (step 2 adds it only to a new one).
    _add_missing_columns(db, "inquiries", {"message_key": "text"})
    # When a LINE user's area was chosen: an unfollow handled late drops an area chosen before it.
    _add_missing_columns(db, "push_subscribers", {"area_at": "text"})
    _create(db, """
        create index if not exists idx_inquiries_message_key on inquiries (message_key);
        create table if not exists unsent_messages (message_key text primary key, unsent_at text not null)
    """)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "knowledge: entries, entry history, vectors, sources, settings, departments", _knowledge),
    Migration(2, "inquiry log and review status", _inquiries),
    Migration(3, "event inbox of LINE and Slack events", _inbox),
    Migration(4, "admin accounts, sessions, login failures and audit", _accounts),
    Migration(5, "LINE subscriptions, consent events, deliveries and batches", _outreach),
    Migration(6, "admin uploads between their preview and their apply (any host may apply)", _uploads),
    Migration(7, "tickets of the handoff to staff, held web chat answers, drafts not yet confirmed", _tickets),
    Migration(8, "inquiries keyed by the message that asked them, messages taken back before being logged, "
                 "when a LINE user's area was chosen", _unsent),
)
LATEST = MIGRATIONS[-1].version

_VERSION_TABLE = """create table if not exists schema_version (
    version {int} primary key, description text not null, applied_at text not null)"""


def schema_version(db: Database) -> int:
    """The version a database is at (0: never migrated, or empty)."""
    if "schema_version" not in db.table_names():
        return 0
    return int(db.value("select coalesce(max(version), 0) as v from schema_version", default=0) or 0)


def apply_migrations(storage, db: Database) -> tuple[int, int]:
    """Apply every missing step, in order; (version before, version after). Idempotent."""
    from indexing.storage.locks import named_lock

    with named_lock(storage, "migrate"):
        before = schema_version(db)
        if before >= LATEST:
            return before, before
        with db.transaction():
            db.execute(db.dialect.ddl(_VERSION_TABLE))
        for step in MIGRATIONS:
            if step.version <= before:
                continue
            with db.transaction():
                step.apply(db)
                db.execute("insert into schema_version (version, description, applied_at) values (?, ?, ?)",
                           [step.version, step.description,
                            datetime.now(timezone.utc).isoformat(timespec="seconds")])
        return before, schema_version(db)


def applied_steps(db: Database) -> list[dict]:
    if "schema_version" not in db.table_names():
        return []
    return list(db.query("select version, description, applied_at from schema_version order by version"))
