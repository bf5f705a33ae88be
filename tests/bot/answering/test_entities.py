"""Named things a question asks about (a card, a tax, a licence) and whether an entry mentions them."""
from bot.answering.entities import (EntityCheck, EntryTexts, clipped_in, missing_entity, mistyped_in, noun_phrases,
                                    number_given, shortens)
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
    # A fee of another service (水道料金 asked of the 保育料 entry).
    assert [(p.surface, p.salient) for p in noun_phrases("水道料金の支払い方法")][0] == ("水道料金", True)


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


def test_another_public_body_is_a_named_thing():
    assert lacks("税務署の相談日はいつですか", TAX_ENTRY) == 1.0
    assert lacks("年金事務所に行くときの持ち物", CARD_ENTRY) == 1.0
    assert [p.salient for p in noun_phrases("法務局と家庭裁判所")] == [True, True]


def test_a_counter_after_a_number_and_a_polite_prefix_do_not_make_a_named_thing():
    assert [(p.surface, p.salient) for p in noun_phrases("3才健診でお金はかかる？")] == [("健診", False), ("お金", False)]


def test_a_named_thing_no_entry_mentions_is_unknown_to_the_knowledge():
    analyzer = JapaneseAnalyzer()
    texts = EntryTexts(analyzer.prepare, [TAX_ENTRY, CARD_ENTRY])

    def check(question):
        return EntityCheck(noun_phrases(analyzer.prepare(question)), texts)

    assert check("相続税の申告はいつまで？").unknown == 1.0
    assert check("住民税の申告はいつまで？").unknown == 0.0
    # Lacking from one entry is not unknown to the knowledge: the card entry lacks 住民税, the tax entry has it.
    assert check("住民税の申告はいつまで？")(CARD_ENTRY) == 1.0
    # A typo of the same sound (受信 for 受診 style) still meets the word by its reading.
    assert check("じゅうみんぜいの申告").unknown == 0.0


def test_a_named_thing_found_only_inside_a_longer_compound_is_another_thing():
    analyzer = JapaneseAnalyzer()
    car_tax = Entry(id="3", kind="faq", title="軽自動車税の納税証明書", body="税務課の窓口で発行します。")
    texts = EntryTexts(analyzer.prepare, [car_tax])
    assert EntityCheck(noun_phrases(analyzer.prepare("自動車税はいつ払う？")), texts).unknown == 1.0
    assert EntityCheck(noun_phrases(analyzer.prepare("軽自動車税はいつ払う？")), texts).unknown == 0.0


def test_an_adjectival_noun_before_a_compound_is_part_of_the_things_name():
    # 特別 is an adjectival noun: 特別児童扶養手当 is another benefit than 児童扶養手当, not the same one.
    analyzer = JapaneseAnalyzer()
    single_parent = Entry(id="7", kind="faq", title="児童扶養手当の申請", body="ひとり親家庭に支給します。")
    disability = Entry(id="8", kind="faq", title="特別障害者手当", body="月額を支給します。")
    texts = EntryTexts(analyzer.prepare, [single_parent, disability])
    assert [p.surface for p in noun_phrases(analyzer.prepare("特別児童扶養手当の支給月"))][0] == "特別児童扶養手当"
    assert lacks("特別児童扶養手当の支給月はいつ？", single_parent) == 1.0
    assert EntityCheck(noun_phrases(analyzer.prepare("特別児童扶養手当の支給月はいつ？")), texts).unknown == 1.0
    # ... and a knowledge that writes the longer name knows it.
    assert EntityCheck(noun_phrases(analyzer.prepare("特別障害者手当 月額")), texts).unknown == 0.0
    # With な between, it describes the thing (特別な手当 asks about a 手当).
    assert [p.surface for p in noun_phrases(analyzer.prepare("特別な手当はありますか"))] == ["手当"]


def test_coverage_is_the_share_of_the_questions_phrases_an_entry_holds():
    analyzer = JapaneseAnalyzer()
    check = EntityCheck(noun_phrases(analyzer.prepare("住民税の申告の窓口")), EntryTexts(analyzer.prepare))
    assert check.coverage(TAX_ENTRY) == 2 / 3  # 住民税 and 申告, not 窓口
    assert check.coverage(CARD_ENTRY) == 1 / 3  # 窓口 only


