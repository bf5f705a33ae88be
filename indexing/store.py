"""Knowledge storage: entries, their edit history, cached vectors, synonyms, departments.

``KnowledgeStore`` is the only code that reads or writes the knowledge tables.
Every change bumps ``knowledge_version`` so running engines reload on the next question.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexing.database import open_database
from indexing.entries import ENTRY_COLUMN_TYPES, Entry
from indexing.japanese import SynonymTable

ENTRY_COLUMNS = {
    **ENTRY_COLUMN_TYPES, "content_hash": str, "terms": str, "reading_grams": str,
    "modified_at": str, "modified_by": str,
}


LOCK_FILE = "knowledge.lock"
# Compared to tell a changed entry from an unchanged one (analysis, bookkeeping and the
# entry's place in its file do not count).
_NOT_COMPARED = ("modified_at", "modified_by", "line", "source", "terms", "reading_grams")
_HELD = threading.local()


@contextmanager
def knowledge_write_lock(data_dir: str | Path):
    """One knowledge change at a time per data dir, across threads and processes.

    An ``flock`` on ``knowledge.lock`` in the data dir (each acquisition opens its own file
    description, so threads of one process exclude each other too); the kernel releases it
    when a killed process dies. Re-entrant within a thread.
    """
    key = str(Path(data_dir).resolve())
    held = getattr(_HELD, "paths", None)
    if held is None:
        held = _HELD.paths = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    descriptor = os.open(os.path.join(key, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            held[key] = 0
    finally:
        os.close(descriptor)  # closing the description releases the lock


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class KnowledgeChanges:
    """Everything one import changes, applied by ``KnowledgeStore.apply_changes`` at once."""

    changed_by: str
    saves: list[tuple[dict, dict | None]] = field(default_factory=list)   # (new row, row before or None)
    moved: list[tuple[str, str]] = field(default_factory=list)             # unchanged entry → new source
    reanalyzed: dict[str, tuple[list, list]] = field(default_factory=dict)  # id → (terms, reading grams)
    retired: list[dict] = field(default_factory=list)                      # rows before retirement
    sources: list[dict] = field(default_factory=list)                      # path, sha256, entries, root
    forgotten_sources: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)                 # synonyms, rules:*
    departments: list[dict] | None = None


class KnowledgeStore:
    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.db = open_database(self.data_dir)
        self.lock = threading.RLock()
        self._ensure_schema()

    def _ensure_schema(self):
        db = self.db
        with self.lock:
            if "entries" not in db.table_names():
                db["entries"].create(ENTRY_COLUMNS, pk="id", not_null={"kind", "title", "body"})
                db["entries"].create_index(["status", "audience"])
                db["entries"].create_index(["source"])
            if "entry_history" not in db.table_names():
                db["entry_history"].create({"id": int, "entry_id": str, "changed_at": str, "changed_by": str,
                                            "action": str, "before": str, "after": str}, pk="id")
                db["entry_history"].create_index(["entry_id"])
            if "vectors" not in db.table_names():
                db["vectors"].create({"model": str, "text_hash": str, "vector": bytes}, pk=("model", "text_hash"))
            if "sources" not in db.table_names():
                db["sources"].create({"path": str, "sha256": str, "imported_at": str, "entries": int, "root": str},
                                     pk="path")
            elif "root" not in db["sources"].columns_dict:
                db["sources"].add_column("root", str)
            if "settings" not in db.table_names():
                db["settings"].create({"key": str, "value": str}, pk="key")
            if "departments" not in db.table_names():
                db["departments"].create({"name": str, "data": str}, pk="name")

    # --- version -----------------------------------------------------------------------------
    def _get_setting(self, key: str, default: str = "") -> str:
        rows = list(self.db.query("select value from settings where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def _set_setting(self, key: str, value: str):
        self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def knowledge_version(self) -> int:
        return int(self._get_setting("knowledge_version", "0"))

    def bump_version(self) -> int:
        with self.lock:
            version = self.knowledge_version() + 1
            self._set_setting("knowledge_version", str(version))
            return version

    # --- entries -----------------------------------------------------------------------------
    @staticmethod
    def _row_to_entry(row: dict) -> Entry:
        return Entry.from_dict(row)

    def get(self, entry_id: str) -> Entry | None:
        rows = list(self.db.query("select * from entries where id = ?", [entry_id]))
        return self._row_to_entry(rows[0]) if rows else None

    def row(self, entry_id: str) -> dict | None:
        rows = list(self.db.query("select * from entries where id = ?", [entry_id]))
        return rows[0] if rows else None

    def entries(self, status: str | None = "active", source: str | None = None) -> list[Entry]:
        where, params = [], []
        if status:
            where.append("status = ?")
            params.append(status)
        if source:
            where.append("source = ?")
            params.append(source)
        sql = "select * from entries" + (" where " + " and ".join(where) if where else "") + " order by rowid"
        return [self._row_to_entry(r) for r in self.db.query(sql, params)]

    def index_rows(self) -> list[dict]:
        """Active entries with their stored analysis, for building indexes."""
        return list(self.db.query("select * from entries where status = 'active' order by rowid"))

    def ids_from_source(self, source: str) -> set[str]:
        return {r["id"] for r in self.db.query("select id from entries where source = ? and status = 'active'",
                                               [source])}

    def rows_by_id(self, ids) -> dict[str, dict]:
        """Stored rows (any status) of the given entry ids."""
        ids, found = list(ids), {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(f"select * from entries where id in ({marks})", chunk):
                found[row["id"]] = row
        return found

    @staticmethod
    def entry_record(entry: Entry, analysis: tuple[list, list], changed_by: str) -> dict:
        """The row stored for an entry with its analysis."""
        record = entry.to_dict()
        record["alternates"] = json.dumps(list(entry.alternates), ensure_ascii=False)
        # NULL when absent, so that rows stored before these columns existed compare unchanged.
        record["translations"] = json.dumps(record["translations"], ensure_ascii=False) \
            if entry.translations else None
        record["easy_japanese"] = 1 if entry.easy_japanese else None
        record["content_hash"] = entry.content_hash()
        record["terms"] = json.dumps(list(analysis[0]), ensure_ascii=False)
        record["reading_grams"] = json.dumps(list(analysis[1]), ensure_ascii=False)
        record["modified_at"] = now_iso()
        record["modified_by"] = changed_by
        return record

    @staticmethod
    def same_content(before: dict | None, record: dict) -> bool:
        """True when a stored row already holds ``record`` (ignoring analysis and bookkeeping)."""
        return before is not None and all(before.get(k) == v for k, v in record.items() if k not in _NOT_COMPARED)

    def save_entry(self, entry: Entry, analysis: tuple[list, list], changed_by: str = "import",
                   action: str | None = None) -> str:
        """Insert or update one entry; records history. Returns 'added', 'changed', 'unchanged'."""
        with self.lock:
            before = self.row(entry.id)
            record = self.entry_record(entry, analysis, changed_by)
            if before is not None:
                comparable = {k: v for k, v in record.items()
                              if k not in ("modified_at", "modified_by", "line", "source")}
                if all(before.get(k) == v for k, v in comparable.items()):
                    if before.get("source") != record["source"]:
                        self.db.execute("update entries set source = ? where id = ?", [record["source"], entry.id])
                    return "unchanged"
            self.db["entries"].upsert(record, pk="id", alter=True)
            outcome = "added" if before is None else "changed"
            self._history(entry.id, changed_by, action or outcome, before, record)
            return outcome

    def retire(self, entry_id: str, changed_by: str = "import") -> bool:
        with self.lock:
            before = self.row(entry_id)
            if before is None or before["status"] == "retired":
                return False
            self.db.execute("update entries set status = 'retired', modified_at = ?, modified_by = ? where id = ?",
                            [now_iso(), changed_by, entry_id])
            self._history(entry_id, changed_by, "retired", before, self.row(entry_id))
            return True

    @staticmethod
    def _history_row(entry_id, changed_by, action, before, after) -> dict:
        strip = lambda r: None if r is None else json.dumps(  # noqa: E731
            {k: v for k, v in r.items() if k not in ("terms", "reading_grams")}, ensure_ascii=False)
        return {"entry_id": entry_id, "changed_at": now_iso(), "changed_by": changed_by,
                "action": action, "before": strip(before), "after": strip(after)}

    def _history(self, entry_id, changed_by, action, before, after):
        self.db["entry_history"].insert(self._history_row(entry_id, changed_by, action, before, after))

    # --- one import, applied at once -----------------------------------------------------------
    @contextmanager
    def transaction(self):
        """One write transaction: everything inside commits together or not at all.

        Only plain ``execute``/``executemany`` may run inside (sqlite_utils' table helpers
        commit on their own)."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db.conn
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _ensure_entry_columns(self, columns):
        existing = self.db["entries"].columns_dict
        for column in columns:
            if column not in existing:
                self.db["entries"].add_column(column, str)

    def apply_changes(self, changes: "KnowledgeChanges") -> int:
        """Write an import's changes and bump the knowledge version in ONE transaction.

        A process killed before the commit leaves the knowledge exactly as it was; after it,
        exactly as the import meant. Returns the new knowledge version."""
        columns = list(dict.fromkeys(k for record, _ in changes.saves for k in record))
        self._ensure_entry_columns(columns)
        upsert = (f"insert into entries ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
                  f"on conflict(id) do update set " + ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id"))
        history = []
        with self.transaction() as conn:
            if changes.saves:
                conn.executemany(upsert, [[record.get(c) for c in columns] for record, _ in changes.saves])
            for record, before in changes.saves:
                action = "added" if before is None else "changed"
                history.append(self._history_row(record["id"], changes.changed_by, action, before, record))
            if changes.moved:
                conn.executemany("update entries set source = ? where id = ?",
                                 [(source, entry_id) for entry_id, source in changes.moved])
            if changes.reanalyzed:
                conn.executemany("update entries set terms = ?, reading_grams = ? where id = ?",
                                 [(json.dumps(list(t), ensure_ascii=False), json.dumps(list(g), ensure_ascii=False), i)
                                  for i, (t, g) in changes.reanalyzed.items()])
            stamp = now_iso()
            for before in changes.retired:
                after = {**before, "status": "retired", "modified_at": stamp, "modified_by": changes.changed_by}
                conn.execute("update entries set status = 'retired', modified_at = ?, modified_by = ? where id = ?",
                             [stamp, changes.changed_by, before["id"]])
                history.append(self._history_row(before["id"], changes.changed_by, "retired", before, after))
            conn.executemany("insert into entry_history (entry_id, changed_at, changed_by, action, before, after) "
                             "values (:entry_id, :changed_at, :changed_by, :action, :before, :after)", history)
            for source in changes.sources:
                conn.execute("insert into sources (path, sha256, imported_at, entries, root) values (?, ?, ?, ?, ?) "
                             "on conflict(path) do update set sha256 = excluded.sha256, imported_at = "
                             "excluded.imported_at, entries = excluded.entries, root = coalesce(excluded.root, root)",
                             [source["path"], source["sha256"], stamp, source["entries"], source.get("root")])
            conn.executemany("delete from sources where path = ?", [(p,) for p in changes.forgotten_sources])
            settings = dict(changes.settings)
            if changes.departments is not None:
                conn.execute("delete from departments")
                conn.executemany("insert or replace into departments (name, data) values (?, ?)",
                                 [(d["name"], json.dumps(d, ensure_ascii=False)) for d in changes.departments])
            version = self.knowledge_version() + 1
            settings["knowledge_version"] = str(version)
            conn.executemany("insert into settings (key, value) values (?, ?) "
                             "on conflict(key) do update set value = excluded.value", list(settings.items()))
        return version

    def history(self, entry_id: str) -> list[dict]:
        return list(self.db.query("select * from entry_history where entry_id = ? order by id desc", [entry_id]))

    def update_analysis(self, entry_id: str, analysis: tuple[list, list]):
        self.db.execute("update entries set terms = ?, reading_grams = ? where id = ?",
                        [json.dumps(analysis[0], ensure_ascii=False), json.dumps(analysis[1], ensure_ascii=False),
                         entry_id])

    # --- sources ------------------------------------------------------------------------------
    def source_hash(self, path: str) -> str | None:
        rows = list(self.db.query("select sha256 from sources where path = ?", [path]))
        return rows[0]["sha256"] if rows else None

    def record_source(self, path: str, sha256: str, count: int, root: str | None = None):
        """Remember an imported file; ``root`` is the folder it was found in (None keeps the old one)."""
        record = {"path": path, "sha256": sha256, "imported_at": now_iso(), "entries": count}
        if root is not None:
            record["root"] = root
        self.db["sources"].upsert(record, pk="path")

    def sources_under(self, root: str) -> set[str]:
        """Source keys last imported from the folder ``root``."""
        return {r["path"] for r in self.db.query("select path from sources where root = ?", [root])}

    def forget_source(self, path: str):
        self.db.execute("delete from sources where path = ?", [path])

    # --- vectors ------------------------------------------------------------------------------
    def cached_vectors(self, model: str, text_hashes: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(text_hashes), 500):
            chunk = text_hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(f"select text_hash, vector from vectors where model = ? and text_hash in ({marks})",
                                     [model, *chunk]):
                found[row["text_hash"]] = np.frombuffer(row["vector"], dtype=np.float32)
        return found

    def store_vectors(self, model: str, vectors: dict[str, np.ndarray]):
        """Cache vectors by content hash (harmless before an import commits: nothing refers to them)."""
        with self.transaction() as conn:
            conn.executemany("insert or replace into vectors (model, text_hash, vector) values (?, ?, ?)",
                             [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()])

    # --- synonyms and departments -------------------------------------------------------------
    def synonyms(self) -> SynonymTable:
        return SynonymTable.parse(self._get_setting("synonyms", ""), source="synonyms")

    def synonyms_text(self) -> str:
        return self._get_setting("synonyms", "")

    def set_synonyms(self, text: str):
        SynonymTable.parse(text)  # validate before storing
        self._set_setting("synonyms", text)

    def departments(self) -> list[dict]:
        return [json.loads(r["data"]) for r in self.db.query("select data from departments order by rowid")]

    def set_departments(self, departments: list[dict]):
        with self.lock:
            self.db.execute("delete from departments")
            self.db["departments"].insert_all(
                [{"name": d["name"], "data": json.dumps(d, ensure_ascii=False)} for d in departments], pk="name",
                replace=True)

    def set_setting(self, key: str, value: str):
        self._set_setting(key, value)

    def setting(self, key: str, default: str = "") -> str:
        return self._get_setting(key, default)
