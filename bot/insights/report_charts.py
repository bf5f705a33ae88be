"""Small inline-SVG charts for the HTML report: no JavaScript, no CDN, printable offline.

Each function returns an SVG element as a string (already escaped; mark it safe in a
template). Text is drawn with the page's font, so Japanese labels render as the page does.
"""
from __future__ import annotations

import math
from html import escape
from typing import Sequence

FONT = "font-family:inherit"
AXIS = "#666"
GRID = "#e3e3e3"
TEXT = "#222"
MUTED = "#666"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k that is at least ``value`` (for axis ranges)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10 ** exponent
        if candidate >= value - 1e-9:
            return candidate
    return 10 ** (exponent + 1)


def axis(max_value: float, ticks: int = 5, min_step: float = 0.0) -> tuple[float, float]:
    """(top, step) of an axis from 0 with at most ``ticks`` round steps covering ``max_value``.

    >>> axis(18.5)
    (20, 5)
    """
    step = max(min_step, nice_ceiling(max(max_value, 1e-9) / ticks))
    return round(step * max(1, math.ceil(max_value / step - 1e-9)), 10), step


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{escape(title)}" style="{FONT};max-width:{width}px">'
            f'<title>{escape(title)}</title>{"".join(body)}</svg>')


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", color: str = TEXT,
          weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
            f'font-weight="{weight}" {extra}>{escape(str(text))}</text>')


def legend(items: Sequence[tuple[str, str]], x: float, y: float, size: int = 12) -> list[str]:
    """Colour swatches with labels laid out left to right from (x, y)."""
    parts, cursor = [], x
    for label, color in items:
        parts.append(f'<rect x="{cursor:.1f}" y="{y - size + 2:.1f}" width="{size}" height="{size}" '
                     f'fill="{color}" rx="2"/>')
        parts.append(_text(cursor + size + 5, y, label, size))
        cursor += size + 5 + _text_width(label, size) + 18
    return parts


