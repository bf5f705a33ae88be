"""Answer composition: how FAQ answers, guide sections and plan passages read in a chat."""
import pytest

from bot.answering import messages
from bot.answering.answer import Hit
from bot.answering.composer import compose_answer, plain_text
from indexing.entries import Entry

DEPARTMENTS = [{"name": "ごみ減量推進課", "phone": "000-123-4171"},
               {"name": "総合案内", "phone": "000-123-4111", "default": True}]

GUIDE_BODY = """粗大ごみは**事前の申し込みが必要**です。

- **電話**：受付センター `000-123-4600`
- **インターネット**：[受付ページ](https://example.lg.jp/sodai)から申し込めます。

### 注意
> 収集日の3日前までです。"""


def guide(section: str, body: str = GUIDE_BODY) -> Entry:
    return Entry(id=f"large-garbage#{section or '概要'}", kind="guide", title="粗大ごみの出し方", body=body,
                 section=section, audience="citizen", department="ごみ減量推進課")


def plan_passage() -> Entry:
    return Entry(id="plan#1", kind="plan", title="DX推進計画", body="行政手続のオンライン化を進めます。\n\n職員の働き方も変えます。",
                 section="第3章 基本方針", page=12, audience="all")


def answer(*entries: Entry, scores=(0.9, 0.85, 0.8, 0.75)):
    hits = [Hit(entry=e, score=s) for e, s in zip(entries, scores)]
    return compose_answer("粗大ごみの出し方", hits, confidence=0.9, threshold=0.5, audience="citizen",
                          departments=DEPARTMENTS)


def test_plain_text_removes_markdown_marks_but_keeps_content_and_links():
    text = plain_text(GUIDE_BODY)
    assert "**" not in text and "`" not in text and "###" not in text and ">" not in text.split("（")[0]
    assert "粗大ごみは事前の申し込みが必要です。" in text
    assert "・電話：受付センター 000-123-4600" in text
    assert "受付ページ（https://example.lg.jp/sodai）から申し込めます。" in text
    assert "注意\n収集日の3日前までです。" in text


def test_a_guide_section_is_the_answer_itself_in_plain_text_with_its_source():
    result = answer(guide("粗大ごみの申し込み方法"))
    assert not result.abstained
    assert result.text.startswith("粗大ごみは事前の申し込みが必要です。")
    assert "**" not in result.text
    assert result.sources[0].id == "large-garbage#粗大ごみの申し込み方法"
    assert result.contact.department == "ごみ減量推進課"


def test_a_plan_passage_is_quoted_with_the_place_it_comes_from():
    result = answer(plan_passage())
    first_line, rest = result.text.split("\n", 1)
    assert first_line == messages.PASSAGE_INTRO.format(source=result.sources[0].label())
    assert "DX推進計画" in first_line
    assert rest == "行政手続のオンライン化を進めます。\n職員の働き方も変えます。"


def test_long_passages_are_cut_at_a_sentence_end():
    body = "あ" * 150 + "。" + "い" * 150 + "。" + "う" * 400
    result = answer(Entry(id="plan#2", kind="plan", title="計画", body=body, section="第1章", audience="all"))
    quoted = result.text.split("\n", 1)[1]
    assert quoted == "あ" * 150 + "。" + "い" * 150 + "。…"


def test_related_questions_of_guide_sections_are_their_headings_and_skip_the_answer_itself():
    result = answer(guide(""), guide("粗大ごみの料金の例"), guide("粗大ごみ処理券の購入"), guide("", body="重複"))
    assert [r.question for r in result.related] == ["粗大ごみの料金の例", "粗大ごみ処理券の購入"]
    assert result.sources[0].id == "large-garbage#概要"


def test_low_confidence_abstains_with_the_closest_entries_department():
    hits = [Hit(entry=guide("粗大ごみの料金の例"), score=0.6)]
    result = compose_answer("ソファー 捨てる 値段", hits, confidence=0.3, threshold=0.5, audience="citizen",
                            departments=DEPARTMENTS)
    assert result.abstained and result.kind == "abstain"
    assert "ごみ減量推進課" in result.text and "000-123-4171" in result.text


