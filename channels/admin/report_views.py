"""The managers' report (bot.insights.report) inside the admin UI, for editors and viewers alike.

The report is embedded as rendered by ``bot.insights.report_render.render_html(standalone=False)``; its
own ``<style>`` block and ``style`` attributes are allowed by their hashes in this page's
Content-Security-Policy, so the admin UI keeps running with no inline scripts or styles
of unknown origin. CSV, JSON and a printable HTML file can be downloaded.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from datetime import date, datetime, timedelta, timezone

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.admin.web import AdminSite, Denied
from indexing.dates import city_today

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "html": "text/html; charset=utf-8"}
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def style_hashes(fragment: str) -> tuple[set[str], set[str]]:
    """CSP hashes of the <style> blocks and of the style attributes in an HTML fragment."""
    blocks = {_sha256(m.group(1)) for m in _STYLE_BLOCK.finditer(fragment)}
    attributes = {_sha256(html.unescape(m.group(1) if m.group(1) is not None else m.group(2)))
                  for m in _STYLE_ATTRIBUTE.finditer(fragment)}
    return blocks, attributes


def _month_ranges(today: date) -> list[tuple[str, date, date]]:
    first = today.replace(day=1)
    previous_last = first - timedelta(days=1)
    return [("今月", first, today), ("先月", previous_last.replace(day=1), previous_last),
            ("直近30日", today - timedelta(days=29), today)]


def report_today(settings, now: datetime | None = None) -> date:
    """Today in the report's time zone (report.timezone), so that the quick ranges (今月, 先月, 直近30日)
    are the same calendar days the report counts in."""
    from bot.insights.ledger import LedgerConfigError, ledger_config_for

    now = now or datetime.now(timezone.utc)
    try:
        return now.astimezone(ledger_config_for(settings).tz()).date()
    except LedgerConfigError:
        return city_today()  # the page shows the configuration error itself


def _period_date(value: str | None, label: str):
    """A report period's date from the form; Denied with a message in Japanese when it is unreadable."""
    from bot.insights.report import FIRST_REPORT_DAY, LAST_REPORT_DAY, ReportError, parse_report_date

    try:
        return parse_report_date(value, label)
    except ReportError:
        try:
            date.fromisoformat(value or "")
        except ValueError:
            raise Denied(400, f"{label}「{value}」を読めません。2026-04-01 のように入力してください。") from None
        raise Denied(400, f"{label}「{value}」は、{FIRST_REPORT_DAY}～{LAST_REPORT_DAY} の範囲で入力してください。") from None


def routes(site: AdminSite) -> list[Route]:
    def _build(request: Request):
        from bot.insights.ledger import LedgerConfigError, ledger_config_for
        from bot.insights.report import ReportError, build_report

        date_from = _period_date(request.query_params.get("from", "").strip() or None, "開始日")
        date_to = _period_date(request.query_params.get("to", "").strip() or None, "終了日")
        if date_from and date_to and date_from > date_to:
            raise Denied(400, f"開始日（{date_from}）が終了日（{date_to}）より後になっています。期間を確認してください。")
        from bot.insights.report import MAX_REPORT_DAYS

        if date_from and date_to and (date_to - date_from).days >= MAX_REPORT_DAYS:
            raise Denied(400, f"期間が長すぎます（{MAX_REPORT_DAYS:,}日まで）。期間を短くしてください。")
        try:
            config = ledger_config_for(site.settings)
            return build_report(site.runtime.inquiry_log or site.data_dir, date_from, date_to, config,
                                tickets=site.tickets.rows)
        except (ReportError, LedgerConfigError) as exc:
            raise Denied(400, f"レポートを作成できません: {exc}") from exc

    @site.page()
    async def reports(request: Request, session):
        try:
            from bot.insights.report_render import render_html
        except ImportError:
            return site.render(request, "reports.html", available=False)
        try:
            report = await run_in_threadpool(_build, request)
        except Denied as exc:
            return site.render(request, "reports.html", status=exc.status, available=True, error=exc.message,
                               ranges=_month_ranges(report_today(site.settings)), query=request.query_params)
        fragment = await run_in_threadpool(lambda: render_html(report, standalone=False))
        from channels.admin.push_views import delivery_figures_for  # LINE deliveries, beside the inquiries
        deliveries = await run_in_threadpool(delivery_figures_for, site, report.period["from"], report.period["to"])
        response = site.render(request, "reports.html", available=True, report=report, fragment=Markup(fragment),
                               ranges=_month_ranges(report_today(site.settings)), query=request.query_params, deliveries=deliveries)
        blocks, attributes = style_hashes(fragment)
        policy = response.headers["Content-Security-Policy"]
        extra = " ".join(sorted(blocks | attributes)) + (" 'unsafe-hashes'" if attributes else "")
        response.headers["Content-Security-Policy"] = policy.replace("style-src ", f"style-src {extra} ", 1)
        return response

    @site.page()
    async def export(request: Request, session):
        from bot.insights.report_render import render_csv, render_html, render_json

        fmt = request.path_params["format"]
        if fmt not in FORMATS:
            raise Denied(404, "形式は csv、json、html のいずれかです。")
        report = await run_in_threadpool(_build, request)
        render = {"csv": lambda: render_csv(report, bom=True), "json": lambda: render_json(report),
                  "html": lambda: render_html(report)}[fmt]
        body = await run_in_threadpool(render)
        name = f"report-{report.period['from']}-{report.period['to']}.{fmt}"
        return Response(body.encode("utf-8"), media_type=FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return [
        Route("/reports", reports, name="admin_reports"),
        Route("/reports/report.{format}", export, name="admin_report_export"),
    ]
