"""The one ASGI app: LINE webhook, Slack events, the web chat, /healthz (and the admin UI).

``uvicorn channels.app:create_app --factory`` (the Procfile) or ``madoguchi serve``.

=====================  ==========================================================
``GET  /``             web chat page (audience: MADOGUCHI_WEB_AUDIENCE)
``POST /api/ask``      ``{"question": ...}`` → the Answer dict
``POST /api/feedback`` ``{"inquiry_id", "feedback": resolved|unresolved, "comment"}``
``/api/handoff/…``     a question handed to staff from the web chat (channels/web/handoff.py)
``POST /callback/line`` LINE Messaging API webhook (citizens)
``POST /slack/events`` Slack events, /madoguchi, buttons (staff)
``GET  /healthz``      ``{"ok", "entries", "knowledge_version"}``
``/admin``             the DX office's admin UI (login required)
=====================  ==========================================================

Every request body is capped (1 MB; admin uploads 20 MB) and answered 413 beyond; the web chat
API is rate-limited per client (429) and answers 503/504 when the answering lanes are full or
slow; X-Forwarded-* headers count only from MADOGUCHI_TRUSTED_PROXIES.

Without LINE or Slack credentials the server still starts and the web chat works; the
channel routes then answer 503 naming the variables to set.
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, Router
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from indexing.settings import Settings
from indexing.storage import storage_for, use_settings
from channels import line as line_channel
from channels import slack as slack_channel
from channels.admin import admin_routes
from channels.admin.web import UPLOAD_LIMIT_BYTES
from channels.body_limit import DEFAULT_LIMIT_BYTES, BodyLimit
from channels.logging_setup import install_log_redaction
from channels.runtime import Runtime
from channels.slack.request_checks import body_shape_ok, signature_headers_present
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
    use_settings(settings)
    web = WebChat(runtime)

    async def healthz(request: Request) -> Response:
        return JSONResponse(await runtime.health())

    async def line_callback(request: Request) -> Response:
        channel = request.app.state.line
        if channel is None:
            missing = line_channel.missing_variables(settings)
            return _unavailable("LINE", missing or list(line_channel.REQUIRED_VARIABLES),
                                "" if missing else "LINE is starting; try again.")
        try:
            return await channel.callback(request)
        except RecursionError:  # signed, but JSON nested deeper than any real payload
            return PlainTextResponse("malformed body", status_code=400)

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
        if not signature_headers_present(request.headers):
            # Refused before Bolt parses anything: its verifier assumes both headers are there.
            return PlainTextResponse("invalid request", status_code=401)
        if not body_shape_ok(await request.body(), request.headers.get("content-type", "")):
            # Bolt's middleware assumes Slack's shapes (an "event" object ...) and answers 500 otherwise.
            return PlainTextResponse("malformed body", status_code=400)
        return await channel.events(request)

    async def admin_home(request: Request) -> Response:
        # A path, never an absolute URL built from the Host header (which the client chooses).
        return RedirectResponse(request.scope.get("root_path", "").rstrip("/") + "/admin/", status_code=307)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/callback/line", line_callback, methods=["POST"]),
        Route("/slack/events", slack_events, methods=["POST"]),
        *web.routes(),
    ]

    # The DX office's admin UI shares this process's runtime (edits reach the bot at once).
    # No automatic trailing-slash redirects: Starlette builds them from the Host header.
    routes.append(Route("/admin", admin_home, methods=["GET", "HEAD"]))
    routes.append(Mount("/admin", app=Router(routes=admin_routes(runtime), redirect_slashes=False)))

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
        stopping = asyncio.Event()
        deliveries = tickets = None
        if app.state.slack is not None and settings.slack_bot_token:
            # Tickets (handing questions to staff) need a Slack channel to be posted in.
            from channels.handoff.relay import HandoffRelay
            relay = HandoffRelay.start(runtime, app.state.slack.app.client,
                                       app.state.line.api if app.state.line is not None else None)
            tickets = asyncio.create_task(relay.run_forever(stopping), name="ticket housekeeping")
        if settings.line_channel_access_token:
            # Scheduled LINE deliveries by interest (bot/outreach) are sent from here every 30 s.
            from channels.line.multicast import run_deliveries_forever
            deliveries = asyncio.create_task(run_deliveries_forever(settings, stopping), name="push deliveries")
        follower = None
        if storage_for(settings.data_dir).dialect.is_postgres:
            # Other hosts share the knowledge: follow its version in the background (each host's
            # FAISS and lexical indexes are a local cache of it, see indexing/storage/).
            follower = asyncio.create_task(runtime.follow_knowledge(stopping), name="knowledge follower")
        log.info("madoguchi ready: LINE %s, Slack %s, web chat for %s",
                 "on" if app.state.line else "off (set " + " and ".join(line_channel.missing_variables(settings)) + ")",
                 _slack_mode(settings), settings.web_audience)
        try:
            yield
        finally:
            stopping.set()
            if deliveries is not None:
                await deliveries
            if tickets is not None:
                await tickets
            if follower is not None:
                await follower
            await runtime.drain()
            if app.state.line is not None:
                await app.state.line.close()
            if app.state.slack is not None:
                await app.state.slack.close()
            if owns_runtime:
                runtime.close()

    middleware = [Middleware(BodyLimit, limit=DEFAULT_LIMIT_BYTES, limits={"/admin": UPLOAD_LIMIT_BYTES + 64 * 1024})]
    if settings.trusted_proxies:
        # The client address and scheme come from X-Forwarded-For/-Proto only when the peer is a
        # configured proxy (uvicorn itself runs with proxy headers off: Procfile, `madoguchi serve`).
        middleware.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies)))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.router.redirect_slashes = False
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
