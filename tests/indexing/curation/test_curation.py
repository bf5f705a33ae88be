"""indexing.curation: edits take effect on the next question, history, import preview/apply, freshness."""
from __future__ import annotations

from datetime import date

import pytest

from bot.service import Bot
from indexing.curation import admin_import, editing, listing, review_digest, validation
from indexing.dates import city_today
from indexing.storage.knowledge import KnowledgeStore

FRESH = {"department": "総合案内", "updated": "2026-04-01", "review_by": "2027-03-31"}


@pytest.fixture
def store(fresh_data_dir):
    return KnowledgeStore(fresh_data_dir)


def test_edit_changes_the_answer_of_a_running_bot_without_restart(fresh_data_dir, store):
    bot = Bot(fresh_data_dir)
    assert "朝8時まで" in bot.answer("粗大ごみの出し方は？").text
    version = store.knowledge_version()
    entry, changed = editing.update_entry(store, "101", {"body": "粗大ごみは前日の夜までに申し込んでください。"},
                                           changed_by="sato")
    assert changed and store.knowledge_version() > version
    assert entry.updated == city_today().isoformat()  # text changed, date left as it was → today (in Japan)
    answer = bot.answer("粗大ごみの出し方は？")
    assert answer.sources[0].id == "101" and answer.text == "粗大ごみは前日の夜までに申し込んでください。"
    [latest, *_] = store.history("101")
    assert latest["action"] == "edited" and latest["changed_by"] == "sato"
    assert editing.update_entry(store, "101", {"body": entry.body}, changed_by="sato")[1] is False


def test_create_retire_restore(fresh_data_dir, store):
    bot = Bot(fresh_data_dir)
    entry = editing.create_entry(store, {"title": "パスポートの申請はどこでできますか？",
                                          "body": "市民課のパスポート窓口で申請できます。", "category": "旅券", **FRESH},
                                  changed_by="sato")
    assert entry.id == "111" and entry.source == editing.ADMIN_SOURCE and entry.audience == "citizen"
    assert bot.search("パスポートを作りたい", top=1)[0].entry.id == "111"
    assert editing.retire_entry(store, "111", changed_by="suzuki")
    assert all(h.entry.id != "111" for h in bot.search("パスポートを作りたい", top=10))
    assert store.get("111").status == "retired"  # never hard-deleted
    with pytest.raises(validation.CurationError) as error:  # ids are never reused
        editing.create_entry(store, {"title": "q", "body": "a", **FRESH}, "sato", entry_id="111")
    assert "すでに使われています" in error.value.errors["id"]
    with pytest.raises(validation.CurationError) as error:  # /admin/entries/new is the form, not an entry
        editing.create_entry(store, {"title": "q", "body": "a", **FRESH}, "sato", entry_id="New")
    assert "管理画面で使うため" in error.value.errors["id"]
    assert editing.restore_entry(store, "111", changed_by="suzuki")
    assert bot.search("パスポートを作りたい", top=1)[0].entry.id == "111"
    actions = [(h["action"], h["changed_by"]) for h in editing.entry_history(store, "111")]
    assert actions == [("restored", "suzuki"), ("retired", "suzuki"), ("created", "sato")]


def test_validation_requires_freshness_fields(store):
    with pytest.raises(validation.CurationError) as error:
        editing.create_entry(store, {"title": "", "body": "a", "updated": "2026-13-40", "review_by": "",
                                      "department": "", "url": "javascript:alert(1)"}, "sato")
    assert set(error.value.errors) == {"title", "updated", "review_by", "department", "url"}
    with pytest.raises(validation.CurationError) as error:
        editing.update_entry(store, "101", {"updated": "2026-04-01", "review_by": "2026-03-01"}, "sato")
    assert "review_by" in error.value.errors
    assert validation.parse_date("2026年4月1日") == date(2026, 4, 1) == validation.parse_date("2026/4/1")


