"""Slack for staff (slack-bolt AsyncApp): verify → parse → dedupe → ask → render → send.

One HTTP route, ``POST /slack/events``, takes Events API callbacks (``app_mention`` in
channels, ``message.im`` in direct messages), the ``/madoguchi`` slash command and the
interactive buttons. Bolt verifies the signature and timestamp; an event is then stored in
the inbox (keyed by ``event_id``, so Slack's retries insert nothing) before the 200, and
the inbox worker answers it in its thread. Slash commands and buttons are acked at once
and answered in the background on their ``response_url``.

Servers that cannot receive webhooks (a closed government network) use Socket Mode
instead: ``SLACK_APP_TOKEN`` + ``MADOGUCHI_SLACK_SOCKET_MODE=1``.
"""
from __future__ import annotations

import asyncio
import logging
import re

import aiohttp

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from channels.feedback import feedback_reply
from channels.handoff import blocks as ticket_blocks
from channels.handoff.relay import INBOX_CHANNEL as TICKET_INBOX
from channels.inbox import InboxEvent, Outcome
from channels.logging_setup import slack_app_logger
from channels.runtime import Runtime
from channels.slack import messages, render
from channels.slack.request_checks import is_rate_limit_notice
from channels.slack.text import typed_text
from indexing.language import for_municipality

log = logging.getLogger(__name__)

AUDIENCE = "staff"
CHANNEL = "slack"
COMMAND = "/madoguchi"
MAX_BODY_BYTES = 1_000_000
SOCKET_RETRY_SECONDS = 30
POST = "post"  # inbox progress mark: the answer is being posted
METADATA_EVENT_TYPE = "madoguchi_answer"  # message metadata of an answer: {"event_key": ...}
LOOKUP_LIMIT = 200
PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")
# Slack errors worth another attempt; any other error is a refusal (channel gone, no access, ...).
TRANSIENT_ERRORS = ("internal_error", "fatal_error", "service_unavailable", "request_timeout")
# Words of a message that asks about an attached file's name.
_ASKS_ABOUT_A_NAME = re.compile(r"ファイル名|ファイルの名前|命名|file ?name", re.IGNORECASE)
# A slash command that asks how to use the command, and the name check's word with nothing after it.
_HELP = re.compile(r"(?:help|ヘルプ|使い方|つかいかた|\?|？)", re.IGNORECASE)
_CHECK_ALONE = re.compile(r"(?:check|チェック)", re.IGNORECASE)


# A fixed reply instead of an answer, by the name stored with the event (see _store_event).
REFUSALS = {"EXTERNAL_USER": messages.EXTERNAL_USER, "SHARED_CHANNEL": messages.SHARED_CHANNEL,
            "ASSISTANT_GREETING": messages.ASSISTANT_GREETING}


def home_team(body: dict, context=None) -> str | None:
    """The workspace the app is installed in: the authorization's team (Bolt's ``authorize_result``, from
    auth.test or the installation; else the event's ``authorizations``), not the envelope's ``team_id``, which
    in a shared channel is the workspace that hosts the channel. None for an org-wide install (Enterprise
    Grid): it has no one team, and a colleague of another workspace of the same organisation is no outsider."""
    result = getattr(context, "authorize_result", None) if context is not None else None
    if result is not None and (result.team_id or result.enterprise_id):
        return result.team_id or None
    authorization = first_authorization(body)
    return authorization.get("team_id") or (None if authorization.get("enterprise_id") else body.get("team_id"))


def first_authorization(body: dict) -> dict:
    """The installation the event was delivered for (the envelope's first ``authorizations`` item), or {}."""
    return next((a for a in body.get("authorizations") or [] if isinstance(a, dict)), {})


def outsider(home: str | None, *teams) -> bool:
    """Whether any of ``teams`` (the workspaces the acting person belongs to, as the payload gives them) is
    not the ``home`` workspace: a person of another organisation, in a Slack Connect channel or DM."""
    return bool(home) and any(isinstance(team, str) and team and team != home for team in teams)


