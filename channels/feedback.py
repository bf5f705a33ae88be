"""The chat reply to 解決した / 解決しない, shared by the chat adapters (each with its own wording).

    >>> outcome = await runtime.set_feedback(inquiry_id, "unresolved", user_id)
    >>> text = feedback_reply(outcome, "unresolved", messages)   # channels.line.messages
"""
from __future__ import annotations

from channels.runtime import FeedbackOutcome, FeedbackResult


def feedback_reply(outcome: FeedbackOutcome, feedback: str, wording, language: str = "ja",
                   easy_japanese: bool = False) -> str:
    """The reply text for ``outcome``; ``wording`` is the channel's messages module, which defines
    FEEDBACK_THANKS, FEEDBACK_SORRY ({department}), FEEDBACK_SORRY_DEFAULT_DEPARTMENT,
    FEEDBACK_NOT_YOURS and FEEDBACK_NOT_FOUND, and may translate them in its ``CATALOGUE``
    (then ``language`` picks the text, Japanese when it has none)."""
    def text(name: str, **fields) -> str:
        if name in getattr(wording, "CATALOGUE", {}):
            return wording.say(name, language, easy_japanese, **fields)
        value = getattr(wording, name)
        return value.format(**fields) if fields else value

    if outcome.result is FeedbackResult.OK:
        if feedback == "resolved":
            return text("FEEDBACK_THANKS")
        return text("FEEDBACK_SORRY", department=outcome.department or text("FEEDBACK_SORRY_DEFAULT_DEPARTMENT"))
    if outcome.result is FeedbackResult.NOT_YOURS:
        return text("FEEDBACK_NOT_YOURS")
    return text("FEEDBACK_NOT_FOUND")
