from pathlib import Path

import pytest

from indexing.loaders import KnowledgeFileError, SourceMetadata, load_knowledge_file
from indexing.loaders.plan_documents import (MIN_FULL_LINE, broken_inside_word, full_line_length, join_broken_lines,
                                             plan_passages)

META = SourceMetadata()
HEADER = "ID,問い合わせ文,応答文,カテゴリ\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_open_data_columns_keep_their_ids(tmp_path):
    path = write(tmp_path, "faq.csv", (HEADER + "A-7,ごみの日は？,月曜です。,ごみ\n0012,税は？,5月です。,税金\n").encode())
    entries = load_knowledge_file(path, META).entries
    assert [e.id for e in entries] == ["A-7", "0012"]
    assert entries[0].title == "ごみの日は？" and entries[0].body == "月曜です。" and entries[0].category == "ごみ"
    assert entries[0].kind == "faq" and entries[0].audience == "citizen"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis"])
def test_csv_encodings(tmp_path, encoding):
    text = "全国地方公共団体コード,ID,地方公共団体名,問い合わせ文,応答文,カテゴリ\n" \
           "999999,1,テスト市,住民票の写しの取り方は？,窓口かコンビニで取れます。,住民票\n"
    path = write(tmp_path, "faq.csv", text.encode(encoding))
    [entry] = load_knowledge_file(path, META).entries
    assert entry.id == "1" and entry.title == "住民票の写しの取り方は？"


@pytest.mark.parametrize("encoding, named", [("cp932", "Shift_JIS"), ("utf-8", "UTF-8")])
def test_a_broken_character_is_reported_on_its_own_line_in_the_encoding_the_file_was_saved_in(tmp_path, encoding,
                                                                                              named):
    from indexing.loaders import KnowledgeFileError

    raw = "\n".join(["ID,問い合わせ文,応答文"] + [f"{i},質問{i},回答{i}" for i in range(1, 60)]).encode(encoding)
    at = raw.index("質問49".encode(encoding))
    path = write(tmp_path, "faq.csv", raw[:at] + b"\x85\xff" + raw[at:])
    with pytest.raises(KnowledgeFileError) as error:
        load_knowledge_file(path, META)
    assert error.value.line == 50 and f"{named} として読めない文字" in str(error.value)


def test_aliases_and_multiline_answers(tmp_path):
    text = '番号,質問,回答,分類,URL\n5,"引っ越しの手続きは？","転入届を出してください。\n14日以内です。",住民,https://x.example/5\n'
    [entry] = load_knowledge_file(write(tmp_path, "q.csv", text.encode()), META).entries
    assert entry.id == "5" and entry.body == "転入届を出してください。\n14日以内です。"
    assert entry.url == "https://x.example/5" and entry.category == "住民"


def test_english_headers_and_generated_ids_without_id_column(tmp_path):
    text = "question,answer,category\nWhere is city hall?,At 1-1 Chuo.,info\n"
    [entry] = load_knowledge_file(write(tmp_path, "en.csv", text.encode()), META).entries
    assert entry.id == "en-2"


def test_bad_rows_are_reported_with_line_numbers_and_skipped(tmp_path):
    text = HEADER + '1,ごみの日は？,月曜です。,ごみ\n2,"改行のある\n質問",,ごみ\n3,税は？,5月です。,税金\n3,重複,重複です。,税金\n'
    loaded = load_knowledge_file(write(tmp_path, "bad.csv", text.encode()), META)
    assert [e.id for e in loaded.entries] == ["1", "3"]
    assert [(p.line, "空" in p.message or "重複" in p.message) for p in loaded.problems] == [(3, True), (6, True)]


def test_an_id_the_admin_ui_uses_for_its_own_page_is_a_row_problem(tmp_path):
    # /admin/entries/new is the new-entry form: an entry "new" could never be opened there.
    # An ID ending in an entry page's action would open that page of another entry (x/edit: x's edit page).
    text = HEADER + "new,ごみの日は？,月曜です。,ごみ\nnews,税は？,5月です。,税金\nx/edit,犬は？,登録します。,動物\n"
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert [e.id for e in loaded.entries] == ["news"]
    assert [(p.line, "管理画面" in p.message) for p in loaded.problems] == [(2, True), (4, True)]


