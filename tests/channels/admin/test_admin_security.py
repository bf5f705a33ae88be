"""Access control of the admin UI: login, sessions, CSRF, roles, throttling, cookies."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from channels.admin import admin_routes
from channels.admin.accounts import AccountStore, hash_password, verify_password
from indexing.storage.knowledge import KnowledgeStore
from admin_support import EDITOR, VIEWER, add_users, csrf_of, logged_in_client, login, make_app, make_runtime

PUBLIC = {"/login"}
SAMPLE_PARAMS = {"entry_id": "101", "token": "A" * 32, "format": "csv", "delivery_id": "1"}


@pytest.fixture
def runtime(backend_data_dir):
    add_users(backend_data_dir)
    return make_runtime(backend_data_dir)


@pytest.fixture
def app(runtime):
    return make_app(runtime)


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLE_PARAMS[m.group(1)], path)


def test_every_admin_route_refuses_anonymous_requests(app, runtime):
    client = TestClient(app)
    routes = admin_routes(runtime)
    checked = 0
    for route in routes:
        if route.path in PUBLIC:
            continue
        url = "/admin" + _concrete(route.path)
        for method in sorted(route.methods - {"HEAD"}):
            response = client.request(method, url, data={"csrf_token": "x"}, follow_redirects=False)
            if method == "GET":
                assert response.status_code == 303, (method, url)
                assert response.headers["location"].startswith("/admin/login?next="), url
            else:
                assert response.status_code == 403, (method, url, response.status_code)
            assert "粗大ごみ" not in response.text and "editor1" not in response.text
            checked += 1
    assert checked >= 20
    # And nothing changed on the way.
    assert KnowledgeStore(runtime.settings.data_dir).get("101").status == "active"


def test_login_logout_and_the_session_cookie(app, runtime):
    client = TestClient(app)
    failed = login(client, EDITOR[0], "wrong password")
    assert failed.status_code == 401 and "ユーザー名またはパスワードが違います" in failed.text
    response = login(client, *EDITOR)
    assert response.status_code == 303 and response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"]
    assert "madoguchi_admin=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/admin" in cookie and "Secure" not in cookie
    page = client.get("/admin/entries")
    assert page.status_code == 200 and "粗大ごみ" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"

    stolen = dict(client.cookies)
    client.post("/admin/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    # Logging out ends the session server-side: a copy of the old cookie is useless.
    replay = TestClient(app, cookies=stolen)
    assert replay.get("/admin/entries", follow_redirects=False).status_code == 303


def test_secure_cookie_over_https(app):
    client = TestClient(app, base_url="https://admin.example")
    response = login(client, *EDITOR)
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]


def test_tampered_or_forged_session_cookie_is_refused(app):
    client, _ = logged_in_client(app)
    value = client.cookies["madoguchi_admin"]
    forged = TestClient(app, cookies={"madoguchi_admin": value[:-2] + ("AA" if not value.endswith("AA") else "BB")})
    assert forged.get("/admin/entries", follow_redirects=False).status_code == 303


def test_form_posts_need_the_sessions_csrf_token(app, runtime):
    client, token = logged_in_client(app)
    form = {"title": "改ざん", "body": "改ざん", "audience": "citizen", "department": "総合案内",
            "updated": "2026-01-01", "review_by": "2027-01-01"}
    for bad in ({}, {"csrf_token": ""}, {"csrf_token": "x" * 43}):
        response = client.post("/admin/entries/101/edit", data={**form, **bad}, follow_redirects=False)
        assert response.status_code == 403 and "不正な送信" in response.text
    assert client.post("/admin/entries/101/retire", data={}, follow_redirects=False).status_code == 403
    store = KnowledgeStore(runtime.settings.data_dir)
    assert store.get("101").title != "改ざん" and store.get("101").status == "active"
    # A cross-site form post with a valid token is refused too (Origin check).
    hostile = client.post("/admin/entries/101/retire", data={"csrf_token": token},
                          headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert hostile.status_code == 403 and store.get("101").status == "active"
    # ... also with the other site named as the forwarded host: no proxy is configured, so anyone could send it.
    forged = client.post("/admin/entries/101/retire", data={"csrf_token": token},
                         headers={"Origin": "https://evil.example", "X-Forwarded-Host": "evil.example"},
                         follow_redirects=False)
    assert forged.status_code == 403 and store.get("101").status == "active"
    ok = client.post("/admin/entries/101/edit", data={**form, "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303 and store.get("101").title == "改ざん"
    # The login form has its own token.
    fresh = TestClient(app)
    no_token = fresh.post("/admin/login", data={"name": EDITOR[0], "password": EDITOR[1]}, follow_redirects=False)
    assert no_token.status_code == 403 and "madoguchi_admin=" not in no_token.headers.get("set-cookie", "")


def test_viewer_sees_reports_but_cannot_edit(app, runtime):
    runtime.bot.ask("パスポートを作りたい", channel="web", user_id="u1")
    client, token = logged_in_client(app, VIEWER)
    report = client.get("/admin/reports")
    assert report.status_code == 200 and "問い合わせ対応レポート" in report.text
    assert "'unsafe-hashes'" in report.headers["content-security-policy"]  # the report's own styles, by hash
    download = client.get("/admin/reports/report.csv")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    # A wrong period is explained in Japanese, not with the command line's English.
    swapped = client.get("/admin/reports", params={"from": "2026-12-01", "to": "2026-11-01"})
    assert swapped.status_code == 400 and "開始日（2026-12-01）が終了日（2026-11-01）より後" in swapped.text
    unreadable = client.get("/admin/reports", params={"from": "2026/12/01"})
    assert unreadable.status_code == 400 and "開始日「2026/12/01」を読めません" in unreadable.text
    assert client.get("/admin/", follow_redirects=False).headers["location"] == "/admin/reports"
    for url in ("/admin/entries", "/admin/entries/101", "/admin/entries/101/edit", "/admin/review",
                "/admin/imports", "/admin/export/faq.csv", "/admin/stale"):
        assert client.get(url).status_code == 403, url
    edit = client.post("/admin/entries/101/edit", data={"csrf_token": token, "title": "viewer", "body": "x"},
                       follow_redirects=False)
    assert edit.status_code == 403 and "編集者の権限" in edit.text
    assert client.post("/admin/entries/101/retire", data={"csrf_token": token}).status_code == 403
    assert KnowledgeStore(runtime.settings.data_dir).get("101").status == "active"
    # Navigation shows a viewer only what a viewer may open.
    assert "/admin/entries" not in client.get("/admin/reports").text


@pytest.fixture
def clock(monkeypatch):
    """The accounts module's clock, moved by the test (no sleeping through throttling delays)."""
    from datetime import datetime, timedelta, timezone

    from channels.admin import accounts

    state = {"now": datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)}
    monkeypatch.setattr(accounts, "_now", lambda: state["now"])

    def advance(seconds: float):
        state["now"] += timedelta(seconds=seconds)
    return advance


