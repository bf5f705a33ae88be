"""LINE webhook against the real server and a fake LINE API, over real HTTP."""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone

import pytest

from fakes.line_api import LOADING, PROFILE, PUSH, REPLY
from fakes.server import serve_app
from fakes.webhooks import (
    LINE_SECRET,
    LINE_TOKEN,
    line_body,
    line_event,
    line_follow_event,
    line_headers,
    line_message_event,
    line_postback_event,
    line_source,
    line_text_event,
)

from indexing.settings import Settings
from indexing.storage import storage_for
from channels.line.webhook import RETRY_KEY_NAMESPACE, retry_key

USER = "U1234567890abcdef1234567890abcdef"


@pytest.fixture(scope="module")
def server(module_backend_data_dir, line_api):
    settings = Settings(data_dir=module_backend_data_dir, line_channel_secret=LINE_SECRET,
                        line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                        rate_limit_per_minute=0)  # one test user asks many times; limits: tests/channels/test_rate_limit.py
    with serve_app(settings) as running:
        yield running


def post_events(client, events, secret=LINE_SECRET, body: bytes | None = None, headers: dict | None = None):
    body = body if body is not None else line_body(events)
    return client.post("/callback/line", content=body, headers=headers or line_headers(body, secret))


def inquiries(server, where="1=1", params=()):
    return list(server.runtime.inquiry_log.db.query(f"select * from inquiries where {where} order by id", params))


def key_of(event: dict) -> str:
    return f"line:{event['webhookEventId']}"


def wait_closed(server, event, timeout: float = 15.0) -> dict:
    """The event's inbox row once it is done or failed (answers arrive before the row is closed)."""
    deadline = time.monotonic() + timeout
    while True:
        row = server.runtime.inbox.inbox.get(key_of(event))
        if row and row["state"] in ("done", "failed_permanent"):
            return row
        assert time.monotonic() < deadline, f"inbox row still {row and row['state']}"
        time.sleep(0.02)  # the worker closes the row right after the platform's answer: poll, bounded


def flush(client, line_api):
    """Send a sentinel follow and wait for its reply: everything sent before it has been handled."""
    sentinel = line_follow_event(user_id="Usentinel")
    assert post_events(client, [sentinel]).status_code == 200
    line_api.reply_to(sentinel)


def sent(line_api):
    """Requests that send something (profile look-ups only read the user's language)."""
    return [r for r in line_api.received if not r.path.startswith(PROFILE)]


def flex_bubble(reply):
    flex = [m for m in reply.json["messages"] if m["type"] == "flex"]
    assert flex, reply.json
    return flex[0]["contents"]


