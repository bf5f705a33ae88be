"""``madoguchi migrate``: bring the database to the latest schema, printing the version before and after.

Every command that opens the database (``serve``, ``import``, ``ask`` ...) applies missing
steps too; this command does it on purpose (before starting new hosts on a shared PostgreSQL
database, or to check where a data dir stands). Running it again changes nothing.
"""
from __future__ import annotations

from channels.commands.base import settings_from_args
from indexing.storage import storage_for
from indexing.storage.migrations import LATEST, MIGRATIONS, apply_migrations, schema_version


def register(commands) -> None:
    p = commands.add_parser("migrate", help="apply schema migrations to the database (idempotent)")
    p.set_defaults(handler=command_migrate)


def command_migrate(args) -> int:
    settings = settings_from_args(args)
    storage = storage_for(settings.data_dir)
    db = storage.connect(migrate=False)
    try:
        print(f"database: {describe(storage)}")
        before = schema_version(db)
        print(f"schema version before: {before}")
        before, after = apply_migrations(storage, db)
        for step in MIGRATIONS:
            if before < step.version <= after:
                print(f"  applied {step.version}: {step.description}")
        print(f"schema version after: {after}" + (" (up to date)" if before == after == LATEST else ""))
    finally:
        db.close()
    return 0


def describe(storage) -> str:
    """Where the database is, without credentials."""
    if not storage.url:
        return f"SQLite {storage.sqlite_path}"
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(storage.url)
    where = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"PostgreSQL {info.get('dbname', '')} on {where}{port}"