def test_a_thing_inside_a_longer_compound_is_another_thing():
    light_car_tax = Entry(id="3", kind="faq", title="軽自動車税の納税証明書を取りたい", body="税務課で発行しています。")
    assert lacks("自動車税の納付期限はいつ？", light_car_tax) == 1.0
    assert lacks("軽自動車税の納付期限はいつ？", light_car_tax) == 0.0


MOVING_IN = Entry(id="4", kind="guide", title="転入・転出の手続き", section="転入届に必要なもの",
                  body="本人確認書類（マイナンバーカード、運転免許証、パスポートなど）をお持ちください。")
LICENCE = Entry(id="5", kind="faq", title="運転免許証の住所を変えたい", body="警察署で手続きしてください。")


def check(question: str, entries=(MOVING_IN, LICENCE)) -> EntityCheck:
    analyzer = JapaneseAnalyzer()
    return EntityCheck(noun_phrases(analyzer.prepare(question)), EntryTexts(analyzer.prepare, list(entries)))


def test_a_thing_the_answer_mentions_in_passing_is_not_what_the_entry_is_about():
    question = check("運転免許証の住所変更")
    # The moving-in section holds 運転免許証 in its list of documents: the entry has it ...
    assert question(MOVING_IN) == 0.0 and question.coverage(MOVING_IN) > 0
    # ... but its heading does not: it is not what that entry is about.
    assert question.focus_heading(MOVING_IN) == 0.0 and question.focus_heading(LICENCE) == 1.0


def test_the_focus_is_the_first_named_thing_else_the_first_noun_phrase():
    # 本人確認 comes first, but 運転免許証 is the named thing the question is about.
    assert check("本人確認の書類で運転免許証の住所が古いとき").focus_heading(LICENCE) == 1.0
    assert check("転入届に運転免許証はいりますか").focus_heading(MOVING_IN) == 1.0
    assert check("元気？").focus_heading(LICENCE) == 0.0 and check("？").focus_heading(LICENCE) == 0.0


def test_standalone_skips_a_match_that_ends_a_longer_kanji_compound():
    from bot.answering.entities import standalone
    assert not standalone("自動車税", "軽自動車税の納税証明書")
    assert standalone("自動車税", "軽自動車税と自動車税")
    assert standalone("自動車税", "自動車税")
    assert standalone("マイナンバーカード", "新マイナンバーカード")  # only a kanji word joins a compound


def test_a_loanword_clipped_as_people_say_it_meets_the_whole_word():
    # マイナカード is what residents call the マイナンバーカード; a kanji compound clipped so is often
    # another thing (児童手当 is not 児童扶養手当), so only kana words are read clipped.
    analyzer = JapaneseAnalyzer()
    texts = EntryTexts(analyzer.prepare, [CARD_ENTRY])
    assert lacks("マイナカードの更新はどこで", CARD_ENTRY) == 0.0
    assert EntityCheck(noun_phrases(analyzer.prepare("マイナカードをなくした")), texts).unknown == 0.0
    assert lacks("クレジットカードの更新はどこで", CARD_ENTRY) == 1.0
    allowance = Entry(id="4", kind="faq", title="児童扶養手当の申請", body="こども課で受け付けます。")
    assert lacks("児童手当の申請", allowance) == 1.0
    # Two kana are too short a start to be a clipped word: マイカード (my card) is no マイナンバーカード.
    assert clipped_in("まいなかーど", {"まいなんばーかーど"}) and not clipped_in("まいかーど", {"まいなんばーかーど"})


