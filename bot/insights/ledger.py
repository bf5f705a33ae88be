"""The communication-time ledger: how much staff time the answered inquiries saved.

Configuration is TOML: the shipped defaults (``bot/insights/ledger_defaults.toml``, which documents
every key) overlaid with the DX office's file, ``$MADOGUCHI_LEDGER_CONFIG`` or else
``<data dir>/ledger.toml``::

    config = load_ledger_config(data_dir="var")                  # or ledger_config_for(settings)
    config.minutes_for("line", "ごみ・リサイクル")                 # 6.0
    ledger = compute_ledger(rows, config, date(2026, 10, 1), date(2026, 10, 31))
    ledger["minutes_saved"], ledger["formula"]

The formula (printed in every report)::

    minutes saved = Σ over answered inquiries i of minutes(channel_i, category_i) × weight_i
        weight = 1 (解決した) | no_feedback_weight (no feedback, default 0.5)
               | 0 (解決しない, or escalated to a person)
    reduction = minutes saved in departments with a measured baseline
                ÷ their baseline minutes for the period (monthly minutes, pro rata per day)

``rows`` are inquiry-log rows (dicts with ``channel``, ``category``, ``department``,
``abstained``, ``feedback``, ``escalated``), as returned by ``InquiryLog.inquiries``.
"""
from __future__ import annotations

import calendar
import json
import math
import os
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from datetime import date, timedelta, timezone, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

DEFAULTS_FILE = Path(__file__).with_name("ledger_defaults.toml")
OVERRIDE_FILE_NAME = "ledger.toml"
ENV_VARIABLE = "MADOGUCHI_LEDGER_CONFIG"
SCHEMA_VERSION = 1

# Weights fixed by definition (the configurable one is feedback.no_feedback_weight).
WEIGHT_RESOLVED = 1.0
WEIGHT_UNRESOLVED = 0.0
WEIGHT_ESCALATED = 0.0


class LedgerConfigError(ValueError):
    """The ledger configuration file is unreadable or has a bad key; the message names both."""


@dataclass(frozen=True)
class LedgerConfig:
    """Validated ledger settings (see ledger_defaults.toml for what each one means)."""

    target_reduction: float = 0.2
    no_feedback_weight: float = 0.5
    default_minutes: float = 5.0
    channel_minutes: Mapping[str, float] = field(default_factory=dict)
    category_minutes: Mapping[str, float] = field(default_factory=dict)
    channel_category_minutes: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    excluded_channels: tuple[str, ...] = ()
    department_baseline: Mapping[str, float] = field(default_factory=dict)  # minutes per month
    ticket_minutes: float = 10.0                                             # staff minutes per ticket
    department_ticket_minutes: Mapping[str, float] = field(default_factory=dict)
    timezone: str = "Asia/Tokyo"
    sources: tuple[str, ...] = ()

    def minutes_for(self, channel: str, category: str) -> float:
        """Minutes a person would have spent on one inquiry of this channel and category."""
        if channel in self.excluded_channels:
            return 0.0
        by_category = self.channel_category_minutes.get(channel, {})
        if category in by_category:
            return by_category[category]
        if category in self.category_minutes:
            return self.category_minutes[category]
        return self.channel_minutes.get(channel, self.default_minutes)

    def weight(self, inquiry: Mapping) -> float:
        """Share of the minutes an inquiry counts for (0 for abstained ones)."""
        if inquiry.get("abstained") or inquiry.get("escalated"):
            return 0.0
        feedback = inquiry.get("feedback")
        if feedback == "resolved":
            return WEIGHT_RESOLVED
        if feedback == "unresolved":
            return WEIGHT_UNRESOLVED
        return self.no_feedback_weight

    def minutes_for_ticket(self, department: str) -> float:
        """Staff minutes one ticket of ``department`` takes (ledger [tickets])."""
        return self.department_ticket_minutes.get(department, self.ticket_minutes)

    def tz(self) -> tzinfo:
        return resolve_timezone(self.timezone)

    def baseline_department(self, department: str) -> str | None:
        """The baseline key of a 所管課 ('市民課' also matches '市民生活部 市民課')."""
        if not department:
            return None
        if department in self.department_baseline:
            return department
        last = department.split()[-1]
        return last if last in self.department_baseline else None

    def to_dict(self) -> dict:
        return {
            "target_reduction": self.target_reduction,
            "no_feedback_weight": self.no_feedback_weight,
            "minutes": {
                "default": self.default_minutes,
                "excluded_channels": list(self.excluded_channels),
                "channel": dict(self.channel_minutes),
                "category": dict(self.category_minutes),
                "channel_category": {k: dict(v) for k, v in self.channel_category_minutes.items()},
            },
            "baseline": {"department": dict(self.department_baseline)},
            "tickets": {"minutes": self.ticket_minutes, "department": dict(self.department_ticket_minutes)},
            "timezone": self.timezone,
            "sources": list(self.sources),
        }


