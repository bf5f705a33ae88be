"""The app-wide body cap: a browser's form post gets a page it can show, an API client JSON."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from channels.body_limit import BodyLimit

received = []


async def _store(request):
    received.append(await request.body())
    return PlainTextResponse("stored")


def _client() -> TestClient:
    received.clear()
    app = Starlette(routes=[Route("/admin/imports", _store, methods=["POST"]), Route("/api/ask", _store, methods=["POST"])])
    return TestClient(BodyLimit(app, limit=1000, limits={"/admin": 3 * 1024 * 1024}))


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "en-US"}


def test_an_oversized_admin_upload_from_a_browser_gets_a_japanese_page_with_the_limit():
    response = _client().post("/admin/imports", files={"file": ("faq.csv", b"x" * (3 * 1024 * 1024 + 1))},
                              headers=BROWSER)
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "リクエストが大きすぎます。" in response.text and "上限は 3MB です" in response.text
    assert 'href="/admin/"' in response.text and received == []


def test_an_oversized_api_call_still_gets_json_in_the_callers_language():
    response = _client().post("/api/ask", content=b"x" * 1001,
                              headers={"Content-Type": "application/json", "Accept": "application/json",
                                       "Accept-Language": "en-US"})
    assert response.status_code == 413 and response.json() == {"error": "too_large",
                                                                "message": "The request is too large."}
    assert received == []


def test_a_body_within_the_cap_reaches_the_handler():
    response = _client().post("/admin/imports", files={"file": ("faq.csv", b"x" * 5000)}, headers=BROWSER)
    assert response.status_code == 200 and len(received) == 1


def test_an_oversized_browser_upload_is_read_to_its_end_before_the_page_is_sent():
    """A browser reads the reply only after sending its whole upload: cut off, it shows a connection error."""
    import asyncio

    chunks = [{"type": "http.request", "body": b"x" * 1000, "more_body": True} for _ in range(9)]
    chunks.append({"type": "http.request", "body": b"x" * 1000, "more_body": False})
    sent, read = [], []

    async def receive():
        read.append(1)
        return chunks[len(read) - 1]

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        raise AssertionError("the handler must not run")

    scope = {"type": "http", "path": "/admin/imports", "headers": [
        (b"content-length", b"10000"), (b"accept", b"text/html,application/xhtml+xml")]}
    asyncio.run(BodyLimit(app, limit=100, limits={"/admin": 5000})(scope, receive, send))
    assert len(read) == 10 and sent[0]["status"] == 413
    # An API client is refused at once, its body unread; so is a browser's post elsewhere, and one that waits
    # to be asked for its body.
    for scope in ({"type": "http", "path": "/api/ask", "headers": [(b"content-length", b"10000")]},
                  {"type": "http", "path": "/api/ask", "headers": [(b"content-length", b"10000"),
                                                                    (b"accept", b"text/html")]},
                  {"type": "http", "path": "/admin/imports", "headers": [
                      (b"content-length", b"10000"), (b"accept", b"text/html"), (b"expect", b"100-continue")]}):
        read.clear()
        asyncio.run(BodyLimit(app, limit=100, limits={"/admin": 5000})(scope, receive, send))
        assert read == []


def test_a_body_of_undeclared_length_is_held_only_up_to_the_app_wide_cap_even_under_the_admin_ui():
    """A chunked body is buffered before any handler (and its login check) runs: an anonymous client must not
    make the server hold an upload's cap per request."""
    def chunks():
        yield b"x" * 600
        yield b"x" * 600

    response = _client().post("/admin/imports", content=chunks(), headers={"Content-Type": "text/csv"})
    assert response.status_code == 413 and received == []
    small = _client().post("/admin/imports", content=iter([b"x" * 500]), headers={"Content-Type": "text/csv"})
    assert small.status_code == 200 and received == [b"x" * 500]