def test_a_decline_of_a_national_offices_matter_names_that_office_before_the_citys_contact():
    hits = [Hit(entry=guide("粗大ごみの料金の例"), score=0.6)]
    result = compose_answer("ねんきん定期便が届かない", hits, confidence=0.1, threshold=0.5, audience="citizen",
                            departments=DEPARTMENTS, referral="年金事務所")
    assert result.abstained
    lines = result.text.split("\n")
    assert lines[1] == messages.NATIONAL_REFERRAL.format(office="年金事務所")
    assert "総合案内" in lines[2]
    english = compose_answer("nenkin teikibin", hits, confidence=0.1, threshold=0.5, audience="citizen",
                             departments=DEPARTMENTS, referral="年金事務所", language="en")
    assert "handled by 年金事務所" in english.text
    # An answer given is not touched by it.
    answered = compose_answer("粗大ごみの料金", hits, confidence=0.9, threshold=0.5, audience="citizen",
                              departments=DEPARTMENTS, referral="年金事務所")
    assert not answered.abstained and "年金事務所" not in answered.text


def test_a_decline_of_a_private_business_matter_says_the_city_hall_may_not_handle_it():
    hits = [Hit(entry=guide("粗大ごみの料金の例"), score=0.6)]
    result = compose_answer("銀行口座を開きたい", hits, confidence=0.1, threshold=0.5, audience="citizen",
                            departments=DEPARTMENTS, referral="銀行などの金融機関")
    lines = result.text.split("\n")
    assert lines[1] == messages.PRIVATE_REFERRAL.format(office="銀行などの金融機関")
    assert "市役所ではなく" in lines[1] and "総合案内" in lines[2]
    # Not the department of the look-alike entries, even when the confidence was near the threshold.
    near = compose_answer("銀行口座を開きたい", [Hit(entry=guide("粗大ごみの料金の例"), score=0.6)] * 3, confidence=0.45,
                          threshold=0.5, audience="citizen", departments=DEPARTMENTS, referral="銀行などの金融機関")
    assert "総合案内" in near.text and "ごみ減量推進課" not in near.text
    english = compose_answer("open a bank account", hits, confidence=0.1, threshold=0.5, audience="citizen",
                             departments=DEPARTMENTS, referral="銀行などの金融機関", language="en")
    assert "a private business" in english.text and "national" not in english.text


@pytest.mark.parametrize("departments", [DEPARTMENTS, []])
def test_a_question_far_from_everything_names_no_department_of_the_nearest_entries(departments):
    # 「ピアノの調律」 nearest to the garbage fees is no lead to the garbage desk: the general desk (or,
    # without departments.toml, no department) is given, and the inquiry is not filed under ごみ.
    hits = [Hit(entry=guide("粗大ごみの料金の例"), score=0.6), Hit(entry=guide("粗大ごみ処理券の購入"), score=0.5)]
    result = compose_answer("ピアノの調律", hits, confidence=0.1, threshold=0.5, audience="citizen",
                            departments=departments)
    assert result.abstained and "ごみ減量推進課" not in result.text and result.category == ""
    assert result.department == ("総合案内" if departments else "")


# --- answers in the resident's language ------------------------------------------------------------

def faq(translations=(), easy=False, entry_id="101", body="粗大ごみは事前に申し込んでください。") -> Entry:
    return Entry(id=entry_id, kind="faq", title="粗大ごみの出し方は？", body=body, audience="citizen",
                 department="ごみ減量推進課", translations=translations, easy_japanese=easy)


def answer_in(language, *entries, confidence=0.9, easy_japanese=False, scores=(0.9, 0.85, 0.8)):
    hits = [Hit(entry=e, score=s) for e, s in zip(entries, scores)]
    return compose_answer("question", hits, confidence=confidence, threshold=0.5, audience="citizen",
                          departments=DEPARTMENTS, language=language, easy_japanese=easy_japanese)


def test_an_entry_translated_into_the_question_language_answers_in_it():
    result = answer_in("en", faq(translations=(("en", "How do I put out large garbage?", "Apply in advance."),)))
    assert result.text == "Apply in advance." and result.answer_language == "en"