# --- loading and validation ---------------------------------------------------------------------

def load_ledger_config(data_dir: str | Path | None = None, path: str | Path | None = None,
                       environ: Mapping[str, str] | None = None) -> LedgerConfig:
    """Defaults overlaid with the override file.

    The override is ``path`` if given, else ``$MADOGUCHI_LEDGER_CONFIG`` (``environ``, default
    ``os.environ``), else ``<data_dir>/ledger.toml`` if that file exists. A named file that does
    not exist is an error; a missing ``<data_dir>/ledger.toml`` is not.
    """
    env = os.environ if environ is None else environ
    merged = _read_toml(DEFAULTS_FILE)
    sources = [str(DEFAULTS_FILE)]
    override_path = path or env.get(ENV_VARIABLE) or None
    if override_path is None and data_dir is not None:
        candidate = Path(data_dir) / OVERRIDE_FILE_NAME
        override_path = candidate if candidate.exists() else None
    if override_path is not None:
        override_path = Path(override_path)
        if not override_path.is_file():
            raise LedgerConfigError(f"{override_path}: ledger config file not found")
        override = _read_toml(override_path)
        _validate(override, str(override_path))
        merged = _merge(merged, override)
        sources.append(str(override_path))
    return parse_ledger_config(merged, source=str(sources[-1]), sources=tuple(sources))


def ledger_config_for(settings) -> LedgerConfig:
    """The ledger config for a Settings object (its ledger_config path, else its data dir)."""
    return load_ledger_config(settings.data_dir, settings.ledger_config or None, environ={})


def parse_ledger_config(data: Mapping, source: str = "ledger config", sources: tuple[str, ...] = ()) -> LedgerConfig:
    """Validate a complete mapping (defaults already merged in) and build the config."""
    _validate(data, source)
    minutes = data.get("minutes", {})
    return LedgerConfig(
        target_reduction=float(data.get("target_reduction", 0.2)),
        no_feedback_weight=float(data.get("feedback", {}).get("no_feedback_weight", 0.5)),
        default_minutes=float(minutes.get("default", 5.0)),
        channel_minutes=_frozen({k: float(v) for k, v in minutes.get("channel", {}).items()}),
        category_minutes=_frozen({k: float(v) for k, v in minutes.get("category", {}).items()}),
        channel_category_minutes=_frozen({
            channel: _frozen({k: float(v) for k, v in table.items()})
            for channel, table in minutes.get("channel_category", {}).items()}),
        excluded_channels=tuple(minutes.get("excluded_channels", ())),
        department_baseline=_frozen({k: float(v) for k, v in data.get("baseline", {}).get("department", {}).items()}),
        ticket_minutes=float(data.get("tickets", {}).get("minutes", 10.0)),
        department_ticket_minutes=_frozen({k: float(v) for k, v in
                                           data.get("tickets", {}).get("department", {}).items()}),
        timezone=data.get("report", {}).get("timezone", "Asia/Tokyo"),
        sources=sources or (source,),
    )


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise LedgerConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise LedgerConfigError(f"{path}: cannot read ledger config ({exc.strerror or exc})") from exc


