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