def test_alternate_phrasing_is_embedded_and_found(fresh_data_dir, store):
    bot = Bot(fresh_data_dir)
    phrasing = "ワンちゃんを家族に迎えたら役所に何か届けるの？"
    assert editing.add_alternate(store, "109", phrasing, changed_by="sato")
    assert store.get("109").alternates == (phrasing,)
    assert bot.search(phrasing, top=1)[0].entry.id == "109"
    assert not editing.add_alternate(store, "109", phrasing + " ", changed_by="sato")  # already there
    with pytest.raises(validation.CurationError):
        editing.add_alternate(store, "overtime#申請の期限", "残業の申請", changed_by="sato")  # not an FAQ


def test_find_entries_filters_and_pages(store):
    page = listing.find_entries(store, listing.EntryFilter(kind="faq"), per_page=4)
    assert page.total == 10 and page.pages == 3 and [e.id for e in page.entries] == ["101", "102", "103", "104"]
    found = listing.find_entries(store, listing.EntryFilter(query="粗大ゴミ", kind="faq")).entries
    assert [e.id for e in found] == ["101"]
    staff = listing.find_entries(store, listing.EntryFilter(audience="staff")).entries
    assert staff and all(e.audience == "staff" for e in staff)
    stale = listing.find_entries(store, listing.EntryFilter(stale=True), today=date(2026, 7, 1)).entries
    assert {e.id for e in stale} == {e.id for e in store.entries() if e.review_by and e.review_by < "2026-07-01"}


def test_freshness_digest_per_department(store):
    digest = review_digest.freshness_digest(store, today=date(2026, 7, 1))
    assert "職員課" in digest.by_department  # the overtime guide's review-by is 2026-06-30
    assert all(e.review_by < "2026-07-01" for entries in digest.by_department.values() for e in entries)
    text = review_digest.format_digest(digest)
    assert "■ 職員課" in text and "見直し期限 2026-06-30" in text
    assert review_digest.freshness_digest(store, today=date(2026, 4, 2)).total == 0


CSV_HEADER = "ID,問い合わせ文,応答文,カテゴリ\n"


def test_preview_shows_added_changed_retired_and_bad_rows_without_changing_anything(tmp_path, store):
    upload = tmp_path / "city-faq.csv"
    upload.write_text(CSV_HEADER + "101,粗大ごみはどうやって出せばいいですか？,新しい回答です。,ごみ・リサイクル\n"
                                   "201,新しい質問？,新しい回答。,くらし\n"
                                   "202,回答のない質問？,,くらし\n", encoding="utf-8")
    version = store.knowledge_version()
    plan = admin_import.preview_import(store, [upload], source_keys={"city-faq.csv": "faq/city-faq.csv"},
                                   defaults=FRESH)
    assert [e.id for e in plan.added] == ["201"] and plan.added[0].department == "総合案内"
    assert [(c.after.id, "body" in c.fields) for c in plan.changed] == [("101", True)]
    assert sorted(e.id for e in plan.retired) == [str(i) for i in range(102, 111)]
    assert [(p.line, p.path) for p in plan.problems] == [(4, "city-faq.csv")] and "応答文" in plan.problems[0].message
    assert plan.can_apply and store.knowledge_version() == version and store.get("201") is None

    result = admin_import.apply_import(store, [upload], changed_by="sato",
                                       source_keys={"city-faq.csv": "faq/city-faq.csv"}, defaults=FRESH)
    assert result.applied and store.get("201").status == "active" and store.get("105").status == "retired"
    assert store.history("201")[0]["changed_by"] == "sato" and store.knowledge_version() > version


def test_preview_of_an_unreadable_file_reports_the_line_and_apply_refuses(tmp_path, store):
    broken = tmp_path / "broken.csv"
    broken.write_text('ID,問い合わせ文,応答文\n1,"unterminated,回答\n', encoding="utf-8")
    plan = admin_import.preview_import(store, [broken])
    assert not plan.can_apply and plan.errors[0][0] == "broken.csv"
    with pytest.raises(validation.CurationError):
        admin_import.apply_import(store, [broken], changed_by="sato")