def walk(node):
    """Every dict inside a Flex tree."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def actions(node, kind):
    return [n["action"] for n in walk(node) if isinstance(n.get("action"), dict) and n["action"]["type"] == kind]


# --- the console's Verify button and signature checks --------------------------------------------
def test_console_verify_request_is_answered_200(client, line_api):
    body = json.dumps({"destination": "Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "events": []}).encode()
    response = client.post("/callback/line", content=body, headers=line_headers(body))
    assert response.status_code == 200


@pytest.mark.parametrize("case", ["forged", "tampered", "missing", "malformed-signed"])
def test_bad_requests_are_rejected_and_nothing_happens(client, line_api, server, case):
    before_rows = len(inquiries(server))
    before_requests = len(sent(line_api))
    event = line_text_event("粗大ごみの出し方は？", USER)
    body = line_body([event])
    if case == "forged":
        response = post_events(client, None, body=body, headers=line_headers(body, secret="not-the-secret"))
    elif case == "tampered":
        headers = line_headers(body)
        tampered = body.replace("粗大ごみ".encode(), "燃えるごみ".encode())
        response = post_events(client, None, body=tampered, headers=headers)
    elif case == "missing":
        response = post_events(client, None, body=body, headers={"Content-Type": "application/json"})
    else:
        broken = b'{"destination": "U", "events": [' + b"not json"
        response = post_events(client, None, body=broken, headers=line_headers(broken))
    assert response.status_code == 400
    flush(client, line_api)
    assert not line_api.replies(event["replyToken"])
    # Only the sentinel's reply went out, and no inquiry was logged.
    assert len(sent(line_api)) == before_requests + 1
    assert len(inquiries(server)) == before_rows


# --- answering ---------------------------------------------------------------------------------
def test_text_question_gets_answer_source_bubble_related_and_feedback(client, line_api, server):
    event = line_text_event("粗大ごみはどうやって出せばいいですか？", USER)
    assert post_events(client, [event]).status_code == 200
    reply = line_api.reply_to(event)

    assert reply.header("Authorization") == f"Bearer {LINE_TOKEN}"
    messages = reply.json["messages"]
    assert messages[0]["type"] == "text" and "粗大ごみ処理券" in messages[0]["text"]
    bubble = flex_bubble(reply)
    texts = [n["text"] for n in walk(bubble) if n.get("type") == "text"]
    assert "出典" in texts and any("粗大ごみはどうやって出せばいいですか" in t for t in texts)
    uris = actions(bubble, "uri")
    assert uris and uris[0]["uri"] == "https://www.city.test.example.lg.jp/faq/"
    feedback = {a["label"]: json.loads(a["data"]) for a in actions(bubble, "postback")}
    assert set(feedback) == {"解決した", "解決しない"}

    row = inquiries(server, "id = ?", [feedback["解決した"]["i"]])[0]
    assert row["channel"] == "line" and row["audience"] == "citizen"
    assert row["question"] == "粗大ごみはどうやって出せばいいですか？"
    assert row["user_key"] and USER not in row["user_key"]

    quick = messages[-1]["quickReply"]["items"]
    assert quick and all(item["action"]["type"] == "postback" for item in quick)
    assert all(len(item["action"]["label"]) <= 20 for item in quick)

    loading = [r for r in line_api.requests(LOADING) if r.json["chatId"] == USER]
    assert loading and loading[0].json["loadingSeconds"] == 5
    assert loading[0].at <= reply.at  # the indicator starts before the answer arrives


def test_staff_only_knowledge_never_reaches_line(client, line_api):
    event = line_text_event("時間外勤務の申請はいつまでですか？", USER)
    post_events(client, [event])
    reply = line_api.reply_to(event)
    everything = json.dumps(reply.json, ensure_ascii=False)
    assert "勤怠システム" not in everything and "時間外勤務のルール" not in everything


def test_redelivered_event_is_answered_once(client, line_api, server):
    question = f"転入届に必要なものは何ですか？ {uuid.uuid4().hex[:6]}"
    event = line_text_event(question, USER)
    redelivery = dict(event, deliveryContext={"isRedelivery": True})
    for payload in (event, redelivery, event):
        assert post_events(client, [payload]).status_code == 200
    line_api.reply_to(event)
    assert wait_closed(server, event)["outcome"] == "reply"
    assert post_events(client, [redelivery]).status_code == 200  # after it was answered, too
    flush(client, line_api)
    assert len(line_api.replies(event["replyToken"])) == 1
    [row] = inquiries(server, "question = ?", [question])
    assert row["record_key"] == f"event:{key_of(event)}"
    assert server.runtime.inbox.inbox.get(key_of(event))["inquiry_id"] == row["id"]


def test_a_signed_event_replayed_after_the_inbox_forgot_it_is_not_answered(client, line_api, server):
    """LINE's signature carries no time: a captured body sent again a week later must not be answered again."""
    question = f"転入届に必要なものは何ですか？ {uuid.uuid4().hex[:6]}"
    event = dict(line_text_event(question, USER), timestamp=int((time.time() - 8 * 86400) * 1000))
    assert post_events(client, [event]).status_code == 200
    flush(client, line_api)
    assert server.runtime.inbox.inbox.get(key_of(event)) is None and not line_api.replies(event["replyToken"])
    assert inquiries(server, "question = ?", [question]) == []


def test_events_in_standby_mode_are_not_answered(client, line_api, server):
    """Another channel (a module) is in control of the chat: no reply token, and no push either."""
    user = "Ustandby000000000000000000000000"
    question = f"粗大ごみの出し方は？ {uuid.uuid4().hex[:6]}"
    events = [dict(line_text_event(question, user, reply_token=None), mode="standby"),
              dict(line_message_event({"type": "sticker", "packageId": "446", "stickerId": "1988",
                                       "stickerResourceType": "STATIC"}, user, reply_token=None), mode="standby")]
    assert post_events(client, events).status_code == 200
    flush(client, line_api)
    assert all(server.runtime.inbox.inbox.get(key_of(event)) is None for event in events)  # nothing to do
    assert line_api.pushes(user) == [] and inquiries(server, "question = ?", [question]) == []


