"""Knowledge storage: entries, their edit history, cached vectors, synonyms, departments.

``KnowledgeStore`` is the only code that reads or writes the knowledge tables.
Every change bumps ``knowledge_version`` so running engines reload on the next question.
"""
from __future__ import annotations

import json
import threading
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


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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

    def save_entry(self, entry: Entry, analysis: tuple[list, list], changed_by: str = "import",
                   action: str | None = None) -> str:
        """Insert or update one entry; records history. Returns 'added', 'changed', 'unchanged'."""
        with self.lock:
            before = self.row(entry.id)
            record = entry.to_dict()
            record["alternates"] = json.dumps(list(entry.alternates), ensure_ascii=False)
            # NULL when absent, so that rows stored before these columns existed compare unchanged.
            record["translations"] = json.dumps(record["translations"], ensure_ascii=False) \
                if entry.translations else None
            record["easy_japanese"] = 1 if entry.easy_japanese else None
            record["content_hash"] = entry.content_hash()
            record["terms"] = json.dumps(analysis[0], ensure_ascii=False)
            record["reading_grams"] = json.dumps(analysis[1], ensure_ascii=False)
            record["modified_at"] = now_iso()
            record["modified_by"] = changed_by
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

    def _history(self, entry_id, changed_by, action, before, after):
        strip = lambda r: None if r is None else json.dumps(  # noqa: E731
            {k: v for k, v in r.items() if k not in ("terms", "reading_grams")}, ensure_ascii=False)
        self.db["entry_history"].insert({"entry_id": entry_id, "changed_at": now_iso(), "changed_by": changed_by,
                                         "action": action, "before": strip(before), "after": strip(after)})

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
        with self.lock:
            self.db["vectors"].upsert_all(
                [{"model": model, "text_hash": h, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                 for h, v in vectors.items()], pk=("model", "text_hash"))

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
