"""Linear models against gradient-boosted trees, for the abstention model and the reranker.

    python -m benchmarks.model_families [--sample-dir DIR] [--<city>-dir DIR] [--no-import]

Both learned parts of the answering engine are linear: the abstention model (logistic regression,
benchmarks/calibrate.py) and the reranker (a listwise linear model, benchmarks/fit_ranker.py). This
script fits gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, shallow) on the
same features of the same tuned questions and prints both side by side, so the choice of the simpler
model is a measured one:

- abstention: out-of-scope questions declined at 3 / 5 / 8% of answerable questions declined, under
  5-fold cross-validation (questions shuffled, as calibrate does) and leaving one knowledge out (fit on
  the other cities' questions, judged on that city's: what a new city meets). For the second, the
  threshold is also the one chosen on the cities fitted on, which is what a new city gets.
- ranking: Hit@1 and nDCG@10 of the first candidates under 5-fold cross-validation (fit_ranker's folds).

Trees see the scores of the best hit as the linear models do (the entry shown when the ranker moves
another first is left out here: both families are judged on the same rows). scikit-learn comes with
sentence-transformers; it is imported here only.
"""
from __future__ import annotations

import argparse
import random

import numpy as np

from benchmarks.calibrate import TUNED_SETS, fit_logistic, labelled_features, score_arrays
from benchmarks.fit_ranker import TUNED, collect, cross_validate, figures
from benchmarks.quality_report import QueryVectorCache, add_data_arguments, collection_of, data_dir_of, ensure_data, \
    load_set
from bot.answering.calibration import load_calibration
from bot.answering.retrieval import Retriever

DECLINED_ANSWERABLE = (0.03, 0.05, 0.08)


def trees(**options):
    from sklearn.ensemble import HistGradientBoostingClassifier
    settings = {"learning_rate": 0.05, "max_iter": 300, "max_depth": 2, "l2_regularization": 1.0,
                "min_samples_leaf": 20, "random_state": 0, **options}
    return lambda: HistGradientBoostingClassifier(**settings)


def logistic_probabilities(X, y, held):
    coefficients, bias = fit_logistic(X, y)
    return 1 / (1 + np.exp(-(held @ coefficients + bias)))


def tree_probabilities(make):
    def probabilities(X, y, held):
        return make().fit(X, y).predict_proba(held)[:, 1]
    return probabilities


def declined_at(p, answerable) -> list[float]:
    """Out-of-scope declined where the threshold declines each share of the answerable questions."""
    return [float((p[~answerable] < np.quantile(p[answerable], share)).mean()) for share in DECLINED_ANSWERABLE]


