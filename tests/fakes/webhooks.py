"""Correctly signed LINE and Slack webhooks, built from the platforms' documented shapes.

LINE: https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects
Slack: https://api.slack.com/apis/events-api#callback-field ,
       https://api.slack.com/interactivity/slash-commands#app_command_handling ,
       https://api.slack.com/reference/interaction-payloads/block-actions
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
import uuid
from urllib.parse import urlencode

LINE_SECRET = "line-test-secret"
LINE_TOKEN = "line-test-token"
SLACK_SECRET = "slack-test-signing-secret"
SLACK_BOT_TOKEN = "xoxb-test-token"
SLACK_APP_TOKEN = "xapp-test-token"
SLACK_TEAM = "T0001"

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter):06d}{uuid.uuid4().hex[:8]}"


# --- LINE ------------------------------------------------------------------------------------
def line_signature(body: bytes, secret: str = LINE_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def line_body(events: list[dict], destination: str = "Ubotdestination0000000000000000000") -> bytes:
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False).encode("utf-8")


def line_headers(body: bytes, secret: str = LINE_SECRET) -> dict:
    return {"Content-Type": "application/json; charset=utf-8", "X-Line-Signature": line_signature(body, secret)}


def line_source(user_id: str, group_id: str | None = None, room_id: str | None = None) -> dict:
    if group_id:
        return {"type": "group", "groupId": group_id, "userId": user_id}
    if room_id:
        return {"type": "room", "roomId": room_id, "userId": user_id}
    return {"type": "user", "userId": user_id}


def line_event(kind: str, source: dict, *, reply_token: str | None = "auto", event_id: str | None = None,
               redelivery: bool = False, **fields) -> dict:
    event = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": source,
        "webhookEventId": event_id or unique("01HLINEEVENT"),
        "deliveryContext": {"isRedelivery": redelivery},
        **fields,
    }
    if reply_token:
        event["replyToken"] = unique("rt") if reply_token == "auto" else reply_token
    return event


def line_text_event(text: str, user_id: str = "U0000000000000000000000000000001", *, group_id: str | None = None,
                    mention_self_at: tuple[int, int] | None = None, **kwargs) -> dict:
    message = {"id": unique("m"), "type": "text", "text": text, "quoteToken": unique("qt")}
    if mention_self_at:
        index, length = mention_self_at
        message["mention"] = {"mentionees": [{"index": index, "length": length, "type": "user",
                                              "userId": "Ubot", "isSelf": True}]}
    return line_event("message", line_source(user_id, group_id), message=message, **kwargs)


def line_message_event(message: dict, user_id: str = "U0000000000000000000000000000001", **kwargs) -> dict:
    return line_event("message", line_source(user_id), message={"id": unique("m"), **message}, **kwargs)


def line_postback_event(data: str, user_id: str = "U0000000000000000000000000000001", **kwargs) -> dict:
    return line_event("postback", line_source(user_id), postback={"data": data}, **kwargs)


def line_follow_event(user_id: str = "U0000000000000000000000000000001", **kwargs) -> dict:
    return line_event("follow", line_source(user_id), follow={"isUnblocked": False}, **kwargs)


# --- Slack -----------------------------------------------------------------------------------
def slack_headers(body: bytes, content_type: str, secret: str = SLACK_SECRET, timestamp: int | None = None,
                  retry_num: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
               "X-Slack-Signature": "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()}
    if retry_num is not None:
        headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"})
    return headers


def slack_event_body(event: dict, event_id: str | None = None, team_id: str = SLACK_TEAM) -> bytes:
    return json.dumps({
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or unique("Ev"),
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": "UBOT0001", "is_bot": True}],
        "is_ext_shared_channel": False,
    }, ensure_ascii=False).encode("utf-8")


def slack_mention_event(text: str, user: str = "U0000STAFF1", channel: str = "C0000GENERAL",
                        ts: str | None = None, thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT0001> {text}", "ts": ts or _ts(),
             "channel": channel, "event_ts": ts or _ts()}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def slack_dm_event(text: str, user: str = "U0000STAFF1", channel: str = "D0000DIRECT", **fields) -> dict:
    ts = _ts()
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "event_ts": ts, **fields}


def slack_command_body(text: str, response_url: str, user_id: str = "U0000STAFF1", team_id: str = SLACK_TEAM,
                       command: str = "/madoguchi") -> bytes:
    return urlencode({
        "token": "deprecated-verification-token", "team_id": team_id, "team_domain": "test",
        "channel_id": "C0000GENERAL", "channel_name": "general", "user_id": user_id, "user_name": "staff",
        "command": command, "text": text, "api_app_id": "A0001", "response_url": response_url,
        "trigger_id": unique("trig"),
    }).encode("utf-8")


def slack_action_body(action_id: str, value: str, response_url: str, user_id: str = "U0000STAFF1",
                      team_id: str = SLACK_TEAM, block_id: str = "madoguchi_feedback",
                      channel: str = "C0000GENERAL", message_ts: str | None = None) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": user_id, "username": "staff", "team_id": team_id},
        "api_app_id": "A0001",
        "token": "deprecated-verification-token",
        "container": {"type": "message", "message_ts": message_ts or _ts(), "channel_id": channel,
                      "is_ephemeral": False},
        "trigger_id": unique("trig"),
        "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": block_id, "text": {"type": "plain_text", "text": "x"},
                     "value": value, "type": "button", "action_ts": _ts()}],
    }
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode("utf-8")


def slack_channel_message_event(text: str, channel: str, thread_ts: str | None = None, user: str = "U0000STAFF1",
                                channel_type: str = "channel") -> dict:
    """A person's message in a channel (``message.channels``), in a thread when ``thread_ts``."""
    ts = _ts()
    event = {"type": "message", "channel_type": channel_type, "user": user, "text": text, "ts": ts,
             "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def slack_view_submission_body(callback_id: str, private_metadata: str, values: dict, view_id: str | None = None,
                               user_id: str = "U0000STAFF1", team_id: str = SLACK_TEAM) -> bytes:
    """A modal submitted (``view_submission``); ``values`` as Slack sends them: {block: {action: {...}}}."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "test"},
        "user": {"id": user_id, "username": "staff", "team_id": team_id},
        "api_app_id": "A0001",
        "token": "deprecated-verification-token",
        "trigger_id": unique("trig"),
        "view": {"id": view_id or unique("V"), "type": "modal", "callback_id": callback_id,
                 "private_metadata": private_metadata, "state": {"values": values}, "hash": unique("h")},
    }
    return urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode("utf-8")


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _ts() -> str:
    """A unique Slack message timestamp ('1700000000.000123')."""
    return f"{int(time.time())}.{next(_counter):06d}"