def test_unreadable_files_are_errors_with_a_line(tmp_path):
    with pytest.raises(KnowledgeFileError) as info:
        load_knowledge_file(write(tmp_path, "x.csv", b"ID,foo,bar\n1,2,3\n"), META)
    assert "問い合わせ文" in str(info.value)
    broken = (HEADER + '1,"ok",fine,c\n2,"unclosed,answer,c\n3,ok,fine,c\n4,ok,fine,c\n').encode()
    with pytest.raises(KnowledgeFileError) as info:
        load_knowledge_file(write(tmp_path, "q.csv", broken), META)
    assert info.value.line == 3 and "引用符" in info.value.message  # where the quote opened, not the last line
    with pytest.raises(KnowledgeFileError) as info:
        load_knowledge_file(write(tmp_path, "e.csv", HEADER.encode() + b"1,\xff\xfe\x80\x81,x,y\n"), META)
    assert info.value.line == 2


def test_xlsx(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["FAQ一覧"])
    sheet.append(["ID", "問い合わせ文", "応答文", "カテゴリ"])
    sheet.append([42, "図書館の休館日は？", "毎週月曜日です。", "施設"])
    sheet.append([None, None, None, None])
    sheet.append([43, "駐車場はありますか？", None, "施設"])
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    loaded = load_knowledge_file(path, META)
    assert [e.id for e in loaded.entries] == ["42"]
    assert [p.line for p in loaded.problems] == [5]


