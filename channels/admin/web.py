"""The admin site's plumbing: sessions in signed cookies, CSRF, roles, templates, security headers.

Every admin endpoint is wrapped by ``AdminSite.page``: it refuses anonymous requests
(GET → redirect to the login page, anything else → 403), checks the role, and for
every POST checks the ``Origin`` header and the session's CSRF token before the
handler runs. Handlers stay thin: they call ``indexing.curation`` and the review queue.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from itsdangerous import BadSignature, TimestampSigner
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from channels.admin import messages
from channels.admin.accounts import SESSION_MAX, AccountStore, Session
from channels.admin.review_queue import ReviewQueue
from indexing.storage.knowledge import KnowledgeStore

HERE = Path(__file__).parent
SESSION_COOKIE = "madoguchi_admin"
LOGIN_COOKIE = "madoguchi_admin_login"
CSRF_FIELD = "csrf_token"
# At most this much typed text is shown back after the session ended (see AdminSite.unsaved_fields).
UNSAVED_SHOWN_CHARS = 200_000
SECRET_FILE = "admin-session.secret"
MAX_FORM_BYTES = 2 * 1024 * 1024


def session_secret(settings) -> str:
    """MADOGUCHI_SESSION_SECRET, else a random secret generated once and kept in the data dir
    (created atomically, so several workers starting together agree on one secret)."""
    if settings.admin_session_secret:
        return settings.admin_session_secret
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
        descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass  # another worker won; use its secret
        finally:
            scratch.unlink(missing_ok=True)
    return path.read_text().strip()


@dataclass
class Denied(Exception):
    status: int
    message: str


class AdminSite:
    """Shared objects of the admin UI for one runtime (settings, bot, stores, templates)."""

    def __init__(self, runtime):
        self.runtime = runtime
        self.settings = runtime.settings
        self.data_dir = Path(self.settings.data_dir)
        self.store = KnowledgeStore(self.data_dir)
        self.accounts = AccountStore(self.data_dir)
        self.secret = session_secret(self.settings)
        self.signer = TimestampSigner(self.secret, salt="madoguchi.admin.session")
        self.login_signer = TimestampSigner(self.secret, salt="madoguchi.admin.login")
        self._queue: ReviewQueue | None = None
        self.css = (HERE / "templates" / "admin.css").read_text(encoding="utf-8")
        css_hash = base64.b64encode(hashlib.sha256(self.css.encode("utf-8")).digest()).decode()
        # No scripts at all; the one stylesheet is inline and allowed by its hash.
        self.csp = ("default-src 'none'; img-src 'self' data:; style-src 'sha256-" + css_hash + "'; "
                    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                                     extensions=["jinja2.ext.do"])
        self.templates.filters["entry_url"] = lambda entry_id: "/entries/" + quote(str(entry_id), safe="")
        self.templates.filters["local_time"] = local_time
        self.templates.globals["labels"] = messages.LABELS

    @property
    def bot(self):
        return self.runtime.bot

    @property
    def tickets(self):
        """The ticket store (bot/handoff): the runtime's when it has one, else this site's own."""
        desk = getattr(self.runtime, "handoff_desk", None)
        if desk is not None:
            return desk.store
        if getattr(self, "_tickets", None) is None:
            from bot.handoff.store import TicketStore

            self._tickets = TicketStore(self.data_dir)
        return self._tickets

    @property
    def queue(self) -> ReviewQueue:
        if self._queue is None:
            self._queue = ReviewQueue(self.data_dir, embedder=self.bot.embedder, vector_cache=self.store)
        return self._queue

    # --- urls -------------------------------------------------------------------------------------
    @staticmethod
    def base(request: Request) -> str:
        """Path prefix the admin routes are mounted under (``/admin``, or deeper behind a proxy)."""
        return request.scope.get("root_path", "").rstrip("/")

    def url(self, request: Request, path: str, **params) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "", False)})
        return self.base(request) + path + (f"?{query}" if query else "")

    def redirect(self, request: Request, path: str, **params) -> RedirectResponse:
        return RedirectResponse(self.url(request, path, **params), status_code=303)

    # --- rendering ----------------------------------------------------------------------------------
    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        session: Session | None = getattr(request.state, "session", None)
        notice = messages.NOTICES.get(request.query_params.get("notice", ""), "")
        html = self.templates.get_template(template).render(
            base=self.base(request), css=self.css, session=session, user=session.user if session else None,
            csrf_token=session.csrf_token if session else "", path=request.url.path, notice=notice, **context)
        return self.secure(HTMLResponse(html, status_code=status))

    def secure(self, response: Response) -> Response:
        # setdefault: a page that needs a wider policy (the report's own styles) sets its own.
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def denied(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status=status, message=message)

    # --- cookies and sessions --------------------------------------------------------------------
    def set_cookie(self, request: Request, response: Response, name: str, value: str, max_age: int | None):
        response.set_cookie(name, value, max_age=max_age, path=self.base(request) or "/", httponly=True,
                            samesite="lax", secure=self.is_https(request))

    def is_https(self, request: Request) -> bool:
        """Served over https: directly, via trusted proxy headers, or per MADOGUCHI_PUBLIC_URL."""
        return request.url.scheme == "https" or \
            str(getattr(self.settings, "public_base_url", "") or "").startswith("https://")

    def session_of(self, request: Request) -> tuple[Session | None, str]:
        signed = request.cookies.get(SESSION_COOKIE, "")
        if not signed:
            return None, ""
        try:
            token = self.signer.unsign(signed, max_age=int(SESSION_MAX.total_seconds())).decode()
        except BadSignature:
            return None, ""
        return self.accounts.session(token), token

    def login_token(self, request: Request) -> tuple[str, str | None]:
        """CSRF token of the login form, bound to a signed pre-login cookie (new cookie when missing)."""
        nonce = None
        signed = request.cookies.get(LOGIN_COOKIE, "")
        if signed:
            try:
                nonce = self.login_signer.unsign(signed, max_age=3600).decode()
            except BadSignature:
                nonce = None
        new_cookie = None
        if nonce is None:
            nonce = secrets.token_urlsafe(24)
            new_cookie = self.login_signer.sign(nonce).decode()
        return self._login_csrf(nonce), new_cookie

    def login_token_valid(self, request: Request, token: str) -> bool:
        signed = request.cookies.get(LOGIN_COOKIE, "")
        try:
            nonce = self.login_signer.unsign(signed, max_age=3600).decode()
        except BadSignature:
            return False
        return hmac.compare_digest(self._login_csrf(nonce), token or "")

    def _login_csrf(self, nonce: str) -> str:
        return hmac.new(self.secret.encode(), f"login:{nonce}".encode(), hashlib.sha256).hexdigest()

    # --- request checks -------------------------------------------------------------------------------
    def same_origin(self, request: Request) -> bool:
        """A browser's Origin (or Referer) header, when sent, must name this host.

        Hosts are compared rather than full origins so that a TLS-terminating proxy that does
        not forward the scheme does not lock editors out; SameSite cookies and the CSRF token
        remain the main defence. The host a proxy forwards (X-Forwarded-Host) counts only where
        proxies are configured (MADOGUCHI_TRUSTED_PROXIES): anyone else could send it.
        """
        origin = request.headers.get("origin")
        if origin is None:
            origin = request.headers.get("referer")
            if not origin:
                return True
        if origin == "null":
            return False
        netloc = urlsplit(origin).netloc.lower()
        allowed = {request.headers.get("host", request.url.netloc).lower()}
        forwarded = request.headers.get("x-forwarded-host") if self.settings.trusted_proxies else None
        if forwarded:
            allowed.add(forwarded.split(",")[0].strip().lower())
        return netloc in allowed

    async def form(self, request: Request, max_files: int = 0):
        length = request.headers.get("content-length")
        limit = MAX_FORM_BYTES if not max_files else UPLOAD_LIMIT_BYTES
        if length and length.isdigit() and int(length) > limit:
            raise Denied(413, messages.TOO_LARGE)
        return await request.form(max_files=max_files, max_fields=200)

    async def unsaved_fields(self, request: Request) -> list[tuple[str, str]]:
        """The text a browser sent from one of this site's own forms after its session ended (an editor
        who typed an answer for longer than the session lasts), as (label, value), so that it is shown
        back rather than lost; [] for a request with no Origin or Referer of this host (not echoed to
        another site's forms), an upload, or nothing typed."""
        sent_by = request.headers.get("origin") or request.headers.get("referer")
        declared = request.headers.get("content-length", "")
        # Only a body of a declared, ordinary size is read for an anonymous request.
        if not sent_by or not self.same_origin(request) or not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
            return []
        try:
            form = await self.form(request, max_files=0)
        except Exception:  # an upload, or a malformed body: nothing to show back
            return []
        shown, left = [], UNSAVED_SHOWN_CHARS
        for name, value in form.multi_items():
            # Only fields an editor types (FIELD_LABELS): never a token or a hidden field.
            if name in messages.FIELD_LABELS and isinstance(value, str) and value.strip() and left > 0:
                shown.append((messages.FIELD_LABELS[name], value[:left]))
                left -= len(value)
        return shown

    def page(self, role: str | None = None, uploads: bool = False):
        """Decorator: login required (and ``role`` when given); POSTs need the Origin and CSRF checks.

        The handler gets ``(request, session)``; a POST's parsed form is ``request.state.form``.
        """
        def decorate(handler):
            @functools.wraps(handler)
            async def endpoint(request: Request):
                session, _ = await run_in_threadpool(self.session_of, request)
                request.state.session = session
                if session is None:
                    if request.method in ("GET", "HEAD"):
                        return self.secure(self.redirect(request, "/login", next=_local_next(request)))
                    if request.method == "POST" and (unsaved := await self.unsaved_fields(request)):
                        return self.render(request, "unsaved.html", status=403, fields=unsaved,
                                           message=messages.UNSAVED_AFTER_LOGOUT, next=_referring_path(request))
                    return self.denied(request, 403, messages.LOGIN_REQUIRED)
                if role == "editor" and not session.user.can_edit:
                    return self.denied(request, 403, messages.EDITOR_ONLY)
                if request.method == "POST":
                    if not self.same_origin(request):
                        return self.denied(request, 403, messages.BAD_ORIGIN)
                    try:
                        form = await self.form(request, max_files=1 if uploads else 0)
                    except Denied as exc:
                        return self.denied(request, exc.status, exc.message)
                    except Exception:  # malformed multipart and the like
                        return self.denied(request, 400, messages.BAD_FORM)
                    if not hmac.compare_digest(str(form.get(CSRF_FIELD, "")), session.csrf_token):
                        return self.denied(request, 403, messages.BAD_CSRF)
                    request.state.form = form
                try:
                    response = await handler(request, session)
                except Denied as exc:
                    return self.denied(request, exc.status, exc.message)
                return self.secure(response)
            endpoint.requires_login = True
            return endpoint
        return decorate


UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024
# Times are stored in UTC and shown in Japan time, which is what city staff read.
DISPLAY_TIMEZONE = "Asia/Tokyo"


def local_time(value: str, with_time: bool = True) -> str:
    """'2026-04-01T03:00:00+00:00' → '2026-04-01 12:00' (Japan time)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(DISPLAY_TIMEZONE))
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def _referring_path(request: Request) -> str:
    """The path of the page a form was sent from (its Referer), for the login link of unsaved.html."""
    referer = urlsplit(request.headers.get("referer", ""))
    return _path_and_query(referer.path, referer.query) if referer.path else ""


def _local_next(request: Request) -> str:
    return _path_and_query(request.url.path, request.url.query)


def _path_and_query(path: str, query: str) -> str:
    return path + (f"?{query}" if query else "")


def safe_next(base: str, value: str) -> str:
    """Only a path inside the admin site may be a post-login destination (no open redirect)."""
    # Printable ASCII only: CR/LF would split the Location header, other text cannot be sent in it.
    if value and value.startswith(base + "/") and not value.startswith("//") and "\\" not in value \
            and "://" not in value and all("!" <= c <= "~" for c in value):
        return value
    return base + "/"
