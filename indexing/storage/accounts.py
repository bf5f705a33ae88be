"""Admin accounts, server-side sessions, login failures and the login audit.

``channels.admin.accounts.AccountStore`` holds the policy (password hashing, throttling, who
may do what); this owner holds the statements. ``admin_sessions.user`` is quoted: ``user`` is
a reserved word in PostgreSQL.
"""
from __future__ import annotations

from pathlib import Path

from indexing.storage.connection import Database
from indexing.storage.factory import storage_for


class AccountTables:
    def __init__(self, data_dir: str | Path):
        self.db: Database = storage_for(data_dir).connect()

    # --- users ----------------------------------------------------------------------------------
    def insert_user(self, name: str, role: str, password_hash: str, at: str) -> bool:
        """False when the name is taken."""
        return self.db.execute(
            "insert into admin_users (name, role, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?) "
            "on conflict (name) do nothing", [name, role, password_hash, at, at]).rowcount == 1

    def set_password_hash(self, name: str, password_hash: str, at: str) -> None:
        self.db.execute("update admin_users set password_hash = ?, updated_at = ? where name = ?",
                        [password_hash, at, name])

    def set_role(self, name: str, role: str, at: str) -> None:
        self.db.execute("update admin_users set role = ?, updated_at = ? where name = ?", [role, at, name])

    def delete_user(self, name: str) -> bool:
        return self.db.execute("delete from admin_users where name = ?", [name]).rowcount > 0

    def user(self, name: str) -> dict | None:
        """``name``, ``role`` and ``password_hash`` of a user."""
        return self.db.execute("select name, role, password_hash from admin_users where name = ?", [name]).first()

    def users(self) -> list[dict]:
        return self.db.execute("select name, role from admin_users order by name").rows

    # --- sessions -------------------------------------------------------------------------------
    def insert_session(self, token_hash: str, user: str, csrf_token: str, at: str, expires_at: str) -> None:
        with self.db.transaction():
            self.db.execute('insert into admin_sessions (token_hash, "user", csrf_token, created_at, last_seen, '
                            'expires_at) values (?, ?, ?, ?, ?, ?)', [token_hash, user, csrf_token, at, at, expires_at])
            self.db.execute("delete from admin_sessions where expires_at < ?", [at])

    def session(self, token_hash: str) -> dict | None:
        """The session row with its user's ``role`` (None when either is gone)."""
        return self.db.execute(
            'select s.*, u.role from admin_sessions s join admin_users u on u.name = s."user" '
            'where s.token_hash = ?', [token_hash]).first()

    def touch_session(self, token_hash: str, at: str) -> None:
        self.db.execute("update admin_sessions set last_seen = ? where token_hash = ?", [at, token_hash])

    def delete_session(self, token_hash: str) -> None:
        self.db.execute("delete from admin_sessions where token_hash = ?", [token_hash])

    def delete_sessions_of(self, user: str) -> None:
        self.db.execute('delete from admin_sessions where "user" = ?', [user])

    # --- login failures and audit -----------------------------------------------------------------
    def failures(self, key: str, since: str) -> tuple[int, str | None]:
        """(failures of ``key`` since ``since``, the last one's time)."""
        row = self.db.execute("select count(*) as n, max(failed_at) as last from admin_login_failures "
                              "where key = ? and failed_at >= ?", [key, since]).first()
        return int(row["n"]), row["last"]

    def record_failures(self, keys: list[str], at: str, forget_before: str) -> None:
        with self.db.transaction():
            self.db.executemany("insert into admin_login_failures (key, failed_at) values (?, ?)",
                                [(key, at) for key in keys])
            self.db.execute("delete from admin_login_failures where failed_at < ?", [forget_before])

    def clear_failures(self, key: str) -> None:
        self.db.execute("delete from admin_login_failures where key = ?", [key])

    def audit(self, row: dict) -> None:
        self.db.execute("insert into admin_login_audit (at, account, client, outcome) values (?, ?, ?, ?)",
                        [row["at"], row["account"], row["client"], row["outcome"]])

    def login_audit(self, limit: int) -> list[dict]:
        return self.db.execute("select at, account, client, outcome from admin_login_audit "
                               "order by id desc limit ?", [limit]).rows
