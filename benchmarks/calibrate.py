"""Fit fusion weights and the abstention model on the labelled dev set.

    python -m benchmarks.calibrate [--data-dir DIR] [--embedder SPEC] [--write]

Prints in-sample and 5-fold cross-validated figures; ``--write`` stores the fit in
bot/answering/calibration.json for the embedder used.
"""
from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

import numpy as np

from benchmarks.common import DEFAULT_DATA_DIR, DEVSET, ensure_sample_data
from bot.answering.calibration import FEATURES, Calibration, save_calibration
from bot.answering.evaluation import load_devset
from bot.answering.retrieval import Retriever, entry_scores, ranking_signals

MAX_ANSWERABLE_ABSTAIN = 0.05


def score_arrays(retriever: Retriever, questions):
    """Per question: (relevant positions, dense, terms, grams) over its audience's entries."""
    rows = []
    for question in questions:
        index = retriever.index(question.audience)
        text = retriever.query_text(question.text, question.audience)
        analysis = retriever.analyzer.analyze(text)
        dense, terms, grams = entry_scores(index, analysis, retriever.embedder.embed_queries([text])[0])
        relevant = {i for i, e in enumerate(index.entries) if e.id in set(question.relevant)}
        if question.relevant and not relevant:
            raise SystemExit(f"dev set question {question.id}: none of {question.relevant} is in the index")
        rows.append((relevant, dense, terms, grams, index, analysis))
    return rows


def ranking_quality(rows, weights) -> float:
    total = 0.0
    for relevant, dense, terms, grams, _, _ in rows:
        if not relevant:
            continue
        fused = weights[0] * dense + weights[1] * terms + weights[2] * grams
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
    for relevant, dense, terms, grams, index, analysis in rows:
        fused = weights[0] * dense + weights[1] * terms + weights[2] * grams
        feats = ranking_signals(index, analysis, fused, dense, terms, grams, weights)
        best = int(np.argmax(fused))
        X.append([feats[name] for name in FEATURES])
        y.append(1.0 if best in relevant else 0.0)
        answerable.append(bool(relevant))
    return np.array(X), np.array(y), np.array(answerable)


def abstention_labels(y, answerable):
    """The abstention model separates in-scope questions from out-of-scope ones: the
    constraint (at most 5% of answerable questions abstained) and the goal (abstain on
    out-of-scope ones) are both about scope, so scope is the label it learns."""
    return answerable.astype(float)


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
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--embedder", default="")
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)

    ensure_sample_data(args.data_dir, args.embedder)
    retriever = Retriever(args.data_dir, args.embedder, calibration=Calibration())
    questions = load_devset(args.devset)
    rows = score_arrays(retriever, questions)
    weights = fit_fusion(rows)
    X, y, answerable = labelled_features(rows, weights)
    coefficients, bias = fit_logistic(X, abstention_labels(y, answerable))
    probabilities = 1 / (1 + np.exp(-(X @ coefficients + bias)))
    threshold = choose_threshold(probabilities, answerable, y)
    calibration = Calibration(dense_weight=weights[0], terms_weight=weights[1], grams_weight=weights[2],
                              coefficients={n: round(float(c), 4) for n, c in zip(FEATURES, coefficients)},
                              bias=round(float(bias), 4), threshold=round(threshold, 4))
    print(f"embedder: {retriever.embedder.name}")
    print(f"questions: {len(questions)} ({int(answerable.sum())} answerable, {int((~answerable).sum())} out of scope)")
    print(f"fusion weights (dense, terms, reading grams): {weights}")
    print(f"abstention model: {calibration.coefficients}, bias {calibration.bias}, threshold {calibration.threshold}")
    print("in-sample:", measure(probabilities, threshold, answerable, y))

    # 5-fold cross-validation of the whole fit (fusion + abstention) to show it is not memorised.
    order = list(range(len(questions)))
    random.Random(7).shuffle(order)
    folds = [order[i::5] for i in range(5)]
    held_probabilities, held_correct, held_answerable = [], [], []
    held_thresholds = []
    for fold in folds:
        train = [i for i in order if i not in set(fold)]
        w = fit_fusion([rows[i] for i in train])
        Xt, yt, at = labelled_features([rows[i] for i in train], w)
        c, b = fit_logistic(Xt, abstention_labels(yt, at))
        t = choose_threshold(1 / (1 + np.exp(-(Xt @ c + b))), at, yt)
        Xh, yh, ah = labelled_features([rows[i] for i in fold], w)
        held_probabilities.append(1 / (1 + np.exp(-(Xh @ c + b))))
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
