"""The learned reranker: field-separated term lists, candidate features, the fitted file, the
retriever's order with a ranker, and the listwise fit (benchmarks/fit_ranker.py)."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.fit_ranker import Group, fit, ranked
from bot.answering.ranker import FEATURES, RankerModel, load_ranker, save_ranker
from bot.answering.retrieval import Retriever, top_positions
from fakes.embedder import HashingEmbedder, installed_embedder
from indexing.entries import Audience, Entry
from indexing.importer import import_paths
from indexing.japanese import JapaneseAnalyzer
from indexing.search_index import analyze_entry, split_fields


@pytest.fixture(scope="module")
def analyzer():
    return JapaneseAnalyzer()


def test_split_fields_recovers_the_question_and_answer_terms(analyzer):
    entry = Entry(id="F1", kind="faq", title="粗大ごみの出し方を教えてください", body="粗大ごみは予約制です。電話で申し込んでください。",
                  category="ごみ", alternates=("大きなごみの捨て方",))
    terms, _ = analyze_entry(analyzer, entry)
    head, tail = split_fields(terms)
    assert head == list(analyzer.analyze(" ".join([entry.title, *entry.alternates])).terms)
    assert tail == list(analyzer.analyze(f"{entry.body} {entry.category} {entry.section}").terms)
    guide = Entry(id="g#s", kind="guide", title="住民票の写しの取り方", section="手数料", body="1通300円です。")
    head, tail = split_fields(analyze_entry(analyzer, guide)[0])
    assert head == list(analyzer.analyze("手数料").terms) and "300" in "".join(tail)


def test_split_fields_of_odd_lists():
    assert split_fields([]) == ([], [])
    assert split_fields(["x"]) == ([], ["x"])
    assert split_fields(["a", "a", "a", "a", "x"]) == (["a", "a"], ["x"])
    assert split_fields(["a", "b", "a", "b", "c"]) == (["a", "b"], ["c"])


def test_candidates_are_the_best_fused_scores_best_first():
    fused = np.array([0.1, 0.9, 0.3, 0.8, 0.0, 0.5])
    assert top_positions(fused, 3).tolist() == [1, 3, 5]
    assert top_positions(fused, 10).tolist() == [1, 3, 5, 2, 0, 4]


def test_candidates_of_equal_scores_come_in_position_order():
    # The first k of a stable full sort, whichever tied positions a partial sort meets first.
    rng = np.random.default_rng(7)
    for _ in range(500):
        scores = rng.integers(0, 4, int(rng.integers(1, 80))).astype(np.float32)
        k = int(rng.integers(0, len(scores) + 2))
        assert top_positions(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()


def test_a_fitted_ranker_is_stored_per_embedder(tmp_path):
    path = tmp_path / "ranker.json"
    assert load_ranker("model-a", path) is None
    save_ranker("model-a", RankerModel({"dense": 2.0}, 15), path)
    save_ranker("model-b", RankerModel({"fused": 1.0}), path)
    assert load_ranker("model-a", path) == RankerModel({"dense": 2.0}, 15)
    assert load_ranker("model-b", path).coefficients == {"fused": 1.0}
    assert load_ranker("model-c", path) is None


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, knowledge_dir):
    with installed_embedder(HashingEmbedder()) as spec:
        directory = tmp_path_factory.mktemp("ranker-data")
        import_paths([knowledge_dir], directory, embedder_spec=spec)
        yield directory, spec


def test_the_retriever_orders_the_leading_candidates_by_the_ranker(data_dir):
    directory, spec = data_dir
    question = "粗大ごみを出したい"
    plain = Retriever(directory, spec, ranker=RankerModel({"fused": 1.0}, 5))
    hits = plain.search(question, Audience.CITIZEN, top=8)
    assert len(hits) == 8 and hits == sorted(hits, key=lambda h: -h.score)
    # A ranker that prefers the worst of the 5 candidates puts them in reverse; the rest follow by score.
    reversed_ranker = Retriever(directory, spec, ranker=RankerModel({"fused": -1.0}, 5))
    ranking = reversed_ranker.rank(question, Audience.CITIZEN, top=8)
    ids = [h.entry.id for h in ranking.hits]
    assert ids[:5] == [h.entry.id for h in hits[:5]][::-1]
    assert ids[5:] == [h.entry.id for h in hits[5:]]
    # Scores still read best first: each rank shows the fused score that rank holds.
    assert [h.score for h in ranking.hits] == [h.score for h in hits]
    # The abstention signals read the fused ranking, whatever the ranker shows first; one of them is
    # the ranker's own score of the fused best entry.
    plain_signals = plain.rank(question, Audience.CITIZEN, top=8).signals
    assert {k: v for k, v in ranking.signals.items() if k != "ranker"} == \
        {k: v for k, v in plain_signals.items() if k != "ranker"}
    assert ranking.signals["ranker"] == pytest.approx(-plain_signals["ranker"]) == pytest.approx(-hits[0].score)


def test_candidate_features_read_the_question_and_the_entry(data_dir):
    directory, spec = data_dir
    retriever = Retriever(directory, spec, ranker=RankerModel({"fused": 1.0}))
    index = retriever.index(Audience.CITIZEN)
    assert index.questions is not None and index.answers is not None
    from bot.answering.retrieval import ranker_inputs
    text = retriever.query_text("住民票の写しの手数料はいくら？", Audience.CITIZEN)
    analysis = retriever.analyzer.analyze(text)
    dense, terms, grams = retriever.scores(index, text, analysis, retriever._query_vector(text))
    fused, candidates, features = ranker_inputs(index, text, analysis, dense, terms, grams, Audience.CITIZEN,
                                                retriever.calibration)
    assert features.shape == (len(candidates), len(FEATURES))
    column = {name: k for k, name in enumerate(FEATURES)}
    assert np.allclose(features[:, column["fused"]], fused[candidates])
    assert ((features >= -1e-9) & (features <= 1.0 + 1e-6)).all()
    # A fee question: an entry whose answer holds an amount in yen holds the asked kind of fact.
    holding = [index.entries[int(i)] for i, row in zip(candidates, features) if row[column["holds_fact"]] > 0]
    assert holding and all("円" in e.body[:800] or "無料" in e.body[:800] or "支払" in e.body[:800]
                           or "定額小為替" in e.body[:800] for e in holding)


def test_the_listwise_fit_learns_the_feature_that_marks_the_relevant_entry():
    rng = np.random.default_rng(3)
    groups = []
    column = {name: k for k, name in enumerate(FEATURES)}
    for q in range(60):
        features = rng.uniform(0, 1, (10, len(FEATURES)))
        features[:, column["holds_fact"]] = 0.0
        right = int(rng.integers(1, 10))  # never the best fused candidate
        features[:, column["fused"]] = np.linspace(0.9, 0.5, 10)
        features[right, column["holds_fact"]] = 1.0
        ids = [f"e{q}-{i}" for i in range(10)]
        groups.append(Group("synthetic", ids, ids, features, {ids[right]}))
    coefficients = fit(groups[:40])
    assert coefficients["holds_fact"] > 0 and coefficients["holds_fact"] > abs(coefficients["fused"])
    assert all(ranked(g, coefficients)[0] in g.relevant for g in groups[40:])
    assert sum(ranked(g, None)[0] in g.relevant for g in groups[40:]) == 0


def test_batch_coverage_and_containment_agree_with_the_one_document_forms():
    from indexing.lexical import BM25Index

    rng = np.random.default_rng(5)
    vocabulary = [f"t{i}" for i in range(12)]
    documents = [list(rng.choice(vocabulary, size=int(rng.integers(0, 6)))) for _ in range(40)]
    index = BM25Index(documents)
    positions = np.array([3, 0, 39, 17, 17, 8])
    query = ["t1", "t5", "t5", "unknown-term", "t11"]
    assert np.allclose(index.coverages(query, positions), [index.coverage(query, int(p)) for p in positions])
    for term in ("t1", "t7", "unknown-term"):
        assert index.contains_each(term, positions).tolist() == [index.contains(term, int(p)) for p in positions]


def test_local_coverage_weighs_the_terms_that_tell_the_candidates_apart():
    from bot.answering.ranker import local_coverage
    from indexing.lexical import BM25Index

    # Four siblings of one topic: every one holds 保育園 and 申込, one the deadline, one the fee.
    index = BM25Index([["保育園", "申込", "期限"], ["保育園", "申込", "料金"], ["保育園", "申込"],
                       ["保育園", "申込", "期限", "料金"], ["ごみ"]])
    siblings = np.array([0, 1, 2, 3])
    coverage = local_coverage(index, ["保育園", "申込", "期限", "未知語"], siblings)
    # Terms all candidates hold (保育園, 申込) or none holds (未知語) count for nothing.
    assert coverage.tolist() == [1.0, 0.0, 0.0, 1.0]
    # A rarer term among the candidates weighs more than a common one.
    index = BM25Index([["期限", "窓口"], ["期限"], ["期限"], ["窓口"]])
    coverage = local_coverage(index, ["期限", "窓口"], np.array([0, 1, 2, 3]))
    assert coverage[3] > coverage[1] and coverage[0] == 1.0
    # Nothing to tell apart: zeros, not a division by zero.
    assert local_coverage(index, ["期限"], np.array([1, 2])).tolist() == [0.0, 0.0]