def test_an_event_is_stored_before_the_200_and_its_payload_dropped_when_done(client, line_api, server):
    event = line_text_event("市役所の開庁時間は？", USER)
    inbox = server.runtime.inbox.inbox
    assert post_events(client, [event]).status_code == 200
    assert inbox.get(key_of(event)) is not None  # committed before the response
    line_api.reply_to(event)
    row = wait_closed(server, event)
    assert row["payload"] is None and row["lease_owner"] is None and row["finished_at"]


@pytest.mark.parametrize("message, expected", [
    ({"type": "sticker", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
      "keywords": ["happy"], "quoteToken": "q1"}, "スタンプ"),
    ({"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q2"}, "画像"),
    ({"type": "video", "duration": 1000, "contentProvider": {"type": "line"}, "quoteToken": "q3"}, "動画"),
    ({"type": "audio", "duration": 1000, "contentProvider": {"type": "line"}}, "音声"),
    ({"type": "file", "fileName": "a.pdf", "fileSize": 100}, "ファイル"),
    ({"type": "location", "title": "市役所", "address": "テスト市1-1", "latitude": 35.0, "longitude": 139.0},
     "位置情報"),
])
def test_non_text_messages_get_a_polite_reply(client, line_api, server, message, expected):
    before = len(inquiries(server))
    event = line_message_event(message, USER)
    assert post_events(client, [event]).status_code == 200
    reply = line_api.reply_to(event)
    [text] = reply.json["messages"]
    assert expected in text["text"] and ("ください" in text["text"] or "ません" in text["text"])
    assert len(inquiries(server)) == before  # not a question


def test_several_photos_sent_at_once_get_one_apology(client, line_api):
    photos = [line_message_event({"type": "image", "contentProvider": {"type": "line"}, "quoteToken": f"q{index}",
                                  "imageSet": {"id": "S1", "index": index, "total": 3}}, USER) for index in (1, 2, 3)]
    assert post_events(client, photos).status_code == 200
    assert "画像" in line_api.reply_to(photos[0]).json["messages"][0]["text"]
    flush(client, line_api)
    assert not line_api.replies(photos[1]["replyToken"]) and not line_api.replies(photos[2]["replyToken"])


def test_follow_gets_a_welcome_saying_what_it_can_answer(client, line_api):
    event = line_follow_event(USER)
    post_events(client, [event])
    text = line_api.reply_to(event).json["messages"][0]["text"]
    assert "友だち追加ありがとうございます" in text
    assert "ごみ・リサイクル" in text  # a category of the fixture knowledge


def test_unfollow_and_unknown_events_are_silently_accepted(client, line_api):
    unfollow = line_event("unfollow", line_source(USER), reply_token=None)
    unknown = line_event("somethingNew", line_source(USER))
    assert post_events(client, [unfollow, unknown]).status_code == 200
    flush(client, line_api)
    assert not line_api.replies(unknown["replyToken"])


# --- push fallback -------------------------------------------------------------------------------
def test_rejected_reply_token_falls_back_to_push_with_retry_key(client, line_api, server):
    user = "Upushfallback000000000000000000001"
    event = line_text_event("母子手帳はどこでもらえますか？", user)
    line_api.reject_reply_tokens.add(event["replyToken"])
    post_events(client, [event])
    [push] = line_api.wait_for(lambda f: f.pushes(user), what="push")
    assert push.json["to"] == user
    # Derived from the event, so that a retry after a restart carries the same key.
    assert push.header("X-Line-Retry-Key") == str(uuid.uuid5(RETRY_KEY_NAMESPACE, key_of(event)))
    assert "健康づくり課" in push.json["messages"][0]["text"]
    assert any(m["type"] == "flex" for m in push.json["messages"])
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["payload"], row["attempts"]) == ("done", "push", None, 1)


