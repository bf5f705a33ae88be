"""The web chat's fixed texts in the resident's language: declines, the page, the rate-limit and
timeout messages (the real server over real HTTP)."""
from __future__ import annotations


import httpx
import pytest

from fakes.server import answers_held, serve_app

from channels.web import messages
from indexing.settings import Settings


@pytest.fixture(scope="module")
def server(module_data_dir):
    with serve_app(Settings(data_dir=module_data_dir, rate_limit_per_minute=0)) as running:
        yield running


@pytest.mark.parametrize("question, language, expected", [
    ("How do I put out large garbage in 横浜市?", "en", "Sorry, we cannot give information about 横浜市 here."),
    ("Tôi có thể lấy phiếu cư trú ở 世田谷区 không?", "vi", "Xin lỗi, chúng tôi không thể hướng dẫn về 世田谷区 tại đây."),
])
def test_another_city_is_declined_in_the_question_language(client, question, language, expected):
    data = client.post("/api/ask", json={"question": question}).json()
    assert data["abstained"] and data["language"] == language and data["answer_language"] == language
    assert data["answer"].startswith(expected) and not data["sources"]


@pytest.mark.parametrize("question, language, expected, contact", [
    ("What is the deadline for applying for overtime work?", "en",
     "Sorry, this question is about matters for City Hall staff", "総合案内 (phone "),
    ("Hạn nộp đơn xin làm thêm giờ của nhân viên là khi nào?", "vi",
     "Xin lỗi, câu hỏi này thuộc nội dung dành cho nhân viên", "総合案内 (điện thoại "),
])
def test_a_staff_topic_is_declined_in_the_question_language(client, question, language, expected, contact):
    data = client.post("/api/ask", json={"question": question}).json()
    assert data["abstained"] and data["language"] == language
    assert data["answer"].startswith(expected) and contact in data["answer"]
    assert data["contact"]["text"].startswith(contact)  # the contact line as the page shows it
    assert data["ui"]["feedback_question"] == messages.answer_strings(language)["feedback_question"]


def test_the_page_speaks_the_browsers_language(client):
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9,ja;q=0.5"}).text
    assert '<html lang="en">' in english and ">Your question</label>" in english
    assert '"thinking": "Preparing an answer…"' in english
    vietnamese = client.get("/", headers={"Accept-Language": "de-DE, vi;q=0.8"}).text
    assert '<html lang="vi">' in vietnamese and ">Câu hỏi của bạn</label>" in vietnamese
    japanese = client.get("/", headers={"Accept-Language": "de-DE"}).text
    assert '<html lang="ja">' in japanese and ">ご質問</label>" in japanese


@pytest.mark.parametrize("accept_language, language", [("en", "en"), ("vi-VN,vi;q=0.9", "vi"), ("", "ja")])
def test_the_rate_limit_message_speaks_the_browsers_language(module_data_dir, accept_language, language):
    with serve_app(Settings(data_dir=module_data_dir, rate_limit_per_minute=1, rate_limit_burst=1)) as server:
        with httpx.Client(base_url=server.url, timeout=30, headers={"Accept-Language": accept_language}) as client:
            assert client.post("/api/ask", json={"question": "How do I put out large garbage?"}).status_code == 200
            refused = client.post("/api/ask", json={"question": "How do I put out large garbage?"})
    assert refused.status_code == 429
    assert refused.json()["message"] == messages.api_error("rate_limited", language)
    assert (refused.json()["message"] == messages.API_ERRORS["rate_limited"]) == (language == "ja")


def test_a_late_answer_is_apologised_for_in_the_question_language(module_data_dir):
    settings = Settings(data_dir=module_data_dir, rate_limit_per_minute=0, answer_timeout_seconds=0.3)
    with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:  # a Japanese browser
        with answers_held(server):
            late = client.post("/api/ask", json={"question": "Tôi cần mang gì khi nộp thông báo chuyển đến?"})
    assert late.status_code == 504
    assert late.json()["message"] == messages.api_error("timeout", "vi") != messages.API_ERRORS["timeout"]
