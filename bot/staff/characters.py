"""Step 1 of the file-name check: repair the characters one by one, recording what was wrong.

Split 濁点 (Mac NFD) are composed, half-width katakana and full-width letters/digits converted,
spaces and invisible characters found, 機種依存文字 replaced. ``Findings`` collects the messages
of every step under their rule id; ``TypedText`` remembers what the user typed for each character.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.staff.rules import NamingRules


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message}


class Findings:
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


class TypedText:
    """A string whose every character remembers the character typed by the user."""

    __slots__ = ("chars", "origs")

    def __init__(self, chars: list[str], origs: list[str]):
        self.chars, self.origs = chars, origs

    @property
    def s(self) -> str:
        return "".join(self.chars)

    def slice(self, start: int, end: int) -> "TypedText":
        return TypedText(self.chars[start:end], self.origs[start:end])

    def typed(self, start: int, end: int) -> str:
        """What the user typed for a span (for messages); 1:1 repairs only, as in dates."""
        return "".join(self.origs[start:end]).strip()

    def without(self, start: int, end: int) -> "TypedText":
        return TypedText(self.chars[:start] + self.chars[end:], self.origs[:start] + self.origs[end:])


def quote_chars(chars) -> str:
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


def is_allowed_char(char: str, rules: NamingRules) -> bool:
    cp = ord(char)
    return ((char.isascii() and char.isalnum()) or char in rules.allowed_symbols
            or 0x3041 <= cp <= 0x3096 or 0x309D <= cp <= 0x309F      # hiragana
            or 0x30A1 <= cp <= 0x30FA or 0x30FC <= cp <= 0x30FE      # katakana, ー
            or cp in (0x3005, 0x3006, 0x3007)                        # 々 〆 〇
            or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF)     # kanji (BMP)


def repair_characters(name: str, rules: NamingRules, findings: Findings) -> TypedText:
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
        findings.add("combining_chars", "found", chars=quote_chars(combined))
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
        findings.add("halfwidth_katakana", "found", chars=quote_chars(halfwidth_runs), fixed=fixed)
    if fullwidth_runs:
        findings.add("fullwidth_alnum", "found", chars=quote_chars(fullwidth_runs))
    if spaces:
        kinds = "、".join(dict.fromkeys(rules.char_names.get(c) or _code_point(c, rules) for c in spaces))
        findings.add("spaces", "found", kinds=kinds)
    if forbidden_controls:
        findings.add("forbidden_chars", "found",
                     chars="（" + "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in forbidden_controls)) + "）")
    if machine:
        fixed = "、".join(f"「{c}」→「{r}」" for c, r in dict.fromkeys(machine))
        findings.add("machine_dependent", "found", chars=quote_chars(c for c, _ in machine), fixed=fixed)
    if machine_unfixed:
        findings.add("machine_dependent", "no_replacement", chars=quote_chars(machine_unfixed))
    if invisible:
        findings.add("other_chars", "invisible", chars="、".join(dict.fromkeys(_code_point(c, rules) for c in invisible)))
    return TypedText(out_chars, out_origs)
