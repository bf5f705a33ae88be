"""Ordinary resident text around the respelled words stays as typed: suffixes, kana numerals and
counters, verb endings and particles after a noun are not read into the knowledge's compounds."""
import pytest

from indexing.respelling import Respelling

# Each homophone the corruptions below would take is written somewhere in this knowledge.
KNOWLEDGE = [
    "今日の受付は終了しました。二重の申請はできません。第3条の規定による。パスワードは8文字以上。",
    "保育園の申込は4月までです。申込書を出してください。申込方法は窓口です。粗大ごみ出しの日。",
    "2人目の子どもは半額です。1枚300円。2回目の接種。3日以内に届け出てください。2週間前までに。3歳児健診。",
    "子どもの医療証をなくしたときは再交付します。派遣職員の勤務時間。変更は了承ください。",
    "住民票の写しの受け取りは窓口へ。",
]


@pytest.fixture(scope="module")
def spelling():
    return Respelling(KNOWLEDGE)


def test_a_suffix_alone_is_not_respelled_into_a_single_kanji(spelling):
    # じゅう (中) after きょう and じょう (以上) after a kana word are suffixes, not 重 or 条.
    assert spelling.respell("きょうじゅうにほしい") == "今日じゅうにほしい"
    assert spelling.respell("なんもじいじょう") == "なんもじいじょう"
    # A suffix of that reading is fine after its head (出し|かた: 方).
    assert Respelling(["ごみの出し方。収入のある方全員。"]).respell("ごみの出しかた") == "ごみの出し方"


def test_kana_numerals_and_their_counters_stay_as_typed(spelling):
    for text in ["ふたりめ", "いちまいいくら", "いっかいめ", "みっかいない", "にしゅうかんまえ", "にかいめはいつ"]:
        assert spelling.respell(text) == text
    assert spelling.respell("いっかいめのせっしゅ") == "いっかいめの接種"
    assert spelling.respell("こどもがふたりいます") == "子どもがふたりいます"
    # A number typed in digits meets its counter as the knowledge writes it.
    assert spelling.respell("3さいじけんしん") == "3歳児健診"
    assert spelling.respell("2かいめのせっしゅ") == "2回目の接種"
    # A number inside a compound the knowledge names is part of the name.
    assert Respelling(["家電4品目の出し方"]).respell("かでんよんひんもく") == "家電4品目"


def test_a_verb_keeps_its_ending(spelling):
    # もうしこみ|たい is a verb: the knowledge's noun 申込 would leave 申込たい.
    assert spelling.respell("もうしこみたい") == "もうしこみたい"
    assert spelling.respell("ほいくえんにもうしこみたい") == "保育園にもうしこみたい"
    # Before a particle it is a noun of its own (もうしこみ|は: 申込は).
    assert spelling.respell("ほいくえんのもうしこみは") == "保育園の申込は"
    # A spelling that keeps the verb's ending is fine.
    assert spelling.respell("ごみだしたい") == "ごみ出したい"
    assert spelling.respell("じゅうみんひょうをうけとりたい") == "住民票を受け取りたい"


def test_a_particle_after_a_kana_noun_is_not_read_into_a_compound(spelling):
    # おや|は|けん is not 派遣; こども|が|いりょうしょう is not がい|了承.
    assert spelling.respell("おやはけんのしごと") == "おやはけんのしごと"
    assert spelling.respell("こどもがいりょうしょうをなくした") == "子どもが医療証をなくした"