def test_an_xlsx_sheet_with_more_rows_than_a_faq_has_is_refused_with_the_line(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from indexing.loaders import faq_table

    monkeypatch.setattr(faq_table, "MAX_SHEET_ROWS", 5)
    workbook = Workbook()
    # A column past the 64 read is never looked at: its URL reaches no entry.
    workbook.active.append(["ID", "問い合わせ文", "応答文", "カテゴリ"] + ["余白"] * 100 + ["URL"])
    for number in range(1, 6):
        workbook.active.append([number, f"質問{number}は？", "回答です。", "分類"] + [""] * 100
                               + ["https://example.jp/far"])
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    with pytest.raises(KnowledgeFileError) as error:
        load_knowledge_file(path, META)
    assert error.value.line == 6 and "5行まで" in str(error.value)
    monkeypatch.setattr(faq_table, "MAX_SHEET_ROWS", 6)
    entries = load_knowledge_file(path, META).entries
    assert len(entries) == 5 and not any(e.url for e in entries)


def test_only_the_imported_xlsx_sheet_is_held_to_the_row_limit(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from indexing.loaders import faq_table

    monkeypatch.setattr(faq_table, "MAX_SHEET_ROWS", 5)
    workbook = Workbook()
    cover = workbook.active
    cover.title = "表紙"
    for number in range(12):  # a long sheet without a header: passed over, not refused
        cover.append([f"説明{number}"])
    faq = workbook.create_sheet("FAQ")
    faq.append(["ID", "問い合わせ文", "応答文"])
    for number in range(1, 4):
        faq.append([number, f"質問{number}は？", "回答です。"])
        faq.append([])  # empty rows are not counted
        faq.append([])
    old = workbook.create_sheet("旧FAQ")  # a big table after the imported one: reported, not refused
    old.append(["ID", "問い合わせ文", "応答文"])
    for number in range(1, 30):
        old.append([number, f"古い質問{number}は？", "古い回答です。"])
    gap = workbook.create_sheet("旧FAQ2")  # a table, a long gap of formatted empty rows, more after it
    gap.append(["ID", "問い合わせ文", "応答文"])
    gap.append([1, "古い質問は？", "古い回答です。"])
    for row in range(3, 12):
        gap.cell(row=row, column=1).number_format = "0000"
    gap.cell(row=12, column=1, value="末尾")
    monkeypatch.setattr(faq_table, "_MAX_BLANK_ROWS", 3)
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    loaded = load_knowledge_file(path, META)
    assert [e.id for e in loaded.entries] == ["1", "2", "3"]
    assert {p.message.split("」")[0] for p in loaded.problems} == {"シート「旧FAQ", "シート「旧FAQ2"}


def test_markdown_guide_sections_and_front_matter(knowledge_dir):
    entries = load_knowledge_file(knowledge_dir / "guides" / "overtime.md", META).entries
    assert [e.section for e in entries] == ["時間外勤務５原則", "申請の期限"]
    assert all(e.audience == "staff" and e.department == "職員課" and e.kind == "guide" for e in entries)
    assert entries[0].id == "overtime#時間外勤務５原則"
    assert "サンプル" not in entries[0].body


def test_markdown_guides_saved_as_shift_jis_are_read_like_csv_files(tmp_path):
    # An office editor saves Markdown as Shift_JIS (CP932) as often as CSV; a translation beside it too.
    write(tmp_path, "g.md", "# 住民票\n\n## 窓口で取る\n手数料は300円です。\n".encode("cp932"))
    write(tmp_path, "h.md", "---\ntranslation_of: g.md\nlang: en\n---\n# Certificate\n\n## At the counter\n300 yen.\n"
          .encode("cp932"))
    [entry] = load_knowledge_file(tmp_path / "g.md", META).entries
    assert entry.section == "窓口で取る" and "300円" in entry.body
    assert entry.translations and "300 yen" in str(entry.translations)


def test_markdown_guides_with_old_mac_line_ends_keep_their_sections(tmp_path):
    write(tmp_path, "g.md", "---\rtitle: 住民票\r---\r## 窓口で取る\r手数料は300円です。\r## 郵送\r定額小為替で。\r".encode())
    entries = load_knowledge_file(tmp_path / "g.md", META).entries
    assert [e.section for e in entries] == ["窓口で取る", "郵送"] and entries[0].title == "住民票"


def test_markdown_bad_front_matter(tmp_path):
    path = write(tmp_path, "g.md", "---\ntitle: x\nnonsense line\n---\n## a\nbody\n".encode())
    with pytest.raises(KnowledgeFileError) as info:
        load_knowledge_file(path, META)
    assert info.value.line == 3


def test_forced_audience_overrides_the_file(knowledge_dir):
    entries = load_knowledge_file(knowledge_dir / "guides" / "overtime.md",
                                  SourceMetadata(forced_audience="citizen")).entries
    assert {e.audience for e in entries} == {"citizen"}


def test_plan_text_structure_and_line_joining(knowledge_dir):
    entries = load_knowledge_file(knowledge_dir / "plans" / "sample-plan.txt", META).entries
    sections = [e.section for e in entries]
    assert sections == ["第1章 はじめに 1.1. 計画の目的", "No.1 チャットボットによる問い合わせ対応"]
    assert "向上と職員の業務効率化を図るために策定する" in entries[0].body  # broken line joined
    assert entries[1].id == "sample-plan#No.1 チャットボットによる問い合わせ対応"
    assert all(e.audience == "all" and e.kind == "plan" for e in entries)


def test_plan_furniture_is_dropped_and_items_are_titled():
    text = ("第2章 方針\n\n2.1.基本方針\n\n本\n文\n\n12\n\n職員が安心して取り組める環境を整えます。\n"
            " 時代の変化\n現　状\nファイル名のルールがありません。\n管理番号　： 222040\n実施計画名 共有フォルダの管理ルールの徹底\n")
    passages = plan_passages(text, "計画")
    labels = [label for label, _, _ in passages]
    assert labels == ["第2章 方針 2.1. 基本方針", "管理番号 222040 共有フォルダの管理ルールの徹底"]
    assert "本\n文" not in passages[0][2] and "12" not in passages[0][2]
    assert passages[1][1] == 2  # second page


def test_a_table_page_keeps_its_labels_on_their_own_lines():
    # A page of 50-character prose with a table's labels: an 18-character label is no sentence broken
    # by the page's width, and neither are the short labels after it (they were all run together into
    # the prose: 「…組織体制の構築働き方の見直し…柱2施策2-2担当課現 状少子高齢化…」).
    prose = "少子高齢化や人口減少の進展により将来的な労働力不足が懸念される中、行政においても今後大幅な職員の増員は見"
    lines = ["時代の変化に即応できる組織体制の構築", "働き方の見直しによる生産性の向上", "柱2", "施策2-2", "担当課", "現 状",
             prose, "込めないものと考えられます。", "実施計画名 AI・RPAの導入"]
    full = full_line_length(lines)
    assert full > len(lines[0]) >= MIN_FULL_LINE
    text = join_broken_lines(lines, [full] * len(lines))
    assert text.split("\n") == lines[:6] + [prose + "込めないものと考えられます。", "実施計画名 AI・RPAの導入"]


def test_each_page_of_a_section_is_read_at_its_own_width():
    # One action plan over two pages: prose with labels, then a diagram in narrow boxes. Each line is
    # judged by its own page (a section's narrowest page once set the width for all of its lines).
    prose = "オンライン予約できる施設を増やすとともに、利用料の支払いなどもオンライン上で完結できるようにする"
    wide = ["No.4 施設・窓口のオンライン予約の整備", prose, "ものとします。", "オンライン予約の対象となる施設と窓口の整理", "目標設定の考え方"]
    narrow = ["全庁で統一した予約システ", "ムの導入", "システム要件の検討", "庁内の合意形成"]
    text = "\n".join(wide) + "\n\f" + "\n".join(narrow) + "\n"
    (label, _, body), = plan_passages(text, "計画")
    assert label == "No.4 施設・窓口のオンライン予約の整備"
    assert body.split("\n") == [prose + "ものとします。", "オンライン予約の対象となる施設と窓口の整理", "目標設定の考え方",
                                "全庁で統一した予約システムの導入", "システム要件の検討", "庁内の合意形成"]


def test_a_word_wrapped_in_a_narrow_box_is_joined_whatever_the_line_lengths():
    lines = ["全庁で統一した予約システ", "ムの導入", "行政が発する情報のデジタ", "ル化及び情報ごとの周知", "様々な住民ニーズを想定し",
             "たユーザー動線の設計", "交付窓口の", "拡張", "アンケー", "ト", "職員研修", "柱2", "施策2-2"]
    assert join_broken_lines(lines, [40] * len(lines)).split("\n") == [
        "全庁で統一した予約システムの導入", "行政が発する情報のデジタル化及び情報ごとの周知",
        "様々な住民ニーズを想定したユーザー動線の設計", "交付窓口の拡張", "アンケート", "職員研修", "柱2", "施策2-2"]
    assert broken_inside_word("利用促進、マイナン", "バーカードの普及") and broken_inside_word("施策策", "定の基本方針")
    assert broken_inside_word("目指す姿を実現", "するための課題")  # a verb of its own cannot start a box
    # A new box or label that starts with a word of its own stays apart.
    assert not broken_inside_word("組織体制の構築", "働き方の見直し")
    assert not broken_inside_word("活用したサービスの種類増加", "ほぼ全市民の")
    assert not broken_inside_word("担当課", "現 状")  # 現 read as a suffix
    assert not broken_inside_word("マイナポータル", "スマホ")  # two loanwords the dictionary does not know, read as one
    assert not broken_inside_word("申請してください。", "あわせて")  # punctuation ends the line


def test_corpus_plans_follow_their_structure():
    corpus = Path(__file__).resolve().parents[4] / "shared" / "corpus"
    if not corpus.exists():
        pytest.skip("shared corpus not present")
    naha = load_knowledge_file(corpus / "naha-dx-promotion-plan.txt", META).entries
    sections = {e.section for e in naha}
    assert "No.15 コミュニケーションのオンライン化" in sections
    assert any(s.startswith("No.14 オンライン相談体制") for s in sections)  # heading lost in extraction
    assert any(s.startswith("第7章 セキュリティ対策") for s in sections)
    tottori = load_knowledge_file(corpus / "tottori-admin-reform-plan-ict-items.txt", META).entries
    assert any(s == "管理番号 221040 ICTを活用した職員の早期帰宅勧奨" for s in {e.section for e in tottori})
    assert any("時間外勤務5原則" in e.body for e in tottori)  # NFKC-normalized text


# --- translations (knowledge/README.md) ----------------------------------------------------------

def test_faq_translation_columns_in_the_table(tmp_path):
    text = ("ID,問い合わせ文,応答文,問い合わせ文_en,応答文_en,応答文_zh-Hans,やさしい日本語\n"
            "1,ごみの日は？,月曜です。,When is garbage day?,On Mondays.,星期一。,\n"
            "2,税は？,5月です。,,,,はい\n")
    first, second = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META).entries
    assert first.translation("en") == ("When is garbage day?", "On Mondays.")
    assert first.translation("zh-Hans") == ("", "星期一。") and first.translation("ko") is None
    assert first.body == "月曜です。" and not first.easy_japanese
    assert second.translations == () and second.easy_japanese


def test_faq_translations_in_a_sidecar_file_leave_the_open_data_table_as_it_is(tmp_path):
    write(tmp_path, "faq.csv", (HEADER + "A-7,ごみの日は？,月曜です。,ごみ\n").encode("cp932"))
    sidecar = write(tmp_path, "faq.translations.csv",
                    "ID,問い合わせ文_en,応答文_en\nA-7,When is garbage day?,On Mondays.\n".encode())
    [entry] = load_knowledge_file(tmp_path / "faq.csv", META).entries
    assert entry.translation("en") == ("When is garbage day?", "On Mondays.")
    assert load_knowledge_file(sidecar, META).entries == []  # read with its table, no entries of its own


def test_guide_translations_attach_to_their_sections(knowledge_dir):
    entries = {e.id: e for e in load_knowledge_file(knowledge_dir / "guides" / "large-garbage.md", META).entries}
    assert entries["large-garbage#料金"].translation("en") == (
        "Large garbage: items and fees Fees",
        "One large-garbage ticket costs 300 yen. The number of tickets needed depends on the item.")
    assert entries["large-garbage#粗大ごみとは"].translation("en")[1].startswith("Furniture")
    assert load_knowledge_file(knowledge_dir / "guides" / "large-garbage.en.md", META).entries == []


def test_guide_translation_by_file_name_matches_sections_in_order(tmp_path):
    write(tmp_path, "g.md", "# 案内\n\n## 受付\n窓口で受け付けます。\n\n## 料金\n無料です。\n".encode())
    write(tmp_path, "g.pt.md", "# Guia\n\n## Atendimento\nNo balcão.\n\n## Taxa\nGrátis.\n".encode())
    write(tmp_path, "g.easy.md", "---\ntitle: やさしい\neasy_japanese: yes\n---\n## 受付\nまどぐちです。\n".encode())
    entries = load_knowledge_file(tmp_path / "g.md", META).entries
    assert [e.translation("pt") for e in entries] == [("Guia Atendimento", "No balcão."), ("Guia Taxa", "Grátis.")]
    easy = load_knowledge_file(tmp_path / "g.easy.md", META).entries
    assert easy and all(e.easy_japanese for e in easy)  # 'easy' is no language code: a guide of its own


def test_html_in_faq_cells_is_imported_as_plain_text(tmp_path):
    text = (HEADER + '7,"犬の<b>登録</b>は？","30日以内に<br>\n保健所で。<a href=""https://x.example/dog"">詳しくはこちら</a>",ペット\n'
            + '8,空?,<br>,ペット\n')
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode("cp932")), META)
    [entry] = loaded.entries
    assert entry.title == "犬の登録は？"
    assert entry.body == "30日以内に\n保健所で。詳しくはこちら（https://x.example/dog）"
    # An answer that is only markup is empty, reported with its line (the file's 4th: row 2 spans two).
    assert [(p.line, p.message) for p in loaded.problems] == [(4, "応答文（回答）が空です")]


