"""Dates as city data writes them, read into ``datetime.date``.

    >>> parse_date("令和6年4月1日"), parse_date("2026/4/1"), parse_date("R7.3")
    (datetime.date(2024, 4, 1), datetime.date(2026, 4, 1), datetime.date(2025, 3, 1))

Used by the FAQ loader (更新日 and 見直し期限 cells are stored as ``YYYY-MM-DD``) and by the admin
forms' validation (indexing/curation/validation.py). A date given by its month only (「2024年4月」,
「R6.4」, as many published FAQs write 更新日) reads as the first day of that month.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

# Japan has one time zone and no daylight saving: the city's calendar day, whatever the server's clock
# zone is (containers run in UTC, nine hours behind: before 9:00 JST their city_today() is yesterday).
JAPAN_TIME = timezone(timedelta(hours=9), "JST")


def city_today() -> date:
    """Today's date in Japan: for file-name dates, review deadlines, report ranges and form defaults."""
    return datetime.now(JAPAN_TIME).date()

# Year, month and an optional day, separated by - / . or written 年月日; or eight digits.
_WESTERN_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

# Japanese eras, as city data writes them: 令和6年4月1日, 令和元年5月1日, R6.4.1, H31/3/31.
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
# The first day of each era: 平成1年1月7日 is no date. A date past an era's end stays readable: documents
# written before 令和 was announced say 平成32年3月31日.
_ERA_STARTS = {2018: date(2019, 5, 1), 1988: date(1989, 1, 8), 1925: date(1926, 12, 25)}
_ERA_DATE = re.compile(r"^(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)\s*[年./-]\s*(\d{1,2})\s*"
                       r"(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?$", re.IGNORECASE)


# What follows a date in a cell without changing it: a weekday ((月), (月・祝), (Mon), 月曜日) and 更新 / 現在 /
# 改定 / 時点 / 掲載 / 付.
_WEEKDAY = r"(?:[月火水木金土日](?:曜日?)?(?:[・･,][祝休]日?)?|mon|tue|wed|thu|fri|sat|sun)"
_AFTER_DATE = re.compile(rf"(?<=[\d月])(?:日)?\s*(?:\(\s*{_WEEKDAY}\s*\)|{_WEEKDAY}(?=\s|$|更|現|改|時|掲|付))?\s*"
                         r"(?:更新|現在|改訂|改定|改正|時点|掲載|付け?)?$", re.IGNORECASE)


def parse_date(value: str | date | None) -> date | None:
    """A date from ``2026-04-01``, ``2026/4/1``, ``2026年4月1日``, ``20260401``, an era date such as
    ``令和8年4月1日`` or ``R8.4.1``, or a month alone (its first day); None when empty or unreadable."""
    if isinstance(value, date):
        return value
    text = _AFTER_DATE.sub("", unicodedata.normalize("NFKC", str(value or "")).strip())
    era = _ERA_DATE.match(text)
    if era:
        name, year, month, day = era.groups()
        offset = _ERAS[name.upper() if len(name) == 1 else name]
        number = 1 if year == "元" else int(year)
        read = _date(offset + number, month, day) if number >= 1 else None
        start = _ERA_STARTS[offset]
        if read and not day and (read.year, read.month) == (start.year, start.month):
            read = start  # 令和元年5月: the era's first month, from the era's first day
        return read if read and read >= start else None
    text = text.split("T")[0].split(" ")[0] if re.match(r"^\d{4}\D\d{1,2}\D\d{1,2}[T ]", text) else text
    match = _WESTERN_DATE.match(text) or _COMPACT_DATE.match(text)
    return _date(*match.groups()) if match else None


def _date(year, month, day) -> date | None:
    try:
        return date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
