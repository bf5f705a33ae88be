"""The review queue: answer a group of unanswered questions with a new FAQ entry or an
alternate phrasing of an existing one, or close it as needing no answer."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from channels.admin import messages
from channels.admin.web import AdminSite, Denied
from indexing.curation import editing, validation

MAX_GROUPS_SHOWN = 30
CANDIDATES = 3


def routes(site: AdminSite) -> list[Route]:
    store = site.store
    queue = site.queue

    def _ids(form) -> list[int]:
        ids = []
        for value in form.getlist("inquiry_id"):
            try:
                ids.append(int(value))
            except ValueError:
                continue
        return ids

    @site.page(role="editor")
    async def review(request: Request, session):
        def _load():
            groups = queue.groups()
            shown = groups[:MAX_GROUPS_SHOWN]
            candidates = {}
            for group in shown:
                hits = site.bot.search(group.question, audience=group.audience, top=CANDIDATES * 2)
                candidates[group.key] = [h for h in hits if h.entry.kind == "faq"][:CANDIDATES]
            return groups, shown, candidates, queue.recently_closed(10)
        groups, shown, candidates, closed = await run_in_threadpool(_load)
        return site.render(request, "review.html", groups=groups, shown=shown, candidates=candidates,
                           closed=closed, total=sum(g.count for g in groups))

    @site.page(role="editor")
    async def add_alternate(request: Request, session):
        form = request.state.form
        ids = _ids(form)
        # An ID typed in 「ID を指定」 wins over the candidate checked: a browser keeps the first candidate's radio
        # checked when the editor only types in the box (a click in a text field does not check its label's radio).
        entry_id = str(form.get("entry_id_manual", "")).strip() or str(form.get("entry_id", "")).strip()
        phrasing = str(form.get("phrasing", "")).strip()
        if not entry_id:
            raise Denied(400, messages.REVIEW_ENTRY_REQUIRED)
        # Closed meanwhile (another editor, a stale tab): nothing is changed.
        if not await run_in_threadpool(queue.any_open, ids):
            raise Denied(409, messages.REVIEW_NOT_FOUND)
        try:
            added = await run_in_threadpool(lambda: editing.add_alternate(
                store, entry_id, phrasing, changed_by=session.user.name, embedder_spec=site.settings.embedder))
        except validation.CurationError as exc:
            raise Denied(400, str(exc)) from exc
        closed = await run_in_threadpool(queue.close, ids, "alternate", session.user.name, entry_id)
        if not closed:
            raise Denied(409, messages.REVIEW_NOT_FOUND)
        return site.redirect(request, "/review", notice="alternate" if added else "alternate_known")

    @site.page(role="editor")
    async def dismiss(request: Request, session):
        closed = await run_in_threadpool(queue.close, _ids(request.state.form), "dismissed", session.user.name)
        if not closed:
            raise Denied(409, messages.REVIEW_NOT_FOUND)
        return site.redirect(request, "/review", notice="dismissed")

    return [
        Route("/review", review, name="admin_review"),
        Route("/review/alternate", add_alternate, methods=["POST"], name="admin_review_alternate"),
        Route("/review/dismiss", dismiss, methods=["POST"], name="admin_review_dismiss"),
    ]
