"""Retrieval and abstention metrics, shared by tests and benchmarks.

A labelled question is ``{"id", "text", "audience", "relevant": [entry ids], "style", "fact"}``;
an empty ``relevant`` list marks an out-of-scope question the bot must abstain on, and
``fact`` (optional) is a substring the composed answer must contain (the deadline, place,
fee ... the question asks for).
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
    fact: str = ""

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
                                              item.get("audience", "citizen"), item.get("style", ""),
                                              item.get("fact", "")))
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


# ------------------------------------------------------------------ answers as the user sees them

@dataclass(frozen=True)
class Outcome:
    """What the bot did with one labelled question: its ranking and the answer it composed."""

    question: LabelledQuestion
    ranked: tuple[str, ...]
    confidence: float
    abstained: bool
    answer_text: str = ""
    first_source: str = ""

    @property
    def right(self) -> bool:
        """Answered, and the first source cited is a relevant entry."""
        return not self.abstained and self.first_source in self.question.relevant

    @property
    def fact_shown(self) -> bool:
        return bool(self.question.fact) and not self.abstained and \
            _fold_fact(self.question.fact) in _fold_fact(self.answer_text)


def _fold_fact(text: str) -> str:
    import unicodedata
    return "".join(unicodedata.normalize("NFKC", text).split())


def run_bot(bot, questions: list[LabelledQuestion], top: int = 10) -> list[Outcome]:
    """Ask every question through ``bot.answer`` (the whole pipeline a channel uses)."""
    outcomes = []
    for question in questions:
        ranking = bot.retriever.rank(question.text, question.audience, top=top)
        answer = bot.answer(question.text, question.audience)
        outcomes.append(Outcome(question, tuple(h.entry.id for h in ranking.hits), float(answer.confidence),
                                answer.abstained, answer.text,
                                answer.sources[0].id if answer.sources else (ranking.hits[0].entry.id
                                                                             if ranking.hits else "")))
    return outcomes


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summarize(outcomes: list[Outcome], threshold: float | None = None) -> dict:
    """Ranking, answering and decline figures for a list of outcomes.

    With ``threshold`` the decision is re-taken as ``confidence < threshold`` (rule declines
    carry confidence 0, so they stay declined); without it the bot's own decision counts.
    """
    answerable = [o for o in outcomes if o.question.answerable]
    out_of_scope = [o for o in outcomes if not o.question.answerable]

    def declined(o: Outcome) -> bool:
        return o.abstained if threshold is None else (o.confidence < threshold or (o.abstained and o.confidence == 0))

    answered = [o for o in answerable if not declined(o)]
    right = [o for o in answered if o.first_source in o.question.relevant]
    with_fact = [o for o in answerable if o.question.fact]
    n = len(answerable)
    return {
        "n": len(outcomes), "answerable": n, "out_of_scope": len(out_of_scope),
        "hit@1": _share(sum(hit_at_k(list(o.ranked), set(o.question.relevant), 1) for o in answerable), n),
        "ndcg@10": _share(sum(ndcg_at_k(list(o.ranked), set(o.question.relevant)) for o in answerable), n),
        "mrr@10": _share(sum(reciprocal_rank(list(o.ranked), set(o.question.relevant)) for o in answerable), n),
        "answered": _share(len(answered), n),
        "right_when_answered": _share(len(right), len(answered)),
        "oos_declined": _share(sum(declined(o) for o in out_of_scope), len(out_of_scope)),
        "answerable_declined": _share(n - len(answered), n),
        "fact_questions": len(with_fact),
        "fact_in_answer": _share(sum(1 for o in with_fact if not declined(o) and
                                     _fold_fact(o.question.fact) in _fold_fact(o.answer_text)), len(with_fact)),
    }


def choose_threshold(confidences, answerable, max_answerable_declined: float = 0.05) -> float:
    """The highest threshold that declines at most ``max_answerable_declined`` of answerable questions."""
    scores = sorted(c for c, a in zip(confidences, answerable) if a)
    if not scores:
        return 0.5
    allowed = int(max_answerable_declined * len(scores))
    return float(scores[allowed]) if allowed < len(scores) else float(scores[-1])


def cross_validated(outcomes: list[Outcome], folds: int = 5, max_answerable_declined: float = 0.05,
                    seed: int = 7) -> dict:
    """Decline figures with the threshold chosen on the other folds for each fold.

    A threshold is the highest that keeps declines of answerable questions at or under the
    target on the training folds; the figures are pooled over the held-out folds.
    """
    import random
    order = list(range(len(outcomes)))
    random.Random(seed).shuffle(order)
    held: list[tuple[Outcome, float]] = []
    for k in range(folds):
        test = set(order[k::folds])
        train = [outcomes[i] for i in order if i not in test]
        t = choose_threshold([o.confidence for o in train], [o.question.answerable for o in train],
                             max_answerable_declined)
        held += [(outcomes[i], t) for i in sorted(test)]
    answerable = [(o, t) for o, t in held if o.question.answerable]
    oos = [(o, t) for o, t in held if not o.question.answerable]
    answered = [o for o, t in answerable if o.confidence >= t and not (o.abstained and o.confidence == 0)]
    return {
        "cv_oos_declined": _share(sum(o.confidence < t or o.abstained and o.confidence == 0 for o, t in oos),
                                  len(oos)),
        "cv_answerable_declined": _share(len(answerable) - len(answered), len(answerable)),
        "cv_answered": _share(len(answered), len(answerable)),
        "cv_right_when_answered": _share(sum(o.first_source in o.question.relevant for o in answered),
                                         len(answered)),
    }
