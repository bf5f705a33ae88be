"""The web chat page and its JSON API on the real server (and in real headless Chromium)."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import json

import pytest

from fakes.server import serve_app

from indexing.settings import Settings
from channels.app import create_app
from channels.runtime import ConfigurationError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(module_data_dir):
    # Every test client is 127.0.0.1: rate limits are tested on their own in tests/channels/test_rate_limit.py.
    with serve_app(Settings(data_dir=module_data_dir, rate_limit_per_minute=0)) as running:
        yield running


def row(server, inquiry_id):
    return server.runtime.inquiry_log.get(inquiry_id)


# --- the page ----------------------------------------------------------------------------------
def test_page_is_accessible_self_contained_and_sets_a_user_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ja">' in html and 'name="viewport"' in html
    assert 'role="log"' in html and 'aria-live="polite"' in html and 'role="status"' in html
    assert re.search(r'<label for="question"[^>]*>', html) and 'id="question"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no CDN, nothing from elsewhere
    assert "script-src 'self'" in response.headers["content-security-policy"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("madoguchi_uid=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    for asset in ("/web/static/chat.js", "/web/static/chat.css"):
        assert client.get(asset).status_code == 200


def test_the_city_sites_named_in_embed_origins_may_show_the_chat_in_a_frame(module_data_dir):
    from channels.web.routes import security_headers

    assert "frame-ancestors 'none'" in client_headers(module_data_dir, {})["content-security-policy"]
    framed = client_headers(module_data_dir, {"MADOGUCHI_EMBED_ORIGINS": "https://www.city.example.lg.jp, "
                                                                       "https://kids.city.example.lg.jp/"})
    assert ("frame-ancestors 'self' https://www.city.example.lg.jp https://kids.city.example.lg.jp"
            in framed["content-security-policy"])
    assert "frame-ancestors 'none'" in security_headers()["Content-Security-Policy"]
    # The cookie then travels in the frame: SameSite=None, Secure and Partitioned when the browser is on HTTPS
    # (behind a TLS proxy too); over plain HTTP it stays Lax (a Secure cookie would not be kept).
    assert "samesite=lax" in framed["set-cookie"].lower() and "secure" not in framed["set-cookie"].lower()
    proxied = client_headers(module_data_dir, {"MADOGUCHI_EMBED_ORIGINS": "https://www.city.example.lg.jp"},
                             {"X-Forwarded-Proto": "https"})["set-cookie"].lower()
    assert "samesite=none" in proxied and "secure" in proxied and "partitioned" in proxied
    with pytest.raises(ValueError, match="MADOGUCHI_EMBED_ORIGINS"):
        Settings.from_env({"MADOGUCHI_EMBED_ORIGINS": "https://www.city.example.lg.jp/chat"})


def client_headers(data_dir, environ, headers=None) -> httpx.Headers:
    settings = Settings.from_env({"MADOGUCHI_RATE_LIMIT_PER_MINUTE": "0", **environ}, data_dir=data_dir)
    with serve_app(settings) as running, httpx.Client(base_url=running.url, timeout=10) as http:
        return http.get("/", headers=headers).headers


def test_every_visible_word_of_the_script_comes_from_messages():
    script = (Path(__file__).parents[3] / "channels" / "web" / "static" / "chat.js").read_text(encoding="utf-8")
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", script)


# --- the API -----------------------------------------------------------------------------------
def test_api_ask_returns_the_same_answer_as_the_bot(client, bot):
    question = "住民票の写しはコンビニで取れますか？"
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    data = response.json()
    expected = bot.answer(question, "citizen").to_dict()
    for key in ("answer", "abstained", "kind", "audience", "related", "category", "department"):
        assert data[key] == expected[key], key
    assert [s["id"] for s in data["sources"]] == [s["id"] for s in expected["sources"]]
    assert data["sources"][0]["url"].startswith("https://") and data["sources"][0]["label"]
    assert isinstance(data["inquiry_id"], int) and data["latency_ms"] >= 0
    assert "madoguchi_uid=" in response.headers["set-cookie"]


def test_api_ask_keeps_staff_knowledge_from_citizens(client):
    data = client.post("/api/ask", json={"question": "時間外勤務の申請はいつまでですか？"}).json()
    assert data["audience"] == "citizen" and "勤怠システム" not in str(data)


@pytest.mark.parametrize("content, headers, status", [
    (b'{"question": "x"}', {"Content-Type": "text/plain"}, 415),
    (b'{"question": ', {"Content-Type": "application/json"}, 400),
    (b'{"q": "x"}', {"Content-Type": "application/json"}, 400),
    (b'["x"]', {"Content-Type": "application/json"}, 400),
    (b'{"question": "' + b"a" * 70000 + b'"}', {"Content-Type": "application/json"}, 413),
])
def test_api_ask_rejects_bad_requests(client, server, content, headers, status):
    before = server.runtime.inquiry_log.count()
    response = client.post("/api/ask", content=content, headers=headers)
    assert response.status_code == status and response.json()["message"]
    assert server.runtime.inquiry_log.count() == before


def test_empty_question_gets_a_polite_prompt(client):
    data = client.post("/api/ask", json={"question": "   "}).json()
    assert data["kind"] == "empty" and "入力してください" in data["answer"]


def test_feedback_updates_the_askers_inquiry_only(client, server):
    inquiry_id = client.post("/api/ask", json={"question": "犬の登録はどこでしますか？"}).json()["inquiry_id"]

    with httpx.Client(base_url=server.url) as stranger:
        stranger.get("/")
        refused = stranger.post("/api/feedback", json={"inquiry_id": inquiry_id, "feedback": "resolved"})
    assert refused.status_code == 403
    no_cookie = httpx.post(f"{server.url}/api/feedback", json={"inquiry_id": inquiry_id, "feedback": "resolved"})
    assert no_cookie.status_code == 403
    assert row(server, inquiry_id)["feedback"] is None

    response = client.post("/api/feedback", json={"inquiry_id": inquiry_id, "feedback": "unresolved",
                                                  "comment": "窓口の場所も知りたい。電話 090-1234-5678"})
    assert response.status_code == 200 and response.json()["ok"] is True
    stored = row(server, inquiry_id)
    assert stored["feedback"] == "unresolved"
    assert "窓口の場所" in stored["feedback_comment"] and "090-1234-5678" not in stored["feedback_comment"]

    assert client.post("/api/feedback", json={"inquiry_id": 10**9, "feedback": "resolved"}).status_code == 404
    assert client.post("/api/feedback", json={"inquiry_id": inquiry_id, "feedback": "maybe"}).status_code == 400
    assert client.post("/api/feedback", json={"inquiry_id": True, "feedback": "resolved"}).status_code == 400


def test_healthz(client, bot):
    data = client.get("/healthz").json()
    ids = {e.id for a in ("citizen", "staff") for e in bot.retriever.index(a).entries}
    assert data == {"ok": True, "entries": len(ids), "knowledge_version": bot.retriever.store.knowledge_version()}
    assert data["entries"] > 0


def test_web_audience_comes_from_configuration(module_data_dir):
    with serve_app(Settings(data_dir=module_data_dir, web_audience="staff")) as running:
        page = httpx.get(running.url + "/").text
        data = httpx.post(running.url + "/api/ask", json={"question": "時間外勤務の申請はいつまでですか？"}).json()
    assert "職員向け" in page
    assert data["audience"] == "staff" and "勤怠システム" in data["answer"]
    with pytest.raises(ConfigurationError):
        create_app(Settings(data_dir=module_data_dir, web_audience="everyone"))


# --- in a real browser -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_chat_in_headless_chromium(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="ja-JP")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server.url + "/")

    # Keyboard only: the labelled box, type, Enter.
    box = page.get_by_label("ご質問")
    box.focus()
    page.keyboard.type("粗大ごみはどうやって出せばいいですか？")
    page.keyboard.press("Enter")

    answer = page.locator("#log article.message.bot").first
    answer.wait_for(timeout=10_000)
    assert "粗大ごみ処理券" in answer.inner_text()
    link = answer.locator("p.source a")
    assert link.get_attribute("href") == "https://www.city.test.example.lg.jp/faq/"
    assert "粗大ごみはどうやって出せばいいですか" in link.inner_text()
    assert page.locator("#status").inner_text() == "回答が届きました。"
    assert page.evaluate("document.activeElement.id") == "question"  # focus stays for the next question
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    inquiry_id = int(answer.get_attribute("data-inquiry-id"))
    answer.get_by_role("button", name="解決しない").click()
    answer.get_by_text("お役に立てず申し訳ありません").wait_for(timeout=5_000)
    answer.get_by_label("よろしければ").fill("受付時間も知りたいです")
    answer.get_by_role("button", name="意見を送る").click()
    answer.get_by_text("ご意見ありがとうございました。").wait_for(timeout=5_000)
    stored = row(server, inquiry_id)
    assert stored["feedback"] == "unresolved" and stored["feedback_comment"] == "受付時間も知りたいです"
    assert stored["channel"] == "web"

    related = answer.locator(".related button").first
    related_question = related.inner_text()
    related.click()
    page.locator("#log article.message.bot").nth(1).wait_for(timeout=10_000)
    assert page.locator("#log .message.user").nth(1).inner_text().endswith(related_question)
    assert not errors, errors
    context.close()


# --- residents who do not read Japanese --------------------------------------------------------
def test_an_english_question_gets_an_english_answer_and_english_labels(client, server):
    data = client.post("/api/ask", json={"question": "How do I put out large garbage?"}).json()
    assert data["language"] == "en" and data["answer_language"] == "en"
    assert data["answer"].startswith("Apply in advance online or by phone")  # the city's translation of 101
    assert data["ui"]["resolved"] == "Solved" and data["ui"]["source"] == "Source"
    assert row(server, data["inquiry_id"])["language"] == "en"
    feedback = client.post("/api/feedback", json={"inquiry_id": data["inquiry_id"], "feedback": "resolved"})
    assert feedback.status_code == 200


def test_a_question_in_a_language_the_city_has_not_translated_gets_a_note_before_the_japanese(client):
    data = client.post("/api/ask", json={"question": "Tôi cần mang gì khi nộp thông báo chuyển đến?"}).json()
    assert data["language"] == "vi" and data["answer_language"] == "ja" and not data["abstained"]
    note, japanese = data["answer"].split("\n\n", 1)
    assert "chỉ có bằng tiếng Nhật" in note and "liên hệ" in note
    assert "転出証明書" in japanese
    assert data["ui"]["feedback_question"].startswith("Câu trả lời")


def test_japanese_answers_keep_their_japanese_labels(client):
    data = client.post("/api/ask", json={"question": "住民票の写しはコンビニで取れますか？"}).json()
    assert data["language"] == "ja" and data["ui"]["resolved"] == "解決した"


def test_every_answer_string_exists_in_every_supported_language():
    from channels.web import messages
    from indexing.language import SUPPORTED
    for language in SUPPORTED:
        strings = messages.answer_strings(language)
        assert set(strings) == set(messages.ANSWER_KEYS) and all(strings.values())
        if language != "ja":
            assert strings != messages.answer_strings("ja"), language


def test_a_long_question_sent_json_escaped_gets_the_polite_length_reply(client):
    # 3,000 characters as \uXXXX escapes are 18 KB: the body is read, and the reply says the limit.
    body = json.dumps({"question": "あ" * 3000}).encode()
    assert len(body) > 16 * 1024
    reply = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200 and "1000" in reply.json()["answer"]


def test_oversized_body_is_refused_in_the_browsers_language(client):
    body = b'{"question": "' + b"a" * 1_100_000 + b'"}'
    english = client.post("/api/ask", content=body,
                          headers={"Content-Type": "application/json", "Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 413 and english.json()["message"] == "The request is too large."
    japanese = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    assert japanese.status_code == 413 and japanese.json()["message"] == "リクエストが大きすぎます。"
