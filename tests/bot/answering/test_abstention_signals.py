"""The features the abstention model reads (retrieval.ranking_signals) and how benchmarks/calibrate.py
turns a fit into the confidences the bot computes."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.calibrate import bot_probabilities
from bot.answering.calibration import FEATURES, Calibration
from bot.answering.ranker import RankerModel
from bot.answering.retrieval import Retriever, question_length
from indexing.embeddings import MAX_QUERY_CHARS
from fakes.embedder import HashingEmbedder, installed_embedder
from indexing.entries import Audience
from indexing.importer import import_paths


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, knowledge_dir):
    with installed_embedder(HashingEmbedder()) as spec:
        directory = tmp_path_factory.mktemp("signals-data")
        import_paths([knowledge_dir], directory, embedder_spec=spec)
        yield directory, spec


@pytest.mark.parametrize("question", ["粗大ごみを出したい", "住民票の写しの手数料はいくら？", "元気？"])
def test_every_feature_is_computed_and_bounded(data_dir, question):
    directory, spec = data_dir
    signals = Retriever(directory, spec, ranker=None).rank(question, Audience.CITIZEN).signals
    assert set(FEATURES) <= set(signals)
    for name in ("coverage", "answer_coverage", "heading_coverage", "missing", "phrases", "focus_heading", "national"):
        assert 0.0 <= signals[name] <= 1.0 + 1e-9, name
    # Without a learned ranker its score is 0 (a calibration fitted without one gives it no weight).
    assert signals["ranker"] == 0.0


def test_the_length_feature_reads_the_question_as_searched(data_dir):
    directory, spec = data_dir
    retriever = Retriever(directory, spec, ranker=None)
    story = ("先月から一人暮らしを始めた大学生です。実家は県外で、アパートを借りました。"
             "住所を移す届けって、何日以内に出せばいいんですか？")
    short = retriever.rank("粗大ごみ", Audience.CITIZEN).signals["length"]
    long = retriever.rank(story, Audience.CITIZEN).signals["length"]
    assert short == pytest.approx(question_length("粗大ごみ")) and long == pytest.approx(question_length(story))
    assert 0.0 < short < 0.5 and 0.8 < long < 1.0  # 4 characters, then 62
    assert question_length("あ" * 100) == pytest.approx(1.0) and question_length("  ") == 0.0
    # Counted up to what the embedder reads: a pasted text gains nothing beyond it.
    assert question_length("あ" * 5000) == question_length("あ" * MAX_QUERY_CHARS) == pytest.approx(1.2, abs=0.01)


def test_heading_coverage_reads_the_question_field_of_the_entry_described(data_dir):
    directory, spec = data_dir
    ranking = Retriever(directory, spec, ranker=None).rank("粗大ごみを出したい", Audience.CITIZEN)
    index = Retriever(directory, spec, ranker=None).index(Audience.CITIZEN)
    best = next(i for i, e in enumerate(index.entries) if e.id == ranking.hits[0].entry.id)
    terms = list(Retriever(directory, spec).analyzer.analyze("粗大ごみを出したい").terms)
    assert ranking.signals["heading_coverage"] == pytest.approx(
        float(index.questions.coverages(terms, np.array([best]))[0]))
    assert ranking.signals["heading_coverage"] > 0.0  # 粗大ごみ is in the heading of the entry it finds


def test_a_national_offices_matter_counts_for_a_residents_question_only(data_dir):
    directory, spec = data_dir
    retriever = Retriever(directory, spec, ranker=None)
    ranking = retriever.rank("ねんきん定期便が届かないのですが", Audience.CITIZEN)
    assert ranking.signals["national"] == 1.0 and ranking.referral == "年金事務所"
    assert retriever.rank("粗大ごみを出したい", Audience.CITIZEN).signals["national"] == 0.0
    # Staff ask about 残業代 as their employer's rule.
    staff = retriever.rank("残業代はいつ支給されますか", Audience.STAFF)
    assert staff.signals["national"] == 0.0 and staff.referral == ""


def test_the_ranker_feature_is_the_rankers_score_of_the_entry_described(data_dir):
    directory, spec = data_dir
    question = "粗大ごみを出したい"  # asks no kind of fact: no fact bonus in the fused score
    with_ranker = Retriever(directory, spec, ranker=RankerModel({"fused": 2.0, "answer_coverage": 1.0}))
    ranking = with_ranker.rank(question, Audience.CITIZEN)
    signals = ranking.signals
    # Twice the fused score plus the answer-field coverage.
    assert signals["ranker"] == pytest.approx(2 * signals["fused"] + signals["answer_coverage"], abs=1e-6)
    # Relative to the ranker's typical first score, so a refitted ranker keeps the feature's level.
    centred = Retriever(directory, spec, ranker=RankerModel({"fused": 2.0, "answer_coverage": 1.0}, center=1.5))
    assert centred.rank(question, Audience.CITIZEN).signals["ranker"] == pytest.approx(signals["ranker"] - 1.5)


@pytest.mark.parametrize("question", [
    "粗大ごみを出したい", "住民票の写しの手数料はいくら？", "元気？",
    "先月から一人暮らしを始めた大学生です。実家は県外で、アパートを借りました。住所を移す届けって、何日以内に出せばいいんですか！？",
])
def test_calibrate_fits_on_the_signals_the_bot_reads(data_dir, question):
    # The abstention model is fitted on benchmarks/calibrate.py's features and applied to
    # Retriever.rank's: the two must agree, feature by feature.
    from benchmarks import calibrate
    from bot.answering.evaluation import LabelledQuestion

    directory, spec = data_dir
    shipped = Calibration(dense_weight=0.7, terms_weight=0.2, grams_weight=0.1, citizen_plan_factor=0.8,
                          fact_bonus=0.05, staff_topic_margin=0.0)  # not the defaults
    retriever = Retriever(directory, spec, calibration=shipped,
                          ranker=RankerModel({"fused": 2.0, "answer_coverage": 1.0}, center=1.0))
    ranking = retriever.rank(question, Audience.CITIZEN)
    c = retriever.calibration
    rows = calibrate.score_arrays(retriever, [LabelledQuestion("q", question, (), Audience.CITIZEN)])
    X, _, _ = calibrate.labelled_features(rows, (c.dense_weight, c.terms_weight, c.grams_weight))
    fitted = dict(zip(calibrate.USED, X[0]))
    assert rows[0].forced == bool(ranking.decline)
    for name in FEATURES:
        assert fitted[name] == pytest.approx(ranking.signals[name], abs=1e-6), name


def test_the_threshold_is_chosen_on_the_confidences_the_bot_computes():
    X = np.array([[1.0], [1.0], [1.0], [1.0]])
    S = np.array([[1.0], [-1.0], [1.0], [1.0]])
    shown = (S, np.array([False, True, False, False]), np.array([False, False, True, False]))
    p = bot_probabilities(X, shown, np.array([2.0]), 0.0, np.array([False, False, False, True]),
                          Calibration().plan_threshold)
    sigmoid = 1 / (1 + np.exp(-2.0))
    # As fitted; the entry shown's where the ranker shows another entry; a plan passage shown to a
    # citizen below the plan threshold, and a rule's decline, give 0.
    assert p == pytest.approx([sigmoid, 1 - sigmoid, 0.0, 0.0])


def _index_of(categories, departments=None):
    from indexing.search_index import AudienceIndex
    from types import SimpleNamespace
    departments = departments or [""] * len(categories)
    entries = [SimpleNamespace(category=c, department=d) for c, d in zip(categories, departments)]
    index = AudienceIndex.__new__(AudienceIndex)
    index.entries = entries  # topics and topic_shares are read from the entries alone
    return index


def test_topic_cluster_reads_whether_the_nearest_entries_share_a_topic_beyond_chance():
    from bot.answering.retrieval import CLUSTER_NEIGHBOURS, CLUSTER_UNKNOWN, topic_cluster
    categories = ["ごみ"] * 6 + ["税"] * 6 + ["子育て"] * 6 + ["水道"] * 6
    index = _index_of(categories)
    # The nearest six are all ごみ entries: siblings of one topic.
    clustered = np.array([0.9 - 0.01 * i if i < 6 else 0.5 for i in range(len(categories))])
    assert topic_cluster(index, clustered, np.argsort(-clustered)) == pytest.approx(1.0 - 0.25)
    # The nearest ones come from four topics: no more than chance.
    scattered = np.full(len(categories), 0.5)
    scattered[[0, 6, 12, 18, 1, 7]] = [0.9, 0.89, 0.88, 0.87, 0.86, 0.85]
    assert topic_cluster(index, scattered, np.argsort(-scattered)) == pytest.approx(1 / CLUSTER_NEIGHBOURS - 0.25)
    # Fewer neighbours found than read say less.
    few = np.array([0.9, 0.8, 0.7, 0.0, 0.0, 0.0, 0.0, 0.0])
    two_topics = _index_of(["ごみ"] * 4 + ["税"] * 4)
    assert topic_cluster(two_topics, few, np.argsort(-few)) == pytest.approx((1.0 - 0.5) * 2 / CLUSTER_NEIGHBOURS)
    # A knowledge without categories reads its departments.
    by_department = _index_of([""] * 8, ["環境課"] * 4 + ["税務課"] * 4)
    ranked = np.linspace(1, 0.5, 8)
    assert topic_cluster(by_department, ranked, np.argsort(-ranked)) == pytest.approx(3 / CLUSTER_NEIGHBOURS - 0.5)
    # Where nothing can be read the value is the tuned mean: no topics at all, one topic only, cosines
    # all equal (no entry nearer than another), or nothing found by the dense search (cosine 0).
    assert topic_cluster(_index_of([""] * 10), np.linspace(1, 0, 10), np.arange(10)) == CLUSTER_UNKNOWN
    assert topic_cluster(_index_of(["ごみ"] * 10), np.linspace(1, 0, 10), np.arange(10)) == CLUSTER_UNKNOWN
    flat = np.full(len(categories), 0.5)
    assert topic_cluster(index, flat, np.arange(len(categories))) == CLUSTER_UNKNOWN
    unfound = np.zeros(len(categories))
    unfound[0] = 0.9
    assert topic_cluster(index, unfound, np.argsort(-unfound)) == CLUSTER_UNKNOWN


def test_the_confidence_is_that_of_the_entry_shown_where_the_ranker_shows_another():
    from types import SimpleNamespace

    from bot.answering.answer import Hit
    from bot.answering.retrieval import Ranking
    from indexing.entries import Entry

    calibration = Calibration(coefficients={"dense": 10.0}, bias=-5.0)
    retriever = SimpleNamespace(calibration_for=lambda language: calibration)
    hits = [Hit(Entry(id="F1", kind="faq", title="質問", body="回答です。", audience="citizen"), 0.9)]
    fused_best, shown = {"dense": 0.3}, {"dense": 0.8}
    alone = Ranking(hits=hits, signals=fused_best, audience="citizen")
    reordered = Ranking(hits=hits, signals=fused_best, audience="citizen", shown_signals=shown)
    assert Retriever.confidence(retriever, alone) == pytest.approx(calibration.confidence(fused_best))
    # Not the lower of the two: a poor fused best the ranker passed over does not decline the answer shown.
    assert Retriever.confidence(retriever, reordered) == pytest.approx(calibration.confidence(shown))
    assert Retriever.confidence(retriever, reordered) > Retriever.confidence(retriever, alone)
