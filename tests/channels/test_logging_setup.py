"""Log redaction: no request body and no personal data in any log record, at any level.

The route tests drive the real server (LINE, Slack and the web chat, through their SDKs
against the fakes) with personal data in the request, with every logger at DEBUG, and
look at every record captured: its message, arguments, traceback and stack.
"""
from __future__ import annotations

import logging
import unicodedata
import uuid

import httpx
import pytest

from fakes.line_api import FakeLineApi
from fakes.server import serve_app
from fakes.slack_api import FakeSlackApi
from fakes.webhooks import (
    JSON,
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    line_body,
    line_headers,
    line_text_event,
    slack_dm_event,
    slack_event_body,
    slack_headers,
)

from indexing.settings import Settings
from channels.logging_setup import (
    BODY_WITHHELD,
    RedactingFilter,
    install_log_redaction,
    redact_log_text,
    redact_record,
    slack_app_logger,
)

PHONE = "090-1234-5678"
MY_NUMBER = "1234 5678 9018"
NAME = "山田花子"
# Digits and letters a reader could recover from a log line, whatever the separators.
SECRETS = ("09012345678", "123456789018", NAME)
THIRD_PARTY = ("slack_bolt", "slack_sdk", "linebot", "aiohttp", "urllib3", "httpx", "httpcore", "uvicorn",
               "uvicorn.error", "uvicorn.access", "asyncio")


def _essence(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def record_text(record: logging.LogRecord) -> str:
    parts = [str(record.msg), record.getMessage(), repr(record.args), record.exc_text or "", record.stack_info or ""]
    return "\n".join(parts)


def leaks(records, *needles) -> list[str]:
    """Rendered records that contain any of ``needles`` (compared without separators)."""
    found = []
    for record in records:
        text = _essence(record_text(record))
        if any(_essence(n) in text for n in needles):
            found.append(f"{record.name} {record.levelname}: {record.getMessage()[:300]}")
    return found


@pytest.fixture
def everything_at_debug(caplog):
    """Root and third-party loggers at DEBUG for one test; levels restored after."""
    saved = {name: logging.getLogger(name).level for name in THIRD_PARTY}
    for name in THIRD_PARTY:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


# --- Units ------------------------------------------------------------------------------------

def test_bodies_are_withheld_and_personal_data_masked():
    head = "Invalid request signature detected (signature: v0=abc, timestamp: 1, body:"
    assert redact_log_text(f"{head} text={PHONE}&x=y)") == f"{head} {BODY_WITHHELD}"
    assert redact_log_text(f"折り返しは{PHONE}へ") == "折り返しは〔電話番号〕へ"
    assert redact_log_text("Sending a request - url: https://x/api, body_params: {'text': 'q'}, headers: {}") == (
        f"Sending a request - url: https://x/api, body_params: {BODY_WITHHELD}")
    for plain in ("LINE webhook rejected: bad signature", "madoguchi ready: LINE on, Slack off",
                  "replayed 3 spooled inquiry log writes", "nobody: here"):
        assert redact_log_text(plain) == plain


def make_record(msg, args=(), exc_info=None, name="t"):
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, exc_info)


def test_records_keep_their_argument_shape_and_numbers():
    # uvicorn's access formatter unpacks the arguments: they must stay a tuple of the same length.
    record = redact_record(make_record('%s - "%s %s HTTP/%s" %d',
                                       ("127.0.0.1:5", "GET", f"/api/ask?q={PHONE}", "1.1", 200)))
    assert record.args[-1] == 200 and len(record.args) == 5
    assert record.getMessage() == '127.0.0.1:5 - "GET /api/ask?q=〔電話番号〕 HTTP/1.1" 200'
    # The access log's query string is request data, percent-encoded where masking cannot read a name.
    access = redact_record(make_record('%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5", "GET",
                                       "/admin/try?q=%E5%B1%B1%E7%94%B0%E5%A4%AA%E9%83%8E", "1.1", 200),
                                       name="uvicorn.access"))
    assert access.getMessage() == '127.0.0.1:5 - "GET /admin/try?〔クエリ省略〕 HTTP/1.1" 200'
    body_arg = redact_record(make_record("response body: %s", (f"{{'text': '{NAME}です'}}".encode(),)))
    assert body_arg.getMessage() == f"response body: {BODY_WITHHELD}" and body_arg.args is None


def test_tracebacks_and_stacks_are_masked():
    try:
        raise ValueError(f"bad question: 私は{NAME}です {MY_NUMBER}")
    except ValueError as exc:
        record = redact_record(make_record("answer failed", exc_info=(type(exc), exc, exc.__traceback__)))
    assert "ValueError: bad question: 私は〔氏名〕です 〔マイナンバー〕" in record.exc_text
    assert not leaks([record], *SECRETS)


