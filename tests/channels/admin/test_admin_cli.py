"""``madoguchi admin`` accounts and ``madoguchi digest`` (printed, and posted to a fake Slack API)."""
from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from channels.admin.accounts import AccountStore
from channels.cli import main


def test_create_user_from_stdin_and_prompt(tmp_path, monkeypatch, capsys):
    data = str(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("a sufficiently long one\n"))
    assert main(["--data-dir", data, "admin", "create-user", "sato", "--role", "editor", "--password-stdin"]) == 0
    prompts = iter(["viewer's password", "viewer's password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(prompts))
    assert main(["--data-dir", data, "admin", "create-user", "tanaka", "--role", "viewer"]) == 0
    accounts = AccountStore(tmp_path)
    assert accounts.authenticate("sato", "a sufficiently long one").role == "editor"
    assert accounts.authenticate("tanaka", "viewer's password").role == "viewer"
    capsys.readouterr()
    assert main(["--data-dir", data, "admin", "list-users"]) == 0
    assert capsys.readouterr().out.splitlines() == ["sato\teditor", "tanaka\tviewer"]

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--data-dir", data, "admin", "create-user", "kato", "--role", "editor", "--password-stdin"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    assert main(["--data-dir", data, "admin", "create-user", "sato", "--role", "viewer", "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    # No terminal and nothing typed (</dev/null): a one-line error, not a traceback.
    def end_of_input(prompt=""):
        raise EOFError
    monkeypatch.setattr("getpass.getpass", end_of_input)
    assert main(["--data-dir", data, "admin", "create-user", "kato", "--role", "viewer"]) == 2
    assert "--password-stdin" in capsys.readouterr().err and accounts.user("kato") is None
    with pytest.raises(SystemExit) as exit_:
        main(["--data-dir", data, "admin", "create-user", "x", "--role", "admin"])
    assert exit_.value.code == 2

    token = accounts.start_session(accounts.user("sato"))
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))
    assert main(["--data-dir", data, "admin", "set-password", "sato", "--password-stdin"]) == 0
    assert accounts.session(token) is None  # a password change ends the user's sessions
    assert main(["--data-dir", data, "admin", "remove-user", "tanaka"]) == 0
    assert accounts.user("tanaka") is None


def test_digest_prints_stale_entries_per_department(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "digest", "--today", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert "2026-07-01 時点" in out and "■ 職員課" in out and "overtime#申請の期限" in out
    assert main(["--data-dir", str(data_dir), "digest", "--today", "2026-04-02"]) == 0
    assert "期限切れのエントリはありません" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "digest", "--today", "next week"]) == 2


@pytest.fixture
def fake_slack():
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()} if "urlencoded" in self.headers.get(
                "content-type", "") else json.loads(body or "{}")
            calls.append((self.path.split("?")[0], self.headers.get("authorization"), form))
            payload = json.dumps({"ok": True, "channel": "C1", "ts": "1.0"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/", calls
    server.shutdown()
    server.server_close()


def test_digest_posts_to_a_slack_channel(data_dir, fake_slack, monkeypatch, capsys):
    base_url, calls = fake_slack
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_BASE_URL", base_url)
    monkeypatch.setenv("MADOGUCHI_PUBLIC_URL", "https://madoguchi.city.example")
    assert main(["--data-dir", str(data_dir), "digest", "--today", "2026-07-01", "--slack-channel", "C0DX"]) == 0
    [(path, authorization, form)] = calls
    assert path == "/api/chat.postMessage" and authorization == "Bearer xoxb-test"
    assert form["channel"] == "C0DX" and "■ 職員課" in form["text"]
    blocks = form["blocks"] if isinstance(form["blocks"], list) else json.loads(form["blocks"])
    assert blocks[0]["type"] == "header" and any("職員課" in b.get("text", {}).get("text", "") for b in blocks)
    assert "https://madoguchi.city.example/admin/stale" in json.dumps(blocks, ensure_ascii=False)
    assert "posted digest" in capsys.readouterr().out
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main(["--data-dir", str(data_dir), "digest", "--slack-channel", "C0DX"]) == 2
