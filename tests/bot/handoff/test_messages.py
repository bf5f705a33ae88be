"""The handoff's citizen texts: every language the answers speak, the same placeholders in each."""
from __future__ import annotations

import string

from bot.answering import messages as answering
from bot.handoff import messages

LABELS = ("OFFER_LABEL", "CONFIRM_LABEL")  # the same Japanese label everywhere (DESIGN.md)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_in_every_language_with_the_same_fields():
    languages = set(answering.CATALOGUE["ABSTAIN"])
    for name, texts in messages.CATALOGUE.items():
        if name in LABELS:
            assert set(texts) == {"ja"} and messages.say(name, "en") == getattr(messages, name)
            continue
        assert set(texts) == languages, name
        for language, text in texts.items():
            assert fields(text) == fields(texts["ja"]), (name, language)
