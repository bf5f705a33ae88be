"""The one storage layer: every SQL statement of madoguchi lives in this package.

    factory.py     which database a data dir uses (MADOGUCHI_DATABASE_URL: SQLite file or PostgreSQL)
    connection.py  the ``Database`` interface over a SQLite connection or a psycopg pool
    dialect.py     every difference between the two backends
    migrations.py  ordered schema steps and the ``schema_version`` table
    locks.py       named cross-process locks (flock / advisory locks)
    knowledge.py   entries, history, vectors, sources, settings, departments (``KnowledgeStore``)
    inquiries.py   the inquiry log's rows and the review queue's status (``InquiryTables``)
    inbox.py       the durable inbox of LINE and Slack events (``Inbox``)
    accounts.py    admin users, sessions, login failures and audit (``AccountTables``)
    outreach.py    LINE subscriptions, deliveries and batches (``OutreachBook``)
    uploads.py     admin uploads between preview and apply (``UploadTables``)
    tickets.py     tickets handed to staff, held web chat answers, drafts (``TicketTables``)
    transfer.py    copying every table from one database to another (SQLite → PostgreSQL)

Owners above this layer (the inquiry log's masking and spool, account policy, the review
queue's grouping) call these classes and never write SQL themselves.
"""
from indexing.storage.connection import DATABASE_ERRORS, DATABASE_FILE, Database, is_busy  # noqa: F401
from indexing.storage.factory import (Storage, bind_database, database_exists, storage_for,  # noqa: F401
                                      use_settings)
from indexing.storage.locks import named_lock  # noqa: F401
