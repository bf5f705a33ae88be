"""Plan passages quoted around the sentence that answers the question, not from their table labels."""
import doctest
import math

from bot.answering import plan_excerpt
from bot.answering.answer import Hit
from bot.answering.composer import compose_answer
from bot.answering.plan_excerpt import focused_excerpt, focused_part, is_label, unit_scores
from bot.answering.question_kinds import asked_kinds
from indexing.entries import Entry

# As a plan's item page reads once extracted: labels first, then the prose, the target further down.
PAGE_ONE = """柱2
施策2-2
担当課
現 状
少子高齢化や人口減少の進展により、今後大幅な職員の増員は見込めないものと考えられます。
目指す姿
単純作業を機械に行わせることで、職員を市民サービスの充実に専念させることが可能になります。
取組の概要
令和2年度に、庁内業務のいくつかを絞って自動化の導入を検討します。"""
PAGE_TWO = """作業上のミスの減少が図られます。
[個別成果指標]
自動化した業務数:50業務
用語
RPAとは
パソコンの定型作業をソフトウェアのロボットが代わりに行う仕組みのこと。"""
HEADING = "行財政改革実施計画 管理番号 223010 RPAの導入"
FILLER = "職員の働き方を見直し、市民サービスの向上につなげます。"


def test_the_module_example_holds():
    assert doctest.testmod(plan_excerpt).failed == 0


def test_the_sentence_holding_the_asked_target_is_quoted_with_its_label():
    question = "RPAで自動化する業務の数の目標は？"
    shown = focused_excerpt(PAGE_ONE + "\n" + PAGE_TWO, question, 160, asked_kinds(question), HEADING)
    assert "[個別成果指標]\n自動化した業務数:50業務" in shown
    assert shown.startswith("…") and "柱2" not in shown and "少子高齢化" not in shown


def test_a_question_word_is_no_match_for_the_same_word_in_a_sentence():
    # いくつ asks for a number: 「業務のいくつかを絞って」 is not its answer; どんな is no match for 「どんな人でも」.
    question = "RPAはいくつの業務に入れる？"
    shown = focused_excerpt(PAGE_ONE + "\n" + PAGE_TWO, question, 40, asked_kinds(question), HEADING)
    assert shown == "…\n[個別成果指標]\n自動化した業務数:50業務…"
    assert unit_scores(["どんな人でも使えます。", "業務を見直します。"], "どんな業務が対象？") == [0.0, math.log(3)]


def test_a_question_naming_only_the_item_gets_its_prose_without_the_run_of_labels():
    # RPA, 導入 are the heading's words: they say which passage, not which sentence. Of the labels before the
    # prose only the last stays: it says what the prose is.
    shown = focused_excerpt(PAGE_ONE, "RPAの導入について", 400, (), HEADING)
    assert shown.startswith("…\n現 状\n少子高齢化や人口減少")
    assert "施策2-2" not in shown and "担当課" not in shown


def test_what_a_term_means_is_answered_from_the_sentence_defining_it():
    shown = focused_excerpt(PAGE_ONE + "\n" + PAGE_TWO, "RPAってそもそも何？", 120, (), HEADING)
    assert "RPAとは\nパソコンの定型作業をソフトウェアのロボットが代わりに行う仕組みのこと。" in shown
    assert "柱2" not in shown


def test_the_department_in_charge_is_the_line_naming_it_not_the_label_asking_for_it():
    # The extracted page prints the 実施対象課 label far from its value; 担当課 asks for a department's name.
    body = ("1.概要\n目指す姿\n• 市民が申請を自宅から済ませられる。\n3.実施対象課\n4.目指す姿、現状及び課題\n"
            "• 申請の多くは窓口で受け付けている。\nDX推進部署、ハイサイ市民課\n5.本計画期間における成果目標")
    question = "オンライン申請の取組の担当課は？"
    shown = focused_excerpt(body, question, 40, asked_kinds(question), "那覇市DX推進計画 No.3 行政手続のオンライン化")
    assert "DX推進部署、ハイサイ市民課" in shown and "実施対象課" not in shown


def test_the_excerpt_keeps_the_limit_with_a_third_of_it_before_the_chosen_sentence():
    body = "柱1\n" + FILLER * 6 + "\n計画の施策は1年に1度評価します。\n" + FILLER * 6 + "\n" + FILLER * 6
    question = "施策の評価は何年に1度？"
    shown = focused_excerpt(body, question, 200, asked_kinds(question))
    before, chosen, after = shown.partition("計画の施策は1年に1度評価します。")
    assert chosen and before.startswith("…\n") and len(before) - 3 <= 200 / 3
    assert after.endswith("…") and len(shown) <= 200 + 4
    # Sentences of one line stay on one line.
    assert f"{FILLER}{FILLER}" in shown


def test_a_value_closing_the_part_is_kept_and_a_label_closing_it_is_not():
    assert not is_label("280万円") and not is_label("1件以上") and is_label("備考欄") and is_label("4.目指す姿、現状及び課題")
    index, shown = focused_part(["目指す姿\n市民サービスの充実に専念させます。\n[効果額]\n280万円\n備考欄"], "効果額はいくら", 400)
    assert shown.endswith("[効果額]\n280万円…")


