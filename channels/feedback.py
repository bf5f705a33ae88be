"""The chat reply to 解決した / 解決しない, shared by the chat adapters (each with its own wording).

    >>> outcome = await runtime.set_feedback(inquiry_id, "unresolved", user_id)
    >>> text = feedback_reply(outcome, "unresolved", messages)   # channels.line.messages
"""
from __future__ import annotations

from channels.runtime import FeedbackOutcome, FeedbackResult


def feedback_reply(outcome: FeedbackOutcome, feedback: str, wording) -> str:
    """The reply text for ``outcome``; ``wording`` is the channel's messages module, which defines
    FEEDBACK_THANKS, FEEDBACK_SORRY ({department}), FEEDBACK_SORRY_DEFAULT_DEPARTMENT,
    FEEDBACK_NOT_YOURS and FEEDBACK_NOT_FOUND."""
    if outcome.result is FeedbackResult.OK:
        if feedback == "resolved":
            return wording.FEEDBACK_THANKS
        return wording.FEEDBACK_SORRY.format(department=outcome.department or wording.FEEDBACK_SORRY_DEFAULT_DEPARTMENT)
    if outcome.result is FeedbackResult.NOT_YOURS:
        return wording.FEEDBACK_NOT_YOURS
    return wording.FEEDBACK_NOT_FOUND
