"""Greetings, thanks and acknowledgements get a friendly reply, never a decline with a department."""
import pytest

from bot.answering.small_talk import small_talk_kind


@pytest.mark.parametrize("message, kind", [
    ("こんにちは", "greeting"), ("こんばんわー", "greeting"), ("おはようございます！", "greeting"),
    ("よろしくお願いします", "greeting"), ("Hello", "greeting"), ("안녕하세요", "greeting"),
    ("ありがとう", "thanks"), ("ありがとうございました😊", "thanks"), ("はい、ありがとう", "thanks"),
    ("本当にありがとうございました", "thanks"), ("ありがとね", "thanks"), ("thank you!", "thanks"),
    ("わかりました。ありがとうございます", "thanks"), ("谢谢", "thanks"), ("Obrigado", "thanks"),
    ("了解しました", "closing"), ("わかりました", "closing"), ("OK", "closing"), ("おやすみなさい", "closing"),
    ("元気？", "greeting"), ("お元気ですか", "greeting"), ("How are you?", "greeting"),
    ("どうもね、また聞くわ", "thanks"), ("また聞きます", "closing"),
    ("お疲れさまです", "greeting"), ("お世話になっております。", "greeting"), ("お先に失礼します", "closing"),
    ("おつかれさまでーす", "greeting"), ("お疲れっす！", "greeting"), ("いつもお世話になっています。", "greeting"),
])
def test_messages_that_ask_nothing(message, kind):
    assert small_talk_kind(message) == kind


@pytest.mark.parametrize("message", [
    "こんにちは、粗大ごみの出し方は？", "ありがとう。ところで住民票は？", "粗大ごみ", "はい", "いいえ", "テスト",
    "hi there, where is city hall?", "結婚したら何を出す？", "ありがとうを伝える手紙の書き方", "",
    "元気な子どもを育てる講座", "また聞きますが、住民票は？", "お疲れさまです。時間外勤務の申請期限は？", "住民票っす", "お世話になっている課はどこ？",
])
def test_questions_and_other_words_are_not_small_talk(message):
    assert small_talk_kind(message) is None


def test_the_bot_replies_to_small_talk_without_a_department(bot):
    greeting = bot.answer("こんにちは", audience="citizen")
    assert greeting.kind == "small_talk" and greeting.abstained and greeting.contact is None
    assert greeting.text.startswith("こんにちは。") and "粗大ごみ" in greeting.text
    thanks = bot.answer("ありがとうございました！", audience="staff")
    assert thanks.kind == "small_talk" and thanks.text.startswith("どういたしまして")
    colleague = bot.answer("お疲れさまです！", audience="staff")
    assert colleague.kind == "small_talk" and colleague.text.startswith("お疲れさまです。") and "粗大ごみ" not in colleague.text
    english = bot.answer("Thank you!", audience="citizen")
    assert english.text.startswith("You're welcome") and english.answer_language == "en"


def test_small_talk_is_logged_but_is_not_a_knowledge_gap(fresh_data_dir):
    from bot.insights.inquiry_log import InquiryLog
    from bot.service import Bot
    from bot.answering.answer import NO_GAP_KINDS  # what the review queue leaves out

    log = InquiryLog(fresh_data_dir)
    answer = Bot(fresh_data_dir, inquiry_log=log).ask("ありがとう", audience="citizen", channel="line")
    assert log.get(answer.inquiry_id)["answer_kind"] == "small_talk"
    assert "small_talk" in NO_GAP_KINDS


def test_a_message_without_a_word_says_nothing():
    from bot.answering.small_talk import says_nothing

    for message in ("1+1は？", "12345", "👍", "？", "090-1234-5678", "(^_^)"):
        assert says_nothing(message), message
    for message in ("110番", "粗大ごみ", "ok", "1+1は何？", "ありがとう"):
        assert not says_nothing(message), message


def test_a_town_calls_its_office_yakuba_in_the_fixed_texts(bot):
    """MADOGUCHI_CITY_NAME ending in 町 or 村: the fixed texts say 役場, not 市役所 (answers quote the knowledge as written)."""
    from indexing.language import use_municipality

    try:
        use_municipality("しらかば町")
        greeting = bot.answer("こんにちは", audience="citizen").text
        assert "役場のお問い合わせ窓口" in greeting and "市役所" not in greeting
        use_municipality("青葉市")
        assert "市役所のお問い合わせ窓口" in bot.answer("こんにちは", audience="citizen").text
        use_municipality("港区")
        assert "区役所のお問い合わせ窓口" in bot.answer("こんにちは", audience="citizen").text
    finally:
        use_municipality("")


def test_the_slack_refusals_name_a_towns_own_staff():
    from channels.slack import messages as slack_messages
    from indexing.language import for_municipality, use_municipality

    try:
        use_municipality("しらかば村")
        text = for_municipality(slack_messages.EXTERNAL_USER)
        assert "役場の職員向け" in text and "村の担当者" in text and "市" not in text
    finally:
        use_municipality("")
    assert "市の担当者" in for_municipality(slack_messages.EXTERNAL_USER)
