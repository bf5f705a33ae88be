"""Uploaded knowledge files waiting for preview and apply, kept in ``<data dir>/uploads/<token>/``.

The token is random (not guessable, not derived from the file name); the original file
name is reduced to a safe base name. Uploads left unapplied are removed after a day. Each
upload is also stored in the database (``indexing.storage.uploads``): with several hosts the
apply may reach another host than the preview, which then writes the file into its own data dir.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexing.loaders import KNOWLEDGE_SUFFIXES
from indexing.storage.uploads import UploadTables

UPLOADS_DIR = "uploads"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UploadError(ValueError):
    pass


def safe_file_name(name: str) -> str:
    """The base name of an uploaded file with path parts and control characters removed."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/")).split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip().lstrip(".")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem[:80] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


@dataclass
class Upload:
    token: str
    directory: Path
    name: str
    uploaded_by: str
    options: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.directory / "file" / self.name


class UploadStore:
    def __init__(self, data_dir: str | Path):
        self.root = Path(data_dir) / UPLOADS_DIR
        self.tables = UploadTables(data_dir)

    def save(self, name: str, data: bytes, uploaded_by: str, options: dict) -> Upload:
        name = safe_file_name(name)
        if Path(name).suffix.lower() not in KNOWLEDGE_SUFFIXES:
            raise UploadError(name)
        self.cleanup()
        token = secrets.token_urlsafe(24)
        meta = {"name": name, "uploaded_by": uploaded_by, "uploaded_at": time.time(), "options": options}
        self.tables.insert(token, name, uploaded_by, meta["uploaded_at"], json.dumps(options, ensure_ascii=False),
                           data)
        directory = self._write_local(token, meta, data)
        return Upload(token, directory, name, uploaded_by, options)

    def _write_local(self, token: str, meta: dict, data: bytes) -> Path:
        directory = self.root / token
        (directory / "file").mkdir(parents=True, mode=0o700, exist_ok=True)
        (directory / "file" / meta["name"]).write_bytes(data)
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return directory

    def _from_database(self, token: str) -> dict | None:
        """An upload another host received: written into this data dir from the database."""
        row = self.tables.get(token)
        if row is None:
            return None
        meta = {"name": safe_file_name(row["name"]), "uploaded_by": row["uploaded_by"],
                "uploaded_at": row["uploaded_at"], "options": json.loads(row["options"] or "{}")}
        self._write_local(token, meta, row["data"])
        return meta

    def get(self, token: str) -> Upload | None:
        if not _TOKEN.match(token or ""):
            return None
        directory = self.root / token
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = self._from_database(token)
            if meta is None:
                return None
        if time.time() - meta.get("uploaded_at", 0) > MAX_AGE_SECONDS:
            self.remove(token)
            return None
        return Upload(token, directory, meta["name"], meta.get("uploaded_by", ""), meta.get("options", {}))

    def remove(self, token: str) -> None:
        if _TOKEN.match(token or ""):
            self.tables.delete(token)
            shutil.rmtree(self.root / token, ignore_errors=True)

    def cleanup(self) -> None:
        self.tables.delete_older_than(time.time() - MAX_AGE_SECONDS)
        if not self.root.exists():
            return
        for directory in self.root.iterdir():
            meta = directory / "meta.json"
            try:
                old = time.time() - meta.stat().st_mtime > MAX_AGE_SECONDS
            except OSError:
                old = True
            if old and directory.is_dir():
                shutil.rmtree(directory, ignore_errors=True)
