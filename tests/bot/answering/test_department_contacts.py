"""Department phones a city's FAQ answers cite, for a city without departments.toml."""
from bot.answering.answer import Hit
from bot.answering.composer import compose_answer
from bot.answering.department_contacts import with_phones_from_entries
from indexing.entries import Entry


def faq(id: str, department: str, body: str, audience: str = "citizen") -> Entry:
    return Entry(id=id, kind="faq", title=f"質問{id}", body=body, department=department, audience=audience)


ENTRIES = [
    faq("1", "市民課", "住民票は窓口で取れます。<br>問い合わせ先：市民課 0123-45-6701"),
    faq("2", "市民課", "戸籍謄本は本籍地で。問い合わせ先：市民課（電話0123-45-6701）代表 0123-45-0000"),
    faq("3", "市民課", "印鑑登録は本人が来庁してください。市民課 0123-45-6701"),
    faq("4", "税務課", "住民税は6月に通知します。税務課 0123-45-6720 または代表 0123-45-0000"),
    faq("5", "税務課", "納付は口座振替が便利です。税務課 0123-45-6720"),
    faq("6", "保育課", "保育園の申し込みは11月です。保育課 0123-45-6730"),  # cited once only
    faq("7", "子育て支援課", "詳しくは市民課 0123-45-6701 へ。"),               # another department's number
    faq("8", "子育て支援課", "手当は市民課 0123-45-6701 でも受け付けます。代表 0123-45-0000"),
]


def test_each_department_gets_the_number_its_own_entries_cite():
    phones = {d["name"]: d["phone"] for d in with_phones_from_entries([], ENTRIES) if not d.get("default")}
    assert phones == {"市民課": "0123-45-6701", "税務課": "0123-45-6720"}
    # The main number every department cites is no one's; a number cited once is not enough; a
    # department that only cites another department's number gets none.


def test_departments_toml_wins_and_a_derived_phone_only_fills_a_gap():
    toml = [{"name": "市民課", "phone": "000-111-2222", "hours": "平日"}, {"name": "税務課", "hours": "平日"}]
    departments = {d["name"]: d for d in with_phones_from_entries(toml, ENTRIES) if not d.get("default")}
    assert departments["市民課"]["phone"] == "000-111-2222"
    assert departments["税務課"] == {"name": "税務課", "hours": "平日", "phone": "0123-45-6720"}
    assert len(departments) == 2


def test_a_decline_near_an_entry_names_its_department_with_the_phone_its_faq_cites():
    departments = with_phones_from_entries([], ENTRIES)
    answer = compose_answer("住民票を本籍地以外で取るには", [Hit(entry=ENTRIES[0], score=0.6)], confidence=0.4,
                            threshold=0.5, audience="citizen", departments=departments)
    assert answer.abstained and "市民課" in answer.text and "0123-45-6701" in answer.text


def test_the_retriever_reads_phones_from_what_citizens_may_see(tmp_path):
    from bot.answering.retrieval import Retriever
    from indexing.importer import import_paths

    faq_csv = tmp_path / "faq.csv"
    faq_csv.write_text("ID,問い合わせ文,応答文,カテゴリ,所管課\n"
                       "1,住民票の取り方,窓口で取れます。市民課 0123-45-6701,届出,市民課\n"
                       "2,戸籍謄本の取り方,本籍地で取れます。市民課 0123-45-6701,届出,市民課\n", encoding="utf-8")
    import_paths([faq_csv], tmp_path / "data")
    retriever = Retriever(tmp_path / "data")
    retriever.refresh()
    assert {"name": "市民課", "phone": "0123-45-6701", "from_entries": True} in retriever.departments


def test_a_fax_number_cited_beside_the_phone_is_never_the_phone():
    entries = [faq(str(i), "税務課", f"税務課 電話：0123-45-6720 ファクス：0123-45-6799 FAX 0123-45-6798 (質問{i})")
               for i in range(3)]
    assert with_phones_from_entries([], entries) == [{"name": "税務課", "phone": "0123-45-6720", "from_entries": True}]


def test_a_number_the_answer_cites_in_passing_is_not_the_departments():
    # The department's name before a number makes it the department's; another office's number is not.
    pension = [faq(f"p{i}", "保険年金課", f"年金事務所（電話 0123-11-2222）でも相談できます。{i}<br>"
                                      "【問い合わせ先】保険年金課 国民年金係 電話：0123-45-6750") for i in range(3)]
    childcare = [faq(f"c{i}", "子育て支援課", "転入の届出は市民課（0123-45-6701）で。"
                                          "【問い合わせ先】子育て支援課 電話：0123-45-6751") for i in range(4)]
    phones = {d["name"]: d["phone"] for d in with_phones_from_entries([], pension + childcare + ENTRIES[:3])
              if not d.get("default")}
    assert phones == {"保険年金課": "0123-45-6750", "子育て支援課": "0123-45-6751", "市民課": "0123-45-6701"}


