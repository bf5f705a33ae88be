"""Slack (Bolt, HTTP mode and Socket Mode) against the real server and a fake Slack API."""
from __future__ import annotations

import json
import shutil
import time
import urllib.parse
import uuid
from types import SimpleNamespace

import httpx
import pytest

from fakes.server import serve_app
from fakes.webhooks import (
    FORM,
    JSON,
    SLACK_APP_TOKEN,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    SLACK_TEAM,
    slack_action_body,
    slack_command_body,
    slack_dm_event,
    slack_event_body,
    slack_headers,
    slack_mention_event,
    unique,
)

from indexing.settings import Settings
from indexing.storage import storage_for

STAFF_QUESTION = "時間外勤務の申請はいつまでですか？"


@pytest.fixture(scope="module")
def server(module_backend_data_dir, slack_api):
    settings = Settings(data_dir=module_backend_data_dir, slack_signing_secret=SLACK_SECRET,
                        slack_bot_token=SLACK_BOT_TOKEN, slack_api_base_url=slack_api.api_url,
                        rate_limit_per_minute=0)  # one test user asks many times; limits: tests/channels/test_rate_limit.py
    with serve_app(settings) as running:
        yield running


def send_event(client, event, event_id=None, **header_options):
    body = slack_event_body(event, event_id=event_id)
    return client.post("/slack/events", content=body, headers=slack_headers(body, JSON, **header_options))


def send_form(client, body, **header_options):
    return client.post("/slack/events", content=body, headers=slack_headers(body, FORM, **header_options))


def inquiries(server, where="1=1", params=()):
    return list(server.runtime.inquiry_log.db.query(f"select * from inquiries where {where} order by id", params))


def post_for(slack_api, channel, thread_ts=None, timeout=10):
    def match(fake):
        return [p for p in fake.posts() if p.json.get("channel") == channel
                and (thread_ts is None or p.json.get("thread_ts") == thread_ts)]
    return slack_api.wait_for(match, timeout, what=f"chat.postMessage to {channel}")[0]


def flush(client, slack_api):
    """A sentinel DM, answered after everything sent before it."""
    channel = unique("DSENTINEL")
    send_event(client, slack_dm_event("市役所の開庁時間は？", channel=channel))
    post_for(slack_api, channel)


def block_types(blocks):
    return [b["type"] for b in blocks]


def buttons(blocks):
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


# --- verification ----------------------------------------------------------------------------
def test_url_verification_only_when_signed(client):
    body = json.dumps({"token": "x", "challenge": "challenge-123", "type": "url_verification"}).encode()
    ok = client.post("/slack/events", content=body, headers=slack_headers(body, JSON))
    assert ok.status_code == 200 and "challenge-123" in ok.text
    forged = client.post("/slack/events", content=body, headers=slack_headers(body, JSON, secret="wrong"))
    assert forged.status_code == 401 and "challenge-123" not in forged.text


@pytest.mark.parametrize("case", ["forged", "tampered", "stale", "missing"])
def test_bad_requests_are_rejected_and_nothing_happens(client, slack_api, server, case):
    before_rows = len(inquiries(server))
    channel = unique("CREJECT")
    body = slack_event_body(slack_mention_event(STAFF_QUESTION, channel=channel))
    if case == "forged":
        headers = slack_headers(body, JSON, secret="not-the-secret")
    elif case == "tampered":
        headers = slack_headers(body, JSON)
        body = body.replace("時間外勤務".encode(), "有給休暇".encode())
    elif case == "stale":
        headers = slack_headers(body, JSON, timestamp=int(time.time()) - 600)
    else:
        headers = {"Content-Type": JSON}
    response = client.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    flush(client, slack_api)
    assert not [p for p in slack_api.posts() if p.json.get("channel") == channel]
    assert len(inquiries(server)) == before_rows + 1  # the sentinel only


