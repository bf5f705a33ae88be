"""Knowledge curation: the operations the DX office performs on the knowledge base.

Create, edit, retire and restore entries, add an alternate phrasing to an FAQ, preview
and apply an import, find stale entries and export the citizen FAQ as open data. The
admin web UI and the CLI are thin layers over these functions.

Every change goes through ``KnowledgeStore`` (history with who and when) and then
``refresh_indexes``, which embeds what is new and bumps the knowledge version, so a
running ``Bot`` answers with the change on its next question::

    >>> store = KnowledgeStore("var")
    >>> entry = create_entry(store, {"title": "犬の登録は？", "body": "生活環境課で…",
    ...                              "department": "生活環境課"}, changed_by="sato")
    >>> add_alternate(store, entry.id, "犬を飼い始めたら何をする？", changed_by="sato")

Entries are never deleted: ``retire_entry`` marks them retired, so ids in the inquiry
log and in reports keep their meaning.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from indexing.entries import AUDIENCES, KINDS, Entry, visible_audiences
from indexing.importer import claim_ids, collect_files, refresh_indexes
from indexing.japanese import JapaneseAnalyzer
from indexing.loaders import KnowledgeFileError, RowProblem, load_knowledge_file
from indexing.loaders.source_metadata import SourceMetadata, metadata_for
from indexing.search_index import analyze_entry
from indexing.store import KnowledgeStore

# Source key of entries written in the admin UI rather than imported from a file:
# a file import never retires them.
ADMIN_SOURCE = "admin"
DEFAULT_REVIEW_PERIOD = timedelta(days=365)
MAX_TITLE_CHARS = 500
MAX_BODY_CHARS = 20000
MAX_ALTERNATES = 50
_ID_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]{0,63}$")
# Fields an editor may change; id, kind, source and line are fixed.
EDITABLE_FIELDS = ("title", "body", "section", "url", "audience", "category", "department", "updated",
                   "review_by", "alternates")
# One knowledge change at a time per process (edits re-embed and rewrite the FAISS files).
_WRITE_LOCK = threading.Lock()

OPEN_DATA_COLUMNS = ("全国地方公共団体コード", "ID", "地方公共団体名", "問い合わせ文", "応答文", "カテゴリ")
OPEN_DATA_EXTRA_COLUMNS = ("所管課", "URL", "更新日")


class CurationError(ValueError):
    """A curation request that cannot be carried out; ``errors`` maps field → message."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        self.errors = dict(errors or {})
        super().__init__(message)


# --- dates --------------------------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: str | date | None) -> date | None:
    """A date from ``2026-04-01``, ``2026/4/1``, ``2026年4月1日`` (None when empty or unreadable)."""
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = text.split("T")[0].split(" ")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def default_review_by(today: date | None = None) -> str:
    return ((today or date.today()) + DEFAULT_REVIEW_PERIOD).isoformat()