def test_failed_push_is_retried_with_the_same_retry_key(client, line_api, server):
    user = "Upushretry00000000000000000000001"
    event = line_text_event("犬の登録はどこでしますか？", user)
    line_api.reject_reply_tokens.add(event["replyToken"])
    line_api.fail_pushes = 1
    post_events(client, [event])
    pushes = line_api.wait_for(lambda f: (lambda p: p if len(p) >= 2 else None)(f.pushes(user)), what="2 pushes")
    assert len({p.header("X-Line-Retry-Key") for p in pushes}) == 1
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["attempts"]) == ("done", "push", 2)
    # The second attempt went straight to push: the refused reply token was not tried again.
    assert len(line_api.replies(event["replyToken"])) == 1
    assert len(line_api.pushes(user)) == 2


def test_a_reply_line_failed_is_retried_while_its_token_works(client, line_api, server):
    user = "Ureplyretry0000000000000000000001"
    event = line_text_event("犬の登録はどこでしますか？", user)
    line_api.fail_replies = 1
    post_events(client, [event])
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["attempts"]) == ("done", "reply", 2)
    assert len(line_api.replies(event["replyToken"])) == 2 and not line_api.pushes(user)


def test_a_reply_line_failed_is_pushed_once_its_token_may_have_expired(client, line_api, server):
    user = "Ureplyexpired000000000000000000001"
    event = line_text_event("粗大ごみの料金はいくら？", user)
    event["timestamp"] -= 50_000  # LINE sent it 50 s ago (a slow first attempt): the token is no longer trusted
    line_api.fail_replies = 1
    post_events(client, [event])
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["attempts"]) == ("done", "push", 2)
    assert len(line_api.replies(event["replyToken"])) == 1
    [push] = line_api.pushes(user)
    assert push.header("X-Line-Retry-Key") == retry_key(key_of(event))


def test_a_refused_push_is_a_permanent_failure_not_retried(client, line_api, server):
    user = "Ublockedtheaccount0000000000000001"
    event = line_text_event("粗大ごみの料金はいくら？", user)
    line_api.reject_reply_tokens.add(event["replyToken"])
    line_api.refuse_push_targets.add(user)
    post_events(client, [event])
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["payload"]) == ("failed_permanent", "push refused 400", None)
    flush(client, line_api)
    assert len(line_api.pushes(user)) == 1
    assert len(inquiries(server, "record_key = ?", [f"event:{key_of(event)}"])) == 1


# --- resuming after a crash ------------------------------------------------------------------------
def leave_unfinished(server, event, progress: str):
    """The inbox row a killed process leaves behind: stored, and ``progress`` started."""
    db = storage_for(server.runtime.settings.data_dir).connect()
    try:
        now = datetime.now(timezone.utc).isoformat()
        db.execute("insert into channel_inbox (event_key, channel, payload, state, attempts, progress, received_at, "
                   "updated_at) values (?, 'line', ?, 'pending', 1, ?, ?, ?)",
                   [key_of(event), json.dumps(event, ensure_ascii=False), progress, now, now])
    finally:
        db.close()


def test_a_resumed_event_whose_reply_went_out_is_not_sent_again(client, line_api, server):
    user = "Uresumedreply000000000000000000001"
    event = line_text_event("燃えるごみの収集日はいつですか？", user)
    line_api.reject_reply_tokens.add(event["replyToken"])  # LINE refuses the token: the crashed attempt used it
    leave_unfinished(server, event, "reply")
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"], row["attempts"]) == ("done", "reply (sent before a restart)", 2)
    assert len(line_api.replies(event["replyToken"])) == 1 and not line_api.pushes(user)
    assert len(inquiries(server, "record_key = ?", [f"event:{key_of(event)}"])) == 1


def test_a_resumed_event_with_an_expired_token_is_pushed_once(client, line_api, server):
    user = "Uresumedlate00000000000000000000001"
    event = line_text_event("転入届に必要なものは何ですか？", user)
    event["timestamp"] -= 120_000  # two minutes ago: the token may have expired unused
    line_api.reject_reply_tokens.add(event["replyToken"])
    leave_unfinished(server, event, "reply")
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"]) == ("done", "push")
    [push] = line_api.pushes(user)
    assert push.header("X-Line-Retry-Key") == str(uuid.uuid5(RETRY_KEY_NAMESPACE, key_of(event)))


