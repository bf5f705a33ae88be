"""Files uploaded in the admin UI, waiting between their preview and their apply.

``channels.admin.uploads.UploadStore`` keeps each upload in ``<data dir>/uploads/<token>/``
(the importer reads files) and here, so that the apply may reach another host than the
preview did: that host writes the file back into its own data dir from this table.
"""
from __future__ import annotations

from pathlib import Path

from indexing.storage.connection import Database
from indexing.storage.factory import storage_for


class UploadTables:
    def __init__(self, data_dir: str | Path):
        self.db: Database = storage_for(data_dir).connect()

    def insert(self, token: str, name: str, uploaded_by: str, uploaded_at: float, options: str, data: bytes):
        self.db.execute("insert into admin_uploads (token, name, uploaded_by, uploaded_at, options, data) "
                        "values (?, ?, ?, ?, ?, ?)", [token, name, uploaded_by, uploaded_at, options, data])

    def get(self, token: str) -> dict | None:
        row = self.db.execute("select name, uploaded_by, uploaded_at, options, data from admin_uploads "
                              "where token = ?", [token]).first()
        if row is not None:
            row["data"] = bytes(row["data"])
        return row

    def delete(self, token: str) -> None:
        self.db.execute("delete from admin_uploads where token = ?", [token])

    def delete_older_than(self, uploaded_before: float) -> int:
        return self.db.execute("delete from admin_uploads where uploaded_at < ?", [uploaded_before]).rowcount
