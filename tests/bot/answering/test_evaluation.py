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