def test_a_redaction_failure_withholds_the_record(monkeypatch):
    def broken(_text):
        raise RuntimeError("masking bug")

    monkeypatch.setattr("channels.logging_setup.mask_personal_data", broken)
    record = redact_record(make_record("question %s", (PHONE,)))
    assert PHONE not in record.getMessage() and record.args is None


def test_filter_and_record_factory_redact_every_logger(everything_at_debug):
    install_log_redaction()
    install_log_redaction()  # idempotent: one wrapper, one filter per handler
    assert logging.getLogRecordFactory().madoguchi_redacting
    handlers = logging.getLogger().handlers
    assert handlers and all([type(f) for f in h.filters].count(RedactingFilter) == 1 for h in handlers)
    logging.getLogger("some.library").debug("payload: %s", {"phone": PHONE})
    logging.getLogger("bot.something").info("question from %s", f"{NAME}さん")
    assert len(everything_at_debug.records) == 2
    assert not leaks(everything_at_debug.records, *SECRETS)
    assert RedactingFilter().filter(make_record("x")) is True  # redacts, never drops


def test_the_slack_app_logger_carries_the_filter():
    logger = slack_app_logger()
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)
    assert slack_app_logger().filters.count(logger.filters[0]) == 1


# --- Routes -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def line_api():
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def slack_api():
    with FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(module_data_dir, line_api, slack_api):
    settings = Settings(data_dir=module_data_dir, line_channel_secret=LINE_SECRET,
                        line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                        slack_signing_secret=SLACK_SECRET, slack_bot_token=SLACK_BOT_TOKEN,
                        slack_api_base_url=slack_api.api_url)
    with serve_app(settings) as running:
        yield running


def question(marker: str) -> str:
    return f"粗大ごみの件です。{marker} 電話は{PHONE}、マイナンバーは{MY_NUMBER}、私は{NAME}です"


def test_a_forged_slack_request_logs_nothing_of_its_body(client, everything_at_debug):
    marker = f"forged{uuid.uuid4().hex[:8]}"
    body = slack_event_body(slack_dm_event(question(marker)))
    headers = slack_headers(body, JSON, secret="not-the-signing-secret")
    assert client.post("/slack/events", content=body, headers=headers).status_code == 401
    records = everything_at_debug.records
    assert any("signature" in r.getMessage().lower() for r in records)  # the failure itself is logged
    assert not leaks(records, marker, *SECRETS)


def test_a_slack_question_logs_no_body_and_no_personal_data(client, slack_api, everything_at_debug):
    marker = f"slack{uuid.uuid4().hex[:8]}"
    event = slack_dm_event(question(marker), channel="D0000LOGTEST")
    body = slack_event_body(event)
    assert client.post("/slack/events", content=body, headers=slack_headers(body, JSON)).status_code == 200
    slack_api.wait_for(lambda f: [p for p in f.posts() if p.json.get("channel") == "D0000LOGTEST"],
                       what="the Slack answer")
    assert everything_at_debug.records
    assert not leaks(everything_at_debug.records, marker, *SECRETS)


def test_line_messages_log_no_body_and_no_personal_data(client, line_api, everything_at_debug):
    marker = f"line{uuid.uuid4().hex[:8]}"
    event = line_text_event(question(marker))
    body = line_body([event])
    forged = client.post("/callback/line", content=body, headers=line_headers(body, "not-the-channel-secret"))
    assert forged.status_code in (400, 401, 403)
    assert client.post("/callback/line", content=body, headers=line_headers(body)).status_code == 200
    line_api.wait_for(lambda f: f.replies(event["replyToken"]), what="the LINE reply")
    assert everything_at_debug.records
    assert not leaks(everything_at_debug.records, marker, *SECRETS)


def test_the_web_chat_logs_no_body_and_no_personal_data(client, server, everything_at_debug):
    marker = f"web{uuid.uuid4().hex[:8]}"
    answer = client.post("/api/ask", json={"question": question(marker)})
    assert answer.status_code == 200
    comment = f"わかりにくかったです。{marker} {PHONE} {NAME}です"
    feedback = client.post("/api/feedback", json={"inquiry_id": answer.json()["inquiry_id"],
                                                  "feedback": "unresolved", "comment": comment})
    assert feedback.status_code == 200
    bad = httpx.post(f"{server.url}/api/ask", content=f'{{"question": "{PHONE} {marker}"'.encode(),
                     headers={"Content-Type": "application/json"})
    assert bad.status_code == 400
    assert not leaks(everything_at_debug.records, marker, *SECRETS)
