"""Connections: one small interface over a SQLite file or a PostgreSQL pool.

Owners speak to a ``Database``::

    db.execute(sql, params)        -> Result (rows as dicts, rowcount)
    db.query(sql, params)          -> iterator of dicts (as sqlite-utils' ``Database.query``)
    db.executemany(sql, rows)
    with db.transaction(): ...     one write transaction (nested calls join it)
    with db.transaction(snapshot=True): ...   a consistent read of several statements

SQLite: one connection per owner (WAL, ``isolation_level=None``, sqlite-utils kept for
introspection and ad-hoc use); a write transaction is ``begin immediate``. PostgreSQL: every
owner of a process borrows from one ``psycopg_pool.ConnectionPool`` per URL; outside a
transaction each statement autocommits, inside one the thread keeps its connection.
"""
from __future__ import annotations

import atexit
import contextlib
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from indexing.storage.dialect import POSTGRES, SQLITE, Dialect

DATABASE_FILE = "madoguchi.db"
SQLITE_BUSY_TIMEOUT_MS = 30000
POOL_MAX_SIZE = 16

try:  # PostgreSQL support is only needed when MADOGUCHI_DATABASE_URL names a server
    import psycopg
    from psycopg.rows import dict_row

    DATABASE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, psycopg.Error)
except ImportError:  # pragma: no cover
    psycopg = None
    DATABASE_ERRORS = (sqlite3.Error,)


def is_busy(exc: BaseException) -> bool:
    """True for a lock that is merely held by someone else (worth retrying, the connection is fine)."""
    if isinstance(exc, sqlite3.OperationalError):
        return any(word in str(exc).lower() for word in ("locked", "busy"))
    if psycopg is not None:
        from psycopg_pool import PoolTimeout

        return isinstance(exc, (psycopg.errors.LockNotAvailable, PoolTimeout))
    return False


@dataclass
class Result:
    rows: list[dict] = field(default_factory=list)
    rowcount: int = -1

    def first(self) -> dict | None:
        return self.rows[0] if self.rows else None


class Database:
    """What owners call; see the module docstring."""

    dialect: Dialect

    def query(self, sql: str, params=()):
        return iter(self.execute(sql, params).rows)

    def value(self, sql: str, params=(), default=None):
        """The first column of the first row (``default`` when there is none)."""
        row = self.execute(sql, params).first()
        return default if row is None else next(iter(row.values()))


class SQLiteDatabase(Database):
    dialect = SQLITE

    def __init__(self, path: Path, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS):
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, check_same_thread=False,
                                     isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            connection.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            connection.close()
            raise
        self.path = path
        self.conn = connection
        self.sqlite_utils = sqlite_utils.Database(connection)
        self._depth = threading.local()

    def execute(self, sql: str, params=()) -> Result:
        cursor = self.conn.execute(sql, list(params) if not isinstance(params, dict) else params)
        if cursor.description is None:
            return Result([], cursor.rowcount)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
        return Result(rows, cursor.rowcount)

    def executemany(self, sql: str, rows) -> None:
        self.conn.executemany(sql, rows)

    @contextlib.contextmanager
    def transaction(self, snapshot: bool = False, lock_timeout_ms: int | None = None):
        depth = getattr(self._depth, "n", 0)
        if depth:
            self._depth.n = depth + 1
            try:
                yield self
            finally:
                self._depth.n = depth
            return
        self.conn.execute("begin" if snapshot else "begin immediate")
        self._depth.n = 1
        try:
            yield self
        except BaseException:
            with contextlib.suppress(Exception):
                self.conn.execute("rollback")
            raise
        else:
            self.conn.execute("commit")
        finally:
            self._depth.n = 0

    def table_names(self) -> list[str]:
        return self.sqlite_utils.table_names()

    def columns(self, table: str) -> set[str]:
        return set(self.sqlite_utils[table].columns_dict) if table in self.table_names() else set()

    def close(self):
        with contextlib.suppress(Exception):
            self.conn.close()


