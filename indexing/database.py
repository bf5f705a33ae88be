"""The one SQLite database of a data dir (WAL, shared by every worker on a host).

All storage goes through ``open_database``; moving to PostgreSQL for a
prefecture-wide service means replacing this module and the store classes.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

DATABASE_FILE = "madoguchi.db"


def open_database(data_dir: str | Path) -> sqlite_utils.Database:
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(data_dir / DATABASE_FILE, timeout=30, check_same_thread=False,
                                 isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA busy_timeout=30000")
    connection.execute("PRAGMA synchronous=NORMAL")
    return sqlite_utils.Database(connection)


def database_exists(data_dir: str | Path) -> bool:
    """Whether the data dir has its database yet (checking creates nothing)."""
    return (Path(data_dir) / DATABASE_FILE).exists()
