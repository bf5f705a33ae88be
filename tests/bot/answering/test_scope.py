"""Another municipality named in a question, in the ways residents write it."""
from bot.answering.scope import other_place


def nowhere(term: str) -> int:
    return 0


def test_a_place_name_with_its_suffix_typed_in_kana_is_another_city():
    assert other_place("おおさかしの住民票の手数料", set(), nowhere) == "おおさか市"
    assert other_place("ふくおかけんの手当", set(), nowhere) == "ふくおか県"
    # Before a space, Sudachi reads the suffix and 「の」 as one word (ひろしま|しの).
    assert other_place("ひろしましの そだいごみ りょうきん", set(), nowhere) == "ひろしま市"
    assert other_place("なごやしの ほいくえん", set(), nowhere) == "なごや市"
    # ... and a doctor there is still where a resident of this city goes.
    assert other_place("おおさかしの病院で受けた予防接種の払い戻し", set(), nowhere) == ""
    assert other_place("ひろしましの 病院で うけた 予防接種", set(), nowhere) == ""
    assert other_place("おおさかしの びょういんで うけた よぼうせっしゅ", set(), nowhere) == ""
    assert other_place("なごやしの かいしゃに つとめて います。ほいくえんの しんせいは", set(), nowhere) == ""


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


def test_an_unnamed_municipality_asked_about_is_another_city():
    assert other_place("隣の市の粗大ごみの料金は？", set(), nowhere) == "隣の市"
    assert other_place("となりの町の児童手当はいくらですか", set(), nowhere) == "となりの町"
    assert other_place("となりまちの粗大ごみ", set(), nowhere) == "となりまち"
    assert other_place("となりのまちのごみの日は？", set(), nowhere) == "となりのまち"
    assert other_place("となりのまちがいさがし", set(), nowhere) == ""
    assert other_place("他市の図書館って何時まで？", set(), nowhere) == "他市"
    assert other_place("引っ越し先の市役所は土曜日も開いていますか", set(), nowhere) == "引っ越し先の市"
    assert other_place("実家のある町の粗大ごみの回収日が知りたい", set(), nowhere) == "実家のある町"
    assert other_place("妹が住んでいる市の出産祝い金はいくら？", set(), nowhere) == "妹が住んでいる市"
    assert other_place("親の住む町の役場、昼休みも窓口開いてる？", set(), nowhere) == "親の住む町"
    assert other_place("隣の市の成人式っていつ？", set(), nowhere) == "隣の市"  # 人 inside 成人式 is no person


def test_an_unnamed_municipality_the_resident_goes_to_or_comes_from_is_this_citys_question():
    # Where an institution is, who lives there or where someone moves: this city's rules are asked.
    for question in ("隣の市の人でも粗大ごみを出せますか", "1歳半健診の受診票、隣の市の小児科で使えますか？",
                     "隣の市の私立幼稚園に通っていても補助金はもらえますか", "隣町の病院って医療証使える？",
                     "隣の市の保育園に入れたい", "隣の県から引っ越してきました", "他県に引っ越す前の手続き",
                     "本籍が別の市だけどコンビニで戸籍とれる？", "私が住んでいる市の児童手当",
                     "来週、他の市の担当者とWebで打ち合わせをします", "隣の区のごみの収集日"):
        assert other_place(question, set(), nowhere) == "", question


def test_a_question_comparing_an_unnamed_neighbour_with_this_city_is_about_this_city():
    assert other_place("隣町のごみ袋は無料なのに有料なの？", set(), nowhere) == ""
    assert other_place("隣町のごみ袋は無料、こっちは有料？", set(), nowhere) == ""
    # ... or whether something from there serves here.
    for question in ("隣の市のごみ袋、うちでも使える？", "隣の市の粗大ごみ処理券はここで使えますか",
                     "他県の受診票は使えますか", "他の市の予防接種券を持ってきてしまいました"):
        assert other_place(question, set(), nowhere) == "", question
    assert other_place("隣の市の子ども医療費は高校生までですが、あおば市は？", {"あおば市"}, nowhere) == ""


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


