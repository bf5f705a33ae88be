"""Shared-folder rules as data: a file-name checker, a folder finder and the staff guide.

The DX office keeps the rules in ``knowledge/rules/shared-folder.toml``. This module reads
them and answers the staff questions they cover, deterministically (no index, no model):

* ``check_file_name("令和6年4月1日 予算資料.xlsx", rules)`` -> a verdict, the rules broken
  with a polite Japanese message each, and a corrected name that passes the check itself.
* ``find_folder("予算要求の資料はどこに保存する?", rules)`` -> ``共有フォルダ/{課}/{係}/{年度}/01_予算/``.
* ``extract_file_name(chat_message)`` -> the file name a staff member asks about, or None.
* ``render_guide_markdown(rules)`` -> the guide committed as
  ``knowledge/guides/staff/shared-folder-rules.md``, so the guide the bot cites and the
  checker it runs cannot disagree.

Command line (the same functions)::

    python -m bot.staff.naming_rules render > knowledge/guides/staff/shared-folder-rules.md
    python -m bot.staff.naming_rules check "令和6年4月1日 予算資料.xlsx" --json
    python -m bot.staff.naming_rules where "議会答弁の資料はどこに保存する?"

How a name is checked (each step records findings under one rule id):

1. characters are repaired one by one: split 濁点 (Mac NFD) are composed, half-width
   katakana and full-width letters/digits converted, spaces and invisible characters found,
   機種依存文字 replaced;
2. the extension is split off (a name without one is fine: Explorer hides extensions);
3. the date is found (at the start, or anywhere; western, era, compact or separated forms);
4. words such as 最終版 / コピー and the version (v2, ver2, 第2版 ...) are taken out;
5. what is left is split into 業務名 and 文書名 and checked character by character;
6. the parts are put back together as ``YYYYMMDD_業務名_文書名_vN.ext`` - the suggestion -
   shortened if too long. A name with no findings must rebuild to itself.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "rules" / "shared-folder.toml"

__all__ = [
    "DEFAULT_RULES_PATH", "NamingRules", "NamingRulesError", "Rule", "Violation", "NameCheck", "FolderAnswer",
    "load_naming_rules", "parse_naming_rules", "check_file_name", "find_folder", "extract_file_name",
    "render_guide_markdown", "format_check_reply", "format_folder_reply", "main",
]


class NamingRulesError(ValueError):
    """The rules file is missing something the checker or the guide needs."""


# ---------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    section: str
    description: str
    messages: Mapping[str, str]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class FolderLevel:
    name: str
    description: str
    example: str


@dataclass(frozen=True)
class Category:
    folder: str
    title: str
    description: str
    keywords: tuple[str, ...]
    retention: str


@dataclass(frozen=True)
class RetentionClass:
    id: str
    label: str
    years: int | None
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date


@dataclass(frozen=True)
class StatusWords:
    message: str
    min_version: int
    words: tuple[str, ...]
    glued: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class NamingRules:
    """Everything in the rules file, read once. Compare by identity; it is never mutated."""

    meta: Mapping[str, str]
    updated: date
    review_by: date
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    pattern: str
    example: str
    business_placeholder: str
    document_placeholder: str
    single_name_part: bool
    check_cues: tuple[str, ...]
    max_name_length: int
    max_path_length: int
    require_extension: bool
    allowed_extensions: tuple[str, ...]
    blocked_extensions: tuple[str, ...]
    min_year: int
    max_year: int
    eras: tuple[Era, ...]
    version_prefix: str
    first_version: int
    status_words: tuple[StatusWords, ...]
    windows_forbidden: frozenset[str]
    allowed_symbols: tuple[str, ...]
    machine_dependent_examples: str
    replacements: Mapping[str, str]
    machine_dependent: Mapping[str, str]
    char_names: Mapping[str, str]
    folder_pattern: str
    unc_root: str
    fiscal_year_format: str
    fiscal_year_start_month: int
    folder_notes: tuple[str, ...]
    question_cues: tuple[str, ...]
    levels: tuple[FolderLevel, ...]
    categories: tuple[Category, ...]
    retention: tuple[RetentionClass, ...]
    folder_marker: str
    retention_notes: tuple[str, ...]
    replies: Mapping[str, str]
    examples: tuple[str, ...]
    source: str = ""
    _patterns: Mapping[str, object] = field(default_factory=dict, repr=False)

    @property
    def title(self) -> str:
        return self.meta["title"]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_title(self, rule_id: str) -> str:
        """The guide section (## heading) that states a rule, for citations."""
        return self.section(self.rule(rule_id).section).title

    def citation_id(self, section_title: str) -> str:
        """Entry id of a guide section once imported (``<file stem>#<section>``)."""
        return f"{Path(self.meta.get('guide_path', 'shared-folder-rules.md')).stem}#{section_title}"

    def retention_class(self, class_id: str) -> RetentionClass:
        for retention in self.retention:
            if retention.id == class_id:
                return retention
        raise KeyError(class_id)


def load_naming_rules(path: str | Path = DEFAULT_RULES_PATH) -> NamingRules:
    """Read the rules file (TOML). Raises ``NamingRulesError`` naming what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise NamingRulesError(f"{path}: cannot read the rules file ({exc.strerror})") from exc
    return parse_naming_rules(text, source=str(path))


def parse_naming_rules(text: str, source: str = "shared-folder.toml") -> NamingRules:
    """Parse rules from TOML text (the importer keeps the file's text in the data dir)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NamingRulesError(f"{source}: invalid TOML: {exc}") from exc
    try:
        return _build_rules(data, source)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, NamingRulesError):
            raise
        raise NamingRulesError(f"{source}: missing or invalid value: {exc}") from exc


# Message keys the checker uses, per rule: the file must provide each of them.
_REQUIRED_MESSAGES = {
    "pattern": ("mismatch",),
    "parts": ("both_missing", "one_missing", "placeholder"),
    "separator": ("fullwidth", "hyphen", "dot", "double", "edge", "after_date"),
    "extension": ("uppercase", "fullwidth_dot", "blocked", "unknown", "missing", "double"),
    "date": ("missing", "format", "short_year", "impossible", "position"),
    "era_date": ("era",),
    "version": ("missing", "form", "minor", "zero", "position", "glued", "duplicate"),
    "status_words": (),  # checked against [[version.status_words]] below
    "forbidden_chars": ("found",),
    "spaces": ("found",),
    "fullwidth_alnum": ("found",),
    "halfwidth_katakana": ("found",),
    "machine_dependent": ("found", "no_replacement"),
    "combining_chars": ("found", "dropped"),
    "other_chars": ("found", "invisible"),
    "length": ("too_long",),
    "path_length": ("too_long",),
}
_REQUIRED_REPLIES = ("valid", "invalid", "suggestion", "no_suggestion", "source", "folder", "folder_path",
                     "folder_missing", "retention")


def _fold(text: str) -> str:
    """Normalization for matching words in questions: NFKC and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def _build_rules(data: dict, source: str) -> NamingRules:
    meta = data["meta"]
    for key in ("updated", "review_by"):
        if not isinstance(meta.get(key), date):
            raise NamingRulesError(f"{source}: meta.{key} must be a date such as 2026-04-01 (without quotes)")
    sections = tuple(Section(s["id"], s["title"], s.get("summary", "")) for s in data["sections"])
    section_ids = {s.id for s in sections}
    rules = tuple(Rule(r["id"], r["title"], r["section"], r["description"],
                       MappingProxyType(dict(r.get("messages", {})))) for r in data["rules"])
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise NamingRulesError(f"{source}: duplicate rule id")
    for rule_id, keys in _REQUIRED_MESSAGES.items():
        if rule_id not in ids:
            raise NamingRulesError(f"{source}: rule {rule_id!r} is missing")
        rule = rules[ids.index(rule_id)]
        missing = [k for k in keys if k not in rule.messages]
        if missing:
            raise NamingRulesError(f"{source}: rule {rule_id!r} has no message {', '.join(missing)}")
    for rule in rules:
        if rule.section not in section_ids:
            raise NamingRulesError(f"{source}: rule {rule.id!r} names unknown section {rule.section!r}")

    version = data["version"]
    status_words = tuple(
        StatusWords(g["message"], int(g.get("min_version", version.get("first", 1))),
                    tuple(g.get("words", ())), tuple(g.get("glued", ())))
        for g in version.get("status_words", ()))
    status_rule = rules[ids.index("status_words")]
    for group in status_words:
        if group.message not in status_rule.messages:
            raise NamingRulesError(f"{source}: status_words has no message {group.message!r}")

    retention = tuple(RetentionClass(r["id"], r["label"], r.get("years"), tuple(r.get("examples", ())))
                      for r in data["retention"])
    retention_ids = {r.id for r in retention}
    categories = tuple(Category(c["folder"], c["title"], c.get("description", ""), tuple(c.get("keywords", ())),
                                c["retention"]) for c in data["categories"])
    for category in categories:
        if category.retention not in retention_ids:
            raise NamingRulesError(f"{source}: category {category.folder!r} has unknown retention "
                                   f"{category.retention!r}")
    replies = MappingProxyType(dict(data["replies"]))
    for key in _REQUIRED_REPLIES:
        if key not in replies:
            raise NamingRulesError(f"{source}: replies has no {key!r}")

    chars = data["characters"]
    folder = data["folder"]
    naming = data["naming"]
    eras = tuple(Era(e["name"], e["letter"].upper(), e["start"]) for e in data["date"].get("eras", ()))
    return NamingRules(
        meta=MappingProxyType({k: str(v) for k, v in meta.items()}),
        updated=meta["updated"], review_by=meta["review_by"],
        sections=sections, rules=rules,
        pattern=naming["pattern"], example=naming["example"],
        business_placeholder=naming["business_placeholder"], document_placeholder=naming["document_placeholder"],
        single_name_part=bool(naming.get("single_name_part", False)),
        check_cues=tuple(_fold(c) for c in naming.get("check_cues", ())),
        max_name_length=int(data["limits"]["max_name_length"]),
        max_path_length=int(data["limits"]["max_path_length"]),
        require_extension=bool(data["extensions"].get("require_extension", False)),
        allowed_extensions=tuple(e.lower() for e in data["extensions"]["allowed"]),
        blocked_extensions=tuple(e.lower() for e in data["extensions"].get("blocked", ())),
        min_year=int(data["date"].get("min_year", 1900)), max_year=int(data["date"].get("max_year", 2099)),
        eras=eras,
        version_prefix=version.get("prefix", "v"), first_version=int(version.get("first", 1)),
        status_words=status_words,
        windows_forbidden=frozenset(chars["windows_forbidden"]),
        allowed_symbols=tuple(chars["allowed_symbols"]),
        machine_dependent_examples=chars.get("machine_dependent_examples", ""),
        replacements=MappingProxyType(dict(chars.get("replacements", {}))),
        machine_dependent=MappingProxyType(dict(chars.get("machine_dependent", {}))),
        char_names=MappingProxyType(dict(chars.get("names", {}))),
        folder_pattern=folder["pattern"], unc_root=folder.get("unc_root", ""),
        fiscal_year_format=folder.get("fiscal_year_format", "{year}年度"),
        fiscal_year_start_month=int(folder.get("fiscal_year_start_month", 4)),
        folder_notes=tuple(folder.get("notes", ())),
        question_cues=tuple(_fold(c) for c in folder.get("question_cues", ())),
        levels=tuple(FolderLevel(lv["name"], lv.get("description", ""), lv.get("example", ""))
                     for lv in folder["levels"]),
        categories=categories, retention=retention,
        folder_marker=data.get("retention_rules", {}).get("folder_marker", "保存{label}"),
        retention_notes=tuple(data.get("retention_rules", {}).get("notes", ())),
        replies=replies,
        examples=tuple(e["name"] for e in data.get("examples", ())),
        source=source,
        _patterns=MappingProxyType(_compile_patterns(status_words, eras)),
    )


# Separators as they appear after character repair (every kind of space is already " "):
# the characters, and the same as a regex character-class body.
_SEP_CHARS = "_-. "
_SEP = r"_\-. "


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile_patterns(status_words: tuple[StatusWords, ...], eras: tuple[Era, ...]) -> dict:
    patterns: dict[str, object] = {}
    groups = []
    for group in status_words:
        words = _alternation(group.words)
        alternatives = [
            # A whole part (with the separators before it, so that " - コピー" goes at once).
            rf"(?:^|[{_SEP}]+)(?:{words})(?=$|[{_SEP}])",
            # In brackets anywhere: (最終), 【final】.
            rf"[(（【\[［〔]\s*(?:{words})\s*[)）】\]］〕]",
        ]
        if group.glued:
            alternatives.append(rf"(?:{_alternation(group.glued)})(?=$|[{_SEP}])")
        groups.append((group, re.compile("|".join(alternatives), re.IGNORECASE)))
    patterns["status"] = tuple(groups)
    era_names = "|".join([re.escape(e.name) for e in eras] + [re.escape(e.letter) for e in eras]
                         + [re.escape(e.letter.lower()) for e in eras])
    letters = "".join(e.letter + e.letter.lower() for e in eras) or "R"
    patterns["era"] = re.compile(
        rf"(?<![A-Za-z])(?P<era>{era_names})\s*(?P<y>元|\d{{1,2}})\s*[年.\-/]\s*(?P<m>\d{{1,2}})\s*[月.\-/]"
        rf"\s*(?P<d>\d{{1,2}})(?:\s*日)?(?!\d)")
    patterns["era_compact"] = re.compile(
        rf"(?<![A-Za-z0-9])(?P<era>[{letters}])(?P<y>\d{{2}})(?P<m>\d{{2}})(?P<d>\d{{2}})(?!\d)")
    patterns["date_mark"] = re.compile(
        rf"(?<![A-Za-z])(?:\d{{8}}|\d{{4}}[-./年]\d{{1,2}}[-./月]\d{{1,2}}日?|(?:{era_names})(?:元|\d{{1,2}})[年.\-/]\d{{1,2}}"
        rf"[月.\-/]\d{{1,2}}日?|[{letters}]\d{{6}})")
    return patterns


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message}


@dataclass(frozen=True)
class NameCheck:
    """The verdict on one file name.

    ``suggestion`` is a corrected name that passes the check itself; it is None when the
    name is valid, and also when no valid name can be made automatically (an extension
    that may not be stored, or a folder path already too long).
    """

    valid: bool
    violations: list[Violation]
    suggestion: str | None
    name: str = ""

    @property
    def rule_ids(self) -> set[str]:
        return {v.rule for v in self.violations}

    def to_dict(self) -> dict:
        return {"valid": self.valid, "violations": [v.to_dict() for v in self.violations],
                "suggestion": self.suggestion}


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


# ---------------------------------------------------------------------------- checking


class _Findings:
    """Messages per rule, in the rules file's order, each message once."""

    def __init__(self, rules: NamingRules):
        self.rules = rules
        self.by_rule: dict[str, list[str]] = {}

    def add(self, rule_id: str, key: str, **fields) -> None:
        message = self.rules.rule(rule_id).messages[key].format(**fields)
        messages = self.by_rule.setdefault(rule_id, [])
        if message not in messages:
            messages.append(message)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self.by_rule

    def __bool__(self) -> bool:
        return bool(self.by_rule)

    def violations(self) -> list[Violation]:
        return [Violation(rule.id, "".join(self.by_rule[rule.id])) for rule in self.rules.rules
                if rule.id in self.by_rule]


class _Text:
    """A string whose every character remembers the character typed by the user."""

    __slots__ = ("chars", "origs")

    def __init__(self, chars: list[str], origs: list[str]):
        self.chars, self.origs = chars, origs

    @property
    def s(self) -> str:
        return "".join(self.chars)

    def slice(self, start: int, end: int) -> "_Text":
        return _Text(self.chars[start:end], self.origs[start:end])

    def typed(self, start: int, end: int) -> str:
        """What the user typed for a span (for messages); 1:1 repairs only, as in dates."""
        return "".join(self.origs[start:end]).strip()

    def without(self, start: int, end: int) -> "_Text":
        return _Text(self.chars[:start] + self.chars[end:], self.origs[:start] + self.origs[end:])


def _quote(chars) -> str:
    return "".join(f"「{c}」" for c in dict.fromkeys(chars))


def _code_point(char: str, rules: NamingRules) -> str:
    name = rules.char_names.get(char)
    code = f"U+{ord(char):04X}"
    return f"{name}（{code}）" if name and code not in name else (name or code)


def _is_combining(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me") and not _is_variation_selector(char)


def _is_variation_selector(char: str) -> bool:
    cp = ord(char)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _is_space(char: str) -> bool:
    return unicodedata.category(char) == "Zs" or char in "\t\n\r\v\f"


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or _is_variation_selector(char)


def _is_halfwidth_katakana(char: str) -> bool:
    return 0xFF61 <= ord(char) <= 0xFF9F


def _is_fullwidth_alnum(char: str) -> bool:
    cp = ord(char)
    return 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A


# Unicode blocks whose characters are the classic 機種依存文字 (circled numbers, roman
# numerals, ㈱, ㍻, ㎡ ...) or look-alikes of ordinary kanji (Kangxi radicals, compatibility
# ideographs). Characters outside the BMP (𠮷 ...) are treated the same way.
_COMPATIBILITY_BLOCKS = ((0x2100, 0x218F), (0x2460, 0x24FF), (0x2776, 0x2793), (0x2F00, 0x2FDF),
                         (0x3200, 0x33FF), (0xF900, 0xFAFF), (0x1F100, 0x1F1E5), (0x1F200, 0x1F2FF))
_DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")


def _is_machine_dependent(char: str, rules: NamingRules) -> bool:
    if char in rules.machine_dependent:
        return True
    cp = ord(char)
    if 0x20000 <= cp <= 0x3FFFF:  # CJK extension B and later
        return True
    return any(lo <= cp <= hi for lo, hi in _COMPATIBILITY_BLOCKS) and unicodedata.normalize("NFKC", char) != char


def _is_allowed(char: str, rules: NamingRules) -> bool:
    cp = ord(char)
    return ((char.isascii() and char.isalnum()) or char in rules.allowed_symbols
            or 0x3041 <= cp <= 0x3096 or 0x309D <= cp <= 0x309F      # hiragana
            or 0x30A1 <= cp <= 0x30FA or 0x30FC <= cp <= 0x30FE      # katakana, ー
            or cp in (0x3005, 0x3006, 0x3007)                        # 々 〆 〇
            or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF)     # kanji (BMP)


def _repair_characters(name: str, rules: NamingRules, findings: _Findings) -> _Text:
    """Step 1: fix what can be fixed character by character, recording each kind."""
    # Split 濁点/半濁点 and other combining marks: compose with the character before.
    composed: list[tuple[str, str]] = []
    combined, dropped = [], []
    for char in name:
        if _is_combining(char):
            if composed and len(unicodedata.normalize("NFC", composed[-1][0] + char)) == 1:
                joined = unicodedata.normalize("NFC", composed[-1][0] + char)
                composed[-1] = (joined, composed[-1][1] + char)
                combined.append(joined)
            else:
                dropped.append(char)
            continue
        composed.append((char, char))
    if combined:
        findings.add("combining_chars", "found", chars=_quote(combined))
    if dropped:
        findings.add("combining_chars", "dropped", chars="、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in dropped)))

    out_chars: list[str] = []
    out_origs: list[str] = []
    halfwidth_runs: list[str] = []
    fullwidth_runs: list[str] = []
    spaces: list[str] = []
    invisible: list[str] = []
    forbidden_controls: list[str] = []
    machine: list[tuple[str, str]] = []
    machine_unfixed: list[str] = []
    previous_kind = ""
    i = 0
    while i < len(composed):
        char, orig = composed[i]
        kind = ""
        if _is_halfwidth_katakana(char):
            # A run at once, so that ｶﾞ becomes ガ (the voiced mark is a separate character).
            j = i
            while j < len(composed) and _is_halfwidth_katakana(composed[j][0]):
                j += 1
            run = "".join(c for c, _ in composed[i:j])
            halfwidth_runs.append(run)
            for converted in unicodedata.normalize("NFKC", run):
                out_chars.append(converted)
                out_origs.append(run)
            i = j
            continue
        if _is_space(char):
            spaces.append(char)
            out_chars.append(" ")
            out_origs.append(orig)
        elif _is_invisible(char):
            # A variation selector or joiner inside an emoji belongs to the emoji, reported below.
            if not (previous_kind == "symbol" and (char == "\u200d" or _is_variation_selector(char))):
                invisible.append(char)
            kind = previous_kind
        elif unicodedata.category(char) == "Cc":
            forbidden_controls.append(char)
        elif _is_fullwidth_alnum(char):
            converted = chr(ord(char) - 0xFEE0)
            if previous_kind == "fullwidth":
                fullwidth_runs[-1] += char
            else:
                fullwidth_runs.append(char)
            kind = "fullwidth"
            out_chars.append(converted)
            out_origs.append(orig)
        elif char == "＿":
            findings.add("separator", "fullwidth")
            out_chars.append("_")
            out_origs.append(orig)
        elif char == "．":
            out_chars.append(".")
            out_origs.append(orig)
        elif char in _DASHES:
            out_chars.append("-")
            out_origs.append(orig)
        elif _is_machine_dependent(char, rules):
            replacement = rules.machine_dependent.get(char)
            if replacement is None and not (0x20000 <= ord(char) <= 0x3FFFF):
                replacement = unicodedata.normalize("NFKC", char)
            if replacement:
                machine.append((char, replacement))
                for converted in replacement:
                    out_chars.append(converted)
                    out_origs.append(orig)
            else:
                machine_unfixed.append(char)
        else:
            if unicodedata.category(char).startswith("S"):
                kind = "symbol"
            out_chars.append(char)
            out_origs.append(orig)
        previous_kind = kind
        i += 1

    if halfwidth_runs:
        fixed = "、".join(f"「{run}」→「{unicodedata.normalize('NFKC', run)}」" for run in dict.fromkeys(halfwidth_runs))
        findings.add("halfwidth_katakana", "found", chars=_quote(halfwidth_runs), fixed=fixed)
    if fullwidth_runs:
        findings.add("fullwidth_alnum", "found", chars=_quote(fullwidth_runs))
    if spaces:
        kinds = "、".join(dict.fromkeys(rules.char_names.get(c) or _code_point(c, rules) for c in spaces))
        findings.add("spaces", "found", kinds=kinds)
    if forbidden_controls:
        findings.add("forbidden_chars", "found",
                     chars="（" + "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in forbidden_controls)) + "）")
    if machine:
        fixed = "、".join(f"「{c}」→「{r}」" for c, r in dict.fromkeys(machine))
        findings.add("machine_dependent", "found", chars=_quote(c for c, _ in machine), fixed=fixed)
    if machine_unfixed:
        findings.add("machine_dependent", "no_replacement", chars=_quote(machine_unfixed))
    if invisible:
        findings.add("other_chars", "invisible", chars="、".join(dict.fromkeys(_code_point(c, rules) for c in invisible)))
    return _Text(out_chars, out_origs)


_EXTENSION = re.compile(r"\.([A-Za-z][A-Za-z0-9]{0,9})$")
_WEST_SEPARATED = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:[-./]|年)\s*(?P<m>\d{1,2})\s*(?:[-./]|月)\s*(?P<d>\d{1,2})(?:\s*日)?(?!\d)")
_WEST_COMPACT = re.compile(r"(?<!\d)(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)")
_SHORT_YEAR = re.compile(r"^(?P<y>\d{2})(?P<m>\d{2})(?P<d>\d{2})(?=[_\-. ]|$)")
_VERSION = re.compile(
    r"(?<![A-Za-z])(?:(?P<tag>v|ver|version|rev)\.?\s*(?P<n>\d+)(?:\.(?P<minor>\d+))?(?![0-9A-Za-z])"
    r"|第\s*(?P<n2>\d+)\s*版|(?<![\d第])(?P<n3>\d+)\s*版|(?P<first>初版))",
    re.IGNORECASE)
_COPY_NUMBER = re.compile(r"\s+[(（]\d+[)）]$")


@dataclass
class _DateMatch:
    start: int
    end: int
    kind: str  # "era", "era_compact", "separated", "compact", "short"
    text: str
    value: date | None


def _make_date(rules: NamingRules, year: int, month: int, day: int) -> date | None:
    if not rules.min_year <= year <= rules.max_year:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _era_year(rules: NamingRules, era: str, year: str) -> int:
    for candidate in rules.eras:
        if era in (candidate.name, candidate.letter, candidate.letter.lower()):
            return candidate.start.year + (1 if year == "元" else int(year)) - 1
    raise KeyError(era)


def _find_dates(stem: str, rules: NamingRules) -> list[_DateMatch]:
    found: list[_DateMatch] = []
    for kind, pattern in (("era", rules._patterns["era"]), ("era_compact", rules._patterns["era_compact"]),
                          ("separated", _WEST_SEPARATED), ("compact", _WEST_COMPACT), ("short", _SHORT_YEAR)):
        for m in pattern.finditer(stem):
            if kind.startswith("era"):
                year = _era_year(rules, m["era"], m["y"])
            elif kind == "short":
                year = 2000 + int(m["y"])
            else:
                year = int(m["y"])
            found.append(_DateMatch(m.start(), m.end(), kind, m.group(0),
                                    _make_date(rules, year, int(m["m"]), int(m["d"]))))
    # Overlaps: the earliest, then the longest, wins.
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    chosen: list[_DateMatch] = []
    for match in found:
        if not chosen or match.start >= chosen[-1].end:
            chosen.append(match)
    return chosen


def _take_date(stem: _Text, rules: NamingRules, findings: _Findings, today: date) -> tuple[date, _Text]:
    """Step 3: the date - from the start of the name, else from anywhere in it."""
    matches = _find_dates(stem.s, rules)
    lead = next((m for m in matches if m.start == 0 and (m.value or m.kind not in ("short",))), None)
    chosen = lead
    if chosen is None:
        # Away from the start only unambiguous forms count: an 8-digit number that is not a
        # real date is a number (契約番号12345678), not a broken date.
        chosen = next((m for m in matches if m.kind in ("era", "separated") or (m.value and m.kind != "short")), None)
    if chosen is None:
        findings.add("date", "missing", suggested=today.strftime("%Y%m%d"))
        return today, stem
    value = chosen.value
    chosen.text = stem.typed(chosen.start, chosen.end)
    if value is None:
        findings.add("date", "impossible", found=chosen.text.strip(), suggested=today.strftime("%Y%m%d"))
        value = today
    else:
        fixed = value.strftime("%Y%m%d")
        if chosen.kind.startswith("era"):
            findings.add("era_date", "era", found=chosen.text.strip(), fixed=fixed)
        elif chosen.kind == "separated":
            findings.add("date", "format", found=chosen.text.strip(), fixed=fixed)
        elif chosen.kind == "short":
            findings.add("date", "short_year", found=chosen.text.strip(), fixed=fixed)
    if chosen.start != 0:
        findings.add("date", "position", found=chosen.text.strip())
    elif chosen.end < len(stem.chars) and stem.chars[chosen.end] not in _SEP_CHARS:
        findings.add("separator", "after_date")
    return value, stem.without(chosen.start, chosen.end)


def _take_status_words(stem: _Text, rules: NamingRules, findings: _Findings) -> tuple[int, _Text]:
    """Step 4a: remove 最終版, コピー, (1) ...; returns the version they imply."""
    min_version = rules.first_version
    m = _COPY_NUMBER.search(stem.s)
    if m:
        copy_group = next((g for g in rules.status_words if g.message == "copy"), None)
        if copy_group is not None:
            findings.add("status_words", "copy", words=m.group(0).strip())
            stem = stem.without(m.start(), m.end())
    for group, pattern in rules._patterns["status"]:
        while True:
            m = pattern.search(stem.s)
            if not m:
                break
            word = m.group(0).strip(_SEP_CHARS + "(（【[［〔)）】]］〕 ")
            findings.add("status_words", group.message, words=word)
            min_version = max(min_version, group.min_version)
            stem = stem.without(m.start(), m.end())
    return min_version, stem


def _take_version(stem: _Text, rules: NamingRules, findings: _Findings, min_version: int) -> tuple[int, _Text]:
    """Step 4b: the version, wherever and however it was written."""
    matches = list(_VERSION.finditer(stem.s))
    if not matches:
        findings.add("version", "missing", fixed=min_version)
        return min_version, stem
    last = matches[-1]
    text = stem.typed(last.start(), last.end())
    if last["first"]:
        number = 1
    else:
        number = int(last["n"] or last["n2"] or last["n3"])
    if last["minor"] is not None:
        bumped = number + (1 if int(last["minor"]) > 0 else 0)
        findings.add("version", "minor", found=text, fixed=max(bumped, rules.first_version))
        number = bumped
    elif number < rules.first_version:
        findings.add("version", "zero", found=text)
    elif last.group(0) != f"{rules.version_prefix}{number}":
        findings.add("version", "form", found=text, fixed=number)
    number = max(number, rules.first_version)
    if len(matches) > 1:
        findings.add("version", "duplicate", found="、".join(f"「{stem.typed(m.start(), m.end())}」" for m in matches))
    rest = stem.s[last.end():]
    if rest.strip(_SEP_CHARS):
        findings.add("version", "position", found=text)
    elif last.start() > 0 and stem.s[last.start() - 1] not in _SEP_CHARS:
        findings.add("version", "glued", found=text)
    for m in reversed(matches):
        stem = stem.without(m.start(), m.end())
    return number, stem


def _clean_parts(rest: _Text, rules: NamingRules, findings: _Findings) -> list[str]:
    """Step 5: split what is left into words and check each character."""
    s = rest.s
    hyphens = [o for c, o in zip(rest.chars, rest.origs) if c == "-"]
    dots = [o for c, o in zip(rest.chars, rest.origs) if c == "."]
    if hyphens:
        findings.add("separator", "hyphen", chars=_quote(hyphens))
    if dots:
        findings.add("separator", "dot", chars=_quote(dots))
    forbidden, other = [], []
    parts: list[str] = []
    for m in re.finditer(rf"[^{_SEP}]+", s):
        cleaned = []
        for char, orig in zip(rest.chars[m.start():m.end()], rest.origs[m.start():m.end()]):
            if _is_allowed(char, rules):
                cleaned.append(char)
                continue
            if char in rules.windows_forbidden or orig in rules.windows_forbidden:
                forbidden.append(orig)
            else:
                other.append(orig)
            cleaned.append(rules.replacements.get(orig, rules.replacements.get(char, "")))
        part = "".join(cleaned)
        if part:
            parts.append(part)
    if forbidden:
        findings.add("forbidden_chars", "found", chars=_quote(forbidden))
    if other:
        findings.add("other_chars", "found", chars=_quote(other))
    return parts


def _split_single_part(part: str, rules: NamingRules) -> tuple[str, str]:
    """業務名 and 文書名 from one word: split after a known 業務分類 keyword (予算要求|資料)."""
    best = ""
    for category in rules.categories:
        for keyword in category.keywords:
            if part.startswith(keyword) and len(part) - len(keyword) >= 2 and len(keyword) > len(best):
                best = keyword
    if best:
        return best, part[len(best):]
    return rules.business_placeholder, part


def _assemble(day: date, business: str, document: str, version: int, extension: str, rules: NamingRules) -> str:
    words = "_".join(w for w in (business, document) if w)
    name = f"{day.strftime('%Y%m%d')}_{words}_{rules.version_prefix}{version}"
    return f"{name}.{extension}" if extension else name


def _fit(day: date, business: str, document: str, version: int, extension: str, rules: NamingRules,
         limit: int) -> str | None:
    """Shorten 文書名 (then 業務名) from the end until the name fits ``limit`` characters."""
    while True:
        name = _assemble(day, business, document, version, extension, rules)
        if len(name) <= limit:
            return name
        if len(document) > 1:
            document = document[:-1].rstrip("_") or document[:1]
        elif len(business) > 1:
            business = business[:-1]
        else:
            return None


def check_file_name(name: str, rules: NamingRules, *, today: date | None = None,
                    folder: str | None = None) -> NameCheck:
    """Check one file name against the rules.

    ``today`` is the date a suggestion uses when the name has no usable date (default: the
    real today; pass it for reproducible results). With ``folder`` (where the file is or will
    be saved) the length of the whole path is checked too.

    >>> rules = load_naming_rules()
    >>> check_file_name("20240401_予算要求_資料_v1.xlsx", rules).valid
    True
    >>> check_file_name("令和6年4月1日 予算要求資料.xlsx", rules).suggestion
    '20240401_予算要求資料_v1.xlsx'
    """
    return _check(name, rules, today or date.today(), folder, verify=True)


def _check(name: str, rules: NamingRules, today: date, folder: str | None, verify: bool) -> NameCheck:
    findings = _Findings(rules)
    text = _repair_characters(name, rules, findings)

    # Step 2: the extension (trailing spaces are not part of it; they are already reported).
    text = text.slice(0, len(text.s.rstrip(" ")))
    extension = ""
    fixable = True
    m = _EXTENSION.search(text.s)
    if m and m.start() > 0 and not re.fullmatch(r"v\d+", m.group(1), re.IGNORECASE):
        raw = m.group(1)
        extension = raw.lower()
        if text.origs[m.start()] == "．":
            findings.add("extension", "fullwidth_dot")
        if extension in rules.blocked_extensions:
            findings.add("extension", "blocked", found=raw)
            fixable = False
        elif extension not in rules.allowed_extensions:
            findings.add("extension", "unknown", found=raw)
            fixable = False
        elif raw != extension:
            findings.add("extension", "uppercase", found=raw, fixed=extension)
        text = text.slice(0, m.start())
        inner = _EXTENSION.search(text.s)
        if fixable and inner and inner.start() > 0 \
                and inner.group(1).lower() in rules.allowed_extensions + rules.blocked_extensions:
            # 資料.xlsx.pdf: a name saved again in another format keeps only the last extension.
            findings.add("extension", "double", found=f".{inner.group(1)}.{raw}", fixed=extension)
            text = text.slice(0, inner.start())
    elif rules.require_extension:
        findings.add("extension", "missing")
        fixable = False

    stem = text.s
    bare = stem.strip(" ")
    if bare.startswith("_") or bare.endswith("_"):
        findings.add("separator", "edge")
    if "__" in stem:
        findings.add("separator", "double")
    core_start = len(stem) - len(stem.lstrip(_SEP_CHARS))
    core_end = len(stem.rstrip(_SEP_CHARS))
    text = text.slice(core_start, max(core_start, core_end))

    # Steps 3-5.
    day, text = _take_date(text, rules, findings, today)
    min_version, text = _take_status_words(text, rules, findings)
    version, text = _take_version(text, rules, findings, min_version)
    parts = _clean_parts(text, rules, findings)

    if not parts:
        business, document = rules.business_placeholder, rules.document_placeholder
        findings.add("parts", "both_missing", business=business, document=document)
    elif len(parts) == 1 and rules.single_name_part:
        # 業務名 and 文書名 written as one word (20240401_予算要求資料_v2.xlsx) is allowed.
        business, document = parts[0], ""
    elif len(parts) == 1:
        business, document = _split_single_part(parts[0], rules)
        findings.add("parts", "one_missing", found=parts[0])
        if business == rules.business_placeholder:
            findings.add("parts", "placeholder", placeholder=business)
    else:
        business, document = parts[0], "_".join(parts[1:])

    if len(name) > rules.max_name_length:
        findings.add("length", "too_long", length=len(name), limit=rules.max_name_length)
    limit = rules.max_name_length
    if folder:
        folder_text = folder.rstrip("/\\")
        path_length = len(folder_text) + 1 + len(name)
        if path_length > rules.max_path_length:
            findings.add("path_length", "too_long", length=path_length, limit=rules.max_path_length)
        limit = min(limit, rules.max_path_length - len(folder_text) - 1)

    rebuilt = _assemble(day, business, document, version, extension, rules)
    if not findings and rebuilt != name:
        # A safety net: every name the checker passes must be exactly the pattern.
        findings.add("pattern", "mismatch")
    if not findings:
        return NameCheck(True, [], None, name)

    suggestion = _fit(day, business, document, version, extension, rules, limit) if fixable else None
    if verify:
        # One pass can leave something a second pass fixes (a word that only becomes a
        # whole part once the version beside it is gone): repair until the name passes.
        for _ in range(3):
            if suggestion is None:
                break
            again = _check(suggestion, rules, today, folder, verify=False)
            if again.valid:
                break
            suggestion = again.suggestion
        else:
            suggestion = None
    return NameCheck(False, findings.violations(), suggestion, name)


# ---------------------------------------------------------------------------- folders

_ERA_FISCAL = re.compile(r"(令和|平成|r|h)\s*(元|\d{1,2})\s*年度")
_WEST_FISCAL = re.compile(r"(?<!\d)(\d{4})\s*年度")
_RELATIVE_FISCAL = {"今年度": 0, "本年度": 0, "当年度": 0, "昨年度": -1, "前年度": -1, "来年度": 1, "次年度": 1,
                    "翌年度": 1}


def _fiscal_year_of(day: date, rules: NamingRules) -> int:
    return day.year if day.month >= rules.fiscal_year_start_month else day.year - 1


def _fiscal_year_in(text: str, rules: NamingRules, today: date | None) -> int | None:
    folded = _fold(text)
    m = _WEST_FISCAL.search(folded)
    if m:
        return int(m.group(1))
    m = _ERA_FISCAL.search(folded)
    if m:
        era = {"r": "R", "h": "H"}.get(m.group(1), m.group(1))
        try:
            return _era_year(rules, era, m.group(2))
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
    folded = _fold(question or "")
    if not any(cue in folded for cue in rules.question_cues):
        return None
    best: tuple[int, int, str, Category] | None = None
    for order, category in enumerate(rules.categories):
        for keyword in category.keywords:
            folded_keyword = _fold(keyword)
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


# ---------------------------------------------------------------------------- chat messages

_QUOTED = re.compile(r"「([^「」]+)」|『([^『』]+)』|\"([^\"]+)\"|“([^“”]+)”|`([^`]+)`")
_COMMAND = re.compile(r"^\s*(?:/?check|チェック|確認|ファイル名チェック)\s*[:：]?\s+(?P<rest>.+?)\s*$",
                      re.IGNORECASE | re.DOTALL)
_STOPS = set(" \t\r\n\u3000「」『』\"“”`'、。，,？！?!：:")
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_PARTICLES = ("って", "は", "が", "を", "で", "も", "の", "に")


def _narrow(text: str) -> str:
    """Full-width ASCII to half-width, one character for one, so positions still match."""
    return text.translate(_WIDTH)


def _extension_anchors(narrow: str, rules: NamingRules):
    known = set(rules.allowed_extensions) | set(rules.blocked_extensions)
    for m in re.finditer(r"\.([A-Za-z][A-Za-z0-9]{0,9})(?![A-Za-z0-9])", narrow):
        if m.group(1).lower() in known:
            yield m


def _cut_at_date(candidate: str, rules: NamingRules) -> str:
    """'ファイル名は20240401_…' -> '20240401_…' (a date after a particle starts the name)."""
    narrow = _narrow(candidate)
    m = rules._patterns["date_mark"].search(narrow)
    if m and m.start() > 0 and narrow[:m.start()].endswith(_PARTICLES):
        return candidate[m.start():]
    return candidate


def _basename(candidate: str) -> str:
    if re.match(r"^(?:\\\\|[A-Za-z]:\\)", candidate):
        return candidate.rsplit("\\", 1)[-1]
    return candidate


def _looks_like_name(candidate: str, rules: NamingRules) -> bool:
    narrow = _narrow(candidate)
    return (any(True for _ in _extension_anchors(narrow, rules))
            or ("_" in narrow and bool(re.search(r"\d|v\d", narrow, re.IGNORECASE)))
            or bool(rules._patterns["date_mark"].search(narrow)))


def _is_request(text: str, candidate: str, rules: NamingRules) -> bool:
    rest = _fold(text.replace(candidate, " ", 1))
    if not re.sub(r"[\s\W_]+", "", rest):
        return True  # the message is nothing but the name
    return any(cue in rest for cue in rules.check_cues)


def extract_file_name(text: str, rules: NamingRules | None = None) -> str | None:
    """The file name a chat message asks to check, or None for other messages.

    Recognised: a name in quotes (「」『』"" “” ``, which may contain spaces), a command
    (``check …`` / ``チェック …``), or a name with a known extension or of the
    ``日付_…_v版`` shape in running text, together with a word asking for a check
    (ルール, 大丈夫, 合ってる, ok ...) - or nothing else in the message. Outside quotes a name
    may contain a space only right after a leading date (``令和6年4月1日 予算資料.xlsx``).

    >>> extract_file_name("20240401_予算要求資料_v2.xlsx って大丈夫？")
    '20240401_予算要求資料_v2.xlsx'
    >>> extract_file_name("予算要求の資料はどこに保存する?") is None
    True
    """
    rules = rules or _default_rules()
    if not text or not text.strip():
        return None
    text = text.strip()

    for m in _QUOTED.finditer(text):
        candidate = next(g for g in m.groups() if g is not None)
        if candidate.strip() and (_looks_like_name(candidate, rules) or _is_request(text, m.group(0), rules)):
            return _basename(candidate)

    command = _COMMAND.match(text)
    if command:
        rest = command["rest"]
        anchors = list(_extension_anchors(_narrow(rest), rules))
        if anchors:
            return _basename(rest[:anchors[0].end()].strip())
        return _basename(rest.rstrip("?？!！。 "))

    narrow = _narrow(text)
    date_token = rules._patterns["date_mark"]
    for anchor in _extension_anchors(narrow, rules):
        start = anchor.start()
        while start > 0 and text[start - 1] not in _STOPS:
            start -= 1
        stem = text[start:anchor.start()]
        if not stem or stem.endswith(("(", "（")):
            continue
        # A space inside an unquoted name is accepted only after a leading date.
        before = text[:start]
        token = re.search(r"(\S+)[ \u3000]+$", before)
        if token and date_token.fullmatch(_narrow(token.group(1))):
            start = token.start(1)
        candidate = _cut_at_date(text[start:anchor.end()], rules)
        if _is_request(text, candidate, rules):
            return _basename(candidate)
        return None

    for m in re.finditer(r"[^\s「」『』\"“”`、。，,？！?!：:]+", text):
        token = m.group(0)
        narrow_token = _narrow(token)
        if ("_" in narrow_token and (date_token.search(narrow_token)
                                     or re.search(r"(?<![A-Za-z])v\d", narrow_token, re.IGNORECASE))):
            start = m.start()
            before = text[:start]
            lead = re.search(r"(\S+)[ \u3000]+$", before)
            if lead and date_token.fullmatch(_narrow(lead.group(1))):
                start = lead.start(1)
            candidate = _cut_at_date(text[start:m.end()], rules)
            if _is_request(text, candidate, rules):
                return _basename(candidate)
            return None
    return None


_DEFAULT_RULES: NamingRules | None = None


def _default_rules() -> NamingRules:
    global _DEFAULT_RULES
    if _DEFAULT_RULES is None:
        _DEFAULT_RULES = load_naming_rules(DEFAULT_RULES_PATH)
    return _DEFAULT_RULES


# ---------------------------------------------------------------------------- replies


def format_check_reply(check: NameCheck, rules: NamingRules) -> str:
    """A chat reply for a checked name: verdict, one line per rule, the fix and the source."""
    replies = rules.replies
    if check.valid:
        lines = [replies["valid"].format(name=check.name)]
        sections = [rules.section("naming").title]
    else:
        lines = [replies["invalid"].format(name=check.name)]
        lines += [f"・{v.message}" for v in check.violations]
        lines.append(replies["suggestion"].format(suggestion=check.suggestion) if check.suggestion
                     else replies["no_suggestion"])
        sections = list(dict.fromkeys(rules.section_title(v.rule) for v in check.violations))
    lines.append(replies["source"].format(title=rules.title, sections="」「".join(sections)))
    return "\n".join(lines)


def format_folder_reply(answer: FolderAnswer, rules: NamingRules) -> str:
    """A chat reply for a folder answer, with the rule section it comes from."""
    replies = rules.replies
    lines = [replies["folder"].format(keyword=answer.keyword, folder=answer.folder, title=answer.title),
             replies["folder_path"].format(path=answer.path)]
    if answer.missing:
        lines.append(replies["folder_missing"].format(placeholders="".join("{" + m + "}" for m in answer.missing)))
    lines.append(replies["retention"].format(retention=answer.retention))
    lines.append(replies["source"].format(title=answer.source, sections=answer.section))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the guide


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule_bullets(rules: NamingRules, section_id: str) -> list[str]:
    return [f"- **{rule.title}**：{rule.description}" for rule in rules.rules if rule.section == section_id]


def render_guide_markdown(rules: NamingRules) -> str:
    """The staff guide, generated from the rules (one ``##`` section per question)."""
    meta = rules.meta
    out = [
        "---",
        f"title: {meta['title']}",
        f"audience: {meta['audience']}",
        f"department: {meta['department']}",
        f"category: {meta['category']}",
        f"updated: {rules.updated.isoformat()}",
        f"review_by: {rules.review_by.isoformat()}",
        "---",
        f"# {meta['title']}",
        "",
        f"> {meta['note']}",
        "",
    ]
    if meta.get("intro"):
        out += [meta["intro"], ""]
    renderers = {
        "folders": _guide_folders, "naming": _guide_naming, "characters": _guide_characters,
        "length": _guide_length, "version": _guide_version, "date": _guide_date,
        "retention": _guide_retention, "categories": _guide_categories, "examples": _guide_examples,
    }
    for section in rules.sections:
        out += [f"## {section.title}", ""]
        if section.summary:
            out += [section.summary, ""]
        body = renderers.get(section.id, lambda r: _rule_bullets(r, section.id))(rules)
        out += body
        if body and body[-1] != "":
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _guide_folders(rules: NamingRules) -> list[str]:
    example = rules.folder_pattern
    for level in rules.levels:
        example = example.replace("{" + level.name + "}", level.example)
    lines = ["```", rules.folder_pattern, "```", "",
             "| 階層 | 書き方 | 例 |", "|---|---|---|"]
    lines += [f"| {_cell(lv.name)} | {_cell(lv.description)} | {_cell(lv.example)} |" for lv in rules.levels]
    lines += ["", f"例：`{example}`"]
    if rules.unc_root:
        root = rules.folder_pattern.split("/", 1)[0]
        windows = rules.unc_root + "\\" + example[len(root) + 1:].rstrip("/").replace("/", "\\")
        lines[-1] += f"（エクスプローラーでは `{windows}`）"
    lines.append("")
    lines += [f"- {note}" for note in rules.folder_notes]
    return lines


def _guide_naming(rules: NamingRules) -> list[str]:
    lines = ["```", rules.pattern, "```", "", f"例：`{rules.example}`", ""]
    lines += _rule_bullets(rules, "naming")
    lines += ["", "保存できる拡張子：" + "、".join(rules.allowed_extensions)]
    if rules.blocked_extensions:
        lines.append("")
        lines.append("保存できない拡張子：" + "、".join(rules.blocked_extensions))
    return lines


def _guide_characters(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "characters")
    if rules.machine_dependent_examples:
        lines += ["", f"機種依存文字の例：{rules.machine_dependent_examples}"]
    lines += ["", "使える記号：" + "".join(f"「{c}」" for c in rules.allowed_symbols)]
    return lines


def _guide_length(rules: NamingRules) -> list[str]:
    return _rule_bullets(rules, "length")


def _guide_version(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "version")
    lines += ["", "付けない言葉："]
    for group in rules.status_words:
        lines.append(f"- {rules.rule('status_words').messages[group.message].format(words='」「'.join(group.words))}")
    return lines


def _guide_date(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "date")
    eras = "、".join(f"{e.name}（{e.letter}）は{e.start.year}年{e.start.month}月{e.start.day}日から" for e in rules.eras)
    if eras:
        lines += ["", f"和暦から直すときの元号：{eras}。"]
    return lines


def _guide_retention(rules: NamingRules) -> list[str]:
    lines = ["| 保存年限 | 主な文書の例 | 標準と違うときのフォルダ名 |", "|---|---|---|"]
    for retention in rules.retention:
        lines.append(f"| {_cell(retention.label)} | {_cell('、'.join(retention.examples))} | "
                     f"{_cell(rules.folder_marker.format(label=retention.label))} |")
    lines.append("")
    lines += [f"- {note}" for note in rules.retention_notes]
    return lines


def _guide_categories(rules: NamingRules) -> list[str]:
    lines = ["| フォルダ | 入れるもの | 主な言葉 | 標準の保存年限 |", "|---|---|---|---|"]
    for category in rules.categories:
        lines.append(f"| {_cell(category.folder)} | {_cell(category.description)} | "
                     f"{_cell('、'.join(category.keywords))} | {_cell(rules.retention_class(category.retention).label)} |")
    return lines


def _guide_examples(rules: NamingRules) -> list[str]:
    lines = ["| ファイル名 | 判定 | 直した例 |", "|---|---|---|"]
    for example in rules.examples:
        check = check_file_name(example, rules, today=rules.updated)
        if check.valid:
            verdict, fixed = "ルールに合っています", "（そのままでよい）"
        else:
            verdict = "直す点：" + "、".join(rules.rule(v.rule).title for v in check.violations)
            fixed = f"`{check.suggestion}`" if check.suggestion else "（自動では直せません）"
        lines.append(f"| `{_cell(example)}` | {_cell(verdict)} | {_cell(fixed)} |")
    lines += ["", f"日付のない名前を直した例では、今日の日付（ここでは{rules.updated.year}年{rules.updated.month}月"
                  f"{rules.updated.day}日）を入れています。"]
    return lines


# ---------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff.naming_rules",
                                     description="Shared-folder rules: render the guide, check a name, find a folder.")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="print the staff guide (Markdown) generated from the rules")
    render.add_argument("rules", nargs="?", default=str(DEFAULT_RULES_PATH))
    render.add_argument("--out", help="write to this file instead of stdout")
    check = sub.add_parser("check", help="check a file name")
    check.add_argument("name")
    check.add_argument("--rules", default=str(DEFAULT_RULES_PATH))
    check.add_argument("--today", help="YYYY-MM-DD used when the name has no date (default: today)")
    check.add_argument("--folder", help="folder the file is saved in (checks the path length)")
    check.add_argument("--json", action="store_true")
    where = sub.add_parser("where", help="find the folder for a question")
    where.add_argument("question")
    where.add_argument("--rules", default=str(DEFAULT_RULES_PATH))
    where.add_argument("--department")
    where.add_argument("--fiscal-year", type=int)
    where.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    try:
        rules = load_naming_rules(args.rules)
        if args.command == "render":
            guide = render_guide_markdown(rules)
            if args.out:
                Path(args.out).write_text(guide, encoding="utf-8")
            else:
                sys.stdout.write(guide)
            return 0
        if args.command == "check":
            today = date.fromisoformat(args.today) if args.today else None
            result = check_file_name(args.name, rules, today=today, folder=args.folder)
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json
                  else format_check_reply(result, rules))
            return 0
        answer = find_folder(args.question, rules, args.department, args.fiscal_year)
        if args.json:
            print(json.dumps(answer.to_dict() if answer else None, ensure_ascii=False, indent=2))
        else:
            print(format_folder_reply(answer, rules) if answer else "該当する業務分類が見つかりませんでした。")
        return 0
    except (NamingRulesError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