def test_a_named_thing_with_one_kanji_mistyped_meets_the_word():
    marriage = Entry(id="4", kind="faq", title="婚姻届に必要なもの", body="戸籍謄本と本人確認書類が必要です。")
    analyzer = JapaneseAnalyzer()
    texts = EntryTexts(analyzer.prepare, [marriage, TAX_ENTRY])

    def check(question):
        return EntityCheck(noun_phrases(analyzer.prepare(question)), texts)

    # 婚因届: the IME chose another kanji (Sudachi even reads it otherwise, so the reading cannot tell).
    assert check("婚因届 必用なもの").unknown == 0.0
    assert check("婚因届 必用なもの")(marriage) == 0.0
    # The last kanji names the kind of thing: 住民票 is no mistyped 住民税, 相続税 is two kanji away.
    assert check("住民票の写しがほしい").unknown == 1.0
    assert check("相続税の申告はいつまで？").unknown == 1.0
    # A kanji pair the knowledge writes is a word, not a slip: 入園届 is no mistyped 転園届.
    nursery = EntryTexts(analyzer.prepare, [Entry(id="6", kind="faq", title="転園届の出し方", body="入園後の手続き。")])
    assert nursery.slips("入園届") == () and nursery.slips("体園届") == (0,)
    # ... and so is a kanji next to kana the knowledge writes so (後の in 入園後の): 後の手続き has no slip.
    assert nursery.slips("後の手続き") == ()
    assert mistyped_in("内戦番号", "ヘルプデスクの内線番号は2345です", (1,))
    assert not mistyped_in("内戦番号", "ヘルプデスクの内線番号は2345です", ())


def test_a_things_number_is_named_by_an_entry_that_gives_it():
    # 内線番号 is not written, but 内線2345 gives it; a 線番号 is no tail of 内線2345, nor 電話 of 携帯電話.
    helpdesk = Entry(id="3", kind="guide", title="ICTツール", section="問い合わせ先",
                     body="情報政策課 ヘルプデスク：内線2345（外線 000-123-4211）")
    assert lacks("ヘルプデスクの内線番号は？", helpdesk) == 0.0
    assert lacks("ヘルプデスクのファックス番号は？", helpdesk) == 1.0
    assert number_given("電話番号", "電話：000-123-4567") and number_given("ファックス番号", "ファックス (03) 1234")
    assert not number_given("電話番号", "携帯電話 090") and not number_given("電話番号", "電話でお問い合わせ")
    assert not number_given("番号", "内線2345") and not number_given("内線", "内線2345")
    # A count, a time or an amount after the thing is no number of it.
    assert not number_given("受付番号", "窓口の受付は9時から17時です") and not number_given("申請番号", "申請は10日まで")
    assert not number_given("車両番号", "車両 2台まで")
    texts = EntryTexts(JapaneseAnalyzer().prepare, [helpdesk])
    assert texts.names(noun_phrases("内線番号")[0])


def test_a_time_relative_to_today_before_a_compound_is_not_part_of_the_things_name():
    # 来月 says when; 来月婚姻届 is no document the knowledge could name. 年末調整 keeps its 年末.
    assert [(p.surface, p.salient) for p in noun_phrases("来月婚姻届を出します")] == [("婚姻届", True)]
    assert noun_phrases("年末調整の書類")[0].surface == "年末調整"


def test_a_season_or_time_of_day_before_a_compound_is_not_part_of_the_things_name():
    assert [p.surface for p in noun_phrases("来春小学校に入る子の通知")] == ["小学校", "通知"]
    assert [p.surface for p in noun_phrases("夕方何時まで")] == ["何時"]


def test_a_question_word_in_a_phrase_is_no_word_of_the_thing():
    # 何曜日 asks which day, 月いくら how much a month: neither names a word the knowledge could lack.
    assert noun_phrases("プラごみは何曜日")[-1].words == ()
    assert noun_phrases("学童って月いくら")[-1].words == ()
    analyzer = JapaneseAnalyzer()
    garbage = Entry(id="8", kind="faq", title="燃やすごみの収集日", body="月曜日と木曜日です。")
    texts = EntryTexts(analyzer.prepare, [garbage])
    assert EntityCheck(noun_phrases(analyzer.prepare("燃やすごみは何曜日")), texts).unknown == 0.0
    assert EntityCheck(noun_phrases(analyzer.prepare("燃やすごみ 回収曜日")), texts).unknown == 1.0  # 回収 is written nowhere