def test_a_resumed_push_that_line_had_accepted_is_not_sent_twice(client, line_api, server):
    user = "Uresumedpush000000000000000000001"
    event = line_text_event("住民票の写しはコンビニで取れますか？", user)
    line_api.reject_reply_tokens.add(event["replyToken"])
    post_events(client, [event])
    assert wait_closed(server, event)["outcome"] == "push"
    # The same event left as a crash between LINE accepting the push and the inbox recording it.
    db = storage_for(server.runtime.settings.data_dir).connect()
    db.execute("delete from channel_inbox where event_key = ?", [key_of(event)])
    db.close()
    leave_unfinished(server, event, "push")
    row = wait_closed(server, event)
    assert (row["state"], row["outcome"]) == ("done", "push 409 (accepted earlier)")
    assert [p.header("X-Line-Retry-Key") for p in line_api.pushes(user)] == [retry_key(key_of(event))] * 2
    assert len(line_api.replies(event["replyToken"])) == 1  # the resumed attempt did not reply again
    assert len(inquiries(server, "record_key = ?", [f"event:{key_of(event)}"])) == 1


# --- postbacks -----------------------------------------------------------------------------------
def test_feedback_postback_updates_the_right_inquiry(client, line_api, server):
    ask = line_text_event("保育園の申し込みはいつからですか？", USER)
    post_events(client, [ask])
    bubble = flex_bubble(line_api.reply_to(ask))
    data = {a["label"]: a["data"] for a in actions(bubble, "postback")}
    inquiry_id = json.loads(data["解決しない"])["i"]

    someone_else = line_postback_event(data["解決しない"], user_id="Usomeoneelse0000000000000000000001")
    post_events(client, [someone_else])
    assert "ご質問をされた方のみ" in line_api.reply_to(someone_else).json["messages"][0]["text"]
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] is None

    postback = line_postback_event(data["解決しない"], user_id=USER)
    post_events(client, [postback])
    text = line_api.reply_to(postback).json["messages"][0]["text"]
    assert "申し訳ありません" in text and "総合案内" in text
    row = inquiries(server, "id = ?", [inquiry_id])[0]
    assert row["feedback"] == "unresolved"

    resolved = line_postback_event(data["解決した"], user_id=USER)
    post_events(client, [resolved])
    assert "ありがとうございます" in line_api.reply_to(resolved).json["messages"][0]["text"]
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] == "resolved"


def test_related_question_tap_answers_that_question(client, line_api, server):
    ask = line_text_event("粗大ごみの料金はいくらですか？", USER)
    post_events(client, [ask])
    quick = line_api.reply_to(ask).json["messages"][-1]["quickReply"]["items"]
    tapped = quick[0]["action"]
    question = json.loads(tapped["data"])["q"]

    postback = line_postback_event(tapped["data"], user_id=USER)
    post_events(client, [postback])
    reply = line_api.reply_to(postback)
    assert reply.json["messages"][0]["type"] == "text"
    assert inquiries(server, "question = ?", [question])


def test_unknown_postback_data_is_ignored(client, line_api):
    event = line_postback_event("richmenu=1", user_id=USER)
    post_events(client, [event])
    flush(client, line_api)
    assert not line_api.replies(event["replyToken"])
    # JSON's true is no inquiry id (Python's bool is an int): nothing is rated.
    forged = line_postback_event(json.dumps({"a": "feedback", "i": True, "v": "resolved"}), user_id=USER)
    post_events(client, [forged])
    flush(client, line_api)
    assert not line_api.replies(forged["replyToken"])


