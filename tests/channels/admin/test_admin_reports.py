"""The report page's own rules (the report itself is tested in tests/bot/insights)."""
from __future__ import annotations


def test_the_report_quick_ranges_follow_the_report_time_zone(tmp_path):
    """今月 / 先月 / 直近30日 are days in report.timezone, as the report counts them (not always Japan's)."""
    from datetime import datetime, timezone

    from channels.admin.report_views import report_today
    from indexing.settings import Settings

    settings = Settings(data_dir=tmp_path)
    evening_in_utc = datetime(2026, 4, 30, 20, 0, tzinfo=timezone.utc)  # already 1 May in Japan
    assert str(report_today(settings, evening_in_utc)) == "2026-05-01"
    (tmp_path / "ledger.toml").write_text('[report]\ntimezone = "UTC"\n', encoding="utf-8")
    assert str(report_today(settings, evening_in_utc)) == "2026-04-30"


def test_dates_outside_the_logs_years_and_periods_too_long_are_refused_in_japanese(tmp_path):
    from admin_support import VIEWER, add_users, logged_in_client, make_app, make_runtime

    add_users(tmp_path)
    client, _ = logged_in_client(make_app(make_runtime(tmp_path)), VIEWER)
    for query, message in (("from=0001-01-01", "2000-01-01～2199-12-31 の範囲"), ("to=9999-12-31", "の範囲"),
                           ("from=2000-01-01&to=2100-12-31", "期間が長すぎます"), ("from=2026-13-01", "読めません")):
        for path in ("/admin/reports", "/admin/reports/report.csv"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400 and message in response.text, (path, query)


def test_the_cli_report_refuses_such_dates_with_a_message(tmp_path, capsys):
    from channels.cli import main

    (tmp_path / "data").mkdir()
    assert main(["--data-dir", str(tmp_path / "data"), "report", "--from", "0001-01-01"]) != 0
    assert "outside 2000-01-01..2199-12-31" in capsys.readouterr().err
