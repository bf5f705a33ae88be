"""Okapi BM25 over analyzed tokens, with scores scaled to [0, 1].

The raw BM25 score is divided by the score the query's own terms could reach at
most (every term matched at saturation), so the result reads as "how much of the
question's weighted vocabulary the entry covers" and is comparable across queries —
needed for fusion with cosine similarity and for abstention.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np


class BM25Index:
    def __init__(self, documents: list[list[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.size = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        self.average_length = float(lengths.mean()) if self.size else 0.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, tokens in enumerate(documents):
            for term, count in Counter(tokens).items():
                postings[term].append((doc_id, count))
        self.idf: dict[str, float] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        norm = k1 * (1 - b + b * lengths / max(self.average_length, 1e-9)) if self.size else lengths
        for term, items in postings.items():
            df = len(items)
            idf = self.idf[term] = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            ids = np.fromiter((i for i, _ in items), dtype=np.int32, count=df)
            tf = np.fromiter((c for _, c in items), dtype=np.float32, count=df)
            # Each document's share of the term's score, IDF included: a query adds it as stored. The
            # product is the float32 one a query made per term before, so scores are bit for bit the same.
            self._postings[term] = (ids, idf * (tf * (k1 + 1) / (tf + norm[ids])))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """Scaled BM25 score of every document for the query (0 where nothing matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        ceiling = 0.0
        for term, weight in Counter(query_tokens).items():
            idf = self.idf.get(term)
            if idf is None:
                # An unknown term still counts in the ceiling: the entry does not cover it.
                ceiling += math.log(1 + (self.size + 0.5) / 0.5) * (self.k1 + 1) * weight if self.size else 0
                continue
            ids, contribution = self._postings[term]
            scores[ids] += contribution if weight == 1 else contribution * weight
            ceiling += idf * (self.k1 + 1) * weight
        if ceiling > 0:
            scores /= ceiling
        return scores

    def coverage(self, query_tokens: list[str], document: int) -> float:
        """IDF-weighted share of the distinct query terms that occur in one document."""
        return float(self.coverages(query_tokens, np.array([document]))[0])

    def coverages(self, query_tokens: list[str], documents: np.ndarray) -> np.ndarray:
        """``coverage`` of each of ``documents`` at once (one pass over each term's postings)."""
        documents = np.asarray(documents)
        covered = np.zeros(len(documents))
        total = 0.0
        unknown_idf = math.log(1 + (self.size + 0.5) / 0.5) if self.size else 1.0
        # Distinct terms in the order the question has them: a set's order follows the process's hash
        # seed, and so would the last digit of these sums.
        for term in dict.fromkeys(query_tokens):
            idf = self.idf.get(term)
            if idf is None:
                total += unknown_idf
                continue
            total += idf
            covered += idf * self._holding(term, documents)
        return covered / total if total else covered

    def document_frequency(self, term: str) -> int:
        """In how many documents the term occurs."""
        postings = self._postings.get(term)
        return len(postings[0]) if postings else 0

    def contains(self, term: str, document: int) -> bool:
        return bool(self.contains_each(term, np.array([document]))[0])

    def contains_each(self, term: str, documents: np.ndarray) -> np.ndarray:
        """``contains`` for each of ``documents`` (a boolean array)."""
        if term not in self._postings:
            return np.zeros(len(documents), dtype=bool)
        return self._holding(term, np.asarray(documents))

    def _holding(self, term: str, documents: np.ndarray) -> np.ndarray:
        # Postings are in ascending document order (built by enumerating the documents).
        ids = self._postings[term][0]
        at = np.minimum(np.searchsorted(ids, documents), len(ids) - 1)
        return ids[at] == documents

    def vocabulary_by_frequency(self) -> list[str]:
        """Every indexed term, the most widely used first."""
        return sorted(self.idf, key=lambda term: self.idf[term])

    def unknown_share(self, query_tokens: list[str]) -> float:
        """Share of the distinct query terms that occur nowhere in the index (1.0 for no terms)."""
        terms = set(query_tokens)
        if not terms:
            return 1.0
        return sum(1 for t in terms if t not in self.idf) / len(terms)
