"""The web chat: a small accessible page at ``/`` and its JSON API.

``POST /api/ask {"question": ...}`` → the Answer dict (as ``madoguchi ask --json``, plus a
display ``label`` per source and the contact's ``text``);
``POST /api/feedback {"inquiry_id": ..., "feedback": "resolved"|"unresolved", "comment": ...}``.

The user key is a random id in a cookie; the inquiry log stores only its keyed hash, and
feedback is accepted only from the browser that asked the question.
"""
from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.answering.answer import Answer
from bot.insights.inquiry_log import FEEDBACK_VALUES
from channels.answering_lanes import DeadlineExceeded, LaneBusy
from channels.runtime import FeedbackResult, Runtime
from channels.web import handoff, messages
from indexing.language import detect_language, is_ambiguous, preferred_language

CHANNEL = "web"
COOKIE = "madoguchi_uid"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365
# Room for a long message JSON-escaped (\uXXXX: 6 bytes a character): a 10,000-character question still
# reaches the polite 「1000文字まで」 reply instead of a bare 413.
MAX_BODY_BYTES = 64 * 1024
MAX_COMMENT_CHARS = 1000
STATIC_PATH = "/web/static"
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_HERE = Path(__file__).parent
_templates = Jinja2Templates(directory=str(_HERE / "templates"))

# No inline script, nothing from other origins (there is no CDN on a closed network anyway).
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def security_headers(embed_origins: tuple[str, ...] = ()) -> dict[str, str]:
    """The page's headers; with ``embed_origins`` (MADOGUCHI_EMBED_ORIGINS) those sites may frame it."""
    if not embed_origins:
        return SECURITY_HEADERS
    ancestors = "frame-ancestors 'self' " + " ".join(embed_origins)
    return {**SECURITY_HEADERS,
            "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace("frame-ancestors 'none'",
                                                                                          ancestors)}


class ApiError(Exception):
    def __init__(self, status: int, code: str, retry_after: int | None = None):
        super().__init__(code)
        self.status, self.code, self.retry_after = status, code, retry_after

    def response(self, language: str = "ja", easy_japanese: bool = False) -> JSONResponse:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else None
        return JSONResponse({"error": self.code, "message": messages.api_error(self.code, language, easy_japanese)},
                            status_code=self.status, headers=headers)


def answer_payload(answer: Answer, easy_japanese: bool = False) -> dict:
    """The Answer dict every channel shares, plus the display strings the page shows (``ui``: labels
    and buttons in the question's language)."""
    data = answer.to_dict()
    data["ui"] = messages.answer_strings(answer.language, easy_japanese)
    for item, source in zip(data["sources"], answer.sources):
        item["label"] = source.label(answer.language)
    if answer.contact is not None and data.get("contact") is not None:
        data["contact"]["text"] = answer.contact.text(answer.language)
    return data