def test_without_a_translation_the_japanese_answer_follows_a_note_with_the_contact():
    result = answer_in("en", faq(translations=(("zh-Hans", "大型垃圾怎么扔？", "请提前申请。"),)))
    note, japanese = result.text.split("\n\n", 1)
    assert japanese == "粗大ごみは事前に申し込んでください。" and result.answer_language == "ja"
    assert "only in Japanese" in note and "ごみ減量推進課 (phone 000-123-4171)" in note
    chinese = answer_in("zh-Hans", faq()).text
    assert chinese.startswith("关于这个问题") and "ごみ減量推進課 (电话 000-123-4171)" in chinese


def test_japanese_questions_get_no_note_and_languages_without_texts_get_japanese():
    assert answer_in("ja", faq()).text == "粗大ごみは事前に申し込んでください。"
    assert answer_in("es", faq()).text == "粗大ごみは事前に申し込んでください。"


def test_declines_speak_the_question_language():
    result = answer_in("ko", faq(), confidence=0.3)
    assert result.abstained and result.text.startswith(messages.say("ABSTAIN", "ko"))
    assert "ごみ減量推進課 (전화 000-123-4171)에 문의해 주십시오." in result.text
    assert answer_in("ja", faq(), confidence=0.1).text.startswith(messages.ABSTAIN)  # Japanese as it always was


def test_easy_japanese_prefers_an_entry_written_in_it_and_says_fixed_texts_with_readings():
    plain, easy = faq(), faq(entry_id="102", easy=True, body="そだいごみは まえに もうしこんで ください。")
    assert answer_in("ja", plain, easy, easy_japanese=True).sources[0].id == "102"
    assert answer_in("ja", plain, easy, easy_japanese=False).sources[0].id == "101"
    far = answer_in("ja", plain, easy, easy_japanese=True, scores=(0.9, 0.5))
    assert far.sources[0].id == "101"  # a much weaker easy entry does not win
    declined = answer_in("ja", plain, confidence=0.1, easy_japanese=True)
    assert "質問(しつもん)" in declined.text


def test_every_catalogue_text_exists_in_every_supported_language():
    from indexing.language import SUPPORTED
    for name, texts in messages.CATALOGUE.items():
        for language in SUPPORTED:
            assert texts.get(language) is not None, (name, language)


def test_a_long_passage_shows_the_sentence_holding_the_asked_fact_within_the_limit():
    from bot.answering.composer import PASSAGE_CHARS

    filler = "本計画は市民の利便性を高めるために策定したものです。" * 20
    body = filler + "\n計画の施策は1年に1度評価して見直します。\n" + filler
    entry = Entry(id="plan#5", kind="plan", title="DX推進計画", body=body, section="第5章 運用方法", page=19,
                  audience="all")
    hits = [Hit(entry=entry, score=0.9)]

    def shown(question):
        return compose_answer(question, hits, confidence=0.9, threshold=0.5, audience="staff",
                              departments=DEPARTMENTS).text

    asked = shown("施策の評価は何年に1度？")
    assert "1年に1度評価" in asked and asked.count("本計画は") >= 1
    body_shown = asked.split("\n", 1)[1]
    assert len(body_shown) <= PASSAGE_CHARS + 2
    # Without an asked kind, or when the opening already holds the fact, the opening is shown as before.
    assert "1年に1度" not in shown("DX推進計画の運用方法")


def _faq(number: int, department: str) -> Entry:
    return Entry(id=f"F{number}", kind="faq", title=f"質問{number}", body="回答です。", audience="citizen",
                 department=department)