@pytest.mark.parametrize("header, expected", [
    ("No.,問い合わせ文,応答文", ["7"]), ("項番,質問,回答", ["7"]), ("通番,質問,回答", ["7"]),
    ("Ｎｏ．,質問,回答", ["7"]), ("問い合わせ（質問）,応答（回答）", ["faq-2"]),
    ("問合せ（質問）,回答（応答）", ["faq-2"]),
])
def test_id_and_text_headers_cities_use(tmp_path, header, expected):
    columns = header.count(",") + 1
    row = "7,犬の登録は？,保健所です。" if columns == 3 else "犬の登録は？,保健所です。"
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", f"{header}\n{row}\n".encode()), META)
    assert [e.id for e in loaded.entries] == expected and loaded.entries[0].body == "保健所です。"


def test_the_standard_open_data_faq_layout_with_a_department_column(tmp_path):
    # 自治体標準オープンデータセット style: code and city name first, the answering department by name.
    text = ("全国地方公共団体コード,ID,地方公共団体名,問合せ（質問）,回答（応答）,カテゴリ,回答部署,URL\n"
            "012345,F-1,かすみ野市,犬の登録は？,保健所です。,ペット,環境課,https://x.example/dog\n")
    [entry] = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META).entries
    assert (entry.id, entry.title, entry.body, entry.category, entry.department) == (
        "F-1", "犬の登録は？", "保健所です。", "ペット", "環境課")


