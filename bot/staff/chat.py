"""Chat messages: the file name a staff member asks about, and the replies the bot sends.

    >>> extract_file_name("このファイル名はルールに合ってる？ 20240401_予算_資料_final.xlsx")
    '20240401_予算_資料_final.xlsx'
    >>> format_check_reply(check_file_name(name, rules), rules)
"""
from __future__ import annotations

import re

from bot.staff.file_names import NameCheck
from bot.staff.folders import FolderAnswer
from bot.staff.rules import DEFAULT_RULES_PATH, NamingRules, fold_for_matching, load_naming_rules


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


_NAME_CHARACTER = re.compile(r"[^\W_]")  # a letter, digit, kana or kanji


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
    rest = fold_for_matching(text.replace(candidate, " ", 1))
    if not re.sub(r"[\s\W_]+", "", rest):
        return True  # the message is nothing but the name
    return any(cue in rest for cue in rules.check_cues)


def _requested_name(text: str, start: int, end: int, rules: NamingRules) -> str | None:
    """The name at ``text[start:end]`` if the message asks about it (None otherwise).

    A space inside an unquoted name is accepted only after a leading date: ``令和6年4月1日 予算.xlsx``.
    """
    token = re.search(r"(\S+)[ \u3000]+$", text[:start])
    if token and rules._patterns["date_mark"].fullmatch(_narrow(token.group(1))):
        start = token.start(1)
    candidate = _cut_at_date(text[start:end], rules)
    return _basename(candidate) if _is_request(text, candidate, rules) else None


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
        # Symbols alone in quotes (「/」は使える？) are characters asked about, not a name to check.
        if _NAME_CHARACTER.search(candidate) and (_looks_like_name(candidate, rules)
                                                  or _is_request(text, m.group(0), rules)):
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
        return _requested_name(text, start, anchor.end(), rules)

    for m in re.finditer(r"[^\s「」『』\"“”`、。，,？！?!：:]+", text):
        token = m.group(0)
        narrow_token = _narrow(token)
        if ("_" in narrow_token and (date_token.search(narrow_token)
                                     or re.search(r"(?<![A-Za-z])v\d", narrow_token, re.IGNORECASE))):
            return _requested_name(text, m.start(), m.end(), rules)
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