# --- events ----------------------------------------------------------------------------------
def test_app_mention_is_answered_in_thread_with_blocks(client, slack_api, server):
    channel = unique("CMENTION")
    event = slack_mention_event(STAFF_QUESTION, channel=channel)
    response = send_event(client, event)
    assert response.status_code == 200
    post = post_for(slack_api, channel)
    assert post.header("Authorization") == f"Bearer {SLACK_BOT_TOKEN}"
    assert post.json["thread_ts"] == event["ts"]
    blocks = post.json["blocks"]
    assert blocks[0]["type"] == "section" and "勤怠システム" in blocks[0]["text"]["text"]
    context = " ".join(e["text"] for b in blocks if b["type"] == "context" for e in b["elements"])
    assert "出典" in context and "時間外勤務のルール" in context
    found = buttons(blocks)
    assert found["feedback_up"]["value"] == found["feedback_down"]["value"]
    row = inquiries(server, "id = ?", [int(found["feedback_up"]["value"])])[0]
    assert row["channel"] == "slack" and row["audience"] == "staff" and row["question"] == STAFF_QUESTION
    assert "U0000STAFF1" not in row["user_key"]
    assert "勤怠システム" in post.json["text"]  # notification / screen-reader fallback


def test_mention_inside_a_thread_replies_in_that_thread(client, slack_api):
    channel = unique("CTHREAD")
    event = slack_mention_event("共有フォルダのファイル名のルールは？", channel=channel, thread_ts="1700000000.000001")
    send_event(client, event)
    assert post_for(slack_api, channel).json["thread_ts"] == "1700000000.000001"


def test_a_person_of_another_organisation_gets_no_staff_knowledge(client, slack_api, server):
    """Slack Connect: a mention in a shared channel, or a DM, from another workspace's user (user_team) is told
    the desk is for the city's staff; nothing of the answer is posted and the question is not kept."""
    before = len(inquiries(server))
    for make, prefix in ((slack_mention_event, "CSHARED"), (slack_dm_event, "DSHARED")):
        channel = unique(prefix)
        event = {**make(STAFF_QUESTION, channel=channel), "user_team": "TVENDOR99", "source_team": "TVENDOR99"}
        assert send_event(client, event).status_code == 200
        post = post_for(slack_api, channel)
        assert "組織外の方" in post.json["text"] and "勤怠システム" not in post.json["text"]
    # The city's own staff are answered in their workspace's channels, and asked to use a DM in a channel
    # another organisation shares (its members would read the answer).
    channel = unique("COWN")
    own = {**slack_mention_event(STAFF_QUESTION, channel=channel), "user_team": SLACK_TEAM}
    assert send_event(client, own).status_code == 200
    assert "勤怠システム" in post_for(slack_api, channel).json["text"]
    assert len(inquiries(server)) == before + 1
    channel = unique("CSHARED")
    body = json.loads(slack_event_body({**slack_mention_event(STAFF_QUESTION, channel=channel), "user_team": SLACK_TEAM}))
    body["is_ext_shared_channel"] = True
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert client.post("/slack/events", content=raw, headers=slack_headers(raw, JSON)).status_code == 200
    post = post_for(slack_api, channel)
    assert "DM で質問してください" in post.json["text"] and "勤怠システム" not in post.json["text"]


def test_a_person_of_another_organisation_cannot_use_the_command_or_the_buttons(client, slack_api, server):
    """Slack Connect: the slash command, a related question and the feedback buttons are refused to a member of
    another organisation too (their team_id / user.team_id is not the app's workspace, which auth.test names)."""
    before = len(inquiries(server))
    name = unique("cmd-outsider")
    response = send_form(client, slack_command_body(STAFF_QUESTION, slack_api.response_url(name),
                                                    user_id="UVENDOR1", team_id="TVENDOR99"))
    assert response.status_code == 200 and "組織外の方" in response.json()["text"]
    channel = unique("CMINE")
    send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel))
    found = buttons(post_for(slack_api, channel).json["blocks"])
    related = next(e for k, e in found.items() if k.startswith("related_question_"))
    inquiry_id = int(found["feedback_down"]["value"])
    for action_id, value, block_id in ((related["action_id"], related["value"], "madoguchi_related"),
                                       ("feedback_down", str(inquiry_id), "madoguchi_feedback")):
        body = json.loads(urllib.parse.parse_qs(slack_action_body(
            action_id, value, slack_api.response_url(name := unique("act-outsider")), block_id=block_id
        ).decode())["payload"][0])
        body["user"]["team_id"] = "TVENDOR99"  # the channel is the city's; the person is not
        raw = urllib.parse.urlencode({"payload": json.dumps(body, ensure_ascii=False)}).encode()
        assert send_form(client, raw).status_code == 200
        [refused] = slack_api.wait_for(lambda f: f.responses(name), what="refusal")
        assert "組織外の方" in refused.json["text"] and "blocks" not in refused.json
    flush(client, slack_api)
    assert not slack_api.responses(unique("never")) and len(inquiries(server)) == before + 2  # CMINE + the sentinel
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] is None


