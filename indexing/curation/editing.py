"""Editing single entries: create, edit, retire, restore, add an alternate phrasing, history.

Every change goes through ``KnowledgeStore`` (history with who and when) and then
``refresh_indexes``, so a running ``Bot`` answers with the change on its next question::

    >>> store = KnowledgeStore("var")
    >>> entry = create_entry(store, {"title": "犬の登録は？", "body": "生活環境課で…",
    ...                              "department": "生活環境課"}, changed_by="sato")
    >>> add_alternate(store, entry.id, "犬を飼い始めたら何をする？", changed_by="sato")

Entries are never deleted: ``retire_entry`` marks them retired, so ids in the inquiry
log and in reports keep their meaning.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading

from indexing.curation.validation import (MAX_ALTERNATES, CurationError, next_entry_id, normalize_question,
                                          validate_fields)
from indexing.dates import city_today
from indexing.entries import EDITABLE_FIELDS, MAX_TITLE_CHARS, RESERVED_IDS, Entry
from indexing.importer import refresh_indexes
from indexing.japanese import JapaneseAnalyzer
from indexing.search_index import analyze_entry
from indexing.storage.knowledge import KnowledgeStore, knowledge_write_lock

# Source key of entries written in the admin UI rather than imported from a file:
# a file import never retires them.
ADMIN_SOURCE = "admin"
_ID_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]{0,63}$")
# One knowledge change at a time per process (edits re-embed and rewrite the FAISS files).
WRITE_LOCK = threading.Lock()


# --- single-entry operations ---------------------------------------------------------------------
_ANALYZERS: dict[str, JapaneseAnalyzer] = {}


def analyzer_for(store: KnowledgeStore) -> JapaneseAnalyzer:
    """An analyzer for the store's current synonym list (building one loads the dictionary)."""
    text = store.synonyms_text()
    if text not in _ANALYZERS:
        _ANALYZERS.clear()
        _ANALYZERS[text] = JapaneseAnalyzer(store.synonyms())
    return _ANALYZERS[text]


def _save_and_refresh(store: KnowledgeStore, entry: Entry, changed_by: str, action: str,
                      embedder_spec: str) -> str:
    analyzer = analyzer_for(store)
    outcome = store.save_entry(entry, analyze_entry(analyzer, entry), changed_by=changed_by, action=action)
    if outcome != "unchanged":
        refresh_indexes(store, embedder_spec)
    return outcome


def create_entry(store: KnowledgeStore, values: dict, changed_by: str, embedder_spec: str = "",
                 entry_id: str = "", suggested_id: str = "") -> Entry:
    """Add a new FAQ entry written in the admin UI (or promoted from the review queue).

    Without ``entry_id`` the entry takes ``suggested_id`` (the id the form showed when it was opened)
    while it is free, else the next free id. A form sent twice (a double click, a reload) creates
    one entry: when the suggested id is taken by an active entry written in the admin UI with the same
    fields, that entry is returned unchanged. A typed id already in use is always an error."""
    values = {"audience": "citizen", **values}
    clean = validate_fields(values, kind="faq")
    entry_id = (entry_id or "").strip()
    suggested_id = (suggested_id or "").strip()
    with WRITE_LOCK, knowledge_write_lock(store.data_dir):
        wanted = entry_id or (suggested_id if _ID_PATTERN.match(suggested_id)
                              and suggested_id.lower() not in RESERVED_IDS else "")
        existing = store.get(wanted) if wanted and not entry_id else None
        if existing is not None and _same_submission(existing, clean):
            return existing
        if not entry_id:
            entry_id = wanted if wanted and store.row(wanted) is None else next_entry_id(store)
        elif not _ID_PATTERN.match(entry_id):
            raise CurationError("入力内容を確認してください。",
                                {"id": "ID は英数字と - _ . の64文字以内で入力してください。"})
        elif entry_id.lower() in RESERVED_IDS:
            raise CurationError("入力内容を確認してください。",
                                {"id": f"ID「{entry_id}」は管理画面で使うため使えません。別の ID にしてください。"})
        elif store.row(entry_id) is not None:
            # Ids are never reused, not even those of retired entries.
            raise CurationError("入力内容を確認してください。", {"id": f"ID {entry_id} はすでに使われています。"})
        entry = Entry(id=entry_id, kind="faq", source=ADMIN_SOURCE, **clean)
        _save_and_refresh(store, entry, changed_by, "created", embedder_spec)
    return store.get(entry_id)


def _same_submission(existing: Entry, clean: dict) -> bool:
    """The form that created ``existing`` sent again: every field it sets is the same."""
    return existing.status == "active" and existing.source == ADMIN_SOURCE and \
        all(getattr(existing, name) == value for name, value in clean.items())


def edit_version(entry: Entry) -> str:
    """A short fingerprint of what an editor sees of ``entry`` (status and editable fields): the edit
    form carries the one it was opened with, so a save over someone else's newer change is noticed."""
    seen = {"status": entry.status, **{name: getattr(entry, name) for name in EDITABLE_FIELDS}}
    return hashlib.sha256(json.dumps(seen, ensure_ascii=False, sort_keys=True, default=list).encode()).hexdigest()[:16]


