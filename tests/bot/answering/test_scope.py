"""Another municipality named in a question, in the ways residents write it."""
from bot.answering.scope import other_place


def nowhere(term: str) -> int:
    return 0


def test_a_place_name_with_its_suffix_typed_in_kana_is_another_city():
    assert other_place("おおさかしの住民票の手数料", set(), nowhere) == "おおさか市"
    assert other_place("ふくおかけんの手当", set(), nowhere) == "ふくおか県"


def test_a_bare_place_name_is_left_to_the_abstention_model():
    # Residents name their own districts so (北町では…), and a district need not be in the knowledge;
    # a country is not another city.
    assert other_place("北町では粗大ごみは何曜日ですか", set(), nowhere) == ""
    assert other_place("緑町の場合、ごみの収集日はいつ", set(), nowhere) == ""
    assert other_place("アメリカでは運転免許はどうなりますか", set(), nowhere) == ""
    assert other_place("東京の会社に勤めています。児童手当の申請は？", set(), nowhere) == ""


def test_a_prefecture_written_as_one_word_is_another_place_unless_moved_from():
    assert other_place("北海道の保育料の補助", set(), nowhere) == "北海道"
    assert other_place("北海道から引っ越してきました", set(), nowhere) == ""


def test_a_kana_name_of_a_place_the_knowledge_talks_about_is_ours():
    assert other_place("あおばしの粗大ごみ", set(), {"あおば": 40}.get) == ""
    assert other_place("あおば市では粗大ごみはいくら", set(), {"あおば": 40}.get) == ""


def test_an_unnamed_neighbour_is_left_to_the_abstention_model():
    # 隣の市の人でも出せますか asks about this city's rule: no forced decline for an unnamed place.
    assert other_place("隣の市の人でも粗大ごみを出せますか", set(), nowhere) == ""
    assert other_place("隣の市の粗大ごみの料金は？", set(), nowhere) == ""


def test_another_places_office_or_institution_is_another_city():
    assert other_place("神戸市営住宅に申し込みたい", set(), nowhere) == "神戸市"
    assert other_place("横浜の市役所の電話番号", set(), nowhere) == "横浜"
    # ... unless the knowledge mentions that name (a district with its own branch office).
    assert other_place("北町の市役所の出張所", set(), {"北町": 1}.get) == ""
    assert other_place("あおば市立図書館の開館時間", set(), {"あおば": 40}.get) == ""


def test_the_nearest_office_and_a_neighbouring_ward_are_this_city():
    assert other_place("近くの市役所の出張所はどこですか", set(), nowhere) == ""
    assert other_place("隣の区役所でも住民票は取れますか", set(), nowhere) == ""


def test_a_kana_name_before_a_suffix_is_not_taken_for_another_city():
    # A kana word before 町/村/市 is as often this city's own neighbourhood, a facility or a market
    # (みどり町, キャンプ村, クリスマス市) or this city in kana (みなと市, whose index holds 港): no forced decline.
    for question in ("みどり町の公園でボール遊びはできますか", "ひがし町一丁目のごみ収集日", "キャンプ村の予約はどうすればいいですか",
                     "クリスマス市はいつ開催されますか", "みなと市の住民票はどこで取れますか"):
        assert other_place(question, set(), nowhere) == "", question


def test_this_city_typed_in_katakana_is_ours_when_the_knowledge_writes_it_in_hiragana():
    # The index holds terms folded to hiragana (かわべ), whatever script the question uses.
    assert other_place("カワベ市の粗大ごみの申し込み方法", set(), {"かわべ": 200}.get) == ""
    assert other_place("カワベ市の粗大ごみの申し込み方法", set(), nowhere) == "カワベ市"
    # ... and when the tokenizer splits the knowledge's spelling (か + わべ), by the text the knowledge writes.
    assert other_place("カワベ市の粗大ごみ", set(), nowhere, "かわべ市の粗大ごみ\nかわべ市役所\nかわべ市の".count) == ""