def test_a_decline_gives_the_department_most_nearby_entries_share_else_the_general_desk():
    departments = DEPARTMENTS + [{"name": "市民課", "phone": "000-123-4112"},
                                 {"name": "こども家庭課", "phone": "000-123-4113"}]

    def declined(*names):
        hits = [Hit(entry=_faq(i, name), score=0.7) for i, name in enumerate(names)]
        return compose_answer("死亡届はどこに出す", hits, confidence=0.3, threshold=0.5, audience="citizen",
                              departments=departments).contact.department

    assert declined("こども家庭課", "市民課", "市民課") == "市民課"
    assert declined("こども家庭課", "市民課", "ごみ減量推進課") == "総合案内"
    assert declined("市民課") == "市民課"
    # Without a general desk (a city's FAQ imported with no departments.toml) the nearest entry's department.
    hits = [Hit(entry=_faq(i, name), score=0.7) for i, name in enumerate(["こども家庭課", "市民課", "保育課"])]
    assert compose_answer("死亡届はどこに出す", hits, confidence=0.3, threshold=0.5, audience="citizen",
                          departments=[]).contact.department == "こども家庭課"
    # A thing no entry names (市営住宅 near the nursery's 申し込み entries): the nearest entries are no lead.
    nursery = [Hit(entry=_faq(i, "保育課"), score=0.7) for i in range(3)]
    assert compose_answer("市営住宅に申し込みたい", nursery, confidence=0.3, threshold=0.5, audience="citizen",
                          departments=departments + [{"name": "保育課"}]).contact.department == "保育課"
    unknown = compose_answer("市営住宅に申し込みたい", nursery, confidence=0.3, threshold=0.5, audience="citizen",
                             departments=departments + [{"name": "保育課"}], unknown_thing=True)
    assert unknown.contact.department == "総合案内" and unknown.category == ""


def test_a_decline_is_logged_under_the_departments_own_name_not_the_one_shown_with_its_division():
    departments = [{"name": "総合案内", "division": "総務部", "phone": "000-123-4000", "default": True},
                   {"name": "公園緑地課", "division": "都市整備部", "phone": "000-123-4500"}]
    hits = [Hit(entry=_faq(i, "公園緑地課"), score=0.7) for i in range(3)]
    declined = compose_answer("ドローンを飛ばしたい", hits, confidence=0.3, threshold=0.5, audience="citizen",
                              departments=departments)
    assert declined.contact.department == "都市整備部 公園緑地課" and declined.department == "公園緑地課"
    far = compose_answer("ドローンを飛ばしたい", hits, confidence=0.1, threshold=0.5, audience="citizen",
                         departments=departments)
    assert far.contact.department == "総務部 総合案内" and far.department == "総合案内"


def test_a_markdown_table_reads_as_lines_in_a_chat():
    text = plain_text("料金の例です。\n\n| 品目 | 手数料 |\n|---|---|\n| 自転車（1台） | 800円 |\n| 布団（1枚） | 400円 |\n"
                      "\n| 証明書 | コンビニ | 窓口 |\n|:---|---:|---|\n| 住民票 | 200円 | 300円 |")
    assert text == ("料金の例です。\n\n品目／手数料\n・自転車（1台）：800円\n・布団（1枚）：400円\n\n"
                    "証明書／コンビニ／窓口\n・住民票／200円／300円")
    assert plain_text("a | b は記号です。") == "a | b は記号です。"


def test_the_rows_a_question_names_come_first_in_a_table():
    table = ("| 品目 | 手数料 |\n|---|---|\n| 自転車（1台） | 800円 |\n| 布団（1枚） | 400円 |\n"
             "| ソファ（2人掛け） | 1,200円 |")
    assert plain_text(table, "ソファを出すといくら？") == "品目／手数料\n・ソファ（2人掛け）：1,200円\n・自転車（1台）：800円\n・布団（1枚）：400円"
    # Several rows named (a katakana item typed in hiragana too) keep their order among themselves.
    assert plain_text(table, "そふぁと 布団は いくら").splitlines()[1:] == [
        "・布団（1枚）：400円", "・ソファ（2人掛け）：1,200円", "・自転車（1台）：800円"]
    # A question naming no row, or every row, keeps the table's own order.
    for question in ("粗大ごみの料金は？", "自転車と布団とソファの料金"):
        assert plain_text(table, question).splitlines()[1] == "・自転車（1台）：800円"