def test_the_home_workspace_is_the_authorizations_not_the_channels_host():
    """In a channel hosted by the other organisation the envelope's team_id is theirs."""
    from channels.slack.bolt_app import from_another_workspace, unvouched_reply

    hosted_there = {"team_id": "TVENDOR", "authorizations": [{"team_id": "TCITY"}], "is_ext_shared_channel": True}
    assert from_another_workspace(hosted_there, {"user_team": "TVENDOR", "source_team": "TVENDOR"})
    assert not from_another_workspace(hosted_there, {"user_team": "TCITY", "source_team": "TCITY"})
    # An event naming no team of its writer is foreign when delivered for another installation of the app.
    # (Bolt's context: the app's own workspace, from auth.test, whatever the envelope's authorizations say.)
    context = SimpleNamespace(authorize_result=SimpleNamespace(team_id="TCITY", enterprise_id=None))
    assert from_another_workspace({"team_id": "TVENDOR", "authorizations": [{"team_id": "TVENDOR"}]}, {"user": "U1"},
                                  context)
    assert not from_another_workspace({"team_id": "TCITY", "authorizations": [{"team_id": "TCITY"}]}, {"user": "U1"})
    # The envelope's team_id is the channel's host, not the writer's: city staff in a channel a vendor hosts are
    # no outsiders, but a reply there that names no writer's team is not vouched for (never sent to a citizen).
    assert not from_another_workspace(hosted_there, {"user": "U1"}, context)
    assert unvouched_reply(hosted_there, {"user": "U1"}, context)
    assert not unvouched_reply(hosted_there, {"user": "U1", "user_team": "TCITY"}, context)
    # An org-wide install: a colleague of another workspace of the same organisation is no outsider.
    org_wide = {"team_id": "T2", "authorizations": [{"team_id": None, "enterprise_id": "E1"}]}
    assert not from_another_workspace(org_wide, {"user_team": "T1"})


def test_an_org_wide_install_relays_no_ticket_reply_written_in_a_channel_shared_with_another_organisation():
    from channels.slack.bolt_app import unvouched_reply

    org_wide = {"team_id": "T2", "authorizations": [{"team_id": None, "enterprise_id": "E1"}]}
    assert not unvouched_reply(org_wide, {"user_team": "T1"})  # a colleague of another workspace of the org
    assert unvouched_reply({**org_wide, "is_ext_shared_channel": True}, {"user_team": "T1"})  # cannot be told apart
    one_team = {"team_id": "TCITY", "authorizations": [{"team_id": "TCITY"}], "is_ext_shared_channel": True}
    assert not unvouched_reply(one_team, {"user_team": "TCITY"}) and unvouched_reply(one_team, {"user_team": "TV"})


def test_a_new_assistant_thread_is_greeted_once_with_what_to_ask(client, slack_api, server):
    channel = unique("DASSIST")
    event = {"type": "assistant_thread_started", "event_ts": "1700000000.000100",
             "assistant_thread": {"user_id": "U0000STAFF1", "channel_id": channel, "thread_ts": "1700000000.000050",
                                  "context": {}}}
    event_id = unique("EvASSIST")
    assert send_event(client, event, event_id=event_id).status_code == 200
    assert send_event(client, event, event_id=event_id, retry_num=1).status_code == 200  # Slack's retry
    post = post_for(slack_api, channel, "1700000000.000050")
    assert post.json["text"].startswith("お疲れさまです。") and "時間外勤務" in post.json["text"]
    flush(client, slack_api)
    assert len([p for p in slack_api.posts() if p.json.get("channel") == channel]) == 1


def test_another_bots_mention_is_not_answered(client, slack_api, server):
    channel = unique("CBOTS")
    event = {**slack_mention_event(STAFF_QUESTION, channel=channel), "bot_id": "BOTHER2"}
    assert send_event(client, event).status_code == 200
    flush(client, slack_api)
    assert not [p for p in slack_api.posts() if p.json.get("channel") == channel]


