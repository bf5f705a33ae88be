"""The handoff on LINE: the 「職員に質問を送る」 offer, the 「送信する」 confirmation, the staff's
answer with 解決した / 解決しない, and the postbacks that drive them.

Two taps at most: the offer (a postback button under a decline, or a quick reply after
解決しない) shows the question as it will be sent (masked), what happens next and the expected
reply time, with 「送信する」 as a quick reply. One text message sent before confirming is
appended to the question (the confirmation is shown again with it).
"""
from __future__ import annotations

import json

from linebot.v3.messaging import Message, PostbackAction, QuickReply, QuickReplyItem, TextMessage

from bot.handoff import messages as texts
from bot.handoff.ticket import Ticket
from channels.line import render

OFFER = render.HANDOFF       # {"a": "handoff", "i": inquiry id}
CONFIRM = "handoff_send"     # {"a": "handoff_send", "i": inquiry id}
RATE = "ticket_rate"         # {"a": "ticket_rate", "t": ticket id, "v": resolved|unresolved}
CHANNEL = "line"


def is_number(value) -> bool:
    """An id in postback data: an integer, not JSON's true / false (Python's bool is an int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _data(**values) -> str:
    return json.dumps(values, separators=(",", ":"))


def offer_messages(inquiry_id: int, language: str, easy_japanese: bool = False) -> list[Message]:
    """The offer after 解決しない: one line of text with 「職員に質問を送る」 as a quick reply."""
    return [TextMessage(text=texts.say("OFFER", language, easy_japanese),
                        quick_reply=QuickReply(items=[QuickReplyItem(action=render.handoff_offer_action(inquiry_id))]))]


def confirm_messages(preview, easy_japanese: bool = False) -> list[Message]:
    text = texts.confirmation(preview, easy_japanese)
    label = texts.CONFIRM_LABEL
    action = PostbackAction(label=label, data=_data(a=CONFIRM, i=preview.inquiry_id), display_text=label)
    return [TextMessage(text=render.cut(text, render.TEXT_LIMIT),
                        quick_reply=QuickReply(items=[QuickReplyItem(action=action)]))]


def answer_messages(ticket: Ticket, answer: str, easy_japanese: bool = False) -> list[Message]:
    """The staff answer, with 解決した / 解決しない as quick replies."""
    text = texts.say("ANSWER", ticket.language, easy_japanese, department=ticket.department, ticket=ticket.id,
                     answer=answer)
    line_say = render.messages.say
    items = [QuickReplyItem(action=PostbackAction(label=line_say(name, ticket.language, easy_japanese),
                                                  data=_data(a=RATE, t=ticket.id, v=value),
                                                  display_text=line_say(name, ticket.language, easy_japanese)))
             for name, value in (("RESOLVED", "resolved"), ("UNRESOLVED", "unresolved"))]
    return [TextMessage(text=render.cut(text, render.TEXT_LIMIT)),
            TextMessage(text=texts.say("RATE_QUESTION", ticket.language, easy_japanese),
                        quick_reply=QuickReply(items=items))]


def fixed_messages(ticket: Ticket, name: str, easy_japanese: bool = False) -> list[Message]:
    return render.text_messages(texts.say(name, ticket.language, easy_japanese, ticket=ticket.id,
                                          department=ticket.department))


def handoff_text(name: str, language: str, easy_japanese: bool = False, **fields) -> list[Message]:
    return render.text_messages(texts.say(name, language, easy_japanese, **fields))


# --- the postbacks ------------------------------------------------------------------------------
async def on_postback(channel, event, data: dict, user_id: str | None):
    """(messages, inquiry id) for a handoff postback, or None when the data is not ours."""
    action = data.get("a")
    if action not in (OFFER, CONFIRM, RATE):
        return None
    runtime = channel.runtime
    desk = runtime.handoff_desk
    easy = channel.easy_japanese
    if runtime.handoff_relay is None:
        return handoff_text("UNAVAILABLE", await channel.user_language(event), easy), None
    if action == OFFER and is_number(data.get("i")):
        preview = await runtime.run_blocking(desk.offer, data["i"], user_id)
        if preview is None:
            return handoff_text("UNAVAILABLE", await channel.user_language(event), easy), None
        if preview.existing is not None:
            return handoff_text("ALREADY_SENT", preview.language, easy, ticket=preview.existing.id), None
        return confirm_messages(preview, easy), None
    if action == CONFIRM and is_number(data.get("i")):
        reply_to = getattr(event.source, "user_id", None) or ""
        ticket, created = await runtime.run_blocking(desk.confirm, data["i"], user_id, CHANNEL, reply_to)
        if ticket is None:
            return handoff_text("UNAVAILABLE", await channel.user_language(event), easy), None
        if not created:
            return handoff_text("ALREADY_SENT", ticket.language, easy, ticket=ticket.id), None
        runtime.spawn(runtime.handoff_relay.post(ticket), name="ticket post")
        route = await runtime.run_blocking(desk.route, ticket.department)
        hours = route.reply_hours if route else desk.policy.reply_hours
        return handoff_text("SENT", ticket.language, easy, department=ticket.department, ticket=ticket.id,
                            hours=texts.hours_text(hours)), None
    if action == RATE and is_number(data.get("t")) and data.get("v") in ("resolved", "unresolved"):
        ticket = await runtime.run_blocking(desk.rate, data["t"], data["v"], user_id)
        if ticket is None:
            return render.text_messages(render.messages.say("FEEDBACK_NOT_FOUND", await channel.user_language(event),
                                                            easy)), None
        runtime.spawn(runtime.handoff_relay.rated(ticket), name="ticket rated")
        name = "RATED" if ticket.rating == "resolved" else "RATED_UNRESOLVED"
        return handoff_text(name, ticket.language, easy, department=ticket.department), None
    return None


async def addition(channel, event, text: str, user_id: str | None):
    """The confirmation again with the citizen's one extra message appended, or None when the
    citizen has no pending offer open for an addition (the text is then an ordinary question)."""
    runtime = channel.runtime
    if runtime.handoff_relay is None or not user_id:
        return None
    preview = await runtime.run_blocking(runtime.handoff_desk.add_to_draft, user_id, text)
    if preview is None:
        return None
    return confirm_messages(preview, channel.easy_japanese), None
