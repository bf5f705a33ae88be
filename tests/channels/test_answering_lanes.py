"""Bounded cost per question: lanes, deadlines, and the embedder's bounded query text."""
from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from fakes.server import answers_held, serve_app

from channels.answering_lanes import AnsweringLanes, DeadlineExceeded, LaneBusy
from channels.web import messages as web_messages
from indexing.embeddings import MAX_QUERY_CHARS, bounded_query_text
from indexing.settings import Settings

STORY = "先月引っ越してきました。平日は仕事で窓口に行けません。"


def test_bounded_query_text_keeps_the_asking_sentence_within_the_budget():
    question = STORY * 30 + "古いソファを捨てるにはどこに申し込めばよいですか？" + "よろしくお願いします。"
    kept = bounded_query_text(question)
    assert len(kept) <= MAX_QUERY_CHARS and "古いソファを捨てるにはどこに申し込めばよいですか？" in kept
    assert bounded_query_text("粗大ごみの出し方は？") == "粗大ごみの出し方は？"
    assert len(bounded_query_text("あ" * 5000)) == MAX_QUERY_CHARS


def test_a_burst_of_short_web_questions_waits_its_turn_instead_of_being_refused():
    """20 questions at once (a page opened in a class): each takes a few tens of milliseconds, so all are answered."""
    import time

    async def scenario():
        lanes = AnsweringLanes()

        def answer():
            time.sleep(0.02)
            return "answer"

        return await asyncio.gather(*(lanes.run(lanes.short, answer, timeout=5) for _ in range(20)),
                                    return_exceptions=True)

    assert asyncio.run(scenario()) == ["answer"] * 20


def test_long_questions_wait_in_their_own_lane_and_short_ones_pass():
    async def scenario():
        lanes = AnsweringLanes(short_threads=1, long_threads=1, queue_per_thread=1, long_question_chars=20)
        release, started, skipped_ran = threading.Event(), threading.Event(), []

        def slow():
            started.set()
            release.wait(10)
            return "long"

        long_lane = lanes.lane_for("長" * 50)
        assert long_lane is lanes.long and lanes.lane_for("短い質問？") is lanes.short
        running = asyncio.ensure_future(lanes.run(long_lane, slow, timeout=10))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        queued = asyncio.ensure_future(lanes.run(long_lane, lambda: skipped_ran.append(1), timeout=0.05))
        await asyncio.sleep(0)  # let it take its place in the queue
        with pytest.raises(LaneBusy):
            await lanes.run(long_lane, lambda: "refused", timeout=10)
        # A short question is answered at once while the long lane is full.
        assert await lanes.run(lanes.short, lambda: "short", timeout=5) == "short"
        with pytest.raises(DeadlineExceeded):
            await queued
        release.set()
        assert await running == "long"
        # The job whose caller gave up was skipped, and its place freed.
        assert await lanes.run(long_lane, lambda: "next", timeout=5) == "next"
        assert skipped_ran == [] and lanes.long.admitted == 0
        lanes.shutdown()

    asyncio.run(scenario())


def test_web_chat_answers_504_with_retry_after_when_the_deadline_passes(module_data_dir):
    settings = Settings(data_dir=module_data_dir, rate_limit_per_minute=0, answer_timeout_seconds=0.3)
    with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        with answers_held(server):
            late = client.post("/api/ask", json={"question": "粗大ごみの出し方は？"})
        assert late.status_code == 504 and late.headers["retry-after"].isdigit()
        assert late.json()["message"] == web_messages.API_ERRORS["timeout"]
        assert client.post("/api/ask", json={"question": "粗大ごみの出し方は？"}).status_code == 200
