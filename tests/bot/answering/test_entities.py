"""Named things a question asks about (a card, a tax, a licence) and whether an entry mentions them."""
from bot.answering.entities import EntryTexts, missing_entity, noun_phrases
from indexing.entries import Entry
from indexing.japanese import JapaneseAnalyzer

TAX_ENTRY = Entry(id="1", kind="faq", title="住民税の申告について", body="住民税の申告は3月15日までに税務課へ提出してください。")
CARD_ENTRY = Entry(id="2", kind="faq", title="マイナンバーカードの更新", body="有効期限の3か月前から窓口で更新できます。")


def lacks(question: str, entry: Entry) -> float:
    analyzer = JapaneseAnalyzer()
    return missing_entity(noun_phrases(analyzer.prepare(question)), entry, EntryTexts(analyzer.prepare))


def test_a_look_alike_of_the_same_kind_is_missing_from_the_entry():
    assert lacks("相続税の申告はいつまで？", TAX_ENTRY) == 1.0
    assert lacks("運転免許証の更新はどこで", CARD_ENTRY) == 1.0
    assert lacks("住民税の申告はいつまで？", TAX_ENTRY) == 0.0
    assert lacks("マイナンバーカードの更新はどこで", CARD_ENTRY) == 0.0


def test_a_name_typed_in_kana_still_meets_its_kanji_by_reading():
    assert lacks("じゅうみんぜいの申告", TAX_ENTRY) == 0.0


def test_ordinary_nouns_and_a_residents_own_name_are_not_named_things():
    # 期限 and 方法 are what is asked, not a thing of a kind; 山田太郎 is who asks.
    assert lacks("住民税の申告方法と期限", TAX_ENTRY) == 0.0
    assert lacks("山田太郎と申します。住民税の申告は？", TAX_ENTRY) == 0.0


def test_phrases_are_runs_of_nouns_with_their_reading():
    phrases = noun_phrases("後期高齢者医療保険証をなくした")
    assert [p.surface for p in phrases] == ["後期高齢者医療保険証"]
    assert phrases[0].reading == "コウキコウレイシャイリョウホケンショウ" and phrases[0].salient