# --- validation ---------------------------------------------------------------------------------
def split_alternates(value: str | Iterable[str]) -> tuple[str, ...]:
    """Alternate phrasings from one-per-line text (or a list), blank and duplicate lines dropped."""
    lines = value.splitlines() if isinstance(value, str) else list(value)
    seen, result = set(), []
    for line in lines:
        text = str(line).strip()
        key = normalize_question(text)
        if text and key not in seen:
            seen.add(key)
            result.append(text)
    return tuple(result)


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def normalize_question(text: str) -> str:
    """Comparison key of a question: NFKC, lower case, katakana as hiragana, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_KATAKANA_TO_HIRAGANA)
    return re.sub(r"[\s、。,.!?！？「」『』()（）・…\-ー~〜]", "", text)


def validate_fields(values: dict, kind: str = "faq", today: date | None = None) -> dict:
    """Cleaned entry fields from form-like ``values``; raises CurationError with per-field messages.

    Required on every entry: title (question), body (answer), audience, 所管課, 更新日 and a
    review-by date not before 更新日.
    """
    errors: dict[str, str] = {}
    clean: dict = {}
    for name in ("title", "body", "section", "url", "category", "department"):
        if name in values:
            clean[name] = str(values.get(name) or "").replace("\r\n", "\n").strip()
    if "alternates" in values:
        clean["alternates"] = split_alternates(values.get("alternates") or "")
    if "audience" in values:
        clean["audience"] = str(values.get("audience") or "").strip()
    for name in ("updated", "review_by"):
        if name in values:
            raw = str(values.get(name) or "").strip()
            parsed = parse_date(raw)
            if raw and parsed is None:
                errors[name] = "日付は YYYY-MM-DD の形式で入力してください。"
            clean[name] = parsed.isoformat() if parsed else raw

    question_word = "質問" if kind == "faq" else "タイトル"
    answer_word = "回答" if kind == "faq" else "本文"
    if "title" in clean and not clean["title"]:
        errors["title"] = f"{question_word}を入力してください。"
    elif len(clean.get("title", "")) > MAX_TITLE_CHARS:
        errors["title"] = f"{question_word}は{MAX_TITLE_CHARS}文字以内にしてください。"
    if "body" in clean and not clean["body"]:
        errors["body"] = f"{answer_word}を入力してください。"
    elif len(clean.get("body", "")) > MAX_BODY_CHARS:
        errors["body"] = f"{answer_word}は{MAX_BODY_CHARS}文字以内にしてください。"
    if "audience" in clean and clean["audience"] not in AUDIENCES:
        errors["audience"] = "対象を選んでください。"
    if "department" in clean and not clean["department"]:
        errors["department"] = "所管課を入力してください。"
    if "updated" in clean and not clean["updated"] and "updated" not in errors:
        errors["updated"] = "更新日を入力してください。"
    if "review_by" in clean and not clean["review_by"] and "review_by" not in errors:
        errors["review_by"] = "見直し期限を入力してください。"
    if not errors.get("updated") and not errors.get("review_by") and clean.get("updated") and clean.get("review_by"):
        if clean["review_by"] < clean["updated"]:
            errors["review_by"] = "見直し期限は更新日より後の日付にしてください。"
    url = clean.get("url", "")
    if url and not re.match(r"^https?://[^\s<>\"']+$", url):
        errors["url"] = "URL は http:// または https:// で始まる形で入力してください。"
    if len(clean.get("alternates", ())) > MAX_ALTERNATES:
        errors["alternates"] = f"別の聞き方は{MAX_ALTERNATES}件までにしてください。"
    if errors:
        raise CurationError("入力内容を確認してください。", errors)
    return clean


def next_entry_id(store: KnowledgeStore) -> str:
    """A free id following the numbering the FAQ already uses (``110`` → ``111``, ``KF0009`` → ``KF0010``)."""
    taken = {e.id for e in store.entries(status=None)}
    numbered: dict[str, list[tuple[int, int]]] = {}
    for entry_id in taken:
        match = re.match(r"^([A-Za-z_\-]*)(\d+)$", entry_id)
        if match:
            numbered.setdefault(match.group(1), []).append((int(match.group(2)), len(match.group(2))))
    if numbered:
        prefix = max(numbered, key=lambda p: (len(numbered[p]), p == ""))
        number = max(n for n, _ in numbered[prefix]) + 1
        width = max(w for _, w in numbered[prefix])
    else:
        prefix, number, width = "faq-", 1, 4
    candidate = f"{prefix}{number:0{width}d}"
    while candidate in taken:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
    return candidate


# --- single-entry operations ---------------------------------------------------------------------
_ANALYZERS: dict[str, JapaneseAnalyzer] = {}


def _analyzer(store: KnowledgeStore) -> JapaneseAnalyzer:
    """An analyzer for the store's current synonym list (building one loads the dictionary)."""
    text = store.synonyms_text()
    if text not in _ANALYZERS:
        _ANALYZERS.clear()
        _ANALYZERS[text] = JapaneseAnalyzer(store.synonyms())
    return _ANALYZERS[text]


def _save_and_refresh(store: KnowledgeStore, entry: Entry, changed_by: str, action: str,
                      embedder_spec: str) -> str:
    analyzer = _analyzer(store)
    outcome = store.save_entry(entry, analyze_entry(analyzer, entry), changed_by=changed_by, action=action)
    if outcome != "unchanged":
        refresh_indexes(store, embedder_spec)
    return outcome


