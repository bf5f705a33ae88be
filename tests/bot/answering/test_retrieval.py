import pytest


@pytest.mark.parametrize("question, expected", [
    ("粗大ゴミの出し方を教えて", "101"),
    ("そだいごみ だしたい", "101"),
    ("引っ越してきたときの手続きに何が必要？", "103"),
    ("コンビニで住民票", "104"),
    ("ぼしてちょう どこ", "105"),
    ("マイナカードのパスワードを忘れた", "108"),
])
def test_citizen_questions_find_their_faq(bot, question, expected):
    hits = bot.search(question, audience="citizen", top=5)
    assert hits[0].entry.id == expected, [h.entry.id for h in hits]


def test_staff_knowledge_never_reaches_citizens(bot):
    for question in ("時間外勤務の申請期限は？", "残業のルール", "時間外勤務５原則"):
        citizen_hits = bot.search(question, audience="citizen", top=50)
        assert all(h.entry.audience in ("citizen", "all") for h in citizen_hits)
        assert not any(h.entry.id.startswith("overtime#") for h in citizen_hits)
        staff_hits = bot.search(question, audience="staff", top=3)
        assert staff_hits[0].entry.id.startswith("overtime#")


def test_plan_passages_are_shared_by_both_audiences(bot):
    for audience in ("citizen", "staff"):
        hits = bot.search("チャットボットで職員のコミュニケーション時間を削減", audience=audience, top=3)
        assert hits[0].entry.kind == "plan" and hits[0].entry.section.startswith("No.1 ")


def test_answer_carries_its_source_and_contact(bot):
    answer = bot.answer("粗大ごみはどうやって出すの？", audience="citizen")
    assert not answer.abstained and answer.sources[0].id == "101"
    assert "処理券" in answer.text and answer.confidence >= 0.5


def test_out_of_scope_questions_abstain_with_a_contact(bot):
    answer = bot.answer("美味しいラーメン屋さんを教えて", audience="citizen")
    assert answer.abstained and answer.kind == "abstain"
    assert answer.contact is not None and answer.contact.phone
    assert "お問い合わせ" in answer.text


def test_empty_and_huge_questions_are_answered_politely(bot):
    assert bot.answer("   ").kind == "empty"
    # Digits and signs only: no word to search with (searched, 「1+1は？」 met an entry about ages).
    wordless = bot.answer("1+1は？")
    assert wordless.kind == "empty" and not wordless.sources and "入力してください" in wordless.text
    assert bot.answer("あ" * 5000).kind == "too_long"


def test_unknown_audience_is_rejected(bot):
    with pytest.raises(ValueError):
        bot.search("ごみ", audience="everyone")


def test_another_city_named_is_declined_politely_without_this_citys_answer(bot):
    answer = bot.answer("横浜市の粗大ごみはいくらですか？", audience="citizen")
    assert answer.abstained and "横浜市" in answer.text and answer.kind == "other_city"
    assert not answer.sources and not answer.related and "処理券" not in answer.text


def test_an_unnamed_neighbour_is_declined_for_a_resident_not_for_staff(bot):
    answer = bot.answer("隣の市の粗大ごみの料金は？", audience="citizen")
    assert answer.abstained and "隣の市のことは" in answer.text and not answer.sources
    # Staff compare with other cities' practice (a plan studies 他市での取組事例): searched as usual.
    assert bot.retriever.rank("他市の取組事例は？", "staff").decline == ""


def test_places_the_knowledge_talks_about_or_the_configured_city_are_not_other_cities():
    from bot.answering.scope import other_place

    frequency = {"あおば": 40, "那覇": 1}.get
    assert other_place("あおば市の粗大ごみ", set(), lambda t: frequency(t) or 0) == ""
    assert other_place("那覇市の粗大ごみ", set(), lambda t: frequency(t) or 0) == "那覇市"
    assert other_place("那覇市の粗大ごみ", {"那覇市"}, lambda t: 0) == ""
    assert other_place("世田谷区に住んでいます", set(), lambda t: 0) == "世田谷区"
    assert other_place("町内会の回覧板", set(), lambda t: 0) == ""
    assert other_place("東京都の保育料", set(), lambda t: 0) == "東京都"
    # Unnamed: where the resident goes asks about this city's voucher; that place's own library does not.
    assert other_place("隣の市の小児科で使えますか", set(), lambda t: 0) == ""
    assert other_place("隣の市の図書館", set(), lambda t: 0) == "隣の市"