def test_an_answer_without_the_asked_fact_adds_the_sentence_of_a_close_sibling_that_holds_it():
    needs = Entry(id="moving#必要なもの", kind="guide", title="引っ越しの手続き", section="転入届に必要なもの",
                  source="moving.md",
                  body="本人確認書類と転出証明書をお持ちください。", audience="citizen", department="市民課")
    deadline = Entry(id="moving#期限", kind="guide", title="引っ越しの手続き", section="転入届の期限",
                     source="moving.md",
                     body="届出には3種類あり、それぞれ期限があります。転入届は市に住み始めてから14日以内に出してください。"
                          "郵送はできません。",
                     audience="citizen", department="市民課")
    other = Entry(id="F9", kind="faq", title="パスポートの申請期限は？", body="申請から7日以内に受け取ってください。",
                  audience="citizen", department="市民課", category="旅券")

    def shown(question, hits, **options):
        return compose_answer(question, hits, confidence=0.9, threshold=0.5, audience="citizen",
                              departments=DEPARTMENTS, **options)

    close = [Hit(needs, 0.9, dense=0.86), Hit(deadline, 0.89, dense=0.85)]
    given = shown("転入届はいつまでに出せばいい？", close)
    assert given.text.startswith("本人確認書類と転出証明書をお持ちください。")
    assert "「転入届の期限」には次のようにあります。\n転入届は市に住み始めてから14日以内に出してください。" in given.text
    # The sentence with the value (14日以内), not the earlier one that only names the kind (期限があります).
    assert "3種類" not in given.text and "郵送" not in given.text
    assert [s.id for s in given.sources] == ["moving#必要なもの", "moving#期限"]
    assert "moving#期限" not in [r.id for r in given.related]
    # Not when the answer holds a fact of the kind, nothing is asked, the sibling is far from the
    # question, it is no sibling (another document, another category), or the answer is in easy Japanese.
    holding = [Hit(deadline, 0.9, dense=0.86), Hit(needs, 0.89, dense=0.85)]
    assert len(shown("転入届はいつまで？", holding).sources) == 1
    assert len(shown("転入届に必要なものは？", close).sources) == 1
    assert len(shown("転入届はいつまで？", [Hit(needs, 0.9, dense=0.86), Hit(deadline, 0.7, dense=0.70)]).sources) == 1
    assert len(shown("転入届はいつまで？", [Hit(needs, 0.9, dense=0.86), Hit(other, 0.89, dense=0.86)]).sources) == 1
    assert len(shown("転入届はいつまで？", close, easy_japanese=True).sources) == 1


def test_a_fact_is_lent_only_by_a_section_of_the_same_document_and_never_a_footer():
    def entry(id_, kind, body, category=""):
        return Entry(id=id_, kind=kind, title="児童手当" if kind == "faq" else "手当の案内", body=body,
                     section=id_, audience="citizen", category=category, source=f"{kind}.md")

    def lent(question, first, second, dense=(0.86, 0.85), scores=(0.9, 0.89)):
        hits = [Hit(first, scores[0], dense=dense[0]), Hit(second, scores[1], dense=dense[1])]
        return len(compose_answer(question, hits, confidence=0.9, threshold=0.5, audience="citizen",
                                  departments=DEPARTMENTS).sources) == 2

    opening = entry("guide#申請", "guide", "申請は窓口でどうぞ。")
    deadline = entry("guide#期限", "guide", "申請は15日以内にしてください。")
    assert lent("手当の申請はいつまで？", opening, deadline)
    # A FAQ of the same category is another procedure as often as not (児童扶養手当 beside 児童手当).
    assert not lent("手当の申請はいつまで？", entry("F1", "faq", "申請は窓口でどうぞ。", "手当"),
                    entry("F2", "faq", "18歳に達した日以降の最初の3月31日までです。", "手当"))
    # A contact footer holds numbers of every kind and answers nothing.
    footer = entry("guide#問い合わせ", "guide", "お問い合わせ：市民課 000-123-4111（平日8時30分～17時15分）")
    assert not lent("手続きにどれくらいかかりますか", opening, footer)
    # Not from a hit outside the dense search (cosine 0) or far below the best.
    assert not lent("手当の申請はいつまで？", opening, deadline, dense=(0.0, 0.0))
    assert not lent("手当の申請はいつまで？", opening, deadline, scores=(0.9, 0.3))
    # A story's narrative asks nothing: 「何年も」 is no question of how long; masked data is no question either.
    story = "何年も前に引っ越してきて、子どもが二人います。上の子が小学校に入り、下の子はまだ保育園です。手当の申請の窓口を教えてください。"
    assert not lent(story, opening, entry("guide#期間", "guide", "審査には2週間かかります。"))
    assert not lent("電話〔電話番号〕です。手当の申請について", opening,
                    entry("guide#連絡", "guide", "担当は内線1234です。"))


