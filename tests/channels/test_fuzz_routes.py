"""No 5xx from input: a bounded, seeded fuzz over every public route of the real served app
(LINE and Slack configured against the fake APIs), then the server must still be healthy.

The long form is ``benchmarks/fuzz_routes.py``.
"""
from __future__ import annotations

import random
from collections import Counter

import httpx
import pytest

from fakes.line_api import FakeLineApi
from fakes.route_fuzz import cases, send
from fakes.server import serve_app
from fakes.slack_api import FakeSlackApi
from fakes.webhooks import LINE_SECRET, LINE_TOKEN, SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SECRET

from indexing.settings import Settings

SEED = 20261126
CASES = 300


@pytest.fixture(scope="module")
def server(module_data_dir):
    with FakeLineApi(access_token=LINE_TOKEN) as line_api, \
            FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as slack_api:
        settings = Settings(data_dir=module_data_dir, line_channel_secret=LINE_SECRET,
                            line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                            slack_signing_secret=SLACK_SECRET, slack_bot_token=SLACK_BOT_TOKEN,
                            slack_api_base_url=slack_api.api_url, rate_limit_per_minute=0)
        with serve_app(settings) as running:
            yield running


def test_no_route_answers_5xx_to_malformed_input_and_the_server_stays_up(server):
    failures, kinds = [], Counter()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for number, case in enumerate(cases(random.Random(SEED), CASES)):
            status = send(client, case)
            kinds[case.kind] += 1
            if status >= 500:
                failures.append((number, case.kind, case.method, case.path, status, case.body[:80]))
        assert client.get("/healthz").json()["ok"] is True
    assert not failures, failures
    assert len(kinds) >= 8  # every family of malformed input was sent


@pytest.mark.parametrize("body, headers, expected", [
    ("[" * 5000 + "]" * 5000, {"Content-Type": "application/json"}, 400),
    ('{"question": "\\ud800\\u4f4f\\u6c11\\u7968"}', {"Content-Type": "application/json"}, 200),
    ("x" * 2_000_000, {"Content-Type": "application/json"}, 413),
])
def test_api_ask_known_cases(server, body, headers, expected):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.post("/api/ask", content=body, headers=headers).status_code == expected


def test_feedback_with_an_id_no_database_can_hold_is_not_found(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        client.get("/")
        for inquiry_id in (10 ** 30, -1, "9" * 5000, "²"):
            response = client.post("/api/feedback", json={"inquiry_id": inquiry_id, "feedback": "resolved"})
            assert response.status_code in (400, 404), inquiry_id


def test_slack_without_signature_headers_is_refused_before_parsing(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.post("/slack/events", content=b'{"type": "url_verification"}').status_code == 401
        bad = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00", "Content-Type": "application/json"}
        assert client.post("/slack/events", content=b"{}", headers=bad).status_code == 401


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_signed_slack_body_of_an_unexpected_shape_is_a_400(server, content_type):
    from fakes.webhooks import slack_headers

    with httpx.Client(base_url=server.url, timeout=60) as client:
        for body in (b'{"type": "event_callback", "event": []}', b'{"type": "event_callback", "event": "x"}',
                     b"payload=%5B%5D"):
            assert client.post("/slack/events", content=body,
                               headers=slack_headers(body, content_type)).status_code == 400, body


def test_signed_line_body_nested_too_deeply_is_a_400(server):
    from fakes.webhooks import line_headers

    body = ('{"destination": "U0", "events": ' + "[" * 100000 + "]" * 100000 + "}").encode()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.post("/callback/line", content=body, headers=line_headers(body)).status_code == 400


def test_admin_redirects_never_name_the_requested_host(server):
    with httpx.Client(base_url=server.url, timeout=60, headers={"Host": "evil.example"}) as client:
        response = client.get("/admin")
        assert response.status_code in (301, 302, 303, 307) and response.headers["location"] == "/admin/"
        login = client.get("/admin/")
        assert login.headers["location"].startswith("/admin/login")
        assert "evil.example" not in client.get("/admin/entries/").headers.get("location", "")
