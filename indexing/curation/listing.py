"""Finding entries for the admin lists: filters, paging and the values the filter menus offer.

    >>> page = find_entries(store, EntryFilter(query="粗大ゴミ", kind="faq"), per_page=20)
    >>> [e.id for e in page.entries], page.total
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from indexing.curation.validation import is_stale, missing_metadata, normalize_question
from indexing.dates import city_today
from indexing.entries import ENTRY_AUDIENCES, KINDS, Entry
from indexing.storage.knowledge import KnowledgeStore


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


def find_entries(store: KnowledgeStore, criteria: EntryFilter = EntryFilter(), page: int = 1, per_page: int = 50,
                 today: date | None = None) -> EntryPage:
    """Entries matching ``criteria`` (substring search over id, question, body and alternates), paged."""
    today = today or city_today()
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
            "audience": list(ENTRY_AUDIENCES)}
