"""The storage layer on both backends: the same owners, the same results, on SQLite and PostgreSQL.

``backend_data_dir`` is the imported fixture knowledge in a data dir of the test's own, its shared
state on SQLite (the data dir's file) or on a PostgreSQL database of its own.
"""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.service import Bot
from indexing.curation import editing
from indexing.storage import bind_database, named_lock, storage_for
from indexing.storage.accounts import AccountTables
from indexing.storage.inquiries import InquiryTables
from indexing.storage.knowledge import KnowledgeStore, knowledge_write_lock
from indexing.storage.outreach import OutreachBook, now_utc
from indexing.storage.transfer import copy_database

ROOT = Path(__file__).resolve().parents[3]
FRESH = {"department": "総合案内", "updated": "2026-04-01", "review_by": "2027-03-31"}


def test_the_backend_is_the_one_bound_to_the_data_dir(backend_data_dir, request):
    storage = storage_for(backend_data_dir)
    on_postgres = "postgresql" in request.node.callspec.id
    assert storage.dialect.is_postgres is on_postgres
    assert (backend_data_dir / "madoguchi.db").exists() is not on_postgres


def test_knowledge_reads_the_same_on_both_backends(backend_data_dir, data_dir):
    here, there = KnowledgeStore(backend_data_dir), KnowledgeStore(data_dir)
    assert here.knowledge_version() == there.knowledge_version()
    assert [e.id for e in here.entries()] == [e.id for e in there.entries()]  # insertion order kept
    assert here.get("101") == there.get("101")
    assert here.departments() == there.departments()
    assert here.synonyms_text() == there.synonyms_text()
    assert here.source_paths() == there.source_paths()


def test_vectors_round_trip_as_float32(backend_data_dir):
    store = KnowledgeStore(backend_data_dir)
    vectors = {"h1": np.arange(8, dtype=np.float32) / 7, "h2": -np.ones(8, dtype=np.float32)}
    store.store_vectors("test-model", vectors)
    store.store_vectors("test-model", {"h1": np.zeros(8, dtype=np.float32)})  # replaced, not duplicated
    found = store.cached_vectors("test-model", ["h1", "h2", "missing"])
    assert set(found) == {"h1", "h2"}
    assert found["h1"].dtype == np.float32 and not found["h1"].any()
    assert np.array_equal(found["h2"], vectors["h2"])


def test_an_edit_bumps_the_version_and_is_answered_on_the_next_question(backend_data_dir):
    bot = Bot(backend_data_dir)
    store = KnowledgeStore(backend_data_dir)
    version = store.knowledge_version()
    editing.update_entry(store, "101", {"body": "粗大ごみは前日の夜までに申し込んでください。"}, changed_by="sato")
    assert store.knowledge_version() == version + 1
    assert bot.answer("粗大ごみの出し方は？").text == "粗大ごみは前日の夜までに申し込んでください。"
    assert [h["action"] for h in store.history("101")][:1] == ["edited"]


def test_a_second_host_builds_its_indexes_from_the_database_and_follows_edits(backend_data_dir, tmp_path,
                                                                             request):
    """Host B has an empty data dir of its own: entries, analysis and vectors come from the shared
    database; an admin edit on host A is answered by host B on its next question."""
    if "postgresql" not in request.node.callspec.id:
        pytest.skip("two hosts share a database only on PostgreSQL")
    host_b = tmp_path / "host-b"
    bind_database(host_b, storage_for(backend_data_dir).url)
    try:
        bot_b = Bot(host_b)
        assert bot_b.search("粗大ごみの出し方は？", top=1)[0].entry.id == "101"
        assert list((host_b / "index").rglob("*.faiss"))  # its local cache, built from the database
        store_a = KnowledgeStore(backend_data_dir)
        created = editing.create_entry(store_a, {"title": "パスポートの申請はどこでできますか？",
                                                 "body": "市民課のパスポート窓口で申請できます。", **FRESH},
                                       changed_by="sato")
        assert bot_b.search("パスポートを作りたい", top=1)[0].entry.id == created.id
    finally:
        storage_for(host_b).release()
        bind_database(host_b, "")