def create_entry(store: KnowledgeStore, values: dict, changed_by: str, embedder_spec: str = "",
                 entry_id: str = "") -> Entry:
    """Add a new FAQ entry written in the admin UI (or promoted from the review queue)."""
    values = {"audience": "citizen", **values}
    clean = validate_fields(values, kind="faq")
    entry_id = (entry_id or "").strip()
    with _WRITE_LOCK:
        if not entry_id:
            entry_id = next_entry_id(store)
        elif not _ID_PATTERN.match(entry_id):
            raise CurationError("入力内容を確認してください。",
                                {"id": "ID は英数字と - _ . の64文字以内で入力してください。"})
        elif store.row(entry_id) is not None:
            # Ids are never reused, not even those of retired entries.
            raise CurationError("入力内容を確認してください。", {"id": f"ID {entry_id} はすでに使われています。"})
        entry = Entry(id=entry_id, kind="faq", source=ADMIN_SOURCE, **clean)
        _save_and_refresh(store, entry, changed_by, "created", embedder_spec)
    return store.get(entry_id)


def get_entry(store: KnowledgeStore, entry_id: str) -> Entry:
    entry = store.get(entry_id)
    if entry is None:
        raise CurationError(f"エントリ {entry_id} が見つかりません。")
    return entry


def update_entry(store: KnowledgeStore, entry_id: str, values: dict, changed_by: str,
                 embedder_spec: str = "") -> tuple[Entry, bool]:
    """Edit an entry's fields; returns (entry, changed). 更新日 moves to today when the text changes
    and the editor left the date as it was."""
    with _WRITE_LOCK:
        before = get_entry(store, entry_id)
        values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
        if before.kind != "faq":
            values.pop("alternates", None)  # only FAQ questions have alternate phrasings
        clean = validate_fields(values, kind=before.kind)
        after = before.with_changes(**clean)
        text_changed = (after.title, after.body, after.alternates) != (before.title, before.body, before.alternates)
        if text_changed and after.updated == before.updated:
            after = after.with_changes(updated=date.today().isoformat())
        outcome = _save_and_refresh(store, after, changed_by, "edited", embedder_spec)
    return store.get(entry_id), outcome != "unchanged"


def retire_entry(store: KnowledgeStore, entry_id: str, changed_by: str, embedder_spec: str = "") -> bool:
    """Take an entry out of the answers (never deleted). False when it was already retired."""
    with _WRITE_LOCK:
        get_entry(store, entry_id)
        retired = store.retire(entry_id, changed_by=changed_by)
        if retired:
            refresh_indexes(store, embedder_spec)
    return retired


def restore_entry(store: KnowledgeStore, entry_id: str, changed_by: str, embedder_spec: str = "") -> bool:
    """Put a retired entry back into the answers."""
    with _WRITE_LOCK:
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
    with _WRITE_LOCK:
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
    import json

    rows = []
    for row in store.history(entry_id):
        before = json.loads(row["before"]) if row["before"] else {}
        after = json.loads(row["after"]) if row["after"] else {}
        changes = []
        for name in ("status", "title", "body", "alternates", "section", "audience", "category", "department",
                     "url", "updated", "review_by"):
            old, new = before.get(name), after.get(name)
            if name == "alternates":
                old = "\n".join(json.loads(old) if isinstance(old, str) and old else (old or []))
                new = "\n".join(json.loads(new) if isinstance(new, str) and new else (new or []))
            if (old or "") != (new or ""):
                changes.append((name, old or "", new or ""))
        rows.append({**row, "changes": changes})
    return rows


# --- listing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryFilter:
    query: str = ""
    kind: str = ""
    audience: str = ""
    category: str = ""
    department: str = ""
    status: str = "active"   # active | retired | "" (all)
    stale: bool = False      # past the review-by date
    incomplete: bool = False  # 所管課, 更新日 or review-by missing


@dataclass
class EntryPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    per_page: int


def is_stale(entry: Entry, today: date | None = None) -> bool:
    review_by = parse_date(entry.review_by)
    return review_by is not None and review_by < (today or date.today())