# --- groups --------------------------------------------------------------------------------------
def test_groups_are_answered_only_when_the_bot_is_mentioned(client, line_api, server):
    group = "Cgroup000000000000000000000000001"
    chatter = line_text_event("母子手帳はどこでもらえますか？", USER, group_id=group)
    post_events(client, [chatter])
    flush(client, line_api)
    assert not line_api.replies(chatter["replyToken"])

    question = "児童手当の申請方法を教えてください。"
    mention = line_text_event(f"@まどぐち {question}", USER, group_id=group, mention_self_at=(0, 5))
    loading_before = len(line_api.requests(LOADING))
    post_events(client, [mention])
    reply = line_api.reply_to(mention)
    first = reply.json["messages"][0]
    assert "こども家庭課" in first["text"]
    assert first["quoteToken"] == mention["message"]["quoteToken"]
    assert inquiries(server, "question = ?", [question])
    assert len(line_api.requests(LOADING)) == loading_before  # 1:1 chats only

    sticker = line_message_event({"type": "sticker", "packageId": "1", "stickerId": "1",
                                  "stickerResourceType": "STATIC"}, USER)
    sticker["source"] = line_source(USER, group_id=group)
    post_events(client, [sticker])
    flush(client, line_api)
    assert not line_api.replies(sticker["replyToken"])


def test_line_emoji_and_the_bots_mention_are_not_part_of_a_one_to_one_question(client, line_api, server):
    question = "住民票はコンビニで取れますか？"
    event = line_text_event(f"$ {question}$", "Uemoji000000000000000000000000001")
    event["message"]["emojis"] = [{"index": 0, "length": 1, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "001"},
                                  {"index": len(question) + 2, "length": 1, "productId": "5ac1bfd5040ab15980c9b435",
                                   "emojiId": "002"}]
    mention = line_text_event("@まどぐち 母子手帳はどこでもらえますか？", "Umention00000000000000000000000001",
                              mention_self_at=(0, 5))
    # LINE counts places in UTF-16 code units: 😊 before the emoji's alt text is two.
    smiling = line_text_event("😊(hello)転入届に必要なものは？", "Uemoji000000000000000000000000002")
    smiling["message"]["emojis"] = [{"index": 2, "length": 7, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "003"}]
    post_events(client, [event, mention, smiling])
    line_api.reply_to(event), line_api.reply_to(mention), line_api.reply_to(smiling)
    assert inquiries(server, "question = ?", [question])
    assert inquiries(server, "question = ?", ["母子手帳はどこでもらえますか？"])
    assert inquiries(server, "question = ?", ["😊転入届に必要なものは？"])


def test_several_events_in_one_webhook_are_each_answered(client, line_api):
    events = [line_text_event(q, USER) for q in ("燃えるごみの収集日はいつですか？", "市役所の開庁時間は？")]
    post_events(client, events)
    for event in events:
        assert line_api.reply_to(event).json["messages"][0]["type"] == "text"
    assert {REPLY, PUSH} >= {r.path for r in sent(line_api) if r.path != LOADING}


