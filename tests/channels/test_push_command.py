"""``madoguchi push send|run|list`` and the server's delivery task, against the fake LINE API."""
from __future__ import annotations

from datetime import timedelta

import pytest

from fakes.line_api import FakeLineApi
from fakes.webhooks import LINE_TOKEN

from indexing.storage.outreach import OutreachBook, now_utc
from channels.cli import main
from channels.line.multicast import build_engine
from indexing.settings import Settings


@pytest.fixture
def line_api():
    with FakeLineApi(access_token=LINE_TOKEN) as fake:
        yield fake


def users(prefix: str, count: int) -> list[str]:
    return [f"U{prefix}{n:08d}" for n in range(count)]


@pytest.fixture
def cli_env(monkeypatch, fresh_data_dir, line_api):
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", LINE_TOKEN)
    monkeypatch.setenv("LINE_API_BASE_URL", line_api.url)
    monkeypatch.setenv("MADOGUCHI_DATA_DIR", str(fresh_data_dir))
    book = OutreachBook(fresh_data_dir)
    book.subscribe_many([(u, ["bousai", "gomi"], "北地区") for u in users("c", 30)])
    return book


def test_send_without_yes_and_without_a_terminal_is_refused(cli_env, line_api, capsys):
    assert main(["push", "send", "--interest", "gomi", "--text", "収集日のお知らせ"]) == 2
    out, err = capsys.readouterr()
    assert "送信対象: 30 人" in out and "収集日のお知らせ" in out and "--yes" in err
    assert line_api.multicasts() == [] and cli_env.deliveries() == []


def test_bousai_needs_a_second_confirmation(cli_env, line_api, capsys):
    assert main(["push", "send", "--interest", "bousai", "--text", "避難所を開設しました。", "--yes"]) == 2
    assert "--yes --yes" in capsys.readouterr().err
    assert line_api.multicasts() == []
    assert main(["push", "send", "--interest", "bousai", "--text", "避難所を開設しました。", "--yes", "--yes"]) == 0
    assert len(line_api.delivered) == 30
    assert main(["push", "list"]) == 0
    assert "sent" in capsys.readouterr().out


def test_send_refuses_unknown_topics_and_areas_and_over_quota(cli_env, line_api, capsys):
    assert main(["push", "send", "--interest", "nosuch", "--text", "x", "--yes"]) == 2
    assert "kosodate" in capsys.readouterr().err
    assert main(["push", "send", "--interest", "gomi", "--area", "月面", "--text", "x", "--yes"]) == 2
    line_api.quota_limit, line_api.quota_used = 1000, 990
    assert main(["push", "send", "--interest", "gomi", "--text", "x", "--yes"]) == 2
    assert "送信できません" in capsys.readouterr().err
    assert line_api.multicasts() == [] and cli_env.deliveries() == []


def test_a_scheduled_delivery_is_sent_by_run_when_due(cli_env, line_api, capsys, fresh_data_dir):
    at = (now_utc() + timedelta(hours=2)).astimezone().isoformat(timespec="minutes")
    assert main(["push", "send", "--interest", "gomi", "--area", "北地区", "--text", "粗大ごみ", "--at", at,
                 "--yes"]) == 0
    assert "予約しました" in capsys.readouterr().out
    assert main(["push", "run"]) == 0
    assert "nothing due" in capsys.readouterr().out and line_api.multicasts() == []
    settings = Settings(data_dir=fresh_data_dir, line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url)
    results = build_engine(settings).run_due(now=now_utc() + timedelta(hours=3))
    assert [r.state for r in results] == ["sent"] and len(line_api.delivered) == 30


def test_the_server_delivers_what_is_due(fresh_data_dir, line_api):
    from fakes.server import serve_app

    book = OutreachBook(fresh_data_dir)
    book.subscribe_many([(u, ["event"], None) for u in users("srv", 7)])
    book.create_delivery(["event"], None, "まつりのお知らせ", "", now_utc(), "test")
    settings = Settings(data_dir=fresh_data_dir, line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url)
    with serve_app(settings):
        line_api.wait_for(lambda f: len(f.delivered) == 7, 30, what="the due delivery")
    assert book.deliveries()[0].state == "sent"


def test_on_a_terminal_bousai_asks_twice_and_the_second_answer_must_be_the_label(cli_env, line_api, fresh_data_dir):
    """The interactive path, through a real pseudo-terminal."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    command = [sys.executable, "-m", "channels.cli", "push", "send", "--interest", "bousai", "--text", "避難訓練"]

    def run(answers: str) -> subprocess.CompletedProcess:
        controller, terminal = pty.openpty()
        try:
            os.write(controller, answers.encode("utf-8"))
            return subprocess.run(command, stdin=terminal, capture_output=True, text=True, env=env, cwd=repo,
                                  timeout=120)
        finally:
            os.close(terminal)
            os.close(controller)

    declined = run("y\nはい\n")            # the second answer is not the label: nothing is sent
    assert declined.returncode == 0 and "取り消しました" in declined.stdout
    assert "「防災」と入力" in declined.stderr
    assert cli_env.deliveries() == [] and line_api.multicasts() == []
    confirmed = run("y\n防災\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert len(line_api.delivered) == 30 and cli_env.deliveries()[0].state == "sent"
