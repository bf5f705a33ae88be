"""Fit the learned reranker (bot/answering/ranker.py) on the tuned sets, cross-validated.

    python -m benchmarks.fit_ranker [--sample-dir DIR] [--kosodate-dir DIR] [--heldout] [--write]

Tuned sets only are fitted on: ``benchmarks/devset.jsonl``, ``benchmarks/styles_dev.jsonl`` and
``benchmarks/facts.jsonl`` over the sample knowledge, the kosodate ``development.json`` over the kosodate FAQ imported on its own,
and the answerable sets of ``benchmarks/cities/`` over their cities' FAQs, each imported on its own.
The model is a linear score over FEATURES of each of the leading fused candidates, fitted with a
listwise softmax loss (the relevant entries of a question should take the probability mass among
its candidates) and L2 regularisation. It prints 5-fold cross-validated Hit@1 / nDCG@10 / MRR@10 on
the tuned sets against the fused order with the hand-set fact bonus; ``--heldout`` adds the same
aggregate figures on benchmarks/heldout/ (a model fitted on all tuned questions; read the figures,
never tune on those questions); ``--write`` stores the fit in bot/answering/ranker.json for the
embedder used.
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass

import numpy as np

from benchmarks.common import DEVSET, FACTS, STYLES_DEV
from benchmarks.quality_report import (CITIES, HELDOUT, KOSODATE, QueryVectorCache, add_data_arguments,
                                       collection_of, data_dir_of, ensure_data, load_set)
from bot.answering.evaluation import hit_at_k, ndcg_at_k, reciprocal_rank
from bot.answering.ranker import CANDIDATES, FEATURES, RankerModel, save_ranker
from bot.answering.retrieval import Retriever, ranker_inputs

TUNED = {"devset": ("sample", DEVSET), "styles-dev": ("sample", STYLES_DEV), "facts": ("sample", FACTS),
         "kosodate-dev": ("kosodate", KOSODATE / "development.json"),
         **{f"cities/{path.stem}": (collection_of(path), path) for path in sorted(CITIES.glob("*.jsonl"))
            if not path.stem.endswith("_oos")}}
# Every held-out answerable set (out-of-scope sets and the facts view of sample.jsonl have no ranking to judge).
HELD = {f"heldout/{path.stem}": (collection_of(path), path) for path in sorted(HELDOUT.glob("*.jsonl"))
        if not path.stem.endswith("_oos") and path.stem != "facts"}


@dataclass
class Group:
    """One answerable question: its candidates' features and which candidates are relevant."""
    name: str
    ids: list            # entry ids of the candidates, fused order
    baseline: list       # entry ids in the order the bot gives without the ranker (top 10)
    features: np.ndarray
    relevant: set


def collect(retriever: Retriever, questions, name: str, count: int = CANDIDATES) -> list[Group]:
    groups = []
    c = retriever.calibration
    for question in questions:
        if not question.answerable:
            continue
        index = retriever.index(question.audience)
        text = retriever.query_text(question.text, question.audience)
        analysis = retriever.analyzer.analyze(text)
        dense, terms, grams = retriever.scores(index, text, analysis, retriever._query_vector(text))
        _, baseline = Retriever.order(index, text, analysis, dense, terms, grams, question.audience, c)
        _, candidates, features = ranker_inputs(index, text, analysis, dense, terms, grams, question.audience, c,
                                                count)
        groups.append(Group(name, [index.entries[int(i)].id for i in candidates],
                            [index.entries[int(i)].id for i in baseline[:10]], features, set(question.relevant)))
    return groups


def fit(groups: list[Group], used=FEATURES, l2: float = 0.01, steps: int = 3000, rate: float = 0.5) -> dict:
    """Raw-scale coefficients of a listwise softmax model over the ``used`` features."""
    columns = [FEATURES.index(name) for name in used]
    trainable = [g for g in groups if any(i in g.relevant for i in g.ids)]
    width = max(len(g.ids) for g in trainable)
    X = np.zeros((len(trainable), width, len(columns)))
    mask = np.zeros((len(trainable), width), dtype=bool)
    target = np.zeros((len(trainable), width))
    for q, g in enumerate(trainable):
        n = len(g.ids)
        X[q, :n] = g.features[:, columns]
        mask[q, :n] = True
        rel = np.array([i in g.relevant for i in g.ids], dtype=float)
        target[q, :n] = rel / rel.sum()
    flat = X[mask]
    mean, std = flat.mean(axis=0), flat.std(axis=0) + 1e-9
    Z = np.where(mask[..., None], (X - mean) / std, 0.0)
    w = np.zeros(len(columns))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        s = np.where(mask, Z @ w, -np.inf)
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        grad = np.einsum("qk,qkf->f", p - target, Z) / len(trainable) + l2 * w
        # Adam steps: the loss is smooth and convex, this only makes it converge in fewer steps.
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= rate * 0.1 * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return {name: round(float(c), 4) for name, c in zip(used, w / std)}


