"""Fit fusion weights and the abstention model on the labelled dev set.

    python -m benchmarks.calibrate [--sample-dir DIR] [--kawabe-dir DIR] [--<city>-dir DIR] [--embedder SPEC] [--write]

Fitted on every tuned set: the sample knowledge's (dev set, styles, facts, out-of-scope) and the tuned
cities' (benchmarks/cities/: かわべ市, 北浜市, 森野市 and よつば市, each FAQ imported alone, with its answerable and
out-of-scope questions), so that the model learns what separates in-scope questions on FAQs of several
styles (long answers, terse titles), not one city's.

Prints in-sample and 5-fold cross-validated figures; ``--write`` stores the fit in
bot/answering/calibration.json for the embedder used.
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import random
from pathlib import Path

import numpy as np

from benchmarks.common import DEVSET, FACTS, OOS_DEV, STYLES_DEV
from bot.answering.calibration import FEATURES, Calibration, load_calibration, save_calibration
from benchmarks.quality_report import (CITIES, QueryVectorCache, add_data_arguments, collection_of, data_dir_of,
                                       ensure_data, load_set)
from bot.answering.retrieval import Retriever, ranker_judge, ranking_signals, rerank

MAX_ANSWERABLE_ABSTAIN = 0.05
TUNED_SETS = [DEVSET, STYLES_DEV, FACTS, OOS_DEV] + sorted(CITIES.glob("*.jsonl"))


class Row:
    """One labelled question's scores over its audience's entries, and whether a rule declines it."""

    def __init__(self, relevant, dense, terms, grams, index, analysis, text, audience, forced, entity_check=None,
                 ranker=None, ranked_analysis=None, settings: Calibration = Calibration()):
        """``analysis``: what the abstention signals judge (a long story's asking sentence);
        ``ranked_analysis``: the whole question's, which the learned ranker reads (default: the same)."""
        self.relevant, self.dense, self.terms, self.grams = relevant, dense, terms, grams
        self.index, self.analysis, self.text, self.audience, self.forced = index, analysis, text, audience, forced
        self.entity_check, self.ranker = entity_check, ranker
        self.ranked_analysis = ranked_analysis if ranked_analysis is not None else analysis
        # The calibration the bot answers with (plan damping, fact bonus): only the fusion weights vary.
        self.settings = settings

    def __iter__(self):  # (relevant, dense, terms, grams, index, analysis), as before
        return iter((self.relevant, self.dense, self.terms, self.grams, self.index, self.analysis))

    def fusion(self, weights) -> Calibration:
        """The bot's calibration with these fusion weights."""
        return replace(self.settings, dense_weight=weights[0], terms_weight=weights[1], grams_weight=weights[2])

    def fused(self, weights):
        settings = self.fusion(weights)
        return rerank(self.index, settings.fuse(self.dense, self.terms, self.grams), self.text, self.audience, settings)

    def judge(self, weights):
        """The learned ranker's score of an entry (retrieval.ranker_judge), over these fusion weights."""
        return ranker_judge(self.index, self.text, self.ranked_analysis, self.dense, self.terms, self.grams,
                            self.audience, self.fusion(weights), self.ranker)


def score_arrays(retriever: Retriever, questions, ranker: bool = True):
    """Per question: a Row of (relevant positions, dense, terms, grams, ...) over its audience's entries.
    ``ranker``: whether the retriever's learned ranker scores the entries (the bot uses it for questions
    in Japanese only; without it the ``ranker`` feature is 0)."""
    rows = []
    for question in questions:
        index = retriever.index(question.audience)
        text = retriever.query_text(question.text, question.audience)
        analysis = retriever.analyzer.analyze(text)
        dense, terms, grams = retriever.scores(index, text, analysis, retriever._query_vector(text))
        relevant = {i for i, e in enumerate(index.entries) if e.id in set(question.relevant)}
        if question.relevant and not relevant:
            raise SystemExit(f"dev set question {question.id}: none of {question.relevant} is in the index")
        forced = bool(retriever.rank(question.text, question.audience).decline)
        rows.append(Row(relevant, dense, terms, grams, index, retriever.judged_analysis(text, analysis), text,
                        question.audience, forced, retriever.entity_check(text, question.audience),
                        retriever.ranker if ranker else None, analysis, retriever.calibration))
    return rows


def ranking_quality(rows, weights) -> float:
    total = 0.0
    for row in rows:
        relevant = row.relevant
        if not relevant:
            continue
        fused = row.fused(weights)
        order = np.argsort(-fused)[:10]
        for rank, position in enumerate(order):
            if position in relevant:
                total += 1.0 / (rank + 1) + (0.5 if rank == 0 else 0.0)
                break
    return total


def fit_fusion(rows) -> tuple[float, float, float]:
    best, best_score = (0.6, 0.3, 0.1), -1.0
    for dense_w in np.arange(0.0, 1.01, 0.05):
        for grams_share in (0.0, 0.1, 0.2, 0.3, 0.4):
            lexical = 1.0 - dense_w
            weights = (float(dense_w), lexical * (1 - grams_share), lexical * grams_share)
            score = ranking_quality(rows, weights)
            if score > best_score + 1e-9:
                best, best_score = weights, score
    return tuple(round(w, 4) for w in best)


def labelled_features(rows, weights):
    X, y, answerable = [], [], []
    for row in rows:
        relevant, dense, terms, grams, index, analysis = row
        fused = row.fused(weights)
        feats = ranking_signals(index, analysis, fused, dense, terms, grams, weights, row.entity_check,
                                judge=row.judge(weights), query=row.text)
        best = int(np.argmax(fused))
        X.append([feats[name] for name in USED])
        y.append(1.0 if best in relevant else 0.0)
        answerable.append(bool(relevant))
    return np.array(X), np.array(y), np.array(answerable)


def shown_features(rows, weights):
    """What the bot reads besides the fused best entry's signals (bot/answering/retrieval.py,
    Retriever.confidence): the signals of the entry the learned ranker shows first where that is
    another entry (the confidence is then that entry's), and whether a plan passage is shown
    to a citizen (answered only at the calibration's ``plan_threshold``). (features, has_shown, plan_shown)."""
    S, has_shown, plan = [], [], []
    for row in rows:
        relevant, dense, terms, grams, index, analysis = row
        fused = row.fused(weights)
        best = int(np.argmax(fused))
        first = best
        if row.ranker is not None:
            _, order = Retriever.order(index, row.text, row.ranked_analysis, dense, terms, grams, row.audience,
                                       row.fusion(weights), 1, ranker=row.ranker)
            first = int(order[0])
        feats = ranking_signals(index, analysis, fused, dense, terms, grams, weights, row.entity_check,
                                first=first if first != best else None, judge=row.judge(weights), query=row.text)
        S.append([feats[name] for name in USED])
        has_shown.append(first != best)
        plan.append(row.audience == "citizen" and index.entries[first].kind == "plan")
    return np.array(S), np.array(has_shown), np.array(plan)


def bot_probabilities(X, shown, coefficients, bias, forced, plan_threshold: float = Calibration().plan_threshold):
    """The confidence the bot computes for each row (see shown_features); 0 where a rule declines."""
    S, has_shown, plan = shown
    p = 1 / (1 + np.exp(-(X @ coefficients + bias)))
    p = np.where(has_shown, 1 / (1 + np.exp(-(S @ coefficients + bias))), p)  # the entry shown's
    p = np.where(plan & (p < plan_threshold), 0.0, p)
    return np.where(forced, 0.0, p)


LABEL = "scope"
USED = list(FEATURES)  # the features the abstention model reads (calibrate --drop leaves some out)


def abstention_labels(y, answerable):
    """What the abstention model learns. ``scope`` (default): in-scope against out-of-scope, since
    the constraint (at most 5% of answerable questions abstained) and the goal (abstain on
    out-of-scope ones) are both about scope. ``correct``: the best hit is relevant (wrong answers
    and out-of-scope questions are the negatives), which trades answered share for right answers."""
    return y.astype(float) if LABEL == "correct" else answerable.astype(float)


def fit_logistic(X, y, l2=0.01, steps=6000, rate=0.5):
    mean, std = X.mean(axis=0), X.std(axis=0) + 1e-9
    Z = (X - mean) / std
    w, b = np.zeros(Z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        w -= rate * (Z.T @ (p - y) / len(y) + l2 * w)
        b -= rate * float(np.mean(p - y))
    # Back to raw feature scale: z = sum(w_i (x_i - m_i)/s_i) + b
    coefficients = w / std
    bias = b - float(np.sum(w * mean / std))
    return coefficients, bias


def choose_threshold(probabilities, answerable, correct) -> float:
    """Highest threshold that abstains on at most 5% of answerable questions."""
    candidates = sorted(set(np.round(probabilities, 4)))
    best = 0.0
    for t in candidates:
        abstain = probabilities < t
        if answerable.any() and abstain[answerable].mean() > MAX_ANSWERABLE_ABSTAIN:
            break
        best = float(t)
    return best


def measure(probabilities, threshold, answerable, correct) -> dict:
    abstain = probabilities < threshold
    oos = ~answerable
    return {
        "oos_abstained": float(abstain[oos].mean()) if oos.any() else 1.0,
        "answerable_abstained": float(abstain[answerable].mean()) if answerable.any() else 0.0,
        "answered_wrong": int(((~abstain) & answerable & (correct == 0)).sum()),
        "abstention_precision": float((abstain & oos).sum() / max(abstain.sum(), 1)),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    add_data_arguments(parser)
    parser.add_argument("--devset", type=Path, nargs="+", default=TUNED_SETS,
                        help="labelled sets fitted on together (default: every tuned set: the dev set, "
                             "benchmarks/styles_dev.jsonl, benchmarks/facts.jsonl, benchmarks/oos_dev.jsonl and "
                             "benchmarks/cities/*.jsonl); a set runs against the knowledge its file name names "
                             "(quality_report.collection_of)")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--label", choices=("scope", "correct"), default="scope",
                        help="what the abstention model learns (see abstention_labels)")
    parser.add_argument("--drop", nargs="*", default=[], choices=FEATURES,
                        help="features the abstention model leaves out (their coefficient is 0)")
    parser.add_argument("--keep-fusion", action="store_true",
                        help="keep the fusion weights of the current calibration; refit only the abstention model")
    args = parser.parse_args(argv)
    global LABEL, USED
    LABEL = args.label
    USED = [name for name in FEATURES if name not in args.drop]

    # The shipped calibration: the rules that decline whatever the scores say (a staff topic) and the
    # rerank read it as the bot does; the fit replaces its fusion weights and abstention model only.
    retrievers = {}
    for kind in dict.fromkeys(collection_of(path) for path in args.devset):
        data_dir = data_dir_of(args, kind)
        if not args.no_import:
            ensure_data(kind, data_dir, args.embedder)
        retrievers[kind] = Retriever(data_dir, args.embedder)
    retriever = next(iter(retrievers.values()))
    if retriever.ranker is not None and not args.keep_fusion:
        # The learned ranker (benchmarks/fit_ranker.py) was fitted over the current fusion weights.
        # The abstention model reads the fused ranking's signals, whatever order the ranker shows.
        print("a learned ranker is fitted for this embedder: keeping the current fusion weights")
        args.keep_fusion = True
    questions, rows = [], []
    for kind, kind_retriever in retrievers.items():
        cache = QueryVectorCache(kind_retriever.embedder, args.sample_dir.parent / f"query-vectors-{kind}.npz")
        kind_questions = [q for path in args.devset if collection_of(path) == kind for q in load_set(path)]
        questions += kind_questions
        rows += score_arrays(kind_retriever, kind_questions)
        cache.save()
    current = load_calibration(retriever.embedder.name)
    keep = (current.dense_weight, current.terms_weight, current.grams_weight) if args.keep_fusion else None
    weights = keep or fit_fusion(rows)
    X, y, answerable = labelled_features(rows, weights)
    forced = np.array([row.forced for row in rows])
    coefficients, bias = fit_logistic(X[~forced], abstention_labels(y[~forced], answerable[~forced]))
    # The threshold is chosen on the confidences the bot will compute (where the learned ranker shows
    # another entry than the fused best, that entry's), so that at most 5% of answerable
    # questions are declined by the bot itself, not only by the model.
    shown = shown_features(rows, weights)
    probabilities = bot_probabilities(X, shown, coefficients, bias, forced, current.plan_threshold)
    threshold = choose_threshold(probabilities, answerable, y)
    calibration = replace(current, dense_weight=weights[0], terms_weight=weights[1], grams_weight=weights[2],
                              coefficients={n: round(float(c), 4) for n, c in zip(USED, coefficients)},
                              bias=round(float(bias), 4), threshold=round(threshold, 4))
    print(f"embedder: {retriever.embedder.name}")
    print(f"questions: {len(questions)} ({int(answerable.sum())} answerable, {int((~answerable).sum())} out of scope)")
    print(f"fusion weights (dense, terms, reading grams): {weights}")
    print(f"abstention model: {calibration.coefficients}, bias {calibration.bias}, threshold {calibration.threshold}")
    print("in-sample:", measure(probabilities, threshold, answerable, y))

    # 5-fold cross-validation of the whole fit (fusion + abstention) to show it is not memorised.
    if not args.keep_fusion:
        print("(cross-validated figures read the shown entries of the full fit's fusion weights)")

    def take(arrays, positions):
        return tuple(a[positions] for a in arrays)

    order = list(range(len(questions)))
    random.Random(7).shuffle(order)
    folds = [order[i::5] for i in range(5)]
    held_probabilities, held_correct, held_answerable = [], [], []
    held_thresholds = []
    for fold in folds:
        train = [i for i in order if i not in set(fold)]
        w = keep or fit_fusion([rows[i] for i in train])
        Xt, yt, at = labelled_features([rows[i] for i in train], w)
        ft = np.array([rows[i].forced for i in train])
        c, b = fit_logistic(Xt[~ft], abstention_labels(yt[~ft], at[~ft]))
        t = choose_threshold(bot_probabilities(Xt, take(shown, train), c, b, ft, current.plan_threshold), at, yt)
        Xh, yh, ah = labelled_features([rows[i] for i in fold], w)
        fh = np.array([rows[i].forced for i in fold])
        held_probabilities.append(bot_probabilities(Xh, take(shown, fold), c, b, fh, current.plan_threshold))
        held_correct.append(yh)
        held_answerable.append(ah)
        held_thresholds.append(np.full(len(fold), t))
    p = np.concatenate(held_probabilities)
    t = np.concatenate(held_thresholds)
    a = np.concatenate(held_answerable)
    c = np.concatenate(held_correct)
    abstain = p < t
    print("5-fold cross-validated:", {
        "hit@1 (answerable)": round(float(c[a].mean()), 4),
        "oos_abstained": round(float(abstain[~a].mean()), 4),
        "answerable_abstained": round(float(abstain[a].mean()), 4),
        "answered_wrong": int(((~abstain) & a & (c == 0)).sum()),
        "answered": round(float((~abstain)[a].mean()), 4),
        "right_when_answered": round(float(c[(~abstain) & a].mean()), 4) if ((~abstain) & a).any() else 0.0,
    })
    print("trade-off (cross-validated probabilities, one threshold over all folds):")
    for target in (0.03, 0.05, 0.08, 0.10, 0.15):
        cut = float(np.quantile(p[a], target))
        print(f"  abstain on {target:.0%} of answerable -> {float((p[~a] < cut).mean()):.1%} of out-of-scope abstained")
    if args.write:
        save_calibration(retriever.embedder.name, calibration)
        print("written to bot/answering/calibration.json")


if __name__ == "__main__":
    main()
