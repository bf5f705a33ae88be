"""The one ASGI app: LINE webhook, Slack events, the web chat, /healthz (and the admin UI).

``uvicorn channels.app:create_app --factory`` (the Procfile) or ``madoguchi serve``.

=====================  ==========================================================
``GET  /``             web chat page (audience: MADOGUCHI_WEB_AUDIENCE)
``POST /api/ask``      ``{"question": ...}`` → the Answer dict
``POST /api/feedback`` ``{"inquiry_id", "feedback": resolved|unresolved, "comment"}``
``POST /callback/line`` LINE Messaging API webhook (citizens)
``POST /slack/events`` Slack events, /madoguchi, buttons (staff)
``GET  /healthz``      ``{"ok", "entries", "knowledge_version"}``
``/admin``             the DX office's admin UI (login required)
=====================  ==========================================================

Without LINE or Slack credentials the server still starts and the web chat works; the
channel routes then answer 503 naming the variables to set.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from indexing.settings import Settings
from channels import line as line_channel
from channels import slack as slack_channel
from channels.admin import admin_routes
from channels.logging_setup import install_log_redaction
from channels.runtime import Runtime
from channels.web.routes import WebChat

log = logging.getLogger(__name__)


def _unavailable(channel: str, variables: list[str], detail: str = "") -> JSONResponse:
    message = detail or f"{channel} is not configured on this server: set {' and '.join(variables)}."
    return JSONResponse({"error": f"{channel.lower()}_not_configured", "message": message,
                         "set": variables}, status_code=503)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Starlette:
    """Build the app. ``runtime`` lets tests share one already-built Bot; it is then not closed."""
    _default_logging()
    install_log_redaction()  # no request body, no personal data in any log line
    owns_runtime = runtime is None
    if runtime is None:
        runtime = Runtime.build(settings or Settings.from_env())
    settings = runtime.settings
    web = WebChat(runtime)

    async def healthz(request: Request) -> Response:
        return JSONResponse(await runtime.health())

    async def line_callback(request: Request) -> Response:
        channel = request.app.state.line
        if channel is None:
            missing = line_channel.missing_variables(settings)
            return _unavailable("LINE", missing or list(line_channel.REQUIRED_VARIABLES),
                                "" if missing else "LINE is starting; try again.")
        return await channel.callback(request)

    async def slack_events(request: Request) -> Response:
        channel = request.app.state.slack
        if channel is None or not channel.http_enabled:
            missing = slack_channel.missing_http_variables(settings)
            if not missing:
                return _unavailable("Slack", list(slack_channel.HTTP_VARIABLES), "Slack is starting; try again.")
            detail = ""
            if slack_channel.socket_mode_enabled(settings):
                detail = (f"Slack runs in Socket Mode on this server; to receive HTTP events also set "
                          f"{' and '.join(missing)}.")
            return _unavailable("Slack", missing, detail)
        return await channel.events(request)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/callback/line", line_callback, methods=["POST"]),
        Route("/slack/events", slack_events, methods=["POST"]),
        *web.routes(),
    ]

    # The DX office's admin UI shares this process's runtime (edits reach the bot at once).
    routes.append(Mount("/admin", routes=admin_routes(runtime)))

    @asynccontextmanager
    async def lifespan(app: Starlette):
        # The SDK clients hold aiohttp sessions: they must be created inside the running loop.
        # The SDKs are imported only when configured (line-bot-sdk alone takes ~2 s to import).
        if not line_channel.missing_variables(settings):
            from channels.line.webhook import LineChannel
            app.state.line = LineChannel.start(runtime)
        if slack_channel.enabled(settings):
            from channels.slack.bolt_app import SlackChannel
            app.state.slack = SlackChannel.start(runtime)
        log.info("madoguchi ready: LINE %s, Slack %s, web chat for %s",
                 "on" if app.state.line else "off (set " + " and ".join(line_channel.missing_variables(settings)) + ")",
                 _slack_mode(settings), settings.web_audience)
        try:
            yield
        finally:
            await runtime.drain()
            if app.state.line is not None:
                await app.state.line.close()
            if app.state.slack is not None:
                await app.state.slack.close()
            if owns_runtime:
                runtime.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.line = None
    app.state.slack = None
    return app


def _default_logging():
    """Under the Procfile's plain uvicorn nobody configures logging: show our INFO lines then."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        # Third-party clients log request bodies (user ids, message text) at DEBUG: never below INFO.
        for name in ("slack_sdk", "slack_bolt", "linebot", "aiohttp", "urllib3"):
            logging.getLogger(name).setLevel(logging.INFO)


def _slack_mode(settings: Settings) -> str:
    modes = []
    if not slack_channel.missing_http_variables(settings):
        modes.append("HTTP")
    if slack_channel.socket_mode_enabled(settings):
        modes.append("Socket Mode")
    return " + ".join(modes) if modes else "off (set " + " and ".join(slack_channel.missing_http_variables(settings)) + ")"
