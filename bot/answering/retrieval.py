"""Hybrid retrieval: BM25 on dictionary terms and reading bigrams, plus FAISS dense search,
fused with weights fitted on the dev set. Indexes load once per process and reload when
the knowledge version changes (an import or an admin edit)."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from bot.answering.answer import Hit
from bot.answering.calibration import Calibration, load_calibration
from indexing.embeddings import get_embedder
from indexing.entries import Entry, visible_audiences
from indexing.importer import INDEX_DIR
from indexing.japanese import JapaneseAnalyzer, KanaSpelling
from indexing.language import JAPANESE, UNDETERMINED
from indexing.search_index import AudienceIndex, build_audience_index, embedding_texts, text_hash
from indexing.store import KnowledgeStore

DENSE_CANDIDATES = 100
# Fusion weights and abstention model for questions not in Japanese (benchmarks/crosslang.py --fit).
CROSSLANG_CALIBRATION_FILE = Path(__file__).with_name("calibration_crosslang.json")


class Retriever:
    def __init__(self, data_dir: str | Path, embedder_spec: str = "", calibration: Calibration | None = None,
                 crosslang_calibration: Calibration | None = None):
        self.store = KnowledgeStore(data_dir)
        self.embedder = get_embedder(embedder_spec)
        self.calibration = calibration or load_calibration(self.embedder.name)
        self.crosslang_calibration = crosslang_calibration or _crosslang_calibration(self.embedder.name,
                                                                                    self.calibration)
        self._lock = threading.Lock()
        self._version = -1
        self._indexes: dict[str, AudienceIndex] = {}
        self._spellings: dict[str, KanaSpelling] = {}
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
            self._spellings = {audience: KanaSpelling(index.terms.vocabulary_by_frequency())
                               for audience, index in indexes.items()}
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

    # --- the language branch ------------------------------------------------------------------
    def calibration_for(self, language: str) -> Calibration:
        """Japanese (or undetermined) questions use the dev-set calibration; others the cross-language one.

        The lexical signals (BM25 on Japanese terms and readings) are ~0 for a question in another
        language, so a model fitted on Japanese questions would decline nearly all of them; the
        multilingual dense part is what finds their entry.
        """
        return self.calibration if language in (JAPANESE, UNDETERMINED, "") else self.crosslang_calibration

    def threshold_for(self, language: str) -> float:
        return self.calibration_for(language).threshold

    # --- search ---------------------------------------------------------------------------
    def query_text(self, query: str, audience: str) -> str:
        """The question as searched: words typed in hiragana respelled with the index's kanji."""
        self._ensure_fresh()
        return self._spellings[audience].respell(query)

    def rank(self, query: str, audience: str, top: int = 10, language: str = "ja") -> "Ranking":
        """Ranked hits plus the signals the abstention model reads."""
        index = self.index(audience)
        if not index.entries or not query.strip():
            return Ranking([], {}, language)
        query = self.query_text(query, audience)
        analysis = self.analyzer.analyze(query)
        query_vector = self.embedder.embed_queries([query])[0]
        c = self.calibration_for(language)
        dense, terms, grams = entry_scores(index, analysis, query_vector)
        fused = c.dense_weight * dense + c.terms_weight * terms + c.grams_weight * grams
        order = np.argsort(-fused)[:top]
        lexical = (c.terms_weight * terms + c.grams_weight * grams) / max(c.terms_weight + c.grams_weight, 1e-9)
        hits = [Hit(index.entries[i], float(fused[i]), float(dense[i]), float(lexical[i])) for i in order if fused[i] > 0]
        signals = ranking_signals(index, analysis, fused, dense, terms, grams,
                                  (c.dense_weight, c.terms_weight, c.grams_weight)) if hits else {}
        return Ranking(hits, signals, language)

    def search(self, query: str, audience: str, top: int = 10, language: str = "ja") -> list[Hit]:
        return self.rank(query, audience, top, language).hits

    def confidence(self, ranking: "Ranking") -> float:
        """Calibrated probability that the best hit answers the question."""
        if not ranking.hits:
            return 0.0
        return self.calibration_for(ranking.language).confidence(ranking.signals)


def _crosslang_calibration(embedder_name: str, fallback: Calibration) -> Calibration:
    """The cross-language block fitted for this embedder, else the Japanese one."""
    if CROSSLANG_CALIBRATION_FILE.exists():
        block = json.loads(CROSSLANG_CALIBRATION_FILE.read_text(encoding="utf-8")).get(embedder_name)
        if block:
            return Calibration(**block)
    return fallback


@dataclass(frozen=True)
class Ranking:
    hits: list[Hit]
    signals: dict
    language: str = JAPANESE


def entry_scores(index: AudienceIndex, analysis, query_vector: np.ndarray):
    """(dense cosine, scaled BM25 on terms, scaled BM25 on reading bigrams) for every entry."""
    terms = index.terms.scores(list(analysis.terms))
    grams = index.grams.scores(list(analysis.reading_grams))
    dense = index.dense_scores(query_vector, DENSE_CANDIDATES)
    return dense, terms, grams


def ranking_signals(index: AudienceIndex, analysis, fused, dense, terms, grams, weights) -> dict:
    """Features of a ranking that tell a real match from a near miss (see bot/calibration.py)."""
    order = np.argsort(-fused)
    best = int(order[0])
    second = int(order[1]) if len(order) > 1 else best
    dense_sorted = np.sort(dense)[::-1][:10]
    lexical_weight = weights[1] + weights[2]
    return {
        "fused": float(fused[best]),
        "dense": float(dense[best]),
        "lexical": float((weights[1] * terms[best] + weights[2] * grams[best]) / max(lexical_weight, 1e-9)),
        "margin": float(fused[best] - fused[second]),
        "coverage": index.terms.coverage(list(analysis.terms), best),
        "unknown": index.terms.unknown_share(list(analysis.terms)),
        "dense_gap": float(dense[best] - dense_sorted.mean()) if len(dense_sorted) else 0.0,
    }