def test_a_clauses_time_word_in_kana_and_a_plural_are_not_part_of_a_things_name():
    # 頼む「とき」手数料: the clause's time; 転入「ら」予防接種 (a synonym rewrite of 引っ越してきたら): a plural ends a phrase.
    assert [(p.surface, p.salient) for p in noun_phrases("郵送で頼むとき手数料はどう払う")] == [("郵送", False), ("手数料", True)]
    assert [p.surface for p in noun_phrases("転入ら予防接種の問診票")] == ["転入", "予防接種", "問診票"]


def test_a_compound_with_a_word_the_knowledge_never_writes_is_unknown_whatever_its_head():
    analyzer = JapaneseAnalyzer()
    moving = Entry(id="5", kind="faq", title="転入届の手続き", body="転入の申請は市民課で受け付けます。")
    texts = EntryTexts(analyzer.prepare, [moving, TAX_ENTRY])

    def check(question):
        return EntityCheck(noun_phrases(analyzer.prepare(question)), texts)

    # 申請 is no head of a named thing, but 帰化 is written nowhere: another body's procedure.
    assert check("帰化申請の手続きを知りたい").unknown == 1.0
    # Words the knowledge writes, compounded anew, are not unknown; nor is a single unknown word.
    assert check("転入申請の手続き").unknown == 0.0
    assert check("献血できる場所").unknown == 0.0


def test_kana_typed_words_cut_at_odd_places_are_known_by_their_reading():
    # The tokenizer cuts a kana-typed じかんがいきんむ into じ|かんがい|きんむ: かんがい is written nowhere,
    # but a heading reads so (ジカンガイキンム). A kanji word written nowhere is still unknown.
    analyzer = JapaneseAnalyzer()
    overtime = Entry(id="7", kind="faq", title="時間外勤務の上限", body="月45時間までです。")
    texts = EntryTexts(analyzer.prepare, [overtime])

    def check(question):
        return EntityCheck(noun_phrases(analyzer.prepare(question)), texts)

    assert check("じかんがいきんむ 上限").unknown == 0.0
    assert check("帰化勤務 上限").unknown == 1.0
    assert texts.reads("かんがい") and not texts.reads("ほうむきょく") and not texts.reads("帰化")
    assert texts.reads("しん")  # two kana: the tokenizer's cut of しんせい, no evidence either way


def test_the_bot_looks_compound_words_up_in_the_index_terms(bot):
    # The retriever's EntryTexts reads the index's terms (synonyms and Sudachi's normalized forms).
    texts = bot.retriever.entry_texts["citizen"]
    assert texts.writes("粗大") and not texts.writes("帰化")
    check = bot.retriever.entity_check("帰化申請の手続き", "citizen")
    assert check.unknown == 1.0
    assert bot.retriever.entity_check("粗大ごみの申し込み", "citizen").unknown == 0.0


def test_the_prefectures_the_knowledge_names_are_gathered_with_its_text():
    analyzer = JapaneseAnalyzer()
    entries = [Entry(id=str(k), kind="faq", title=f"補助金{k}", body=f"福岡県の制度です。{k}") for k in range(3)]
    entries.append(Entry(id="9", kind="faq", title="送付先", body="大分県の業者"))
    texts = EntryTexts(analyzer.prepare, entries)
    assert texts.prefectures() == {"福岡"}  # 大分 is named once only
    assert texts.count("福岡県") == 3


LOOK_ALIKE_ENTRIES = [
    Entry(id="1", kind="faq", title="児童手当の申請", body="児童手当は、出生日の翌日から15日以内に申請してください。"),
    Entry(id="2", kind="faq", title="住民税の申告", body="住民税の申告は3月15日までです。"),
    Entry(id="3", kind="faq", title="出産育児一時金", body="出産育児一時金は、子ども1人につき50万円です。"),
    Entry(id="4", kind="faq", title="定期接種の種類", body="定期接種は無料です。新型コロナワクチンは任意接種です。"),
    Entry(id="5", kind="faq", title="所得証明書の取り方", body="所得証明書は市民課で発行します。"),
    Entry(id="6", kind="faq", title="障害年金の相談", body="障害年金の相談は年金事務所でも受け付けています。"),
    Entry(id="7", kind="faq", title="乳児健診の場所", body="乳児健診は保健センターと契約医療機関で受けられます。"),
]


