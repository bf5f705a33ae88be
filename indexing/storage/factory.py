"""The connection factory: which database a data dir's shared state lives in.

``MADOGUCHI_DATABASE_URL`` (``Settings.database_url``) decides: unset, the SQLite file
``madoguchi.db`` in the data dir, exactly as on one host; ``postgresql://...``, that server,
shared by every host. The entry points that hold the ``Settings`` (every CLI command, the
ASGI app, ``Bot.from_settings``) call ``use_settings``; from then on every owner opened for
that data dir in this process gets the same backend, without each caller passing the URL.

    storage = storage_for("var")             # SQLite unless a URL was bound to "var"
    db = storage.connect()                   # migrated to the latest schema on first use
    with named_lock(storage, "knowledge"): ...
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from indexing.storage.connection import (DATABASE_FILE, SQLITE_BUSY_TIMEOUT_MS, Database, PostgresDatabase,
                                         SQLiteDatabase, close_pool, postgres_pool)
from indexing.storage.dialect import POSTGRES, SQLITE, Dialect

_bound: dict[str, str] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


@dataclass(frozen=True)
class Storage:
    data_dir: Path
    url: str = ""                     # "" = SQLite in the data dir

    @property
    def dialect(self) -> Dialect:
        return POSTGRES if self.url else SQLITE

    @property
    def identity(self) -> str:
        """Names the database (locks and migration bookkeeping are per database)."""
        return self.url or str(self.data_dir.resolve() / DATABASE_FILE)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    def exists(self) -> bool:
        """Whether the database has been created yet (checking creates nothing)."""
        if not self.url:
            return self.sqlite_path.exists()
        db = PostgresDatabase(postgres_pool(self.url))
        return db.value("select to_regclass('schema_version') is not null as ok") is True

    def connect(self, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, migrate: bool = True) -> Database:
        """A ``Database`` on the current schema (migrations applied first when needed)."""
        from indexing.storage.migrations import LATEST, apply_migrations, schema_version

        if self.url:
            db = PostgresDatabase(postgres_pool(self.url), busy_timeout_ms)
            if migrate and self.identity not in _migrated:
                apply_migrations(self, db)
                with _lock:
                    _migrated.add(self.identity)
            return db
        db = SQLiteDatabase(self.sqlite_path, busy_timeout_ms)
        try:
            # One cheap read per new connection: the file may have been replaced (restored) meanwhile.
            if migrate and schema_version(db) < LATEST:
                apply_migrations(self, db)
        except BaseException:
            db.close()
            raise
        return db

    def release(self):
        """Close this process's pool for a PostgreSQL database (tests that drop the database)."""
        if self.url:
            close_pool(self.url)
            with _lock:
                _migrated.discard(self.identity)


def _key(data_dir) -> str:
    return str(Path(data_dir).resolve())


def bind_database(data_dir, url: str) -> None:
    """Keep the shared state of ``data_dir`` in ``url`` ('' for SQLite in the data dir)."""
    with _lock:
        if url:
            _bound[_key(data_dir)] = url
        else:
            _bound.pop(_key(data_dir), None)


def use_settings(settings) -> None:
    """Bind the settings' data dir to its ``database_url`` (every entry point calls this).

    Unset leaves the data dir as it is: SQLite, unless this process bound it (tests do)."""
    if settings.database_url:
        bind_database(settings.data_dir, settings.database_url)


def storage_for(data_dir, url: str | None = None) -> Storage:
    """The storage of a data dir: ``url`` if given, else the one bound to it, else SQLite."""
    data_dir = Path(data_dir)
    if url is None:
        url = _bound.get(_key(data_dir), "")
    return Storage(data_dir, url)


def database_exists(data_dir) -> bool:
    return storage_for(data_dir).exists()