def test_an_overview_asked_about_one_section_adds_that_sections_opening():
    def section(name, body):
        return Entry(id=f"folders#{name or '概要'}", kind="guide", title="共有フォルダのファイル名・フォルダ構成ルール",
                     section=name, source="folders.md", body=body, audience="staff", department="情報政策課")

    overview = section("", "全庁で同じフォルダ構成とファイル名の付け方を使います。")
    naming = section("ファイル名の付け方", "ファイル名は「日付_業務名_文書名_版.拡張子」の形で付けます。\n\n"
                                           "```\nYYYYMMDD_業務名_文書名_v版.拡張子\n```")
    folders = section("フォルダ構成", "共有フォルダは「課 → 係 → 年度 → 業務分類」の4階層で整理します。")
    characters = section("使えない文字", "Windowsで使えない記号は使いません。")

    def shown(question, *entries, scores=(0.92, 0.87, 0.86, 0.85)):
        hits = [Hit(entry, score, dense=0.95) for entry, score in zip(entries, scores)]
        return compose_answer(question, hits, confidence=0.99, threshold=0.5, audience="staff",
                              departments=DEPARTMENTS)

    given = shown("共有フォルダのファイル名のルールは？", overview, naming, folders)
    assert given.text.startswith("全庁で同じフォルダ構成")
    assert ("「ファイル名の付け方」には次のようにあります。\nファイル名は「日付_業務名_文書名_版.拡張子」の形で付けます。\n"
            "YYYYMMDD_業務名_文書名_v版.拡張子") in given.text  # the code fences are not shown
    assert [s.id for s in given.sources] == ["folders#概要", "folders#ファイル名の付け方"]
    # A word of a heading beyond the title's words tells the section (文字), over one the title names too.
    assert shown("ファイル名に使えない文字は？", overview, naming, characters).sources[-1].id == "folders#使えない文字"
    # A heading asked whole tells its section, whichever words the title shares with it.
    assert shown("ファイル名の付け方を教えて", overview, naming, folders).sources[-1].id == "folders#ファイル名の付け方"
    # Not when the question names no section, names two by words the title does not name, the section ranks far
    # below or is far from the question, or the best is itself a section.
    assert len(shown("共有フォルダのルールを教えて", overview, naming, folders).sources) == 1
    length = section("長さの上限", "ファイル名は64文字以内にします。")
    assert len(shown("ファイル名の上限と使えない文字は？", overview, length, characters).sources) == 1
    assert len(shown("共有フォルダのファイル名のルールは？", overview, naming, scores=(0.9, 0.3)).sources) == 1
    far = compose_answer("共有フォルダのファイル名のルールは？", [Hit(overview, 0.92, dense=0.95), Hit(naming, 0.9, dense=0.85)],
                         confidence=0.99, threshold=0.5, audience="staff", departments=DEPARTMENTS)
    assert len(far.sources) == 1
    assert len(shown("共有フォルダのファイル名のルールは？", folders, naming).sources) == 1


def test_a_look_alike_is_declined_whatever_the_confidence_naming_both_things_and_the_general_desk():
    hits = [Hit(entry=guide(""), score=0.95)]
    declined = compose_answer("粗大ごみ処理施設の見学", hits, confidence=0.99, threshold=0.5, audience="citizen",
                              departments=DEPARTMENTS, decline="look_alike", detail="粗大ごみ処理施設",
                              look_alike="処理施設", unknown_thing=True)
    assert declined.abstained and declined.kind == "abstain" and declined.confidence == 0.0
    assert declined.text.startswith("申し訳ありません。「粗大ごみ処理施設」についてのご案内は見つかりませんでした。「処理施設」")
    # No guess of the look-alike's department: the general desk.
    assert "000-123-4111" in declined.text and "000-123-4171" not in declined.text
    english = compose_answer("Tour of the 粗大ごみ処理施設", hits, confidence=0.99, threshold=0.5, audience="citizen",
                             departments=DEPARTMENTS, decline="look_alike", detail="粗大ごみ処理施設",
                             look_alike="処理施設", language="en")
    assert english.abstained and english.text.startswith("Sorry, we found no information on 「粗大ごみ処理施設」")
