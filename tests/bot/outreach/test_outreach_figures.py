"""Delivery figures per month and topic, for the report (beside, not inside, the inquiry figures)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from indexing.storage.outreach import OutreachBook, SENT
from bot.outreach.figures import delivery_figures
from indexing.interests import Interests, Topic

INTERESTS = Interests((Topic("gomi", "ごみ・リサイクル"), Topic("bousai", "防災", confirm_twice=True)))


def sent_delivery(book, topics, user_ids, finished: str):
    delivery = book.create_delivery(topics, None, "本文", "", datetime.now(timezone.utc), "test")
    book.plan(delivery.id)
    for batch in book.batches(delivery.id):
        book.record_attempt(delivery.id, batch.number)
        book.record_outcome(delivery.id, batch.number, "sent", 200)
    assert book.finish_if_done(delivery.id) == SENT
    book.db.execute("update push_deliveries set finished_at = ? where id = ?", [finished, delivery.id])


def test_deliveries_recipients_and_opt_outs_per_month_and_topic(tmp_path):
    book = OutreachBook(tmp_path)
    april = datetime(2026, 4, 10, 3, tzinfo=timezone.utc)
    for n in range(3):
        book.toggle_topic(f"U{n}", "gomi", at=april)
    book.toggle_topic("U9", "bousai", at=april)
    sent_delivery(book, ["gomi"], None, "2026-04-20T01:00:00Z")
    sent_delivery(book, ["gomi", "bousai"], None, "2026-05-01T00:30:00Z")   # 09:30 JST on 1 May
    book.stop_all("U0", at=datetime(2026, 5, 2, tzinfo=timezone.utc))
    book.toggle_topic("U1", "gomi", at=datetime(2026, 5, 3, tzinfo=timezone.utc))  # unsubscribes
    figures = delivery_figures(book, INTERESTS, date(2026, 4, 1), date(2026, 5, 31))
    rows = {(r.month, r.topic): r for r in figures.rows}
    assert rows[("2026-04", "gomi")].deliveries == 1 and rows[("2026-04", "gomi")].recipients == 3
    assert rows[("2026-04", "gomi")].subscribed == 3
    assert rows[("2026-05", "bousai")].deliveries == 1 and rows[("2026-05", "bousai")].recipients == 4
    assert rows[("2026-05", "gomi")].opted_out == 2
    assert figures.deliveries == 2 and figures.recipients == 7 and figures.opted_out == 2
    assert figures.subscribers_now == {"ごみ・リサイクル": 1, "防災": 1}
    april_only = delivery_figures(book, INTERESTS, date(2026, 4, 1), date(2026, 4, 30))
    assert april_only.deliveries == 1 and all(r.month == "2026-04" for r in april_only.rows)