def missing_metadata(entry: Entry) -> list[str]:
    """Labels of the freshness fields an entry lacks."""
    missing = []
    if not entry.department:
        missing.append("所管課")
    if not parse_date(entry.updated):
        missing.append("更新日")
    if not parse_date(entry.review_by):
        missing.append("見直し期限")
    return missing


def find_entries(store: KnowledgeStore, criteria: EntryFilter = EntryFilter(), page: int = 1, per_page: int = 50,
                 today: date | None = None) -> EntryPage:
    """Entries matching ``criteria`` (substring search over id, question, body and alternates), paged."""
    today = today or date.today()
    words = [normalize_question(w) for w in (criteria.query or "").split() if normalize_question(w)]
    matched = []
    for entry in store.entries(status=criteria.status or None):
        if criteria.kind and entry.kind != criteria.kind:
            continue
        if criteria.audience and entry.audience != criteria.audience:
            continue
        if criteria.category and entry.category != criteria.category:
            continue
        if criteria.department and entry.department != criteria.department:
            continue
        if criteria.stale and not is_stale(entry, today):
            continue
        if criteria.incomplete and not missing_metadata(entry):
            continue
        if words:
            haystack = normalize_question(" ".join([entry.id, entry.title, entry.section, entry.body,
                                                    *entry.alternates]))
            if not all(w in haystack for w in words):
                continue
        matched.append(entry)
    per_page = max(1, per_page)
    pages = max(1, -(-len(matched) // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    return EntryPage(matched[start:start + per_page], len(matched), page, pages, per_page)


def facet_values(store: KnowledgeStore) -> dict[str, list[str]]:
    """Distinct categories and departments (for filter menus), plus the configured departments."""
    categories, departments = set(), {d["name"] for d in store.departments()}
    for entry in store.entries(status=None):
        if entry.category:
            categories.add(entry.category)
        if entry.department:
            departments.add(entry.department)
    return {"category": sorted(categories), "department": sorted(departments), "kind": list(KINDS),
            "audience": list(AUDIENCES)}


# --- freshness ------------------------------------------------------------------------------------
def stale_entries(store: KnowledgeStore, today: date | None = None) -> list[Entry]:
    """Active entries past their review-by date, oldest deadline first."""
    today = today or date.today()
    stale = [e for e in store.entries(status="active") if is_stale(e, today)]
    return sorted(stale, key=lambda e: (parse_date(e.review_by), e.department, e.id))


@dataclass
class Digest:
    today: date
    by_department: dict[str, list[Entry]]
    incomplete: int

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.by_department.values())


NO_DEPARTMENT = "（所管課未設定）"


def freshness_digest(store: KnowledgeStore, today: date | None = None) -> Digest:
    """Entries past review-by grouped by 所管課 (departments with most overdue first)."""
    today = today or date.today()
    grouped: dict[str, list[Entry]] = {}
    for entry in stale_entries(store, today):
        grouped.setdefault(entry.department or NO_DEPARTMENT, []).append(entry)
    ordered = dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))
    incomplete = sum(1 for e in store.entries(status="active") if missing_metadata(e))
    return Digest(today, ordered, incomplete)


def format_digest(digest: Digest, per_department: int = 20, admin_url: str = "") -> str:
    """Plain-text weekly digest (also used as the Slack message text)."""
    lines = [f"【ナレッジ見直しのお知らせ】{digest.today.isoformat()} 時点",
             f"見直し期限を過ぎたエントリ: {digest.total}件"]
    if not digest.total:
        lines.append("期限切れのエントリはありません。")
    for department, entries in digest.by_department.items():
        lines.append("")
        lines.append(f"■ {department}（{len(entries)}件）")
        for entry in entries[:per_department]:
            lines.append(f"  - {entry.id} {entry.title}{' ' + entry.section if entry.section else ''}"
                         f"（見直し期限 {entry.review_by}）")
        if len(entries) > per_department:
            lines.append(f"  ほか {len(entries) - per_department}件")
    if digest.incomplete:
        lines.append("")
        lines.append(f"所管課・更新日・見直し期限のいずれかが未設定のエントリ: {digest.incomplete}件")
    if admin_url:
        lines.append("")
        lines.append(f"管理画面: {admin_url}")
    return "\n".join(lines)


