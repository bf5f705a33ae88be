"""``import``: load knowledge files, update the store incrementally, embed what is new.

Re-importing unchanged content embeds nothing (vectors are cached by content hash);
a changed file updates its entries, and entries gone from a file are retired (never
deleted, so ids in the inquiry log keep their meaning).
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from indexing.embeddings import get_embedder
from indexing.entries import Entry
from indexing.interests import load_interest_config, store_interests
from indexing.japanese import JapaneseAnalyzer, SynonymTable
from indexing.loaders import KNOWLEDGE_SUFFIXES, KnowledgeFileError, RowProblem, load_knowledge_file
from indexing.loaders.source_metadata import SOURCES_FILE, metadata_for
from indexing.search_index import analyze_entry, build_audience_index, embedding_texts, save_dense_index, text_hash
from indexing.store import KnowledgeStore

SYNONYMS_FILE = "synonyms.txt"
DEPARTMENTS_FILE = "departments.toml"
RULES_DIR = "rules"
# Files in a knowledge folder that describe the folder rather than hold knowledge.
_SKIPPED_NAMES = {"readme.md", "license", "license.md", "licence.md", SOURCES_FILE, SYNONYMS_FILE}
INDEX_DIR = "index"


@dataclass
class ImportReport:
    files: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    embedded: int = 0
    synonyms: int | None = None
    departments: int | None = None
    rules: list[str] = field(default_factory=list)
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{self.files} files", f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{self.unchanged} unchanged", f"{len(self.retired)} retired", f"{self.embedded} texts embedded"]
        if self.synonyms is not None:
            parts.append(f"{self.synonyms} synonym groups")
        if self.departments is not None:
            parts.append(f"{self.departments} departments")
        if self.rules:
            parts.append(f"rules: {', '.join(self.rules)}")
        if self.problems:
            parts.append(f"{len(self.problems)} rows skipped")
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
                          and not any(part.startswith(".") for part in found.relative_to(path).parts)]
            if not found_here:
                # Never "sync" an empty or wrongly mounted folder: that would retire everything.
                raise KnowledgeFileError(path, None, "取り込めるファイル（.csv .xlsx .md .txt .pdf）がありません")
            files += [(found, found.relative_to(path).as_posix()) for found in found_here]
        else:
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
            synonyms += sorted(path.rglob(SYNONYMS_FILE))
            departments += sorted(path.rglob(DEPARTMENTS_FILE))
            rules += sorted(p for p in path.rglob("*.toml") if p.parent.name == RULES_DIR)
        elif path.name == SYNONYMS_FILE:
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


def import_paths(paths: list[str | Path], data_dir: str | Path, audience: str = "", embedder_spec: str = "",
                 progress: Callable[[str], None] | None = None, strict: bool = False) -> ImportReport:
    """Import files and folders into the data dir and rebuild its indexes."""
    import time

    started = time.perf_counter()
    say = progress or (lambda message: None)
    report = ImportReport()
    store = KnowledgeStore(data_dir)

    # Validate everything before changing anything: one bad file imports nothing.
    synonym_files, department_files, rule_files = _config_files(paths)
    synonym_text = "\n".join(p.read_text(encoding="utf-8-sig") for p in synonym_files) if synonym_files else None
    if synonym_text is not None:
        try:
            SynonymTable.parse(synonym_text)
        except ValueError as exc:
            raise KnowledgeFileError(synonym_files[0], None, str(exc)) from exc
    departments = [d for p in department_files for d in parse_departments(p)] if department_files else None
    interests = load_interest_config(paths)
    loaded: list[tuple[Path, str, str, list[Entry]]] = []
    for path, source in collect_files(paths):
        raw = path.read_bytes()
        metadata = metadata_for(path, forced_audience=audience)
        result = load_knowledge_file(path, metadata)
        if strict and result.problems:
            first, *rest = result.problems
            raise KnowledgeFileError(path, first.line, first.message, problems=[(p.line, p.message) for p in rest])
        report.problems.extend(result.problems)
        loaded.append((path, source, hashlib.sha256(raw + audience.encode()).hexdigest(), result.entries))
    claimed, duplicates = claim_ids([(str(path), entries) for path, _, _, entries in loaded])
    if strict and duplicates:
        first, *rest = duplicates
        raise KnowledgeFileError(first.path, first.line, first.message, problems=[(p.line, p.message) for p in rest])
    report.problems.extend(duplicates)
    loaded = [(path, source, digest, entries) for (path, source, digest, _), entries in zip(loaded, claimed)]
    report.files = len(loaded)

    if synonym_text is not None and synonym_text != store.synonyms_text():
        store.set_synonyms(synonym_text)
        report.synonyms = len(store.synonyms().groups)
        resynonymize = True
    else:
        resynonymize = False
    if departments is not None:
        store.set_departments(departments)
        report.departments = len(departments)
    store_interests(store, interests)
    for rule_file in rule_files:
        store.set_setting(f"rules:{rule_file.stem}", rule_file.read_text(encoding="utf-8"))
        report.rules.append(rule_file.stem)

    roots = _folder_roots(paths, loaded)
    analyzer = JapaneseAnalyzer(store.synonyms())
    for path, source, digest, entries in loaded:
        entries = [e.with_changes(source=source) for e in entries]
        before = store.ids_from_source(source)
        say(f"{path}: {len(entries)} entries")
        for entry in entries:
            outcome = store.save_entry(entry, analyze_entry(analyzer, entry))
            if outcome == "added":
                report.added.append(entry.id)
            elif outcome == "changed":
                report.changed.append(entry.id)
            else:
                report.unchanged += 1
        for gone in sorted(before - {e.id for e in entries}):
            if store.retire(gone):
                report.retired.append(gone)
        store.record_source(source, digest, len(entries), root=roots.get(source))

    # A file deleted from a folder that is imported again: its entries are retired.
    found = {source for _, source, _, _ in loaded}
    for root in sorted(set(roots.values()) - {""}):
        for source in sorted(store.sources_under(root) - found):
            say(f"{source}: no longer in {root}, its entries are retired")
            for gone in sorted(store.ids_from_source(source)):
                if store.retire(gone):
                    report.retired.append(gone)
            store.forget_source(source)

    if resynonymize:
        # The synonym list changed: every stored analysis is stale.
        for entry in store.entries(status="active"):
            store.update_analysis(entry.id, analyze_entry(analyzer, entry))

    report.embedded = refresh_indexes(store, embedder_spec, say)
    report.seconds = time.perf_counter() - started
    return report


def embed_missing(store: KnowledgeStore, embedder_spec: str = "", say=lambda m: None) -> int:
    """Embed the texts of active entries that have no cached vector for this model."""
    embedder = get_embedder(embedder_spec)
    wanted: dict[str, tuple[str, str]] = {}
    for entry in store.entries(status="active"):
        for role, text in embedding_texts(entry):
            wanted[text_hash(role, text)] = (role, text)
    cached = store.cached_vectors(embedder.name, list(wanted))
    missing = [(h, role, text) for h, (role, text) in wanted.items() if h not in cached]
    batch = 64
    for start in range(0, len(missing), batch):
        part = missing[start:start + batch]
        vectors = {}
        for role in ("query", "passage"):
            items = [(h, t) for h, r, t in part if r == role]
            if not items:
                continue
            encode = embedder.embed_queries if role == "query" else embedder.embed_passages
            for (h, _), vector in zip(items, encode([t for _, t in items])):
                vectors[h] = vector
        store.store_vectors(embedder.name, vectors)
        say(f"embedded {min(start + batch, len(missing))}/{len(missing)}")
    return len(missing)


def refresh_indexes(store: KnowledgeStore, embedder_spec: str = "", say=lambda m: None) -> int:
    """Embed what is missing, write the FAISS files and bump the knowledge version."""
    embedded = embed_missing(store, embedder_spec, say)
    embedder = get_embedder(embedder_spec)
    version = store.bump_version()
    rows = store.index_rows()
    hashes = [text_hash(role, text) for r in rows for role, text in embedding_texts(Entry.from_dict(r))]
    vectors = store.cached_vectors(embedder.name, hashes)
    for audience in ("citizen", "staff"):
        index = build_audience_index(audience, rows, vectors, embedder.dim)
        save_dense_index(index, store.data_dir / INDEX_DIR / embedder.name, version)
    return embedded