def test_login_throttling_slows_a_guesser_without_locking_the_owner_out(app, runtime, clock):
    from channels.admin.accounts import FREE_FAILURES

    guesser = TestClient(app, client=("203.0.113.9", 50000))
    for _ in range(FREE_FAILURES):
        assert login(guesser, EDITOR[0], "not the password").status_code == 401
    slowed = login(guesser, *EDITOR)  # even the right password, from this client, for a moment
    assert slowed.status_code == 429 and slowed.headers["retry-after"] == "2" and "2秒ほど" in slowed.text
    # The owner's browser has not failed: it logs in at once.
    owner = TestClient(app, client=("198.51.100.4", 50000))
    assert login(owner, *EDITOR).status_code == 303
    # The guesser's delays grow: 2 s, then 4 s, then 8 s ... (and each wait ends).
    clock(2)
    assert login(guesser, EDITOR[0], "still not it").status_code == 401
    assert login(guesser, EDITOR[0], "again").headers["retry-after"] == "4"
    clock(4)
    assert login(guesser, *EDITOR).status_code == 303  # a correct password once the wait is over
    # Other accounts are not slowed by attempts on this one.
    assert login(TestClient(app, client=("203.0.113.9", 50001)), *VIEWER).status_code == 303


def test_every_login_attempt_is_audited_without_the_password(app, runtime, clock):
    accounts = AccountStore(runtime.settings.data_dir)
    client = TestClient(app, client=("203.0.113.9", 50000))
    login(client, EDITOR[0], "wrong password 1")
    login(client, "correct horse battery", "typed into the name field")  # not an account: not stored
    login(client, *EDITOR)
    rows = accounts.login_audit()
    assert [r["outcome"] for r in rows] == ["ok", "failed", "failed"]
    assert [r["account"] for r in rows] == [EDITOR[0], "(unknown)", EDITOR[0]]
    assert {r["client"] for r in rows} == {"203.0.113.x"}
    dump = repr(list(accounts.db.query("select * from admin_login_audit"))) + \
        repr(list(accounts.db.query("select * from admin_login_failures")))
    assert "wrong password" not in dump and "battery" not in dump and "203.0.113.9" not in repr(rows)


def test_a_distributed_attack_stops_failed_clients_but_not_fresh_ones(backend_data_dir, clock):
    from channels.admin.accounts import ACCOUNT_CEILING

    accounts = add_users(backend_data_dir)
    for n in range(ACCOUNT_CEILING):
        accounts.record_login_failure(EDITOR[0], f"10.0.{n // 250}.{n % 250}")
    clock(60)  # every per-client delay has passed; the account ceiling still holds
    assert accounts.login_wait(EDITOR[0], "10.0.0.1") > 0
    assert accounts.login_wait(EDITOR[0], "192.0.2.1") == 0
    assert accounts.login_wait(VIEWER[0], "10.0.0.1") == 0