def test_direct_message_is_answered(client, slack_api):
    channel = unique("DDIRECT")
    send_event(client, slack_dm_event(STAFF_QUESTION, channel=channel))
    post = post_for(slack_api, channel)
    assert "thread_ts" not in post.json or post.json["thread_ts"] is None
    assert "勤怠システム" in post.json["blocks"][0]["text"]["text"]


def test_own_messages_edits_and_channel_chatter_are_ignored(client, slack_api):
    channels = [unique("DBOT"), unique("DEDIT"), unique("CCHATTER")]
    send_event(client, slack_dm_event("市役所の開庁時間は？", channel=channels[0], bot_id="BBOT0001"))
    send_event(client, slack_dm_event("市役所の開庁時間は？", channel=channels[1], subtype="message_changed"))
    chatter = slack_dm_event("市役所の開庁時間は？", channel=channels[2])
    chatter["channel_type"] = "channel"
    assert send_event(client, chatter).status_code == 200
    flush(client, slack_api)
    assert not [p for p in slack_api.posts() if p.json.get("channel") in channels]


def test_messages_with_a_file_or_also_sent_to_the_channel_are_answered(client, slack_api):
    for subtype in ("file_share", "thread_broadcast"):
        channel = unique("DFILE")
        event = slack_dm_event(STAFF_QUESTION, channel=channel, subtype=subtype)
        if subtype == "file_share":
            event["files"] = [{"id": "F0001", "name": "memo.xlsx", "mimetype": "application/vnd.ms-excel"}]
        send_event(client, event)
        assert "勤怠システム" in post_for(slack_api, channel).json["blocks"][0]["text"]["text"]


def test_a_file_whose_name_is_asked_about_is_checked_and_a_screenshot_alone_is_not(client, slack_api, server):
    channel = unique("DFILENAME")
    event = slack_dm_event("このファイル名で大丈夫？", channel=channel, subtype="file_share")
    event["files"] = [{"id": "F0002", "name": "予算資料最終版.xlsx", "mimetype": "application/vnd.ms-excel"}]
    send_event(client, event)
    text = post_for(slack_api, channel).json["blocks"][0]["text"]["text"]
    assert "予算資料最終版.xlsx" in text
    [row] = inquiries(server, "question like ?", ["%予算資料最終版.xlsx%"])
    assert row["answer_kind"] == "name_check"
    # An image with no words gets the staff example, not a resident's, and no check of 'image.png'.
    channel = unique("DSCREENSHOT")
    shot = slack_dm_event("", channel=channel, subtype="file_share")
    shot["files"] = [{"id": "F0003", "name": "image.png", "mimetype": "image/png"}]
    send_event(client, shot)
    text = post_for(slack_api, channel).json["text"]
    assert "時間外勤務" in text and "粗大ごみ" not in text and "image.png" not in text


def test_slack_markup_is_read_as_typed(client, slack_api, server):
    # Slack auto-links a file name with a known ending and escapes &: the checker sees what was typed.
    channel = unique("DMARKUP")
    send_event(client, slack_dm_event("<http://20240401_予算&amp;決算_v2.md|20240401_予算&amp;決算_v2.md> "
                                      "このファイル名は大丈夫？", channel=channel))
    text = post_for(slack_api, channel).json["blocks"][0]["text"]["text"]
    # (the reply escapes & as mrkdwn requires: Slack shows &amp; as &)
    assert "「20240401_予算&amp;決算_v2.md」" in text and "「&amp;」" in text
    assert "&amp;amp;" not in text and "「;」" not in text and "http" not in text and "|" not in text
    [row] = inquiries(server, "question like ?", ["%予算%決算_v2.md%"])
    assert row["question"].startswith("20240401_予算&決算_v2.md") and row["answer_kind"] == "name_check"


@pytest.mark.parametrize("body", [
    slack_event_body({"type": "app_home_opened", "user": "U0000STAFF1", "channel": "D0000HOME", "tab": "home",
                      "event_ts": "1700000000.000100"}),
    slack_event_body({"type": "member_joined_channel", "user": "U0000STAFF1", "channel": "C0000GENERAL",
                      "channel_type": "C", "event_ts": "1700000000.000200"}),
    slack_event_body({"type": "a_future_event", "event_ts": "1700000000.000300"}),
])
def test_events_without_a_listener_are_acknowledged(client, body):
    assert client.post("/slack/events", content=body, headers=slack_headers(body, JSON)).status_code == 200


