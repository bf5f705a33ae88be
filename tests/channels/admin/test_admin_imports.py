"""Imports from the browser (without a browser): Excel and plan uploads, unreadable files, skipping bad rows."""
from __future__ import annotations

import io

import pytest

from indexing.storage.knowledge import KnowledgeStore
from admin_support import add_users, logged_in_client, make_app, make_runtime


@pytest.fixture
def client_and_store(backend_data_dir):
    add_users(backend_data_dir)
    client, token = logged_in_client(make_app(make_runtime(backend_data_dir, with_log=False)))
    return client, token, KnowledgeStore(backend_data_dir)


def _upload(client, token, name, data, **fields):
    response = client.post("/admin/imports", data={"csrf_token": token, **fields}, files={"file": (name, data)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_excel_upload_replaces_the_file_of_the_same_name(client_and_store):
    from openpyxl import Workbook

    client, token, store = client_and_store
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "問い合わせ文", "応答文", "カテゴリ"])
    sheet.append([101, "粗大ごみはどうやって出せばいいですか？", "電話で申し込んでください。", "ごみ・リサイクル"])
    sheet.append([102, "燃えるごみの収集日はいつですか？", "", "ごみ・リサイクル"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview_url = _upload(client, token, "city-faq.xlsx", buffer.getvalue(), source="faq/city-faq.csv",
                          department="総合案内", updated="2026-05-01", review_by="2027-05-01")
    preview = client.get(preview_url)
    assert "3 行目: 応答文（回答）が空です" in preview.text and "取り込み元「faq/city-faq.csv」" in preview.text
    assert "廃止されるエントリ（9 件）" in preview.text  # 102 (bad row) and 103..110 are not in the file
    apply_url = preview_url + "/apply"
    refused = client.post(apply_url, data={"csrf_token": token})
    assert refused.status_code == 400 and "チェックを入れてください" in refused.text
    assert store.get("101").body != "電話で申し込んでください。"
    done = client.post(apply_url, data={"csrf_token": token, "skip_problems": "1"})
    assert done.status_code == 200 and "取り込みを反映しました" in done.text
    assert store.get("101").body == "電話で申し込んでください。" and store.get("110").status == "retired"
    assert client.get(preview_url).status_code == 404  # the upload is gone once applied


def test_plan_text_upload_and_an_unreadable_file(client_and_store):
    client, token, store = client_and_store
    plan = "第1章 はじめに\n1.1. 目的\n本計画は窓口のオンライン化を進めるためのものです。\n".encode()
    preview = client.get(_upload(client, token, "online-plan.txt", plan, audience="all", department="DX推進課",
                                 updated="2026-04-01", review_by="2027-03-31"))
    assert "追加されるエントリ" in preview.text and "online-plan#" in preview.text
    broken_url = _upload(client, token, "broken.csv", '"ID,問い合わせ文\n1,"x\n'.encode())
    broken = client.get(broken_url)
    assert "ファイルを読み込めません" in broken.text and "反映する</button>" not in broken.text
    assert client.post(broken_url + "/discard", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get(broken_url).status_code == 404
    assert not [e for e in store.entries() if e.id.startswith("online-plan")]  # nothing applied yet


def test_a_row_with_an_unreadable_date_is_imported_with_a_note_and_no_tick_box(client_and_store):
    client, token, store = client_and_store
    data = ("ID,問い合わせ文,応答文,カテゴリ,更新日,見直し期限\n"
            "101,粗大ごみはどうやって出せばいいですか？,電話で申し込んでください。,ごみ,令和8年4月1日,2026-13-40\n").encode()
    preview_url = _upload(client, token, "gomi.csv", data, source="faq/gomi.csv", department="環境課",
                          updated="2026-05-01", review_by="2027-05-01")
    preview = client.get(preview_url)
    assert "注意のある行（1 件、取り込みます）" in preview.text and "見直し期限「2026-13-40」" in preview.text
    assert 'name="skip_problems"' not in preview.text
    done = client.post(preview_url + "/apply", data={"csrf_token": token})
    assert done.status_code == 200 and "見直し期限「2026-13-40」" in done.text  # the note stays on the result
    # The readable date is stored as YYYY-MM-DD; the unreadable one falls back to the upload's default.
    assert (store.get("101").updated, store.get("101").review_by) == ("2026-04-01", "2027-05-01")


def test_a_long_apply_shows_its_progress_until_it_is_done(client_and_store, monkeypatch):
    """An apply that outlasts the request's wait goes on beside it; the progress page reloads until the result."""
    import threading

    from channels.admin import import_views
    from indexing.curation import admin_import

    client, token, store = client_and_store
    release, real_apply = threading.Event(), admin_import.apply_import

    def slow_apply(*args, progress=None, **kwargs):
        progress("embedding 120/1800 (45/s, ETA 37 s)")
        assert release.wait(30)
        return real_apply(*args, progress=progress, **kwargs)

    monkeypatch.setattr(admin_import, "apply_import", slow_apply)
    monkeypatch.setattr(import_views, "APPLY_WAIT_SECONDS", 0.05)
    csv = "ID,問い合わせ文,応答文\n101,粗大ごみはどうやって出せばいいですか？,電話で申し込んでください。\n".encode()
    preview_url = _upload(client, token, "city-faq.csv", csv, source="faq/city-faq.csv")
    started = client.post(preview_url + "/apply", data={"csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].endswith("/progress")
    page = client.get(started.headers["location"])
    assert page.status_code == 200 and page.headers["Refresh"] == "2" and "反映しています" in page.text
    assert "120 / 1,800 件" in page.text and "残り約 37 秒" in page.text
    # A second click while it runs starts nothing new: it waits on the same apply.
    again = client.post(preview_url + "/apply", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and store.get("101").body != "電話で申し込んでください。"
    release.set()
    for _ in range(200):
        page = client.get(started.headers["location"])
        if "取り込みを反映しました" in page.text:
            break
        threading.Event().wait(0.05)
    assert page.status_code == 200 and "取り込みを反映しました" in page.text and "Refresh" not in page.headers
    assert store.get("101").body == "電話で申し込んでください。"
    assert client.get(preview_url).status_code == 404  # the upload is gone once applied


def test_an_apply_that_fails_keeps_the_upload_and_says_why(client_and_store, monkeypatch):
    from indexing.curation import admin_import

    client, token, store = client_and_store

    def failing_apply(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(admin_import, "apply_import", failing_apply)
    csv = "ID,問い合わせ文,応答文\n101,粗大ごみはどうやって出せばいいですか？,電話で申し込んでください。\n".encode()
    preview_url = _upload(client, token, "city-faq.csv", csv, source="faq/city-faq.csv")
    failed = client.post(preview_url + "/apply", data={"csrf_token": token})
    assert failed.status_code == 400 and "予期しないエラー" in failed.text and "disk full" not in failed.text
    assert client.get(preview_url).status_code == 200  # the upload is kept: the editor may try again


def test_retiring_most_of_a_source_needs_a_second_confirmation(client_and_store):
    client, token, store = client_and_store
    rows = "".join(f"{900 + i},質問{i}はどこですか,回答{i}です。\n" for i in range(12))
    whole = _upload(client, token, "big.csv", f"ID,問い合わせ文,応答文\n{rows}".encode(), source="__new__")
    assert client.post(whole + "/apply", data={"csrf_token": token}).status_code == 200
    # The same file name with one row: 11 of 12 entries would be retired.
    one_row = _upload(client, token, "big.csv", "ID,問い合わせ文,応答文\n900,質問0はどこですか,回答0です。\n".encode())
    preview = client.get(one_row)
    assert "取り込み元のエントリの大半が廃止されます" in preview.text and 'name="confirm_retirement"' in preview.text
    refused = client.post(one_row + "/apply", data={"csrf_token": token})
    assert refused.status_code == 400 and "確認のチェック" in refused.text and store.get("905").status == "active"
    done = client.post(one_row + "/apply", data={"csrf_token": token, "confirm_retirement": "1"})
    assert done.status_code == 200 and store.get("905").status == "retired" and store.get("900").status == "active"


def test_a_click_on_apply_after_the_apply_ended_shows_that_apply(client_and_store, monkeypatch):
    """A second click (a double click, a resent form) that arrives once the first click's apply has ended and
    removed the file is shown that apply's result, not 「見つかりません」, and no second apply runs."""
    from indexing.curation import admin_import

    client, token, store = client_and_store
    csv = "ID,問い合わせ文,応答文\n101,粗大ごみはどうやって出せばいいですか？,電話で申し込んでください。\n".encode()
    preview_url = _upload(client, token, "city-faq.csv", csv, source="faq/city-faq.csv")
    real_apply, applies = admin_import.apply_import, []
    monkeypatch.setattr(admin_import, "apply_import", lambda *a, **k: applies.append(1) or real_apply(*a, **k))
    first = client.post(preview_url + "/apply", data={"csrf_token": token})
    second = client.post(preview_url + "/apply", data={"csrf_token": token})
    assert (first.status_code, second.status_code) == (200, 200)
    assert all("取り込みを反映しました" in r.text for r in (first, second)) and len(applies) == 1
    assert store.get("101").body == "電話で申し込んでください。"


def test_two_clicks_on_apply_show_one_apply_and_its_result(client_and_store, monkeypatch):
    """The second click's preview ends after the first click's apply removed the file: it is shown that apply's
    result, not a failure, and no second apply runs."""
    import threading

    from indexing.curation import admin_import

    client, token, store = client_and_store
    csv = "ID,問い合わせ文,応答文\n101,粗大ごみはどうやって出せばいいですか？,電話で申し込んでください。\n".encode()
    preview_url = _upload(client, token, "city-faq.csv", csv, source="faq/city-faq.csv")
    real_preview, real_apply, applies = admin_import.preview_import, admin_import.apply_import, []
    first_applied, calls = threading.Event(), []

    def preview(*args, **kwargs):
        if not threading.current_thread().name.startswith("import-"):  # a click's preview, not the apply's own
            calls.append(1)
            if len(calls) == 2:  # the second click's preview ends after the first click's apply
                assert first_applied.wait(30)
        return real_preview(*args, **kwargs)

    def apply(*args, **kwargs):
        applies.append(1)
        result = real_apply(*args, **kwargs)
        first_applied.set()
        return result

    monkeypatch.setattr(admin_import, "preview_import", preview)
    monkeypatch.setattr(admin_import, "apply_import", apply)
    responses = []
    clicks = [threading.Thread(target=lambda: responses.append(
        client.post(preview_url + "/apply", data={"csrf_token": token}))) for _ in range(2)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join(60)
    assert sorted(r.status_code for r in responses) == [200, 200]
    assert all("取り込みを反映しました" in r.text for r in responses) and len(applies) == 1
    assert store.get("101").body == "電話で申し込んでください。"