def test_a_city_named_in_kana_that_the_knowledge_never_writes_is_another_city():
    knows_nothing = "".count  # the knowledge writes no such name ...
    no_word = lambda word: False  # ... nor holds it as a word (みなと would be 港)
    assert other_place("みなと市の粗大ごみ", set(), nowhere, knows_nothing, known_word=no_word) == "みなと市"
    assert other_place("サクラ市の児童手当はいくら？", set(), nowhere, knows_nothing, known_word=no_word) == "サクラ市"
    # This city in kana, written so in the knowledge or held as a word (港 for みなと), is ours.
    assert other_place("かわべ市の粗大ごみ", set(), nowhere, "かわべ市役所".count, known_word=no_word) == ""
    assert other_place("みなと市の粗大ごみ", set(), nowhere, knows_nothing, known_word=lambda w: w == "みなと") == ""
    # A hiragana name before 町 or 村 is a town or village (after a noun, its particle is the sentence's).
    for question, town in (("ひがしやま町の粗大ごみの出し方を教えて", "ひがしやま町"), ("しらさぎ村の水道料金はいくらですか", "しらさぎ村"),
                           ("実家のひがしやま町の粗大ごみは？", "ひがしやま町"), ("もとやま町の水道料金は？", "もとやま町"),
                           ("ときがわ町の粗大ごみ", "ときがわ町")):
        assert other_place(question, set(), nowhere, knows_nothing, known_word=no_word) == town, question
    # Not a place a resident goes to (みどり町の公園で), a katakana word before 村 (a camp), a town described
    # (ふるさとの町, わが町, きれいな町, 住んでいる町), a kana suffix (てちょう, えんちょう end so), a market asked when.
    for question in ("みどり町の公園でボール遊びはできますか", "キャンプ村の予約はどうすればいいですか",
                     "ふるさとの町の祭りはいつ？", "わが町の防災計画", "きれいな町の取り組みは", "いい町の条件",
                     "ちいさな村のお祭り", "住んでいる町の粗大ごみ", "こんな町の図書館", "ぼしてちょうの もらいかた", "えんちょうの ほいくは なんじまで",
                     "クリスマス市はいつ開催されますか", "みなと市の病院で使えますか"):
        assert other_place(question, set(), nowhere, knows_nothing, known_word=no_word) == "", question


def test_a_city_spelled_all_in_kana_is_another_city():
    # A question typed in kana spells 市 too; respelling may have made the name kanji (南のし), the typed text is read.
    knows_nothing, no_word = "".count, (lambda word: False)
    assert other_place("みなみのし の ほいくえん あいてますか", set(), nowhere, knows_nothing, known_word=no_word) == "みなみの市"
    assert other_place("南のし の 保育園 あいてますか", set(), nowhere, knows_nothing, known_word=no_word,
                       typed="みなみのし の ほいくえん あいてますか") == "みなみの市"
    assert other_place("あさひし では そだいごみ いくら", set(), nowhere, knows_nothing, known_word=no_word) == "あさひ市"
    # A word that ends in し (わたし, むかし), this city (written so, or one word the knowledge holds: みなと for 港),
    # a move there, a doctor there, or nothing asked: none.
    for question in ("わたし の ほけんしょう なくした", "むかし の しょうめいしょ", "こんど みなみのし に ひっこす",
                     "みなみのし の びょういんで うけた よぼうせっしゅ", "あさひし では"):
        assert other_place(question, set(), nowhere, knows_nothing, known_word=no_word) == "", question
    assert other_place("かわべし の そだいごみ", set(), nowhere, "かわべ市役所".count, known_word=no_word) == ""
    assert other_place("みなとし の そだいごみ", set(), nowhere, knows_nothing, known_word=lambda w: w == "みなと") == ""
    # A name the dictionary cuts into words (みなみ|の) is no word of the knowledge because 南 is.
    assert other_place("みなみのし の そだいごみ", set(), nowhere, knows_nothing, known_word=lambda w: True) == "みなみの市"


def test_a_city_named_in_hiragana_with_dewa_or_dato_is_another_city_unless_compared_with_this_one():
    knows_nothing, no_word = "".count, (lambda word: False)
    assert other_place("もみじ市だと子どもの医療費、中学生まで無料？", set(), nowhere, knows_nothing, known_word=no_word) == "もみじ市"
    assert other_place("ひがしやま町では粗大ごみはいくら？", set(), nowhere, knows_nothing, known_word=no_word) == "ひがしやま町"
    # A katakana word before 市 is as often a market; a comparison with this city asks about this one.
    for question in ("クリスマス市では何を売っていますか", "もみじ市だと医療費は無料なのに、こっちは有料？",
                     "のみの市では粗大ごみを売れますか"):
        assert other_place(question, set(), nowhere, knows_nothing, known_word=no_word) == "", question
    # ... and the knowledge's own city, or a word it holds, is ours as with 「の」.
    assert other_place("もみじ市だと子どもの医療費は？", set(), nowhere, "もみじ市役所".count, known_word=no_word) == ""


