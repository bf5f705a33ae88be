"""Fusion weights and the abstention model, fitted on the labelled dev set.

``benchmarks/calibrate.py`` fits them and writes ``bot/calibration.json`` (one block
per embedder, since cosine scales differ between models). The abstention model is a
logistic regression over features of the ranking (fused score of the best hit, its
dense and lexical parts, and its margin over the runner-up; how much of the question
the entry covers, as a whole, in its answer field and in its question or heading; the things the question names
that the entry lacks, and whether its heading holds what the question is about; a matter of a
national office or a private business that no entry is about (bot/answering/national.py); the learned ranker's score of the entry; whether
the entries nearest the question share a topic beyond chance; the question's length: see retrieval.ranking_signals) that estimates the probability that
the question is in scope; the bot abstains below a threshold chosen on the dev set.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
FEATURES = ("fused", "dense", "lexical", "margin", "coverage", "unknown", "dense_gap", "missing", "entity",
            "entity_unknown", "phrases", "answer_coverage", "focus_heading", "ranker", "heading_coverage", "national", "topic_cluster",
            "length")


@dataclass(frozen=True)
class Calibration:
    # Fusion: fused = dense_weight * dense + terms_weight * terms + grams_weight * grams
    dense_weight: float = 0.6
    terms_weight: float = 0.3
    grams_weight: float = 0.1
    # Abstention: P(correct) = sigmoid(bias + sum(w_i * feature_i)); abstain below threshold.
    coefficients: dict = field(default_factory=lambda: {"fused": 12.0, "dense": 4.0, "lexical": 2.0, "margin": 6.0})
    bias: float = -10.0
    threshold: float = 0.5
    # Reranking: among candidates within ``fact_window`` of the best score, an entry holding the kind
    # of fact asked for (deadline, fee, place ...) gains ``fact_bonus``; plan passages score
    # ``citizen_plan_factor`` times less for citizens and are shown to them only at ``plan_threshold``.
    fact_window: float = 0.1
    fact_bonus: float = 0.03
    citizen_plan_factor: float = 0.95
    plan_threshold: float = 0.9
    # A citizen question whose best staff-only match beats the best citizen match by this much is a
    # staff topic: declined with a contact, never answered with a look-alike.
    staff_topic_margin: float = 0.05
    # A long story is also searched by its asking sentence (bot/answering/story.py: searched_need, need_of).
    story_need: bool = True

    def fuse(self, dense, terms, grams):
        """The fused score of every entry from its dense, BM25-terms and reading-bigram scores."""
        return self.dense_weight * dense + self.terms_weight * terms + self.grams_weight * grams

    def confidence(self, features: dict) -> float:
        z = self.bias + sum(self.coefficients.get(name, 0.0) * float(features.get(name, 0.0)) for name in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_dict(self) -> dict:
        return {"dense_weight": self.dense_weight, "terms_weight": self.terms_weight,
                "grams_weight": self.grams_weight, "coefficients": self.coefficients, "bias": self.bias,
                "threshold": self.threshold, "fact_window": self.fact_window, "fact_bonus": self.fact_bonus,
                "citizen_plan_factor": self.citizen_plan_factor, "plan_threshold": self.plan_threshold,
                "staff_topic_margin": self.staff_topic_margin, "story_need": self.story_need}


def load_calibration(embedder_name: str, path: Path = CALIBRATION_FILE) -> Calibration:
    """The calibration fitted for this embedder; a conservative default if none was fitted."""
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        block = data.get(embedder_name)
        if block:
            return Calibration(**block)
    return Calibration()


def save_calibration(embedder_name: str, calibration: Calibration, path: Path = CALIBRATION_FILE):
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[embedder_name] = calibration.to_dict()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