class PostgresDatabase(Database):
    dialect = POSTGRES

    def __init__(self, pool, wait_ms: int = SQLITE_BUSY_TIMEOUT_MS):
        self.pool = pool
        # How long to wait for a free pooled connection (the inquiry log waits briefly, then spools).
        self.wait_seconds = wait_ms / 1000
        self._local = threading.local()

    @contextlib.contextmanager
    def _connection(self):
        held = getattr(self._local, "conn", None)
        if held is not None:
            yield held
            return
        with self.pool.connection(timeout=self.wait_seconds) as conn:
            yield conn

    def execute(self, sql: str, params=()) -> Result:
        with self._connection() as conn:
            cursor = conn.execute(POSTGRES.to_driver(sql), _adapt(params))
            rows = cursor.fetchall() if cursor.description is not None else []
            return Result(rows, cursor.rowcount)

    def executemany(self, sql: str, rows) -> None:
        rows = [_adapt(r) for r in rows]
        if not rows:
            return
        with self._connection() as conn, conn.cursor() as cursor:
            cursor.executemany(POSTGRES.to_driver(sql), rows)

    @contextlib.contextmanager
    def transaction(self, snapshot: bool = False, lock_timeout_ms: int | None = None):
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with self.pool.connection(timeout=self.wait_seconds) as conn:
            with conn.transaction():
                if snapshot:
                    conn.execute("set transaction isolation level repeatable read")
                if lock_timeout_ms:
                    conn.execute(f"set local lock_timeout = {int(lock_timeout_ms)}")
                self._local.conn = conn
                try:
                    yield self
                finally:
                    self._local.conn = None

    def table_names(self) -> list[str]:
        return [r["table_name"] for r in self.query(
            "select table_name from information_schema.tables where table_schema = current_schema()")]

    def columns(self, table: str) -> set[str]:
        return {r["column_name"] for r in self.query(
            "select column_name from information_schema.columns where table_schema = current_schema() "
            "and table_name = ?", [table])}

    def close(self):
        """The pool is shared by every owner of the process; ``close_pools`` ends it."""


def where_clause(conditions) -> tuple[str, list]:
    """`` where a and b`` (or ``""``) and its parameters, from (condition with one ``?``, value) pairs;
    a pair whose value is empty (a filter not asked for) is left out."""
    used = [(condition, value) for condition, value in conditions if value]
    clause = " where " + " and ".join(condition for condition, _ in used) if used else ""
    return clause, [value for _, value in used]


def _adapt(params) -> list:
    """Booleans are stored as 0/1 integers on both backends (SQLite has no boolean type)."""
    return [int(p) if isinstance(p, bool) else p for p in params]


# --- PostgreSQL pools, one per URL per process ------------------------------------------------
_pools: dict[str, object] = {}
_pools_lock = threading.Lock()


def postgres_pool(url: str):
    if psycopg is None:  # pragma: no cover
        raise RuntimeError("MADOGUCHI_DATABASE_URL names PostgreSQL: install psycopg[binary] and psycopg-pool")
    from psycopg_pool import ConnectionPool

    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            # One plain connection first: a server that cannot be reached fails here at once with
            # libpq's own message, instead of the pool retrying in the background for 30 s.
            psycopg.connect(url, connect_timeout=10).close()
            pool = ConnectionPool(url, min_size=1, max_size=POOL_MAX_SIZE, open=False, timeout=30,
                                  kwargs={"autocommit": True, "row_factory": dict_row})
            pool.open(wait=True, timeout=30)
            _pools[url] = pool
        return pool


def close_pool(url: str):
    with _pools_lock:
        pool = _pools.pop(url, None)
    if pool is not None:
        pool.close()


@atexit.register
def close_pools():
    for url in list(_pools):
        close_pool(url)


def postgres_connect(url: str):
    """A connection of its own (advisory locks are held on one for as long as they last)."""
    return psycopg.connect(url, autocommit=True, row_factory=dict_row)