def test_a_place_moved_from_or_to_is_not_what_the_question_is_about():
    from bot.answering.scope import other_place

    assert other_place("横浜市から引っ越してきました。転入届はいつまで？", set(), lambda t: 0) == ""
    assert other_place("来月大阪市に引っ越します。転出届はどこで？", set(), lambda t: 0) == ""
    assert other_place("大阪市に転出します", set(), lambda t: 0) == ""
    assert other_place("大阪市に住んでいます", set(), lambda t: 0) == "大阪市"


def test_a_move_from_another_city_is_searched_as_one_from_outside_the_city(bot):
    # 名古屋 is no thing an entry names: the question is this city's 転入届 (it was judged a near miss).
    retriever = bot.retriever
    assert retriever.query_text("名古屋から引っ越してきました。転入届に必要なものは？", "citizen").startswith("市外から")
    answer = bot.answer("名古屋から引っ越してきました。転入届に必要なものは？", audience="citizen")
    assert not answer.abstained and answer.sources[0].id == "103"


def test_a_staff_topic_asked_by_a_citizen_is_declined_with_a_public_contact(bot):
    question = "時間外勤務の申請の期限は？"
    assert not bot.answer(question, audience="staff").abstained
    answer = bot.answer(question, audience="citizen")
    assert answer.abstained and not answer.sources and not answer.related and answer.kind == "staff_topic"
    assert answer.contact is not None and answer.contact.department == "総合案内"  # 職員課 is staff-only
    assert "午後5時" not in answer.text and "勤怠システム" not in answer.text


def test_masked_personal_data_does_not_change_the_answer(bot):
    plain = bot.answer("粗大ごみの出し方を教えて", audience="citizen")
    masked = bot.answer("〔氏名〕と申します。電話は〔電話番号〕です。粗大ごみの出し方を教えて", audience="citizen")
    assert not masked.abstained and masked.sources[0].id == plain.sources[0].id == "101"
    assert masked.confidence == pytest.approx(plain.confidence, abs=0.05)


def test_a_noun_the_entry_lacks_counts_against_it(bot):
    near_miss = bot.retriever.rank("パスポートの申請", "citizen")
    match = bot.retriever.rank("児童手当の申請", "citizen")
    assert near_miss.signals["missing"] == 1.0 and match.signals["missing"] < 0.5
    assert bot.answer("パスポートの申請", audience="citizen").abstained


def test_plan_passages_reach_citizens_only_at_high_confidence(data_dir):
    from bot.answering.calibration import Calibration
    from bot.answering.retrieval import Retriever

    question = "チャットボットで職員のコミュニケーション時間を削減"
    lenient = Retriever(data_dir, calibration=Calibration(plan_threshold=0.0))
    strict = Retriever(data_dir, calibration=Calibration(plan_threshold=1.01))
    ranking = strict.rank(question, "citizen")
    assert ranking.hits[0].entry.kind == "plan"
    assert strict.confidence(ranking) == 0.0 and lenient.confidence(lenient.rank(question, "citizen")) > 0
    staff = strict.rank(question, "staff")
    assert staff.hits[0].entry.kind == "plan" and strict.confidence(staff) > 0


def test_the_entry_holding_the_asked_fact_is_preferred_among_close_candidates(data_dir):
    from bot.answering.calibration import Calibration
    from bot.answering.retrieval import Retriever

    question = "粗大ごみはいくらかかる？"
    with_fact = Retriever(data_dir, calibration=Calibration(fact_bonus=0.2, fact_window=0.5))
    top = with_fact.rank(question, "citizen").hits[0].entry
    assert "円" in top.body


