"""A server process follows knowledge changed elsewhere (another host on PostgreSQL) without a question."""
from __future__ import annotations

import asyncio

from channels.runtime import Runtime
from indexing.curation import editing
from indexing.settings import Settings
from indexing.storage.knowledge import KnowledgeStore


def test_the_follower_reloads_an_edit_made_by_another_process(backend_data_dir):
    runtime = Runtime.build(Settings(data_dir=backend_data_dir, rate_limit_per_minute=0))
    retriever = runtime.bot.retriever
    elsewhere = KnowledgeStore(backend_data_dir)  # another process's (host's) store of the same database
    before = retriever.loaded_version

    async def scenario() -> int:
        stopping = asyncio.Event()
        follower = asyncio.create_task(runtime.follow_knowledge(stopping, interval=0.05))
        await asyncio.to_thread(editing.update_entry, elsewhere, "101",
                                {"body": "粗大ごみは前日の夜までに申し込んでください。"}, "sato")
        target = elsewhere.knowledge_version()
        for _ in range(400):  # bounded: 20 s at most
            if retriever.loaded_version == target:
                break
            await asyncio.sleep(0.05)  # the follower polls; there is no event to await across processes
        stopping.set()
        await follower
        return target

    try:
        target = asyncio.run(scenario())
        assert target == before + 1 and retriever.loaded_version == target
        assert retriever.index("citizen").entries  # still answering
        by_id = {e.id: e for e in retriever.index("citizen").entries}
        assert by_id["101"].body == "粗大ごみは前日の夜までに申し込んでください。"
    finally:
        runtime.close()