# --- open-data export -----------------------------------------------------------------------------
def citizen_faq_entries(store: KnowledgeStore) -> list[Entry]:
    """Active FAQ entries a citizen may see (audience citizen or all; never staff)."""
    allowed = set(visible_audiences("citizen"))
    return [e for e in store.entries(status="active") if e.kind == "faq" and e.audience in allowed]


def open_data_rows(store: KnowledgeStore, city_code: str = "", city_name: str = "") -> list[list[str]]:
    """Header and rows in the municipal FAQ open-data columns, with 所管課, URL, 更新日 appended."""
    rows = [[*OPEN_DATA_COLUMNS, *OPEN_DATA_EXTRA_COLUMNS]]
    for entry in citizen_faq_entries(store):
        rows.append([city_code, entry.id, city_name, entry.title, entry.body, entry.category,
                     entry.department, entry.url, entry.updated])
    return rows


def open_data_csv(store: KnowledgeStore, city_code: str = "", city_name: str = "") -> bytes:
    """The citizen FAQ as CSV bytes: UTF-8 with BOM (so Excel opens it correctly), CRLF rows."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(open_data_rows(store, city_code, city_name))
    return buffer.getvalue().encode("utf-8-sig")


def export_faq(store: KnowledgeStore, out: str | Path, city_code: str = "", city_name: str = "") -> int:
    """Write the open-data FAQ CSV to ``out``; returns the number of entries written."""
    data = open_data_csv(store, city_code, city_name)
    Path(out).write_bytes(data)
    return len(citizen_faq_entries(store))


# --- import preview and apply ----------------------------------------------------------------------
@dataclass
class EntryChange:
    before: Entry
    after: Entry
    fields: list[str]
    # Set when the id belonged to another file (or the admin UI) until now.
    moved_from: str = ""


@dataclass
class FilePlan:
    path: Path
    name: str          # what the user knows the file as (upload name)
    source: str        # source key the entries are recorded under
    digest: str = ""
    entries: list[Entry] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    unchanged: int = 0
    retired: list[Entry] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What an import would do (preview) or did (after apply)."""

    files: list[FilePlan]
    applied: bool = False
    embedded: int = 0

    @property
    def added(self) -> list[Entry]:
        return [e for f in self.files for e in f.added]

    @property
    def changed(self) -> list[EntryChange]:
        return [c for f in self.files for c in f.changed]

    @property
    def retired(self) -> list[Entry]:
        return [e for f in self.files for e in f.retired]

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def problems(self) -> list[RowProblem]:
        return [p for f in self.files for p in f.problems]

    @property
    def errors(self) -> list[tuple[str, int | None, str]]:
        return [(f.name, line, message) for f in self.files for line, message in f.errors]

    @property
    def can_apply(self) -> bool:
        return bool(self.files) and not self.errors


_COMPARED_FIELDS = ("kind", "title", "body", "section", "url", "page", "audience", "category", "department",
                    "updated", "review_by", "status", "alternates")


def _differing_fields(before: Entry, after: Entry) -> list[str]:
    return [name for name in _COMPARED_FIELDS if getattr(before, name) != getattr(after, name)]


def _with_defaults(metadata: SourceMetadata, defaults: dict | None) -> SourceMetadata:
    """File metadata with ``defaults`` filling only what the file (and sources.toml) leave empty."""
    if not defaults:
        return metadata
    fill = {k: str(v) for k, v in defaults.items()
            if v and k in SourceMetadata.__dataclass_fields__ and not getattr(metadata, k)}
    return replace(metadata, **fill)


def _plan_file(store: KnowledgeStore, path: Path, name: str, source: str, audience: str,
               defaults: dict | None) -> FilePlan:
    """A file's entries and bad rows (or why it cannot be read), not yet compared with the store."""
    plan = FilePlan(path=path, name=name, source=source)
    try:
        raw = path.read_bytes()
        plan.digest = hashlib.sha256(raw + audience.encode()).hexdigest()
        metadata = _with_defaults(metadata_for(path, forced_audience=audience), defaults)
        loaded = load_knowledge_file(path, metadata)
    except KnowledgeFileError as exc:
        plan.errors = exc.all_problems()
        return plan
    except OSError as exc:
        plan.errors = [(None, f"ファイルを読めません: {exc}")]
        return plan
    plan.problems = [RowProblem(name, p.line, p.message) for p in loaded.problems]
    plan.entries = [e.with_changes(source=source) for e in loaded.entries]
    return plan


