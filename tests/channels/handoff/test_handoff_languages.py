"""The handoff speaks the resident's language and keeps its two Japanese button words (web chat, real
server, fake Slack API)."""
from __future__ import annotations

import httpx
import pytest

from fakes.server import serve_app
from fakes.slack_api import FakeSlackApi
from fakes.webhooks import SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SECRET

from bot.handoff import messages
from indexing.settings import Settings


@pytest.fixture(scope="module")
def server(module_data_dir):
    with FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as slack_api:
        settings = Settings(data_dir=module_data_dir, slack_signing_secret=SLACK_SECRET,
                            slack_bot_token=SLACK_BOT_TOKEN, slack_api_base_url=slack_api.api_url,
                            rate_limit_per_minute=0)
        with serve_app(settings) as running:
            yield running


@pytest.fixture
def citizen(server):
    with httpx.Client(base_url=server.url, timeout=10) as browser:
        assert browser.get("/").status_code == 200  # the web chat's cookie
        yield browser


def test_a_vietnamese_decline_is_handed_over_in_vietnamese(citizen):
    answer = citizen.post("/api/ask", json={"question": "Làm thế nào để đăng ký chuyển nhà lên sao Hỏa?"}).json()
    assert answer["language"] == "vi" and answer["abstained"]
    assert answer["handoff"]["label"] == messages.OFFER_LABEL  # the same word in every language (DESIGN.md)
    preview = citizen.post("/api/handoff/offer", json={"inquiry_id": answer["inquiry_id"]}).json()
    assert preview["text"].startswith("Chúng tôi sẽ gửi nội dung sau cho nhân viên")
    assert "「送信する」" in preview["text"] and preview["confirm_label"] == messages.CONFIRM_LABEL
    assert preview["addition_label"] == messages.say("ADDITION_LABEL", "vi")
    sent = citizen.post("/api/handoff/confirm", json={"inquiry_id": answer["inquiry_id"]}).json()
    assert sent["text"].startswith("Câu hỏi của bạn đã được gửi đến") and str(sent["ticket"]) in sent["text"]


def test_an_english_not_solved_is_offered_the_handoff_in_english(citizen):
    answer = citizen.post("/api/ask", json={"question": "How do I put out large garbage?"}).json()
    assert not answer["abstained"] and answer["language"] == "en"
    result = citizen.post("/api/feedback", json={"inquiry_id": answer["inquiry_id"], "feedback": "unresolved"}).json()
    assert result["handoff"] == {"label": messages.OFFER_LABEL, "text": messages.say("OFFER", "en")}
    assert result["handoff"]["text"].startswith("You can also ask a staff member directly.")
