"""Copy every table of one database into another: a one-host SQLite data dir moving to PostgreSQL.

    copy_database(storage_for("var"), storage_for("var", "postgresql:///madoguchi"))

The target is migrated first and must hold none of the rows copied (a fresh database); rows
keep their ids (identity sequences are moved past them) and their insertion order.
"""
from __future__ import annotations

from indexing.storage.factory import Storage

# Every table, parents before the rows that point at them; schema_version is the target's own.
TABLES = ("settings", "departments", "sources", "entries", "entry_history", "vectors",
          "inquiries", "review_status", "channel_inbox",
          "admin_users", "admin_sessions", "admin_login_failures", "admin_login_audit",
          "push_subscribers", "push_topics", "push_consent_events", "push_deliveries", "push_batches",
          "tickets", "ticket_outbox", "ticket_drafts")
# Tables whose ``id`` the target numbers itself (an identity column to move past the copied ids).
IDENTITY_TABLES = ("entry_history", "inquiries", "admin_login_failures", "admin_login_audit",
                   "push_consent_events", "push_deliveries", "tickets")
BATCH_ROWS = 1000


def copy_database(source: Storage, target: Storage) -> dict[str, int]:
    """Rows copied per table."""
    source_db, target_db = source.connect(), target.connect()
    copied = {}
    try:
        present = set(source_db.table_names())
        with target_db.transaction():
            for table in TABLES:
                if table not in present:
                    copied[table] = 0
                    continue
                columns = sorted(source_db.columns(table) & target_db.columns(table) - {"seq"})
                rows = source_db.execute(f"select {', '.join(columns)} from {table} "
                                         f"order by {source_db.dialect.row_order}").rows
                insert = (f"insert into {table} ({', '.join(columns)}) "
                          f"values ({', '.join('?' * len(columns))})")
                for start in range(0, len(rows), BATCH_ROWS):
                    target_db.executemany(insert, [[row[c] for c in columns] for row in rows[start:start + BATCH_ROWS]])
                copied[table] = len(rows)
                if table in IDENTITY_TABLES and target_db.dialect.is_postgres and rows:
                    target_db.execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(select max(id) from {table}))")
    finally:
        source_db.close()
        target_db.close()
    return copied
