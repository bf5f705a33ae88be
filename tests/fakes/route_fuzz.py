"""Malformed requests for every public route (shared by tests/channels/test_fuzz_routes.py and
benchmarks/fuzz_routes.py): random bytes, deeply nested JSON, lone surrogates, huge numbers,
wrong types, missing or broken headers, oversized bodies, CR/LF and hostile Host headers.

``cases(rng, count)`` yields ``Case`` objects; ``send(client, case)`` returns the status.
Slack and LINE bodies are often correctly signed, so the parsers behind the signature checks
are reached too.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field

from fakes.webhooks import line_headers, line_text_event, slack_headers

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
ROUTES = [("GET", "/"), ("GET", "/healthz"), ("POST", "/api/ask"), ("POST", "/api/feedback"),
          ("POST", "/callback/line"), ("POST", "/slack/events"), ("GET", "/admin"), ("GET", "/admin/"),
          ("GET", "/admin/login"), ("POST", "/admin/login"), ("GET", "/web/static/chat.js"),
          ("GET", "/admin/entries/101"), ("POST", "/admin/logout")]


@dataclass
class Case:
    method: str
    path: str
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    kind: str = ""


def nested(depth: int, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def odd_value(rng: random.Random):
    """A JSON value of the wrong type or an extreme size (as JSON text)."""
    return rng.choice([
        "null", "true", "[]", "{}", "0", "-1", str(10 ** 30), "-" + str(10 ** 30), "1e309", "-1e309", "1.5",
        json.dumps("9" * 5000), json.dumps("²"), json.dumps("x" * 20000), '"\\ud800"', '"\\udfff\\ud800"',
        '"a\\u0000b"', '"\\r\\n"', nested(rng.choice([50, 3000]), rng), json.dumps("粗大ごみ" * 300),
    ])


def random_bytes(rng: random.Random, size: int | None = None) -> bytes:
    size = rng.choice([0, 1, 7, 64, 1024, 20000]) if size is None else size
    return bytes(rng.getrandbits(8) for _ in range(size))


def ask_body(rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return ('{"question": ' + odd_value(rng) + "}").encode("utf-8", "surrogatepass")
    if choice == 1:
        return ('{"question": "' + rng.choice(["\\ud800", "\\udc00x", "住民票\\ud83d"]) + '"}').encode()
    if choice == 2:
        return nested(rng.choice([1000, 5000, 100000]), rng).encode()
    if choice == 3:
        return random_bytes(rng)
    if choice == 4:
        return odd_value(rng).encode("utf-8", "surrogatepass")
    return json.dumps({"question": "粗大ごみ？", rng.choice(["x", "question"]): rng.random()}).encode()


def feedback_body(rng: random.Random) -> bytes:
    fields = {"inquiry_id": odd_value(rng) if rng.random() < 0.7 else str(rng.choice([1, 2, 10 ** 30])),
              "feedback": rng.choice(['"resolved"', '"unresolved"', odd_value(rng)]),
              "comment": rng.choice(['""', '"\\ud800"', odd_value(rng)])}
    if rng.random() < 0.2:
        return random_bytes(rng)
    text = "{" + ",".join(f'"{k}": {v}' for k, v in fields.items() if rng.random() < 0.9) + "}"
    return text.encode("utf-8", "surrogatepass")


def line_case(rng: random.Random) -> Case:
    choice = rng.randrange(5)
    if choice == 0:
        body = nested(rng.choice([1000, 100000]), rng).encode()
    elif choice == 1:
        event = line_text_event("x")
        event["message"]["text"] = "\ud800"
        body = json.dumps({"destination": "U0", "events": [event]}).encode()  # \ud800 escaped by json.dumps
    elif choice == 2:
        body = ('{"destination": "U0", "events": ' + odd_value(rng) + "}").encode("utf-8", "surrogatepass")
    elif choice == 3:
        body = random_bytes(rng)
    else:
        body = json.dumps({"destination": "U0", "events": [{"type": "message", "webhookEventId": 10 ** 30,
                                                            "message": odd_value(rng)}]}).encode()
    headers = line_headers(body) if rng.random() < 0.8 else rng.choice(
        [{}, {"X-Line-Signature": "not base64 ✓".encode()}, {"X-Line-Signature": ""}])
    headers.setdefault("Content-Type", JSON)
    return Case("POST", "/callback/line", body, headers, kind="line")


def slack_case(rng: random.Random) -> Case:
    content_type = rng.choice([JSON, FORM])
    choice = rng.randrange(4)
    if choice == 0:
        body = nested(rng.choice([1000, 100000]), rng).encode()
        if content_type == FORM:
            body = b"payload=" + body
    elif choice == 1:
        body = random_bytes(rng)
    elif choice == 2:
        body = ('{"type": "event_callback", "event": ' + odd_value(rng) + "}").encode("utf-8", "surrogatepass")
    else:
        body = (b"command=/madoguchi&text=%ED%A0%80&response_url=" + random_bytes(rng, 8).hex().encode())
        content_type = FORM
    mode = rng.randrange(5)
    if mode == 0:
        headers = {}
    elif mode == 1:
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": rng.choice(["abc", "", "1e9", "-5"]),
                   "X-Slack-Signature": "v0=00"}
    elif mode == 2:
        headers = slack_headers(body, content_type, timestamp=int(time.time()) - 3600)  # stale
    else:
        headers = slack_headers(body, content_type)
    return Case("POST", "/slack/events", body, headers, kind="slack")


def admin_case(rng: random.Random) -> Case:
    choice = rng.randrange(4)
    if choice == 0:
        return Case("GET", rng.choice(["/admin", "/admin/", "/admin/entries/"]),
                    headers={"Host": "evil.example"}, kind="admin-host")
    if choice == 1:
        return Case("GET", "/admin/login", params={"next": rng.choice(["/admin/\r\nX: y", "%ED%A0%80", "//evil"])},
                    kind="admin-next")
    if choice == 2:
        body = rng.choice([random_bytes(rng), b"name=a&password=b&next=%0d%0a&csrf_token=x",
                           b"name=%ED%A0%80&password=" + b"x" * 5000])
        return Case("POST", "/admin/login", body, {"Content-Type": rng.choice([FORM, "multipart/form-data"])},
                    kind="admin-login")
    return Case("GET", "/admin/entries/" + rng.choice(["%ED%A0%80", "..%2f..%2fetc", "9" * 400, "%00"]),
                kind="admin-path")


def cases(rng: random.Random, count: int):
    for n in range(count):
        pick = rng.randrange(10)
        if pick < 3:
            yield Case("POST", "/api/ask", ask_body(rng),
                       {"Content-Type": rng.choice([JSON, JSON, "text/plain", "application/json; charset=x"])},
                       kind="ask")
        elif pick == 3:
            yield Case("POST", "/api/feedback", feedback_body(rng), {"Content-Type": JSON},
                       kind="feedback")
        elif pick == 4:
            yield line_case(rng)
        elif pick == 5:
            yield slack_case(rng)
        elif pick == 6:
            yield admin_case(rng)
        elif pick == 7:
            method, path = rng.choice(ROUTES)
            yield Case(method, path, random_bytes(rng), {"Content-Type": rng.choice([JSON, FORM, "", "x/y"]),
                                                         "Cookie": rng.choice(["", "madoguchi_uid=%ED", "a" * 5000])},
                       kind="random")
        elif pick == 8:
            method, path = rng.choice(ROUTES)
            yield Case("POST" if method == "GET" else method, path, b"x" * rng.choice([1_000_001, 3_000_000]),
                       {"Content-Type": JSON}, kind="oversized")
        else:
            method, path = rng.choice(ROUTES)
            yield Case(method, path, random_bytes(rng, 16) if method == "POST" else b"",
                       rng.choice([{}, {"Content-Type": b"application/json; charset=\xff"},
                                   {"Accept": "*/*" * 500}, {"Cookie": "madoguchi_admin=" + "A" * 4000},
                                   {"Origin": "null"}, {"X-Forwarded-For": "::1, not-an-ip, 999.1.1.1"}]),
                       kind="headers")


def send(client, case: Case) -> int:
    import httpx

    try:
        response = client.request(case.method, case.path, content=case.body or None, headers=case.headers,
                                  params=case.params or None)
    except httpx.TransportError:
        return DROPPED  # the server answered (413) and closed before the client finished sending
    return response.status_code


DROPPED = 0
