from bot.answering.question_kinds import asked_kinds, fact_heading, holds_fact, names_fact
from indexing.entries import Entry


def _names(question):
    return {kind.name for kind in asked_kinds(question)}


def test_everyday_phrasings_of_the_asked_fact_are_recognised():
    assert "needs" in _names("婚姻届を出すとき何がいるの？")
    assert "count" in _names("パスワードは何回まちがえたらロックされる？")
    assert "count" in _names("ぷらごみ しゅう なんかい")
    assert "count" in _names("ファイル名って何文字まで？") and "count" in _names("あんしょうばんごう なんけた")
    assert "contact" in _names("ヘルプデスクの内線番号は？")
    assert "duration" in _names("電子証明書は何年で切れるの")
    assert "deadline" in _names("現況届はいつ提出すればいい？")
    assert "write" in _names("処理券に何を書けばいいの")
    assert "hours" in _names("しやくしょ なんじまで")
    assert "needs" in _names("マイナンバーカード うけとり なにもっていけばいい")
    assert "needs" in _names("国保に入るのに何持ってけばいい？")
    assert _names("粗大ごみの出し方を教えて") == set()
    assert "howto" in _names("マイナンバーカードの受け取り方を教えて")
    assert "howto" in _names("保育園ってどうやって申し込むの？") and "howto" in _names("住民票を請求する方法") and "howto" in _names("保育園の申込方法")
    assert "howto" in _names("印鑑登録の申請方法") and "howto" in _names("届出の仕方を教えて")
    # A way already named (その方法, ほかの方法) is no question of how.
    assert "howto" not in _names("その方法で大丈夫？") and "howto" not in _names("ほかの方法はある？")
    assert "howto" not in _names("他の方法はある？") and "howto" in _names("手続きの流れを教えて")
    assert "howto" in _names("申し込む方法") and "howto" in _names("支払いの方法")
    # Taking the thing itself somewhere is no list of what to bring.
    assert "needs" not in _names("ごみ 自分で もっていく どこ")


def test_a_heading_naming_the_asked_fact_counts_and_an_unrelated_one_does_not():
    kinds = asked_kinds("転入届の期限はいつまで？")
    assert names_fact(kinds, "転入届・転出届・転居届の違いと期限（14日以内）") == 1.0
    assert names_fact(kinds, "転入届に必要なもの") == 0.0
    assert names_fact(asked_kinds("住民票の手数料はいくら"), "住民票の写しの手数料") == 1.0
    # How a thing is done: the section with the steps, not the guide's overview.
    assert names_fact(asked_kinds("マイナンバーカードの受け取り方は"), "マイナンバーカードの受け取り方") == 1.0
    assert names_fact(asked_kinds("マイナンバーカードの受け取り方は"), "概要") == 0.0
    assert names_fact((), "住民票の写しの手数料") == 0.0
    # A tax's 納期 is when it is paid: its heading names the date asked (住民税の申告 does not).
    assert names_fact(asked_kinds("住民税っていつ払うの？"), "住民税の納期") > names_fact(asked_kinds("住民税っていつ払うの？"), "住民税の申告")
    # A day something is paid (支給日, 振込日) is the date a question asking which month wants.
    month = asked_kinds("じどうてあて なんがつに はいるの")
    assert names_fact(month, "児童手当の支給日") > names_fact(month, "児童手当の現況届")
    assert names_fact(month, "児童手当の振込日") == 1.0


def test_a_faq_entry_is_headed_by_its_question_and_a_section_by_its_heading():
    # A FAQ entry's section is a category (「保育園の入園申込」): its question says what it answers.
    kinds = asked_kinds("保育園に入りたいのですが、申し込みはいつまでですか？")
    faq = Entry(id="f1", kind="faq", title="保育園の申し込みの締め切りはいつですか？", body="案内をご覧ください。",
                section="保育園の入園申込")
    guide = Entry(id="g1", kind="guide", title="時間外勤務の運用ルール", body="…",
                  section="時間外勤務命令申請の期限")
    assert fact_heading(faq) == faq.title and names_fact(kinds, fact_heading(faq)) == 1.0
    assert fact_heading(guide) == guide.section and names_fact(kinds, fact_heading(guide)) == 1.0


def test_the_body_holding_the_asked_fact_is_recognised():
    kinds = asked_kinds("ヘルプデスクの連絡先")
    assert holds_fact(kinds, "情報政策課 ヘルプデスク：内線2345") == 1.0
    assert holds_fact(kinds, "ヘルプデスクに相談してください。") == 0.0
    assert holds_fact(asked_kinds("何回まで"), "1回の申し込みは10点までです") == 1.0


def test_ages_dates_shares_and_limits_are_facts_asked_for():
    assert "age" in _names("児童手当は何歳までもらえますか")
    assert "age" in _names("よぼうせっしゅ なんさいから")
    assert "date" in _names("ごみの収集日はいつですか")
    assert "date" in _names("健診の案内はいつ届く？")
    assert "share" in _names("子どもの医療費の自己負担は何割？")
    assert "limit" in _names("粗大ごみの大きさの目安は")
    # 「いつも」「いつでも」 ask for no date; a deadline stays a deadline.
    assert "date" not in _names("窓口はいつも混んでいますか")
    assert "date" not in _names("いつでも申し込めますか")
    assert _names("転入届はいつまで？") == {"deadline"}
    assert holds_fact(asked_kinds("児童手当は何歳まで"), "中学校修了前（15歳到達後の最初の3月31日まで）") == 1.0
    assert holds_fact(asked_kinds("収集日はいつ？"), "毎週火曜日と金曜日に収集します。") == 1.0
    assert holds_fact(asked_kinds("自己負担は何割"), "窓口での負担は2割です。") == 1.0