def _merge(base: dict, override: Mapping) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _key(*parts: str) -> str:
    """Dotted TOML key, quoting parts that need it: minutes.category."住民票・戸籍"."""
    return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else json.dumps(p, ensure_ascii=False) for p in parts)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _check_minutes(value, key: str, source: str, positive: bool = False):
    if not _is_number(value) or value < 0 or (positive and value == 0):
        need = "a number of minutes greater than 0" if positive else "a number of minutes (0 or more)"
        raise LedgerConfigError(f"{source}: {key} must be {need}, not {_show(value)}")


def _check_table(value, key: str, source: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise LedgerConfigError(f"{source}: {key} must be a table ([{key}]), not {_show(value)}")
    return value


def _unknown(key: str, source: str, allowed: Iterable[str]):
    raise LedgerConfigError(f"{source}: unknown key {key} (known here: {', '.join(sorted(allowed))})")


def _validate(data: Mapping, source: str):
    """Check every key present in ``data`` (a full config or a partial override)."""
    top = {"schema_version", "target_reduction", "feedback", "minutes", "baseline", "report", "tickets"}
    for name, value in data.items():
        if name not in top:
            _unknown(_key(name), source, top)
    if "schema_version" in data and data["schema_version"] != SCHEMA_VERSION:
        raise LedgerConfigError(f"{source}: schema_version must be {SCHEMA_VERSION}, not {_show(data['schema_version'])}")
    if "target_reduction" in data:
        value = data["target_reduction"]
        if not _is_number(value) or not 0 < value <= 1:
            raise LedgerConfigError(
                f"{source}: target_reduction must be a fraction between 0 and 1 (0.2 = 20%), not {_show(value)}")
    if "feedback" in data:
        feedback = _check_table(data["feedback"], "feedback", source)
        for name, value in feedback.items():
            if name != "no_feedback_weight":
                _unknown(_key("feedback", name), source, ["no_feedback_weight"])
            if not _is_number(value) or not 0 <= value <= 1:
                raise LedgerConfigError(
                    f"{source}: feedback.no_feedback_weight must be a number from 0 to 1, not {_show(value)}")
    if "minutes" in data:
        _validate_minutes(_check_table(data["minutes"], "minutes", source), source)
    if "baseline" in data:
        baseline = _check_table(data["baseline"], "baseline", source)
        for name, value in baseline.items():
            if name != "department":
                _unknown(_key("baseline", name), source, ["department"])
            for department, minutes in _check_table(value, "baseline.department", source).items():
                _check_minutes(minutes, _key("baseline", "department", department), source, positive=True)
    if "tickets" in data:
        tickets = _check_table(data["tickets"], "tickets", source)
        for name, value in tickets.items():
            if name == "minutes":
                _check_minutes(value, _key("tickets", name), source)
            elif name == "department":
                for department, minutes in _check_table(value, "tickets.department", source).items():
                    _check_minutes(minutes, _key("tickets", "department", department), source)
            else:
                _unknown(_key("tickets", name), source, ["minutes", "department"])
    if "report" in data:
        report = _check_table(data["report"], "report", source)
        for name, value in report.items():
            if name != "timezone":
                _unknown(_key("report", name), source, ["timezone"])
            try:
                resolve_timezone(value)
            except (LookupError, TypeError, ValueError):
                raise LedgerConfigError(
                    f"{source}: report.timezone must be a time zone name such as \"Asia/Tokyo\", not {_show(value)}"
                ) from None


def _validate_minutes(minutes: Mapping, source: str):
    allowed = {"default", "excluded_channels", "channel", "category", "channel_category"}
    for name, value in minutes.items():
        key = _key("minutes", name)
        if name not in allowed:
            _unknown(key, source, allowed)
        if name == "default":
            _check_minutes(value, key, source)
        elif name == "excluded_channels":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise LedgerConfigError(f"{source}: {key} must be a list of channel names, not {_show(value)}")
        elif name in ("channel", "category"):
            for sub, number in _check_table(value, key, source).items():
                _check_minutes(number, _key("minutes", name, sub), source)
        else:
            for channel, table in _check_table(value, key, source).items():
                for category, number in _check_table(table, _key("minutes", name, channel), source).items():
                    _check_minutes(number, _key("minutes", name, channel, category), source)


_FIXED_ZONES = {"Asia/Tokyo": timezone(timedelta(hours=9), "JST"), "UTC": timezone.utc}


def resolve_timezone(name: str) -> tzinfo:
    """An IANA zone; Asia/Tokyo and UTC also work on systems without time-zone data."""
    if not isinstance(name, str) or not name:
        raise ValueError("time zone name required")
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            if name in _FIXED_ZONES:
                return _FIXED_ZONES[name]
            raise LookupError(name) from None
    except ImportError:  # pragma: no cover
        if name in _FIXED_ZONES:
            return _FIXED_ZONES[name]
        raise LookupError(name) from None


# --- the computation ----------------------------------------------------------------------------

def months_in_period(date_from: date, date_to: date) -> float:
    """Length of a period in months, day by day (a whole calendar month is exactly 1.0)."""
    months, day = Fraction(0), date_from
    while day <= date_to:  # exact fractions: 31 × 1/31 must be exactly one month
        months += Fraction(1, calendar.monthrange(day.year, day.month)[1])
        day += timedelta(days=1)
    return float(months)


def formula_text(config: LedgerConfig) -> str:
    """The formula in Japanese, with this configuration's numbers."""
    channels = "、".join(f"{_channel_name(c)} {_num(m)}分" for c, m in config.channel_minutes.items()
                        if c not in config.excluded_channels)
    overrides = ("（カテゴリ別の設定があればそれを優先）"
                 if config.category_minutes or config.channel_category_minutes else "")
    text = (f"削減時間（分）＝ Σ［回答できた問い合わせ 1件 × 想定対応時間 × 重み］。"
            f"想定対応時間（職員が電話・チャットで対応した場合の1件あたりの分数）：{channels}、その他 "
            f"{_num(config.default_minutes)}分{overrides}。"
            f"重み：解決した＝1、評価なし＝{_num(config.no_feedback_weight)}、解決しない・職員へ引き継ぎ＝0。"
            f"回答できなかった問い合わせ")
    if config.excluded_channels:
        text += f"と対象外チャネル（{'、'.join(config.excluded_channels)}）"
    text += "は0分。"
    if config.department_baseline:
        text += (f"削減率 ＝ 基準値のある課の削減時間 ÷ その課の期間中の基準時間（月間の実測値を日割り）。"
                 f"目標 {_pct(config.target_reduction)}。")
    return text


def formula_text_en(config: LedgerConfig) -> str:
    text = (f"minutes saved = sum over answered inquiries of minutes(channel, category) x weight; "
            f"weight = 1 if resolved, {_num(config.no_feedback_weight)} without feedback, "
            f"0 if unresolved or escalated; abstained inquiries"
            + (f" and excluded channels ({', '.join(config.excluded_channels)})" if config.excluded_channels else "")
            + " count 0.")
    if config.department_baseline:
        text += (f" reduction = minutes saved in departments with a baseline / their baseline minutes "
                 f"for the period (monthly, pro rata per day); target {_pct(config.target_reduction)}.")
    return text


def compute_ledger(rows: Iterable[Mapping], config: LedgerConfig, date_from: date, date_to: date) -> dict:
    """Minutes saved by ``rows`` (inquiries of the period) and, with a baseline, the reduction."""
    by_channel: dict[str, dict] = {}
    by_department: dict[str, float] = defaultdict(float)
    by_category: dict[str, float] = defaultdict(float)
    total = lower = upper = 0.0
    for row in rows:
        channel = row.get("channel") or ""
        stats = by_channel.setdefault(channel, {
            "channel": channel, "excluded": channel in config.excluded_channels, "answered": 0,
            "resolved": 0, "no_feedback": 0, "zero_weight": 0, "weighted_inquiries": 0.0,
            "minutes_values": set(), "minutes_saved": 0.0})
        if row.get("abstained"):
            continue
        stats["answered"] += 1
        minutes = config.minutes_for(channel, row.get("category") or "")
        weight = config.weight(row)
        stats["minutes_values"].add(minutes)
        if row.get("escalated") or row.get("feedback") == "unresolved":
            stats["zero_weight"] += 1
        elif row.get("feedback") == "resolved":
            stats["resolved"] += 1
            lower += minutes
            upper += minutes
        else:
            stats["no_feedback"] += 1
            upper += minutes
        saved = minutes * weight
        stats["weighted_inquiries"] += weight
        stats["minutes_saved"] += saved
        total += saved
        by_department[row.get("department") or ""] += saved
        by_category[row.get("category") or ""] += saved
    channels = []
    for stats in sorted(by_channel.values(), key=lambda s: channel_order(s["channel"])):
        values = stats.pop("minutes_values")
        if not values:
            values = {config.minutes_for(stats["channel"], "")}
        # One figure when every answered inquiry of the channel used the same minutes; None
        # ("varies by category") when category overrides applied.
        stats["minutes_per_inquiry"] = next(iter(values)) if len(values) == 1 else None
        stats["weighted_inquiries"] = round(stats["weighted_inquiries"], 2)
        stats["minutes_saved"] = round(stats["minutes_saved"], 1)
        channels.append(stats)
    return {
        "minutes_saved": round(total, 1),
        "hours_saved": round(total / 60, 1),
        "minutes_saved_lower": round(lower, 1),
        "minutes_saved_upper": round(upper, 1),
        "weights": {"resolved": WEIGHT_RESOLVED, "no_feedback": config.no_feedback_weight,
                    "unresolved": WEIGHT_UNRESOLVED, "escalated": WEIGHT_ESCALATED},
        "by_channel": channels,
        "by_department": {k: round(v, 1) for k, v in sorted(by_department.items(), key=lambda kv: -kv[1])},
        "by_category": {k: round(v, 1) for k, v in sorted(by_category.items(), key=lambda kv: -kv[1])},
        "target_reduction": config.target_reduction,
        "baseline": _baseline(config, by_department, date_from, date_to),
        "formula": formula_text(config),
        "formula_en": formula_text_en(config),
        "config": config.to_dict(),
    }


TICKETS_FORMULA = ("職員への引き継ぎ：引き継いだ問い合わせの削減時間は0分。職員が回答または対応不要とした"
                   "チケット1件ごとに、職員の対応時間（課ごとの設定、既定 {minutes}分）を数える。"
                   "差し引き削減時間 ＝ 削減時間 − チケット対応時間。")


def compute_ticket_figures(tickets: Iterable[Mapping], config: LedgerConfig, minutes_saved: float = 0.0,
                           baseline: Mapping | None = None) -> dict:
    """Tickets of the period (rows of bot.handoff.store.TicketStore.rows): how many, how fast, how
    many staff minutes; the minutes saved net of them and, with a measured ``baseline`` (the
    ledger's), the reduction net of them (departments with a baseline only)."""
    import statistics
    from datetime import datetime as _datetime

    opened = answered = declined = expired = still_open = rated_resolved = rated_unresolved = 0
    waits: list[float] = []
    staff_minutes = 0.0
    by_department: dict[str, dict] = {}
    for ticket in tickets:
        department = ticket.get("department") or ""
        stats = by_department.setdefault(department, {"department": department, "opened": 0, "answered": 0,
                                                      "staff_minutes": 0.0})
        opened += 1
        stats["opened"] += 1
        state = ticket.get("state")
        handled = False
        if ticket.get("answered_at"):
            answered += 1
            stats["answered"] += 1
            handled = True
            waits.append((_datetime.fromisoformat(ticket["answered_at"])
                          - _datetime.fromisoformat(ticket["created_at"])).total_seconds() / 60)
        elif state == "declined":
            declined += 1
            handled = True
        elif state == "expired":
            expired += 1
        elif state == "open":
            still_open += 1
        rated_resolved += ticket.get("rating") == "resolved"
        rated_unresolved += ticket.get("rating") == "unresolved"
        if handled:
            own = ticket.get("staff_minutes")
            minutes = float(own) if own is not None else config.minutes_for_ticket(department)
            staff_minutes += minutes
            stats["staff_minutes"] += minutes
    net_reduction = None
    if baseline and baseline.get("baseline_minutes"):
        in_baseline = sum(s["staff_minutes"] for s in by_department.values()
                          if config.baseline_department(s["department"]))
        net_reduction = _ratio((baseline["minutes_saved"] - in_baseline) / baseline["baseline_minutes"])
    for stats in by_department.values():
        stats["staff_minutes"] = round(stats["staff_minutes"], 1)
    return {
        "opened": opened, "answered": answered, "declined": declined, "expired": expired, "open": still_open,
        "rated_resolved": rated_resolved, "rated_unresolved": rated_unresolved,
        "answer_rate": round(answered / opened, 4) if opened else None,
        "median_minutes_to_answer": round(statistics.median(waits), 1) if waits else None,
        "staff_minutes": round(staff_minutes, 1),
        "net_minutes_saved": round(minutes_saved - staff_minutes, 1),
        "net_reduction": net_reduction,
        "by_department": sorted(by_department.values(), key=lambda s: (-s["opened"], s["department"])),
        "formula": TICKETS_FORMULA.format(minutes=_num(config.ticket_minutes)),
    }


def _baseline(config: LedgerConfig, by_department: Mapping[str, float], date_from: date, date_to: date) -> dict | None:
    if not config.department_baseline:
        return None
    months = months_in_period(date_from, date_to)
    saved_by_key: dict[str, float] = defaultdict(float)
    for department, saved in by_department.items():
        key = config.baseline_department(department)
        if key:
            saved_by_key[key] += saved
    departments = []
    for name, monthly in config.department_baseline.items():
        baseline = monthly * months
        saved = saved_by_key.get(name, 0.0)
        reduction = saved / baseline if baseline else None
        departments.append({
            "department": name, "monthly_minutes": monthly, "baseline_minutes": round(baseline, 1),
            "minutes_saved": round(saved, 1), "reduction": _ratio(reduction),
            "achieved": bool(reduction is not None and reduction >= config.target_reduction)})
    departments.sort(key=lambda d: -(d["reduction"] or 0))
    baseline_total = sum(d["monthly_minutes"] for d in departments) * months
    saved_total = sum(saved_by_key.values())
    reduction = saved_total / baseline_total if baseline_total else None
    return {
        "months": round(months, 4), "baseline_minutes": round(baseline_total, 1),
        "minutes_saved": round(saved_total, 1), "reduction": _ratio(reduction),
        "target_reduction": config.target_reduction,
        "achieved": bool(reduction is not None and reduction >= config.target_reduction),
        "departments": departments,
    }


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _num(value: float) -> str:
    return f"{value:g}"


def _pct(value: float) -> str:
    return f"{value * 100:g}%"


CHANNEL_NAMES = {"line": "LINE", "web": "Webチャット", "slack": "Slack（職員）", "cli": "CLI（テスト）",
                 "admin": "管理画面"}


CHANNEL_ORDER = ("line", "web", "slack", "cli")


def channel_order(channel: str):
    """Citizen channels first, then staff, then tests, then anything else by name."""
    return (CHANNEL_ORDER.index(channel) if channel in CHANNEL_ORDER else len(CHANNEL_ORDER), channel)


def _channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)