class WebChat:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.audience = runtime.settings.web_audience
        self.easy_japanese = runtime.settings.easy_japanese
        self.embed_origins = runtime.settings.embed_origins

    def routes(self) -> list:
        return [
            Route("/", self.page, methods=["GET"], name="web-chat"),
            Route("/api/ask", self.api_ask, methods=["POST"]),
            Route("/api/feedback", self.api_feedback, methods=["POST"]),
            *handoff.WebHandoff(self.runtime, _cookie_uid, _json_body, self._admit).routes(),
            Mount(STATIC_PATH, app=StaticFiles(directory=str(_HERE / "static")), name="web-static"),
        ]

    # --- the page -----------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        staff = self.audience == "staff"
        language = browser_language(request)  # an answer's own strings follow its question
        ui = messages.page_strings(language, self.easy_japanese)
        ui["title"] = ui["title_staff"] if staff else ui["title"]
        ui["intro"] = ui["intro_staff"] if staff else ui["intro"]
        # JSON inside <script type="application/json">: '<' escaped so no '</script>' can end it.
        script_text = json.dumps(messages.script_strings(language, self.easy_japanese),
                                 ensure_ascii=False).replace("<", "\\u003c")
        response = _templates.TemplateResponse(request, "index.html", {
            "ui": ui, "script_text": script_text, "static": STATIC_PATH, "audience": self.audience,
            "lang": language})
        response.headers.update(security_headers(self.embed_origins))
        self._ensure_cookie(request, response)
        return response

    # --- the API ------------------------------------------------------------------------------
    async def api_ask(self, request: Request) -> Response:
        language = browser_language(request)
        try:
            self._admit(request)
            data = await _json_body(request)
            question = data.get("question")
            if not isinstance(question, str):
                raise ApiError(400, "question_required")
            if not is_ambiguous(question):  # busy or too slow: said in the question's language
                language = detect_language(question)
            uid = _cookie_uid(request) or _new_uid()
            try:
                answer = await self.runtime.ask(question, self.audience, CHANNEL, f"{CHANNEL}:{uid}",
                                                timeout=self.runtime.settings.answer_timeout_seconds)
            except LaneBusy as busy:
                raise ApiError(503, "busy", retry_after=busy.retry_after) from None
            except DeadlineExceeded as late:
                raise ApiError(504, "timeout", retry_after=late.retry_after) from None
        except ApiError as error:
            return error.response(language, self.easy_japanese)
        data = answer_payload(answer, self.easy_japanese)
        if (offer := handoff.offer(answer, self.runtime)) is not None:
            data["handoff"] = offer  # 「職員に質問を送る」 (channels/web/handoff.py)
        response = JSONResponse(data)
        self._set_cookie(request, response, uid)
        return response

    async def api_feedback(self, request: Request) -> Response:
        language = browser_language(request)
        try:
            self._admit(request)
            data = await _json_body(request)
            inquiry_id, feedback = data.get("inquiry_id"), data.get("feedback")
            comment = data.get("comment") or ""
            if isinstance(inquiry_id, str) and inquiry_id.isascii() and inquiry_id.isdigit() and len(inquiry_id) <= 19:
                inquiry_id = int(inquiry_id)
            if (not isinstance(inquiry_id, int) or isinstance(inquiry_id, bool) or feedback not in FEEDBACK_VALUES
                    or not isinstance(comment, str)):
                raise ApiError(400, "feedback_invalid")
            uid = _cookie_uid(request)
            if uid is None:
                raise ApiError(403, "feedback_not_yours")
            outcome = await self.runtime.set_feedback(inquiry_id, feedback, f"{CHANNEL}:{uid}",
                                                      comment[:MAX_COMMENT_CHARS])
            if outcome.result is FeedbackResult.NOT_FOUND:
                raise ApiError(404, "feedback_not_found")
            if outcome.result is FeedbackResult.NOT_YOURS:
                raise ApiError(403, "feedback_not_yours")
        except ApiError as error:
            return error.response(language, self.easy_japanese)
        data = {"ok": True, "inquiry_id": inquiry_id, "feedback": feedback}
        if feedback == "unresolved" and not comment and self.audience == "citizen":
            inquiry = await self.runtime.run_blocking(self.runtime.inquiry_log.get, inquiry_id)
            language = (inquiry or {}).get("language") or "ja"  # the question's, for the offer
            if (offer := handoff.offer_after_unresolved(language, self.runtime, outcome.department)) is not None:
                data["handoff"] = offer  # 解決しない → a person
        return JSONResponse(data)

    def _admit(self, request: Request):
        """The client's rate limit (its address, resolved through trusted proxies by the app)."""
        decision = self.runtime.admit_client(request.client.host if request.client else "")
        if not decision.allowed:
            raise ApiError(429, "rate_limited", retry_after=decision.retry_after)

    # --- the cookie ---------------------------------------------------------------------------
    def _ensure_cookie(self, request: Request, response: Response):
        if _cookie_uid(request) is None:
            self._set_cookie(request, response, _new_uid())

    def _set_cookie(self, request: Request, response: Response, uid: str):
        if _cookie_uid(request) == uid:
            return
        # Behind a TLS proxy the browser's scheme is in X-Forwarded-Proto (a client that lies about it only
        # spoils its own cookie).
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"
        # In a frame on another site a browser sends only a cookie marked SameSite=None and Secure, and one
        # that blocks third-party cookies only a Partitioned one (kept per embedding site).
        framed = bool(self.embed_origins) and secure
        response.set_cookie(COOKIE, uid, max_age=COOKIE_MAX_AGE, httponly=True, samesite="none" if framed else "lax",
                            secure=secure, path="/")
        if framed:  # Starlette writes Partitioned on Python 3.14 only: added to the header by hand
            response.raw_headers = [(name, value + b"; Partitioned" if name == b"set-cookie"
                                     and value.startswith(COOKIE.encode() + b"=") else value)
                                    for name, value in response.raw_headers]


def browser_language(request: Request) -> str:
    """The supported language the browser asks for first (Accept-Language), else Japanese."""
    return preferred_language(request.headers.get("accept-language"))


def _new_uid() -> str:
    return secrets.token_urlsafe(24)


def _cookie_uid(request: Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if _COOKIE_VALUE.match(value) else None


async def _json_body(request: Request) -> dict:
    # Requiring JSON also keeps cross-site HTML forms out (they cannot send application/json).
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "json_required")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise ApiError(413, "too_large")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deeply
        raise ApiError(400, "bad_json") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json")
    return data
