"""Hybrid retrieval: BM25 on dictionary terms and reading bigrams, plus FAISS dense search,
fused with weights fitted on the dev set. Indexes load once per process and reload when
the knowledge version changes (an import or an admin edit)."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import faiss
import numpy as np

from bot.answer import Hit
from bot.calibration import Calibration, load_calibration
from indexing.embeddings import get_embedder
from indexing.entries import Entry, visible_audiences
from indexing.importer import INDEX_DIR
from indexing.japanese import JapaneseAnalyzer
from indexing.search_index import AudienceIndex, build_audience_index, embedding_texts, text_hash
from indexing.store import KnowledgeStore

DENSE_CANDIDATES = 100


class Retriever:
    def __init__(self, data_dir: str | Path, embedder_spec: str = "", calibration: Calibration | None = None):
        self.store = KnowledgeStore(data_dir)
        self.embedder = get_embedder(embedder_spec)
        self.calibration = calibration or load_calibration(self.embedder.name)
        self._lock = threading.Lock()
        self._version = -1
        self._indexes: dict[str, AudienceIndex] = {}
        self.analyzer: JapaneseAnalyzer | None = None
        self.departments: list[dict] = []
        self._ensure_fresh()

    # --- loading --------------------------------------------------------------------------
    def _ensure_fresh(self):
        version = self.store.knowledge_version()
        if version == self._version:
            return
        with self._lock:
            if version == self._version:
                return
            rows = self.store.index_rows()
            hashes = [text_hash(role, text) for r in rows for role, text in embedding_texts(Entry.from_dict(r))]
            indexes = {}
            for audience in ("citizen", "staff"):
                saved = self._load_saved(audience, version, rows)
                if saved is None:
                    vectors = self.store.cached_vectors(self.embedder.name, hashes)
                    saved = build_audience_index(audience, rows, vectors, self.embedder.dim)
                indexes[audience] = saved
            self._indexes = indexes
            self.analyzer = JapaneseAnalyzer(self.store.synonyms())
            self.departments = self.store.departments()
            self._version = version

    def _load_saved(self, audience: str, version: int, rows: list[dict]) -> AudienceIndex | None:
        """The FAISS file written by the last import, if it matches the current knowledge."""
        directory = self.store.data_dir / INDEX_DIR / self.embedder.name
        meta_path, faiss_path = directory / f"{audience}.json", directory / f"{audience}.faiss"
        if not (meta_path.exists() and faiss_path.exists()):
            return None
        meta = json.loads(meta_path.read_text())
        lexical_only = build_audience_index(audience, rows, {}, self.embedder.dim)
        if meta.get("version") != version or meta.get("ids") != [e.id for e in lexical_only.entries]:
            return None
        lexical_only.dense = faiss.read_index(str(faiss_path))
        lexical_only.dense_rows = np.array(meta["rows"], dtype=np.int64)
        return lexical_only

    def index(self, audience: str) -> AudienceIndex:
        visible_audiences(audience)  # validates
        self._ensure_fresh()
        return self._indexes[audience]

    # --- search ---------------------------------------------------------------------------
    def search(self, query: str, audience: str, top: int = 10) -> list[Hit]:
        index = self.index(audience)
        if not index.entries or not query.strip():
            return []
        analysis = self.analyzer.analyze(query)
        terms = index.terms.scores(list(analysis.terms))
        grams = index.grams.scores(list(analysis.reading_grams))
        query_vector = self.embedder.embed_queries([query])[0]
        dense = index.dense_scores(query_vector, DENSE_CANDIDATES)
        c = self.calibration
        fused = c.dense_weight * dense + c.terms_weight * terms + c.grams_weight * grams
        order = np.argsort(-fused)[:top]
        lexical = c.terms_weight * terms + c.grams_weight * grams
        return [Hit(index.entries[i], float(fused[i]), float(dense[i]), float(lexical[i] / max(
            c.terms_weight + c.grams_weight, 1e-9))) for i in order if fused[i] > 0]

    def confidence(self, hits: list[Hit]) -> float:
        if not hits:
            return 0.0
        second = hits[1].score if len(hits) > 1 else 0.0
        return self.calibration.confidence({"fused": hits[0].score, "dense": hits[0].dense,
                                            "lexical": hits[0].lexical, "margin": hits[0].score - second})