def test_slacks_rate_limit_notice_is_acknowledged_only_when_signed(client):
    body = json.dumps({"token": "x", "type": "app_rate_limited", "team_id": "T0001", "minute_rate_limited": 1518467820,
                       "api_app_id": "A0001"}).encode()
    assert client.post("/slack/events", content=body, headers=slack_headers(body, JSON)).status_code == 200
    forged = client.post("/slack/events", content=body, headers=slack_headers(body, JSON, secret="wrong"))
    assert forged.status_code == 401


def test_another_apps_button_is_acknowledged(client, slack_api):
    body = slack_action_body("someone_elses_button", "x", slack_api.response_url("other"))
    assert send_form(client, body).status_code == 200


def test_retried_event_is_answered_once(client, slack_api, server):
    channel = unique("CRETRY")
    question = f"{STAFF_QUESTION} {uuid.uuid4().hex[:6]}"
    event = slack_mention_event(question, channel=channel)
    event_id = unique("EvRetry")
    assert send_event(client, event, event_id=event_id).status_code == 200
    assert send_event(client, event, event_id=event_id, retry_num=1).status_code == 200
    assert send_event(client, event, event_id=event_id, retry_num=2).status_code == 200
    post_for(slack_api, channel)
    flush(client, slack_api)
    assert len([p for p in slack_api.posts() if p.json.get("channel") == channel]) == 1
    assert len(inquiries(server, "question = ?", [question])) == 1


# --- slash command and buttons -----------------------------------------------------------------
def test_slash_command_answers_ephemerally_on_response_url(client, slack_api):
    name = unique("cmd")
    started = time.monotonic()
    response = send_form(client, slack_command_body(STAFF_QUESTION, slack_api.response_url(name)))
    assert response.status_code == 200 and time.monotonic() - started < 3
    [posted] = slack_api.wait_for(lambda f: f.responses(name), what="response_url post")
    assert posted.json["response_type"] == "ephemeral"
    assert "勤怠システム" in posted.json["blocks"][0]["text"]["text"]
    assert {"feedback_up", "feedback_down"} <= set(buttons(posted.json["blocks"]))


def test_slash_command_without_text_shows_usage(client, slack_api):
    name = unique("cmdempty")
    response = send_form(client, slack_command_body("  ", slack_api.response_url(name)))
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral" and "/madoguchi" in response.json()["text"]
    flush(client, slack_api)
    assert not slack_api.responses(name)


@pytest.mark.parametrize("text, expected", [("help", "/madoguchi 質問"), ("使い方", "/madoguchi 質問"),
                                            ("check", "/madoguchi check ファイル名")])
def test_slash_command_asking_for_help_or_a_check_without_a_name_shows_usage(client, slack_api, text, expected):
    name = unique("cmdhelp")
    response = send_form(client, slack_command_body(text, slack_api.response_url(name)))
    assert response.status_code == 200
    assert response.json()["response_type"] == "ephemeral" and expected in response.json()["text"]
    flush(client, slack_api)
    assert not slack_api.responses(name)


def test_feedback_buttons_update_the_right_inquiry(client, slack_api, server):
    channel = unique("CFEEDBACK")
    send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel))
    found = buttons(post_for(slack_api, channel).json["blocks"])
    inquiry_id = int(found["feedback_down"]["value"])

    other = unique("fb-other")
    send_form(client, slack_action_body("feedback_down", str(inquiry_id), slack_api.response_url(other),
                                        user_id="U0000OTHER9"))
    [note] = slack_api.wait_for(lambda f: f.responses(other), what="not-yours note")
    assert "本人" in note.json["text"]
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] is None

    mine = unique("fb-mine")
    response = send_form(client, slack_action_body("feedback_down", str(inquiry_id), slack_api.response_url(mine)))
    assert response.status_code == 200
    [thanks] = slack_api.wait_for(lambda f: f.responses(mine), what="feedback thanks")
    assert thanks.json["response_type"] == "ephemeral" and "職員課" in thanks.json["text"]
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] == "unresolved"

    up = unique("fb-up")
    send_form(client, slack_action_body("feedback_up", str(inquiry_id), slack_api.response_url(up)))
    slack_api.wait_for(lambda f: f.responses(up), what="feedback thanks")
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] == "resolved"

    garbled = unique("fb-garbled")
    send_form(client, slack_action_body("feedback_down", "not-a-number", slack_api.response_url(garbled)))
    [unknown] = slack_api.wait_for(lambda f: f.responses(garbled), what="unknown-answer note")
    assert "見つかりません" in unknown.json["text"]
    assert inquiries(server, "id = ?", [inquiry_id])[0]["feedback"] == "resolved"


