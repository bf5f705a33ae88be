"""The inquiry log: masking, pseudonymous keys, and writes that never fail or get lost."""
import json
import sqlite3
import stat
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.answering.answer import Answer, Source
from bot.insights.inquiry_log import InquiryLog, MASKING_FAILED, spool_path, to_utc_iso

SECRET = "test-secret"


def make_answer(question="粗大ごみの出し方は？", abstained=False, **changes) -> Answer:
    fields = dict(question=question, text="粗大ごみは事前に申し込んでください。", abstained=abstained,
                  confidence=0.2 if abstained else 0.87, audience="citizen",
                  sources=() if abstained else (Source(id="101", title="粗大ごみ", kind="faq"),),
                  category="ごみ・リサイクル", department="ごみ減量推進課",
                  kind="abstain" if abstained else "answer", latency_ms=12.34)
    fields.update(changes)
    return Answer(**fields)


@pytest.fixture
def log(tmp_path) -> InquiryLog:
    inquiry_log = InquiryLog(tmp_path, user_key_secret=SECRET, busy_timeout_ms=50)
    yield inquiry_log
    inquiry_log.close()


@pytest.fixture
def lock_database(tmp_path):
    """Hold the write lock from another connection, as a busy worker would."""
    holders = []

    def hold():
        connection = sqlite3.connect(tmp_path / "madoguchi.db", isolation_level=None)
        connection.execute("begin exclusive")
        holders.append(connection)
        return connection

    yield hold
    for connection in holders:
        if connection.in_transaction:
            connection.execute("rollback")
        connection.close()


def rows(data_dir: Path) -> list[dict]:
    connection = sqlite3.connect(data_dir / "madoguchi.db")
    connection.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in connection.execute("select * from inquiries order by id")]
    finally:
        connection.close()


# --- what one row holds ----------------------------------------------------------------------

def test_record_stores_one_masked_row(log, tmp_path):
    inquiry_id = log.record(make_answer("電話090-1234-5678の件で、粗大ごみの出し方は？"), channel="line",
                            user_id="U1234567890abcdef", asked_at="2026-10-01T09:15:00+09:00")
    row = log.get(inquiry_id)
    assert row["asked_at"] == "2026-10-01T00:15:00+00:00"  # stored in UTC
    assert row["channel"] == "line" and row["audience"] == "citizen"
    assert row["question"] == "電話〔電話番号〕の件で、粗大ごみの出し方は？"
    assert row["user_key"] == log.user_key("U1234567890abcdef") and "U1234567890abcdef" not in row["user_key"]
    assert json.loads(row["entry_ids"]) == ["101"]
    assert (row["abstained"], row["confidence"], row["latency_ms"]) == (0, 0.87, 12.3)
    assert (row["category"], row["department"], row["answer_kind"]) == ("ごみ・リサイクル", "ごみ減量推進課", "answer")
    assert row["feedback"] is None and row["escalated"] == 0 and row["record_key"]


def test_abstained_answer_is_recorded_as_abstained(log):
    row = log.get(log.record(make_answer("駐輪場の定期券は？", abstained=True), channel="web"))
    assert row["abstained"] == 1 and row["answer_kind"] == "abstain" and json.loads(row["entry_ids"]) == []


def test_feedback_and_escalation(log):
    inquiry_id = log.record(make_answer(), channel="line", user_id="U1")
    assert log.set_feedback(inquiry_id, "unresolved", "折り返しはtaro@example.jpへ") is True
    assert log.set_escalated(inquiry_id) is True
    row = log.get(inquiry_id)
    assert row["feedback"] == "unresolved" and row["feedback_comment"] == "折り返しは〔メール〕へ"
    assert row["feedback_at"] and row["escalated"] == 1
    assert log.set_feedback(inquiry_id + 100, "resolved") is False
    assert log.set_escalated(inquiry_id + 100) is False
    with pytest.raises(ValueError):
        log.set_feedback(inquiry_id, "maybe")