def test_an_id_column_wins_over_a_row_number_beside_it(tmp_path):
    text = "No,ID,問い合わせ文,応答文\n1,A-7,ごみの日は？,月曜です。\n2,A-9,税は？,5月です。\n"
    assert [e.id for e in load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META).entries] == ["A-7", "A-9"]


def test_a_row_shifted_by_an_unquoted_comma_is_reported_and_skipped(tmp_path):
    text = ("ID,質問,回答,カテゴリ,対象\nB-1,ごみの日は？,月曜です。,ごみ,市民\n"
            "S-1,庁内システムの初期パスワードは？,初期値は別紙,変更は情報政策課,,職員向け\nB-3,税は？,5月です。,税,市民\n")
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    # Every cell after the shift is in the wrong column, 対象 included: the row is never guessed.
    assert [e.id for e in loaded.entries] == ["B-1", "B-3"]
    assert [p.line for p in loaded.problems] == [3] and "見出しより多い列" in loaded.problems[0].message
    # Unnamed columns on most rows are the file's own (notes): nothing to report.
    notes = HEADER + "C-1,ごみの日は？,月曜です。,ごみ,メモ\nC-2,税は？,5月です。,税,メモ\n"
    assert load_knowledge_file(write(tmp_path, "notes.csv", notes.encode()), META).problems == []
    # ... unless a number is cut at its thousands separator: then most rows are broken, not annotated.
    fees = (HEADER + "P1,犬の登録手数料は,手数料は3,000円です。,動物\nP2,鑑札の再交付は,再交付手数料は1,600円です。,動物\n"
            "P3,注射済票の手数料は,550円です。,動物\n")
    loaded = load_knowledge_file(write(tmp_path, "fees.csv", fees.encode()), META)
    assert [e.id for e in loaded.entries] == ["P3"] and [p.line for p in loaded.problems] == [2, 3]
    # Note columns that hold numbers beside each other are still notes.
    dated = HEADER + "".join(f"C-{n},ごみの日は？{n},月曜です。,ごみ,2024-04-01,123\n" for n in range(3))
    assert load_knowledge_file(write(tmp_path, "dated.csv", dated.encode()), META).problems == []


