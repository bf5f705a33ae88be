"""Rate limits: the token bucket, the web chat's 429 (per client address, through trusted proxies
only) and LINE users told once; refused questions are never logged."""
from __future__ import annotations

import httpx
import pytest

from fakes.line_api import FakeLineApi
from fakes.server import serve_app
from fakes.webhooks import LINE_SECRET, LINE_TOKEN, line_body, line_follow_event, line_headers, line_text_event

from channels.line import messages as line_messages
from channels.rate_limit import RateLimiter
from channels.web import messages as web_messages
from indexing.settings import Settings

QUESTION = "粗大ごみの出し方は？"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_bucket_refuses_past_the_burst_and_refills_at_the_rate():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.take("a").allowed for _ in range(3)] == [True, True, True]
    first, second = limiter.take("a"), limiter.take("a")
    assert not first.allowed and first.retry_after == 1 and first.notify
    assert not second.allowed and not second.notify  # told once per refused streak
    assert limiter.take("b").allowed  # another key has its own bucket
    clock.now += 1.0
    assert limiter.take("a").allowed
    refused = limiter.take("a")
    assert not refused.allowed and refused.notify  # a new streak is told again


def test_zero_per_minute_turns_limiting_off_and_keys_are_bounded():
    assert all(RateLimiter(per_minute=0, burst=1).take("a").allowed for _ in range(100))
    limiter = RateLimiter(per_minute=1, burst=1, max_keys=10)
    for n in range(100):
        limiter.take(f"k{n}")
    assert len(limiter._buckets) == 10


def test_settings_read_and_check_the_limits():
    settings = Settings.from_env({"MADOGUCHI_RATE_LIMIT_PER_MINUTE": "30", "MADOGUCHI_RATE_LIMIT_BURST": "5",
                                  "MADOGUCHI_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16"})
    assert (settings.rate_limit_per_minute, settings.rate_limit_burst) == (30.0, 5)
    assert settings.trusted_proxies == ("10.0.0.1", "192.168.0.0/16")
    with pytest.raises(ValueError, match="MADOGUCHI_RATE_LIMIT_PER_MINUTE"):
        Settings.from_env({"MADOGUCHI_RATE_LIMIT_PER_MINUTE": "many"})


def test_a_bad_trusted_proxy_entry_stops_the_server(module_data_dir):
    from channels.runtime import ConfigurationError, Runtime

    with pytest.raises(ConfigurationError, match="MADOGUCHI_TRUSTED_PROXIES"):
        Runtime.build(Settings(data_dir=module_data_dir, trusted_proxies=("proxy.example",)))


def _inquiry_count(server) -> int:
    return next(iter(server.runtime.inquiry_log.db.query("select count(*) as n from inquiries")))["n"]


def test_web_chat_answers_429_with_retry_after_and_logs_nothing_refused(module_data_dir):
    with serve_app(Settings(data_dir=module_data_dir, rate_limit_per_minute=6, rate_limit_burst=3)) as server:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            before = _inquiry_count(server)
            assert [client.post("/api/ask", json={"question": QUESTION}).status_code for _ in range(3)] == [200] * 3
            refused = client.post("/api/ask", json={"question": QUESTION})
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
            assert refused.json() == {"error": "rate_limited", "message": web_messages.API_ERRORS["rate_limited"]}
            assert _inquiry_count(server) == before + 3
            # Without a trusted proxy a forged X-Forwarded-For is just another header.
            forged = client.post("/api/ask", json={"question": QUESTION}, headers={"X-Forwarded-For": "198.51.100.7"})
            assert forged.status_code == 429
            assert _inquiry_count(server) == before + 3


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket(module_data_dir):
    settings = Settings(data_dir=module_data_dir, rate_limit_per_minute=6, rate_limit_burst=2,
                        trusted_proxies=("127.0.0.0/8",))
    with serve_app(settings) as server:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            ask = lambda address: client.post("/api/ask", json={"question": QUESTION},  # noqa: E731
                                              headers={"X-Forwarded-For": address}).status_code
            assert [ask("203.0.113.1"), ask("203.0.113.1"), ask("203.0.113.1")] == [200, 200, 429]
            assert ask("203.0.113.2") == 200
            # A client cannot pick its address by prepending one: the proxy appends the real peer.
            assert ask("203.0.113.99, 203.0.113.1") == 429


