"""Helpers shared by the admin tests: a small app mounting the admin routes, accounts, logins.

(No tests here; the other ``test_admin_*`` modules import from it.)
"""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

EDITOR = ("editor1", "correct horse battery")
VIEWER = ("viewer1", "viewer password 123")


def make_runtime(data_dir: Path, with_log: bool = True):
    from bot.service import Bot
    from indexing.settings import Settings

    inquiry_log = None
    if with_log:
        from bot.insights.inquiry_log import InquiryLog
        inquiry_log = InquiryLog(data_dir, user_key_secret="test")
    settings = Settings(data_dir=Path(data_dir), admin_session_secret="test-session-secret")
    return SimpleNamespace(settings=settings, bot=Bot(data_dir, inquiry_log=inquiry_log), inquiry_log=inquiry_log)


def make_app(runtime) -> Starlette:
    from channels.admin import admin_routes

    return Starlette(routes=[Mount("/admin", routes=admin_routes(runtime))])


def add_users(data_dir: Path):
    from channels.admin.accounts import AccountStore

    accounts = AccountStore(data_dir)
    for (name, password), role in ((EDITOR, "editor"), (VIEWER, "viewer")):
        if accounts.user(name) is None:
            accounts.create_user(name, password, role)
    return accounts


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: TestClient, name: str, password: str):
    page = client.get("/admin/login")
    return client.post("/admin/login", data={"name": name, "password": password, "csrf_token": csrf_of(page.text),
                                             "next": ""}, follow_redirects=False)


def logged_in_client(app, user=EDITOR, base_url: str = "http://testserver") -> tuple[TestClient, str]:
    """A client logged in as ``user`` and the session's CSRF token."""
    client = TestClient(app, base_url=base_url)
    response = login(client, *user)
    assert response.status_code == 303, response.text
    token = csrf_of(client.get("/admin/reports").text)
    return client, token
