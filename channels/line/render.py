"""Answer → LINE messages (typed line-bot-sdk models, never hand-built dicts).

An answer becomes at most two messages: the answer text, then a Flex bubble with its
source (and a link button), the department to contact and 解決した/解決しない postback
buttons. Related questions ride on the last message as quick replies.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexMessage,
    FlexSeparator,
    FlexText,
    Message,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from bot.answering.answer import HANDOFF_KINDS, NOT_QUESTION_KINDS, Answer
from channels.line import messages

# Limits of the Messaging API.
TEXT_LIMIT = 5000
LABEL_LIMIT = 20
ALT_TEXT_LIMIT = 400
DATA_LIMIT = 300
DISPLAY_TEXT_LIMIT = 300
URI_LIMIT = 1000
QUICK_REPLY_LIMIT = 13

ASK = "ask"
FEEDBACK = "feedback"
HANDOFF = "handoff"  # the 「職員に質問を送る」 offer (channels/line/handoff.py handles it)


def cut(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- postback data (carried by buttons, parsed back by the webhook) ------------------------
def feedback_data(inquiry_id: int, feedback: str, language: str = "ja") -> str:
    """Postback data of a feedback button; the question's language rides along for the thank-you."""
    return json.dumps({"a": FEEDBACK, "i": int(inquiry_id), "v": feedback, "l": language}, separators=(",", ":"))


def ask_data(question: str) -> str:
    base = len(json.dumps({"a": ASK, "q": ""}, separators=(",", ":"), ensure_ascii=False))
    return json.dumps({"a": ASK, "q": cut(question, DATA_LIMIT - base)}, separators=(",", ":"),
                      ensure_ascii=False)


def handoff_offer_action(inquiry_id: int) -> PostbackAction:
    """「職員に質問を送る」: the first of the two taps that hand a question to the staff."""
    from bot.handoff.messages import OFFER_LABEL

    return PostbackAction(label=OFFER_LABEL, data=json.dumps({"a": HANDOFF, "i": int(inquiry_id)},
                                                             separators=(",", ":")), display_text=OFFER_LABEL)


def parse_postback(data: str) -> dict:
    """The postback dict, or {} for data this bot did not send."""
    try:
        value = json.loads(data)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# --- rendering -----------------------------------------------------------------------------
def _web_url(url: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    return url if parsed.scheme in ("http", "https") and parsed.netloc and len(url) <= URI_LIMIT else ""


def _tel_uri(phone: str) -> str:
    """tel: link only for an outside number (not '内線 1234')."""
    digits = re.sub(r"[\s()-]", "", phone or "")
    return f"tel:{digits}" if re.fullmatch(r"\+?\d{6,15}", digits) else ""


def _caption(text: str) -> FlexText:
    return FlexText(text=text, size="xs", color="#555555", weight="bold")


def _body_text(text: str) -> FlexText:
    return FlexText(text=text, size="sm", wrap=True, color="#111111")


def answer_bubble(answer: Answer, easy_japanese: bool = False, offer_handoff: bool = False) -> FlexMessage | None:
    """Source, contact and feedback of an answer as one Flex bubble (None when there is none).

    Headers and buttons speak the question's language (``answer.language``). With
    ``offer_handoff`` a decline also gets the 「職員に質問を送る」 button."""
    def say(name, **fields):
        return messages.say(name, answer.language, easy_japanese, **fields)

    body: list = []
    buttons: list = []
    alt: list[str] = []
    source = answer.sources[0] if answer.sources else None
    if source is not None:
        body += [_caption(say("SOURCE_HEADER")), _body_text(source.label(answer.language))]
        alt.append(say("ALT_TEXT", source=source.label(answer.language)))
        if _web_url(source.url):
            buttons.append(FlexButton(action=URIAction(label=say("OPEN_SOURCE"), uri=_web_url(source.url)),
                                      style="link", height="sm"))
    contact = answer.contact
    if contact is not None:
        body += [_caption(say("CONTACT_HEADER")), _body_text(contact.text(answer.language))]
        if answer.abstained or source is None:
            alt.append(say("ALT_TEXT_CONTACT", contact=contact.text(answer.language)))
            if _tel_uri(contact.phone):
                buttons.append(FlexButton(action=URIAction(label=say("CALL"), uri=_tel_uri(contact.phone)),
                                          style="link", height="sm"))
            if _web_url(contact.url):
                buttons.append(FlexButton(action=URIAction(label=say("OPEN_CONTACT"), uri=_web_url(contact.url)),
                                          style="link", height="sm"))
    if offer_handoff and answer.abstained and answer.kind in HANDOFF_KINDS and answer.inquiry_id is not None:
        buttons.append(FlexButton(action=handoff_offer_action(answer.inquiry_id), style="secondary", height="sm"))
    if answer.inquiry_id is not None and answer.kind not in NOT_QUESTION_KINDS:
        if body:
            body.append(FlexSeparator(margin="lg"))
        body.append(FlexText(text=say("FEEDBACK_QUESTION"), size="sm", margin="lg", wrap=True))
        alt.append(say("ALT_TEXT_FEEDBACK"))
        buttons.append(FlexBox(layout="horizontal", spacing="sm", contents=[
            FlexButton(action=PostbackAction(label=say("RESOLVED"),
                                             data=feedback_data(answer.inquiry_id, "resolved", answer.language),
                                             display_text=say("RESOLVED")),
                       style="primary", height="sm"),
            FlexButton(action=PostbackAction(label=say("UNRESOLVED"),
                                             data=feedback_data(answer.inquiry_id, "unresolved", answer.language),
                                             display_text=say("UNRESOLVED")),
                       style="secondary", height="sm"),
        ]))
    if not body:
        return None
    bubble = FlexBubble(body=FlexBox(layout="vertical", spacing="sm", contents=body),
                        footer=FlexBox(layout="vertical", spacing="sm", contents=buttons) if buttons else None)
    return FlexMessage(alt_text=cut(" / ".join(alt), ALT_TEXT_LIMIT), contents=bubble)


def related_quick_reply(answer: Answer) -> QuickReply | None:
    items = [QuickReplyItem(action=PostbackAction(label=cut(r.question, LABEL_LIMIT), data=ask_data(r.question),
                                                  display_text=cut(r.question, DISPLAY_TEXT_LIMIT)))
             for r in answer.related if r.question.strip()][:QUICK_REPLY_LIMIT]
    return QuickReply(items=items) if items else None


def answer_messages(answer: Answer, quote_token: str | None = None, easy_japanese: bool = False,
                    offer_handoff: bool = False) -> list[Message]:
    """The messages of one reply: answer text, the source/feedback bubble, related quick replies."""
    result: list[Message] = [TextMessage(text=cut(answer.text, TEXT_LIMIT), quote_token=quote_token)]
    bubble = answer_bubble(answer, easy_japanese, offer_handoff)
    if bubble is not None:
        result.append(bubble)
    quick_reply = related_quick_reply(answer)
    if quick_reply is not None:
        result[-1].quick_reply = quick_reply
    return result


def text_messages(text: str, quote_token: str | None = None) -> list[Message]:
    return [TextMessage(text=cut(text, TEXT_LIMIT), quote_token=quote_token)]