def shuffled_folds(count: int, folds: int = 5, seed: int = 7) -> list[list[int]]:
    """The folds benchmarks/calibrate.py cross-validates with (its order shuffled with seed 7, fold k: order[k::5])."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return [order[k::folds] for k in range(folds)]


def abstention(X, answerable, forced, groups, model) -> dict:
    y = answerable.astype(float)
    p = np.zeros(len(X))
    for fold in shuffled_folds(len(X)):
        train = np.setdiff1d(np.arange(len(X)), fold)
        train = train[~forced[train]]
        p[fold] = model(X[train], y[train], X[fold])
    p = np.where(forced, 0.0, p)
    result = {"cv": declined_at(p, answerable)}
    # Leave one knowledge out: each city judged by a model fitted on the others.
    held, declined, answerable_declined = [], [], []
    for group in sorted(set(groups)):
        out = groups == group
        train = np.flatnonzero(~out & ~forced)
        scores = np.where(forced, 0.0, model(X[train], y[train], X))  # one fit, read on every question
        q, fitted = scores[out], scores[~out]
        cut = float(np.quantile(fitted[answerable[~out]], 0.05))  # the threshold the fitted cities give
        declined += list(q[~answerable[out]] < cut)
        answerable_declined += list(q[answerable[out]] < cut)
        # Each city's own 5% point (how well the model separates there), pooled over the cities.
        held.append(q[~answerable[out]] < np.quantile(q[answerable[out]], 0.05))
    result["left_out_separation"] = float(np.concatenate(held).mean())
    result["left_out_threshold"] = (float(np.mean(declined)), float(np.mean(answerable_declined)))
    return result


def fit_tree_ranker(make):
    def fitter(groups):
        usable = [g for g in groups if any(i in g.relevant for i in g.ids)]
        X = np.vstack([g.features for g in usable])
        y = np.concatenate([[float(i in g.relevant) for i in g.ids] for g in usable])
        return make().fit(X, y)
    return fitter


def tree_ranked(group, model) -> list:
    order = np.argsort(-model.predict_proba(group.features)[:, 1], kind="stable")
    return [group.ids[i] for i in order][:10]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    kinds = list(dict.fromkeys([collection_of(path) for path in TUNED_SETS] + [kind for kind, _ in TUNED.values()]))
    retrievers, caches = {}, []
    for kind in kinds:
        directory = data_dir_of(args, kind)
        if not args.no_import:
            ensure_data(kind, directory, args.embedder)
        retrievers[kind] = Retriever(directory, args.embedder)
        caches.append(QueryVectorCache(retrievers[kind].embedder, args.sample_dir.parent / f"query-vectors-{kind}.npz"))

    # Abstention: the calibration's features of every tuned question, as calibrate reads them.
    rows, groups = [], []
    for kind in dict.fromkeys(collection_of(path) for path in TUNED_SETS):
        questions = [q for path in TUNED_SETS if collection_of(path) == kind for q in load_set(path)]
        rows += score_arrays(retrievers[kind], questions)
        groups += [kind] * len(questions)
    current = load_calibration(retrievers["sample"].embedder.name)
    X, _, answerable = labelled_features(rows, (current.dense_weight, current.terms_weight, current.grams_weight))
    forced = np.array([row.forced for row in rows])
    groups = np.array(groups)
    print(f"abstention: {len(X)} tuned questions ({int(answerable.sum())} answerable), knowledges {', '.join(sorted(set(groups.tolist())))}")
    shares = " / ".join(f"{s:.0%}" for s in DECLINED_ANSWERABLE)
    for label, model in (("logistic (shipped)", logistic_probabilities),
                         ("trees, depth 2", tree_probabilities(trees())),
                         ("trees, depth 3", tree_probabilities(trees(max_depth=3, max_iter=200)))):
        r = abstention(X, answerable, forced, groups, model)
        print(f"  {label:20s} out of scope declined at {shares} answerable declined: "
              + " / ".join(f"{v:.1%}" for v in r["cv"])
              + f"; one knowledge left out: {r['left_out_separation']:.1%} at its own 5%, "
              f"{r['left_out_threshold'][0]:.1%} at {r['left_out_threshold'][1]:.1%} answerable declined "
              "with the others' threshold")

    # Ranking: the reranker's candidates and features of every tuned answerable question.
    plain = {kind: Retriever(data_dir_of(args, kind), args.embedder, ranker=None)
             for kind in dict.fromkeys(kind for kind, _ in TUNED.values())}
    ranking_groups = [g for name, (kind, path) in TUNED.items() for g in collect(plain[kind], load_set(path), name)]
    for cache in caches:
        cache.save()
    print(f"ranking: {len(ranking_groups)} tuned answerable questions, 5-fold cross-validated")
    for label, options in (("linear listwise (shipped)", {"l2": 0.03}),
                           ("trees, depth 2", {"fitter": fit_tree_ranker(trees()), "scorer": tree_ranked}),
                           ("trees, depth 3", {"fitter": fit_tree_ranker(trees(max_depth=3, max_iter=200)),
                                               "scorer": tree_ranked})):
        f = figures(ranking_groups, cross_validate(ranking_groups, **options))
        print(f"  {label:26s} hit@1 {f['hit@1']:.3f}  ndcg@10 {f['ndcg@10']:.3f}  mrr@10 {f['mrr@10']:.3f}")


if __name__ == "__main__":
    main()