def test_a_guide_section_whose_heading_names_the_asked_fact_is_preferred(data_dir):
    from bot.answering.calibration import Calibration
    from bot.answering.retrieval import Retriever

    question = "時間外勤務の申請はいつまで？"
    plain = Retriever(data_dir, calibration=Calibration(fact_bonus=0.0), ranker=None).rank(question, "staff")
    with_fact = Retriever(data_dir, calibration=Calibration(fact_bonus=0.2, fact_window=0.5),
                          ranker=None).rank(question, "staff")
    top = with_fact.hits[0]
    assert top.entry.section == "申請の期限"
    before = next(h.score for h in plain.hits if h.entry.id == top.entry.id)
    # The body holds a deadline (「までに」) and the heading names one (「期限」): two bonuses.
    assert top.score - before == pytest.approx(0.4, abs=1e-6)


def test_personal_data_and_the_clauses_that_only_carry_it_do_not_steer_the_search():
    from bot.answering.retrieval import strip_placeholders

    assert strip_placeholders("〔氏名〕です。電話番号は〔電話番号〕です。住民票を取りたい") == "住民票を取りたい"
    assert strip_placeholders("〔生年月日〕生まれの〔氏名〕です。国民年金の免除をしたい") == "国民年金の免除をしたい"
    # A clause that asks keeps its words; a question of nothing but personal data keeps what is left.
    assert strip_placeholders("こんにちは。〔住所〕の粗大ごみの収集日は？") == "こんにちは。 の粗大ごみの収集日は？"
    assert strip_placeholders("〔氏名〕です") == " です"


def test_a_kana_word_before_an_honorific_is_respelled_not_masked_as_a_name(tmp_path):
    # ほ|けんし|さん reads as a given name with its honorific; respelled first, it is 保健師さん, and
    # a name the knowledge does not write (たなかさん) is still masked out of the searched question.
    from bot.service import Bot
    from indexing.importer import import_paths

    faq = tmp_path / "faq.csv"
    faq.write_text("ID,問い合わせ文,応答文\n1,保健師の家庭訪問はありますか,生後4か月までに保健師が訪問します。\n"
                   "2,有機野菜の戸籍,有機の戸籍です。\n", encoding="utf-8")
    import_paths([faq], tmp_path / "data")
    retriever = Bot(tmp_path / "data").retriever
    assert "保健師" in retriever.query_text("あかちゃん ほうもん ほけんしさん", "citizen")
    # A name is masked though the knowledge writes a word of its sound (ゆうき: 有機), and a full name
    # stays masked before a word typed in kana (山田太郎こせき).
    for question, name in (("たなかさんに ほけんしの ほうもんを たのみたい", "たなか"), ("ゆうきさんに こせきを たのみたい", "ゆうき"),
                           ("山田太郎こせきとりたい", "山田")):
        searched = retriever.query_text(question, "citizen")
        assert name not in searched and "有機" not in searched, question


def test_a_name_is_part_of_words_only_within_longer_ones():
    from bot.answering.retrieval import part_of_words

    assert part_of_words("ほけんしさん", 1, 4, [(0, 4)])  # けんし in ほけんし
    assert part_of_words("しようりょう けいさん", 3, 10, [(0, 6), (7, 11)])  # across two words and a blank
    assert not part_of_words("ゆうきさん", 0, 3, [(0, 3)])  # the whole word
    assert not part_of_words("山田ゆうき", 0, 5, [(2, 5)])  # 山田 is in no word


def test_a_question_with_a_name_and_a_phone_number_is_searched_as_the_question_alone(bot):
    plain = bot.retriever.rank("粗大ごみの出し方は？", "citizen")
    introduced = bot.retriever.rank("山田太郎です。電話番号は090-1234-5678です。粗大ごみの出し方は？", "citizen")
    assert [h.entry.id for h in introduced.hits[:3]] == [h.entry.id for h in plain.hits[:3]]
    assert introduced.signals == plain.signals


@pytest.mark.parametrize("bonus", [0.0, 0.5])
def test_a_staff_topic_is_judged_without_the_fact_bonus(data_dir, bonus):
    # The entry holding the kind of fact asked (a deadline) gains a bonus in the ranking; a citizen
    # look-alike must not come within the staff-topic margin by its bonus alone.
    from dataclasses import replace

    from bot.answering.retrieval import Retriever

    shipped = Retriever(data_dir).calibration
    retriever = Retriever(data_dir, calibration=replace(shipped, fact_bonus=bonus, fact_window=1.0))
    assert retriever.rank("時間外勤務の申請の期限は？", "citizen").decline == "staff_topic"
