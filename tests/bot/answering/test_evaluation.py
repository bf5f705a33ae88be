import pytest

from bot.answering.evaluation import LabelledQuestion, evaluate, evaluate_bot, ndcg_at_k, reciprocal_rank


def test_metrics_on_a_hand_computed_example():
    assert ndcg_at_k(["a", "b", "c"], {"b"}) == pytest.approx(1 / 1.5849625, rel=1e-6)
    assert ndcg_at_k(["x", "y"], {"a"}) == 0.0
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    questions = [LabelledQuestion("1", "q", ("a",)), LabelledQuestion("2", "q", ("b",)), LabelledQuestion("3", "oos", ())]
    report = evaluate([(questions[0], ["a", "b"], False), (questions[1], ["a", "b"], True), (questions[2], ["a"], True)])
    assert report.hit1 == 0.5 and report.hit5 == 1.0 and report.mrr10 == pytest.approx(0.75)
    assert report.abstention_recall == 1.0 and report.abstention_precision == 0.5
    assert report.answerable_abstain_rate == 0.5 and report.answered_wrong == 0


def test_fixture_knowledge_base_quality(bot):
    questions = [
        LabelledQuestion("a", "粗大ゴミ 出し方", ("101",)),
        LabelledQuestion("b", "燃えるゴミの日", ("102",)),
        LabelledQuestion("c", "犬を飼い始めた 登録", ("109",)),
        LabelledQuestion("d", "市役所は何時まで開いてますか", ("110",)),
        LabelledQuestion("e", "残業の申請はいつまで", ("overtime#申請の期限",), audience="staff"),
        LabelledQuestion("f", "宇宙旅行のチケットを買いたい", ()),
    ]
    report = evaluate_bot(bot, questions)
    assert report.hit1 == 1.0, report.failures
    assert report.abstention_recall == 1.0


def test_answered_right_declines_and_fact_figures():
    from bot.answering.evaluation import Outcome, cross_validated, summarize

    q = LabelledQuestion
    outcomes = [
        Outcome(q("1", "a", ("a",), fact="300円"), ("a", "b"), 0.9, False, "1通300円です", "a"),
        Outcome(q("2", "b", ("b",), fact="14日"), ("a", "b"), 0.8, False, "別の答え", "a"),
        Outcome(q("3", "c", ("c",)), ("c",), 0.3, True, "お答えできません", "c"),
        Outcome(q("4", "oos", ()), ("a",), 0.2, True, "お答えできません", "a"),
        Outcome(q("5", "other city", ()), ("a",), 0.0, True, "横浜市のことは", ""),
    ]
    s = summarize(outcomes)
    assert s["answered"] == pytest.approx(2 / 3) and s["right_when_answered"] == 0.5
    assert s["oos_declined"] == 1.0 and s["answerable_declined"] == pytest.approx(1 / 3)
    assert s["fact_in_answer"] == 0.5 and s["hit@1"] == pytest.approx(2 / 3)
    # A lower threshold answers question 3 (its top entry is right) but keeps the forced decline.
    relaxed = summarize(outcomes, threshold=0.15)
    assert relaxed["answered"] == 1.0 and relaxed["oos_declined"] == 0.5
    cv = cross_validated(outcomes, folds=2, max_answerable_declined=0.0)
    assert set(cv) == {"cv_oos_declined", "cv_answerable_declined", "cv_answered", "cv_right_when_answered"}
    assert 0.0 <= cv["cv_oos_declined"] <= 1.0
