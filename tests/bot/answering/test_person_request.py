"""「人と話したい」: a request for a person gets the general desk, not a look-alike entry."""
import pytest

from bot.answering.person_request import asks_for_person


@pytest.mark.parametrize("message", [
    "人と話したい", "わからないので人と話したい", "担当者につないでください", "職員と直接話したいです",
    "オペレーターをお願いします", "人間に代わってほしい", "有人対応できますか", "担当の方と電話で話したい",
    "スタッフと話せますか", "I want to talk to a human", "Can I speak with someone?", "human please",
    "誰か人と話したい", "市役所の人と話したい", "福祉課の担当者と話したい", "チャットじゃなくて人と話したい",
    "職員の方と話せますか", "人につないで", "人間に代わって", "オペレーター", "人に聞きたい", "担当者さんお願いします",
])
def test_requests_for_a_person(message):
    assert asks_for_person(message)


@pytest.mark.parametrize("message", [
    "粗大ごみの相談", "子どもが人と話すのが苦手です", "人権相談はどこでできますか", "担当課はどこですか",
    "職員の採用試験", "弁護士と相談したい", "介護の相談をしたい", "保健師と話したい", "担当者の名前を教えて",
    "家族に代わって住民票を取りたいのですが、担当の方に電話で聞くのと窓口に行くのとどちらがいいですか",
    "本人に代わって申請できますか", "人に代わって手続きしたい", "成年後見人に相談したい", "子どもが人と話すことができません",
    "外国人と話せる交流会はありますか", "個人で対応できますか", "代理人に相談したい", "知人に相談してもいいですか",
    "外国人対応できますか", "土日でも、職員と相談できますか", "英語で、職員と話せますか", "手話で、職員と話せますか",
])
def test_questions_that_mention_people_are_questions(message):
    assert not asks_for_person(message)


def test_the_bot_gives_the_general_desk_and_searches_nothing(bot):
    answer = bot.answer("人と話したいです", audience="citizen")
    # Like a decline (channels offer the handoff to staff after one) naming the general desk, with no sources;
    # not a knowledge gap for the review queue.
    assert answer.kind == "person" and answer.abstained and not answer.sources and not answer.related
    assert answer.text.startswith("職員へのお問い合わせをご希望ですね。")
    assert answer.contact is not None and answer.department == answer.contact.department
    english = bot.answer("I want to talk to a human", audience="citizen")
    assert english.text.startswith("You would like to contact a member of staff.")


def test_a_person_request_is_logged_but_is_not_a_knowledge_gap(fresh_data_dir):
    from bot.insights.inquiry_log import InquiryLog
    from bot.service import Bot
    from channels.admin.review_queue import ReviewQueue

    log = InquiryLog(fresh_data_dir)
    answer = Bot(fresh_data_dir, inquiry_log=log).ask("人と話したいです", audience="citizen", channel="line")
    assert log.get(answer.inquiry_id)["answer_kind"] == "person"
    assert answer.inquiry_id not in {item["id"] for item in ReviewQueue(fresh_data_dir).open_items()}
