"""What gets analyzed and embedded for each entry, and the per-audience search indexes.

An audience's index holds only the entries that audience may see (citizen: citizen +
all; staff: staff + all), so staff knowledge is not even present in the index a
citizen's question runs against.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from indexing.entries import Entry, visible_audiences
from indexing.japanese import JapaneseAnalyzer
from indexing.lexical import BM25Index

ANSWER_CHARS_EMBEDDED = 400
BODY_CHARS_EMBEDDED = 600


def embedding_texts(entry: Entry) -> list[tuple[str, str]]:
    """(role, text) pairs embedded for an entry; role is 'query' or 'passage'.

    FAQ questions are embedded as queries (question-to-question similarity is what
    e5-style models do best); bodies as passages.
    """
    if entry.kind == "faq":
        texts = [("query", entry.title)]
        texts += [("query", alt) for alt in entry.alternates]
        texts.append(("passage", f"{entry.title}\n{entry.body[:ANSWER_CHARS_EMBEDDED]}"))
        return texts
    heading = f"{entry.title} {entry.section}".strip()
    texts = [("passage", f"{heading}\n{entry.body[:BODY_CHARS_EMBEDDED]}")]
    if entry.kind == "guide":
        # A guide section's heading (with its title for context) is the question the section
        # answers, so a user's question is also compared with it as a query.
        texts.append(("query", heading))
    return texts


def text_hash(role: str, text: str) -> str:
    return hashlib.sha256(f"{role}\x00{text}".encode("utf-8")).hexdigest()


def analyze_entry(analyzer: JapaneseAnalyzer, entry: Entry) -> tuple[list[str], list[str]]:
    """(terms, reading bigrams) for the lexical index; questions and section headings count double."""
    if entry.kind == "faq":
        head = " ".join([entry.title, *entry.alternates])
        tail = f"{entry.body} {entry.category} {entry.section}"
    elif entry.section:
        # The section heading distinguishes sections of one document; the shared title
        # counts once, like body text.
        head = entry.section
        tail = f"{entry.title} {entry.body}"
    else:
        head = entry.title
        tail = entry.body
    head_analysis = analyzer.analyze(head)
    terms = list(head_analysis.terms) * 2 + list(analyzer.analyze(tail).terms)
    return terms, list(head_analysis.reading_grams)


@dataclass
class AudienceIndex:
    audience: str
    entries: list[Entry]
    terms: BM25Index
    grams: BM25Index
    dense: faiss.Index
    # Row of the dense index → position in ``entries`` (an entry has several vectors).
    dense_rows: np.ndarray

    def dense_scores(self, query_vector: np.ndarray, k: int) -> np.ndarray:
        """Best cosine per entry among its vectors (entries without a hit get 0)."""
        scores = np.zeros(len(self.entries), dtype=np.float32)
        if self.dense.ntotal == 0:
            return scores
        k = min(k, self.dense.ntotal)
        similarities, rows = self.dense.search(query_vector.reshape(1, -1).astype(np.float32), k)
        for similarity, row in zip(similarities[0], rows[0]):
            if row < 0:
                continue
            position = self.dense_rows[row]
            if similarity > scores[position]:
                scores[position] = similarity
        return scores


def build_audience_index(audience: str, rows: list[dict], vectors: dict[str, np.ndarray], dim: int) -> AudienceIndex:
    allowed = set(visible_audiences(audience))
    rows = [r for r in rows if r["audience"] in allowed]
    entries = [Entry.from_dict(r) for r in rows]
    terms = BM25Index([json.loads(r["terms"] or "[]") for r in rows])
    grams = BM25Index([json.loads(r["reading_grams"] or "[]") for r in rows])
    matrix, owners = [], []
    for position, entry in enumerate(entries):
        for role, text in embedding_texts(entry):
            vector = vectors.get(text_hash(role, text))
            if vector is not None:
                matrix.append(vector)
                owners.append(position)
    index = faiss.IndexFlatIP(dim)
    if matrix:
        index.add(np.vstack(matrix).astype(np.float32))
    return AudienceIndex(audience, entries, terms, grams, index, np.array(owners, dtype=np.int64))


def save_dense_index(index: AudienceIndex, directory: Path, version: int):
    directory.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index.dense, str(directory / f"{index.audience}.faiss"))
    (directory / f"{index.audience}.json").write_text(json.dumps(
        {"version": version, "rows": index.dense_rows.tolist(), "ids": [e.id for e in index.entries]}))