def test_a_question_typed_in_katakana_asks_as_its_hiragana_does():
    assert "date" in _names("ダンボール ダシカタ ナンヨウビ")
    assert "fee" in _names("ソダイゴミ イクラ")
    assert "limit" in _names("粗大ごみのサイズは")


def test_a_value_of_the_asked_kind_is_told_from_a_word_naming_it():
    from bot.answering.question_kinds import holds_value

    kinds = asked_kinds("転入届はいつまで？")
    assert holds_value(kinds, "住み始めた日から14日以内に届け出てください。")
    assert not holds_value(kinds, "届出には3種類あり、それぞれ期限があります。")


def test_a_limit_is_a_size_or_a_ceiling_not_any_until():
    kinds = asked_kinds("粗大ごみの大きさの上限は？")
    assert holds_fact(kinds, "一辺が50cm以上のものが粗大ごみです。") == 1.0
    assert holds_fact(kinds, "受付は平日17時までです。") == 0.0


def test_words_that_only_look_like_an_asked_fact_are_not_one():
    from bot.answering.question_kinds import holds_value

    # Katakana read as hiragana only in a question typed in katakana: コンビニ after けど is no どこ.
    assert "place" not in _names("本籍が別の市だけどコンビニで戸籍とれる？")
    # どこまで asks how far a thing goes (年ごとにどこまで進める), not where.
    assert "place" not in _names("予約の整備は年ごとにどこまで進める？") and "place" in _names("予約はどこでできる？")
    assert "hours" not in _names("リサイクルアイテムの回収について")
    assert "date" not in _names("ドイツ語の通訳はいますか") and "date" not in _names("あいつ何してる")
    assert "limit" not in _names("A4サイズの用紙はありますか") and "limit" not in _names("最高裁判所の場所は")
    assert "age" not in _names("ごみ袋はいくつまで出せますか")
    # 何年も / 何年か経つ tell a story; 何日かかる asks how long.
    assert "duration" not in _names("何年も使っていない自転車") and "duration" not in _names("引っ越して何年か経ちます")
    assert "duration" in _names("発行まで何日かかりますか")
    # A clock time's minutes, a date's day and a year are no duration.
    kinds = asked_kinds("どれくらいかかりますか")
    assert not holds_value(kinds, "受付は平日8時30分～17時15分です。")
    assert not holds_value(kinds, "令和6年4月1日から制度が変わりました。")
    assert holds_value(kinds, "発行まで2週間ほどかかります。")


def test_question_words_typed_in_kana_ask_as_their_kanji_do():
    assert {"deadline", "duration"} <= _names("そだいごみ もうしこみ なんにちまえまで")
    assert "duration" in _names("はっこうまで なんしゅうかん かかる？")
    # 誰 / だれ asks who wherever it stands, not only before が/に/の.
    assert "who" in _names("課長がいない日の時間外勤務の承任はだれ")
    assert "who" in _names("時間外勤務の承認は誰？") and "who" in _names("誰から連絡が来るの")
    assert "duration" not in _names("がくどう なんねんせいから") and "duration" not in _names("何年生まで")  # a grade
    # Someone, anyone and words that hold the kana are no question of who.
    assert "who" not in _names("こんにちは、だれかいますか？") and "who" not in _names("誰でも使えますか")
    assert "who" not in _names("赤ちゃんのよだれかけ") and "who" not in _names("すだれの捨て方")
    # ひなんじょ (避難所) holds なんじ, but asks no hour.
    assert "hours" not in _names("ぺっとと いっしょに ひなんじょ いける？")


def test_plan_passage_kinds_are_asked_only_of_plans_and_hold_their_facts():
    from bot.answering.question_kinds import KINDS, PASSAGE_KINDS, asked_passage_kinds, holds_value

    assert not set(PASSAGE_KINDS) & set(KINDS)  # no ranker features: the ranker was fitted on KINDS
    names = lambda question: [kind.name for kind in asked_passage_kinds(question)]
    assert names("EBPMってなに？") == ["definition"] and names("RPAはいくつの業務に入れる目標？") == ["target"]
    assert "year" in names("広告はいつから始まる？") and "department" in names("この取組の担当課は？")
    assert names("目指す姿は？") == []
    department = next(kind for kind in PASSAGE_KINDS if kind.name == "department")
    assert holds_fact((department,), "DX推進部署、ハイサイ市民課") == 1.0
    assert holds_fact((department,), "担当課 情報政策課 実施期間 令和2年度~令和6年度") == 1.0
    assert holds_fact((department,), "3.実施対象課") == 0.0
    year = next(kind for kind in PASSAGE_KINDS if kind.name == "year")
    assert holds_value((year,), "令和4年度から広告を導入します。") and not holds_fact((year,), "R5 R6 R7 R8")


def test_who_is_answered_by_the_person_in_the_chair_too():
    # 「議長はどなた？」 of a plan: 政策統括調整監を議長とする holds who; a word merely ending in 長 (延長, 成長) does not.
    kinds = asked_kinds("デジタル化推進会議ではどなたが議長を務めますか")
    assert holds_fact(kinds, "政策統括調整監を議長とする「デジタル化推進会議」において調整を図り") == 1.0
    assert holds_fact(kinds, "市長を本部長とするCIO・部長級から構成される") == 1.0
    assert holds_fact(kinds, "受付期間を延長します。") == 0.0
