"""The shared-folder rules as data: their types and the parser of ``knowledge/rules/shared-folder.toml``.

    >>> rules = load_naming_rules()          # DEFAULT_RULES_PATH
    >>> rules.rule("date").description

``parse_naming_rules`` checks that the file provides every message the checker, the folder
finder and the guide need (``NamingRulesError`` names what is missing).
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Mapping


DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "rules" / "shared-folder.toml"

class NamingRulesError(ValueError):
    """The rules file is missing something the checker or the guide needs."""


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


def fold_for_matching(text: str) -> str:
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
        check_cues=tuple(fold_for_matching(c) for c in naming.get("check_cues", ())),
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
        question_cues=tuple(fold_for_matching(c) for c in folder.get("question_cues", ())),
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
SEPARATOR_CHARS = "_-. "
SEPARATOR_CLASS = r"_\-. "


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile_patterns(status_words: tuple[StatusWords, ...], eras: tuple[Era, ...]) -> dict:
    patterns: dict[str, object] = {}
    groups = []
    for group in status_words:
        words = _alternation(group.words)
        alternatives = [
            # A whole part (with the separators before it, so that " - コピー" goes at once).
            rf"(?:^|[{SEPARATOR_CLASS}]+)(?:{words})(?=$|[{SEPARATOR_CLASS}])",
            # In brackets anywhere: (最終), 【final】.
            rf"[(（【\[［〔]\s*(?:{words})\s*[)）】\]］〕]",
        ]
        if group.glued:
            alternatives.append(rf"(?:{_alternation(group.glued)})(?=$|[{SEPARATOR_CLASS}])")
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


def western_year(rules: NamingRules, era: str, year: str) -> int:
    for candidate in rules.eras:
        if era in (candidate.name, candidate.letter, candidate.letter.lower()):
            return candidate.start.year + (1 if year == "元" else int(year)) - 1
    raise KeyError(era)
