"""The topics a resident or a member of staff is offered (LINE's welcome)."""
from types import SimpleNamespace

from bot.service import Bot
from indexing.entries import Audience, Entry


def _bot_over(entries):
    bot = Bot.__new__(Bot)  # the topics read the index only
    bot.retriever = SimpleNamespace(index=lambda audience: SimpleNamespace(entries=entries))
    return bot


def _entries(kind, category, count, audience="citizen"):
    return [Entry(id=f"{kind}-{category}-{n}", kind=kind, title=f"{category}{n}", body="本文", category=category,
                  audience=audience) for n in range(count)]


KNOWLEDGE = (_entries("plan", "計画", 90, "all") + _entries("faq", "保育", 140) + _entries("faq", "妊娠・出産", 80)
             + _entries("faq", "健診・予防接種", 60) + _entries("guide", "届出・証明", 20) + _entries("guide", "ごみ・リサイクル", 15))


def test_a_resident_is_offered_each_kind_of_knowledge_in_turn_and_no_plan():
    assert _bot_over(KNOWLEDGE).topics(Audience.CITIZEN, limit=4) == ["保育", "届出・証明", "妊娠・出産", "ごみ・リサイクル"]


def test_staff_are_offered_the_plans_too():
    assert _bot_over(KNOWLEDGE).topics(Audience.STAFF, limit=3) == ["保育", "計画", "届出・証明"]


def test_a_category_two_kinds_share_is_offered_once():
    entries = (_entries("faq", "子育て", 50) + _entries("faq", "保育", 40) + _entries("guide", "子育て", 10)
               + _entries("guide", "ごみ", 5))
    assert _bot_over(entries).topics(Audience.CITIZEN) == ["子育て", "保育", "ごみ"]
