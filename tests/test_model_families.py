"""benchmarks/model_families.py: the comparison of linear models with gradient-boosted trees judges
both families by the same cross-validated figures, so a better separating model must come out ahead."""
import numpy as np

from benchmarks.fit_ranker import Group, cross_validate, figures
from benchmarks.model_families import (abstention, declined_at, fit_tree_ranker, logistic_probabilities,
                                       tree_probabilities, tree_ranked, trees)
from bot.answering.ranker import FEATURES


def test_declined_at_reads_the_out_of_scope_share_below_each_answerable_quantile():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.2, 0.65])
    answerable = np.array([True, True, True, True, False, False, False])
    # At 3/5/8% of four answerable questions the cut lies just above 0.6 (below 0.63): the two low
    # out-of-scope questions are declined, the one at 0.65 is not.
    assert declined_at(p, answerable) == [2 / 3, 2 / 3, 2 / 3]
    assert declined_at(np.array([0.9, 0.1]), np.array([True, False])) == [1.0, 1.0, 1.0]


def _scope_questions(rng, count=300):
    """A feature that tells answerable from out of scope only together with a second (an interaction),
    and noise: the groups stand for knowledges."""
    X = rng.uniform(0, 1, (count, 3))
    answerable = (X[:, 0] > 0.5) == (X[:, 1] > 0.5)
    groups = np.array(["a", "b", "c"] * (count // 3))
    return X, answerable, np.zeros(count, dtype=bool), groups


def test_trees_beat_the_logistic_model_where_only_an_interaction_separates():
    X, answerable, forced, groups = _scope_questions(np.random.default_rng(1))
    linear = abstention(X, answerable, forced, groups, logistic_probabilities)
    tree = abstention(X, answerable, forced, groups, tree_probabilities(trees()))
    assert tree["cv"][1] > 0.8 > linear["cv"][1]
    assert tree["left_out_separation"] > linear["left_out_separation"]


def test_forced_declines_count_as_declined_for_both_families():
    X, answerable, _, groups = _scope_questions(np.random.default_rng(2))
    forced = ~answerable  # a rule declined every out-of-scope question
    assert abstention(X, answerable, forced, groups, logistic_probabilities)["cv"] == [1.0, 1.0, 1.0]


def test_the_tree_ranker_learns_the_feature_that_marks_the_relevant_entry():
    rng = np.random.default_rng(3)
    column = {name: k for k, name in enumerate(FEATURES)}
    groups = []
    for q in range(80):
        features = rng.uniform(0, 1, (10, len(FEATURES)))
        features[:, column["holds_fact"]] = 0.0
        right = int(rng.integers(1, 10))
        features[:, column["fused"]] = np.linspace(0.9, 0.5, 10)
        features[right, column["holds_fact"]] = 1.0
        ids = [f"e{q}-{i}" for i in range(10)]
        groups.append(Group("synthetic", ids, ids, features, {ids[right]}))
    found = figures(groups, cross_validate(groups, fitter=fit_tree_ranker(trees()), scorer=tree_ranked))
    assert found["hit@1"] > 0.95
    baseline = figures(groups, cross_validate(groups, fitter=lambda train: None, scorer=lambda g, model: g.baseline))
    assert baseline["hit@1"] == 0.0
