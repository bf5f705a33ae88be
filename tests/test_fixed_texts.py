"""Every fixed text the bot says exists in every supported language and in やさしい日本語.

A text added in Japanese only fails here: each citizen-facing wording module (the bot's answers,
the handoff to staff, LINE, the web chat) keeps its Japanese as module constants or dicts, and the
translations in a catalogue beside them. Slack speaks to staff; its answer labels are checked the
same way. A module's ``KEYWORDS`` are words residents send or tap exactly as written (DESIGN.md:
「配信設定」, 「職員に質問を送る」 ...): Japanese in every language, quoted as they are.
"""
from __future__ import annotations

import re
import string

import pytest

from bot.answering import messages as bot_messages
from bot.handoff import messages as handoff_messages
from channels.line import messages as line_messages
from channels.slack import messages as slack_messages
from channels.web import messages as web_messages
from indexing.language import EASY_JAPANESE, SUPPORTED, missing_readings

VARIANTS = SUPPORTED + (EASY_JAPANESE,)
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LINE_LABEL_LIMIT = 20  # LINE's limit for button, quick-reply and postback labels
LINE_LABELS = ((line_messages, ("OPEN_SOURCE", "OPEN_CONTACT", "CALL", "RESOLVED", "UNRESOLVED", "PUSH_AREA_BUTTON",
                                 "PUSH_AREA_NONE", "PUSH_STOP_BUTTON")),
               (handoff_messages, ("OFFER_LABEL", "CONFIRM_LABEL")))
WORDING_MODULES = (bot_messages, handoff_messages, line_messages)


WEB_BLOCKS = {"PAGE": "PAGE_TRANSLATIONS", "SCRIPT": "SCRIPT_TRANSLATIONS", "API_ERRORS": "API_ERROR_TRANSLATIONS"}


def _web_catalogue() -> dict:
    """The web chat's page, script and API strings as one catalogue {name: {language: text}}."""
    catalogue = {}
    for block, translations in WEB_BLOCKS.items():
        japanese, translations = getattr(web_messages, block), getattr(web_messages, translations)
        for key, text in japanese.items():
            catalogue[f"{block}.{key}"] = {"ja": text, **{code: texts.get(key) for code, texts in translations.items()}}
    return catalogue


CATALOGUES = {
    "bot.answering.messages": bot_messages.CATALOGUE,
    "bot.handoff.messages": handoff_messages.CATALOGUE,
    "channels.line.messages": line_messages.CATALOGUE,
    "channels.web.messages": _web_catalogue(),
    "channels.slack.messages": slack_messages.CATALOGUE,
}
KEYWORDS = {f"{module.__name__}:{name}": getattr(module, name) for module in WORDING_MODULES
            for name in getattr(module, "KEYWORDS", ())}
TEXTS = [(module, name, texts) for module, catalogue in CATALOGUES.items() for name, texts in catalogue.items()
         if f"{module}:{name}" not in KEYWORDS]
# Japanese a translation may keep: the keywords, quoted, and the bot's name in an example (「@まどぐち ...」).
QUOTED_KEYWORD = re.compile("[\"「“'](?:@?まどぐち|" + "|".join(map(re.escape, KEYWORDS.values())) + ")")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("module, name, texts", TEXTS, ids=[f"{m}:{n}" for m, n, _ in TEXTS])
def test_every_text_exists_in_every_language_with_the_same_fields(module, name, texts):
    japanese = texts.get("ja")
    assert isinstance(japanese, str), f"{module}.{name} has no Japanese"
    # A text the bot never says in Japanese (the note that an answer follows in Japanese) is '' there.
    variants = VARIANTS if japanese else tuple(v for v in SUPPORTED if v != "ja")
    for language in variants:
        text = texts.get(language)
        assert text, f"{module}.{name} has no {language} text"
        assert fields(text) == fields(japanese or texts["en"]), (module, name, language)
        if language not in ("ja", EASY_JAPANESE, "zh-Hans", "zh-Hant"):
            # Japanese left in a translation is a keyword the resident sends (「配信設定」) or a name in an example.
            left = JAPANESE_SCRIPT.findall(QUOTED_KEYWORD.sub("", text))
            assert not left, (module, name, language, text)


@pytest.mark.parametrize("module, name, texts", TEXTS, ids=[f"{m}:{n}" for m, n, _ in TEXTS])
def test_easy_japanese_gives_a_reading_after_every_kanji(module, name, texts):
    easy = texts.get(EASY_JAPANESE)
    if not texts.get("ja"):
        return
    assert not missing_readings(easy), (module, name, easy)


def test_keywords_are_the_same_in_every_language():
    for key, word in KEYWORDS.items():
        module, name = key.split(":")
        catalogue = CATALOGUES.get(module, {})
        assert set(catalogue.get(name, {"ja": word})) == {"ja"}, key  # no translation to drift from the word


@pytest.mark.parametrize("module", WORDING_MODULES, ids=lambda m: m.__name__)
def test_every_japanese_constant_of_a_wording_module_is_in_its_catalogue(module):
    """A new fixed text written as a Japanese constant only (and said with ``.format``) fails here."""
    keywords = set(getattr(module, "KEYWORDS", ()))
    constants = {name for name, value in vars(module).items()
                 if name.isupper() and isinstance(value, str) and JAPANESE_SCRIPT.search(value)}
    missing = sorted(constants - set(module.CATALOGUE) - keywords)
    assert not missing, f"{module.__name__}: add these to CATALOGUE in every language: {missing}"
    for name in constants - keywords:
        assert module.CATALOGUE[name]["ja"] == getattr(module, name), name


def test_every_japanese_block_of_the_web_chat_has_its_translations():
    blocks = {name for name, value in vars(web_messages).items()
              if name.isupper() and isinstance(value, dict) and any(
                  isinstance(text, str) and JAPANESE_SCRIPT.search(text) for text in value.values())}
    assert not blocks - set(WEB_BLOCKS), "add them to WEB_BLOCKS with a translations dict"


def test_line_labels_fit_in_every_language():
    for module, names in LINE_LABELS:
        for name in names:
            for language in VARIANTS:
                label = module.say(name, language, easy_japanese=language == EASY_JAPANESE)
                assert len(label) <= LINE_LABEL_LIMIT, (module.__name__, name, language, label)


def test_a_language_without_texts_falls_back_to_japanese_or_easy_japanese():
    assert bot_messages.say("ABSTAIN", "es") == bot_messages.ABSTAIN
    assert bot_messages.say("ABSTAIN", "es", easy_japanese=True) == bot_messages.CATALOGUE["ABSTAIN"][EASY_JAPANESE]
    assert line_messages.say("RATE_LIMITED", "th") == line_messages.RATE_LIMITED
