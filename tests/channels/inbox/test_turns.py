import asyncio

from channels.inbox.turns import Turns


def test_one_conversation_goes_in_order_while_others_do_not_wait():
    turns, finished = Turns(), []

    async def answer(key, name, seconds):
        async with turns.of(key):
            await asyncio.sleep(seconds)
            finished.append(name)

    async def main():
        await asyncio.gather(answer("A", "a-slow", 0.2), answer("A", "a-fast", 0), answer("B", "b", 0.05),
                             answer(None, "anonymous", 0))
        return turns.conversations

    assert asyncio.run(main()) == 0  # nothing kept once a conversation has no event in hand
    assert finished.index("a-slow") < finished.index("a-fast")
    assert finished.index("b") < finished.index("a-slow") and finished[0] == "anonymous"


def test_a_failed_answer_lets_the_next_one_go():
    turns, finished = Turns(), []

    async def failing():
        async with turns.of("A"):
            raise RuntimeError("LINE is down")

    async def next_one():
        async with turns.of("A"):
            finished.append("next")

    async def main():
        results = await asyncio.gather(failing(), next_one(), return_exceptions=True)
        assert isinstance(results[0], RuntimeError)

    asyncio.run(main())
    assert finished == ["next"]