def test_inquiries_are_idempotent_per_record_key(backend_data_dir):
    tables = InquiryTables(backend_data_dir)
    row = {"asked_at": "2026-10-01T00:15:00+00:00", "channel": "line", "audience": "citizen",
           "question": "粗大ごみは？", "abstained": 1, "answer_kind": "abstain", "record_key": "event:line:1"}
    first = tables.insert(row)
    assert first is not None and tables.insert(row) is None and tables.id_of_record("event:line:1") == first
    assert tables.set_feedback(first, "unresolved", "", "2026-10-01T00:16:00+00:00") == 1
    assert [r["id"] for r in tables.open_review_items(("empty",), 10)] == [first]
    tables.close_reviews([first, first], "dismissed", "", "sato", "2026-10-02T00:00:00+00:00")
    assert tables.open_review_items(("empty",), 10) == []
    assert [r["question"] for r in tables.recently_closed(5)] == ["粗大ごみは？"]
    assert tables.bounds() == ("2026-10-01T00:15:00+00:00",) * 2 and tables.count() == 1


def test_accounts_quote_the_user_column(backend_data_dir):
    tables = AccountTables(backend_data_dir)
    assert tables.insert_user("sato", "editor", "hash", "2026-10-01T00:00:00+00:00")
    assert not tables.insert_user("sato", "viewer", "hash", "2026-10-01T00:00:00+00:00")
    tables.insert_session("t1", "sato", "csrf", "2026-10-01T00:00:00+00:00", "2026-10-01T12:00:00+00:00")
    assert tables.session("t1")["user"] == "sato" and tables.session("t1")["role"] == "editor"
    tables.delete_sessions_of("sato")
    assert tables.session("t1") is None


def test_deliveries_number_themselves_and_count_their_audience(backend_data_dir):
    book = OutreachBook(backend_data_dir)
    book.subscribe_many([("U1", ["bousai"], "north"), ("U2", ["bousai", "kosodate"], None)])
    assert book.count_recipients(["bousai"]) == 2 and book.recipients(["bousai"], "north") == ["U1"]
    one = book.create_delivery(["bousai"], None, "避難所を開設しました。", "", now_utc(), "cli")
    two = book.create_delivery(["kosodate"], None, "健診のお知らせ", "", now_utc(), "cli")
    assert two.id == one.id + 1
    [batch] = book.plan(one.id)
    assert batch.user_ids == ("U1", "U2") and book.plan(one.id) == [batch]  # planned once


def test_named_locks_exclude_other_processes(backend_data_dir):
    """flock on SQLite, an advisory lock on PostgreSQL: another process (another host) cannot take it."""
    storage = storage_for(backend_data_dir)
    probe = ("import sys; from indexing.storage import named_lock, storage_for\n"
             "with named_lock(storage_for(sys.argv[1], sys.argv[2]), 'push', wait=False) as held:"
             " print(held)\n")

    def other_process() -> str:
        return subprocess.run([sys.executable, "-c", probe, str(backend_data_dir), storage.url], cwd=ROOT,
                              capture_output=True, text=True, timeout=60).stdout.strip()

    with named_lock(storage, "push") as held:
        assert held is True
        with named_lock(storage, "push", wait=False) as again:  # re-entrant in this thread
            assert again is True
        assert other_process() == "False"
    assert other_process() == "True"


def test_the_knowledge_write_lock_serialises_threads(backend_data_dir):
    inside, overlaps = [0], []
    lock = threading.Lock()

    def work():
        with knowledge_write_lock(backend_data_dir):
            with lock:
                inside[0] += 1
                overlaps.append(inside[0])
            threading.Event().wait(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert overlaps == [1, 1, 1, 1]


def test_copy_database_moves_a_sqlite_data_dir_to_another_database(empty_backend_data_dir, data_dir):
    copied = copy_database(storage_for(data_dir, ""), storage_for(empty_backend_data_dir))
    assert copied["entries"] == len(KnowledgeStore(data_dir).entries(status=None)) > 0
    store = KnowledgeStore(empty_backend_data_dir)
    assert store.knowledge_version() == KnowledgeStore(data_dir).knowledge_version()
    before = len(store.history("101"))
    editing.update_entry(store, "101", {"body": "コピー後の編集です。"}, changed_by="sato")
    assert len(store.history("101")) == before + 1  # ids continue after the copied ones