def test_windows_line_ends_inside_cells_and_a_header_only_file(tmp_path):
    text = HEADER + '1,"ごみの日は？","月曜です。\r\n朝8時までに。",ごみ\r\n'
    [entry] = load_knowledge_file(write(tmp_path, "faq.csv", text.encode("cp932")), META).entries
    assert entry.body == "月曜です。\n朝8時までに。"
    with pytest.raises(KnowledgeFileError, match="見出しの行だけ"):
        load_knowledge_file(write(tmp_path, "empty.csv", HEADER.encode()), META)


def test_xlsx_first_visible_sheet_with_rows_and_ids_shown_with_leading_zeros(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    example = workbook.active
    example.title = "記入例"
    example.append(["ID", "問い合わせ文", "応答文", "カテゴリ"])  # a header and no rows: passed over
    hidden = workbook.create_sheet("庁内用")
    hidden.sheet_state = "hidden"
    hidden.append(["ID", "問い合わせ文", "応答文"])
    hidden.append(["S1", "VPNの接続方法は？", "初期パスワードは…"])
    for title, rows in (("市民課", [(7, "住民票は？", "市民課です。"), (8, "印鑑登録は？", "市民課です。")]),
                        ("旧FAQ", [(9, "ごみの日は？", "月曜です。")])):
        sheet = workbook.create_sheet(title)
        sheet.append(["ID", "問い合わせ文", "応答文", "カテゴリ"])
        for number, question, answer in rows:
            sheet.append([number, question, answer, title])
            sheet.cell(row=sheet.max_row, column=1).number_format = "0000"
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    loaded = load_knowledge_file(path, META)
    assert [e.id for e in loaded.entries] == ["0007", "0008"]
    # Another sheet with a table is reported, never imported; a hidden sheet is never read.
    assert [p.message for p in loaded.problems] == [
        "シート「旧FAQ」の表は取り込んでいません（取り込んだのはシート「市民課」だけです。ほかのシートは別のファイルに分けてください）"]


def test_excel_unicode_text_export_is_read_as_a_faq_table(tmp_path):
    # Excel's 「Unicode テキスト」: UTF-16 with a byte-order mark, tab-separated, saved as .txt.
    text = "ID\t問い合わせ文\t応答文\tカテゴリ\r\n0012\t犬の登録は？\t保健所です。\tペット\r\n"
    loaded = load_knowledge_file(write(tmp_path, "faq.txt", text.encode("utf-16")), META)
    assert [(e.id, e.kind, e.body) for e in loaded.entries] == [("0012", "faq", "保健所です。")]
    # A plan document in UTF-16 is a plan document.
    body = "第1章 基本方針\n" + "行政手続のオンライン化を進め、窓口の待ち時間を減らします。\n" * 5
    plan = load_knowledge_file(write(tmp_path, "plan.txt", body.encode("utf-16")), META)
    assert plan.entries and plan.entries[0].kind == "plan"


def test_audience_cells_as_written_and_unreadable_ones_reported_in_japanese(tmp_path):
    text = ("ID,問い合わせ文,応答文,対象\n1,ごみの日は？,月曜です。,市民向け\n2,残業の申請は？,前日までです。,職員向け\n"
            "3,会議室は？,予約します。,庁内用\n4,補助金は？,あります。,事業者\n5,窓口は？,1階です。,市民・職員\n")
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert [(e.id, e.audience) for e in loaded.entries] == [("1", "citizen"), ("2", "staff"), ("3", "staff"),
                                                           ("5", "all")]  # the admin UI's label for all
    assert [(p.line, p.message) for p in loaded.problems] == [
        (5, "対象「事業者」を読めません（市民、職員、全員（市民・職員）のいずれか、または citizen / staff / all）")]


def test_date_cells_are_stored_as_iso_dates_and_unreadable_ones_left_empty_with_a_note(tmp_path):
    text = ("ID,問い合わせ文,応答文,更新日,見直し期限\n1,ごみの日は？,月曜です。,令和6年4月1日,R7.3.31\n"
            "2,犬の登録は？,環境課です。,2024年4月,2025/4/1\n3,図書館は？,月曜休みです。,2026-13-40,随時\n")
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert [(e.id, e.updated, e.review_by) for e in loaded.entries] == [
        ("1", "2024-04-01", "2025-03-31"), ("2", "2024-04-01", "2025-04-01"), ("3", "", "")]
    assert [(p.line, p.kept) for p in loaded.problems] == [(4, True), (4, True)]
    assert "更新日「2026-13-40」を日付として読めないため、空欄のまま取り込みました" in loaded.problems[0].message
    assert "見直し期限「随時」" in loaded.problems[1].message


def test_the_leftmost_column_of_a_field_is_used_except_an_id_column(tmp_path):
    text = "No,分類,質問,回答,問い合わせ\n1,ごみ,粗大ごみの出し方は,申し込みます。,環境課 電話 000-0000\n"
    [entry] = load_knowledge_file(write(tmp_path, "a.csv", text.encode()), META).entries
    assert (entry.id, entry.title) == ("1", "粗大ごみの出し方は")
    text = "No,管理番号,質問,回答\n1,K-9,ごみの日は,月曜です。\n"
    assert load_knowledge_file(write(tmp_path, "b.csv", text.encode()), META).entries[0].id == "K-9"
    text = "No,番号,質問,回答\n1,K-9,ごみの日は,月曜です。\n"
    assert load_knowledge_file(write(tmp_path, "c.csv", text.encode()), META).entries[0].id == "1"


def test_a_tab_separated_text_export_with_commas_in_answers(tmp_path):
    text = "ID\t質問\t回答\n1\t粗大ごみの料金は？\t1,000円、1,500円、2,000円の3種類です。\n"
    [entry] = load_knowledge_file(write(tmp_path, "faq.txt", text.encode("utf-16")), META).entries
    assert entry.body == "1,000円、1,500円、2,000円の3種類です。"


def test_relative_links_in_answers_use_the_url_column(tmp_path):
    text = ('ID,問い合わせ文,応答文,URL\n1,ごみの日は？,"<a href=""/gomi/cal.html"">収集カレンダー</a>をご覧ください",'
            'https://www.city.example.jp/faq/1.html\n')
    [entry] = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META).entries
    assert entry.body == "収集カレンダー（https://www.city.example.jp/gomi/cal.html）をご覧ください"


