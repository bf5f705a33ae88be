"""Knowledge pages: dashboard, entry list and search, view with history, create, edit, retire,
restore, stale entries, a 'try the bot' page and the open-data FAQ download."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.admin import messages
from channels.admin.web import AdminSite, Denied
from indexing.curation import editing, listing, open_data, review_digest, validation
from indexing.dates import city_today
from indexing.entries import EDITABLE_FIELDS, ENTRY_AUDIENCES, KINDS, QUESTION_AUDIENCES, Audience

PER_PAGE = 50


def _filters(request: Request) -> listing.EntryFilter:
    q = request.query_params
    status = q.get("status", "active")
    return listing.EntryFilter(
        query=q.get("q", "").strip()[:200], kind=q.get("kind", "") if q.get("kind") in KINDS else "",
        audience=q.get("audience", "") if q.get("audience") in ENTRY_AUDIENCES else "",
        category=q.get("category", "")[:100], department=q.get("department", "")[:100],
        status=status if status in ("active", "retired") else "", stale=q.get("stale") == "1",
        incomplete=q.get("incomplete") == "1")


def _int(value, default: int = 1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def entry_form_values(form) -> dict:
    return {name: str(form.get(name, "")) for name in EDITABLE_FIELDS if name in form}


def routes(site: AdminSite) -> list[Route]:
    store = site.store
    embedder = site.settings.embedder

    def _entry_or_404(entry_id: str):
        entry = store.get(entry_id)
        if entry is None:
            raise Denied(404, messages.ENTRY_NOT_FOUND)
        return entry

    @site.page()
    async def dashboard(request: Request, session):
        if not session.user.can_edit:
            return site.redirect(request, "/reports")

        def _counts():
            active = store.entries(status="active")
            today = city_today()
            return {
                "by_kind": {k: sum(1 for e in active if e.kind == k) for k in KINDS},
                "active": len(active),
                "retired": len(store.entries(status="retired")),
                "stale": sum(1 for e in active if validation.is_stale(e, today)),
                "incomplete": sum(1 for e in active if validation.missing_metadata(e)),
                "review": len(site.queue.open_items()),
                "version": store.knowledge_version(),
            }
        return site.render(request, "dashboard.html", counts=await run_in_threadpool(_counts))

    @site.page(role="editor")
    async def entry_list(request: Request, session):
        criteria = _filters(request)
        page = await run_in_threadpool(listing.find_entries, store, criteria, _int(request.query_params.get("page")),
                                       PER_PAGE)
        facets = await run_in_threadpool(listing.facet_values, store)
        params = {k: v for k, v in request.query_params.items() if k not in ("page", "notice")}
        if "status" not in params:
            params["status"] = "active"
        return site.render(request, "entries.html", page=page, criteria=criteria, facets=facets, params=params,
                           today=city_today(), is_stale=validation.is_stale)

    def _form_context(request, entry=None, values=None, errors=None, **extra):
        facets = listing.facet_values(store)
        return dict(entry=entry, values=values or {}, errors=errors or {}, facets=facets,
                    audiences=ENTRY_AUDIENCES, **extra)

    @site.page(role="editor")
    async def entry_new(request: Request, session):
        review = None
        if request.method == "GET":
            values = {"audience": "citizen", "updated": city_today().isoformat(),
                      "review_by": validation.default_review_by()}
            key = _int(request.query_params.get("review"), 0)
            if key:
                review = await run_in_threadpool(site.queue.group, key)
                if review is None:
                    raise Denied(404, messages.REVIEW_NOT_FOUND)
                values.update(title=review.question, audience=review.audience)
            ticket_id = _int(request.query_params.get("ticket"), 0)
            if ticket_id:  # 「FAQにする」 on an answered ticket (channels/admin/ticket_views.py)
                from channels.admin.ticket_views import can_become_faq, faq_draft_values

                ticket = await run_in_threadpool(site.tickets.get, ticket_id)
                if ticket is None or not can_become_faq(ticket):
                    raise Denied(404, messages.TICKET_NOT_FOUND)
                values.update(faq_draft_values(ticket))
            suggested = await run_in_threadpool(validation.next_entry_id, store)
            return site.render(request, "entry_form.html", **_form_context(
                request, values=values, suggested_id=suggested, review=review, creating=True))
        form = request.state.form
        values = entry_form_values(form)
        entry_id = str(form.get("id", "")).strip()
        suggested_id = str(form.get("suggested_id", "")).strip()
        review_ids = [_int(i, 0) for i in form.getlist("inquiry_id")]
        try:
            entry = await run_in_threadpool(lambda: editing.create_entry(
                store, values, changed_by=session.user.name, embedder_spec=embedder, entry_id=entry_id,
                suggested_id=suggested_id))
        except validation.CurationError as exc:
            key = _int(form.get("review"), 0)
            review = await run_in_threadpool(site.queue.group, key) if key else None
            suggested = await run_in_threadpool(validation.next_entry_id, store)
            return site.render(request, "entry_form.html", status=400, **_form_context(
                request, values={**values, "id": entry_id}, errors=exc.errors, message=str(exc),
                suggested_id=suggested, review=review, review_ids=review_ids, creating=True))
        if review_ids:
            await run_in_threadpool(site.queue.close, review_ids, "new_entry", session.user.name, entry.id)
            return site.redirect(request, "/review", notice="answered")
        return site.redirect(request, "/entries/" + _quote(entry.id), notice="created")

    @site.page(role="editor")
    async def entry_view(request: Request, session):
        entry = _entry_or_404(request.path_params["entry_id"])
        history = await run_in_threadpool(editing.entry_history, store, entry.id)
        return site.render(request, "entry.html", entry=entry, history=history,
                           stale=validation.is_stale(entry), missing=validation.missing_metadata(entry),
                           from_file=entry.source not in ("", editing.ADMIN_SOURCE))

    @site.page(role="editor")
    async def entry_edit(request: Request, session):
        entry = _entry_or_404(request.path_params["entry_id"])
        if request.method == "GET":
            values = {name: getattr(entry, name) for name in EDITABLE_FIELDS if name != "alternates"}
            values["alternates"] = "\n".join(entry.alternates)
            # Entries imported without freshness data get sensible defaults to confirm.
            values["updated"] = values["updated"] or city_today().isoformat()
            values["review_by"] = values["review_by"] or validation.default_review_by()
            return site.render(request, "entry_form.html", **_form_context(
                request, entry=entry, values=values, from_file=entry.source not in ("", editing.ADMIN_SOURCE),
                version=editing.edit_version(entry)))
        values = entry_form_values(request.state.form)
        # The version the form was opened on: a save over another editor's newer change is refused once
        # (the form comes back with the current version, so saving again overwrites on purpose).
        expected = str(request.state.form.get("version", ""))
        try:
            _, changed = await run_in_threadpool(lambda: editing.update_entry(
                store, entry.id, values, changed_by=session.user.name, embedder_spec=embedder,
                expected_version=expected))
        except editing.EditConflict as exc:
            return site.render(request, "entry_form.html", status=409, **_form_context(
                request, entry=exc.current, values=values, message=str(exc), conflict=True,
                version=editing.edit_version(exc.current)))
        except validation.CurationError as exc:
            return site.render(request, "entry_form.html", status=400, **_form_context(
                request, entry=entry, values=values, errors=exc.errors, message=str(exc), version=expected))
        return site.redirect(request, "/entries/" + _quote(entry.id), notice="saved" if changed else "unchanged")

    @site.page(role="editor")
    async def entry_retire(request: Request, session):
        entry = _entry_or_404(request.path_params["entry_id"])
        if request.method == "GET":
            return site.render(request, "retire.html", entry=entry)
        await run_in_threadpool(lambda: editing.retire_entry(store, entry.id, session.user.name, embedder))
        return site.redirect(request, "/entries/" + _quote(entry.id), notice="retired")

    @site.page(role="editor")
    async def entry_restore(request: Request, session):
        entry = _entry_or_404(request.path_params["entry_id"])
        await run_in_threadpool(lambda: editing.restore_entry(store, entry.id, session.user.name, embedder))
        return site.redirect(request, "/entries/" + _quote(entry.id), notice="restored")

    @site.page(role="editor")
    async def stale(request: Request, session):
        digest = await run_in_threadpool(review_digest.freshness_digest, store)
        return site.render(request, "stale.html", digest=digest)

    @site.page(role="editor")
    async def try_bot(request: Request, session):
        question = request.query_params.get("q", "").strip()[:1000]
        audience = request.query_params.get("audience", "citizen")
        audience = audience if audience in QUESTION_AUDIENCES else Audience.CITIZEN
        answer = await run_in_threadpool(site.bot.answer, question, audience) if question else None
        return site.render(request, "try.html", question=question, audience=audience, answer=answer)

    @site.page(role="editor")
    async def export_faq(request: Request, session):
        code, name = site.settings.city_identity
        data = await run_in_threadpool(open_data.open_data_csv, store, code, name)
        filename = f"faq-opendata-{city_today():%Y%m%d}.csv"
        return Response(data, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    return [
        Route("/", dashboard, name="admin_dashboard"),
        Route("/entries", entry_list, name="admin_entries"),
        Route("/entries/new", entry_new, methods=["GET", "POST"], name="admin_entry_new"),
        Route("/entries/{entry_id:path}/edit", entry_edit, methods=["GET", "POST"], name="admin_entry_edit"),
        Route("/entries/{entry_id:path}/retire", entry_retire, methods=["GET", "POST"], name="admin_entry_retire"),
        Route("/entries/{entry_id:path}/restore", entry_restore, methods=["POST"], name="admin_entry_restore"),
        Route("/entries/{entry_id:path}", entry_view, name="admin_entry"),
        Route("/stale", stale, name="admin_stale"),
        Route("/try", try_bot, name="admin_try"),
        Route("/export/faq.csv", export_faq, name="admin_export_faq"),
    ]


def _quote(entry_id: str) -> str:
    from urllib.parse import quote

    return quote(entry_id, safe="")
