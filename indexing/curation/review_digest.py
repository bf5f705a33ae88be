"""The review digest: active entries past their review-by date, grouped by 所管課.

``madoguchi digest`` posts ``format_digest(freshness_digest(store))`` to Slack every week::

    >>> print(format_digest(freshness_digest(store), admin_url="https://example.jp/admin/"))
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from indexing.curation.validation import is_stale, missing_metadata, parse_date
from indexing.dates import city_today
from indexing.entries import Entry
from indexing.storage.knowledge import KnowledgeStore


# --- freshness ------------------------------------------------------------------------------------
def stale_entries(store: KnowledgeStore, today: date | None = None) -> list[Entry]:
    """Active entries past their review-by date, oldest deadline first."""
    today = today or city_today()
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
    today = today or city_today()
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
