"""Versioned migrations: a fresh database, a rerun, the CLI, and a data dir from before migrations."""
import sqlite3
import subprocess
import sys
from pathlib import Path

from channels.cli import main
from indexing.storage import storage_for
from indexing.storage.migrations import LATEST, MIGRATIONS, applied_steps, apply_migrations, schema_version

ROOT = Path(__file__).resolve().parents[3]
OWNED_TABLES = {"entries", "entry_history", "vectors", "sources", "settings", "departments", "inquiries",
                "review_status", "channel_inbox", "admin_users", "admin_sessions", "admin_login_failures",
                "admin_login_audit", "push_subscribers", "push_topics", "push_consent_events", "push_deliveries",
                "push_batches", "admin_uploads", "tickets", "ticket_outbox", "ticket_drafts", "schema_version"}


def test_steps_are_numbered_in_order():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST == MIGRATIONS[-1].version


def test_a_new_database_is_migrated_on_first_use_and_only_once(empty_backend_data_dir):
    storage = storage_for(empty_backend_data_dir)
    assert not storage.exists()
    db = storage.connect()
    assert storage.exists()
    assert schema_version(db) == LATEST
    assert OWNED_TABLES <= set(db.table_names())
    assert [s["version"] for s in applied_steps(db)] == [m.version for m in MIGRATIONS]
    assert apply_migrations(storage, db) == (LATEST, LATEST)  # idempotent
    assert len(applied_steps(db)) == len(MIGRATIONS)


def test_migrate_command_prints_the_version_before_and_after(empty_backend_data_dir, capsys):
    assert main(["--data-dir", str(empty_backend_data_dir), "migrate"]) == 0
    out = capsys.readouterr().out
    assert "schema version before: 0" in out and f"schema version after: {LATEST}" in out
    assert all(f"applied {m.version}: {m.description}" in out for m in MIGRATIONS)
    assert main(["--data-dir", str(empty_backend_data_dir), "migrate"]) == 0
    out = capsys.readouterr().out
    assert f"schema version before: {LATEST}" in out and "(up to date)" in out and "applied" not in out
    assert "password" not in out.lower()