def test_a_chosen_line_longer_than_the_limit_is_shown_cut_after_its_label():
    long_line = "成果目標として" + "庁内の業務を見直して" * 50
    shown = focused_excerpt("柱2\n" + FILLER + "\n[個別成果指標]\n" + long_line, "成果目標は", 100)
    assert "[個別成果指標]\n成果目標として庁内の業務" in shown and shown.endswith("…")


def test_a_tables_arrows_never_open_the_quote():
    body = FILLER * 3 + "\n➡ ➡ ➡ ➡\n● ● ●\n成果目標\nスキル習得の機会2件以上"
    shown = focused_excerpt(body, "スキル習得の機会は何件", 30)
    assert shown == "…\n成果目標\nスキル習得の機会2件以上"


def test_a_label_closing_the_window_is_dropped():
    index, shown = focused_part(["目指す姿\n市民サービスの充実に専念させます。\n備考欄"], "市民サービスの充実", 400)
    assert index == 0 and shown == "目指す姿\n市民サービスの充実に専念させます。…"


def _part(suffix: str, body: str, section: str = "管理番号 223010 RPAの導入", dense: float = 0.0) -> Entry:
    return Entry(id=f"plan#{section}{suffix}", kind="plan", title="行財政改革実施計画", body=body, section=section,
                 source="plans/reform.txt", page=6, audience="all")


def _answer(question: str, *entries: Entry, dense: float = 0.0):
    hits = [Hit(entry=entry, score=0.9 - 0.01 * i, dense=dense) for i, entry in enumerate(entries)]
    return compose_answer(question, hits, confidence=0.9, threshold=0.5, audience="staff", departments=[])


def test_the_part_of_the_item_holding_the_answer_is_quoted_and_cited():
    # The item's first page ranks best for its name; its second page holds the target.
    result = _answer("RPAで自動化する業務の数の目標は？", _part("", PAGE_ONE), _part("-2", PAGE_TWO))
    assert result.sources[0].id == "plan#管理番号 223010 RPAの導入-2"
    assert "自動化した業務数:50業務" in result.text


def test_another_items_passage_is_never_quoted_for_the_best_one():
    other = _part("", PAGE_TWO, section="管理番号 223020 モバイルワークの推進")
    result = _answer("RPAで自動化する業務の数の目標は？", _part("", PAGE_ONE), other)
    assert result.sources[0].id == "plan#管理番号 223010 RPAの導入"
    assert "50業務" not in result.text


def test_only_near_parts_of_one_heading_are_one_item():
    # A document without headings has every passage under its title: the tenth passage is no part of the first.
    far = _part("-10", PAGE_TWO)
    assert _answer("RPAで自動化する業務の数の目標は？", _part("", PAGE_ONE), far).sources[0].id == \
        "plan#管理番号 223010 RPAの導入"
    assert _answer("RPAで自動化する業務の数の目標は？", _part("", PAGE_ONE), _part("-3", PAGE_TWO)).sources[0].id == \
        "plan#管理番号 223010 RPAの導入-3"


def test_another_part_only_slightly_better_leaves_the_ranked_part_quoted():
    # Both parts hold the question's words; the second also holds one of the two kinds of fact asked (までに, not a
    # value): a near tie, which goes to the part the ranking chose.
    first = _part("", "目指す姿\n施設の予約を市民が自宅からできるようにします。")
    second = _part("-2", "成果目標\n施設の予約は前の日までにお願いします。")
    question = "施設の予約の期限と場所は？"
    assert focused_part([first.body, second.body], question, 400, asked_kinds(question))[0] == 0
    assert _answer(question, first, second).sources[0].id == "plan#管理番号 223010 RPAの導入"
    # Holding a value of the kind asked (3日前) is clearly better.
    third = _part("-2", "成果目標\n施設の予約は3日前までに申し込みます。")
    assert _answer("施設の予約の期限は？", first, third).sources[0].id == "plan#管理番号 223010 RPAの導入-2"


def test_no_sentence_is_lent_from_another_part_of_the_quoted_item():
    # The excerpt read every part of the item: a part it did not quote lends nothing after it, even one holding the
    # kind of fact asked (所属長 for 誰が).
    first = _part("", "目指す姿\n施設の予約は窓口で受け付けます。")
    second = _part("-2", "成果目標\n所属長が確認します。")
    result = _answer("施設の予約は誰が承認する？", first, second, dense=0.8)
    assert [source.id for source in result.sources] == ["plan#管理番号 223010 RPAの導入"]
    assert "所属長" not in result.text


def test_without_a_match_in_any_part_the_best_part_is_quoted():
    result = _answer("RPAの導入について", _part("", PAGE_ONE), _part("-2", PAGE_TWO))
    assert result.sources[0].id == "plan#管理番号 223010 RPAの導入"
    assert "少子高齢化" in result.text
