"""Answer → Slack Block Kit.

``section`` with the answer, a ``context`` with its sources (and the department to ask),
related questions as buttons and 解決した/解決しない buttons whose ``action_id`` is
``feedback_up`` / ``feedback_down`` and whose value is the inquiry id.
"""
from __future__ import annotations

from urllib.parse import urlparse

from bot.answering.answer import NOT_QUESTION_KINDS, Answer, Source
from channels.slack import messages

FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
RELATED_PREFIX = "related_question_"
FEEDBACK_BLOCK = "madoguchi_feedback"
RELATED_BLOCK = "madoguchi_related"

SECTION_LIMIT = 3000
CONTEXT_ELEMENTS_LIMIT = 10
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
FALLBACK_TEXT_LIMIT = 4000


def escape(text: str) -> str:
    """mrkdwn control characters (Slack's documented escaping)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_mrkdwn(source: Source) -> str:
    label = escape(source.label())
    url = (source.url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https") and parsed.netloc and not any(c in url for c in "<>|"):
        return f"<{url}|{label}>"
    return label


def answer_blocks(answer: Answer) -> list[dict]:
    def say(name, **fields):  # labels in the question's language
        return messages.say(name, answer.language, **fields)

    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": cut(escape(answer.text), SECTION_LIMIT)}}]
    context = [f"{say('SOURCES_LABEL')}: {source_mrkdwn(s)}" for s in answer.sources]
    if answer.contact is not None and not answer.abstained:
        context.append(f"{say('CONTACT_LABEL')}: {escape(answer.contact.text())}")
    if answer.kind in ("answer", "abstain", "other_city", "staff_topic"):
        context.append(say("CONFIDENCE", confidence=answer.confidence))
    if context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": cut(t, SECTION_LIMIT)}
                                                       for t in context[:CONTEXT_ELEMENTS_LIMIT]]})
    related = [r for r in answer.related if r.question.strip()]
    if related:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": say("RELATED_LABEL")}]})
        blocks.append({"type": "actions", "block_id": RELATED_BLOCK, "elements": [
            {"type": "button", "action_id": f"{RELATED_PREFIX}{i}",
             "text": {"type": "plain_text", "text": cut(r.question, BUTTON_TEXT_LIMIT)},
             "value": cut(r.question, BUTTON_VALUE_LIMIT)}
            for i, r in enumerate(related)]})
    if answer.inquiry_id is not None and answer.kind not in NOT_QUESTION_KINDS:
        value = str(answer.inquiry_id)
        blocks.append({"type": "context", "elements": [{"type": "plain_text", "text": say("FEEDBACK_LABEL")}]})
        blocks.append({"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": [
            {"type": "button", "action_id": FEEDBACK_UP, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": say("RESOLVED")}},
            {"type": "button", "action_id": FEEDBACK_DOWN, "value": value,
             "text": {"type": "plain_text", "text": say("UNRESOLVED")}},
        ]})
    return blocks


def fallback_text(answer: Answer) -> str:
    """The notification / screen-reader text that accompanies the blocks."""
    return cut(answer.text, FALLBACK_TEXT_LIMIT)