def writer_teams(event: dict) -> list[str]:
    """The workspaces the event names its writer as belonging to (``user_team``, ``source_team``, ``team``)."""
    return [event[field] for field in ("user_team", "source_team", "team")
            if isinstance(event.get(field), str) and event[field]]


def from_another_workspace(body: dict, event: dict, context=None) -> bool:
    """Whether the person who wrote ``event`` belongs to another organisation's workspace: their
    ``user_team``, ``source_team`` or ``team`` is not the workspace the app is installed in (home_team). An org-wide
    install leaves it to the channel's flag (``is_ext_shared_channel``) whether anyone there is. An event that names
    no team of its writer is foreign only when it was delivered for another installation of the app (its
    ``authorizations`` name another workspace than this app's): the envelope's ``team_id`` is the workspace that
    hosts the channel, not the writer's (in a channel a vendor hosts, city staff would be refused)."""
    home, teams = home_team(body, context), writer_teams(event)
    if teams:
        return outsider(home, *teams)
    return outsider(home, first_authorization(body).get("team_id"))


def unvouched_reply(body: dict, event: dict, context=None) -> bool:
    """Whether a reply in a ticket's thread may be from a person of another organisation: from another
    workspace, or written in a channel shared with another organisation without naming its writer's workspace
    (an org-wide install has no one home workspace to compare with, so there any reply in such a channel is).
    Such a reply never reaches a citizen."""
    if from_another_workspace(body, event, context):
        return True
    shared = bool(body.get("is_ext_shared_channel"))
    return shared and (home_team(body, context) is None or not writer_teams(event))


def clicker_outside(body: dict, context=None) -> bool:
    """Whether the person who pressed a button or submitted a modal belongs to another organisation
    (their ``user.team_id``; a shared channel's other members can press the buttons of its messages)."""
    user = body.get("user") if isinstance(body.get("user"), dict) else {}
    return outsider(home_team(body, context), user.get("team_id"))


def user_id_of(team_id: str | None, user_id: str | None) -> str | None:
    """The id handed to the inquiry log (which keeps only a keyed hash of it)."""
    return f"slack:{team_id or ''}:{user_id}" if user_id else None


def question_of(text: str, files=()) -> str:
    """The question as typed: without the bot's @mention, Slack's links and escapes (slack/text.py).
    A message that asks about a name (「このファイル名で大丈夫？」) with a file attached asks about that
    file's name: it is added in quotes, so the name check reads it (a screenshot alone is not)."""
    question = typed_text(text)
    names = [f.get("name") for f in files or () if isinstance(f, dict) and isinstance(f.get("name"), str)]
    if names and _ASKS_ABOUT_A_NAME.search(question):
        question = f"{question} " + " ".join(f"「{name}」" for name in names if name.strip())
    return question.strip()



