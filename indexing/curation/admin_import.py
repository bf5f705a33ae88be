"""The admin UI's import: preview what uploaded files would add, change and retire, then apply it.

    >>> plan = preview_import(store, [Path("city-faq.csv")], source_keys={"city-faq.csv": "faq/city-faq.csv"})
    >>> len(plan.added), len(plan.changed), len(plan.retired), plan.errors
    >>> apply_import(store, [Path("city-faq.csv")], changed_by="sato")
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexing.curation.validation import CurationError
from indexing.entries import CONTENT_FIELDS, ENTRY_AUDIENCES, Entry
from indexing.importer import claim_ids, collect_files, import_paths, keep_stored_fields, metadata_with_defaults
from indexing.loaders import KnowledgeFileError, RowProblem, load_knowledge_file
from indexing.loaders.source_metadata import metadata_for
from indexing.storage.knowledge import KnowledgeStore, knowledge_write_lock


# --- import preview and apply ----------------------------------------------------------------------
# An apply retiring at least this many entries, and more than it keeps, needs a second confirmation.
MASS_RETIREMENT_MIN = 10

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
    problems: list[RowProblem] = field(default_factory=list)  # rows skipped
    notes: list[RowProblem] = field(default_factory=list)     # rows imported with something left empty
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
    def notes(self) -> list[RowProblem]:
        return [p for f in self.files for p in f.notes]

    @property
    def errors(self) -> list[tuple[str, int | None, str]]:
        return [(f.name, line, message) for f in self.files for line, message in f.errors]

    @property
    def can_apply(self) -> bool:
        return bool(self.files) and not self.errors

    @property
    def mass_retirement(self) -> bool:
        """Whether applying would retire most of what the files' sources held (a one-row file uploaded under
        the name of the whole FAQ): the admin UI then asks for a second, explicit confirmation."""
        retired = len(self.retired)
        kept = self.unchanged + len(self.changed)
        return retired >= MASS_RETIREMENT_MIN and retired > kept


def _differing_fields(before: Entry, after: Entry) -> list[str]:
    return [name for name in CONTENT_FIELDS if getattr(before, name) != getattr(after, name)]


def _plan_file(store: KnowledgeStore, path: Path, name: str, source: str, audience: str,
               defaults: dict | None) -> FilePlan:
    """A file's entries and bad rows (or why it cannot be read), not yet compared with the store."""
    plan = FilePlan(path=path, name=name, source=source)
    try:
        raw = path.read_bytes()
        plan.digest = hashlib.sha256(raw + audience.encode()).hexdigest()
        metadata = metadata_with_defaults(metadata_for(path, forced_audience=audience), defaults)
        loaded = load_knowledge_file(path, metadata)
    except KnowledgeFileError as exc:
        plan.errors = exc.all_problems()
        return plan
    except OSError as exc:
        plan.errors = [(None, f"ファイルを読めません: {exc}")]
        return plan
    named = [replace(p, path=name) for p in loaded.problems]
    plan.problems = [p for p in named if not p.kept]
    plan.notes = [p for p in named if p.kept]
    plan.entries = keep_stored_fields(store, [e.with_changes(source=source) for e in loaded.entries], loaded.absent)
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
    if audience and audience not in ENTRY_AUDIENCES:
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
                 names: dict[str, str] | None = None, embedder_spec: str = "",
                 progress: Callable[[str], None] | None = None) -> ImportPlan:
    """Apply what ``preview_import`` shows, through the same pipeline as ``madoguchi import``
    (one transaction, the data dir's knowledge lock, synonym and department files honoured);
    ``progress`` gets the importer's progress lines (count, rate, ETA).

    Bad rows are skipped as in ``madoguchi import``; a file that cannot be read at all
    stops the whole import before anything changes.
    """
    with knowledge_write_lock(store.data_dir):
        plan = preview_import(store, paths, audience, source_keys, defaults, names)
        if plan.errors:
            name, line, message = plan.errors[0]
            raise CurationError(f"{name}:{line}: {message}" if line else f"{name}: {message}")
        try:
            report = import_paths(paths, store.data_dir, audience=audience, embedder_spec=embedder_spec,
                                  progress=progress, changed_by=changed_by, defaults=defaults, source_keys=source_keys,
                                  names=names, folder_sync=False)
        except KnowledgeFileError as exc:
            raise CurationError(str(exc)) from exc
        plan.embedded = report.embedded
        plan.applied = True
    return plan


def known_source_for(store: KnowledgeStore, file_name: str) -> str:
    """The existing source key an uploaded file most likely replaces (same file name), else the name."""
    matches = sorted(path for path in store.source_paths() if Path(path).name == file_name)
    return matches[0] if len(matches) == 1 else file_name


def source_keys(store: KnowledgeStore) -> list[str]:
    return store.source_paths()