def test_a_known_thing_with_one_more_word_inside_is_a_look_alike():
    analyzer = JapaneseAnalyzer()
    texts = EntryTexts(analyzer.prepare, LOOK_ALIKE_ENTRIES)

    def variant(question):
        return EntityCheck(noun_phrases(analyzer.prepare(question)), texts).variant

    # Another benefit or pension than the one the knowledge knows: 扶養 and 基礎 are one word more inside its name.
    assert variant("児童扶養手当の申請に必要なもの") == ("児童扶養手当", "児童手当")
    assert variant("障害基礎年金の申請") == ("障害基礎年金", "障害年金")
    # The thing itself, and a thing of which no part is known, are no look-alike.
    assert variant("児童手当の申請はいつまで") is None
    assert variant("相続税の申告はいつまで") is None
    # A word before the name often says whose or which it is, the same thing (個人住民税 is 住民税).
    assert variant("個人住民税の申告はいつまで") is None
    # A document's name varies by city (所得課税証明書 is this city's 所得証明書), and a check-up's (乳児一般健診 is
    # among its 乳児健診).
    assert variant("所得課税証明書がほしい") is None
    assert variant("乳児一般健診はどこで受けられますか") is None
    # A shortening of a thing the knowledge names is that thing (出産一時金 for 出産育児一時金).
    assert variant("出産一時金はいくら") is None
    # Two things side by side (新型コロナワクチン + 定期接種) are no qualifier of one: more than one word goes.
    assert variant("新型コロナワクチン定期接種の費用") is None


def test_the_bot_declines_a_look_alike_and_names_both_things(tmp_path):
    from bot.service import Bot
    from indexing.importer import import_paths

    faq_csv = tmp_path / "faq.csv"
    faq_csv.write_text("ID,問い合わせ文,応答文,カテゴリ\n"
                       "1,児童手当の申請に必要なものは？,請求者の口座がわかるものと本人確認書類です。,児童手当\n"
                       "2,児童手当はいつ振り込まれますか？,2月・4月・6月・8月・10月・12月の10日です。,児童手当\n"
                       "3,粗大ごみの出し方,電話で申し込んでください。,ごみ\n", encoding="utf-8")
    import_paths([faq_csv], tmp_path / "data")
    bot = Bot(tmp_path / "data")
    answer = bot.answer("児童扶養手当の申請に必要なもの", "citizen")
    assert answer.abstained and answer.confidence == 0.0
    assert "「児童扶養手当」" in answer.text and "「児童手当」" in answer.text
    # The thing the knowledge knows is no look-alike of itself.
    assert bot.retriever.rank("児童手当の申請に必要なもの", "citizen").decline == ""


def test_a_shortening_has_the_characters_of_a_longer_name_in_order_with_a_few_between():
    corpus = "出産育児一時金は50万円です。\n乳がん・子宮頸がん検診の日程\n児童手当の申請"
    assert shortens("出産一時金", corpus) and shortens("乳がん検診", corpus) and shortens("児童手当", corpus)
    assert not shortens("児童扶養手当", corpus) and not shortens("出産手当", corpus)
    # Not across a line or a sentence's end: 一時金 and 検診 are in two entries.
    assert not shortens("一時金検診", corpus)
    # Repeated characters are followed place by place, not by backtracking (a regular expression took minutes).
    assert not shortens("手当" * 8 + "税", "手当" * 50000 + "\n税")


def test_a_word_used_as_an_adverb_in_kana_is_no_part_of_a_things_name():
    # 家族みんな国保: the family are all on 国保; the thing named is 国保, not 「家族みんな国保」.
    assert [p.surface for p in noun_phrases("うちは家族みんな国保です")] == ["家族", "国保"]
    assert [p.surface for p in noun_phrases("みんな国保です")] == ["国保"]
    assert [p.surface for p in noun_phrases("国民健康保険証")] == ["国民健康保険証"]
    assert [p.written for p in noun_phrases("財布ごとマイナカード落とした")] == ["財布", "マイナカード"]
    assert [p.written for p in noun_phrases("家族全員国保です")] == ["家族", "国保"]
    # Other kana adverbs stay in the name (駅前, 母子家庭以外 are read as typed).
    assert [p.surface for p in noun_phrases("市役所まえ")] == ["市役所まえ"]