def test_migrate_command_reads_the_database_url_from_the_environment(postgres_url, tmp_path):
    """What an operator runs: only MADOGUCHI_DATABASE_URL says where the database is."""
    env = {"PATH": "/usr/bin:/bin", "MADOGUCHI_DATABASE_URL": postgres_url, "MADOGUCHI_EMBEDDER": "hashing"}
    result = subprocess.run([sys.executable, "-m", "channels.cli", "--data-dir", str(tmp_path), "migrate"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "database: PostgreSQL" in result.stdout and f"schema version after: {LATEST}" in result.stdout
    assert not (tmp_path / "madoguchi.db").exists()  # nothing went to SQLite


def test_a_bad_database_url_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_DATABASE_URL", "mysql://somewhere/db")
    assert main(["--data-dir", str(tmp_path), "migrate"]) == 2
    assert "MADOGUCHI_DATABASE_URL" in capsys.readouterr().err


def _round_two_database(path: Path):
    """A data dir's database as rounds 1 and 2 left it: tables made by each class on first use
    (sqlite-utils' layout), no schema_version, and columns that later versions added missing."""
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE [entries] ([id] TEXT PRIMARY KEY, [kind] TEXT NOT NULL, [title] TEXT NOT NULL,
            [body] TEXT NOT NULL, [source] TEXT, [audience] TEXT, [status] TEXT, [content_hash] TEXT,
            [terms] TEXT, [reading_grams] TEXT);
        CREATE TABLE [sources] ([path] TEXT PRIMARY KEY, [sha256] TEXT, [imported_at] TEXT, [entries] INTEGER);
        CREATE TABLE [settings] ([key] TEXT PRIMARY KEY, [value] TEXT);
        CREATE TABLE [inquiries] ([id] INTEGER PRIMARY KEY, [asked_at] TEXT, [channel] TEXT, [audience] TEXT,
            [user_key] TEXT, [question] TEXT, [answer] TEXT, [answer_kind] TEXT, [abstained] INTEGER DEFAULT 0,
            [confidence] FLOAT, [entry_ids] TEXT, [category] TEXT, [department] TEXT, [latency_ms] FLOAT,
            [feedback] TEXT, [feedback_comment] TEXT, [feedback_at] TEXT, [escalated] INTEGER DEFAULT 0);
        CREATE TABLE channel_inbox (event_key text primary key, channel text not null, payload text,
            state text not null default 'pending', attempts integer not null default 0, lease_owner text,
            lease_until real, not_before real not null default 0, progress text not null default '',
            outcome text not null default '', inquiry_id integer, received_at text not null,
            updated_at text not null, finished_at text);
        INSERT INTO entries (id, kind, title, body, source, audience, status)
            VALUES ('faq-1', 'faq', '粗大ごみの出し方', '申し込みが必要です。', 'faq.csv', 'all', 'active');
        INSERT INTO sources VALUES ('faq.csv', 'abc', '2026-01-01T00:00:00+00:00', 1);
        INSERT INTO settings VALUES ('knowledge_version', '7');
        INSERT INTO inquiries (asked_at, channel, audience, question, answer_kind, abstained)
            VALUES ('2026-10-01T00:15:00+00:00', 'line', 'citizen', '粗大ごみは？', 'answer', 0);
        INSERT INTO channel_inbox (event_key, channel, state, received_at, updated_at)
            VALUES ('line:01OLD', 'line', 'done', '2026-10-01T00:15:00+00:00', '2026-10-01T00:15:00+00:00');
    """)
    db.commit()
    db.close()


def test_a_data_dir_from_before_migrations_upgrades_in_place(tmp_path):
    _round_two_database(tmp_path / "madoguchi.db")
    storage = storage_for(tmp_path, "")
    db = storage.connect(migrate=False)
    assert schema_version(db) == 0
    assert apply_migrations(storage, db) == (0, LATEST)
    assert {"record_key", "language"} <= db.columns("inquiries")
    assert "answer" in db.columns("channel_inbox") and "root" in db.columns("sources")
    assert {"translations", "easy_japanese", "modified_at"} <= db.columns("entries")
    # Nothing lost, old rows read as before (their questions were Japanese).
    [inquiry] = db.execute("select question, language, record_key from inquiries").rows
    assert inquiry == {"question": "粗大ごみは？", "language": "ja", "record_key": None}
    assert db.value("select value from settings where key = 'knowledge_version'") == "7"
    assert db.value("select title from entries where id = 'faq-1'") == "粗大ごみの出し方"
    assert db.value("select state from channel_inbox where event_key = 'line:01OLD'") == "done"

    from indexing.storage.inquiries import InquiryTables
    from indexing.storage.knowledge import KnowledgeStore

    store = KnowledgeStore(tmp_path)
    assert store.knowledge_version() == 7 and store.get("faq-1").title == "粗大ごみの出し方"
    assert InquiryTables(tmp_path).count() == 1


def test_a_restored_database_file_is_migrated_again(tmp_path):
    """Each new SQLite connection checks the version: an operator may have put back an old file."""
    storage = storage_for(tmp_path, "")
    storage.connect().close()
    (tmp_path / "madoguchi.db").unlink()
    _round_two_database(tmp_path / "madoguchi.db")
    db = storage.connect()
    assert schema_version(db) == LATEST and "language" in db.columns("inquiries")


def test_an_unreachable_database_server_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_DATABASE_URL", f"postgresql://madoguchi:secret@/madoguchi?host={tmp_path}/nowhere")
    assert main(["--data-dir", str(tmp_path), "migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("madoguchi: error: database unavailable: ") and len(err.strip().splitlines()) == 1
    assert "secret" not in err
