"""A learned reranker over the leading fused candidates.

The fused score (dense cosine plus BM25, bot/answering/retrieval.py) picks the ``candidates``
best entries; a linear model over features of each (question, entry) pair then orders them.
The features are generic signals any city's knowledge has: the fused, dense and lexical scores,
the share of the question's terms that the question field and the answer field each cover, whether the entry holds the kind of fact asked for (a deadline, a
fee ...: bot/answering/question_kinds.py), how salient a noun of the question is that the entry
lacks, the length of its answer, and how many of the question's terms it holds that few of the
other candidates hold (``local_coverage``: what tells siblings of one topic apart).

``benchmarks/fit_ranker.py`` fits the weights (a listwise softmax logistic model, cross-validated)
on the tuned sets only and writes ``ranker.json`` beside this file, one block per embedder. With no
block for the embedder in use the fused order stands.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.answering.question_kinds import asked_kinds, fact_heading, holds_fact, names_fact

RANKER_FILE = Path(__file__).with_name("ranker.json")
CANDIDATES = 20
# A guide section is shown up to this many characters (see bot/answering/composer.py).
ANSWER_CHARS_SHOWN = 800

# Scores are compared within one question, so a per-question constant (a gap to the best
# candidate) would add nothing to a linear score: every feature is the candidate's own.
FEATURES = (
    "fused", "dense", "terms", "grams", "question_coverage", "answer_coverage",
    "holds_fact", "names_fact", "missing", "body_length", "local_terms",
)


@dataclass(frozen=True)
class RankerModel:
    coefficients: dict = field(default_factory=dict)
    candidates: int = CANDIDATES
    # The mean score of the ranker's first candidate on the tuned questions it was fitted on: the
    # abstention model reads a score relative to it (retrieval.ranker_judge), so its level does
    # not drift with a refit of the ranker and a missing ranker reads as a typical match (0).
    center: float = 0.0

    def score(self, features: np.ndarray) -> np.ndarray:
        weights = np.array([self.coefficients.get(name, 0.0) for name in FEATURES])
        return features @ weights

    def to_dict(self) -> dict:
        return {"coefficients": self.coefficients, "candidates": self.candidates, "center": self.center}


def load_ranker(embedder_name: str, path: Path = RANKER_FILE) -> RankerModel | None:
    """The ranker fitted for this embedder, or None (the fused order stands)."""
    if path.exists():
        block = json.loads(path.read_text(encoding="utf-8")).get(embedder_name)
        if block:
            return RankerModel(**block)
    return None


def save_ranker(embedder_name: str, model: RankerModel, path: Path = RANKER_FILE):
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[embedder_name] = model.to_dict()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def candidate_features(index, candidates: np.ndarray, query: str, analysis, fused, dense, terms, grams,
                       missing_noun=None) -> np.ndarray:
    """One row of FEATURES per candidate position (the leading fused positions, best first).

    ``missing_noun(positions)``: how salient the question's most salient noun is that each entry
    lacks (retrieval.missing_nouns). The named-thing check of bot/answering/entities.py is left to
    the abstention model (it reads the best hit only): on 20 candidates its reading of entries
    that are not cached (knowledge of over 4,096 entries) cost up to a second at the 95th
    percentile, for one tuned question in 500."""
    query_terms = list(analysis.terms)
    kinds = asked_kinds(query)
    rows = np.zeros((len(candidates), len(FEATURES)))
    column = {name: k for k, name in enumerate(FEATURES)}
    rows[:, column["fused"]] = fused[candidates]
    rows[:, column["dense"]] = dense[candidates]
    rows[:, column["terms"]] = terms[candidates]
    rows[:, column["grams"]] = grams[candidates]
    if index.questions is not None:
        rows[:, column["question_coverage"]] = index.questions.coverages(query_terms, candidates)
        rows[:, column["answer_coverage"]] = index.answers.coverages(query_terms, candidates)
    if missing_noun is not None:
        rows[:, column["missing"]] = missing_noun(candidates)
    rows[:, column["local_terms"]] = local_coverage(index.terms, query_terms, candidates)
    for row, position in enumerate(int(p) for p in candidates):
        entry = index.entries[position]
        if kinds:
            rows[row, column["holds_fact"]] = holds_fact(kinds, entry.body[:ANSWER_CHARS_SHOWN])
            rows[row, column["names_fact"]] = names_fact(kinds, fact_heading(entry))
        # A link-only answer (「詳しくはこちら」) is short; one that holds the steps is longer.
        rows[row, column["body_length"]] = min(1.0, math.log1p(len(entry.body)) / math.log(2000))
    return rows


def local_coverage(field, query_terms: list[str], candidates: np.ndarray) -> np.ndarray:
    """Share of the question's terms each candidate holds, each term weighted by how few of the
    candidates hold it: a term every candidate holds tells siblings apart no more than one none holds."""
    n = len(candidates)
    covered = np.zeros(n)
    total = 0.0
    for term in dict.fromkeys(query_terms):
        held = field.contains_each(term, candidates)
        count = int(held.sum())
        if not count or count == n:
            continue
        weight = math.log(n / count)
        total += weight
        covered += weight * held
    return covered / total if total else covered