def _classify(store: KnowledgeStore, plan: FilePlan) -> FilePlan:
    """Sort a loaded file's entries into added, changed and unchanged; find what it retires."""
    source = plan.source
    for entry in plan.entries:
        before = store.get(entry.id)
        if before is None:
            plan.added.append(entry)
            continue
        fields = _differing_fields(before, entry)
        moved_from = before.source if before.source != source else ""
        if fields or moved_from:
            plan.changed.append(EntryChange(before, entry, fields, moved_from))
        else:
            plan.unchanged += 1
    kept = {e.id for e in plan.entries}
    plan.retired = [store.get(i) for i in sorted(store.ids_from_source(source) - kept)]
    return plan


def _file_list(store: KnowledgeStore, paths, source_keys: dict[str, str] | None):
    files = []
    for path, source in collect_files(paths):
        source = (source_keys or {}).get(path.name, source)
        files.append((path, path.name, source))
    return files


def preview_import(store: KnowledgeStore, paths: list[str | Path], audience: str = "",
                   source_keys: dict[str, str] | None = None, defaults: dict | None = None,
                   names: dict[str, str] | None = None) -> ImportPlan:
    """What importing ``paths`` would add, change and retire, and which rows are bad (with line
    numbers) — without changing anything.

    ``source_keys`` maps a file name to the source key its entries are recorded under (so an
    uploaded ``city-faq.csv`` can replace the entries first imported as ``faq/city-faq.csv``);
    ``defaults`` fills metadata (department, updated, review_by, url, category, title) a file does
    not declare; ``names`` maps a file name to the name shown in messages.
    """
    if audience and audience not in AUDIENCES:
        raise CurationError(f"unknown audience {audience!r} (use citizen, staff or all)")
    plans = [_plan_file(store, path, (names or {}).get(name, name), source, audience, defaults)
             for path, name, source in _file_list(store, paths, source_keys)]
    claimed, duplicates = claim_ids([(plan.name, plan.entries) for plan in plans])
    for plan, entries in zip(plans, claimed):
        plan.entries = entries
        plan.problems += [p for p in duplicates if p.path == plan.name]
        if not plan.errors:  # an unreadable file changes nothing, so it retires nothing
            _classify(store, plan)
    return ImportPlan(plans)


def apply_import(store: KnowledgeStore, paths: list[str | Path], changed_by: str, audience: str = "",
                 source_keys: dict[str, str] | None = None, defaults: dict | None = None,
                 names: dict[str, str] | None = None, embedder_spec: str = "") -> ImportPlan:
    """Apply what ``preview_import`` shows (recomputed now, so nothing stale is applied).

    Bad rows are skipped as in ``madoguchi import``; a file that cannot be read at all
    stops the whole import before anything changes.
    """
    with _WRITE_LOCK:
        plan = preview_import(store, paths, audience, source_keys, defaults, names)
        if plan.errors:
            name, line, message = plan.errors[0]
            raise CurationError(f"{name}:{line}: {message}" if line else f"{name}: {message}")
        analyzer = _analyzer(store)
        for file in plan.files:
            for entry in file.entries:
                store.save_entry(entry, analyze_entry(analyzer, entry), changed_by=changed_by)
            for gone in file.retired:
                store.retire(gone.id, changed_by=changed_by)
            store.record_source(file.source, file.digest, len(file.entries))
        plan.embedded = refresh_indexes(store, embedder_spec)
        plan.applied = True
    return plan


def known_source_for(store: KnowledgeStore, file_name: str) -> str:
    """The existing source key an uploaded file most likely replaces (same file name), else the name."""
    matches = sorted(r["path"] for r in store.db.query("select path from sources")
                     if Path(r["path"]).name == file_name)
    return matches[0] if len(matches) == 1 else file_name


def source_keys(store: KnowledgeStore) -> list[str]:
    return [r["path"] for r in store.db.query("select path from sources order by path")]
