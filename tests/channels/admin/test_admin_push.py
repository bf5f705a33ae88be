"""LINE deliveries in the admin UI: compose, preview with the recipient count, confirm, send, cancel."""
from __future__ import annotations

import dataclasses
import time

import pytest

from fakes.line_api import FakeLineApi
from fakes.webhooks import LINE_TOKEN

from admin_support import VIEWER, add_users, logged_in_client, make_app, make_runtime
from indexing.storage.outreach import OutreachBook


@pytest.fixture
def line_api():
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


@pytest.fixture
def app_and_book(backend_data_dir, line_api):
    add_users(backend_data_dir)
    runtime = make_runtime(backend_data_dir, with_log=False)
    runtime.settings = dataclasses.replace(runtime.settings, line_channel_access_token=LINE_TOKEN,
                                           line_api_base_url=line_api.url)
    book = OutreachBook(backend_data_dir)
    book.subscribe_many([(f"Uadmin{n:04d}", ["bousai"], "北地区") for n in range(12)])
    book.subscribe_many([(f"Uother{n:04d}", ["event"], None) for n in range(5)])
    return make_app(runtime), book


def compose(**fields) -> dict:
    return {"interest": ["bousai"], "text": "避難所を開設しました。", "url": "https://example.lg.jp/hinan",
            "area": "", "at": "", **fields}


def test_the_preview_shows_recipients_and_a_line_bubble(app_and_book):
    app, _ = app_and_book
    client, token = logged_in_client(app)
    page = client.get("/admin/push")
    assert page.status_code == 200 and "防災" in page.text and "二重確認" in page.text
    preview = client.post("/admin/push/preview", data={**compose(), "csrf_token": token})
    assert preview.status_code == 200
    assert "12 人" in preview.text and "line-bubble" in preview.text and "https://example.lg.jp/hinan" in preview.text
    assert 'name="confirm_twice"' in preview.text
    bad = client.post("/admin/push/preview", data={**compose(text=""), "csrf_token": token})
    assert bad.status_code == 400 and "本文を入力" in bad.text


def test_bousai_needs_the_second_confirmation_then_reaches_only_subscribers(app_and_book, line_api):
    app, book = app_and_book
    client, token = logged_in_client(app)
    refused = client.post("/admin/push/send", data={**compose(), "csrf_token": token})
    assert refused.status_code == 400 and book.deliveries() == []
    sent = client.post("/admin/push/send", data={**compose(), "confirm_twice": "yes", "csrf_token": token},
                       follow_redirects=False)
    assert sent.status_code == 303
    line_api.wait_for(lambda f: len(f.delivered) == 12, 30, what="the delivery")
    assert set(line_api.delivered) == {f"Uadmin{n:04d}" for n in range(12)}
    assert book.deliveries()[0].created_by == "admin:editor1"
    # Marked sent right after LINE's answer, with no request to await: poll the database, bounded.
    deadline = time.monotonic() + 10
    while book.deliveries()[0].state != "sent":
        assert time.monotonic() < deadline, book.deliveries()[0]
        time.sleep(0.02)
    report = client.get("/admin/reports")
    assert report.status_code == 200 and "LINE配信" in report.text and "問い合わせ件数には含めていません" in report.text
    assert "防災 12 人" in report.text


def test_quota_refusal_and_scheduling_and_cancel(app_and_book, line_api):
    app, book = app_and_book
    client, token = logged_in_client(app)
    line_api.quota_limit, line_api.quota_used = 10, 8
    refused = client.post("/admin/push/send", data={**compose(interest=["event"]), "csrf_token": token})
    assert refused.status_code == 409 and "送信できません" in refused.text and book.deliveries() == []
    scheduled = client.post("/admin/push/send", data={**compose(interest=["event"], at="2099-01-01T09:00"),
                                                      "csrf_token": token}, follow_redirects=False)
    assert scheduled.status_code == 303
    delivery = book.deliveries()[0]
    assert delivery.state == "scheduled" and delivery.scheduled_at.isoformat().startswith("2099-01-01T00:00")
    assert "予約" in client.get("/admin/push").text
    assert client.post(f"/admin/push/{delivery.id}/cancel", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert book.delivery(delivery.id).state == "cancelled"
    assert client.post(f"/admin/push/{delivery.id}/cancel", data={"csrf_token": token}).status_code == 409
    assert line_api.multicasts() == []


def test_viewers_and_forged_posts_are_refused(app_and_book):
    app, book = app_and_book
    viewer, token = logged_in_client(app, VIEWER)
    assert viewer.get("/admin/push").status_code == 403
    assert viewer.post("/admin/push/send", data={**compose(interest=["event"]), "csrf_token": token}).status_code == 403
    editor, _ = logged_in_client(app)
    assert editor.post("/admin/push/send", data={**compose(interest=["event"]), "csrf_token": "forged"}).status_code == 403
    assert book.deliveries() == []