def ranked(group: Group, coefficients: dict | None) -> list:
    if coefficients is None:
        return group.baseline
    scores = RankerModel(coefficients).score(group.features)
    order = np.argsort(-scores, kind="stable")
    return [group.ids[i] for i in order][:10]


def figures(groups: list[Group], ranked_ids: list[list]) -> dict:
    n = len(groups) or 1
    return {"n": len(groups),
            "hit@1": sum(hit_at_k(r, g.relevant, 1) for g, r in zip(groups, ranked_ids)) / n,
            "ndcg@10": sum(ndcg_at_k(r, g.relevant) for g, r in zip(groups, ranked_ids)) / n,
            "mrr@10": sum(reciprocal_rank(r, g.relevant) for g, r in zip(groups, ranked_ids)) / n}


def cross_validate(groups: list[Group], folds: int = 5, seed: int = 7, fitter=None, scorer=ranked,
                   **options) -> list[list]:
    """Each group's top 10 by a model fitted on the other folds: ``fitter(groups)`` (default: fit with
    ``options``) makes the model, ``scorer(group, model)`` ranks with it (benchmarks/model_families.py
    puts other model families through the same folds)."""
    fitter = fitter or (lambda train: fit(train, **options))
    order = list(range(len(groups)))
    random.Random(seed).shuffle(order)
    result: list = [None] * len(groups)
    for k in range(folds):
        test = set(order[k::folds])
        model = fitter([groups[i] for i in order if i not in test])
        for i in test:
            result[i] = scorer(groups[i], model)
    return result


def _line(label: str, f: dict) -> str:
    return f"  {label:28s} n={f['n']:4d} hit@1 {f['hit@1']:.3f}  ndcg@10 {f['ndcg@10']:.3f}  mrr@10 {f['mrr@10']:.3f}"


def report(tuned: list[Group], held: list[Group], options: dict, show_heldout: bool) -> dict:
    cv = cross_validate(tuned, **options)
    print(f"options {options}")
    for name in TUNED:
        part = [i for i, g in enumerate(tuned) if g.name == name]
        base = figures([tuned[i] for i in part], [tuned[i].baseline for i in part])
        new = figures([tuned[i] for i in part], [cv[i] for i in part])
        print(_line(f"{name} fused+bonus", base))
        print(_line(f"{name} ranker (5-fold CV)", new))
    coefficients = fit(tuned, **options)
    if show_heldout:
        for name in HELD:
            part = [g for g in held if g.name == name]
            print(_line(f"{name} fused+bonus", figures(part, [g.baseline for g in part])))
            print(_line(f"{name} ranker", figures(part, [ranked(g, coefficients) for g in part])))
    return coefficients


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_arguments(parser)
    parser.add_argument("--heldout", action="store_true", help="also print aggregate held-out figures")
    parser.add_argument("--l2", type=float, default=0.03)
    parser.add_argument("--drop", nargs="*", default=[], choices=FEATURES, help="features left out")
    parser.add_argument("--write", action="store_true", help="store the fit in bot/answering/ranker.json")
    args = parser.parse_args(argv)

    retrievers, caches = {}, []
    for kind in sorted({kind for kind, _ in list(TUNED.values()) + (list(HELD.values()) if args.heldout else [])}):
        directory = data_dir_of(args, kind)
        if not args.no_import:
            ensure_data(kind, directory, args.embedder)
        retrievers[kind] = Retriever(directory, args.embedder, ranker=None)
        caches.append(QueryVectorCache(retrievers[kind].embedder, args.sample_dir.parent / f"query-vectors-{kind}.npz"))
    tuned = [g for name, (kind, path) in TUNED.items() for g in collect(retrievers[kind], load_set(path), name)]
    held = [g for name, (kind, path) in HELD.items() for g in collect(retrievers[kind], load_set(path), name)] \
        if args.heldout else []
    for cache in caches:
        cache.save()
    used = tuple(name for name in FEATURES if name not in args.drop)
    coefficients = report(tuned, held, {"used": used, "l2": args.l2}, args.heldout)
    print(f"coefficients: {coefficients}")
    if args.write:
        name = retrievers["sample"].embedder.name
        model = RankerModel(coefficients, CANDIDATES)
        center = float(np.mean([model.score(group.features).max() for group in tuned]))
        save_ranker(name, RankerModel(coefficients, CANDIDATES, round(center, 4)))
        print(f"written to bot/answering/ranker.json ({name})")


if __name__ == "__main__":
    main()