def test_timestamps_are_normalised_to_utc():
    assert to_utc_iso("2026-10-01T07:00:00+09:00") == "2026-09-30T22:00:00+00:00"
    assert to_utc_iso(datetime(2026, 10, 1, 7, 0, 0, 123456, tzinfo=timezone(timedelta(hours=9)))) == \
        "2026-09-30T22:00:00+00:00"
    assert to_utc_iso("2026-10-01T07:00:00") == "2026-10-01T07:00:00+00:00"  # naive = UTC


def test_unreadable_asked_at_does_not_fail_the_write(log):
    inquiry_id = log.record(make_answer(), channel="line", asked_at="yesterday-ish")
    assert inquiry_id is not None and log.get(inquiry_id)["asked_at"].endswith("+00:00")


# --- pseudonymous user keys ------------------------------------------------------------------

def test_user_key_is_a_keyed_hash(tmp_path):
    a = InquiryLog(tmp_path / "a", user_key_secret="one")
    b = InquiryLog(tmp_path / "b", user_key_secret="two")
    assert a.user_key("U1") == a.user_key("U1") != a.user_key("U2")
    assert a.user_key("U1") != b.user_key("U1")  # without the secret the key cannot be recomputed
    assert a.user_key(None) == a.user_key("") == ""
    assert not (tmp_path / "a" / "user-key.secret").exists()


def test_without_a_configured_secret_a_private_per_installation_key_is_made(tmp_path):
    first = InquiryLog(tmp_path).user_key("U1")
    secret_file = tmp_path / "user-key.secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert InquiryLog(tmp_path).user_key("U1") == first  # stable across restarts and workers


# --- writes never fail an answer, and are never lost -----------------------------------------

def test_locked_database_spools_the_row_and_the_next_write_replays_it(log, tmp_path, lock_database):
    log.record(make_answer("最初の質問"), channel="line")
    blocker = lock_database()
    started = time.perf_counter()
    assert log.record(make_answer("ロック中の質問 090-1234-5678"), channel="line", user_id="U9",
                      asked_at="2026-10-02T10:00:00+09:00") is None
    assert time.perf_counter() - started < 2  # waited for the busy timeout only, not 30 s
    spooled = spool_path(tmp_path).read_text(encoding="utf-8")
    assert "〔電話番号〕" in spooled and "090-1234-5678" not in spooled  # masked before spooling
    assert log.pending() == 1
    blocker.execute("rollback")

    assert log.record(make_answer("ロック解除後の質問"), channel="web") is not None
    stored = rows(tmp_path)
    assert [r["question"] for r in stored] == ["最初の質問", "ロック中の質問 〔電話番号〕", "ロック解除後の質問"]
    assert stored[1]["asked_at"] == "2026-10-02T01:00:00+00:00" and stored[1]["user_key"] == log.user_key("U9")
    assert not spool_path(tmp_path).exists() and log.pending() == 0


def test_feedback_on_a_locked_database_is_spooled_and_applied_later(log, tmp_path, lock_database):
    inquiry_id = log.record(make_answer(), channel="line")
    blocker = lock_database()
    assert log.set_feedback(inquiry_id, "resolved", "ありがとう") is True
    assert log.set_escalated(inquiry_id) is True
    blocker.execute("rollback")
    assert log.replay_spool() == 2
    row = log.get(inquiry_id)
    assert (row["feedback"], row["feedback_comment"], row["escalated"]) == ("resolved", "ありがとう", 1)


def test_a_message_taken_back_loses_its_words_even_while_the_database_is_locked(log, tmp_path, lock_database):
    inquiry_id = log.record(make_answer("住所は青葉台3丁目です。粗大ごみは？"), channel="line")
    other = log.record(make_answer(), channel="line")
    assert log.note_message(inquiry_id, "m-1") and log.note_message(other, "m-2")
    assert log.get(inquiry_id)["message_key"] == log.message_key("m-1") != "m-1"  # a keyed hash, not the id
    assert log.set_feedback(inquiry_id, "unresolved", "住所は青葉台です")
    blocker = lock_database()
    assert log.forget_message("m-1") is True  # spooled
    blocker.execute("rollback")
    assert log.replay_spool() == 1
    row = log.get(inquiry_id)
    assert (row["question"], row["answer"], row["feedback_comment"], row["feedback"]) == ("", "", None, "unresolved")
    assert log.get(other)["question"] == "粗大ごみの出し方は？"
    assert log.forget_message("never-logged") is True  # nothing to remove is no failure