class SlackChannel:
    def __init__(self, runtime: Runtime, app: AsyncApp):
        self.runtime = runtime
        self.app = app
        self.http_enabled = bool(runtime.settings.slack_signing_secret)
        self.handler = AsyncSlackRequestHandler(app)
        self.socket_handler = None
        self._socket_task: asyncio.Task | None = None
        self._register()

    @classmethod
    def start(cls, runtime: Runtime) -> "SlackChannel":
        settings = runtime.settings
        client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_base_url)
        app = AsyncApp(client=client, signing_secret=settings.slack_signing_secret,
                       request_verification_enabled=bool(settings.slack_signing_secret),
                       # Listeners run before the 200: an event is in the inbox when Slack hears back.
                       process_before_response=True, name="madoguchi", logger=slack_app_logger())
        channel = cls(runtime, app)
        runtime.inbox.register(CHANNEL, channel.handle)  # also resumes events left unfinished
        if settings.slack_socket_mode and settings.slack_app_token:
            channel._socket_task = asyncio.ensure_future(channel._connect_socket_mode())
        return channel

    async def _connect_socket_mode(self):
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self.socket_handler = AsyncSocketModeHandler(self.app, self.runtime.settings.slack_app_token)
        while True:
            try:
                await self.socket_handler.connect_async()
                log.info("Slack Socket Mode connected")
                return
            except Exception as exc:  # network down at boot: keep the web chat up and retry
                log.warning("Slack Socket Mode connection failed (%s); retrying in %ds",
                            type(exc).__name__, SOCKET_RETRY_SECONDS)
                await asyncio.sleep(SOCKET_RETRY_SECONDS)

    async def close(self):
        if self._socket_task is not None:
            self._socket_task.cancel()
        if self.socket_handler is not None:
            await self.socket_handler.close_async()

    # --- the HTTP route -----------------------------------------------------------------------
    async def events(self, request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return PlainTextResponse("payload too large", status_code=413)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return PlainTextResponse("invalid body", status_code=400)
        if is_rate_limit_notice(body):
            # Slack's notice that it paused event deliveries (over 30,000 events an hour): no event
            # to answer, and Bolt has no listener for it (it would answer 404).
            try:
                valid = SignatureVerifier(self.runtime.settings.slack_signing_secret).is_valid_request(
                    body, dict(request.headers))
            except ValueError:  # a timestamp int() cannot read
                valid = False
            if not valid:
                return PlainTextResponse("invalid request", status_code=401)
            log.warning("Slack paused event deliveries to this app for a while (app_rate_limited)")
            return PlainTextResponse("")
        return await self.handler.handle(request)

    # --- listeners ----------------------------------------------------------------------------
    def _register(self):
        app = self.app
        app.event("app_mention")(self.on_app_mention)
        app.event("message")(self.on_message)
        app.command(COMMAND)(self.on_command)
        app.action(render.FEEDBACK_UP)(self.on_feedback)
        app.action(render.FEEDBACK_DOWN)(self.on_feedback)
        app.action(re.compile(rf"^{render.RELATED_PREFIX}\d+$"))(self.on_related)
        # Tickets (channels/handoff): buttons on a ticket's message and the two modals.
        app.action(ticket_blocks.ANSWER_ACTION)(self.on_ticket_button)
        app.action(ticket_blocks.REROUTE_ACTION)(self.on_ticket_button)
        app.action(ticket_blocks.DECLINE_ACTION)(self.on_ticket_button)
        app.view(ticket_blocks.ANSWER_MODAL)(self.on_ticket_modal)
        app.view(ticket_blocks.REROUTE_MODAL)(self.on_ticket_modal)
        app.event("assistant_thread_started")(self.on_assistant_thread)
        # Anything else the app is sent (app_home_opened, member_joined_channel, another app's
        # button, a shortcut, a new event type) is acknowledged: bolt answers an unhandled request
        # with 404, which Slack counts as a failed delivery and retries.
        for register in (app.event, app.action, app.shortcut, app.command, app.view):
            register(re.compile(".*"))(self.on_anything_else)

    async def on_app_mention(self, body: dict, event: dict, context=None):
        if event.get("bot_id") or event.get("subtype") == "bot_message":
            return  # another bot mentioning this one: answering could start a loop between the two
        if await self._noted_mention_in_ticket(body, event, context):
            return
        await self._store_event(body, event, event.get("thread_ts") or event.get("ts"), context)

    async def _noted_mention_in_ticket(self, body: dict, event: dict, context=None) -> bool:
        """The bot mentioned in a live ticket's thread: the member of staff most likely meant the citizen to get
        it, but a reply with a mention stays among staff (THREAD_HINT), so it is not sent, and it is no question
        for the bot either (its answer would land in the citizen's thread). The thread gets a note saying how
        to answer instead, stored under the message's ts (a retry, or the same message delivered again under
        another event id, notes once; its ``message`` event, with the mention, is staff talk and stores nothing).
        A person of another organisation is refused as anywhere. In a closed ticket's thread the mention is a
        question like any other (nothing can reach the citizen any more)."""
        if unvouched_reply(body, event, context):
            return False
        ticket = await self._ticket_replied_to(body, event)
        if ticket is None or not ticket.state.live:
            return False  # a closed ticket's thread is staff talk again: the mention is a question for the bot
        channel = event.get("channel")
        await self.runtime.inbox.add([(f"{TICKET_INBOX}:mention:{channel}:{event['ts']}", TICKET_INBOX, {
            "op": "note", "channel": channel, "thread_ts": event["thread_ts"], "note": "mention"})])
        return True

    async def _ticket_replied_to(self, body: dict, event: dict):
        """The ticket (bot.handoff.ticket.Ticket) in whose thread ``event`` is a reply; None for any other
        message, and for one without the event id and ts that key it in the inbox."""
        relay, thread_ts = self.runtime.handoff_relay, event.get("thread_ts")
        if relay is None or not thread_ts or not event.get("ts") or thread_ts == event.get("ts") \
                or not body.get("event_id"):
            return None
        return await self.runtime.run_blocking(relay.desk.store.by_thread, event.get("channel"), thread_ts)

    async def on_assistant_thread(self, body: dict, event: dict, context=None):
        """A staff member opened a new thread in Slack's assistant pane: it is greeted with what to ask (it stayed
        empty). Stored in the inbox like a question, so a retried event greets once. The greeting says only what
        can be asked (the pane is the app's own workspace's: the questions that follow are checked like any)."""
        thread = event.get("assistant_thread") if isinstance(event.get("assistant_thread"), dict) else {}
        if not body.get("event_id") or not thread.get("channel_id"):
            return
        await self.runtime.inbox.add([(f"{CHANNEL}:{body['event_id']}", CHANNEL, {
            "channel": thread["channel_id"], "thread_ts": thread.get("thread_ts"), "refusal": "ASSISTANT_GREETING"})])

    async def on_anything_else(self, ack=None):
        if ack is not None:
            await ack()

    async def on_message(self, body: dict, event: dict, context=None):
        # Only messages people type: with a file attached or also sent to the channel too; edits,
        # deletions, joins and bot posts are ignored (a staff reply edited in a ticket's thread gets a note).
        if event.get("subtype") in ("message_changed", "message_deleted"):
            await self._note_edited_ticket_reply(body, event, context)
            return
        if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id"):
            return
        if event.get("channel_type") in ("channel", "group"):
            # A staff reply to a resident: a file cannot be passed on to LINE or the web chat, so a
            # reply with one is not relayed as if its words were all of it (the thread says so).
            await self._store_ticket_reply(body, event, context)
            return
        if event.get("channel_type") != "im":
            return
        await self._store_event(body, event, event.get("thread_ts"), context)

    # --- tickets (channels/handoff/relay.py answers them from the inbox) ----------------------
    async def _note_edited_ticket_reply(self, body: dict, event: dict, context=None):
        """A staff reply edited or deleted in a live ticket's thread: what the citizen got stays as first sent, so
        the thread says so (a correction is a new reply). The app's own edits of its messages are no staff's, and
        an outsider's edit changed nothing that was sent. The note goes through the inbox under the event's id,
        so a retried delivery of the edit posts it once."""
        relay = self.runtime.handoff_relay
        message = event.get("message") if event.get("subtype") == "message_changed" else event.get("previous_message")
        message, channel = message or {}, event.get("channel")
        thread_ts = message.get("thread_ts")
        if relay is None or not thread_ts or thread_ts == message.get("ts") or message.get("bot_id") \
                or not message.get("user") or ticket_blocks.is_internal(message.get("text", "")) \
                or not body.get("event_id") or from_another_workspace(body, message, context):
            return
        if event.get("subtype") == "message_changed" and \
                (event.get("previous_message") or {}).get("text") == message.get("text"):
            return  # an unfurl or a reaction count, not an edit of the words
        if await self.runtime.run_blocking(relay.desk.store.by_thread, channel, thread_ts) is None:
            return
        await self.runtime.inbox.add([(f"{TICKET_INBOX}:note:{body['event_id']}", TICKET_INBOX, {
            "op": "note", "channel": channel, "thread_ts": thread_ts, "note": "edit"})])

    async def _store_ticket_reply(self, body: dict, event: dict, context=None):
        """A staff reply in a ticket's thread, stored before the 200; any other thread is ignored. A reply by a
        person of another organisation (a department channel shared by Slack Connect), or one with a file (LINE
        and the web chat cannot take it), is never passed on to the citizen: the thread gets a note saying so
        instead."""
        if ticket_blocks.is_internal(event.get("text", "")):
            return  # staff talking to staff (a mention): never sent to the citizen
        if await self._ticket_replied_to(body, event) is None:
            return
        thread_ts, channel = event["thread_ts"], event.get("channel")
        # A note is keyed by the message too: delivered under two event ids, it is posted once.
        note = "outsider" if unvouched_reply(body, event, context) else \
            "file" if event.get("subtype") == "file_share" else None
        if note:
            await self.runtime.inbox.add([(f"{TICKET_INBOX}:{note}:{channel}:{event.get('ts')}", TICKET_INBOX, {
                "op": "note", "channel": channel, "thread_ts": thread_ts, "note": note})])
            return
        # Keyed by the message, not the event: the same reply delivered again under another event id
        # (two subscriptions, a replayed delivery) is sent and added to the ticket's answer once.
        await self.runtime.inbox.add([(f"{TICKET_INBOX}:slack:{channel}:{event.get('ts')}", TICKET_INBOX, {
            "op": "answer", "channel": channel, "thread_ts": thread_ts,
            "text": ticket_blocks.plain_text(event.get("text", "")),
            "source": f"{channel}:{event.get('ts')}"})])

    async def on_ticket_button(self, ack, body: dict, action: dict, respond, context=None):
        await ack()
        if clicker_outside(body, context):
            await respond(text=for_municipality(messages.EXTERNAL_USER), response_type="ephemeral", replace_original=False)
            return
        relay = self.runtime.handoff_relay
        try:
            ticket_id = int(action.get("value", ""))
        except ValueError:
            return
        if relay is None:
            return
        action_id = action.get("action_id")
        refusal = await relay.refusal(action_id, ticket_id)  # an out-of-date message: say why nothing happens
        if refusal:
            await respond(text=refusal, response_type="ephemeral", replace_original=False)
            return
        if action_id == ticket_blocks.DECLINE_ACTION:
            await self.runtime.inbox.add([(f"{TICKET_INBOX}:decline:{ticket_id}", TICKET_INBOX,
                                           {"op": "decline", "ticket": ticket_id})])
        elif action_id == ticket_blocks.ANSWER_ACTION:
            self.runtime.spawn(relay.open_answer_modal(body.get("trigger_id", ""), ticket_id), name="ticket modal")
        else:
            self.runtime.spawn(relay.open_reroute_modal(body.get("trigger_id", ""), ticket_id), name="ticket modal")

    async def on_ticket_modal(self, ack, body: dict, view: dict, context=None):
        """回答する / 担当課を変更 submitted: stored in the inbox, then the modal closes (a person of another
        organisation cannot open one, the buttons refuse them; a forged submission of theirs changes nothing)."""
        if clicker_outside(body, context):
            await ack()
            return
        values = (view.get("state") or {}).get("values") or {}
        try:
            ticket_id = int(view.get("private_metadata", ""))
        except ValueError:
            await ack()
            return
        if view.get("callback_id") == ticket_blocks.ANSWER_MODAL:
            text = ((values.get(ticket_blocks.ANSWER_INPUT_BLOCK) or {}).get(ticket_blocks.ANSWER_INPUT) or {}) \
                .get("value") or ""
            minutes = ((values.get(ticket_blocks.MINUTES_INPUT_BLOCK) or {}).get(ticket_blocks.MINUTES_INPUT) or {}) \
                .get("value")
            payload = {"op": "answer", "ticket": ticket_id, "text": text, "source": f"view:{view.get('id')}",
                       "minutes": minutes}
        else:
            selected = ((values.get(ticket_blocks.REROUTE_INPUT_BLOCK) or {}).get(ticket_blocks.REROUTE_INPUT) or {}) \
                .get("selected_option") or {}
            payload = {"op": "reroute", "ticket": ticket_id, "department": selected.get("value") or ""}
        await self.runtime.inbox.add([(f"{TICKET_INBOX}:view:{view.get('id')}", TICKET_INBOX, payload)])
        await ack()

    async def _store_event(self, body: dict, event: dict, thread_ts: str | None, context=None):
        """Store the event in the inbox before Bolt answers 200 (``process_before_response``).

        If it cannot be stored the listener raises, Bolt answers 500, and Slack retries.
        Only what the answer needs is kept, and only until it is posted.
        """
        event_id = body.get("event_id")
        if not event_id or not event.get("channel"):
            return
        # Staff knowledge stays in the city's workspace: a person of another organisation is refused, and the city's
        # own staff in a channel another organisation's members read are asked to use a DM; the question is not kept.
        refusal = "EXTERNAL_USER" if from_another_workspace(body, event, context) else (
            "SHARED_CHANNEL" if body.get("is_ext_shared_channel") and event.get("channel_type") != "im" else "")
        if refusal:
            payload = {"channel": event["channel"], "thread_ts": thread_ts, "refusal": refusal}
        else:
            payload = {"channel": event["channel"], "thread_ts": thread_ts,
                       "question": question_of(event.get("text", ""), event.get("files")),
                       "team_id": body.get("team_id"), "user": event.get("user")}
        await self.runtime.inbox.add([(f"{CHANNEL}:{event_id}", CHANNEL, payload)])

    async def handle(self, item: InboxEvent) -> Outcome:
        """Answer one stored event in its thread; done only when Slack accepted the post.

        ``chat.postMessage`` has no idempotency key. The post (with the event key in its
        message metadata) is marked in the inbox before it is sent and the event closed right
        after Slack accepts it. An attempt resumed after a crash between the two first looks
        for that post in the thread or DM (``conversations.replies``/``.history``); only if it
        cannot look (no ``channels:history``/``groups:history`` scope, Slack unreachable) does
        it post again, which may show the answer twice.
        """
        payload = item.payload
        if not payload.get("channel"):
            return Outcome.failed("unreadable payload")
        if item.progress == POST and await self._already_posted(item):
            return Outcome.done("post (found after a restart)", item.inquiry_id)
        stored = item.answer if isinstance(item.answer, dict) and item.answer.get("text") else None
        if stored is not None:  # an earlier attempt got as far as posting: the very same answer
            text, blocks, inquiry_id = stored["text"], stored.get("blocks"), item.inquiry_id
        elif payload.get("refusal") in REFUSALS:
            text, blocks, inquiry_id = for_municipality(REFUSALS[payload["refusal"]]), None, None
        else:
            text, blocks, inquiry_id = await self._render(payload.get("question", ""), payload.get("team_id"),
                                                          payload.get("user"), event_key=item.event_key)
            if text is None:
                return Outcome.done("rate-limited, already told")
        await self.runtime.inbox.mark_progress(item.event_key, POST, inquiry_id,
                                               None if stored else {"text": text, "blocks": blocks})
        try:
            await self.app.client.chat_postMessage(
                channel=payload["channel"], thread_ts=payload.get("thread_ts"), text=text, blocks=blocks,
                unfurl_links=False, metadata={"event_type": METADATA_EVENT_TYPE,
                                              "event_payload": {"event_key": item.event_key}})
            return Outcome.done("post", inquiry_id)
        except SlackApiError as exc:
            error = exc.response.get("error", "error")
            status = exc.response.status_code
            if status == 429 or error == "ratelimited":
                retry_after = _number(exc.response.headers.get("Retry-After") if exc.response.headers else None)
                return Outcome.retry("post ratelimited", retry_after=retry_after)
            if status >= 500 or error in TRANSIENT_ERRORS:
                return Outcome.retry(f"post {status} {error}")
            log.error("Slack answer refused (%s)", error)
            return Outcome.failed(f"post refused {error}", inquiry_id)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            return Outcome.retry(f"post {type(exc).__name__}")

    async def _already_posted(self, item: InboxEvent) -> bool:
        """Whether the thread (or DM) holds our answer to this event, by its message metadata."""
        payload, client = item.payload, self.app.client
        try:
            if payload.get("thread_ts"):
                response = await client.conversations_replies(channel=payload["channel"], ts=payload["thread_ts"],
                                                              include_all_metadata=True, limit=LOOKUP_LIMIT)
            else:
                response = await client.conversations_history(channel=payload["channel"], include_all_metadata=True,
                                                              limit=LOOKUP_LIMIT)
        except SlackApiError as exc:
            log.info("Slack post of a resumed event not looked up (%s); posting again",
                     exc.response.get("error", "error"))
            return False
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("Slack post of a resumed event not looked up (%s); posting again", type(exc).__name__)
            return False
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT_TYPE and \
                    (metadata.get("event_payload") or {}).get("event_key") == item.event_key:
                return True
        return False

    async def on_command(self, ack, command: dict, respond, context=None):
        # A person of another organisation: the command's team_id (and user_team, where given) is theirs.
        if outsider(home_team(command, context), command.get("user_team"), command.get("team_id")):
            await ack(response_type="ephemeral", text=for_municipality(messages.EXTERNAL_USER))
            return
        question = typed_text(command.get("text") or "")
        if not question or _HELP.fullmatch(question):
            await ack(response_type="ephemeral", text=messages.COMMAND_USAGE)
            return
        if _CHECK_ALONE.fullmatch(question):
            await ack(response_type="ephemeral", text=messages.CHECK_USAGE)
            return
        await ack()  # within 3 s; the answer follows on response_url
        self.runtime.spawn(self._respond_with_answer(respond, question, command.get("team_id"),
                                                     command.get("user_id")), name="slack command")

    async def on_related(self, ack, body: dict, action: dict, respond, context=None):
        await ack()
        if clicker_outside(body, context):
            await respond(text=for_municipality(messages.EXTERNAL_USER), response_type="ephemeral", replace_original=False)
            return
        team_id, user_id = _clicker(body)
        self.runtime.spawn(self._respond_with_answer(respond, action.get("value", ""), team_id, user_id),
                           name="slack related")

    async def _respond_with_answer(self, respond, question: str, team_id: str | None, user_id: str | None):
        text, blocks, _ = await self._render(question, team_id, user_id)
        if text is None:
            return  # rate-limited, and already told
        await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def on_feedback(self, ack, body: dict, action: dict, respond, context=None):
        await ack()
        if clicker_outside(body, context):
            await respond(text=for_municipality(messages.EXTERNAL_USER), response_type="ephemeral", replace_original=False)
            return
        feedback = "resolved" if action.get("action_id") == render.FEEDBACK_UP else "unresolved"
        team_id, user_id = _clicker(body)
        try:
            inquiry_id = int(action.get("value", ""))
        except (TypeError, ValueError):  # no button of ours: say the answer is unknown rather than nothing
            await respond(text=messages.FEEDBACK_NOT_FOUND, response_type="ephemeral", replace_original=False)
            return
        self.runtime.spawn(self._record_feedback(respond, inquiry_id, feedback, team_id, user_id),
                           name="slack feedback")

    async def _record_feedback(self, respond, inquiry_id: int, feedback: str, team_id: str | None,
                               user_id: str | None):
        outcome = await self.runtime.set_feedback(inquiry_id, feedback, user_id_of(team_id, user_id))
        await respond(text=feedback_reply(outcome, feedback, messages), response_type="ephemeral",
                      replace_original=False)

    async def _render(self, question: str, team_id: str | None, user_id: str | None,
                      event_key: str | None = None) -> tuple[str | None, list | None, int | None]:
        """(fallback text, blocks, inquiry id) of the answer; an apology if answering failed;
        (None, None, None) when the user is rate-limited and was already told so (a refused question
        is neither answered nor logged)."""
        admission = self.runtime.admit(user_id_of(team_id, user_id))
        if not admission.allowed:
            return (messages.RATE_LIMITED if admission.notify else None), None, None
        try:
            answer = await self.runtime.ask(question, AUDIENCE, CHANNEL, user_id_of(team_id, user_id),
                                            event_key=event_key)
        except Exception:  # a bug or a broken index must not leave the question unanswered
            log.exception("Slack answer failed")
            return messages.ERROR, None, None
        return render.escape(render.fallback_text(answer)), render.answer_blocks(answer), answer.inquiry_id


def _number(value) -> float | None:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def _clicker(body: dict) -> tuple[str | None, str | None]:
    user = body.get("user") or {}
    team = body.get("team") or {}
    return team.get("id") or user.get("team_id"), user.get("id")
