"""Login and logout."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from channels.admin import messages
from channels.admin.web import LOGIN_COOKIE, SESSION_COOKIE, AdminSite, safe_next


def routes(site: AdminSite) -> list[Route]:
    async def login_form(request: Request, error: str = "", status: int = 200, name: str = ""):
        session, _ = await run_in_threadpool(site.session_of, request)
        if session is not None and not error:
            return site.secure(site.redirect(request, "/"))
        token, new_cookie = site.login_token(request)
        response = site.render(request, "login.html", status=status, login_csrf=token, error=error, name=name,
                               next=request.query_params.get("next", ""))
        if new_cookie:
            site.set_cookie(request, response, LOGIN_COOKIE, new_cookie, max_age=3600)
        return response

    async def login(request: Request):
        if request.method != "POST":
            return await login_form(request)
        if not site.same_origin(request):
            return site.denied(request, 403, messages.BAD_ORIGIN)
        try:
            form = await site.form(request)
        except Exception:
            return site.denied(request, 400, messages.BAD_FORM)
        name = str(form.get("name", "")).strip()[:64]
        password = str(form.get("password", ""))[:1024]
        if not site.login_token_valid(request, str(form.get("csrf_token", ""))):
            return await login_form(request, messages.LOGIN_EXPIRED_FORM, 403, name)
        # The peer's address (resolved through MADOGUCHI_TRUSTED_PROXIES only; never a forged header).
        address = request.client.host if request.client else ""
        wait = await run_in_threadpool(site.accounts.login_wait, name, address)
        if wait:
            await run_in_threadpool(site.accounts.audit_login, name, address, "throttled")
            response = await login_form(request, messages.LOGIN_THROTTLED.format(seconds=wait), 429, name)
            response.headers["Retry-After"] = str(wait)
            return response
        user = await run_in_threadpool(site.accounts.authenticate, name, password)
        if user is None:
            await run_in_threadpool(site.accounts.record_login_failure, name, address)
            await run_in_threadpool(site.accounts.audit_login, name, address, "failed")
            return await login_form(request, messages.LOGIN_FAILED, 401, name)
        await run_in_threadpool(site.accounts.clear_login_failures, name, address)
        await run_in_threadpool(site.accounts.audit_login, name, address, "ok")
        token = await run_in_threadpool(site.accounts.start_session, user)
        base = site.base(request)
        response = site.secure(site.redirect(request, "/"))
        response.headers["location"] = safe_next(base, str(form.get("next", "")))
        site.set_cookie(request, response, SESSION_COOKIE, site.signer.sign(token).decode(), max_age=None)
        response.delete_cookie(LOGIN_COOKIE, path=base or "/")
        return response

    @site.page()
    async def logout(request: Request, session):
        _, token = await run_in_threadpool(site.session_of, request)
        await run_in_threadpool(site.accounts.end_session, token)
        response = site.redirect(request, "/login", notice="logged_out")
        response.delete_cookie(SESSION_COOKIE, path=site.base(request) or "/", httponly=True, samesite="lax",
                               secure=site.is_https(request))
        return response

    return [
        Route("/login", login, methods=["GET", "POST"], name="admin_login"),
        Route("/logout", logout, methods=["POST"], name="admin_logout"),
    ]
