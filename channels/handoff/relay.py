"""The ticket relay: Slack posts, the staff's answers and decisions, delivery to the citizen.

Staff actions arrive as Slack events (a reply in a ticket's thread), button clicks (対応不要)
and modal submissions (回答する, 担当課を変更). channels/slack/bolt_app.py stores each one in
the durable inbox under the channel ``ticket`` before Slack gets its 200; ``handle`` takes it
from there:

* ``answer``: the answer is recorded (masked) on the ticket, pushed to the citizen on LINE with an
  ``X-Line-Retry-Key`` derived from the ticket and the staff message (so a retry after a crash
  or a 5xx never sends twice: LINE answers 409), or left for the web chat, which polls for it;
  then the thread says it was delivered and the ticket message shows its new state;
* ``decline`` (対応不要): the ticket is declined and the citizen gets a polite message;
* ``reroute`` (担当課を変更): the ticket is posted again in the other department's channel.

A reply in a thread that is no ticket's is ignored. The answer goes only to the ticket's own
``reply_to``, the citizen who confirmed it. Nothing of a ticket is logged (ids and states only).

``housekeeping`` (every minute in the server, and ``madoguchi tickets``) posts tickets whose post
failed, reminds the channel of overdue tickets, expires stale ones and purges old ones.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.handoff.ticket import Ticket, TicketState, routable_departments, utc_now
from channels.handoff import blocks
from channels.inbox import InboxEvent, Outcome
from indexing.language import for_municipality

log = logging.getLogger(__name__)

INBOX_CHANNEL = "ticket"
RETRY_KEY_NAMESPACE = uuid.UUID("0b6c1f1e-7e0a-5d7b-8a3e-7469636b6574")  # fixed: keys survive restarts
REMIND_EVERY = timedelta(hours=24)
POST_GRACE = timedelta(minutes=1)  # a ticket younger than this may still be being posted
HOUSEKEEPING_SECONDS = 60.0
API_TIMEOUT_SECONDS = 10
TRANSIENT_SLACK_ERRORS = ("internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited")


# Thread notes by the name the Slack channel stores them under (see _thread_note).
THREAD_NOTES = {"edit": blocks.NOTE_EDIT_NOT_SENT, "outsider": blocks.NOTE_OUTSIDER_NOT_SENT,
                "mention": blocks.NOTE_MENTION_NOT_SENT, "file": blocks.NOTE_FILE_NOT_SENT}


def retry_key(ticket_id: int, what: str) -> str:
    """The push's ``X-Line-Retry-Key``: one UUID per ticket and message (an answer's Slack ts, 'declined')."""
    return str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"ticket:{int(ticket_id)}:{what}"))


class HandoffRelay:
    """``desk``: bot.handoff.desk.HandoffDesk; ``slack_client``: slack_sdk AsyncWebClient;
    ``line_api``: line-bot-sdk AsyncMessagingApi (None: LINE not configured); ``run_blocking``
    runs a desk call off the event loop (the server's Runtime.run_blocking; None: inline)."""

    def __init__(self, desk, slack_client, line_api=None, run_blocking=None):
        self.desk = desk
        self.slack = slack_client
        self.line_api = line_api
        self._run_blocking = run_blocking

    @classmethod
    def start(cls, runtime, slack_client, line_api=None) -> "HandoffRelay":
        """The server's relay: staff actions are taken from the runtime's inbox."""
        relay = cls(runtime.handoff_desk, slack_client, line_api, runtime.run_blocking)
        runtime.handoff_relay = relay
        runtime.inbox.register(INBOX_CHANNEL, relay.handle)
        return relay

    async def _run(self, function, *args):
        if self._run_blocking is None:
            return function(*args)
        return await self._run_blocking(function, *args)

    # --- Slack ----------------------------------------------------------------------------------
    async def post(self, ticket: Ticket) -> bool:
        """Post the ticket in its department's channel (its message starts the staff's thread)."""
        try:
            response = await self.slack.chat_postMessage(
                channel=ticket.slack_channel, text=blocks.fallback_text(ticket), blocks=blocks.ticket_blocks(ticket),
                metadata=blocks.metadata(ticket), unfurl_links=False)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("ticket %d not posted (%s); retried by the housekeeping", ticket.id, _describe(exc))
            return False
        await self._run(self.desk.store.set_posted, ticket.id, response.get("channel") or ticket.slack_channel,
                        response["ts"])
        return True

    async def refresh(self, ticket: Ticket):
        """Show the ticket's new state on its message (buttons gone once it is answered or final)."""
        if not ticket.slack_ts:
            return
        try:
            await self.slack.chat_update(channel=ticket.slack_channel, ts=ticket.slack_ts,
                                         text=blocks.fallback_text(ticket), blocks=blocks.ticket_blocks(ticket))
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("ticket %d message not updated (%s)", ticket.id, _describe(exc))

    async def note(self, ticket: Ticket, text: str, broadcast: bool = False):
        """A short note in the ticket's thread (``broadcast``: also shown in the channel)."""
        if not ticket.slack_ts:
            return
        try:
            await self.slack.chat_postMessage(channel=ticket.slack_channel, thread_ts=ticket.slack_ts, text=text,
                                              reply_broadcast=broadcast)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("ticket %d thread note not posted (%s)", ticket.id, _describe(exc))

    async def refusal(self, action_id: str, ticket_id: int) -> str | None:
        """Why a ticket button can do nothing now (the ticket is gone or final; 対応不要 only while it is
        open), said to the one who pressed it; None when the button acts."""
        ticket = await self._run(self.desk.store.get, ticket_id)
        if ticket is None:
            return blocks.BUTTON_NO_TICKET
        if not ticket.state.live or (action_id == blocks.DECLINE_ACTION and ticket.state is not TicketState.OPEN):
            return blocks.BUTTON_STALE.format(state=blocks.STATE_LABELS[ticket.state])
        return None

    async def open_answer_modal(self, trigger_id: str, ticket_id: int):
        ticket = await self._run(self.desk.store.get, ticket_id)
        if ticket is not None and ticket.state.live:
            await self.slack.views_open(trigger_id=trigger_id, view=blocks.answer_modal(ticket))

    async def open_reroute_modal(self, trigger_id: str, ticket_id: int):
        ticket = await self._run(self.desk.store.get, ticket_id)
        if ticket is not None and ticket.state.live:
            names = routable_departments(self.desk.departments(), self.desk.policy.default_channel)
            await self.slack.views_open(trigger_id=trigger_id, view=blocks.reroute_modal(ticket, names))

    # --- the inbox ------------------------------------------------------------------------------
    async def handle(self, item: InboxEvent) -> Outcome:
        payload = item.payload or {}
        op = payload.get("op")
        if op == "answer":
            return await self._answer(item, payload)
        if op == "decline":
            return await self._decline(payload)
        if op == "reroute":
            return await self._reroute(payload)
        if op == "note":
            return await self._thread_note(payload)
        return Outcome.failed("unknown ticket operation")

    async def _thread_note(self, payload: dict) -> Outcome:
        """A note about a message in a live ticket's thread that did not reach the citizen (an edit, an
        outsider's reply, a reply that mentions the bot or carries a file), stored in the inbox under the message's
        ts (an edit: under the Slack event's id): a retried or redelivered event notes once."""
        ticket, text = await self._ticket_of(payload), for_municipality(THREAD_NOTES.get(payload.get("note") or "", ""))
        if ticket is None or not text or not ticket.state.live:
            return Outcome.done("no note")
        await self.note(ticket, text)
        return Outcome.done("note")

    async def _ticket_of(self, payload: dict) -> Ticket | None:
        if payload.get("thread_ts"):
            return await self._run(self.desk.store.by_thread, payload.get("channel") or "", payload["thread_ts"])
        try:
            return await self._run(self.desk.store.get, int(payload.get("ticket")))
        except (TypeError, ValueError):
            return None

    async def _answer(self, item: InboxEvent, payload: dict) -> Outcome:
        ticket = await self._ticket_of(payload)
        if ticket is None:
            return Outcome.done("not a ticket's thread")
        text = (payload.get("text") or "").strip()
        if not text:
            return Outcome.done("empty answer")
        if not ticket.state.live:
            if item.attempts <= 1:
                await self.note(ticket, blocks.NOTE_FINAL.format(state=blocks.STATE_LABELS[ticket.state]))
            return Outcome.done("ticket final")
        answered = await self._run(self.desk.answer, ticket, text)
        if answered is None:
            return Outcome.done("ticket final")
        minutes = _minutes(payload.get("minutes"))
        if minutes is not None:  # recorded in the 回答する modal: the report counts it for this ticket
            await self._run(self.desk.store.set_staff_minutes, ticket.id, minutes)
        source = payload.get("source") or item.event_key
        outcome = await self.deliver(answered, text, source)
        if outcome.kind != "done":
            return outcome
        delivered = await self._run(self.desk.store.get, ticket.id)
        await self.refresh(delivered)
        return outcome

    async def deliver(self, ticket: Ticket, text: str, source: str) -> Outcome:
        """The staff answer to the ticket's citizen, on the ticket's own channel only."""
        if ticket.channel == "web":
            # Held as written until the page fetches it (the ticket itself keeps the masked text).
            await self._run(self.desk.store.hold_answer, ticket.id, text)
            await self.note(ticket, blocks.NOTE_WEB_STORED)  # the page fetches it (delivered_at then)
            return Outcome.done("answer held for the web chat")
        if ticket.channel != "line" or self.line_api is None or not ticket.reply_to:
            await self.note(ticket, blocks.NOTE_NOT_DELIVERED.format(reason="LINEが未設定です"))
            return Outcome.failed("no LINE channel")
        from channels.line import handoff as line_handoff

        result = await self.push(ticket, line_handoff.answer_messages(ticket, text), retry_key(ticket.id, source))
        if result.kind == "done":
            await self._run(self.desk.store.mark_delivered, ticket.id)
            await self.note(ticket, blocks.NOTE_DELIVERED.format(channel="LINE"))
        elif result.kind == "failed":
            await self.note(ticket, blocks.NOTE_NOT_DELIVERED.format(reason=result.detail))
        return result

    async def push(self, ticket: Ticket, messages: list, key: str) -> Outcome:
        from linebot.v3.messaging import ApiException, PushMessageRequest

        try:
            await self.line_api.push_message(PushMessageRequest(to=ticket.reply_to, messages=messages),
                                             x_line_retry_key=key, _request_timeout=API_TIMEOUT_SECONDS)
            return Outcome.done("push")
        except ApiException as exc:
            if exc.status == 409:
                return Outcome.done("push 409 (accepted earlier)")
            if exc.status < 500 and exc.status != 429:
                log.warning("ticket %d push refused (%s)", ticket.id, exc.status)
                return Outcome.failed(f"push refused {exc.status}")
            return Outcome.retry(f"push {exc.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            return Outcome.retry(f"push {type(exc).__name__}")

    async def tell(self, ticket: Ticket, name: str) -> Outcome:
        """A fixed text (DECLINED, EXPIRED) to the ticket's citizen, once (retry key per ticket and text)."""
        if ticket.channel != "line" or self.line_api is None or not ticket.reply_to:
            return Outcome.done("nothing to push")  # the web chat shows the state when it polls
        from channels.line import handoff as line_handoff

        return await self.push(ticket, line_handoff.fixed_messages(ticket, name), retry_key(ticket.id, name))

    async def _decline(self, payload: dict) -> Outcome:
        ticket = await self._ticket_of(payload)
        if ticket is None:
            return Outcome.done("no such ticket")
        if ticket.state is not TicketState.OPEN:
            return Outcome.done("not open")
        # The citizen is told first (a final ticket forgets whom to reply to); a retry pushes with
        # the same key, which LINE accepts once.
        told = await self.tell(ticket, "DECLINED")
        if told.kind == "retry":
            return told
        declined = await self._run(self.desk.decline, ticket)
        if declined is None:
            return Outcome.done("not open")
        await self.refresh(declined)
        await self.note(declined, blocks.NOTE_DECLINED)
        return Outcome.done("declined" if told.kind == "done" else f"declined; citizen not told ({told.detail})")

    async def _reroute(self, payload: dict) -> Outcome:
        ticket = await self._ticket_of(payload)
        department = payload.get("department") or ""
        if ticket is None or not department:
            return Outcome.done("no such ticket")
        moved = await self._run(self.desk.reroute, ticket, department)
        if moved is None:
            return Outcome.done("not moved")
        old = ticket
        await self.note(old, blocks.NOTE_REROUTED.format(department=department))
        try:
            await self.slack.chat_update(channel=old.slack_channel, ts=old.slack_ts,
                                         text=blocks.NOTE_REROUTED.format(department=department),
                                         blocks=[{"type": "section", "text": {
                                             "type": "mrkdwn", "text": f"~{blocks.escape(blocks.title(old))}~\n"
                                             + blocks.NOTE_REROUTED.format(department=blocks.escape(department))}}])
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("ticket %d old message not updated (%s)", ticket.id, _describe(exc))
        if not await self.post(moved):
            return Outcome.done("moved; post left to the housekeeping")
        return Outcome.done("moved")

    # --- the citizen's rating ---------------------------------------------------------------------
    async def rated(self, ticket: Ticket):
        await self.refresh(ticket)
        await self.note(ticket, blocks.NOTE_RATED.format(rating=blocks.RATINGS.get(ticket.rating, ticket.rating)))

    # --- housekeeping -------------------------------------------------------------------------------
    async def housekeeping(self, now: datetime | None = None, wait: bool = True) -> dict:
        """Post unposted tickets, remind overdue ones, expire stale ones, purge old ones.

        One process at a time, across hosts on a shared database (a ticket posted twice would
        show twice in Slack); the server's loop does not wait (``wait=False``) for another one."""
        with self.desk.store.housekeeping_lock(wait) as held:
            if not held:
                return {"posted": 0, "reminded": 0, "expired": 0, "closed": 0, "purged": 0}
            return await self._housekeeping(now or utc_now())

    async def _housekeeping(self, now: datetime) -> dict:
        store = self.desk.store
        posted = 0
        for ticket in await self._run(store.unposted):
            if ticket.created_at <= (now - POST_GRACE).isoformat() and await self.post(ticket):
                posted += 1
        reminded = 0
        for ticket in await self._run(store.overdue, now, REMIND_EVERY):
            # Claimed before it is posted: with several workers, one reminder per ticket and day.
            if await self._run(store.claim_reminder, ticket.id, now, REMIND_EVERY):
                await self.note(ticket, blocks.NOTE_OVERDUE.format(due=blocks.japan_time(ticket.due_at)), broadcast=True)
                reminded += 1
        stale_open, quiet = await self._run(self.desk.stale, now)
        expired = closed = 0
        for ticket in stale_open:
            if (await self.tell(ticket, "EXPIRED")).kind == "retry":
                continue  # the next round tries again, with the same retry key
            final = await self._run(self.desk.expire, ticket, now)
            if final is not None:
                expired += 1
                await self.refresh(final)
                await self.note(final, blocks.NOTE_EXPIRED)
        for ticket in quiet:
            final = await self._run(self.desk.close_quiet, ticket, now)
            if final is not None:
                closed += 1
                await self.refresh(final)
        purged = await self._run(self.desk.purge, now)
        return {"posted": posted, "reminded": reminded, "expired": expired, "closed": closed, "purged": purged}

    async def run_forever(self, stopping: asyncio.Event, every: float = HOUSEKEEPING_SECONDS):
        while not stopping.is_set():
            try:
                await self.housekeeping(wait=False)
            except Exception as exc:  # a bad round must not stop the next ones
                log.error("ticket housekeeping failed (%s)", type(exc).__name__)
            try:
                await asyncio.wait_for(stopping.wait(), timeout=every)
            except asyncio.TimeoutError:
                pass


def _minutes(value) -> float | None:
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        return None
    return minutes if 0 <= minutes <= 600 else None


def _describe(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    status = getattr(exc, "status", None)
    return f"{type(exc).__name__} {status}" if status else type(exc).__name__
