"""「人と話したい」: a request for a person gets the general desk, not a look-alike entry."""
import pytest

from bot.answering.person_request import asks_for_person


@pytest.mark.parametrize("message", [
    "人と話したい", "わからないので人と話したい", "担当者につないでください", "職員と直接話したいです",
    "オペレーターをお願いします", "人間に代わってほしい", "有人対応できますか", "担当の方と電話で話したい",
    "スタッフと話せますか", "I want to talk to a human", "Can I speak with someone?", "human please",
])
def test_requests_for_a_person(message):
    assert asks_for_person(message)


@pytest.mark.parametrize("message", [
    "粗大ごみの相談", "子どもが人と話すのが苦手です", "人権相談はどこでできますか", "担当課はどこですか",
    "職員の採用試験", "弁護士と相談したい", "介護の相談をしたい", "保健師と話したい", "担当者の名前を教えて",
    "家族に代わって住民票を取りたいのですが、担当の方に電話で聞くのと窓口に行くのとどちらがいいですか",
])
def test_questions_that_mention_people_are_questions(message):
    assert not asks_for_person(message)


def test_the_bot_gives_the_general_desk_and_searches_nothing(bot):
    answer = bot.answer("人と話したいです", audience="citizen")
    # A decline (channels offer the handoff to staff after one) naming the general desk, with no sources.
    assert answer.kind == "abstain" and answer.abstained and not answer.sources and not answer.related
    assert answer.text.startswith("職員へのお問い合わせをご希望ですね。")
    assert answer.contact is not None and answer.department == answer.contact.department
    english = bot.answer("I want to talk to a human", audience="citizen")
    assert english.text.startswith("You would like to contact a member of staff.")