def test_related_question_button_answers_that_question(client, slack_api, server):
    channel = unique("CRELATED")
    send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel))
    related = [e for k, e in buttons(post_for(slack_api, channel).json["blocks"]).items()
               if k.startswith("related_question_")]
    assert related
    name = unique("related")
    send_form(client, slack_action_body(related[0]["action_id"], related[0]["value"], slack_api.response_url(name),
                                        block_id="madoguchi_related"))
    [answer] = slack_api.wait_for(lambda f: f.responses(name), what="related answer")
    assert answer.json["response_type"] == "ephemeral" and answer.json["blocks"][0]["type"] == "section"
    assert inquiries(server, "question = ?", [related[0]["value"]])


# --- Socket Mode -------------------------------------------------------------------------------
def test_socket_mode_answers_over_the_websocket(tmp_path, data_dir, slack_api):
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    settings = Settings(data_dir=target, slack_bot_token=SLACK_BOT_TOKEN, slack_app_token=SLACK_APP_TOKEN,
                        slack_socket_mode=True, slack_api_base_url=slack_api.api_url)
    with serve_app(settings) as running:
        slack_api.wait_for(lambda f: f.socket_connected, what="socket mode connection")
        refused = httpx.post(f"{running.url}/slack/events", content=b"{}")
        assert refused.status_code == 503 and "SLACK_SIGNING_SECRET" in refused.json()["message"]

        channel = unique("CSOCKET")
        body = json.loads(slack_event_body(slack_mention_event(STAFF_QUESTION, channel=channel)))
        envelope_id = str(uuid.uuid4())
        slack_api.call(slack_api.send_envelope({"envelope_id": envelope_id, "type": "events_api", "payload": body,
                                                "accepts_response_payload": False, "retry_attempt": 0,
                                                "retry_reason": ""}))
        slack_api.wait_for(lambda f: [a for a in f.socket_acks if a.get("envelope_id") == envelope_id],
                           what="envelope ack")
        post = post_for(slack_api, channel)
        assert post.json["thread_ts"] == body["event"]["ts"]
        assert "勤怠システム" in post.json["blocks"][0]["text"]["text"]


def test_a_failing_bot_still_gets_an_apology(client, slack_api, server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(server.runtime.bot, "ask", broken)
    channel = unique("CBROKEN")
    send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel))
    post = post_for(slack_api, channel)
    assert "申し訳ありません" in post.json["text"] and not post.json.get("blocks")


# --- the inbox ---------------------------------------------------------------------------------
def wait_closed(server, event_id, timeout: float = 15.0) -> dict:
    """The event's inbox row once it is done or failed (the post arrives before the row is closed)."""
    deadline = time.monotonic() + timeout
    while True:
        row = server.runtime.inbox.inbox.get(f"slack:{event_id}")
        if row and row["state"] in ("done", "failed_permanent"):
            return row
        assert time.monotonic() < deadline, f"inbox row still {row and row['state']}"
        time.sleep(0.02)  # the worker closes the row right after Slack's answer: poll, bounded


def test_an_event_is_stored_before_the_200_and_logged_once_with_its_key(client, slack_api, server):
    channel = unique("CSTORED")
    event_id = unique("EvStored")
    assert send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel), event_id=event_id).status_code == 200
    assert server.runtime.inbox.inbox.get(f"slack:{event_id}") is not None  # committed before the response
    post_for(slack_api, channel)
    row = wait_closed(server, event_id)
    assert (row["state"], row["outcome"], row["payload"]) == ("done", "post", None)
    [inquiry] = inquiries(server, "record_key = ?", [f"event:slack:{event_id}"])
    assert row["inquiry_id"] == inquiry["id"]
    # A retry after the answer inserts nothing and posts nothing.
    assert send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel), event_id=event_id,
                      retry_num=3).status_code == 200
    flush(client, slack_api)
    assert len([p for p in slack_api.posts() if p.json.get("channel") == channel]) == 1


