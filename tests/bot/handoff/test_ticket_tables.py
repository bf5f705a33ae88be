"""The ticket tables in the storage layer: the same columns as Ticket, the same behaviour on both backends."""
from dataclasses import fields
from datetime import datetime, timedelta, timezone

from bot.handoff.store import TicketStore
from bot.handoff.ticket import Ticket, TicketState
from indexing.storage.tickets import TICKET_COLUMNS

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def test_the_tables_columns_are_the_tickets_fields():
    assert TICKET_COLUMNS == tuple(f.name for f in fields(Ticket))


def _values(inquiry_id: int) -> dict:
    return {"state": TicketState.OPEN, "channel": "line", "user_key": "k1", "reply_to": "U1",
            "question": "粗大ごみの件", "category": "ごみ", "department": "環境課", "bot_answer": "",
            "bot_declined": True, "language": "ja", "created_at": "2026-10-01T09:00:00+00:00",
            "due_at": "2026-10-02T09:00:00+00:00", "inquiry_id": inquiry_id}


def test_tickets_and_drafts_on_both_backends(empty_backend_data_dir):
    store = TicketStore(empty_backend_data_dir)
    first = store.create(_values(1))
    assert first.id and first.state is TicketState.OPEN and first.bot_declined is True
    assert store.create(_values(1)) is None  # one ticket per inquiry
    second = store.create(_values(2))
    assert second.id > first.id
    assert store.record_answer(first.id, "回答です", NOW) and store.get(first.id).state is TicketState.ANSWERED
    assert store.rate(first.id, "resolved", NOW) and store.get(first.id).reply_to == ""
    assert [t.id for t in store.list()] == [second.id, first.id]
    assert store.claim_reminder(second.id, NOW + timedelta(days=2), timedelta(hours=12))
    assert not store.claim_reminder(second.id, NOW + timedelta(days=2, hours=1), timedelta(hours=12))
    store.hold_answer(second.id, "職員の回答です")
    store.hold_answer(second.id, "補足です")  # a follow-up before the page fetched: added after it
    store.hold_answer(second.id, "補足です")  # the same again (a retried delivery): not added twice
    store.hold_answer(second.id, "です")  # the end of another part is a part of its own
    store.hold_answer(second.id, "100%_!")  # LIKE's wildcards and escape are the text's own letters
    store.hold_answer(second.id, "100%_!")
    assert store.take_answer(second.id) == "職員の回答です\n\n補足です\n\nです\n\n100%_!"
    assert store.take_answer(second.id) is None
    store.hold_answer(second.id, "終了前の回答")
    assert store.finish(second.id, TicketState.DECLINED, NOW) and store.take_answer(second.id) is None
    store.start_draft("k9", 5, NOW)
    store.start_draft("k9", 6, NOW)  # offering again replaces
    assert store.add_to_draft("k9", "追記") and not store.add_to_draft("k9", "もう一つ")
    draft = store.draft("k9")
    assert (draft.inquiry_id, draft.addition) == (6, "追記")
    assert store.purge(0, now=NOW + timedelta(days=1)) == 2 and store.draft("k9") is None
    store.close()


def test_one_process_at_a_time_does_the_housekeeping(empty_backend_data_dir):
    """Another process (another host on PostgreSQL) skips its round while one is at it."""
    import subprocess
    import sys
    from pathlib import Path

    from indexing.storage import storage_for

    probe = ("import sys; from indexing.storage import bind_database\n"
             "bind_database(sys.argv[1], sys.argv[2])\n"
             "from bot.handoff.store import TicketStore\n"
             "with TicketStore(sys.argv[1]).housekeeping_lock(wait=False) as held: print(held)\n")
    root = Path(__file__).resolve().parents[3]

    def other_process() -> str:
        return subprocess.run([sys.executable, "-c", probe, str(empty_backend_data_dir),
                               storage_for(empty_backend_data_dir).url], cwd=root, capture_output=True, text=True,
                              timeout=120).stdout.strip()

    store = TicketStore(empty_backend_data_dir)
    with store.housekeeping_lock(wait=False) as held:
        assert held is True and other_process() == "False"
    assert other_process() == "True"
    store.close()