def test_a_message_taken_back_before_its_inquiry_was_logged_loses_its_words_when_it_is(log):
    # The unsend event can be handled before the message's own event (two workers, a retry).
    assert log.forget_message("m-early") is True
    inquiry_id = log.record(make_answer("電話は090-1234-5678です。粗大ごみは？"), channel="line")
    assert log.note_message(inquiry_id, "m-early")
    row = log.get(inquiry_id)
    assert (row["question"], row["answer"]) == ("", "")
    later = log.record(make_answer(), channel="line")
    assert log.note_message(later, "m-other") and log.get(later)["question"] == "粗大ごみの出し方は？"


def test_a_database_from_before_message_keys_gains_them_on_upgrade(tmp_path):
    import sqlite3

    from indexing.storage.migrations import LATEST

    InquiryLog(tmp_path, user_key_secret=SECRET).close()
    old = sqlite3.connect(tmp_path / "madoguchi.db")  # back to the log as step 7 left it: no message_key
    old.executescript("drop index idx_inquiries_message_key; alter table inquiries drop column message_key; "
                      "drop table unsent_messages; delete from schema_version where version > 7;")
    old.close()
    log = InquiryLog(tmp_path, user_key_secret=SECRET)
    inquiry_id = log.record(make_answer(), channel="line")
    assert log.note_message(inquiry_id, "m-1") and log.forget_message("m-1")
    assert log.pending() == 0 and log.get(inquiry_id)["question"] == ""
    check = sqlite3.connect(tmp_path / "madoguchi.db")
    assert check.execute("select max(version) from schema_version").fetchone()[0] == LATEST


def test_broken_database_file_spools_until_it_is_repaired(tmp_path):
    (tmp_path / "madoguchi.db").write_bytes(b"this is not a database" * 100)
    log = InquiryLog(tmp_path, user_key_secret=SECRET)  # must not raise
    assert log.record(make_answer("壊れている間の質問"), channel="slack") is None
    assert log.get(1) is None  # reads degrade to "not found"
    assert log.pending() == 1

    (tmp_path / "madoguchi.db").unlink()  # the operator restores the database
    assert log.record(make_answer("復旧後の質問"), channel="slack") is not None
    assert [r["question"] for r in rows(tmp_path)] == ["壊れている間の質問", "復旧後の質問"]


