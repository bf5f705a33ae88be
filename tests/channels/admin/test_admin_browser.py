"""End to end in headless Chromium: log in, import with a bad row, fix and apply, edit an entry and
see the bot's answer change, answer a review-queue item, export the open-data CSV.

Set MADOGUCHI_SCREENSHOTS=docs to write the screenshots of the main pages to docs/admin-*.png.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from indexing.storage.knowledge import KnowledgeStore
from admin_support import EDITOR, add_users, make_app, make_runtime

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

BAD_CSV = ("ID,問い合わせ文,応答文,カテゴリ,所管課\n"
           "K01,母子手帳の再交付はできますか？,こども家庭課の窓口で再交付できます。,子育て,こども家庭課\n"
           "K02,子どもの予防接種の予約方法は？,,子育て,こども家庭課\n"
           "K03,一時預かりの利用料金は？,1時間あたり500円です。,子育て,こども家庭課\n")
FIXED_CSV = BAD_CSV.replace(",,子育て", ",医療機関に直接予約してください。,子育て")
NEW_ANSWER = "粗大ごみは前日の正午までに電話で申し込み、処理券を貼って出してください。"


@pytest.fixture
def server(backend_data_dir):
    import uvicorn

    add_users(backend_data_dir)
    runtime = make_runtime(backend_data_dir)
    for question in ("パスポートを作りたい", "パスポートはどこで作れますか", "パスポートを作りたい"):
        runtime.bot.ask(question, channel="line", user_id="u1")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(make_app(runtime), log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        threading.Event().wait(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", runtime
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_dx_office_workflow_in_a_real_browser(server, browser, tmp_path):
    base, runtime = server
    shots = Path(os.environ.get("MADOGUCHI_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15000)
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    shot = lambda name: page.screenshot(path=str(shots / f"admin-{name}.png"), full_page=True)  # noqa: E731

    # Log in with the keyboard only; the login page is where an anonymous visitor lands.
    page.goto(base + "/admin/entries")
    assert "/admin/login" in page.url
    shot("login")
    page.get_by_label("ユーザー名").focus()
    page.keyboard.type(EDITOR[0])
    page.keyboard.press("Tab")
    page.keyboard.type(EDITOR[1])
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/entries")
    assert page.get_by_role("heading", name="ナレッジ").is_visible()
    shot("entries")

    # Import a CSV with one bad row: the preview shows the line; nothing is applied yet.
    bad, fixed = tmp_path / "bad" / "kosodate.csv", tmp_path / "fixed" / "kosodate.csv"
    for path, text in ((bad, BAD_CSV), (fixed, FIXED_CSV)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    page.get_by_role("link", name="取り込み", exact=True).click()
    shot("import")
    page.get_by_label("ファイル", exact=False).first.set_input_files(str(bad))
    page.get_by_label("更新日").fill("2026-04-01")
    page.get_by_label("見直し期限").fill("2027-03-31")
    page.get_by_role("button", name="プレビューを表示").click()
    problems = page.locator("#problems")
    assert "3 行目: 応答文（回答）が空です" in problems.inner_text()
    assert KnowledgeStore(runtime.settings.data_dir).get("K01") is None
    shot("import-preview")
    # Fix the file and choose it again, then apply.
    page.get_by_label("修正したファイルを選び直す").set_input_files(str(fixed))
    page.get_by_role("button", name="選び直してプレビュー").click()
    assert page.locator("#problems").count() == 0 and "追加されるエントリ（3 件）" in page.content()
    page.get_by_role("button", name="反映する").click()
    assert page.get_by_role("heading", name="取り込みを反映しました").first.is_visible()
    store = KnowledgeStore(runtime.settings.data_dir)
    assert store.get("K02").body == "医療機関に直接予約してください。" and store.get("K02").review_by == "2027-03-31"
    assert runtime.bot.answer("予防接種はどう予約する？").sources[0].id == "K02"

    # Edit an entry: the running bot answers with the edit on the next question.
    page.get_by_role("link", name="ナレッジ", exact=True).click()
    page.get_by_label("キーワード・ID").fill("粗大ごみ")
    page.get_by_label("種類").select_option("faq")
    page.get_by_role("button", name="絞り込む").click()
    page.get_by_role("link", name="101", exact=True).click()
    page.get_by_role("link", name="編集する").click()
    shot("entry-edit")
    page.get_by_label("回答").fill(NEW_ANSWER)
    page.get_by_role("button", name="保存する").click()
    assert "変更を保存しました" in page.get_by_role("status").first.inner_text()
    assert "editor1" in page.locator("table").inner_text()  # history: who and when
    shot("entry")
    assert runtime.bot.answer("粗大ごみの出し方は？").text == NEW_ANSWER
    page.get_by_role("link", name="この質問で回答を試す").click()
    assert page.locator("#answer-text").inner_text() == NEW_ANSWER

    # Review queue: answer the passport questions with a new FAQ pre-filled with the question.
    page.get_by_role("link", name="ホーム").click()
    shot("home")
    page.get_by_role("link", name="レビュー待ち", exact=True).click()
    passport = page.get_by_role("heading", name="パスポートを作りたい")
    assert passport.inner_text().replace("\n", "") == "3件パスポートを作りたい"
    shot("review")
    page.get_by_role("link", name="新しい FAQ として回答する").first.click()
    assert page.get_by_label("質問").input_value() == "パスポートを作りたい"
    page.get_by_label("回答").fill("パスポートは県の旅券センター（市役所1階）で申請できます。")
    page.get_by_label("所管課").fill("総合案内")
    page.get_by_role("button", name="作成する").click()
    assert "レビュー項目を完了にしました" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("heading", name="パスポートを作りたい").count() == 0
    assert "旅券センター" in runtime.bot.answer("パスポートはどこで作れますか").text

    # The freshness page, then the open-data export.
    page.get_by_role("link", name="見直し期限").click()
    shot("stale")
    page.get_by_role("link", name="ナレッジ", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="オープンデータ CSV をダウンロード").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("全国地方公共団体コード,ID,地方公共団体名,問い合わせ文,応答文,カテゴリ")
    assert NEW_ANSWER in text and "K02" in text and "旅券センター" in text

    page.get_by_role("link", name="レポート").click()
    shot("reports")
    page.get_by_role("button", name="ログアウト").click()
    page.goto(base + "/admin/")
    assert "/admin/login" in page.url
    assert not console_errors, console_errors  # e.g. a CSP violation would show here
    context.close()