def test_a_city_written_as_one_word_is_another_city():
    # Sudachi keeps some city names whole (四日市): the same place as 横浜|市.
    assert other_place("四日市の粗大ごみの料金は？", set(), nowhere) == "四日市"
    assert other_place("四日市の粗大ごみの料金は？", set(), nowhere, "四日市市役所\n四日市市の\n四日市市内".count) == ""
    assert other_place("四日市から引っ越してきました", set(), nowhere) == ""


def test_a_city_named_after_the_knowledges_prefecture_is_another_city():
    # The knowledge of a town in 福岡県 names 福岡 often (福岡県の補助, 福岡県警), never 福岡市: that city is
    # another municipality, though its name is a word the knowledge knows well.
    knowledge = "福岡県の補助金\n福岡県警察\n福岡県の制度\nもりの市役所".count
    often, prefectures = {"福岡": 30}.get, frozenset({"福岡"})
    assert other_place("福岡市の粗大ごみの料金は？", set(), often, knowledge, prefectures=prefectures) == "福岡市"
    assert other_place("福岡県の補助金はありますか", set(), often, knowledge, prefectures=prefectures) == ""
    # A city the knowledge writes in full (its own, or one it works with) stays ours; one address is not enough.
    also_the_city = lambda text: knowledge(text) + "福岡市の粗大ごみ\n福岡市役所\n福岡市と連携".count(text)
    assert other_place("福岡市の粗大ごみの料金は？", set(), often, also_the_city, prefectures=prefectures) == ""
    one_address = lambda text: knowledge(text) + "送付先：福岡市博多区".count(text)
    assert other_place("福岡市の粗大ごみの料金は？", set(), often, one_address, prefectures=prefectures) == "福岡市"


def test_a_doctor_or_workplace_in_a_named_city_a_resident_goes_to_is_this_citys_question():
    assert other_place("横浜市の病院で受けた予防接種の払い戻しはありますか", set(), nowhere) == ""
    assert other_place("横浜市の会社に勤めていますが住民税はどこに払いますか", set(), nowhere) == ""
    assert other_place("横浜市の粗大ごみの料金は？", set(), nowhere) == "横浜市"
    # Its nurseries and schools are that city's enrolment, and a hospital it runs is asked about.
    assert other_place("横浜市の保育園に入りたい", set(), nowhere) == "横浜市"
    assert other_place("横浜市の病院の面会時間は？", set(), nowhere) == "横浜市"


def test_a_towns_own_institution_written_as_one_word_is_another_town():
    # 南原町 is one word to the tokenizer; with 立 or 営 after it, it runs what is asked about.
    assert other_place("南原町立図書館 開館時間", set(), nowhere) == "南原町"
    assert other_place("中央町の粗大ごみの収集日", set(), nowhere) == ""  # a district, asked about here


def test_a_place_someone_moves_from_or_to_is_written_as_outside_the_city():
    from bot.answering.scope import outside_moves

    def ours(place):
        return place == "北町"

    assert outside_moves("来月東京に引っ越します。転出届は", ours) == "来月市外に引っ越します。転出届は"
    assert outside_moves("神奈川県横浜市から越してきた", ours) == "市外から越してきた"
    assert outside_moves("東京都に転勤になりました。児童手当は？", ours, "町外") == "町外に転勤になりました。児童手当は?"
    assert outside_moves("名古屋からの転入です", ours) == "市外からの転入です"
    assert outside_moves("大阪から移住してきました", ours) == "市外から移住してきました"
    assert outside_moves("名古屋から来ました。住民票は？", ours) == "市外から来ました。住民票は?"
    assert outside_moves("息子が住民票を東京に移したら保険は", ours) == "息子が住民票を市外に移したら保険は"
    # A district of this city (a move within it), a country (a move from abroad has its own rules), a place
    # asked about, a 転入 there (that city's procedure) and a 移住 there (what it offers newcomers) stay.
    for question in ("北町に引っ越します", "アメリカから引っ越してきました", "横浜市の粗大ごみ",
                     "世田谷区に転入するときの必要書類", "東山村に移住したら支援金もらえますか", "大阪より安い？",
                     "東京から来た友達と図書館に行けますか"):
        assert outside_moves(question, ours) == question
