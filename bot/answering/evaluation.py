"""Retrieval and abstention metrics, shared by tests and benchmarks.

A labelled question is ``{"id", "text", "audience", "relevant": [entry ids]}``;
an empty ``relevant`` list marks an out-of-scope question the bot must abstain on.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LabelledQuestion:
    id: str
    text: str
    relevant: tuple[str, ...]
    audience: str = "citizen"
    style: str = ""

    @property
    def answerable(self) -> bool:
        return bool(self.relevant)


def load_devset(path: str | Path) -> list[LabelledQuestion]:
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            questions.append(LabelledQuestion(str(item["id"]), item["text"], tuple(item.get("relevant", [])),
                                              item.get("audience", "citizen"), item.get("style", "")))
        except (json.JSONDecodeError, KeyError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return questions


def ndcg_at_k(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(rank + 2) for rank, entry_id in enumerate(ranked[:k]) if entry_id in relevant)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def reciprocal_rank(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    for rank, entry_id in enumerate(ranked[:k]):
        if entry_id in relevant:
            return 1.0 / (rank + 1)
    return 0.0


def hit_at_k(ranked: list[str], relevant: set[str], k: int) -> float:
    return 1.0 if any(entry_id in relevant for entry_id in ranked[:k]) else 0.0


@dataclass
class Evaluation:
    answerable: int = 0
    out_of_scope: int = 0
    ndcg10: float = 0.0
    mrr10: float = 0.0
    hit1: float = 0.0
    hit5: float = 0.0
    # Abstention: positives are out-of-scope questions.
    abstained_out_of_scope: int = 0
    abstained_answerable: int = 0
    answered_wrong: int = 0
    failures: list = field(default_factory=list)

    @property
    def abstention_precision(self) -> float:
        total = self.abstained_out_of_scope + self.abstained_answerable
        return self.abstained_out_of_scope / total if total else 1.0

    @property
    def abstention_recall(self) -> float:
        return self.abstained_out_of_scope / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def answerable_abstain_rate(self) -> float:
        return self.abstained_answerable / self.answerable if self.answerable else 0.0

    def as_dict(self) -> dict:
        return {
            "answerable": self.answerable, "out_of_scope": self.out_of_scope,
            "ndcg@10": round(self.ndcg10, 4), "mrr@10": round(self.mrr10, 4),
            "hit@1": round(self.hit1, 4), "hit@5": round(self.hit5, 4),
            "abstention_precision": round(self.abstention_precision, 4),
            "abstention_recall": round(self.abstention_recall, 4),
            "answerable_abstained": round(self.answerable_abstain_rate, 4),
            "answered_but_wrong_top1": self.answered_wrong,
        }


def evaluate(results: list[tuple[LabelledQuestion, list[str], bool]]) -> Evaluation:
    """``results``: (question, ranked entry ids, abstained) for each labelled question."""
    report = Evaluation()
    for question, ranked, abstained in results:
        relevant = set(question.relevant)
        if not question.answerable:
            report.out_of_scope += 1
            report.abstained_out_of_scope += int(abstained)
            if not abstained:
                report.failures.append((question.id, question.text, "answered out-of-scope", ranked[:1]))
            continue
        report.answerable += 1
        report.ndcg10 += ndcg_at_k(ranked, relevant)
        report.mrr10 += reciprocal_rank(ranked, relevant)
        report.hit1 += hit_at_k(ranked, relevant, 1)
        report.hit5 += hit_at_k(ranked, relevant, 5)
        report.abstained_answerable += int(abstained)
        if not abstained and not hit_at_k(ranked, relevant, 1):
            report.answered_wrong += 1
        if not hit_at_k(ranked, relevant, 1):
            report.failures.append((question.id, question.text, "top1 wrong", ranked[:3]))
    if report.answerable:
        for name in ("ndcg10", "mrr10", "hit1", "hit5"):
            setattr(report, name, getattr(report, name) / report.answerable)
    return report


def evaluate_bot(bot, questions: list[LabelledQuestion], top: int = 10) -> Evaluation:
    results = []
    for question in questions:
        ranking = bot.retriever.rank(question.text, question.audience, top=top)
        abstained = bot.retriever.confidence(ranking) < bot.retriever.calibration.threshold
        results.append((question, [h.entry.id for h in ranking.hits], abstained))
    return evaluate(results)