def test_masked_addresses():
    from channels.admin.accounts import masked_address

    assert masked_address("203.0.113.77") == "203.0.113.x"
    assert masked_address("2001:db8:1234:5678::1") == "2001:db8:1234::x"
    assert masked_address("testclient") == "unknown"


def test_no_open_redirect_after_login(app):
    for target, expected in (("https://evil.example/", "/admin/"), ("//evil.example/", "/admin/"),
                             ("/admin/stale", "/admin/stale")):
        client = TestClient(app)
        page = client.get("/admin/login")
        response = client.post("/admin/login", data={"name": EDITOR[0], "password": EDITOR[1], "next": target,
                                                     "csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert response.headers["location"] == expected


def test_passwords_are_salted_scrypt_hashes(backend_data_dir):
    accounts = AccountStore(backend_data_dir)
    accounts.create_user("hashcheck", "a long password!", "viewer")
    stored = next(iter(accounts.db.query("select password_hash from admin_users where name = 'hashcheck'")))
    assert stored["password_hash"].startswith("scrypt$") and "a long password!" not in stored["password_hash"]
    assert hash_password("same password") != hash_password("same password")  # per-user salt
    assert verify_password("a long password!", stored["password_hash"])
    assert not verify_password("a long password?", stored["password_hash"])
    assert accounts.authenticate("nobody", "a long password!") is None


def test_uploaded_file_names_cannot_escape_the_upload_folder(app, runtime):
    client, token = logged_in_client(app)
    data = "ID,問い合わせ文,応答文,カテゴリ\n900,テスト？,テストです。,テスト\n".encode()
    response = client.post("/admin/imports", data={"csrf_token": token},
                           files={"file": ("../../../etc/evil.csv", data, "text/csv")}, follow_redirects=False)
    assert response.status_code == 303
    upload_root = runtime.settings.data_dir / "uploads"
    [stored] = list(upload_root.rglob("*.csv"))
    assert stored.name == "evil.csv" and upload_root in stored.parents
    assert client.get("/admin/imports/" + "../" * 3 + "etc").status_code in (403, 404)
    refused = client.post("/admin/imports", data={"csrf_token": token},
                          files={"file": ("run.sh", b"echo hi", "text/plain")})
    assert refused.status_code == 400 and "取り込めるのは" in refused.text


def test_without_a_configured_secret_one_is_generated_once_and_kept_private(backend_data_dir):
    from dataclasses import replace

    add_users(backend_data_dir)
    runtime = make_runtime(backend_data_dir, with_log=False)
    runtime.settings = replace(runtime.settings, admin_session_secret="")
    client, _ = logged_in_client(make_app(runtime))
    secret_file = backend_data_dir / "admin-session.secret"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    # A restarted server (a new app on the same data dir) accepts the existing session.
    restarted = TestClient(make_app(runtime), cookies=dict(client.cookies))
    assert restarted.get("/admin/entries", follow_redirects=False).status_code == 200


def test_a_next_with_cr_lf_or_non_ascii_goes_to_the_admin_home(app):
    for target in ("/admin/\r\nSet-Cookie: x=1", "/admin/\nLocation: https://evil.example/", "/admin/ページ"):
        client = TestClient(app)
        page = client.get("/admin/login")
        response = client.post("/admin/login", data={"name": EDITOR[0], "password": EDITOR[1], "next": target,
                                                     "csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/admin/"


def test_text_sent_after_the_session_ended_is_shown_back_not_lost(app, runtime):
    # An editor typed an answer for longer than the session lasts: the post is refused, and what was
    # typed is shown back to copy (nothing saved).
    client = TestClient(app)
    typed = {"csrf_token": "tok-9f3e", "version": "3", "title": "粗大ごみの回収日は？",
             "body": "毎月第2・第4水曜日です。\n前日までに申し込んでください。<script>x</script>"}
    response = client.post("/admin/entries/101/edit", data=typed, follow_redirects=False,
                           headers={"Origin": "http://testserver", "Referer": "http://testserver/admin/entries/101/edit"})
    assert response.status_code == 403 and "保存されていません" in response.text
    assert "毎月第2・第4水曜日です。" in response.text and "&lt;script&gt;" in response.text
    assert "tok-9f3e" not in response.text and 'href="/admin/login?next=/admin/entries/101/edit"' in response.text
    assert KnowledgeStore(runtime.settings.data_dir).get("101").title != "粗大ごみの回収日は？"
    # Only what an editor types is shown: not an upload token or another hidden field.
    apply = client.post("/admin/imports/" + "A" * 32 + "/apply", data={"csrf_token": "tok-9f3e", "replace": "upload-token-77",
                                                     "source": "faq/a.csv"},
                        headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert apply.status_code == 403 and "upload-token-77" not in apply.text and "faq/a.csv" not in apply.text
    # Another site's post, or one with no Origin or Referer, gets no text back.
    for headers in ({"Origin": "https://evil.example"}, {}):
        refused = client.post("/admin/entries/101/edit", data=typed, headers=headers, follow_redirects=False)
        assert refused.status_code == 403 and "毎月第2" not in refused.text
