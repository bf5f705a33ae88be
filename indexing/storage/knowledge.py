"""Knowledge storage: entries, their edit history, cached vectors, synonyms, departments.

``KnowledgeStore`` is the only code that reads or writes the knowledge tables (on SQLite or
PostgreSQL, see ``indexing.storage``). Every change bumps ``knowledge_version`` so running
engines reload on the next question: on PostgreSQL that includes the engines of other hosts,
which read the version before each question and rebuild their local index cache from the
rows and vectors stored here.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexing.entries import ENTRY_COLUMN_TYPES, Entry
from indexing.japanese import SynonymTable
from indexing.storage.connection import where_clause
from indexing.storage.factory import storage_for
from indexing.storage.locks import named_lock

ENTRY_COLUMNS = {
    **ENTRY_COLUMN_TYPES, "content_hash": str, "terms": str, "reading_grams": str,
    "modified_at": str, "modified_by": str,
}


LOCK_NAME = "knowledge"    # knowledge.lock in the data dir on SQLite, an advisory lock on PostgreSQL
# Compared to tell a changed entry from an unchanged one (analysis, bookkeeping and the
# entry's place in its file do not count).
_NOT_COMPARED = ("modified_at", "modified_by", "line", "source", "terms", "reading_grams")


@contextmanager
def knowledge_write_lock(data_dir: str | Path):
    """One knowledge change at a time per database, across threads, processes and (on
    PostgreSQL) hosts. Released when a killed holder dies. Re-entrant within a thread."""
    with named_lock(storage_for(data_dir), LOCK_NAME):
        yield


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


def _upsert(table: str, columns: list[str], keys: tuple[str, ...]) -> str:
    """``insert ... on conflict (keys) do update``: the same text on SQLite and PostgreSQL."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    return (f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))}) "
            f"on conflict ({', '.join(keys)}) do " + (f"update set {updates}" if updates else "nothing"))


