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
