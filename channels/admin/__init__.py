"""Admin web UI for the DX office, mounted by the app under ``/admin``::

    Mount("/admin", routes=admin_routes(runtime))

``runtime`` needs ``.settings`` (data_dir, embedder, admin_session_secret), ``.bot`` and
``.inquiry_log``. Every route requires a logged-in DX-office account except the login
page; editors curate knowledge, viewers see the reports.
"""
from __future__ import annotations

from starlette.routing import BaseRoute


def admin_routes(runtime) -> list[BaseRoute]:
    from channels.admin import (auth_views, import_views, knowledge_views, push_views, report_views, review_views,
                                ticket_views)
    from channels.admin.web import AdminSite

    site = AdminSite(runtime)
    return [
        *auth_views.routes(site),
        *knowledge_views.routes(site),
        *import_views.routes(site),
        *review_views.routes(site),
        *report_views.routes(site),
        *push_views.routes(site),
        *ticket_views.routes(site),
    ]


__all__ = ["admin_routes"]
