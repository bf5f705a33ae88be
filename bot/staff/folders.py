"""The folder finder: where a kind of document is saved, from a staff question.

    >>> find_folder("予算要求の資料はどこに保存する?", rules).path
    '共有フォルダ/{課}/{係}/{年度}/01_予算/'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.staff.rules import Category, NamingRules, fold_for_matching, western_year


@dataclass(frozen=True)
class FolderAnswer:
    """Where a kind of document goes, with the rule it comes from.

    ``path`` is the folder pattern filled in as far as known; ``missing`` lists the levels
    left as ``{課}``-style placeholders.
    """

    path: str
    folder: str
    title: str
    keyword: str
    retention: str
    missing: tuple[str, ...]
    section: str
    source: str
    citation_id: str

    def to_dict(self) -> dict:
        return {"path": self.path, "folder": self.folder, "title": self.title, "keyword": self.keyword,
                "retention": self.retention, "missing": list(self.missing), "section": self.section,
                "source": self.source, "citation_id": self.citation_id}


_ERA_FISCAL = re.compile(r"(令和|平成|r|h)\s*(元|\d{1,2})\s*年度")
_WEST_FISCAL = re.compile(r"(?<!\d)(\d{4})\s*年度")
_RELATIVE_FISCAL = {"今年度": 0, "本年度": 0, "当年度": 0, "昨年度": -1, "前年度": -1, "来年度": 1, "次年度": 1,
                    "翌年度": 1}


def _fiscal_year_of(day: date, rules: NamingRules) -> int:
    return day.year if day.month >= rules.fiscal_year_start_month else day.year - 1


def _fiscal_year_in(text: str, rules: NamingRules, today: date | None) -> int | None:
    folded = fold_for_matching(text)
    m = _WEST_FISCAL.search(folded)
    if m:
        return int(m.group(1))
    m = _ERA_FISCAL.search(folded)
    if m:
        era = {"r": "R", "h": "H"}.get(m.group(1), m.group(1))
        try:
            return western_year(rules, era, m.group(2))
        except KeyError:
            return None
    if today is not None:
        for word, offset in _RELATIVE_FISCAL.items():
            if word in folded:
                return _fiscal_year_of(today, rules) + offset
    return None


def find_folder(question: str, rules: NamingRules, department: str | None = None,
                fiscal_year: int | str | None = None, *, today: date | None = None) -> FolderAnswer | None:
    """Where a kind of document is saved, for "○○の資料はどこに保存する?" questions.

    Returns None unless the question asks where to save/find something (a word such as どこ,
    保存, フォルダ) and names a 業務分類 keyword; the longest matching keyword wins. The path
    is filled with ``department`` and the fiscal year (given, or written in the question as
    2024年度 / 令和6年度 / 今年度 - the last one needs ``today``); the 係 is never known.

    >>> find_folder("議会答弁の資料はどこに保存する?", load_naming_rules(), "総務課", 2024).path
    '共有フォルダ/総務課/{係}/2024年度/02_議会/'
    """
    folded = fold_for_matching(question or "")
    if not any(cue in folded for cue in rules.question_cues):
        return None
    best: tuple[int, int, str, Category] | None = None
    for order, category in enumerate(rules.categories):
        for keyword in category.keywords:
            folded_keyword = fold_for_matching(keyword)
            if folded_keyword and folded_keyword in folded:
                candidate = (len(folded_keyword), -order, keyword, category)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    if best is None:
        return None
    _, _, keyword, category = best

    if isinstance(fiscal_year, str):
        fiscal_year = _fiscal_year_in(fiscal_year, rules, today) or (int(fiscal_year) if fiscal_year.isdigit() else None)
    if fiscal_year is None:
        fiscal_year = _fiscal_year_in(question, rules, today)
    values = {
        "課": department or None,
        "係": None,
        "年度": rules.fiscal_year_format.format(year=fiscal_year) if fiscal_year else None,
        "業務分類": category.folder,
    }
    path = rules.folder_pattern
    missing = []
    for level in rules.levels:
        value = values.get(level.name)
        if value:
            path = path.replace("{" + level.name + "}", value)
        else:
            missing.append(level.name)
    section = rules.section("categories").title
    return FolderAnswer(path=path, folder=category.folder, title=category.title, keyword=keyword,
                        retention=rules.retention_class(category.retention).label, missing=tuple(missing),
                        section=section, source=rules.title, citation_id=rules.citation_id(section))