def test_a_post_slack_refuses_is_a_permanent_failure_not_retried(client, slack_api, server):
    channel = unique("CGONE")
    slack_api.missing_channels.add(channel)
    event_id = unique("EvGone")
    assert send_event(client, slack_mention_event(STAFF_QUESTION, channel=channel), event_id=event_id).status_code == 200
    row = wait_closed(server, event_id)
    assert (row["state"], row["outcome"], row["payload"]) == ("failed_permanent", "post refused channel_not_found",
                                                              None)
    flush(client, slack_api)
    assert len([p for p in slack_api.posts() if p.json.get("channel") == channel]) == 1


def leave_unfinished_after_posting(server, event_id, channel, thread_ts, progress="post"):
    """The inbox row a process killed right after Slack accepted its post leaves behind."""
    db = storage_for(server.runtime.settings.data_dir).connect()
    try:
        payload = {"channel": channel, "thread_ts": thread_ts, "question": STAFF_QUESTION, "team_id": "T0001",
                   "user": "U0000STAFF1"}
        db.execute("update channel_inbox set state = 'pending', progress = ?, payload = ?, finished_at = null "
                   "where event_key = ?", [progress, json.dumps(payload), f"slack:{event_id}"])
    finally:
        db.close()


def test_a_resumed_event_whose_post_went_out_is_not_posted_again(client, slack_api, server):
    channel, event_id = unique("CRESUMED"), unique("EvResumed")
    mention = slack_mention_event(STAFF_QUESTION, channel=channel)
    send_event(client, mention, event_id=event_id)
    [post] = [post_for(slack_api, channel)]
    assert post.json["metadata"]["event_payload"] == {"event_key": f"slack:{event_id}"}
    wait_closed(server, event_id)
    leave_unfinished_after_posting(server, event_id, channel, mention["ts"])
    row = wait_closed(server, event_id)
    assert (row["state"], row["outcome"]) == ("done", "post (found after a restart)")
    assert len([p for p in slack_api.posts() if p.json.get("channel") == channel]) == 1


def test_without_history_scope_a_resumed_event_is_posted_again_with_the_same_answer(client, slack_api, server):
    channel, event_id = unique("CNOSCOPE"), unique("EvNoScope")
    mention = slack_mention_event(STAFF_QUESTION, channel=channel)
    send_event(client, mention, event_id=event_id)
    first = post_for(slack_api, channel)
    wait_closed(server, event_id)
    slack_api.missing_scopes.add("conversations.replies")
    try:
        db = storage_for(server.runtime.settings.data_dir).connect()
        db.execute("update channel_inbox set answer = ? where event_key = ?",
                   [json.dumps({"text": first.json["text"], "blocks": first.json["blocks"]}), f"slack:{event_id}"])
        db.close()
        leave_unfinished_after_posting(server, event_id, channel, mention["ts"])
        row = wait_closed(server, event_id)
    finally:
        slack_api.missing_scopes.discard("conversations.replies")
    assert (row["state"], row["outcome"]) == ("done", "post")
    posts = [p for p in slack_api.posts() if p.json.get("channel") == channel]
    assert len(posts) == 2 and posts[1].json["blocks"] == first.json["blocks"]  # the stored answer, not a new one
    assert len(inquiries(server, "record_key = ?", [f"event:slack:{event_id}"])) == 1


def test_answer_labels_follow_the_question_language():
    from bot.answering.answer import Answer, Source
    from channels.slack import messages
    from channels.slack.render import answer_blocks

    def labels(language):
        answer = Answer(question="q", text="t", abstained=False, confidence=0.8, audience="staff", inquiry_id=1,
                        sources=(Source(id="x", title="規程", kind="guide"),), language=language)
        return str(answer_blocks(answer))

    assert "Did this answer solve your problem?" in labels("en") and "'Solved'" in labels("en")
    assert messages.FEEDBACK_LABEL in labels("ja") and messages.SOURCES_LABEL in labels("ja")
    assert messages.FEEDBACK_LABEL in labels("es")  # no texts in that language: Japanese