def test_preview_of_a_guide_upload(tmp_path, store):
    guide = tmp_path / "overtime.md"
    guide.write_text("---\naudience: staff\n---\n# 時間外勤務のルール\n\n## 申請の期限\n午後4時までに申請します。\n",
                     encoding="utf-8")
    plan = admin_import.preview_import(store, [guide], source_keys={"overtime.md": "guides/overtime.md"})
    assert [c.after.id for c in plan.changed] == ["overtime#申請の期限"]
    assert [e.id for e in plan.retired] == ["overtime#時間外勤務５原則"]


def test_next_entry_id_follows_the_numbering(store):
    assert validation.next_entry_id(store) == "111"


def test_preview_reports_an_id_that_two_uploaded_files_share(tmp_path, store):
    first, second = tmp_path / "kosodate.csv", tmp_path / "kurashi.csv"
    first.write_text(CSV_HEADER + "301,保育園の見学はできますか？,できます。,子育て\n", encoding="utf-8")
    second.write_text(CSV_HEADER + "302,犬の登録は？,生活環境課で受け付けます。,くらし\n"
                                   "301,図書館の休館日は？,月曜日です。,施設\n", encoding="utf-8")
    plan = admin_import.preview_import(store, [first, second])
    assert sorted(e.id for e in plan.added) == ["301", "302"]
    assert [e.title for e in plan.added if e.id == "301"] == ["保育園の見学はできますか？"]
    assert [(p.path, p.line) for p in plan.problems] == [("kurashi.csv", 3)] and "kosodate.csv:2" in plan.problems[0].message
    admin_import.apply_import(store, [first, second], changed_by="sato")
    assert store.get("301").title == "保育園の見学はできますか？"


@pytest.mark.parametrize("typed, read", [
    ("令和6年4月1日", "2024-04-01"), ("令和元年5月1日", "2019-05-01"), ("R6.4.1", "2024-04-01"),
    ("H31/3/31", "2019-03-31"), ("平成３１年３月３１日", "2019-03-31"), ("平成31年4月31日", None),
    ("R0.4.1", None), ("H0.1.1", None), ("平成1年1月7日", None), ("平成元年1月8日", "1989-01-08"),
    ("平成32年3月31日", "2020-03-31"),  # written before 令和 was announced
    # A month alone, as many published FAQs write 更新日: its first day (an era's first month from its first day).
    ("2024年4月", "2024-04-01"), ("R7.3", "2025-03-01"), ("令和元年5月", "2019-05-01"), ("平成元年1月", "1989-01-08"),
    ("20240401", "2024-04-01"), ("2024-04-01 09:30:00", "2024-04-01"), ("2026-13-40", None), ("随時", None),
    ("2024", None), ("2024年4月1日(月)", "2024-04-01"), ("令和6年4月1日（月曜日）", "2024-04-01"),
    ("2024年4月1日更新", "2024-04-01"), ("2024/4/1 現在", "2024-04-01"), ("2024年4月1日(x)", None),
    ("2024年4月更新", "2024-04-01"), ("令和6年4月現在", "2024-04-01"), ("2024年4月1日改定", "2024-04-01"),
    ("2024年4月1日(月・祝)", "2024-04-01"), ("2024/4/1(Mon)", "2024-04-01"), ("2024年4月1日 月曜日", "2024-04-01"),
])
def test_era_dates_as_cities_write_them(typed, read):
    from indexing.dates import parse_date

    assert (parse_date(typed).isoformat() if parse_date(typed) else None) == read


def test_html_pasted_into_the_admin_form_is_kept_as_plain_text():
    clean = validation.validate_fields({
        "title": "粗大ごみの<b>出し方</b>は？", "url": "https://www.city.example.lg.jp/gomi/",
        "body": "<p>電話で申し込みます。</p><p>詳しくは<a href=\"/gomi/sodai.html\">こちら</a></p><script>x()</script>"})
    assert clean["title"] == "粗大ごみの出し方は？"
    assert "<" not in clean["body"] and "電話で申し込みます。" in clean["body"]
    assert "こちら（https://www.city.example.lg.jp/gomi/sodai.html）" in clean["body"] and "x()" not in clean["body"]
    assert validation.validate_fields({"body": "3歳<6歳の子ども"})["body"] == "3歳<6歳の子ども"
