"""The handoff in the web chat: offer, confirmation (with one addition), Slack, the page's poll, rating."""
from __future__ import annotations

import time

import httpx
import pytest

from fakes.server import serve_app
from fakes.webhooks import (
    JSON,
    SLACK_BOT_TOKEN,
    SLACK_SECRET,
    slack_channel_message_event,
    slack_event_body,
    slack_headers,
)

from bot.handoff.ticket import TicketState
from indexing.settings import Settings


@pytest.fixture(scope="module")
def server(module_backend_data_dir, slack_api):
    settings = Settings(data_dir=module_backend_data_dir, slack_signing_secret=SLACK_SECRET, slack_bot_token=SLACK_BOT_TOKEN,
                        slack_api_base_url=slack_api.api_url, rate_limit_per_minute=0)
    with serve_app(settings) as running:
        yield running


class browser(httpx.Client):
    """A browser of the web chat: it has the page's cookie."""

    def __init__(self, server):
        super().__init__(base_url=server.url, timeout=10)

    def __enter__(self):
        super().__enter__()
        assert self.get("/").status_code == 200  # sets the web chat's cookie
        return self


def wait_ticket(server, ticket_id, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        ticket = server.runtime.handoff_desk.store.get(ticket_id)
        if ticket is not None and predicate(ticket):
            return ticket
        assert time.monotonic() < deadline, f"ticket {ticket_id}: {ticket and ticket.state}"
        time.sleep(0.02)  # the inbox worker updates the row after Slack answers: poll, bounded


def test_web_chat_handoff_from_decline_to_rating(server, slack_api):
    with browser(server) as citizen, browser(server) as stranger:
        answer = citizen.post("/api/ask", json={"question": "火星への移住手続きは？ 電話は 090-1234-5678"}).json()
        assert answer["abstained"] and answer["handoff"]["label"] == "職員に質問を送る"
        inquiry_id = answer["inquiry_id"]
        assert stranger.post("/api/handoff/offer", json={"inquiry_id": inquiry_id}).status_code == 404
        preview = citizen.post("/api/handoff/offer", json={"inquiry_id": inquiry_id}).json()
        assert preview["confirm_label"] == "送信する" and "090-1234-5678" not in preview["text"]
        assert "時間以内" in preview["text"] and preview["department"] in preview["text"]
        assert stranger.post("/api/handoff/confirm", json={"inquiry_id": inquiry_id}).status_code == 404
        sent = citizen.post("/api/handoff/confirm", json={"inquiry_id": inquiry_id,
                                                          "addition": "急ぎです。携帯 080-1111-2222"}).json()
        ticket_id = sent["ticket"]
        assert sent["created"] and f"受付番号 {ticket_id}" in sent["text"]
        ticket = wait_ticket(server, ticket_id, lambda t: t.slack_ts)
        assert ticket.channel == "web" and "急ぎです" in ticket.question and "080-1111-2222" not in ticket.question
        assert citizen.get(f"/api/handoff/tickets/{ticket_id}").json() == {"ticket": ticket_id, "state": "open"}
        assert citizen.get("/api/handoff/tickets").json() == {"tickets": [ticket_id]}  # polled again after a reload
        assert stranger.get("/api/handoff/tickets").json() == {"tickets": []}
        assert stranger.get(f"/api/handoff/tickets/{ticket_id}").status_code == 404

        reply = slack_channel_message_event("移住の手続きはありません。総合案内 098-861-1234 へ", ticket.slack_channel,
                                            thread_ts=ticket.slack_ts)
        body = slack_event_body(reply)
        assert httpx.post(f"{server.url}/slack/events", content=body,
                                     headers=slack_headers(body, JSON)).status_code == 200
        wait_ticket(server, ticket_id, lambda t: t.state is TicketState.ANSWERED)
        # Another site cannot make the resident's browser use the staff's words up (a link, a frame, an image).
        for headers in ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}, {"Sec-Fetch-Mode": "navigate"},
                        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "no-cors"},
                        {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}, {"Sec-Fetch-Site": "none"}):
            assert citizen.get(f"/api/handoff/tickets/{ticket_id}", headers=headers).status_code == 404
        deadline = time.monotonic() + 10
        while "text" not in (polled := citizen.get(f"/api/handoff/tickets/{ticket_id}",
                                                   headers={"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}).json()):
            assert time.monotonic() < deadline, polled
            time.sleep(0.05)  # recorded, then held by the relay: the page waits for the staff's own words
        assert polled["state"] == "answered" and "移住の手続きはありません。総合案内 098-861-1234 へ" in polled["text"]
        # The staff's own words are handed over once; the ticket keeps only the masked text.
        again = citizen.get(f"/api/handoff/tickets/{ticket_id}").json()
        assert "098-861-1234" not in again["text"] and "移住の手続きはありません" in again["text"]
        assert server.runtime.handoff_desk.store.take_answer(ticket_id) is None
        assert polled["rate"]["resolved"] == "解決した"
        slack_api.wait_for(lambda f: any("届けました（Webチャット）" in m["text"]
                                         for m in f.thread(ticket.slack_channel, ticket.slack_ts)),
                           what="delivered note")
        assert server.runtime.handoff_desk.store.get(ticket_id).delivered_at
        assert citizen.get("/api/handoff/tickets").json() == {"tickets": []}
        assert polled["new"] and not again["new"]  # the open page shows only words it has not shown
        # A follow-up in the thread reaches the page that is still open: its words alone, as written, once.
        follow = slack_channel_message_event("補足：窓口は3階です。", ticket.slack_channel, thread_ts=ticket.slack_ts)
        body = slack_event_body(follow)
        assert httpx.post(f"{server.url}/slack/events", content=body, headers=slack_headers(body, JSON)).status_code == 200
        wait_ticket(server, ticket_id, lambda t: "窓口は3階" in t.answer and not t.delivered_at)
        deadline = time.monotonic() + 10
        while not (followed := citizen.get(f"/api/handoff/tickets/{ticket_id}").json()).get("new"):
            assert time.monotonic() < deadline, followed
            time.sleep(0.05)  # recorded, then held by the relay: the page waits for the staff's own words
        assert "補足：窓口は3階です。" in followed["text"] and "移住の手続き" not in followed["text"]
        assert not citizen.get(f"/api/handoff/tickets/{ticket_id}").json()["new"]
        assert stranger.post("/api/handoff/rate", json={"ticket": ticket_id, "rating": "resolved"}).status_code == 404
        rated = citizen.post("/api/handoff/rate", json={"ticket": ticket_id, "rating": "unresolved"}).json()
        assert rated["state"] == "closed" and "直接お問い合わせ" in rated["text"]


def test_unresolved_feedback_offers_the_handoff(server):
    with browser(server) as citizen:
        answer = citizen.post("/api/ask", json={"question": "粗大ごみはどうやって出せばいいですか？"}).json()
        assert not answer["abstained"] and "handoff" not in answer
        result = citizen.post("/api/feedback", json={"inquiry_id": answer["inquiry_id"],
                                                     "feedback": "unresolved"}).json()
        assert result["handoff"]["label"] == "職員に質問を送る" and "職員" in result["handoff"]["text"]
        preview = citizen.post("/api/handoff/offer", json={"inquiry_id": answer["inquiry_id"]}).json()
        assert "粗大ごみ" in preview["text"]


def test_asking_for_a_person_offers_the_handoff(server):
    with browser(server) as citizen:
        answer = citizen.post("/api/ask", json={"question": "人と話したいです"}).json()
        assert answer["answer"].startswith("職員へのお問い合わせをご希望ですね。")
        assert answer["handoff"]["label"] == "職員に質問を送る"
        preview = citizen.post("/api/handoff/offer", json={"inquiry_id": answer["inquiry_id"]}).json()
        assert preview["confirm_label"] == "送信する"


def test_a_ticket_closed_before_its_words_were_held_is_shown_masked_rather_than_never(server):
    store = server.runtime.handoff_desk.store
    with browser(server) as citizen:
        answer = citizen.post("/api/ask", json={"question": "火星の土地の登記はどこでできますか？"}).json()
        assert answer["abstained"]
        citizen.post("/api/handoff/offer", json={"inquiry_id": answer["inquiry_id"]})
        ticket_id = citizen.post("/api/handoff/confirm", json={"inquiry_id": answer["inquiry_id"]}).json()["ticket"]
        wait_ticket(server, ticket_id, lambda t: t.slack_ts)
        poll = f"/api/handoff/tickets/{ticket_id}"
        assert store.record_answer(ticket_id, "法務局へお問い合わせください。")
        assert "text" not in citizen.get(poll).json()  # just recorded: its words are about to be held
        store.finish(ticket_id, TicketState.CLOSED)  # closed before the words were ever held
        shown = citizen.get(poll).json()
        assert shown["state"] == "closed" and "法務局へお問い合わせください。" in shown["text"]