def test_a_question_or_answer_longer_than_an_entry_may_be_is_a_row_problem(tmp_path):
    text = (f"ID,問い合わせ文,応答文\n1,ごみの日は？,月曜です。\n2,長い回答,{'あ' * 20001}\n"
            f"3,{'い' * 501},短い回答\n")
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert [e.id for e in loaded.entries] == ["1"]
    assert [(p.line, p.message) for p in loaded.problems] == [
        (3, "応答文（回答）が長すぎます（20,001文字。20,000文字以内にしてください）"),
        (4, "問い合わせ文（質問）が長すぎます（501文字。500文字以内にしてください）")]


def test_relative_links_without_a_url_column_use_the_site_the_files_own_links_name(tmp_path):
    text = ('ID,問い合わせ文,応答文\n1,ごみの日は？,"<a href=""/gomi/cal.html"">収集カレンダー</a>をご覧ください"\n'
            '2,戸籍は？,"<a href=""https://www.city.minato.example.lg.jp/koseki/"">戸籍のページ</a>"\n'
            '3,国保は？,"<a href=""https://www.mhlw.go.jp/a/"">厚生労働省</a>、<a href=""https://www.mhlw.go.jp/b/"">'
            '年金</a>と<a href=""https://www.city.minato.example.lg.jp/kokuho/"">国保のページ</a>"\n')
    entries = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META).entries
    assert entries[0].body == "収集カレンダー（https://www.city.minato.example.lg.jp/gomi/cal.html）をご覧ください"
    # The site only completes links: the entries keep no page URL of their own.
    assert entries[0].url == ""
    alone = 'ID,問い合わせ文,応答文\n1,ごみの日は？,"<a href=""/gomi/cal.html"">収集カレンダー</a>をご覧ください"\n'
    [entry] = load_knowledge_file(write(tmp_path, "b.csv", alone.encode()), META).entries
    assert entry.body == "収集カレンダーをご覧ください"


