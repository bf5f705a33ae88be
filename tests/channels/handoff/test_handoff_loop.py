"""The handoff loop end to end: LINE citizen → the department's Slack channel → the answer on LINE.

The real server, the real line-bot-sdk and slack-bolt/slack-sdk, over real HTTP against the
fake LINE and Slack APIs on 127.0.0.1; Slack events and buttons are signed as Slack signs them.
"""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from fakes.server import serve_app
from fakes.webhooks import (
    FORM,
    JSON,
    LINE_SECRET,
    LINE_TOKEN,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    line_body,
    line_headers,
    line_postback_event,
    line_text_event,
    slack_action_body,
    slack_channel_message_event,
    slack_event_body,
    slack_headers,
    slack_mention_event,
    slack_view_submission_body,
    unique,
)

from bot.handoff.ticket import TicketState, to_iso, utc_now
from channels.handoff import blocks
from channels.handoff.relay import retry_key
from indexing.settings import Settings

CITIZEN = "U1111111111111111111111111111aaaa"
OTHER = "U2222222222222222222222222222bbbb"
UNANSWERABLE = "火星への移住手続きを教えてください。連絡先は090-1234-5678です"
DESK = "C0000DESK"
GOMI = "C0000GOMI"


@pytest.fixture(scope="module")
def server(module_backend_data_dir, line_api, slack_api):
    settings = Settings(data_dir=module_backend_data_dir, line_channel_secret=LINE_SECRET, line_channel_access_token=LINE_TOKEN,
                        line_api_base_url=line_api.url, slack_signing_secret=SLACK_SECRET,
                        slack_bot_token=SLACK_BOT_TOKEN, slack_api_base_url=slack_api.api_url,
                        rate_limit_per_minute=0)
    with serve_app(settings) as running:
        yield running


# --- helpers -----------------------------------------------------------------------------------
def line_post(client, event):
    body = line_body([event])
    response = client.post("/callback/line", content=body, headers=line_headers(body))
    assert response.status_code == 200
    return event


def reply_messages(line_api, event):
    return line_api.reply_to(event).json["messages"]


def postback_actions(node):
    if isinstance(node, dict):
        action = node.get("action")
        if isinstance(action, dict) and action.get("type") == "postback":
            yield action
        for value in node.values():
            yield from postback_actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from postback_actions(item)


def action_labelled(messages, label):
    found = [a for a in postback_actions(messages) if a["label"] == label]
    assert found, f"no postback {label!r} in {json.dumps(messages, ensure_ascii=False)[:600]}"
    return found[0]


def slack_event(client, event, event_id=None):
    body = slack_event_body(event, event_id=event_id)
    response = client.post("/slack/events", content=body, headers=slack_headers(body, JSON))
    assert response.status_code == 200, response.text
    return response


def slack_form(client, body):
    response = client.post("/slack/events", content=body, headers=slack_headers(body, FORM))
    assert response.status_code == 200, response.text
    return response


def ticket_posts(slack_api, channel, ticket_id):
    return [m for m in slack_api.top_level(channel)
            if (m.get("metadata") or {}).get("event_payload", {}).get("ticket") == ticket_id]


def hand_over(client, line_api, slack_api, server, user=CITIZEN, question=UNANSWERABLE, addition=None):
    """Ask, tap 「職員に質問を送る」, maybe add a message, tap 「送信する」: (ticket, its Slack message)."""
    asked = line_post(client, line_text_event(question, user_id=user))
    offer = action_labelled(reply_messages(line_api, asked), "職員に質問を送る")
    tapped = line_post(client, line_postback_event(offer["data"], user_id=user))
    confirmation = reply_messages(line_api, tapped)
    if addition is not None:
        added = line_post(client, line_text_event(addition, user_id=user))
        confirmation = reply_messages(line_api, added)
    send = action_labelled(confirmation, "送信する")
    sent = line_post(client, line_postback_event(send["data"], user_id=user))
    sent_text = reply_messages(line_api, sent)[0]["text"]
    inquiry_id = json.loads(send["data"])["i"]
    desk = server.runtime.handoff_desk
    ticket = desk.store.by_inquiry(inquiry_id)
    assert ticket is not None and f"受付番号 {ticket.id}" in sent_text
    slack_api.wait_for(lambda f: ticket_posts(f, ticket.slack_channel, ticket.id), what="ticket post")
    return wait_ticket(server, ticket.id, lambda t: t.slack_ts), confirmation