def test_two_numbers_cited_alike_give_no_phone_rather_than_a_guess():
    entries = [faq(str(i), "税務課", f"0123-45-6790（納税）、0123-45-6720（市民税）{i}") for i in range(2)]
    assert with_phones_from_entries([], entries) == []


def test_a_department_the_file_names_by_its_last_word_is_the_files():
    toml = [{"name": "住民係", "division": "市民課", "phone": "000-1", "hours": "平日"}]
    entries = [faq(str(i), "市民課 住民係", f"市民課 住民係 ０１２３－４５－６７０１ {i}") for i in range(2)]
    assert with_phones_from_entries(toml, entries) == toml


def test_full_width_digits_and_a_combined_tel_fax_line_are_read():
    entries = [faq(str(i), "市民課", f"市民課 TEL/FAX ０１２３－４５－６７０１ ({i})") for i in range(2)]
    assert with_phones_from_entries([], entries)[0]["phone"] == "0123-45-6701"


def test_a_department_whose_sections_have_their_own_numbers_gets_the_most_cited_one():
    # 手当係 and 相談係 of one 課, each cited after the department's name: either reaches the department.
    entries = [faq(f"a{i}", "こども家庭課", f"【問い合わせ先】こども家庭課 手当係 電話：0987-63-1101 ファクス：0987-63-1100 {i}")
               for i in range(2)]
    entries += [faq(f"b{i}", "こども家庭課", f"【問い合わせ先】こども家庭課 相談係 電話：0987-63-1105 {i}") for i in range(2)]
    assert with_phones_from_entries([], entries)[0]["phone"] == "0987-63-1101"


def test_the_main_number_the_answers_name_becomes_the_general_desk_when_the_file_has_none():
    entries = [ENTRIES[0], ENTRIES[2], faq("m", "広報課", "市役所の代表電話番号は、市役所代表 0987-65-1111 です。")]
    departments = with_phones_from_entries([], entries)
    desk = next(d for d in departments if d.get("default"))
    assert desk == {"name": "市役所（代表）", "phone": "0987-65-1111", "default": True, "from_entries": True}
    answer = compose_answer("携帯の料金プランを変えたい", [Hit(entry=ENTRIES[0], score=0.1)], confidence=0.01,
                            threshold=0.5, audience="citizen", departments=departments)
    assert answer.abstained and "市役所（代表）（電話 0987-65-1111）" in answer.text
    # A desk of departments.toml stays the only one; a desk read from answers takes no tickets.
    toml = [{"name": "総合案内", "phone": "000-1", "default": True}]
    assert [d for d in with_phones_from_entries(toml, entries) if d.get("default")] == toml
    from bot.handoff.ticket import route_for, routable_departments
    assert route_for("市民課", departments, default_channel="C1").department == "市民課"
    assert "市役所（代表）" not in routable_departments(departments, default_channel="C1")


def test_an_answer_shows_the_number_its_own_footer_gives_for_a_department_read_from_the_answers():
    # 保険年金課's most cited number is its 国民年金係; an answer of its 国保資格係 gives that section's line.
    pension = [faq(f"n{i}", "保険年金課", f"年金の免除 {i}。【問い合わせ先】保険年金課 国民年金係 電話：0987-62-3111") for i in range(3)]
    health = faq("h", "保険年金課", "国保の加入は14日以内に。【問い合わせ先】保険年金課 国保資格係 電話：0987-62-3101")
    departments = with_phones_from_entries([], pension + [health])
    answer = compose_answer("国保に入る手続き", [Hit(entry=health, score=0.9)], confidence=0.9, threshold=0.5,
                            audience="citizen", departments=departments)
    assert answer.contact.phone == "0987-62-3101"
    # departments.toml's phone is the city's choice: kept as written.
    toml = [{"name": "保険年金課", "phone": "000-1"}]
    answer = compose_answer("国保に入る手続き", [Hit(entry=health, score=0.9)], confidence=0.9, threshold=0.5,
                            audience="citizen", departments=with_phones_from_entries(toml, pension + [health]))
    assert answer.contact.phone == "000-1"
