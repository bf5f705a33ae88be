"""A message of someone who may be thinking of ending their life gets the consultation lines, never a decline."""
from __future__ import annotations

import pytest

from bot.answering import messages
from bot.answering.crisis import in_crisis


@pytest.mark.parametrize("message", ["死にたい", "もう生きていたくない", "消えたい…", "しにたい", "自殺を考えています",
                                     "生きるのがつらいです", "I want to die", "quero morrer", "죽고 싶어요",
                                     # said of oneself, whatever else the message names
                                     "事業に失敗して死にたい", "会社の研修がつらくて死にたい", "もう死にたい。対策なんてない",
                                     "死んだほうがましだ", "不想活了", "研修がつらくて自殺したい"])
def test_words_of_crisis_are_recognised(message):
    assert in_crisis(message)


@pytest.mark.parametrize("message", ["自殺対策計画について教えて", "ゲートキーパー研修の申し込み", "粗大ごみの出し方",
                                     "電気が消えない", "死亡届の出し方", "犬が死んだときの手続き", "自殺予防週間はいつ？",
                                     "父が自殺しました。死亡届はどこに出せばいいですか", "自死遺族の相談はどこ？"])
def test_policy_questions_and_ordinary_words_are_not(message):
    assert not in_crisis(message)


def test_the_bot_answers_with_the_lines_that_answer_now_and_no_office_hours(bot):
    answer = bot.answer("死にたい")
    assert answer.kind == "crisis" and not answer.sources and not answer.related
    assert "0120-279-338" in answer.text and "119" in answer.text and "8時30分" not in answer.text
    assert bot.answer("死にたい。" + "もう何もかも嫌です。" * 150).kind == "crisis"  # a long message too
    english = bot.answer("I want to die")
    assert english.text.startswith("Thank you") and "0120-279-338" in english.text
    for language in ("en", "zh-Hans", "ko", "vi", "pt"):
        assert messages.CRISIS_LINES_LATIN in messages.say("CRISIS", language)
    assert "0120-279-338" in messages.say("CRISIS", "ja", easy_japanese=True)