class KnowledgeStore:
    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.storage = storage_for(self.data_dir)
        self.db = self.storage.connect()
        self.lock = threading.RLock()

    def _rows(self, sql: str, params=()) -> list[dict]:
        rows = self.db.execute(sql, params).rows
        if self.db.dialect.is_postgres:  # the insertion-order column is bookkeeping, not data
            for row in rows:
                row.pop("seq", None)
        return rows

    # --- version -----------------------------------------------------------------------------
    def _get_setting(self, key: str, default: str = "") -> str:
        rows = self._rows("select value from settings where key = ?", [key])
        return rows[0]["value"] if rows else default

    def _set_setting(self, key: str, value: str):
        self.db.execute(_upsert("settings", ["key", "value"], ("key",)), [key, value])

    def knowledge_version(self) -> int:
        return int(self._get_setting("knowledge_version", "0"))

    def bump_version(self) -> int:
        with self.lock, self.db.transaction():
            version = self.knowledge_version() + 1
            self._set_setting("knowledge_version", str(version))
            return version

    def snapshot(self) -> tuple[int, list[dict]]:
        """The knowledge version and its active rows, read in one transaction (never a mix)."""
        with self.lock, self.db.transaction(snapshot=True):
            return self.knowledge_version(), self.index_rows()

    # --- entries -----------------------------------------------------------------------------
    @staticmethod
    def _row_to_entry(row: dict) -> Entry:
        return Entry.from_dict(row)

    def get(self, entry_id: str) -> Entry | None:
        row = self.row(entry_id)
        return self._row_to_entry(row) if row else None

    def row(self, entry_id: str) -> dict | None:
        rows = self._rows("select * from entries where id = ?", [entry_id])
        return rows[0] if rows else None

    def entries(self, status: str | None = "active", source: str | None = None) -> list[Entry]:
        where, params = where_clause([("status = ?", status), ("source = ?", source)])
        sql = f"select * from entries{where} order by {self.db.dialect.row_order}"
        return [self._row_to_entry(r) for r in self._rows(sql, params)]

    def index_rows(self) -> list[dict]:
        """Active entries with their stored analysis, for building indexes."""
        return self._rows(f"select * from entries where status = 'active' order by {self.db.dialect.row_order}")

    def ids_from_source(self, source: str) -> set[str]:
        return {r["id"] for r in self._rows("select id from entries where source = ? and status = 'active'",
                                            [source])}

    def rows_by_id(self, ids) -> dict[str, dict]:
        """Stored rows (any status) of the given entry ids."""
        ids, found = list(ids), {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"select * from entries where id in ({marks})", chunk):
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
        with self.lock, self.db.transaction():
            before = self.row(entry.id)
            record = self.entry_record(entry, analysis, changed_by)
            if before is not None:
                comparable = {k: v for k, v in record.items()
                              if k not in ("modified_at", "modified_by", "line", "source")}
                if all(before.get(k) == v for k, v in comparable.items()):
                    if before.get("source") != record["source"]:
                        self.db.execute("update entries set source = ? where id = ?", [record["source"], entry.id])
                    return "unchanged"
            self._ensure_entry_columns(record)
            columns = list(record)
            self.db.execute(_upsert("entries", columns, ("id",)), [record[c] for c in columns])
            outcome = "added" if before is None else "changed"
            self._history(entry.id, changed_by, action or outcome, before, record)
            return outcome

    def retire(self, entry_id: str, changed_by: str = "import") -> bool:
        with self.lock, self.db.transaction():
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

    _HISTORY_COLUMNS = ("entry_id", "changed_at", "changed_by", "action", "before", "after")
    _INSERT_HISTORY = (f"insert into entry_history ({', '.join(_HISTORY_COLUMNS)}) "
                       f"values ({', '.join('?' * len(_HISTORY_COLUMNS))})")

    def _history(self, entry_id, changed_by, action, before, after):
        row = self._history_row(entry_id, changed_by, action, before, after)
        self.db.execute(self._INSERT_HISTORY, [row[c] for c in self._HISTORY_COLUMNS])

    # --- one import, applied at once -----------------------------------------------------------
    @contextmanager
    def transaction(self):
        """One write transaction: everything inside commits together or not at all."""
        with self.lock, self.db.transaction():
            yield self.db

    def _ensure_entry_columns(self, columns):
        """Columns of entry fields added since the table was made (a later step of migrations
        should add them; this keeps an import working meanwhile)."""
        existing = self.db.columns("entries")
        for column in columns:
            if column not in existing:
                self.db.execute(f"alter table entries add column {column} text")

    def apply_changes(self, changes: "KnowledgeChanges") -> int:
        """Write an import's changes and bump the knowledge version in ONE transaction.

        A process killed before the commit leaves the knowledge exactly as it was; after it,
        exactly as the import meant. Returns the new knowledge version."""
        columns = list(dict.fromkeys(k for record, _ in changes.saves for k in record))
        self._ensure_entry_columns(columns)
        upsert = _upsert("entries", columns, ("id",))
        history = []
        with self.transaction() as db:
            if changes.saves:
                db.executemany(upsert, [[record.get(c) for c in columns] for record, _ in changes.saves])
            for record, before in changes.saves:
                action = "added" if before is None else "changed"
                history.append(self._history_row(record["id"], changes.changed_by, action, before, record))
            if changes.moved:
                db.executemany("update entries set source = ? where id = ?",
                               [(source, entry_id) for entry_id, source in changes.moved])
            if changes.reanalyzed:
                db.executemany("update entries set terms = ?, reading_grams = ? where id = ?",
                               [(json.dumps(list(t), ensure_ascii=False), json.dumps(list(g), ensure_ascii=False), i)
                                for i, (t, g) in changes.reanalyzed.items()])
            stamp = now_iso()
            for before in changes.retired:
                after = {**before, "status": "retired", "modified_at": stamp, "modified_by": changes.changed_by}
                db.execute("update entries set status = 'retired', modified_at = ?, modified_by = ? where id = ?",
                           [stamp, changes.changed_by, before["id"]])
                history.append(self._history_row(before["id"], changes.changed_by, "retired", before, after))
            db.executemany(self._INSERT_HISTORY, [[row[c] for c in self._HISTORY_COLUMNS] for row in history])
            for source in changes.sources:
                db.execute("insert into sources (path, sha256, imported_at, entries, root) values (?, ?, ?, ?, ?) "
                           "on conflict (path) do update set sha256 = excluded.sha256, imported_at = "
                           "excluded.imported_at, entries = excluded.entries, "
                           "root = coalesce(excluded.root, sources.root)",
                           [source["path"], source["sha256"], stamp, source["entries"], source.get("root")])
            db.executemany("delete from sources where path = ?", [(p,) for p in changes.forgotten_sources])
            settings = dict(changes.settings)
            if changes.departments is not None:
                self._replace_departments(changes.departments)
            version = self.knowledge_version() + 1
            settings["knowledge_version"] = str(version)
            db.executemany(_upsert("settings", ["key", "value"], ("key",)), list(settings.items()))
        return version

    def history(self, entry_id: str) -> list[dict]:
        return self._rows("select * from entry_history where entry_id = ? order by id desc", [entry_id])

    def update_analysis(self, entry_id: str, analysis: tuple[list, list]):
        self.db.execute("update entries set terms = ?, reading_grams = ? where id = ?",
                        [json.dumps(analysis[0], ensure_ascii=False), json.dumps(analysis[1], ensure_ascii=False),
                         entry_id])

    # --- sources ------------------------------------------------------------------------------
    def source_hash(self, path: str) -> str | None:
        rows = self._rows("select sha256 from sources where path = ?", [path])
        return rows[0]["sha256"] if rows else None

    def record_source(self, path: str, sha256: str, count: int, root: str | None = None):
        """Remember an imported file; ``root`` is the folder it was found in (None keeps the old one)."""
        self.db.execute("insert into sources (path, sha256, imported_at, entries, root) values (?, ?, ?, ?, ?) "
                        "on conflict (path) do update set sha256 = excluded.sha256, imported_at = "
                        "excluded.imported_at, entries = excluded.entries, "
                        "root = coalesce(excluded.root, sources.root)",
                        [path, sha256, now_iso(), count, root])

    def sources_under(self, root: str) -> set[str]:
        """Source keys last imported from the folder ``root``."""
        return {r["path"] for r in self._rows("select path from sources where root = ?", [root])}

    def source_paths(self) -> list[str]:
        """Every imported source key, sorted."""
        return [r["path"] for r in self._rows("select path from sources order by path")]

    def forget_source(self, path: str):
        self.db.execute("delete from sources where path = ?", [path])

    # --- vectors ------------------------------------------------------------------------------
    def cached_vectors(self, model: str, text_hashes: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(text_hashes), 500):
            chunk = text_hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"select text_hash, vector from vectors where model = ? and text_hash in ({marks})",
                                  [model, *chunk]):
                found[row["text_hash"]] = np.frombuffer(bytes(row["vector"]), dtype=np.float32)
        return found

    def store_vectors(self, model: str, vectors: dict[str, np.ndarray]):
        """Cache vectors by content hash (harmless before an import commits: nothing refers to them)."""
        with self.transaction() as db:
            db.executemany(_upsert("vectors", ["model", "text_hash", "vector"], ("model", "text_hash")),
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
        return [json.loads(r["data"]) for r in
                self._rows(f"select data from departments order by {self.db.dialect.row_order}")]

    def _replace_departments(self, departments: list[dict]):
        self.db.execute("delete from departments")
        # Last one wins for a repeated name, as before.
        self.db.executemany(_upsert("departments", ["name", "data"], ("name",)),
                            [(d["name"], json.dumps(d, ensure_ascii=False)) for d in departments])

    def set_departments(self, departments: list[dict]):
        with self.transaction():
            self._replace_departments(departments)

    def set_setting(self, key: str, value: str):
        self._set_setting(key, value)

    def setting(self, key: str, default: str = "") -> str:
        return self._get_setting(key, default)

    def close(self):
        self.db.close()
