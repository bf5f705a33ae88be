"""Slack for staff (slack-bolt AsyncApp): verify → parse → dedupe → ask → render → send.

One HTTP route, ``POST /slack/events``, takes Events API callbacks (``app_mention`` in
channels, ``message.im`` in direct messages), the ``/madoguchi`` slash command and the
interactive buttons. Bolt verifies the signature and timestamp and acks at once; the
answer is computed in the background. Slack retries events it thinks were missed, so an
``event_id`` is claimed in the shared database before answering.

Servers that cannot receive webhooks (a closed government network) use Socket Mode
instead: ``SLACK_APP_TOKEN`` + ``MADOGUCHI_SLACK_SOCKET_MODE=1``.
"""
from __future__ import annotations

import asyncio
import logging
import re

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from channels.feedback import feedback_reply
from channels.logging_setup import slack_app_logger
from channels.runtime import Runtime
from channels.slack import messages, render

log = logging.getLogger(__name__)

AUDIENCE = "staff"
CHANNEL = "slack"
COMMAND = "/madoguchi"
MAX_BODY_BYTES = 1_000_000
SOCKET_RETRY_SECONDS = 30
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def user_id_of(team_id: str | None, user_id: str | None) -> str | None:
    """The id handed to the inquiry log (which keeps only a keyed hash of it)."""
    return f"slack:{team_id or ''}:{user_id}" if user_id else None


def question_of(text: str) -> str:
    """The question without the bot's @mention."""
    return _MENTION.sub(" ", text or "").strip()


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
                       name="madoguchi", logger=slack_app_logger())
        channel = cls(runtime, app)
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

    async def on_app_mention(self, body: dict, event: dict, client: AsyncWebClient):
        thread_ts = event.get("thread_ts") or event.get("ts")
        self._answer_event(body, event, client, thread_ts)

    async def on_message(self, body: dict, event: dict, client: AsyncWebClient):
        # Only plain direct messages from people; edits, joins and bot posts are ignored.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        self._answer_event(body, event, client, event.get("thread_ts"))

    def _answer_event(self, body: dict, event: dict, client: AsyncWebClient, thread_ts: str | None):
        event_id = body.get("event_id")
        if not event_id or not event.get("channel"):
            return
        self.runtime.spawn(self._answer_event_once(event_id, body, event, client, thread_ts),
                           name=f"slack {event.get('type')}")

    async def _answer_event_once(self, event_id: str, body: dict, event: dict, client: AsyncWebClient,
                                 thread_ts: str | None):
        if not await self.runtime.claim_event(f"{CHANNEL}:{event_id}"):
            log.info("Slack retry of an answered event skipped")
            return
        text, blocks = await self._render(question_of(event.get("text", "")), body.get("team_id"), event.get("user"))
        try:
            await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=text, blocks=blocks,
                                          unfurl_links=False)
        except SlackApiError as exc:
            log.error("Slack answer not delivered (%s)", exc.response.get("error", "error"))

    async def on_command(self, ack, command: dict, respond):
        question = (command.get("text") or "").strip()
        if not question:
            await ack(response_type="ephemeral", text=messages.COMMAND_USAGE)
            return
        await ack()  # within 3 s; the answer follows on response_url
        self.runtime.spawn(self._respond_with_answer(respond, question, command.get("team_id"),
                                                     command.get("user_id")), name="slack command")

    async def on_related(self, ack, body: dict, action: dict, respond):
        await ack()
        team_id, user_id = _clicker(body)
        self.runtime.spawn(self._respond_with_answer(respond, action.get("value", ""), team_id, user_id),
                           name="slack related")

    async def _respond_with_answer(self, respond, question: str, team_id: str | None, user_id: str | None):
        text, blocks = await self._render(question, team_id, user_id)
        await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def on_feedback(self, ack, body: dict, action: dict, respond):
        await ack()
        feedback = "resolved" if action.get("action_id") == render.FEEDBACK_UP else "unresolved"
        team_id, user_id = _clicker(body)
        try:
            inquiry_id = int(action.get("value", ""))
        except ValueError:
            return
        outcome = await self.runtime.set_feedback(inquiry_id, feedback, user_id_of(team_id, user_id))
        await respond(text=feedback_reply(outcome, feedback, messages), response_type="ephemeral",
                      replace_original=False)

    async def _render(self, question: str, team_id: str | None, user_id: str | None) -> tuple[str, list | None]:
        """(fallback text, blocks) of the answer; an apology if answering failed."""
        try:
            answer = await self.runtime.ask(question, AUDIENCE, CHANNEL, user_id_of(team_id, user_id))
        except Exception:  # a bug or a broken index must not leave the question unanswered
            log.exception("Slack answer failed")
            return messages.ERROR, None
        return render.escape(render.fallback_text(answer)), render.answer_blocks(answer)


def _clicker(body: dict) -> tuple[str | None, str | None]:
    user = body.get("user") or {}
    team = body.get("team") or {}
    return team.get("id") or user.get("team_id"), user.get("id")
