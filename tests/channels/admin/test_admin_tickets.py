"""The admin tickets page: filters, CSV export, and 「FAQにする」 pre-filling a new FAQ draft."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from admin_support import VIEWER, add_users, logged_in_client, make_app, make_runtime
from bot.handoff.desk import HandoffDesk, HandoffPolicy
from bot.handoff.store import TicketStore
from bot.handoff.ticket import utc_now


@pytest.fixture
def runtime(fresh_data_dir):
    add_users(fresh_data_dir)
    runtime = make_runtime(fresh_data_dir)
    desk = HandoffDesk(TicketStore(fresh_data_dir), runtime.inquiry_log, runtime.bot.retriever.store.departments,
                       HandoffPolicy())
    asked = [runtime.bot.ask(q, channel="line", user_id=f"line:U{i}")
             for i, q in enumerate(["火星に住民票を移せますか 090-1234-5678", "月の土地は買えますか"])]
    first, _ = desk.confirm(asked[0].inquiry_id, "line:U0", "line", "U0", now=utc_now() - timedelta(days=3))
    second, _ = desk.confirm(asked[1].inquiry_id, "line:U1", "line", "U1")
    desk.answer(first, "火星への転出届は受け付けていません。")
    runtime.tickets = (first, second)
    yield runtime
    desk.store.close()


def test_tickets_page_filters_exports_and_makes_an_faq_draft(runtime):
    first, second = runtime.tickets
    client, _ = logged_in_client(make_app(runtime))
    page = client.get("/admin/tickets")
    assert page.status_code == 200 and "火星に住民票" in page.text and "090-1234-5678" not in page.text
    assert page.text.count(">FAQにする</a>") == 1
    answered = client.get("/admin/tickets", params={"state": "answered"}).text
    assert "火星に住民票" in answered and "月の土地" not in answered
    overdue = client.get("/admin/tickets", params={"overdue": "1"}).text
    assert "月の土地" not in overdue
    exported = client.get("/admin/tickets.csv", params={"state": "open"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert [int(r["id"]) for r in rows] == [second.id] and "reply_to" not in rows[0]
    draft = client.get(f"/admin/entries/new?ticket={first.id}")
    assert draft.status_code == 200
    assert "火星への転出届は受け付けていません。" in draft.text and "火星に住民票を移せますか" in draft.text
    assert client.get(f"/admin/entries/new?ticket={second.id}").status_code == 404  # no answer yet


def test_viewers_cannot_open_tickets_or_the_faq_form(runtime):
    # Viewers see reports only: tickets hold residents' questions and staff replies.
    client, _ = logged_in_client(make_app(runtime), user=VIEWER)
    assert client.get("/admin/tickets").status_code == 403
    assert client.get("/admin/tickets.csv").status_code == 403
    assert client.get(f"/admin/entries/new?ticket={runtime.tickets[0].id}").status_code == 403
