"""Named locks that exclude other processes: ``flock`` on SQLite, advisory locks on PostgreSQL.

With SQLite every process that shares the database runs on one host, so a file lock in the
data dir is enough, and the kernel releases it when a killed process dies. With PostgreSQL
the processes may run on several hosts: a session advisory lock, held on a connection of its
own, is released by the server when that connection ends (a killed process included).

    with named_lock(storage, "knowledge"):          # waits
        ...
    with named_lock(storage, "push", wait=False) as held:
        if not held: ...                            # someone else is at it
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading

from indexing.storage.dialect import advisory_key

_HELD = threading.local()


@contextlib.contextmanager
def named_lock(storage, name: str, wait: bool = True):
    """Yields True when held (always, with ``wait``); re-entrant within a thread."""
    key = f"{storage.identity}|{name}"
    held = getattr(_HELD, "locks", None)
    if held is None:
        held = _HELD.locks = {}
    if held.get(key):
        held[key] += 1
        try:
            yield True
        finally:
            held[key] -= 1
        return
    acquire = _advisory if storage.dialect.is_postgres else _flock
    with acquire(storage, name, wait) as got:
        if not got:
            yield False
            return
        held[key] = 1
        try:
            yield True
        finally:
            held[key] = 0


@contextlib.contextmanager
def _flock(storage, name: str, wait: bool):
    storage.data_dir.mkdir(parents=True, exist_ok=True)
    # Each acquisition opens its own file description, so threads of one process exclude each other too.
    descriptor = os.open(storage.data_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # closing the description releases the lock


@contextlib.contextmanager
def _advisory(storage, name: str, wait: bool):
    from indexing.storage.connection import postgres_connect

    connection = postgres_connect(storage.url)
    try:
        key = advisory_key(f"madoguchi:{name}")
        if wait:
            connection.execute("select pg_advisory_lock(%s)", [key])
        elif not connection.execute("select pg_try_advisory_lock(%s) as ok", [key]).fetchone()["ok"]:
            yield False
            return
        try:
            yield True
        finally:
            with contextlib.suppress(Exception):
                connection.execute("select pg_advisory_unlock(%s)", [key])
    finally:
        connection.close()  # the server drops the lock with the session in any case