def wait_ticket(server, ticket_id, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        ticket = server.runtime.handoff_desk.store.get(ticket_id)
        if predicate(ticket):
            return ticket
        assert time.monotonic() < deadline, f"ticket {ticket_id} is {ticket and ticket.state}"
        time.sleep(0.02)  # the inbox worker updates the row right after the platform answers: poll, bounded


# --- the loop ----------------------------------------------------------------------------------
def test_decline_offer_confirm_post_thread_reply_push_and_rating(client, server, line_api, slack_api):
    ticket, confirmation = hand_over(client, line_api, slack_api, server, addition="家族3人です。mail: a@example.com")
    # The confirmation shows the question as it will be sent, masked, with what happens next.
    text = confirmation[0]["text"]
    assert "090-1234-5678" not in text and "a@example.com" not in text and "家族3人です" in text
    route = server.runtime.handoff_desk.route(ticket.department)
    assert f"{route.reply_hours:g}時間以内" in text and ticket.department in text
    assert ticket.slack_channel == route.slack_channel
    # Posted in the department's channel with Block Kit and the three buttons.
    [post] = ticket_posts(slack_api, ticket.slack_channel, ticket.id)
    action_ids = [e["action_id"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert action_ids == [blocks.ANSWER_ACTION, blocks.REROUTE_ACTION, blocks.DECLINE_ACTION]
    shown = json.dumps(post["blocks"], ensure_ascii=False)
    assert "090-1234-5678" not in shown and "火星への移住手続き" in shown and "回答期限" in shown
    assert "090-1234-5678" not in ticket.question and ticket.state is TicketState.OPEN
    assert server.runtime.inquiry_log.get(ticket.inquiry_id)["escalated"] == 1

    # A staff member replies in the ticket's thread: a signed Slack event.
    pushes_before = len(line_api.pushes())
    reply = slack_channel_message_event("火星への移住は受け付けていません。ご了承ください。", ticket.slack_channel,
                                        thread_ts=ticket.slack_ts)
    event_id = unique("Ev")
    slack_event(client, reply, event_id=event_id)
    [push] = line_api.wait_for(lambda f: f.pushes(CITIZEN)[-1:] if len(f.pushes()) > pushes_before else None,
                               what="the answer pushed")
    assert push.json["to"] == CITIZEN
    assert push.header("X-Line-Retry-Key") == retry_key(ticket.id, f"{ticket.slack_channel}:{reply['ts']}")
    assert "火星への移住は受け付けていません" in push.json["messages"][0]["text"]
    rate = action_labelled(push.json["messages"], "解決した")
    slack_api.wait_for(lambda f: any("届けました" in m["text"] for m in f.thread(ticket.slack_channel, ticket.slack_ts)),
                       what="delivered note")
    answered = wait_ticket(server, ticket.id, lambda t: t.delivered_at)
    assert answered.state is TicketState.ANSWERED and answered.answered_at
    # Slack retries the event (same event_id): nothing is sent again.
    slack_event(client, reply, event_id=event_id)
    # The citizen rates the answer; the thread shows it.
    rated = line_post(client, line_postback_event(rate["data"], user_id=CITIZEN))
    assert "ありがとうございました" in reply_messages(line_api, rated)[0]["text"]
    closed = wait_ticket(server, ticket.id, lambda t: t.state is TicketState.CLOSED)
    assert closed.rating == "resolved" and closed.reply_to == ""
    slack_api.wait_for(lambda f: any("解決した" in m["text"] for m in f.thread(ticket.slack_channel, ticket.slack_ts)),
                       what="rating note")
    assert len(line_api.pushes()) == pushes_before + 1


def test_a_citizen_never_gets_or_rates_another_citizens_ticket(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server)
    # Another citizen replays the first one's postbacks.
    forged_offer = line_post(client, line_postback_event(json.dumps({"a": "handoff", "i": ticket.inquiry_id}),
                                                         user_id=OTHER))
    assert "送ることができません" in reply_messages(line_api, forged_offer)[0]["text"]
    forged_send = line_post(client, line_postback_event(json.dumps({"a": "handoff_send", "i": ticket.inquiry_id}),
                                                        user_id=OTHER))
    assert "送ることができません" in reply_messages(line_api, forged_send)[0]["text"]
    other_ticket, _ = hand_over(client, line_api, slack_api, server, user=OTHER, question="月の土地は買えますか")
    pushes_before = len(line_api.pushes())
    slack_event(client, slack_channel_message_event("月の土地は販売していません。", other_ticket.slack_channel,
                                                    thread_ts=other_ticket.slack_ts))
    line_api.wait_for(lambda f: len(f.pushes()) > pushes_before, what="push")
    assert [p.json["to"] for p in line_api.pushes()[pushes_before:]] == [OTHER]
    wait_ticket(server, other_ticket.id, lambda t: t.delivered_at)
    forged_rate = line_post(client, line_postback_event(
        json.dumps({"a": "ticket_rate", "t": other_ticket.id, "v": "resolved"}), user_id=CITIZEN))
    reply_messages(line_api, forged_rate)
    assert server.runtime.handoff_desk.store.get(other_ticket.id).state is TicketState.ANSWERED


def test_a_reply_in_an_unknown_thread_is_ignored(client, server, line_api, slack_api):
    pushes_before, rows_before = len(line_api.pushes()), server.runtime.inbox.inbox.counts()
    slack_event(client, slack_channel_message_event("これはただの雑談です", DESK, thread_ts="1699999999.000001"))
    slack_event(client, slack_channel_message_event("スレッド外の発言", DESK))
    # A sentinel that does reach the inbox: once it is answered, the two above were handled too.
    ticket, _ = hand_over(client, line_api, slack_api, server, question="金星の住所は取れますか")
    no_ts = slack_channel_message_event("時刻のない返信", ticket.slack_channel, thread_ts=ticket.slack_ts)
    no_ts.pop("ts")  # no message to key it by: not stored
    slack_event(client, no_ts)
    slack_event(client, slack_channel_message_event("取れません。", ticket.slack_channel, thread_ts=ticket.slack_ts))
    wait_ticket(server, ticket.id, lambda t: t.delivered_at)
    assert [p.json["to"] for p in line_api.pushes()[pushes_before:]] == [CITIZEN]
    assert sum(server.runtime.inbox.inbox.counts().values()) - sum(rows_before.values()) == 4  # 3 LINE + 1 reply


def test_decline_tells_the_citizen_politely(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="隣の家の騒音をなんとかして")
    pushes_before = len(line_api.pushes())
    slack_form(client, slack_action_body(blocks.DECLINE_ACTION, str(ticket.id), slack_api.response_url("d"),
                                         block_id=blocks.ACTIONS_BLOCK, channel=ticket.slack_channel, message_ts=ticket.slack_ts))
    [push] = line_api.wait_for(lambda f: f.pushes()[pushes_before:], what="decline pushed")
    assert push.json["to"] == CITIZEN and "申し訳ありません" in push.json["messages"][0]["text"]
    assert push.header("X-Line-Retry-Key") == retry_key(ticket.id, "DECLINED")
    declined = wait_ticket(server, ticket.id, lambda t: t.state is TicketState.DECLINED)
    assert declined.reply_to == ""
    slack_api.wait_for(lambda f: not any(b["type"] == "actions" for b in ticket_posts(f, ticket.slack_channel, ticket.id)[0]["blocks"]),
                       what="buttons removed")
    # A late thread reply reaches nobody.
    slack_event(client, slack_channel_message_event("やはり回答します", ticket.slack_channel, thread_ts=ticket.slack_ts))
    slack_api.wait_for(lambda f: any("終了しています" in m["text"] for m in f.thread(ticket.slack_channel, ticket.slack_ts)),
                       what="final note")
    assert len(line_api.pushes()) == pushes_before + 1
    # In the closed ticket's thread a mention of the bot is a question for it again: answered in the thread.
    posts_before = len(slack_api.posts())
    slack_event(client, slack_mention_event("粗大ごみの出し方は？", channel=ticket.slack_channel, thread_ts=ticket.slack_ts))
    [answer] = slack_api.wait_for(lambda f: [p for p in f.posts()[posts_before:]
                                             if p.json.get("thread_ts") == ticket.slack_ts], what="bot answer")
    assert answer.json["metadata"]["event_type"] == "madoguchi_answer" and "メンション" not in answer.json["text"]
    assert len(line_api.pushes()) == pushes_before + 1
    # A button pressed again on an out-of-date message tells the one who pressed it why nothing happens.
    for action, url in ((blocks.DECLINE_ACTION, "d-again"), (blocks.ANSWER_ACTION, "a-again")):
        slack_form(client, slack_action_body(action, str(ticket.id), slack_api.response_url(url),
                                             block_id=blocks.ACTIONS_BLOCK, channel=ticket.slack_channel,
                                             message_ts=ticket.slack_ts))
        [note] = slack_api.wait_for(lambda f: f.responses(url), what="stale button note")
        assert note.json["response_type"] == "ephemeral" and "対応不要" in note.json["text"]
    slack_form(client, slack_action_body(blocks.DECLINE_ACTION, "99999", slack_api.response_url("d-missing"),
                                         block_id=blocks.ACTIONS_BLOCK, channel=ticket.slack_channel,
                                         message_ts=ticket.slack_ts))
    [note] = slack_api.wait_for(lambda f: f.responses("d-missing"), what="missing ticket note")
    assert "見つかりません" in note.json["text"]
    assert len(line_api.pushes()) == pushes_before + 1


def test_reroute_and_answer_through_the_modals(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="木星ツアーの補助金はありますか")
    target, target_channel = ("ごみ減量推進課", GOMI) if ticket.slack_channel == DESK else ("総合案内", DESK)
    views_before = len(slack_api.views)
    slack_form(client, slack_action_body(blocks.REROUTE_ACTION, str(ticket.id), slack_api.response_url("r"),
                                         block_id=blocks.ACTIONS_BLOCK, channel=ticket.slack_channel,
                                         message_ts=ticket.slack_ts))
    modal = slack_api.wait_for(lambda f: f.views[views_before:], what="reroute modal")[0]["view"]
    options = modal["blocks"][0]["element"]["options"]
    assert [o["value"] for o in options] == [target]  # departments with a channel, but the current one
    slack_form(client, slack_view_submission_body(blocks.REROUTE_MODAL, str(ticket.id), {
        blocks.REROUTE_INPUT_BLOCK: {blocks.REROUTE_INPUT: {"type": "static_select",
                                                             "selected_option": {"value": target}}}}))
    slack_api.wait_for(lambda f: ticket_posts(f, target_channel, ticket.id), what="reposted")
    moved = wait_ticket(server, ticket.id, lambda t: t.slack_channel == target_channel and t.slack_ts)
    assert moved.department == target
    # The old thread is no longer the ticket's.
    assert server.runtime.handoff_desk.store.by_thread(ticket.slack_channel, ticket.slack_ts) is None
    slack_form(client, slack_action_body(blocks.ANSWER_ACTION, str(ticket.id), slack_api.response_url("a"),
                                         block_id=blocks.ACTIONS_BLOCK, channel=target_channel,
                                         message_ts=moved.slack_ts))
    slack_api.wait_for(lambda f: len(f.views) >= views_before + 2, what="answer modal")
    pushes_before = len(line_api.pushes())
    slack_form(client, slack_view_submission_body(blocks.ANSWER_MODAL, str(ticket.id), {
        blocks.ANSWER_INPUT_BLOCK: {blocks.ANSWER_INPUT: {"type": "plain_text_input", "value": "補助金はありません。"}},
        blocks.MINUTES_INPUT_BLOCK: {blocks.MINUTES_INPUT: {"type": "number_input", "value": "25"}}}))
    [push] = line_api.wait_for(lambda f: f.pushes()[pushes_before:], what="modal answer pushed")
    assert push.json["to"] == CITIZEN and "補助金はありません" in push.json["messages"][0]["text"]
    assert target in push.json["messages"][0]["text"]
    assert wait_ticket(server, ticket.id, lambda t: t.delivered_at).staff_minutes == 25.0  # for the report


def test_a_failed_push_is_retried_with_the_same_key_and_sent_once(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="土星の輪は見えますか")
    pushes_before = len(line_api.pushes())
    line_api.fail_pushes = 1
    slack_event(client, slack_channel_message_event("望遠鏡で見えます。", ticket.slack_channel, thread_ts=ticket.slack_ts))
    wait_ticket(server, ticket.id, lambda t: t.delivered_at, timeout=15)
    attempts = line_api.pushes()[pushes_before:]
    assert len(attempts) == 2 and len({p.header("X-Line-Retry-Key") for p in attempts}) == 1


def test_overdue_reminder_and_purge_from_the_cli(client, server, line_api, slack_api, monkeypatch, capsys):
    from channels.cli import main

    ticket, _ = hand_over(client, line_api, slack_api, server, question="冥王星に転居できますか")
    store = server.runtime.handoff_desk.store
    store.db.execute("update tickets set due_at = ? where id = ?", [to_iso(utc_now() - timedelta(hours=1)), ticket.id])
    for name, value in {"SLACK_BOT_TOKEN": SLACK_BOT_TOKEN, "SLACK_API_BASE_URL": slack_api.api_url}.items():
        monkeypatch.setenv(name, value)
    data_dir = str(server.runtime.settings.data_dir)
    assert main(["--data-dir", data_dir, "tickets", "remind"]) == 0
    assert json.loads(capsys.readouterr().out)["reminded"] >= 1
    notes = [m["text"] for m in slack_api.thread(ticket.slack_channel, ticket.slack_ts)]
    [reminder] = [m for m in slack_api.thread(ticket.slack_channel, ticket.slack_ts) if "過ぎています" in m["text"]]
    assert reminder["reply_broadcast"]  # shown in the channel too, not only in the thread
    assert main(["--data-dir", data_dir, "tickets", "remind"]) == 0  # reminded once a day, not every run
    assert json.loads(capsys.readouterr().out)["reminded"] == 0
    assert [m["text"] for m in slack_api.thread(ticket.slack_channel, ticket.slack_ts)] == notes
    assert main(["--data-dir", data_dir, "tickets", "list", "--overdue"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert ticket.id in [t["id"] for t in listed] and all(t["overdue"] for t in listed)
    store.db.execute("update tickets set created_at = ? where id = ?",
                     [to_iso(utc_now() - timedelta(days=400)), ticket.id])
    assert main(["--data-dir", data_dir, "tickets", "purge"]) == 0
    assert json.loads(capsys.readouterr().out)["purged"] == 1
    assert store.get(ticket.id) is None


def test_unresolved_feedback_offers_the_handoff_on_line(client, server, line_api, slack_api):
    asked = line_post(client, line_text_event("粗大ごみはどうやって出せばいいですか？", user_id=CITIZEN))
    messages = reply_messages(line_api, asked)
    assert not [a for a in postback_actions(messages) if a["label"] == "職員に質問を送る"]  # answered: no offer yet
    unresolved = line_post(client, line_postback_event(action_labelled(messages, "解決しない")["data"], user_id=CITIZEN))
    offer = action_labelled(reply_messages(line_api, unresolved), "職員に質問を送る")
    tapped = line_post(client, line_postback_event(offer["data"], user_id=CITIZEN))
    confirmation = reply_messages(line_api, tapped)
    assert "粗大ごみ" in confirmation[0]["text"]
    sent = line_post(client, line_postback_event(action_labelled(confirmation, "送信する")["data"], user_id=CITIZEN))
    assert "受付番号" in reply_messages(line_api, sent)[0]["text"]
    ticket = server.runtime.handoff_desk.store.by_inquiry(json.loads(offer["data"])["i"])
    assert ticket is not None and not ticket.bot_declined
    slack_api.wait_for(lambda f: ticket_posts(f, ticket.slack_channel, ticket.id), what="ticket post")
    [post] = ticket_posts(slack_api, ticket.slack_channel, ticket.id)
    assert "解決しない" in json.dumps(post["blocks"], ensure_ascii=False)


def test_staff_talk_with_a_mention_stays_in_slack_and_links_become_plain_text(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="海王星の住所を教えて")
    pushes_before = len(line_api.pushes())
    slack_event(client, slack_channel_message_event("<@U0000STAFF2> これ誰が担当？", ticket.slack_channel,
                                                    thread_ts=ticket.slack_ts))
    slack_event(client, slack_channel_message_event("<https://city.example/faq|市のFAQ> をご覧ください &amp; ご確認を",
                                                    ticket.slack_channel, thread_ts=ticket.slack_ts))
    [push] = line_api.wait_for(lambda f: f.pushes()[pushes_before:], what="answer pushed")
    wait_ticket(server, ticket.id, lambda t: t.delivered_at)
    assert len(line_api.pushes()) == pushes_before + 1
    text = push.json["messages"][0]["text"]
    assert "市のFAQ（https://city.example/faq） をご覧ください & ご確認を" in text and "誰が担当" not in text


def test_the_same_reply_delivered_under_two_event_ids_reaches_the_citizen_once(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="火星の粗大ごみは何曜日ですか")
    pushes_before = len(line_api.pushes())
    reply = reply_in_thread(client, line_api, ticket, "毎週水曜日です。")
    slack_event(client, reply)  # slack_event gives every delivery a new event id
    reply_in_thread(client, line_api, ticket, "補足：祝日も収集します。")
    texts = [p.json["messages"][0]["text"] for p in line_api.pushes()[pushes_before:]]
    assert len(texts) == 2 and "毎週水曜日" in texts[0] and "祝日も" in texts[1], texts
    assert wait_ticket(server, ticket.id, lambda t: "祝日も" in t.answer).answer.count("毎週水曜日") == 1


def test_a_reply_that_mentions_the_bot_is_not_sent_nor_answered_and_the_thread_says_how(
        client, server, line_api, slack_api):
    """Slack sends such a reply twice, as ``app_mention`` and as ``message``: one note, no answer, no push."""
    ticket, _ = hand_over(client, line_api, slack_api, server, question="金星の転入届はどこで出せますか")
    pushes_before, posts_before = len(line_api.pushes()), len(slack_api.posts())
    mention = slack_mention_event("窓口は1階です", channel=ticket.slack_channel, thread_ts=ticket.slack_ts)
    slack_event(client, mention)
    slack_event(client, dict(mention, type="message", channel_type="channel"))
    slack_event(client, mention)  # the same message under another event id: no second note
    slack_api.wait_for(lambda f: [p for p in f.posts()[posts_before:] if "メンションを付けずに" in p.json.get("text", "")
                                  and p.json.get("thread_ts") == ticket.slack_ts], what="mention note")
    reply_in_thread(client, line_api, ticket, "窓口は市役所1階の市民課です。")
    pushed = line_api.pushes()[pushes_before:]
    assert len(pushed) == 1 and "市民課" in pushed[0].json["messages"][0]["text"]
    in_thread = [p.json.get("text", "") for p in slack_api.posts()[posts_before:]
                 if p.json.get("thread_ts") == ticket.slack_ts]
    assert len([t for t in in_thread if "メンションを付けずに" in t]) == 1
    assert all("メンションを付けずに" in t or "市民に届けました" in t for t in in_thread), in_thread


def test_a_ticket_long_past_due_expires_and_the_citizen_is_told_once(client, server, line_api, slack_api,
                                                                      monkeypatch, capsys):
    from channels.cli import main

    ticket, _ = hand_over(client, line_api, slack_api, server, question="天王星で犬を飼う許可は要りますか")
    store = server.runtime.handoff_desk.store
    store.db.execute("update tickets set due_at = ? where id = ?", [to_iso(utc_now() - timedelta(days=20)), ticket.id])
    for name, value in {"SLACK_BOT_TOKEN": SLACK_BOT_TOKEN, "SLACK_API_BASE_URL": slack_api.api_url,
                        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN, "LINE_API_BASE_URL": line_api.url}.items():
        monkeypatch.setenv(name, value)
    pushes_before = len(line_api.pushes())
    data_dir = str(server.runtime.settings.data_dir)
    assert main(["--data-dir", data_dir, "tickets", "remind"]) == 0
    assert json.loads(capsys.readouterr().out)["expired"] >= 1
    expired = store.get(ticket.id)
    assert expired.state is TicketState.EXPIRED and expired.reply_to == ""
    told = [p for p in line_api.pushes()[pushes_before:] if p.json["to"] == CITIZEN]
    assert len(told) == 1 and "期限までにお答えできませんでした" in told[0].json["messages"][0]["text"]
    assert told[0].header("X-Line-Retry-Key") == retry_key(ticket.id, "EXPIRED")
    assert main(["--data-dir", data_dir, "tickets", "remind"]) == 0
    assert len(line_api.pushes()) == pushes_before + 1


def reply_in_thread(client, line_api, ticket, text: str) -> dict:
    """A staff reply in the ticket's thread, once it has been pushed to the citizen on LINE."""
    before = len(line_api.pushes())
    reply = slack_channel_message_event(text, ticket.slack_channel, thread_ts=ticket.slack_ts)
    slack_event(client, reply)
    line_api.wait_for(lambda f: len(f.pushes()) > before, what=f"push of {text}")
    return reply


def test_a_follow_up_in_the_thread_reaches_the_citizen_too(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="水星の気温は何度ですか")
    pushes_before = len(line_api.pushes())
    reply_in_thread(client, line_api, ticket, "担当で確認中です。")
    wait_ticket(server, ticket.id, lambda t: t.delivered_at)
    reply_in_thread(client, line_api, ticket, "昼は約430度です。")
    pushed = line_api.pushes()[pushes_before:]
    assert [p.json["to"] for p in pushed] == [CITIZEN, CITIZEN]
    assert "昼は約430度です" in pushed[1].json["messages"][0]["text"]
    assert len({p.header("X-Line-Retry-Key") for p in pushed}) == 2  # one key per staff message
    answered = wait_ticket(server, ticket.id, lambda t: "430" in t.answer)
    assert answered.state is TicketState.ANSWERED
    assert answered.answer == "担当で確認中です。\n\n昼は約430度です。"  # the first answer is kept, not replaced


def test_an_edited_staff_reply_is_not_resent_and_the_thread_says_so(client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="金星の自転周期は？")
    pushes_before = len(line_api.pushes())
    reply = reply_in_thread(client, line_api, ticket, "約243日です。")
    edited = {"type": "message", "subtype": "message_changed", "channel": ticket.slack_channel,
              "channel_type": "channel", "ts": reply["ts"],
              "message": {**reply, "text": "訂正：約243地球日です。"}, "previous_message": reply}
    event_id = unique("EvEDIT")
    slack_event(client, edited, event_id=event_id)
    slack_event(client, edited, event_id=event_id)  # Slack's retry of the same event: one note
    note = slack_api.wait_for(lambda f: [p for p in f.posts() if "編集・削除は市民に届きません" in p.json.get("text", "")],
                              what="edit note")[0]
    assert note.json["thread_ts"] == ticket.slack_ts and note.json["channel"] == ticket.slack_channel
    reply_in_thread(client, line_api, ticket, "補足です。")  # handled after the retry
    assert len([p for p in slack_api.posts() if "編集・削除は市民に届きません" in p.json.get("text", "")]) == 1
    assert len(line_api.pushes()) == pushes_before + 2  # the edit itself is not sent


def test_a_reply_by_a_person_of_another_organisation_is_not_sent_to_the_citizen(client, server, line_api, slack_api):
    """A department channel shared by Slack Connect: only the city's own staff answer residents."""
    ticket, _ = hand_over(client, line_api, slack_api, server, question="火星の衛星はいくつ？")
    pushes_before = len(line_api.pushes())
    outside = {**slack_channel_message_event("外部の者ですが、2個です。", ticket.slack_channel, thread_ts=ticket.slack_ts,
                                             user="UVENDOR1"), "user_team": "TVENDOR99"}
    slack_event(client, outside)
    slack_event(client, outside)  # the same message under another event id: one note
    slack_api.wait_for(lambda f: [p for p in f.posts() if "組織外の方" in p.json.get("text", "")
                                  and p.json.get("thread_ts") == ticket.slack_ts], what="outsider note")
    reply_in_thread(client, line_api, ticket, "フォボスとダイモスの2個です。")
    assert len([p for p in slack_api.posts() if "組織外の方" in p.json.get("text", "")
                and p.json.get("thread_ts") == ticket.slack_ts]) == 1
    pushed = line_api.pushes()[pushes_before:]
    assert len(pushed) == 1 and "フォボス" in pushed[0].json["messages"][0]["text"]
    assert "外部の者" not in wait_ticket(server, ticket.id, lambda t: "フォボス" in t.answer).answer


def test_a_reply_also_sent_to_the_channel_reaches_the_citizen_and_one_with_a_file_does_not(
        client, server, line_api, slack_api):
    ticket, _ = hand_over(client, line_api, slack_api, server, question="冥王星の住所を教えて")
    pushes_before = len(line_api.pushes())
    with_file = slack_channel_message_event("資料を添付します", ticket.slack_channel, thread_ts=ticket.slack_ts)
    broadcast = slack_channel_message_event("担当課の窓口でご案内します。", ticket.slack_channel, thread_ts=ticket.slack_ts)
    posts_before = len(slack_api.posts())
    slack_event(client, dict(with_file, subtype="file_share"))
    slack_event(client, dict(with_file, subtype="file_share"))  # the same message under another event id
    slack_event(client, dict(broadcast, subtype="thread_broadcast"))
    [push] = line_api.wait_for(lambda f: f.pushes()[pushes_before:], what="answer pushed")
    text = push.json["messages"][0]["text"]
    assert "担当課の窓口でご案内します。" in text and "資料を添付します" not in text
    # The one who attached the file is told in the thread, once, that the citizen did not get it.
    slack_api.wait_for(lambda f: [p for p in f.posts()[posts_before:] if "ファイル付き" in p.json.get("text", "")],
                       what="file note")
    assert len([p for p in slack_api.posts()[posts_before:] if "ファイル付き" in p.json.get("text", "")]) == 1


def test_asking_for_a_person_on_line_hands_over_with_one_added_message(client, server, line_api, slack_api):
    ticket, confirmation = hand_over(client, line_api, slack_api, server, question="人と話したいです",
                                     addition="国民健康保険の減免について相談したいです")
    assert "国民健康保険の減免" in ticket.question and ticket.state is TicketState.OPEN
