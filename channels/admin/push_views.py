"""LINE deliveries by interest in the admin UI (editors): compose, preview, confirm, send or schedule.

The same draft check and the same engine as ``madoguchi push send``: the preview page
shows the recipient count and a LINE-style bubble; sending needs the button on that page
and, for a topic with ``confirm_twice`` (防災), a second, explicit confirmation checkbox.
"Send now" stores the delivery as due now and starts it in the background; the
server's delivery task finishes it if another process holds the lock.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from indexing.storage.outreach import OutreachBook
from bot.outreach.compose import JST, DraftError, make_draft
from channels.admin import messages
from channels.admin.web import AdminSite, Denied
from indexing.interests import stored_interests

log = logging.getLogger(__name__)
FIELDS = ("text", "url", "area", "at")


def delivery_figures_for(site: AdminSite, date_from: str, date_to: str):
    """LINE delivery figures for the report page's period (None when no topics are set up)."""
    from datetime import date

    from bot.outreach.figures import delivery_figures

    interests = stored_interests(site.store)
    if not interests.topics:
        return None
    return delivery_figures(OutreachBook(site.data_dir), interests, date.fromisoformat(date_from),
                            date.fromisoformat(date_to))


def routes(site: AdminSite) -> list[Route]:
    book = OutreachBook(site.data_dir)
    running: set[asyncio.Task] = set()

    def _interests():
        return stored_interests(site.store)

    def _values(form) -> dict:
        values = {name: str(form.get(name, "")).strip() for name in FIELDS}
        values["interest"] = [str(v) for v in form.getlist("interest")]
        return values

    def _draft(values):
        now = datetime.now(timezone.utc).replace(microsecond=0)
        at = values["at"] or None
        return make_draft(_interests(), values["interest"], values["area"], values["text"], values["url"], at, now)

    def _page(request, status=200, values=None, error=""):
        deliveries = book.deliveries(limit=50)
        sent = {d.id: sum(1 for b in book.batches(d.id) if b.state == "sent") for d in deliveries}
        totals = {d.id: len(book.batches(d.id)) for d in deliveries}
        return site.render(request, "push.html", status=status, interests=_interests(), deliveries=deliveries,
                           sent=sent, totals=totals, values=values or {"interest": []}, error=error,
                           line_ready=bool(site.settings.line_channel_access_token), jst=JST)

    def _quota_problem(recipients: int) -> str:
        """'' when the month's quota allows ``recipients`` more messages, else the reason."""
        from bot.outreach.delivery import QuotaExceeded, check_quota
        from channels.line.multicast import LineMulticastSender

        sender = LineMulticastSender.from_settings(site.settings)
        try:
            check_quota(sender, recipients)
            return ""
        except QuotaExceeded as exc:
            return str(exc)
        except Exception:  # LINE unreachable: do not send blind
            log.warning("push: quota could not be read")
            return messages.PUSH_QUOTA_UNKNOWN
        finally:
            sender.close()

    @site.page(role="editor")
    async def push(request: Request, session):
        return await run_in_threadpool(_page, request)

    @site.page(role="editor")
    async def preview(request: Request, session):
        from channels.line.multicast import delivery_text

        values = _values(request.state.form)
        try:
            draft = await run_in_threadpool(_draft, values)
        except DraftError as exc:
            message = str(exc)
            return await run_in_threadpool(lambda: _page(request, 400, values, message))
        recipients = await run_in_threadpool(book.count_recipients, draft.keys, draft.area)
        return site.render(request, "push_preview.html", draft=draft, values=values, recipients=recipients,
                           bubble=delivery_text(draft.text, draft.url), jst=JST,
                           line_ready=bool(site.settings.line_channel_access_token))

    @site.page(role="editor")
    async def send(request: Request, session):
        form = request.state.form
        values = _values(form)
        try:
            draft = await run_in_threadpool(_draft, values)
        except DraftError as exc:
            raise Denied(400, str(exc)) from exc
        if draft.confirm_twice and form.get("confirm_twice") != "yes":
            raise Denied(400, messages.PUSH_CONFIRM_TWICE.format(topic=draft.confirm_twice[0].label))
        if not site.settings.line_channel_access_token:
            raise Denied(503, messages.PUSH_NO_LINE)
        recipients = await run_in_threadpool(book.count_recipients, draft.keys, draft.area)
        if draft.send_now:
            if recipients == 0:
                raise Denied(400, messages.PUSH_NOBODY)
            problem = await run_in_threadpool(_quota_problem, recipients)
            if problem:
                raise Denied(409, problem)
        delivery = await run_in_threadpool(lambda: book.create_delivery(
            draft.keys, draft.area, draft.text, draft.url, draft.scheduled_at, created_by=f"admin:{session.user.name}"))
        log.info("push: delivery %d composed in the admin UI", delivery.id)
        if not draft.send_now:
            return site.redirect(request, "/push", notice="push_scheduled")
        task = asyncio.create_task(_deliver(delivery.id))
        running.add(task)
        task.add_done_callback(running.discard)
        return site.redirect(request, "/push", notice="push_started")

    async def _deliver(delivery_id: int):
        from channels.line.multicast import build_engine

        def _run():
            engine = build_engine(site.settings)
            try:
                return engine.run_one(delivery_id)
            finally:
                engine.sender.close()
        try:
            await asyncio.to_thread(_run)
        except Exception:  # the server's delivery task retries what is left
            log.exception("push: delivery %d started from the admin UI failed", delivery_id)

    @site.page(role="editor")
    async def cancel(request: Request, session):
        delivery_id = request.path_params["delivery_id"]
        if not await run_in_threadpool(book.cancel, delivery_id):
            raise Denied(409, messages.PUSH_NOT_CANCELLABLE)
        return site.redirect(request, "/push", notice="push_cancelled")

    return [
        Route("/push", push, name="admin_push"),
        Route("/push/preview", preview, methods=["POST"], name="admin_push_preview"),
        Route("/push/send", send, methods=["POST"], name="admin_push_send"),
        Route("/push/{delivery_id:int}/cancel", cancel, methods=["POST"], name="admin_push_cancel"),
    ]
