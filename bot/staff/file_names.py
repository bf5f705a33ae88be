"""The file-name checker: a verdict on one name, the rules it breaks and a corrected name.

    >>> check = check_file_name("令和6年4月1日 予算資料.xlsx", rules)
    >>> check.valid, check.suggestion

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

import re
from dataclasses import dataclass
from datetime import date

from bot.staff.characters import Findings, TypedText, Violation, is_allowed_char, quote_chars, repair_characters
from bot.staff.rules import SEPARATOR_CHARS, SEPARATOR_CLASS, NamingRules, western_year
from indexing.dates import city_today


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


def _find_dates(stem: str, rules: NamingRules) -> list[_DateMatch]:
    found: list[_DateMatch] = []
    for kind, pattern in (("era", rules._patterns["era"]), ("era_compact", rules._patterns["era_compact"]),
                          ("separated", _WEST_SEPARATED), ("compact", _WEST_COMPACT), ("short", _SHORT_YEAR)):
        for m in pattern.finditer(stem):
            if kind.startswith("era"):
                year = western_year(rules, m["era"], m["y"])
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


def _take_date(stem: TypedText, rules: NamingRules, findings: Findings, today: date) -> tuple[date, TypedText]:
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
    elif chosen.end < len(stem.chars) and stem.chars[chosen.end] not in SEPARATOR_CHARS:
        findings.add("separator", "after_date")
    return value, stem.without(chosen.start, chosen.end)


def _take_status_words(stem: TypedText, rules: NamingRules, findings: Findings) -> tuple[int, TypedText]:
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
            word = m.group(0).strip(SEPARATOR_CHARS + "(（【[［〔)）】]］〕 ")
            findings.add("status_words", group.message, words=word)
            min_version = max(min_version, group.min_version)
            stem = stem.without(m.start(), m.end())
    return min_version, stem


def _take_version(stem: TypedText, rules: NamingRules, findings: Findings, min_version: int) -> tuple[int, TypedText]:
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
    if rest.strip(SEPARATOR_CHARS):
        findings.add("version", "position", found=text)
    elif last.start() > 0 and stem.s[last.start() - 1] not in SEPARATOR_CHARS:
        findings.add("version", "glued", found=text)
    for m in reversed(matches):
        stem = stem.without(m.start(), m.end())
    return number, stem


def _clean_parts(rest: TypedText, rules: NamingRules, findings: Findings) -> list[str]:
    """Step 5: split what is left into words and check each character."""
    s = rest.s
    hyphens = [o for c, o in zip(rest.chars, rest.origs) if c == "-"]
    dots = [o for c, o in zip(rest.chars, rest.origs) if c == "."]
    if hyphens:
        findings.add("separator", "hyphen", chars=quote_chars(hyphens))
    if dots:
        findings.add("separator", "dot", chars=quote_chars(dots))
    forbidden, other = [], []
    parts: list[str] = []
    for m in re.finditer(rf"[^{SEPARATOR_CLASS}]+", s):
        cleaned = []
        for char, orig in zip(rest.chars[m.start():m.end()], rest.origs[m.start():m.end()]):
            if is_allowed_char(char, rules):
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
        findings.add("forbidden_chars", "found", chars=quote_chars(forbidden))
    if other:
        findings.add("other_chars", "found", chars=quote_chars(other))
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
    return _check(name, rules, today or city_today(), folder, verify=True)


def _check(name: str, rules: NamingRules, today: date, folder: str | None, verify: bool) -> NameCheck:
    findings = Findings(rules)
    text = repair_characters(name, rules, findings)

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
    core_start = len(stem) - len(stem.lstrip(SEPARATOR_CHARS))
    core_end = len(stem.rstrip(SEPARATOR_CHARS))
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