def test_line_user_past_the_limit_is_told_once_and_not_logged(module_data_dir):
    with FakeLineApi(access_token=LINE_TOKEN) as line_api:
        settings = Settings(data_dir=module_data_dir, line_channel_secret=LINE_SECRET,
                            line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                            rate_limit_per_minute=1, rate_limit_burst=2)
        with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            user = "U00000000000000000000000000ratelim"
            before = _inquiry_count(server)
            events = [line_text_event(QUESTION, user_id=user) for _ in range(5)]
            body = line_body(events)
            assert client.post("/callback/line", content=body, headers=line_headers(body)).status_code == 200
            tokens = {e["replyToken"] for e in events}
            line_api.wait_for(lambda f: len([r for r in f.replies() if r.json["replyToken"] in tokens]) >= 3,
                              what="3 replies")
            sentinel = line_follow_event(user_id="Uanotheruser00000000000000000000")
            body = line_body([sentinel])
            client.post("/callback/line", content=body, headers=line_headers(body))
            line_api.wait_for(lambda f: f.replies(sentinel["replyToken"]), what="sentinel reply")
            replies = [r for r in line_api.replies() if r.json["replyToken"] in tokens]
            texts = [m.get("text", "") for r in replies for m in r.json["messages"]]
            assert len(replies) == 3  # two answers, one notice, then silence
            assert texts.count(line_messages.RATE_LIMITED) == 1
            assert _inquiry_count(server) == before + 2


def test_slack_user_past_the_limit_is_told_once_and_not_logged(module_data_dir):
    from fakes.slack_api import FakeSlackApi
    from fakes.webhooks import SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SECRET, slack_command_body, slack_headers, unique

    from channels.slack import messages as slack_messages

    with FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as slack_api:
        settings = Settings(data_dir=module_data_dir, slack_signing_secret=SLACK_SECRET,
                            slack_bot_token=SLACK_BOT_TOKEN, slack_api_base_url=slack_api.api_url,
                            rate_limit_per_minute=1, rate_limit_burst=2)
        with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:
            before = _inquiry_count(server)
            names = [unique("limited") for _ in range(4)]
            for name in names:  # one after another: each answered (or refused) before the next is sent
                body = slack_command_body("時間外勤務の申請はいつまで？", slack_api.response_url(name),
                                          user_id="U0000LIMITED")
                assert client.post("/slack/events", content=body,
                                   headers=slack_headers(body, "application/x-www-form-urlencoded")).status_code == 200
                if name != names[-1]:
                    slack_api.wait_for(lambda f, n=name: f.responses(n), what=f"response {name}")
            # The last one gets no response at all; a command from another user shows the queue is drained.
            other = unique("other")
            body = slack_command_body("時間外勤務の申請はいつまで？", slack_api.response_url(other), user_id="U0000OTHER")
            client.post("/slack/events", content=body, headers=slack_headers(body, "application/x-www-form-urlencoded"))
            slack_api.wait_for(lambda f: f.responses(other), what="other user's answer")
            texts = [r.json.get("text") for name in names for r in slack_api.responses(name)]
            assert len(texts) == 3 and texts[2] == slack_messages.RATE_LIMITED
            assert _inquiry_count(server) == before + 3  # two answers of the limited user and one of the other


def test_line_members_without_a_user_id_share_their_group_or_room_allowance():
    from linebot.v3.webhooks import GroupSource, RoomSource, UserSource

    from channels.line.webhook import rate_limit_key

    assert rate_limit_key(UserSource(type="user", user_id="U1")) == "line:U1"
    assert rate_limit_key(GroupSource(type="group", group_id="G1", user_id="U1")) == "line:U1"
    assert rate_limit_key(GroupSource(type="group", group_id="G1")) == "line:GroupSource:G1"
    assert rate_limit_key(RoomSource(type="room", room_id="R1")) == "line:RoomSource:R1"
