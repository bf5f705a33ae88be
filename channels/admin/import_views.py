"""Imports from the browser: upload → preview (added / changed / retired / bad rows) → apply.

The apply runs beside the request (channels/admin/import_jobs.py): a small file's result is shown at
once, a large one's progress on a page that reloads itself until the apply is done."""
from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.routing import Route

from channels.admin import messages
from channels.admin.import_jobs import ImportJobs
from channels.admin.uploads import UploadError, UploadStore
from channels.admin.web import UPLOAD_LIMIT_BYTES, AdminSite, Denied
from indexing.curation import admin_import, listing, validation
from indexing.dates import city_today
from indexing.entries import ENTRY_AUDIENCES
from indexing.loaders import KnowledgeFileError

log = logging.getLogger(__name__)
DEFAULT_FIELDS = ("department", "category", "url", "updated", "review_by")
AUTO_SOURCE = ""          # replace the existing file of the same name, else add as new
NEW_SOURCE = "__new__"
# The apply request waits this long for the apply to end before it shows the progress page instead.
APPLY_WAIT_SECONDS = 8.0
# The progress page reloads itself this often.
PROGRESS_RELOAD_SECONDS = 2


def routes(site: AdminSite) -> list[Route]:
    store = site.store
    uploads = UploadStore(site.data_dir)
    jobs = ImportJobs()

    def _upload_or_404(token: str):
        upload = uploads.get(token)
        if upload is None:
            raise Denied(404, messages.UPLOAD_NOT_FOUND)
        return upload

    def _import_args(upload) -> dict:
        options = upload.options
        source = options.get("source", AUTO_SOURCE)
        if source == NEW_SOURCE:
            source = upload.name
        elif source == AUTO_SOURCE:
            source = admin_import.known_source_for(store, upload.name)
        return {"paths": [upload.path], "audience": options.get("audience", ""),
                "source_keys": {upload.name: source}, "defaults": options.get("defaults", {})}

    def _form_page(request, status=200, error="", values=None):
        return site.render(request, "import_form.html", status=status, error=error, values=values or {
            "updated": city_today().isoformat(), "review_by": validation.default_review_by()},
            sources=admin_import.source_keys(store), audiences=ENTRY_AUDIENCES,
            facets=listing.facet_values(store), replace=request.query_params.get("replace", ""))

    @site.page(role="editor", uploads=True)
    async def upload(request: Request, session):
        if request.method == "GET":
            return await run_in_threadpool(_form_page, request)
        form = request.state.form
        file = form.get("file")
        values = {k: str(form.get(k, "")).strip() for k in (*DEFAULT_FIELDS, "audience", "source")}
        if not isinstance(file, UploadFile) or not file.filename:
            return await run_in_threadpool(lambda: _form_page(request, 400, messages.UPLOAD_NO_FILE, values))
        data = await file.read(UPLOAD_LIMIT_BYTES + 1)
        if len(data) > UPLOAD_LIMIT_BYTES:
            raise Denied(413, messages.TOO_LARGE)
        defaults = {k: values[k] for k in DEFAULT_FIELDS if values[k]}
        for name in ("updated", "review_by"):
            if name in defaults:
                parsed = validation.parse_date(defaults[name])
                defaults[name] = parsed.isoformat() if parsed else ""
        options = {"audience": values["audience"] if values["audience"] in ENTRY_AUDIENCES else "",
                   "source": values["source"], "defaults": {k: v for k, v in defaults.items() if v}}
        try:
            saved = await run_in_threadpool(uploads.save, file.filename, data, session.user.name, options)
        except UploadError:
            return await run_in_threadpool(lambda: _form_page(request, 400, messages.UPLOAD_BAD_TYPE, values))
        replaced = str(form.get("replace", ""))
        if replaced:
            await run_in_threadpool(uploads.remove, replaced)
        return site.redirect(request, f"/imports/{saved.token}")

    @site.page(role="editor")
    async def preview(request: Request, session):
        upload = _upload_or_404(request.path_params["token"])
        args = _import_args(upload)
        plan = await run_in_threadpool(lambda: admin_import.preview_import(store, **args))
        return site.render(request, "import_preview.html", upload=upload, plan=plan,
                           source=args["source_keys"][upload.name])

    @site.page(role="editor")
    async def apply(request: Request, session):
        token = request.path_params["token"]
        upload = uploads.get(token)
        if upload is None:
            # A second click that arrives after the first click's apply ended and removed the file.
            return await _earlier_apply(request, token)
        job = jobs.get(token)
        if job is None or job.error:
            args = _import_args(upload)
            try:
                plan = await run_in_threadpool(lambda: admin_import.preview_import(store, **args))
            except (OSError, KnowledgeFileError):
                # Applied meanwhile by another click, which removed the file (「ファイルまたはフォルダがありません」
                # from the file list, or the read itself).
                return await _earlier_apply(request, token)
            source = args["source_keys"][upload.name]
            if plan.problems and request.state.form.get("skip_problems") != "1":
                return site.render(request, "import_preview.html", status=400, upload=upload, plan=plan,
                                   source=source, error=messages.UPLOAD_SKIP_REQUIRED)
            if plan.mass_retirement and request.state.form.get("confirm_retirement") != "1":
                return site.render(request, "import_preview.html", status=400, upload=upload, plan=plan,
                                   source=source, error=messages.UPLOAD_RETIRE_CONFIRM)
            name, embedder = session.user.name, site.settings.embedder

            def work(progress):
                result = admin_import.apply_import(store, changed_by=name, embedder_spec=embedder,
                                                   progress=progress, **args)
                try:
                    uploads.remove(upload.token)  # only once the apply has committed
                except Exception:  # noqa: BLE001 - the apply stands; a stale upload expires on its own
                    log.exception("removing applied upload %s failed", upload.token[:8])
                return result

            job = jobs.start(upload.token, name, work, shown_errors=(validation.CurationError,),
                             context={"upload": upload, "plan": plan, "source": source})
        return await _shown(request, job, upload.token)

    async def _earlier_apply(request: Request, token: str):
        """The page of the apply another click ran on this upload (which removed its file), else 404."""
        job = jobs.get(token)
        if job is None:
            raise Denied(404, messages.UPLOAD_NOT_FOUND) from None
        return await _shown(request, job, token)

    async def _shown(request: Request, job, token: str):
        """The job's result once it ends within the wait, else its progress page."""
        if await run_in_threadpool(job.wait, APPLY_WAIT_SECONDS):
            return _finished_page(request, job)
        return site.redirect(request, f"/imports/{token}/progress")

    @site.page(role="editor")
    async def progress(request: Request, session):
        token = request.path_params["token"]
        job = jobs.get(token)
        if job is None:
            if await run_in_threadpool(uploads.get, token) is not None:
                return site.redirect(request, f"/imports/{token}")  # not applied (or applied on another host)
            raise Denied(404, messages.UPLOAD_NOT_FOUND)
        if job.running:
            response = site.render(request, "import_progress.html", job=job, upload=job.context["upload"],
                                   source=job.context["source"], reload_seconds=PROGRESS_RELOAD_SECONDS)
            response.headers["Refresh"] = str(PROGRESS_RELOAD_SECONDS)
            response.headers["Cache-Control"] = "no-store"
            return response
        return _finished_page(request, job)

    def _finished_page(request: Request, job):
        context = job.context
        if job.error:
            return site.render(request, "import_preview.html", status=400, upload=context["upload"],
                               plan=context["plan"], source=context["source"], error=job.error)
        return site.render(request, "import_done.html", upload=context["upload"], plan=job.result,
                           source=context["source"])

    @site.page(role="editor")
    async def discard(request: Request, session):
        upload = _upload_or_404(request.path_params["token"])
        await run_in_threadpool(uploads.remove, upload.token)
        return site.redirect(request, "/imports", notice="discarded")

    return [
        Route("/imports", upload, methods=["GET", "POST"], name="admin_imports"),
        Route("/imports/{token}", preview, name="admin_import_preview"),
        Route("/imports/{token}/apply", apply, methods=["POST"], name="admin_import_apply"),
        Route("/imports/{token}/progress", progress, name="admin_import_progress"),
        Route("/imports/{token}/discard", discard, methods=["POST"], name="admin_import_discard"),
    ]
