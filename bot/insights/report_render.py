"""The managers' report rendered: HTML (with inline SVG charts), CSV and JSON.

    >>> report = build_report("var", "2026-04-01", "2026-04-30")   # bot.insights.report
    >>> Path("report.html").write_text(render_html(report), encoding="utf-8")
    >>> print(render_csv(report, bom=True))

The figures and their definitions are ``bot.insights.report``'s; this module only lays them out.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Iterable

from bot.insights import report_charts as charts
from bot.insights.ledger import CHANNEL_NAMES
from bot.insights.masking import masked_kinds_text
from bot.insights.report import WEEKDAYS, Report

TOP_GROUPS_SHOWN = 10
CHANNEL_COLORS = {"line": "#009E73", "web": "#0072B2", "slack": "#CC79A7", "cli": "#999999"}
EXTRA_COLORS = ("#E69F00", "#56B4E9", "#D55E00", "#F0E442", "#000000")
COLOR_ANSWERED, COLOR_ABSTAINED = "#0072B2", "#D55E00"
COLOR_RESOLVED, COLOR_NO_FEEDBACK, COLOR_UNRESOLVED, COLOR_ESCALATED = "#009E73", "#BDBDBD", "#D55E00", "#E69F00"


# --- CSV and JSON -----------------------------------------------------------------------------------

def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


# A cell a spreadsheet would run as a formula (=HYPERLINK(…), +1, -1, @SUM): residents' questions are in the file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(value):
    """``value``, with a text that a spreadsheet would read as a formula kept as text (a leading ')."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def render_csv(report: Report, bom: bool = False) -> str:
    """One value per line: ``section,key,metric,value`` (opens in Excel with ``bom=True``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "metric", "value"])

    def w(row):
        writer.writerow([_spreadsheet_safe(value) for value in row])
    w(["period", "", "from", report.period["from"]])
    w(["period", "", "to", report.period["to"]])
    w(["period", "", "days", report.period["days"]])
    w(["period", "", "timezone", report.period["timezone"]])
    for metric in ("total_inquiries", "answered", "abstained", "resolved", "unresolved", "no_feedback", "escalated",
                   "minutes_saved", "hours_saved"):
        w(["summary", "", metric, getattr(report, metric)])
    w(["summary", "", "minutes_saved_lower", report.ledger["minutes_saved_lower"]])
    w(["summary", "", "minutes_saved_upper", report.ledger["minutes_saved_upper"]])
    for metric, value in report.rates.items():
        w(["rate", "", metric, _csv_value(value)])
    for channel, count in report.by_channel.items():
        w(["by_channel", channel, "count", count])
    for item in report.languages:
        for metric in ("total", "answered", "abstained", "resolved", "unresolved", "answer_rate"):
            w(["by_language", item["language"], metric, _csv_value(item[metric])])
    stats = ("total", "answered", "abstained", "resolved", "unresolved", "no_feedback", "escalated",
             "answer_rate", "resolution_rate", "minutes_saved")
    for c in report.channels:
        for metric in stats:
            w(["channel", c["channel"], metric, _csv_value(c[metric])])
    for d in report.daily:
        for metric in ("total", "answered", "abstained"):
            w(["daily", d["date"], metric, d[metric]])
        for channel, count in d["by_channel"].items():
            w(["daily", d["date"], f"channel:{channel}", count])
    for wk in report.weekly:
        w(["weekly", wk["week_start"], "week_end", wk["week_end"]])
        for metric in ("total", "answered", "abstained", "resolved", "unresolved", "minutes_saved"):
            w(["weekly", wk["week_start"], metric, wk[metric]])
        for channel, count in wk["by_channel"].items():
            w(["weekly", wk["week_start"], f"channel:{channel}", count])
    for m in report.monthly:
        for metric in ("from", "to", "total", "answered", "abstained", "resolved", "unresolved", "minutes_saved"):
            w(["monthly", m["month"], metric, m[metric]])
        for channel, count in m["by_channel"].items():
            w(["monthly", m["month"], f"channel:{channel}", count])
    for section, items in (("category", report.categories), ("department", report.departments)):
        for item in items:
            for metric in ("total", "answered", "abstained", "resolved", "unresolved", "minutes_saved"):
                w([section, item["name"], metric, item[metric]])
    for c in report.ledger["by_channel"]:
        for metric in ("minutes_per_inquiry", "answered", "resolved", "no_feedback", "zero_weight",
                       "weighted_inquiries", "minutes_saved"):
            w(["ledger", c["channel"], metric, _csv_value(c[metric])])
    baseline = report.ledger.get("baseline")
    if baseline:
        for metric in ("baseline_minutes", "minutes_saved", "reduction", "target_reduction"):
            w(["baseline", "", metric, _csv_value(baseline[metric])])
        for d in baseline["departments"]:
            for metric in ("monthly_minutes", "baseline_minutes", "minutes_saved", "reduction"):
                w(["baseline", d["department"], metric, _csv_value(d[metric])])
    for section, groups in (("unanswered", report.unanswered_questions), ("unresolved", report.unresolved_questions)):
        for g in groups:
            w([section, g["question"], "count", g["count"]])
    if report.tickets:
        for metric in ("opened", "answered", "declined", "expired", "open", "median_minutes_to_answer",
                       "staff_minutes", "net_minutes_saved", "net_reduction"):
            w(["tickets", "", metric, _csv_value(report.tickets[metric])])
        for d in report.tickets["by_department"]:
            for metric in ("opened", "answered", "staff_minutes"):
                w(["tickets", d["department"], metric, d[metric]])
    w(["formula", "", "text", report.formula])
    for note in report.notes:
        w(["note", "", "text", note])
    text = out.getvalue()
    return ("\ufeff" + text) if bom else text


def _csv_value(value):
    return "" if value is None else value


# --- HTML ----------------------------------------------------------------------------------------

def _channel_colors(channels: Iterable[str]) -> dict[str, str]:
    colors, extra = {}, iter(EXTRA_COLORS * 4)
    for channel in channels:
        colors[channel] = CHANNEL_COLORS.get(channel) or next(extra)
    return colors


def _day_label(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.month}/{day.day}"


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def _charts(report: Report) -> dict[str, str]:
    if report.empty:
        return {}
    names = list(report.by_channel)
    colors = _channel_colors(names)
    label = {c["channel"]: c["label"] for c in report.channels}
    daily = report.daily
    result = {}
    if len(daily) <= 62:
        labels = [_day_label(d["date"]) for d in daily]
        every = 1 if len(daily) <= 16 else 2 if len(daily) <= 35 else 7
        result["volume"] = charts.stacked_columns(
            labels, [(label[c], colors[c], [d["by_channel"].get(c, 0) for d in daily]) for c in names],
            title="日別の問い合わせ件数（チャネル別）", shaded=[d["weekday"] in "土日" for d in daily],
            label_every=every)
    else:
        weekly = report.weekly
        result["volume"] = charts.stacked_columns(
            [_day_label(w["week_start"]) for w in weekly],
            [(label[c], colors[c], [w["by_channel"].get(c, 0) for w in weekly]) for c in names],
            title="週別の問い合わせ件数（チャネル別）", label_every=max(1, len(weekly) // 16))
    rows = [("全体", [("回答できた", report.answered, COLOR_ANSWERED),
                     ("回答できなかった", report.abstained, COLOR_ABSTAINED)])]
    rows += [(c["label"], [("回答できた", c["answered"], COLOR_ANSWERED),
                           ("回答できなかった", c["abstained"], COLOR_ABSTAINED)]) for c in report.channels]
    result["answer_rates"] = charts.stacked_shares(rows, title="回答できた割合（チャネル別）")

    ledger_rows = {c["channel"]: c for c in report.ledger["by_channel"]}
    total_row = {"answered": sum(c["answered"] for c in ledger_rows.values()),
                 "resolved": sum(c["resolved"] for c in ledger_rows.values()),
                 "no_feedback": sum(c["no_feedback"] for c in ledger_rows.values()),
                 "zero_weight": sum(c["zero_weight"] for c in ledger_rows.values())}
    feedback_rows = [("全体", [("解決した", total_row["resolved"], COLOR_RESOLVED),
                             ("評価なし", total_row["no_feedback"], COLOR_NO_FEEDBACK),
                             ("解決しない・引き継ぎ", total_row["zero_weight"], COLOR_UNRESOLVED)])]
    for c in report.channels:
        lr = ledger_rows.get(c["channel"])
        if lr and lr["answered"]:
            feedback_rows.append((c["label"], [("解決した", lr["resolved"], COLOR_RESOLVED),
                                               ("評価なし", lr["no_feedback"], COLOR_NO_FEEDBACK),
                                               ("解決しない・引き継ぎ", lr["zero_weight"], COLOR_UNRESOLVED)]))
    result["feedback"] = charts.stacked_shares(
        feedback_rows, title="回答できた問い合わせの評価",
        note="削減時間の重み：解決した＝1、評価なし＝" + f"{report.ledger['weights']['no_feedback']:g}" + "、解決しない・引き継ぎ＝0")
    baseline = report.ledger.get("baseline")
    if baseline:
        rows = [("全体（基準値のある課）", baseline["reduction"], baseline["target_reduction"])]
        rows += [(d["department"], d["reduction"], baseline["target_reduction"]) for d in baseline["departments"]]
        result["target"] = charts.bullet_bars(rows, title="職員のコミュニケーション時間の削減率と目標")
    weekly = report.weekly
    result["weekly_saved"] = charts.stacked_columns(
        [f"{_day_label(w['week_start'])}〜" for w in weekly],
        [("削減時間（時間）", "#009E73", [round(w["minutes_saved"] / 60, 1) for w in weekly])],
        title="週ごとの削減時間", unit="時間", height=240, show_totals=True, width=900, min_step=0.5)
    top = report.categories[:10]
    result["categories"] = charts.horizontal_bars(
        [(c["name"], [("回答できた", c["answered"], COLOR_ANSWERED),
                      ("回答できなかった", c["abstained"], COLOR_ABSTAINED)]) for c in top],
        title="問い合わせの多いカテゴリ（上位10）")
    return result


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def render_html(report: Report, standalone: bool = True) -> str:
    """The report as a printable HTML page (``standalone=False``: a <section> to embed, with its style)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = _percent
    env.filters["number"] = _number
    env.filters["long_date"] = _long_date
    env.filters["day_label"] = _day_label
    env.filters["basename"] = lambda path: Path(path).name
    env.filters["month_label"] = lambda month: f"{int(month[:4])}年{int(month[5:7])}月"
    env.filters["hours"] = lambda minutes: f"{(minutes or 0) / 60:,.1f}"
    chart_svgs = {name: Markup(svg) for name, svg in _charts(report).items()}
    template = env.get_template("report.html")
    return template.render(r=report, charts=chart_svgs, standalone=standalone, channel_names=CHANNEL_NAMES,
                           shown=TOP_GROUPS_SHOWN, channel_colors=_channel_colors(report.by_channel),
                           masked_kinds=masked_kinds_text())
