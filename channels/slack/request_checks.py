"""Checks on a Slack HTTP request made before Bolt sees it (Bolt answers 500 when they fail).

Bolt's signature verifier assumes both signature headers are present and the timestamp is a
number, and its middleware assumes Slack's payload shapes (an ``event`` object ...). Requests
that break those assumptions are refused here with 401 / 400 instead.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs


def signature_headers_present(headers) -> bool:
    timestamp = headers.get("x-slack-request-timestamp", "")
    return (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
            and bool(headers.get("x-slack-signature")))


def body_shape_ok(body: bytes, content_type: str) -> bool:
    """A JSON body (or a form's ``payload``) must be an object whose ``event``, when present, is one too."""
    try:
        text = body.decode("utf-8")
        # As Bolt reads it: JSON when declared so or when the body starts with "{", else a form.
        if content_type.split(";")[0].strip().lower() == "application/json" or text.startswith("{"):
            data = json.loads(text)
        else:
            payload = parse_qs(text).get("payload")
            if not payload:
                return True  # slash commands: flat form fields
            data = json.loads(payload[0])
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("event", {}), dict)


def is_rate_limit_notice(body: bytes) -> bool:
    """Whether the body is Slack's ``app_rate_limited`` notice (a JSON object of that ``type``)."""
    if not body.lstrip().startswith(b"{"):
        return False
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("type") == "app_rate_limited"