def test_a_failing_bot_still_gets_a_polite_reply(client, line_api, server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(server.runtime.bot, "ask", broken)
    event = line_text_event("粗大ごみはどうやって出せばいいですか？", USER)
    post_events(client, [event])
    [message] = line_api.reply_to(event).json["messages"]
    assert "申し訳ありません" in message["text"] and "もう一度" in message["text"]


# --- residents who do not read Japanese ------------------------------------------------------------
ENGLISH_USER = "U0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e"


def test_an_english_question_gets_the_english_translation_with_english_buttons(client, line_api, server):
    event = line_text_event("How do I put out large garbage?", ENGLISH_USER)
    post_events(client, [event])
    reply = line_api.reply_to(event)
    first = reply.json["messages"][0]["text"]
    assert first.startswith("Apply in advance online or by phone")  # the city's own translation of 101
    bubble = flex_bubble(reply)
    texts = [n["text"] for n in walk(bubble) if n.get("type") == "text"]
    assert "Source" in texts and "Did this answer solve your problem?" in texts
    feedback = {a["label"]: json.loads(a["data"]) for a in actions(bubble, "postback")}
    assert set(feedback) == {"Solved", "Not solved"}
    row = inquiries(server, "id = ?", [feedback["Solved"]["i"]])[0]
    assert row["language"] == "en"

    thanks = line_postback_event(json.dumps(feedback["Solved"], separators=(",", ":")), ENGLISH_USER)
    post_events(client, [thanks])
    assert line_api.reply_to(thanks).json["messages"][0]["text"] == "Thank you for your feedback. We are glad we could help."


def test_an_english_question_without_a_translation_gets_the_japanese_entry_after_an_english_note(client, line_api):
    event = line_text_event("What do I need for the moving-in notification?", ENGLISH_USER)
    post_events(client, [event])
    text = line_api.reply_to(event).json["messages"][0]["text"]
    note, japanese = text.split("\n\n", 1)
    assert "available only in Japanese" in note and "please contact" in note
    assert "転出証明書" in japanese  # entry 103, as the city wrote it


def test_the_profile_language_is_used_when_the_message_does_not_tell(client, line_api):
    user = "U0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
    line_api.profile_languages[user] = "pt-BR"
    sticker = line_message_event({"type": "sticker", "packageId": "446", "stickerId": "1988",
                                  "stickerResourceType": "STATIC", "quoteToken": "q9"}, user)
    post_events(client, [sticker])
    assert line_api.reply_to(sticker).json["messages"][0]["text"].startswith("Obrigado pela figurinha")
    follow = line_follow_event(user_id=user)
    post_events(client, [follow])
    assert line_api.reply_to(follow).json["messages"][0]["text"].startswith("Obrigado por nos adicionar")
    profile_calls = [r for r in line_api.received if r.path == PROFILE + user]
    assert len(profile_calls) == 1  # fetched once, then cached
    # A clear Japanese question is answered in Japanese whatever the profile says.
    question = line_text_event("粗大ごみはどうやって出せばいいですか？", user)
    post_events(client, [question])
    assert "粗大ごみ処理券" in line_api.reply_to(question).json["messages"][0]["text"]


def test_a_lone_surrogate_or_a_span_through_a_pair_does_not_fail_the_question():
    from linebot.v3.webhooks import TextMessageContent

    from channels.line.webhook import typed_question

    def content(text, emojis):
        return TextMessageContent.from_dict({"type": "text", "id": "1", "text": text, "quoteToken": "q", "emojis": [
            {"index": i, "length": n, "productId": "p", "emojiId": "e"} for i, n in emojis]})

    assert typed_question(content("\ud83d$住民票は？", [(1, 1)])) == "住民票は？"
    assert typed_question(content("😊$住民票は？", [(1, 2)])) == "住民票は？"  # through the pair: its half dropped


def test_another_members_mention_is_a_name_placeholder_and_all_is_dropped():
    """A mention of another group member is their display name: personal data, never stored as typed."""
    from linebot.v3.webhooks import TextMessageContent

    from channels.line.webhook import typed_question

    text = "@まどぐち @たなか 😊 @All 粗大ごみの出し方は？"
    content = TextMessageContent.from_dict({"type": "text", "id": "1", "text": text, "quoteToken": "q", "mention": {
        "mentionees": [{"index": 0, "length": 5, "type": "user", "userId": "Ubot", "isSelf": True},
                       {"index": 6, "length": 4, "type": "user", "userId": "Utanaka"},
                       {"index": 14, "length": 4, "type": "all"}]}})
    assert typed_question(content) == "@〔氏名〕 😊  粗大ごみの出し方は？"


def test_a_message_taken_back_leaves_its_inquiry_without_words(client, line_api, server):
    """送信取消: LINE asks that an unsent message be neither seen nor used again. The inquiry keeps its count."""
    question = f"住所は青葉台3丁目です。粗大ごみの出し方は？ {uuid.uuid4().hex[:6]}"
    event = line_text_event(question, USER)
    post_events(client, [event])
    line_api.reply_to(event)
    wait_closed(server, event)
    [row] = inquiries(server, "record_key = ?", [f"event:{key_of(event)}"])
    assert row["question"] and row["message_key"]
    unsend = line_event("unsend", line_source(USER), reply_token=None, unsend={"messageId": event["message"]["id"]})
    other = line_text_event(f"転入届は？ {uuid.uuid4().hex[:6]}", USER)
    post_events(client, [other, unsend])
    line_api.reply_to(other)
    wait_closed(server, unsend)
    [row] = inquiries(server, "id = ?", [row["id"]])
    assert row["question"] == "" and row["answer"] == "" and row["answer_kind"]  # the count stays
    assert inquiries(server, "record_key = ?", [f"event:{key_of(other)}"])[0]["question"]  # another message's words stay
    assert not line_api.replies(unsend.get("replyToken", "none"))
