"""The LINE channel's fixed texts in the resident's language: declines, the rate-limit notice and the
delivery settings (real SDK against the fake LINE API, over real HTTP)."""
from __future__ import annotations

import pytest

from fakes.line_api import FakeLineApi
from fakes.server import serve_app
from fakes.webhooks import LINE_SECRET, LINE_TOKEN, line_body, line_headers, line_postback_event, line_text_event

from channels.line import messages
from channels.line.preferences import topic_data
from indexing.settings import Settings


@pytest.fixture(scope="module")
def line_api():
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(module_data_dir, line_api):
    # One question per user and then the limit: every test uses users of its own.
    settings = Settings(data_dir=module_data_dir, line_channel_secret=LINE_SECRET,
                        line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                        rate_limit_per_minute=1, rate_limit_burst=1)
    with serve_app(settings) as running:
        yield running


def send(client, line_api, event) -> list[dict]:
    body = line_body([event])
    assert client.post("/callback/line", content=body, headers=line_headers(body, LINE_SECRET)).status_code == 200
    return line_api.reply_to(event, 15).json["messages"]


def first_text(client, line_api, event) -> str:
    return send(client, line_api, event)[0]["text"]


@pytest.mark.parametrize("user, question, expected", [
    ("U1a000000000000000000000000000en", "How do I put out large garbage in 横浜市?",
     "Sorry, we cannot give information about 横浜市 here."),
    ("U1a000000000000000000000000000vi", "Có thể vứt rác cỡ lớn ở 横浜市 như thế nào?",
     "Xin lỗi, chúng tôi không thể hướng dẫn về 横浜市 tại đây."),
])
def test_another_city_is_declined_in_the_question_language(client, line_api, user, question, expected):
    text = first_text(client, line_api, line_text_event(question, user))
    assert text.startswith(expected)
    assert "申し訳" not in text and "処理券" not in text


@pytest.mark.parametrize("user, question, expected, contact", [
    ("U1b000000000000000000000000000en", "What is the deadline for applying for overtime work?",
     "Sorry, this question is about matters for City Hall staff", "Please contact 総合案内 (phone "),
    ("U1b000000000000000000000000000vi", "Hạn nộp đơn xin làm thêm giờ của nhân viên là khi nào?",
     "Xin lỗi, câu hỏi này thuộc nội dung dành cho nhân viên", "Vui lòng liên hệ 総合案内 (điện thoại "),
])
def test_a_staff_topic_is_declined_in_the_question_language_with_a_public_contact(client, line_api, user,
                                                                                  question, expected, contact):
    messages_ = send(client, line_api, line_text_event(question, user))
    decline, contact_line = messages_[0]["text"].split("\n")
    assert decline.startswith(expected) and contact_line.startswith(contact)
    assert "勤怠" not in messages_[0]["text"]  # nothing of the staff entry
    bubble = str(messages_[-1])
    assert "職員課" not in bubble  # the staff-only department is never given to a citizen


@pytest.mark.parametrize("user, question, expected", [
    ("U1c000000000000000000000000000en", "How do I put out large garbage?", messages.say("RATE_LIMITED", "en")),
    ("U1c000000000000000000000000000vi", "Tôi cần mang gì khi nộp thông báo chuyển đến?",
     messages.say("RATE_LIMITED", "vi")),
])
def test_the_rate_limit_notice_speaks_the_question_language(client, line_api, user, question, expected):
    first_text(client, line_api, line_text_event(question, user))  # answered: the user's one question
    assert first_text(client, line_api, line_text_event(question, user)) == expected
    assert expected != messages.RATE_LIMITED


def test_the_rate_limit_notice_for_a_wordless_message_follows_the_profile_language(client, line_api):
    user = "U1c0000000000000000000000000pt-x"
    line_api.profile_languages[user] = "pt-BR"
    first_text(client, line_api, line_text_event("Como faço para jogar fora lixo grande?", user))
    assert first_text(client, line_api, line_text_event("👍", user)) == messages.say("RATE_LIMITED", "pt")


def test_delivery_settings_speak_the_profile_language_and_keep_the_keywords(client, line_api):
    user = "U1d000000000000000000000000000en"
    line_api.profile_languages[user] = "en"
    menu = send(client, line_api, line_text_event(messages.PUSH_SETTINGS_WORD, user))[-1]
    assert menu["text"].startswith("Please choose the topics") and "You are not receiving news" in menu["text"]
    chosen = send(client, line_api, line_postback_event(topic_data("kosodate"), user_id=user))[-1]
    assert chosen["text"].startswith('You will receive news on "子育て"') and "Receiving: 子育て" in chosen["text"]
    stop = [item["action"] for item in chosen["quickReply"]["items"] if item["action"]["type"] == "message"]
    assert stop == [{"type": "message", "label": "Stop all", "text": messages.PUSH_STOP_WORD}]
    stopped = send(client, line_api, line_text_event(messages.PUSH_STOP_WORD, user))[-1]
    assert stopped["text"] == messages.say("PUSH_STOPPED", "en") and '"配信設定"' in stopped["text"]


def test_a_failing_bot_apologises_in_the_question_language(client, line_api, server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(server.runtime.bot, "ask", broken)
    text = first_text(client, line_api, line_text_event("Como faço para jogar fora lixo grande?",
                                                         "U1e000000000000000000000000000pt"))
    assert text == messages.say("ERROR", "pt") != messages.ERROR