def _text_width(text: str, size: int) -> float:
    """Rough width: full-width characters are 1 em, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in str(text))


def _label_positions(count: int, every: int) -> set[int]:
    """Every ``every``-th axis label and always the last one, dropping a neighbour it would hit."""
    every = max(1, every)
    shown = set(range(0, count, every))
    if count:
        previous = max(shown)
        if count - 1 != previous and count - 1 - previous < every * 0.6:
            shown.discard(previous)
        shown.add(count - 1)
    return shown


def stacked_columns(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float]]], *, title: str,
                    unit: str = "件", width: int = 900, height: int = 300, shaded: Sequence[bool] = (),
                    label_every: int = 1, show_totals: bool = False, min_step: float = 1.0) -> str:
    """Vertical stacked columns, one per label; ``series`` is (name, colour, values).

    ``shaded`` marks columns to draw on a grey band (weekends and holidays).
    """
    left, right, top, bottom = 52, 12, 34, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(labels))
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    y_max, step = axis(max(max(totals, default=0) * (1.12 if show_totals else 1.0), 1), min_step=min_step)
    slot = plot_w / n
    bar_w = max(2.0, slot * 0.72)
    body = legend([(name, color) for name, color, _ in series], left, 16)
    shown_labels = _label_positions(len(labels), label_every)
    for i in range(round(y_max / step) + 1):
        value = step * i
        y = top + plot_h - plot_h * value / y_max
        body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, _fmt(value), 11, "end", MUTED))
    body.append(_text(12, top - 8, unit, 11, "start", MUTED))
    for i, label in enumerate(labels):
        x = left + slot * i
        if i < len(shaded) and shaded[i]:
            body.append(f'<rect x="{x:.1f}" y="{top}" width="{slot:.1f}" height="{plot_h}" fill="#f3f3f3"/>')
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for name, color, values in series:
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / y_max
            base -= h
            body.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}">'
                        f'<title>{escape(f"{label} {name}: {_fmt(value)}{unit}")}</title></rect>')
        if show_totals and totals[i] > 0:
            body.append(_text(x + bar_w / 2, base - 4, _fmt(totals[i]), 11, "middle", TEXT))
        if i in shown_labels:
            body.append(_text(x + bar_w / 2, top + plot_h + 16, label, 11, "middle", MUTED))
    body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    return _svg(width, height, title, body)


def _segment_colors(rows) -> dict[str, str]:
    """Segment name → colour, in first-seen order (the legend of a bar chart)."""
    names: dict[str, str] = {}
    for _, segments in rows:
        for name, _, color in segments:
            names.setdefault(name, color)
    return names


def stacked_shares(rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], *, title: str,
                   width: int = 900, row_height: int = 30, label_width: int = 150, note: str = "") -> str:
    """Horizontal 100% bars: each row is (label, [(segment name, count, colour), ...]).

    Segments show their share in per cent when wide enough; the row's total count is
    printed at the right.
    """
    right = 70
    names = _segment_colors(rows)
    top = 30
    height = top + row_height * len(rows) + (22 if note else 8)
    plot_w = width - label_width - right
    body = legend(list(names.items()), label_width, 16)
    for r, (label, segments) in enumerate(rows):
        y = top + r * row_height
        total = sum(count for _, count, _ in segments)
        body.append(_text(label_width - 8, y + row_height / 2 + 4, label, 12, "end"))
        x = label_width
        if total == 0:
            body.append(f'<rect x="{x}" y="{y + 4}" width="{plot_w}" height="{row_height - 8}" fill="#f3f3f3"/>')
            body.append(_text(x + 8, y + row_height / 2 + 4, "データなし", 11, "start", MUTED))
        for name, count, color in segments:
            if total == 0 or count <= 0:
                continue
            w = plot_w * count / total
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" fill="{color}">'
                        f'<title>{escape(f"{label} {name}: {count:,}件 ({count / total:.0%})")}</title></rect>')
            share = f"{count / total:.0%}"
            if w >= _text_width(share, 11) + 8:
                body.append(_text(x + w / 2, y + row_height / 2 + 4, share, 11, "middle", "#fff", "bold"))
            x += w
        body.append(_text(label_width + plot_w + 8, y + row_height / 2 + 4, f"{total:,}件", 11, "start", MUTED))
    if note:
        body.append(_text(label_width, height - 6, note, 11, "start", MUTED))
    return _svg(width, height, title, body)


def bullet_bars(rows: Sequence[tuple[str, float | None, float]], *, title: str, width: int = 900,
                row_height: int = 34, label_width: int = 170) -> str:
    """Achieved share against a target, one row each: (label, achieved 0..1 or None, target 0..1).

    The bar is green when the target is reached, orange otherwise; the target is a dark
    vertical line labelled 目標.
    """
    right = 120
    top = 24
    height = top + row_height * len(rows) + 26
    plot_w = width - label_width - right
    scale_max, step = axis(max([target * 1.5 for _, _, target in rows] +
                               [value * 1.05 for _, value, _ in rows if value is not None] + [0.05]))
    body = []
    for i in range(round(scale_max / step) + 1):
        value = step * i
        x = label_width + plot_w * value / scale_max
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 22}" stroke="{GRID}"/>')
        body.append(_text(x, height - 8, f"{value:.0%}", 11, "middle", MUTED))
    for r, (label, value, target) in enumerate(rows):
        y = top + r * row_height
        body.append(_text(label_width - 8, y + row_height / 2 + 4, label, 12, "end"))
        body.append(f'<rect x="{label_width}" y="{y + 6}" width="{plot_w}" height="{row_height - 12}" fill="#f0f0f0"/>')
        if value is None:
            body.append(_text(label_width + 8, y + row_height / 2 + 4, "基準値なし", 11, "start", MUTED))
        else:
            reached = value >= target
            w = plot_w * min(value, scale_max) / scale_max
            color = "#009E73" if reached else "#E69F00"
            body.append(f'<rect x="{label_width}" y="{y + 6}" width="{w:.1f}" height="{row_height - 12}" '
                        f'fill="{color}"/>')
            body.append(_text(label_width + plot_w + 8, y + row_height / 2 + 4,
                              f"{value:.1%}", 13, "start", TEXT, "bold"))
            body.append(_text(label_width + plot_w + 62, y + row_height / 2 + 4,
                              "達成" if reached else "未達", 11, "start", color, "bold"))
        tx = label_width + plot_w * target / scale_max
        body.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 2}" y2="{y + row_height - 2}" stroke="#222" '
                    f'stroke-width="3"/>')
        if r == 0:
            body.append(_text(tx, top - 8, f"目標 {target:.0%}", 11, "middle", TEXT, "bold"))
    return _svg(width, height, title, body)


def horizontal_bars(rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], *, title: str, unit: str = "件",
                    width: int = 900, row_height: int = 26, label_width: int = 190) -> str:
    """Stacked horizontal bars in absolute numbers: (label, [(segment, value, colour), ...])."""
    right = 70
    names = _segment_colors(rows)
    top = 30
    height = top + row_height * len(rows) + 8
    plot_w = width - label_width - right
    peak = axis(max([sum(v for _, v, _ in segments) for _, segments in rows] + [1]))[0]
    body = legend(list(names.items()), label_width, 16)
    for r, (label, segments) in enumerate(rows):
        y = top + r * row_height
        body.append(_text(label_width - 8, y + row_height / 2 + 4, label, 12, "end"))
        x = label_width
        total = 0.0
        for name, value, color in segments:
            if value <= 0:
                continue
            w = plot_w * value / peak
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" fill="{color}">'
                        f'<title>{escape(f"{label} {name}: {_fmt(value)}{unit}")}</title></rect>')
            x += w
            total += value
        body.append(_text(x + 6, y + row_height / 2 + 4, f"{_fmt(total)}{unit}", 11, "start", MUTED))
    return _svg(width, height, title, body)