def test_a_failing_connection_is_reopened(log, tmp_path, monkeypatch):
    log.record(make_answer("一件目"), channel="line")
    broken = log.db

    def fail(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(broken, "execute", fail)
    assert log.record(make_answer("二件目"), channel="line") is None
    assert log.record(make_answer("三件目"), channel="line") is not None  # a fresh connection
    assert [r["question"] for r in rows(tmp_path)] == ["一件目", "二件目", "三件目"]


def test_replay_is_idempotent_after_a_crash_between_commit_and_unlink(log, tmp_path, lock_database):
    blocker = lock_database()
    log.record(make_answer("スプール1"), channel="line")
    log.record(make_answer("スプール2"), channel="line")
    blocker.execute("rollback")
    saved = spool_path(tmp_path).read_bytes()
    assert log.replay_spool() == 2
    spool_path(tmp_path).write_bytes(saved)  # as if the process died before deleting the spool
    log.replay_spool()
    assert [r["question"] for r in rows(tmp_path)] == ["スプール1", "スプール2"]


def test_a_torn_spool_line_is_set_aside_and_the_rest_replayed(log, tmp_path, lock_database):
    blocker = lock_database()
    log.record(make_answer("無事な行"), channel="line")
    blocker.execute("rollback")
    with spool_path(tmp_path).open("a", encoding="utf-8") as spool:
        spool.write('{"op": "insert", "row": {"question": "途中で')  # a crash mid-write
    assert log.replay_spool() == 1
    assert [r["question"] for r in rows(tmp_path)] == ["無事な行"]
    assert "途中で" in (spool_path(tmp_path).parent / "rejected.jsonl").read_text(encoding="utf-8")


def test_rows_spooled_by_the_first_version_are_replayed(log, tmp_path):
    old_row = {"asked_at": "2026-10-01T00:00:00+00:00", "channel": "line", "audience": "citizen", "user_key": "",
               "question": "旧形式の行", "answer": "", "answer_kind": "answer", "abstained": 0, "confidence": 0.9,
               "entry_ids": "[]", "category": "", "department": "", "latency_ms": 1.0, "escalated": 0}
    spool_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    spool_path(tmp_path).write_text(json.dumps(old_row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert log.replay_spool() == 1
    spool_path(tmp_path).write_text(json.dumps(old_row, ensure_ascii=False) + "\n", encoding="utf-8")
    log.replay_spool()  # the same line again: a derived record_key keeps it single
    assert [r["question"] for r in rows(tmp_path)] == ["旧形式の行"]


def test_a_masking_bug_never_stores_the_raw_question(log, monkeypatch):
    def broken_mask(text):
        raise RuntimeError("bug")

    monkeypatch.setattr("bot.insights.inquiry_log.mask_personal_data", broken_mask)
    row = log.get(log.record(make_answer("090-1234-5678に電話して"), channel="line"))
    assert row["question"] == MASKING_FAILED


def test_concurrent_workers_lose_nothing(tmp_path):
    workers = [InquiryLog(tmp_path, user_key_secret=SECRET, busy_timeout_ms=5) for _ in range(3)]
    per_thread = 40

    def write(log, n):
        for i in range(per_thread):
            log.record(make_answer(f"質問 {n}-{i}"), channel="line")

    threads = [threading.Thread(target=write, args=(workers[n % 3], n)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    workers[0].replay_spool()
    questions = [r["question"] for r in rows(tmp_path)]
    assert len(questions) == len(set(questions)) == 6 * per_thread


def test_an_older_log_table_is_upgraded(tmp_path):
    connection = sqlite3.connect(tmp_path / "madoguchi.db")
    connection.execute("create table inquiries (id integer primary key, asked_at text, channel text, question text,"
                       " abstained integer default 0, escalated integer default 0)")
    connection.execute("insert into inquiries (asked_at, channel, question) values ('2026-10-01T00:00:00+00:00',"
                       " 'line', '古い行')")
    connection.commit()
    connection.close()
    log = InquiryLog(tmp_path, user_key_secret=SECRET)
    log.record(make_answer("新しい行"), channel="web")
    assert [r["question"] for r in rows(tmp_path)] == ["古い行", "新しい行"]
    assert rows(tmp_path)[1]["record_key"]
    # Every question before languages were told apart was Japanese.
    assert [r["language"] for r in rows(tmp_path)] == ["ja", "ja"]


def test_the_question_language_is_logged(log):
    row = log.get(log.record(make_answer("How do I put out large garbage?", language="en"), channel="line"))
    assert row["language"] == "en"
    assert log.get(log.record(make_answer(), channel="web"))["language"] == "ja"


# --- one row per channel event ----------------------------------------------------------------

def test_an_event_answered_again_reuses_its_inquiry_row(log, tmp_path):
    first = log.record(make_answer("粗大ごみの出し方"), channel="line", event_key="line:evt-1")
    again = log.record(make_answer("粗大ごみの出し方"), channel="line", event_key="line:evt-1")
    other_worker = InquiryLog(tmp_path, user_key_secret=SECRET).record(
        make_answer("粗大ごみの出し方"), channel="line", event_key="line:evt-1")
    assert first is not None and first == again == other_worker
    assert log.record(make_answer("粗大ごみの出し方"), channel="line", event_key="line:evt-2") != first
    assert log.record(make_answer("粗大ごみの出し方"), channel="line") != first  # no key: a new row
    assert [r["record_key"] for r in rows(tmp_path)][:2] == ["event:line:evt-1", "event:line:evt-2"]


def test_a_spooled_event_row_is_replayed_once(log, tmp_path):
    blocker = sqlite3.connect(tmp_path / "madoguchi.db", isolation_level=None)
    blocker.execute("begin exclusive")
    assert log.record(make_answer("ロック中"), channel="slack", event_key="slack:Ev1") is None
    blocker.execute("rollback")
    assert log.record(make_answer("ロック中"), channel="slack", event_key="slack:Ev1") is not None
    assert [r["question"] for r in rows(tmp_path)] == ["ロック中"]


# --- personal data never reaches the disk -----------------------------------------------------

PERSONAL_DATA = [
    # (kind, as typed in a question, digits/forms that must not appear anywhere either)
    ("mobile phone", "090-1234-5678", ["09012345678"]),
    ("landline", "03-9876-5432", ["0398765432"]),
    ("full-width phone", "０８０－２２２２－３３３３", ["08022223333", "080-2222-3333"]),
    ("phone with country code", "+81-90-4444-5555", ["09044445555", "9044445555"]),
    ("my number", "123456789018", []),
    ("grouped my number", "2345 6789 0123", ["234567890123"]),
    ("e-mail", "taro.yamada@example.co.jp", []),
    ("full-width e-mail", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", ["hanako@example.jp"]),
]
RAW_USER_ID = "U4af4980629abcdef0123456789abcdef"


def _disk_bytes(data_dir: Path) -> bytes:
    """Every byte of every file in the data dir: database, -wal, -shm, spool."""
    return b"".join(path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file())


def _forbidden(raw: str, extra: list[str]) -> list[bytes]:
    forms = {raw, *extra}
    return [form.encode("utf-8") for form in forms] + [form.encode("utf-16-le") for form in forms]


@pytest.mark.parametrize("kind,raw,extra", PERSONAL_DATA, ids=[p[0] for p in PERSONAL_DATA])
def test_no_personal_data_in_the_database_files(tmp_path, kind, raw, extra, lock_database):
    log = InquiryLog(tmp_path, user_key_secret=SECRET, busy_timeout_ms=50)
    inquiry_id = log.record(make_answer(f"折り返しの連絡先は {raw} です。粗大ごみの件"), channel="line",
                            user_id=RAW_USER_ID)
    log.set_feedback(inquiry_id, "unresolved", f"{raw} に連絡ください")
    answered_with_it = make_answer("住民票の件", text=f"担当者の連絡先 {raw}")
    log.record(answered_with_it, channel="web", user_id=RAW_USER_ID)
    blocker = lock_database()  # also through the spool
    log.record(make_answer(f"ロック中：{raw}"), channel="line", user_id=RAW_USER_ID)
    log.set_feedback(inquiry_id, "resolved", f"やはり {raw}")
    assert log.pending() == 2
    on_disk = _disk_bytes(tmp_path)  # WAL not yet checkpointed: the -wal file holds the rows
    assert (tmp_path / "madoguchi.db-wal").exists()
    blocker.execute("rollback")
    log.replay_spool()
    log.close()  # checkpoint into the main file
    on_disk += _disk_bytes(tmp_path)
    for form in _forbidden(raw, extra) + [RAW_USER_ID.encode()]:
        assert form not in on_disk, f"{kind}: {form!r} found on disk"
    assert b"\xe3\x80\x94" in on_disk  # the placeholders (〔) are there instead


def test_a_long_question_is_stored_cut_and_masked():
    from bot.insights.inquiry_log import _safe_mask

    text = "電話は090-1234-5678です。" + "あ" * 100_000
    stored = _safe_mask(text, 2000)
    assert len(stored) == 2000 and "090-1234-5678" not in stored and "〔電話番号〕" in stored



def test_when_masking_shrinks_the_opening_a_lot_the_whole_text_is_masked(monkeypatch):
    from bot.insights import inquiry_log

    seen = []

    def shrinking_mask(text):  # stands in for a masker that replaces long spans by short placeholders
        seen.append(len(text))
        return "〔住所〕" * (len(text) // 100)

    monkeypatch.setattr(inquiry_log, "mask_personal_data", shrinking_mask)
    stored = inquiry_log._safe_mask("あ" * 100_000, 2000)
    assert seen == [8000, 100_000] and len(stored) == 2000