def test_a_url_cell_that_is_no_web_page_is_left_out_with_a_note_and_a_path_completed(tmp_path):
    text = ("ID,問い合わせ文,応答文,URL\n1,ごみの日は？,月曜です。,javascript:alert(document.cookie)\n"
            "2,犬の登録は？,環境課です。,なし\n3,図書館は？,月曜休みです。,/kurashi/tosho/\n"
            "4,税は？,5月です。,https://www.city.example.lg.jp/zei/\n")
    loaded = load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert [(e.id, e.url) for e in loaded.entries] == [
        ("1", ""), ("2", ""), ("3", "https://www.city.example.lg.jp/kurashi/tosho/"),
        ("4", "https://www.city.example.lg.jp/zei/")]
    assert [(p.line, p.kept) for p in loaded.problems] == [(2, True), (3, True)]
    assert "URL「javascript:alert(document.cookie)」は http:// または https:// で始まらない" in loaded.problems[0].message


def test_a_table_without_an_answer_column_says_which_column_is_missing_and_where(tmp_path):
    text = "市のFAQ一覧\nID,問い合わせ文,カテゴリ\n1,ごみの日は？,ごみ\n"
    with pytest.raises(KnowledgeFileError) as error:
        load_knowledge_file(write(tmp_path, "faq.csv", text.encode()), META)
    assert error.value.line == 2
    assert "回答（応答文）の列が見つかりません（この行の見出し: ID、問い合わせ文、カテゴリ" in str(error.value)
