"""配信設定 on LINE: topics as postback buttons, toggling, 配信停止, unfollow (real SDK, fake API)."""
from __future__ import annotations

import json
import time

import pytest

from fakes.server import serve_app
from fakes.webhooks import (
    LINE_SECRET, LINE_TOKEN, line_body, line_event, line_follow_event, line_headers, line_postback_event,
    line_source, line_text_event,
)

from indexing.storage.outreach import OutreachBook
from channels.line.preferences import topic_data
from indexing.settings import Settings

USER = "Upref000000000000000000000000001"


@pytest.fixture(scope="module")
def server(module_backend_data_dir, line_api):
    settings = Settings(data_dir=module_backend_data_dir, line_channel_secret=LINE_SECRET,
                        line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url)
    with serve_app(settings) as running:
        yield running


def send(client, line_api, event) -> list[dict]:
    body = line_body([event])
    assert client.post("/callback/line", content=body, headers=line_headers(body, LINE_SECRET)).status_code == 200
    return line_api.reply_to(event).json["messages"]


def book(server) -> OutreachBook:
    return OutreachBook(server.runtime.settings.data_dir)


def quick_reply_labels(message) -> list[str]:
    return [item["action"]["label"] for item in message["quickReply"]["items"]]


def test_settings_shows_topics_as_postback_buttons(client, line_api):
    messages = send(client, line_api, line_text_event("配信設定", user_id=USER))
    labels = quick_reply_labels(messages[-1])
    assert labels[:6] == ["子育て", "ごみ・リサイクル", "防災", "税・保険", "健康・検診", "イベント"]
    actions = messages[-1]["quickReply"]["items"][0]["action"]
    assert actions["type"] == "postback" and json.loads(actions["data"]) == {"a": "push", "t": "kosodate"}
    assert "配信中の分野はありません" in messages[-1]["text"]


def test_postbacks_toggle_topics_and_the_reply_shows_the_choice(client, line_api, server):
    user = "Upref000000000000000000000000002"
    first = send(client, line_api, line_postback_event(topic_data("kosodate"), user_id=user))
    assert "配信中: 子育て" in first[-1]["text"]
    second = send(client, line_api, line_postback_event(topic_data("bousai"), user_id=user))
    assert "配信中: 子育て、防災" in second[-1]["text"]
    assert "配信停止" in quick_reply_labels(second[-1])
    topics, _ = book(server).subscription(user)
    assert topics == {"kosodate", "bousai"}
    third = send(client, line_api, line_postback_event(topic_data("kosodate"), user_id=user))
    assert "止めました" in third[-1]["text"] and "配信中: 防災" in third[-1]["text"]
    assert book(server).subscription(user)[0] == {"bousai"}
    consented = list(book(server).db.query("select consented_at from push_topics where user_id = ?", [user]))
    assert consented and consented[0]["consented_at"].endswith("Z")


def test_unknown_topic_is_answered_and_stores_nothing(client, line_api, server):
    user = "Upref000000000000000000000000003"
    reply = send(client, line_api, line_postback_event(topic_data("nosuchtopic"), user_id=user))
    assert "選び直して" in reply[-1]["text"]
    assert book(server).subscription(user) == (set(), None)


def test_stop_removes_every_topic(client, line_api, server):
    user = "Upref000000000000000000000000004"
    send(client, line_api, line_postback_event(topic_data("gomi"), user_id=user))
    send(client, line_api, line_postback_event(topic_data("event"), user_id=user))
    reply = send(client, line_api, line_text_event("配信停止", user_id=user))
    assert "停止しました" in reply[-1]["text"]
    assert book(server).subscription(user) == (set(), None)
    assert user not in book(server).recipients(["gomi", "event"])


def test_area_choice(client, line_api, server):
    user = "Upref000000000000000000000000005"
    send(client, line_api, line_postback_event(topic_data("gomi"), user_id=user))
    menu = send(client, line_api, line_postback_event(json.dumps({"a": "push-areas"}), user_id=user))
    assert "北地区" in quick_reply_labels(menu[-1])
    chosen = send(client, line_api, line_postback_event(json.dumps({"a": "push-area", "r": "北地区"}), user_id=user))
    assert "地区: 北地区" in chosen[-1]["text"]
    assert book(server).recipients(["gomi"], "北地区") == [user]
    assert user not in book(server).recipients(["gomi"], "南地区")


def test_welcome_offers_the_topics(client, line_api):
    messages = send(client, line_api, line_follow_event(user_id="Upref000000000000000000000000006"))
    assert "友だち追加" in messages[0]["text"]
    assert quick_reply_labels(messages[-1])[0] == "子育て"


def test_unfollow_removes_the_subscriptions(client, line_api, server):
    user = "Upref000000000000000000000000007"
    send(client, line_api, line_postback_event(topic_data("zei"), user_id=user))
    assert book(server).subscription(user)[0] == {"zei"}
    body = line_body([line_event("unfollow", line_source(user), reply_token=None)])
    assert client.post("/callback/line", content=body, headers=line_headers(body, LINE_SECRET)).status_code == 200
    # An unfollow sends nothing, so there is no request to await: poll the database, bounded.
    deadline = time.monotonic() + 10
    while book(server).subscription(user) != (set(), None):
        assert time.monotonic() < deadline, "unfollow not handled within 10 s"
        time.sleep(0.02)


def test_an_unfollow_older_than_the_users_choice_removes_nothing(client, line_api, server):
    """A redelivered unfollow after the user followed again, or an old signed body sent again, must not stop the
    deliveries they chose since."""
    user = "Upref000000000000000000000000008"
    send(client, line_api, line_postback_event(topic_data("zei"), user_id=user))
    for age in (8 * 86400, 600):
        stale = line_event("unfollow", line_source(user), reply_token=None, timestamp=int((time.time() - age) * 1000))
        body = line_body([stale])
        assert client.post("/callback/line", content=body, headers=line_headers(body, LINE_SECRET)).status_code == 200
    send(client, line_api, line_text_event("配信設定", user))  # handled after the unfollows
    assert book(server).subscription(user)[0] == {"zei"}