class EditConflict(CurationError):
    """The entry changed after the editor opened the form (``current`` is the entry as it is now)."""

    def __init__(self, current: Entry, changed_by: str):
        self.current, self.changed_by = current, changed_by
        super().__init__("このエントリは、編集を始めたあとに" + (f"{changed_by} さんが" if changed_by else "ほかの人が")
                         + "変更しました。入力内容はまだ保存されていません。最新の内容を確認して、"
                           "このまま上書きする場合はもう一度「保存」を押してください。")


def get_entry(store: KnowledgeStore, entry_id: str) -> Entry:
    entry = store.get(entry_id)
    if entry is None:
        raise CurationError(f"エントリ {entry_id} が見つかりません。")
    return entry


def update_entry(store: KnowledgeStore, entry_id: str, values: dict, changed_by: str,
                 embedder_spec: str = "", expected_version: str = "") -> tuple[Entry, bool]:
    """Edit an entry's fields; returns (entry, changed). 更新日 moves to today when the text changes
    and the editor left the date as it was. With ``expected_version`` (edit_version of the entry the
    form was opened on), raises EditConflict when the entry has changed since."""
    with WRITE_LOCK, knowledge_write_lock(store.data_dir):
        before = get_entry(store, entry_id)
        if expected_version and edit_version(before) != expected_version:
            last = store.history(entry_id)
            raise EditConflict(before, last[0]["changed_by"] if last else "")
        values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
        if before.kind != "faq":
            values.pop("alternates", None)  # only FAQ questions have alternate phrasings
        clean = validate_fields(values, kind=before.kind)
        after = before.with_changes(**clean)
        text_changed = (after.title, after.body, after.alternates) != (before.title, before.body, before.alternates)
        if text_changed and after.updated == before.updated:
            after = after.with_changes(updated=city_today().isoformat())
        outcome = _save_and_refresh(store, after, changed_by, "edited", embedder_spec)
    return store.get(entry_id), outcome != "unchanged"


def retire_entry(store: KnowledgeStore, entry_id: str, changed_by: str, embedder_spec: str = "") -> bool:
    """Take an entry out of the answers (never deleted). False when it was already retired."""
    with WRITE_LOCK, knowledge_write_lock(store.data_dir):
        get_entry(store, entry_id)
        retired = store.retire(entry_id, changed_by=changed_by)
        if retired:
            refresh_indexes(store, embedder_spec)
    return retired


def restore_entry(store: KnowledgeStore, entry_id: str, changed_by: str, embedder_spec: str = "") -> bool:
    """Put a retired entry back into the answers."""
    with WRITE_LOCK, knowledge_write_lock(store.data_dir):
        entry = get_entry(store, entry_id)
        if entry.status == "active":
            return False
        _save_and_refresh(store, entry.with_changes(status="active"), changed_by, "restored", embedder_spec)
    return True


def add_alternate(store: KnowledgeStore, entry_id: str, phrasing: str, changed_by: str,
                  embedder_spec: str = "") -> bool:
    """Add ``phrasing`` as another way of asking an FAQ entry's question (analyzed and embedded).

    Returns False when the entry already has that phrasing (or it is the question itself).
    """
    phrasing = (phrasing or "").strip()
    if not phrasing:
        raise CurationError("追加する聞き方が空です。")
    if len(phrasing) > MAX_TITLE_CHARS:
        raise CurationError(f"聞き方は{MAX_TITLE_CHARS}文字以内にしてください。")
    with WRITE_LOCK, knowledge_write_lock(store.data_dir):
        entry = get_entry(store, entry_id)
        if entry.kind != "faq":
            raise CurationError("別の聞き方を追加できるのは FAQ のエントリだけです。")
        if entry.status != "active":
            raise CurationError(f"エントリ {entry_id} は廃止されています。")
        known = {normalize_question(q) for q in (entry.title, *entry.alternates)}
        if normalize_question(phrasing) in known:
            return False
        if len(entry.alternates) >= MAX_ALTERNATES:
            raise CurationError(f"別の聞き方は{MAX_ALTERNATES}件までです。")
        updated = entry.with_changes(alternates=(*entry.alternates, phrasing))
        _save_and_refresh(store, updated, changed_by, "alternate_added", embedder_spec)
    return True


def entry_history(store: KnowledgeStore, entry_id: str) -> list[dict]:
    """History rows, newest first, each with ``changes``: [(field, before, after)] of what differed."""
    rows = []
    for row in store.history(entry_id):
        before = json.loads(row["before"]) if row["before"] else {}
        after = json.loads(row["after"]) if row["after"] else {}
        changes = []
        for name in ("status", *EDITABLE_FIELDS):
            old, new = before.get(name), after.get(name)
            if name == "alternates":
                old = "\n".join(json.loads(old) if isinstance(old, str) and old else (old or []))
                new = "\n".join(json.loads(new) if isinstance(new, str) and new else (new or []))
            if (old or "") != (new or ""):
                changes.append((name, old or "", new or ""))
        rows.append({**row, "changes": changes})
    return rows
