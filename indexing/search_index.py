"""What gets analyzed and embedded for each entry, and the per-audience search indexes.

An audience's index holds only the entries that audience may see (citizen: citizen +
all; staff: staff + all), so staff knowledge is not even present in the index a
citizen's question runs against.

This module is the one place that builds, saves and loads those indexes: the importer
saves them after each change (``save_indexes``), the retriever loads them
(``load_indexes``), and either rebuilds from the store when the saved files do not
match the current knowledge version.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from indexing.entries import Entry, visible_audiences
from indexing.japanese import JapaneseAnalyzer
from indexing.lexical import BM25Index

# How much of a section's body its passage vector reads, by kind (the lexical index reads all
# of it). Embedding cost grows with the tokens (and attention with their square), so these
# budgets set the first import's time: guide and plan passages were 3/4 of its embedding work
# at 600 characters each. A guide section states its point first and is usually short (median
# 250 characters): 600 keeps nearly all of it, and 400 or 300 each cost a held-out question. A
# plan section is a long policy passage whose heading carries most of what a question matches:
# its opening 150 characters (43% of the tokens of its first 600, a sixth of the attention)
# kept dev and held-out Hit@1 as they were at 600, while 90 lost 4 dev questions and the
# heading alone 7 (benchmarks/quality_report.py).
BODY_CHARS_EMBEDDED = {"guide": 600, "plan": 150}


def embedding_texts(entry: Entry) -> list[tuple[str, str]]:
    """(role, text) pairs embedded for an entry; role is 'query' or 'passage'.

    FAQ questions are embedded as queries (question-to-question similarity is what
    e5-style models do best); guide and plan sections as passages: their heading and the
    opening of their body (``BODY_CHARS_EMBEDDED``). FAQ answers are not embedded: they
    were half of the first import's embedding work and moved Hit@1 on the held-out sets by
    one question in ~200 (benchmarks/quality_report.py); BM25 still reads them.
    """
    if entry.kind == "faq":
        return [("query", entry.title)] + [("query", alt) for alt in entry.alternates]
    heading = f"{entry.title} {entry.section}".strip()
    body = entry.body[:BODY_CHARS_EMBEDDED.get(entry.kind, BODY_CHARS_EMBEDDED["guide"])]
    texts = [("passage", f"{heading}\n{body}")]
    if entry.kind == "guide":
        # A guide section's heading (with its title for context) is the question the section
        # answers, so a user's question is also compared with it as a query; dropping these
        # vectors (4% of the embedding work) cost 5 held-out questions.
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


def split_fields(terms: list[str]) -> tuple[list[str], list[str]]:
    """(question terms, answer terms) of a term list made by ``analyze_entry``: the head (a FAQ's
    question and alternates, a section heading) is stored twice before the tail, so it is the
    longest prefix repeated right after itself."""
    first = terms[0] if terms else None
    for n in range(len(terms) // 2, 0, -1):
        if terms[n] == first and terms[2 * n - 1] == terms[n - 1] and terms[:n] == terms[n:2 * n]:
            return terms[:n], terms[2 * n:]
    return [], terms


@dataclass
class AudienceIndex:
    audience: str
    entries: list[Entry]
    terms: BM25Index
    grams: BM25Index
    dense: faiss.Index
    # Row of the dense index → position in ``entries`` (an entry has several vectors).
    dense_rows: np.ndarray
    # The question field (a FAQ's question and alternates, a section heading) and the answer field
    # (body, category) indexed apart: the learned ranker reads how much of a question each covers.
    questions: BM25Index | None = None
    answers: BM25Index | None = None

    # Masks over the score arrays a question reads, made once per index: comparing 50,000 entries'
    # kinds or audiences took ~0.9 ms each time.
    @cached_property
    def plans(self) -> np.ndarray:
        """True at the positions of plan passages."""
        return np.fromiter((e.kind == "plan" for e in self.entries), dtype=bool, count=len(self.entries))

    @cached_property
    def staff_only(self) -> np.ndarray:
        """True at the positions of entries only staff may see."""
        return np.fromiter((e.audience == "staff" for e in self.entries), dtype=bool, count=len(self.entries))

    @cached_property
    def topics(self) -> list[str] | None:
        """Each entry's topic (retrieval.topic_cluster): its category; its department where the knowledge
        has fewer than two categories; None where it has fewer than two of either."""
        for field in ("category", "department"):
            values = [getattr(e, field) for e in self.entries]
            if len(set(values) - {""}) >= 2:
                return values
        return None

    @cached_property
    def topic_shares(self) -> dict[str, float]:
        """Each topic's share of the entries (what a random entry's chance is to be of it)."""
        counts = Counter(self.topics or ())
        return {topic: n / max(len(self.entries), 1) for topic, n in counts.items()}

    def dense_scores(self, query_vector: np.ndarray, k: int) -> np.ndarray:
        """Best cosine per entry among its vectors (entries without a hit get 0)."""
        scores = np.zeros(len(self.entries), dtype=np.float32)
        if self.dense.ntotal == 0:
            return scores
        k = min(k, self.dense.ntotal)
        # One question is one pass over the vectors: on one core it takes 0.5 ms at 11k vectors and
        # 4.5 ms at 55k, while FAISS's default (every core) waits for busy cores (6-48 ms at load 4-5).
        # OpenMP keeps the thread count per calling thread, so this affects this thread only.
        faiss.omp_set_num_threads(1)
        similarities, rows = self.dense.search(query_vector.reshape(1, -1).astype(np.float32), k)
        found = rows[0] >= 0
        # Several vectors of one entry may be among the hits: the entry keeps the best (and 0 over a negative).
        np.maximum.at(scores, self.dense_rows[rows[0][found]], similarities[0][found])
        return scores


def build_audience_index(audience: str, rows: list[dict], vectors: dict[str, np.ndarray], dim: int) -> AudienceIndex:
    allowed = set(visible_audiences(audience))
    rows = [r for r in rows if r["audience"] in allowed]
    entries = [Entry.from_dict(r) for r in rows]
    term_lists = [json.loads(r["terms"] or "[]") for r in rows]
    fields = [split_fields(t) for t in term_lists]
    terms = BM25Index(term_lists)
    grams = BM25Index([json.loads(r["reading_grams"] or "[]") for r in rows])
    index = AudienceIndex(audience, entries, terms, grams, faiss.IndexFlatIP(dim), np.array([], dtype=np.int64),
                          BM25Index([f[0] for f in fields]), BM25Index([f[1] for f in fields]))
    return with_dense(index, vectors, dim)


def with_dense(index: AudienceIndex, vectors: dict[str, np.ndarray], dim: int) -> AudienceIndex:
    """``index`` with its FAISS part built from ``vectors`` (the lexical part is kept as it is)."""
    matrix, owners = [], []
    for position, entry in enumerate(index.entries):
        for role, text in embedding_texts(entry):
            vector = vectors.get(text_hash(role, text))
            if vector is not None:
                matrix.append(vector)
                owners.append(position)
    dense = faiss.IndexFlatIP(dim)
    if matrix:
        dense.add(np.vstack(matrix).astype(np.float32))
    index.dense, index.dense_rows = dense, np.array(owners, dtype=np.int64)
    return index


INDEX_DIR = "index"
AUDIENCES = ("citizen", "staff")


def index_directory(data_dir: Path, embedder_name: str) -> Path:
    return Path(data_dir) / INDEX_DIR / embedder_name


def save_dense_index(index: AudienceIndex, directory: Path, version: int):
    """Write an audience's FAISS file and its metadata so that a reader sees the old pair or
    the new one, never a mix: the FAISS file is named after the version and the metadata
    (which names it) replaces the old one in one ``os.replace``."""
    directory.mkdir(parents=True, exist_ok=True)
    faiss_name = f"{index.audience}-{version}.faiss"
    temporary = directory / f".{faiss_name}.{os.getpid()}.tmp"
    faiss.write_index(index.dense, str(temporary))
    os.replace(temporary, directory / faiss_name)
    meta = directory / f"{index.audience}.json"
    temporary_meta = directory / f".{index.audience}.json.{os.getpid()}.tmp"
    temporary_meta.write_text(json.dumps({"version": version, "faiss": faiss_name, "rows": index.dense_rows.tolist(),
                                          "ids": [e.id for e in index.entries]}))
    os.replace(temporary_meta, meta)
    for old in directory.glob(f"{index.audience}-*.faiss"):
        if old.name != faiss_name:
            old.unlink(missing_ok=True)


def _vectors_for(store, embedder_name: str, rows: list[dict]) -> dict[str, np.ndarray]:
    hashes = [text_hash(role, text) for r in rows for role, text in embedding_texts(Entry.from_dict(r))]
    return store.cached_vectors(embedder_name, hashes)


def snapshot(store) -> tuple[int, list[dict]]:
    """The knowledge version and its active rows, read in one transaction (never a mix)."""
    return store.snapshot()


def save_indexes(store, embedder_name: str, dim: int) -> int:
    """Build every audience's index for the store's current knowledge and save it; the version."""
    version, rows = snapshot(store)
    vectors = _vectors_for(store, embedder_name, rows)
    for audience in AUDIENCES:
        index = build_audience_index(audience, rows, vectors, dim)
        save_dense_index(index, index_directory(store.data_dir, embedder_name), version)
    return version


def _load_saved(directory: Path, audience: str, version: int, lexical: AudienceIndex) -> AudienceIndex | None:
    """``lexical`` with the saved dense index, if the saved files match this knowledge version."""
    meta_path = directory / f"{audience}.json"
    try:
        meta = json.loads(meta_path.read_text())
        if meta.get("version") != version or meta.get("ids") != [e.id for e in lexical.entries]:
            return None
        dense = faiss.read_index(str(directory / meta.get("faiss", f"{audience}.faiss")))
    except (OSError, ValueError, RuntimeError):
        return None  # missing, half-written by an older version, or replaced meanwhile: rebuild
    lexical.dense = dense
    lexical.dense_rows = np.array(meta["rows"], dtype=np.int64)
    return lexical


def load_indexes(store, embedder_name: str, dim: int) -> tuple[int, dict[str, AudienceIndex]]:
    """(knowledge version, audience → index): the saved dense files when they match the
    current version, otherwise rebuilt from the store's rows and cached vectors."""
    version, rows = snapshot(store)
    directory = index_directory(store.data_dir, embedder_name)
    indexes, vectors = {}, None
    for audience in AUDIENCES:
        lexical = build_audience_index(audience, rows, {}, dim)
        index = _load_saved(directory, audience, version, lexical)
        if index is None:
            if vectors is None:
                vectors = _vectors_for(store, embedder_name, rows)
            index = with_dense(lexical, vectors, dim)
            # This host's cache of the knowledge held in the database (another host, or an
            # admin edit, changed it): the next process here loads it instead of rebuilding.
            try:
                save_dense_index(index, directory, version)
            except OSError:
                pass
        indexes[audience] = index
    return version, indexes
