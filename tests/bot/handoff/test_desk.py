"""The handoff desk and the ticket store: routing, ownership, masking, states, purge."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.answering.answer import Answer
from bot.handoff.desk import HandoffDesk, HandoffPolicy
from bot.handoff.store import TicketStore
from bot.handoff.ticket import TicketState, route_for, routable_departments, utc_now
from bot.insights.inquiry_log import InquiryLog

DEPARTMENTS = [
    {"name": "総合案内", "default": True, "slack_channel": "C-DESK", "audience": "all"},
    {"name": "市民課", "slack_channel": "C-SHIMIN", "reply_hours": 48, "audience": "citizen"},
    {"name": "税務課", "audience": "citizen"},
]


@pytest.fixture
def desk(tmp_path):
    log = InquiryLog(tmp_path, user_key_secret="secret")
    store = TicketStore(tmp_path)
    yield HandoffDesk(store, log, lambda: DEPARTMENTS, HandoffPolicy(reply_hours=24, expire_days=14,
                                                                     retention_days=365))
    store.close()
    log.close()


def ask(desk, user="line:U1", question="住民票の写しを郵送で 090-1234-5678 に電話ください", department="市民課"):
    answer = Answer(question=question, text="申し訳ありません。", abstained=True, confidence=0.1,
                    audience="citizen", category="届出・証明", department=department, kind="abstain")
    return desk.inquiry_log.record(answer, channel="line", user_id=user)


def test_routing_by_department_with_defaults():
    assert route_for("市民課", DEPARTMENTS).slack_channel == "C-SHIMIN"
    assert route_for("市民課", DEPARTMENTS).reply_hours == 48
    fallback = route_for("税務課", DEPARTMENTS, default_hours=24)
    assert (fallback.department, fallback.slack_channel, fallback.reply_hours) == ("総合案内", "C-DESK", 24)
    assert route_for("", DEPARTMENTS).department == "総合案内"
    assert route_for("税務課", [{"name": "税務課"}]) is None
    assert route_for("税務課", [{"name": "税務課"}], default_channel="C-ALL").slack_channel == "C-ALL"
    assert routable_departments(DEPARTMENTS) == ["総合案内", "市民課"]


def test_offer_confirm_creates_one_masked_ticket_for_the_asker_only(desk):
    inquiry = ask(desk)
    assert desk.offer(inquiry, "line:U2") is None  # another citizen's inquiry
    preview = desk.offer(inquiry, "line:U1")
    assert preview.department == "市民課" and preview.reply_hours == 48
    assert "090-1234-5678" not in preview.question
    added = desk.add_to_draft("line:U1", "メールは taro@example.com です")
    assert added is not None and "taro@example.com" not in added.text and "（補足）" in added.text
    assert desk.add_to_draft("line:U1", "もう一通") is None  # one message only
    assert desk.confirm(inquiry, "line:U2", "line", "U2") == (None, False)
    ticket, created = desk.confirm(inquiry, "line:U1", "line", "U1")
    assert created and ticket.state is TicketState.OPEN and ticket.reply_to == "U1"
    assert ticket.slack_channel == "C-SHIMIN" and ticket.question == added.text
    assert desk.confirm(inquiry, "line:U1", "line", "U1") == (ticket, False)  # a second tap: same ticket
    assert desk.inquiry_log.get(inquiry)["escalated"] == 1
    assert desk.pending_draft("line:U1") is None


def test_answer_rate_and_final_states_forget_the_recipient(desk):
    ticket, _ = desk.confirm(ask(desk), "line:U1", "line", "U1")
    answered = desk.answer(ticket, "ご連絡は 03-1234-5678 へ")
    assert answered.state is TicketState.ANSWERED and "03-1234-5678" not in answered.answer
    # A follow-up is added to the answer; the same text again (a retried delivery) is not added twice.
    followed = desk.answer(answered, "補足：窓口は1階です。")
    assert followed.answer == answered.answer + "\n\n補足：窓口は1階です。"
    assert desk.answer(followed, "補足：窓口は1階です。").answer == followed.answer
    # Two follow-ups at once both stay (the answer is added to in one statement, not read and written back).
    import threading
    both = [threading.Thread(target=desk.answer, args=(answered, text)) for text in ("補足A", "補足B")]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    assert {"補足A", "補足B"} <= set(desk.store.get(ticket.id).answer.split("\n\n"))
    # A retry of the first follow-up after a second one is not added again; a text that only ends another is.
    second = desk.answer(followed, "以上です。")
    assert desk.answer(second, "補足：窓口は1階です。").answer == second.answer
    assert second.answer.endswith("\n\n以上です。") and second.answer.count("補足：窓口は1階です。") == 1
    assert desk.rate(ticket.id, "resolved", "line:U2") is None
    closed = desk.rate(ticket.id, "resolved", "line:U1")
    assert closed.state is TicketState.CLOSED and closed.rating == "resolved" and closed.reply_to == ""
    assert desk.answer(closed, "もう一度") is None
    other, _ = desk.confirm(ask(desk), "line:U1", "line", "U1")
    declined = desk.decline(other)
    assert declined.state is TicketState.DECLINED and declined.reply_to == ""
    assert desk.decline(other) is None


def test_reroute_overdue_expire_and_purge(desk):
    now = utc_now()
    ticket, _ = desk.confirm(ask(desk), "line:U1", "line", "U1", now=now - timedelta(days=3))
    desk.store.set_posted(ticket.id, ticket.slack_channel, "1700000000.000001")
    assert [t.id for t in desk.store.overdue(now)] == [ticket.id]
    desk.store.mark_reminded(ticket.id, now)
    assert desk.store.overdue(now) == []
    moved = desk.reroute(ticket, "総合案内", now=now)
    assert moved.slack_channel == "C-DESK" and moved.slack_ts == "" and not moved.overdue(now)
    assert desk.reroute(moved, "税務課") is None  # no channel of its own
    stale_open, quiet = desk.stale(now + timedelta(days=20))
    assert [t.id for t in stale_open] == [ticket.id] and stale_open[0].reply_to == "U1" and quiet == []
    assert desk.expire(stale_open[0]).state is TicketState.EXPIRED
    assert desk.expire(stale_open[0]) is None
    assert desk.purge(now + timedelta(days=361)) == 0
    assert desk.purge(now + timedelta(days=363)) == 1
    assert desk.store.get(ticket.id) is None


def test_an_addition_goes_to_the_offer_it_was_written_for(desk):
    first, second = ask(desk, question="一つ目の質問"), ask(desk, question="二つ目の質問")
    desk.offer(first, "line:U1")
    desk.offer(second, "line:U1")  # a second offer replaces the first
    assert desk.add_to_draft("line:U1", "一つ目への補足", inquiry_id=first) is None
    assert desk.add_to_draft("line:U1", "二つ目への補足", inquiry_id=second).text.endswith("二つ目への補足")
    ticket, _ = desk.confirm(second, "line:U1", "web", "session")
    assert ticket.question.endswith("（補足）二つ目への補足")
    other, _ = desk.confirm(first, "line:U1", "web", "session")
    assert "補足" not in other.question
