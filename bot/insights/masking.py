"""Masking personal data in chat text before it is stored in the inquiry log.

Each detected item is replaced by a typed placeholder in Japanese brackets, so a report
still reads naturally:

>>> mask_personal_data("私は山田太郎です。電話は090-1234-5678です")
'私は〔氏名〕です。電話は〔電話番号〕です'
>>> mask_personal_data("あおば市の粗大ごみは何曜日？")
'あおば市の粗大ごみは何曜日？'

Matching runs on a normalised copy in which every character remembers its position in the
original (see ``_normalize_with_offsets``): NFKC (full-width digits, ＠, （）, ： become ASCII),
invisible characters dropped (zero-width spaces, word joiner, BOM, soft hyphen), runs of kanji
digits read as digits (〇九〇一二三四五六七八), digits spaced out one by one joined, and
``.`` / ``/`` between long digit groups read as hyphens (090.1234.5678). A phone number read out in kana
digit words (ゼロキューゼロの1234の5678) is masked when its digits make a Japanese number. Replacements are made
on the original, so everything that is not masked is left exactly as written.

Design choices (see ``tests/bot/insights/test_masking.py`` and ``tests/fixtures/masking_cases.tsv`` for the
cases behind each of them):

* Privacy first where the two conflict: any 12-digit number (bare or grouped 4-4-4)
  is masked as a My Number without checking the check digit, because a false negative
  leaks a national ID while a false positive only hides, say, a 12-digit timestamp.
* Card numbers (13-16 digits) are masked when Luhn-valid, when grouped 4-4-4-4, or
  when a card word (カード, クレジット, ...) comes just before. Other long numbers, such
  as 13-digit corporate numbers (法人番号, public data), are left alone.
* 基礎年金番号 and 保険証 numbers are masked after their label only: without it they
  are indistinguishable from reference numbers. So are bank account numbers (口座番号, 普通預金 …),
  driving licence and passport numbers, and a date of birth (生年月日は…): a bare seven-digit number,
  ``TK1234567`` or a date is as likely a reference, a product code or the date a question is about.
* E-mail addresses also in the forms people use to dodge scrapers: ``taro at example dot jp``,
  ``taro(at)example.jp``, ``taro[at]…``, ``taroアットマークexample.jp``.
* Postal codes are masked only with a 〒 / 郵便番号 label or when an address follows:
  a bare ``123-4567`` is as likely a document or reception number, and a postal code
  alone identifies thousands of households, not a person.
* Addresses are masked only when they have a street-number part (番地, 丁目+番, 1-2-3 ...),
  so a town used as a topic (あおば市の粗大ごみ, 中央2丁目の公園) stays readable.
  Labels (住所は, 〒...) stay in place; the mask runs from the prefecture, town or
  city to the end of the building and room number.
* Names are found two ways. Sentence shapes say a name follows (私は…です, …と申します,
  氏名：…, 名前は…です; a stop list keeps 私は学生です and the like). And SudachiPy's
  part-of-speech tags (名詞,固有名詞,人名,姓/名) find surnames and given names, masked
  only with a cue: an honorific after (さん, 様, くん …), です / と申します, a label or a
  relation before (氏名：, 母の, 担当の), or a full kanji name (山田花子). The
  tags keep place names (品川, 中野区) and common words (大家さん) readable; a place
  topic before the copula (実家は長野です) keeps a place that is also a surname.

Known limits: a name Sudachi does not tag as one (さくらちゃん, 森です) is missed unless a
sentence shape catches it; a hyphenated street number with neither a 市/区/町/村 name nor
a word like 住所 before it (神南1-2-3) is kept; a hiragana particle inside a city name
(かすみがうら市) cuts the mask short, leaving the first part of the city name visible.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

from bot.insights.name_masking import (
    HIRAGANA, KANJI, KATAKANA, SUDACHI_CHUNK, find_kana_introductions, find_names, find_tagged_names,
    sudachi_tokenizer,
)

# When two findings overlap, the one that starts first wins, then the earlier kind here.
PERSONAL_DATA_KINDS = (
    "email", "card", "licence_number", "my_number", "pension_number", "insurance_number", "bank_account",
    "passport_number", "birth_date", "phone", "postal_code", "address", "name",
)

PLACEHOLDERS = {
    "email": "〔メール〕",
    "card": "〔カード番号〕",
    "my_number": "〔マイナンバー〕",
    "pension_number": "〔年金番号〕",
    "insurance_number": "〔保険証番号〕",
    "licence_number": "〔免許証番号〕",
    "bank_account": "〔口座番号〕",
    "passport_number": "〔旅券番号〕",
    "birth_date": "〔生年月日〕",
    "phone": "〔電話番号〕",
    "postal_code": "〔郵便番号〕",
    "address": "〔住所〕",
    "name": "〔氏名〕",
}
# Any placeholder as it stands in a masked text (〔電話番号〕 ...).
PLACEHOLDER = re.compile(r"〔[^〔〕\s]{1,12}〕")


def masked_kinds_text(separator: str = "・") -> str:
    """What is masked, in Japanese, for a report's claim: 'メール・カード番号・…・氏名'."""
    return separator.join(PLACEHOLDERS[kind].strip("〔〕") for kind in PERSONAL_DATA_KINDS)


class PersonalDataSpan(NamedTuple):
    """One finding: ``text[start:end]`` is personal data of ``kind``."""

    kind: str
    start: int
    end: int


def mask_personal_data(text: str, spare=None) -> str:
    """Replace personal data in ``text`` with typed placeholders such as 〔電話番号〕.

    Text without personal data is returned unchanged; masking is idempotent. ``spare``, when given,
    is asked about each finding (a PersonalDataSpan); the ones it returns True for are left as written
    (search uses it for a "name" that is part of a longer word: ほ|けんし|さん, 保健師さん).

    >>> mask_personal_data("氏名：山田 太郎　メール：taro@example.jp")
    '氏名：〔氏名〕　メール：〔メール〕'
    """
    if not text:
        return text
    spans = [span for span in find_personal_data(text) if spare is None or not spare(span)]
    if not spans:
        return text
    parts, last = [], 0
    for span in spans:
        parts.append(text[last:span.start])
        parts.append(PLACEHOLDERS[span.kind])
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def find_personal_data(text: str) -> list[PersonalDataSpan]:
    """Non-overlapping personal-data spans in ``text`` (offsets into ``text``), in text order.

    >>> find_personal_data("TEL 03-1234-5678")
    [PersonalDataSpan(kind='phone', start=4, end=16)]
    """
    if not text:
        return []
    norm, origin = _normalize_with_offsets(text)
    candidates = [
        PersonalDataSpan(kind, origin[start], origin[end - 1] + 1)
        for detector in _DETECTORS
        for kind, start, end in detector(norm)
        if end > start
    ]
    rank = {kind: i for i, kind in enumerate(PERSONAL_DATA_KINDS)}
    chosen: list[PersonalDataSpan] = []
    # Leftmost first: in '03 1234 5678 2024年' the phone number, not '1234 5678 2024'. In start order a
    # candidate overlaps a chosen span exactly when it starts before the furthest chosen end.
    reach = 0
    for cand in sorted(candidates, key=lambda c: (c.start, rank[c.kind], c.start - c.end)):
        if cand.start >= reach:
            chosen.append(cand)
            reach = cand.end
    stretched: list[PersonalDataSpan] = []
    for span in (_stretched(c, text) for c in chosen):
        if stretched and span.start < stretched[-1].end:  # inside the reading just stretched over
            continue
        stretched.append(span)
    return stretched


# A name's reading in brackets after it: 山田花子（やまだはなこ）, 山田太郎(ﾔﾏﾀﾞﾀﾛｳ), 山田花子 (Yamada Hanako).
_READING_AHEAD = re.compile(r"[ 　]?[（(][ 　]*[ぁ-んァ-ヶｦ-ﾟー・ 　A-Za-z.]{2,30}[）)]")


# A building and room written after a street address, past a comma or a line break: 中央1-2-3、サンハイツ101.
# The name must end in a word for a building (a room number alone is no building).
_BUILDING_WORD = r"(?:ハイツ|マンション|アパート|コーポ|荘|レジデンス|ハウス|ビル|団地|住宅|タワー|ヒルズ|メゾン|パレス|コート|テラス|プラザ|ガーデン|寮)"
_BUILDING_AHEAD = re.compile(
    rf"[、,，]?[ 　\n]?[ァ-ヺー・A-Za-zＡ-Ｚａ-ｚ一-龥々]{{1,20}}?{_BUILDING_WORD}"
    r"(?:[ 　]?[A-Za-zＡ-Ｚ]?[0-9０-９]{1,4}(?:号室|号棟|号館|号|階|F)?)?")


def _stretched(span: PersonalDataSpan, text: str) -> PersonalDataSpan:
    """A name span stretched over the reading that follows it (the reading names the person too); an
    address over the building and room that follow it."""
    ahead = _READING_AHEAD if span.kind == "name" else _BUILDING_AHEAD if span.kind == "address" else None
    found = ahead.match(text, span.end) if ahead else None
    return span._replace(end=found.end()) if found else span


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text matching runs on, with the original index of every character in it.

    Steps, each keeping the mapping exact:

    1. NFKC character by character (full-width digits, ＠, （）, ： become ASCII); the only
       loss is that half-width kana with a separate voicing mark (ｶﾞ) are not composed.
    2. Invisible characters (zero-width spaces and joiners, word joiner, BOM, soft hyphen
       ...) are dropped, so ``090\\u200b1234`` reads as ``0901234``.
    3. Runs of at least two kanji digits (〇三, 一二三四) become ASCII digits; single
       kanji numerals (一丁目, 第三章) are left alone.
    4. Single digits spaced out one by one (``0 9 0 1 2 3 ...``) are joined.
    5. Long digit groups separated by ``.``, ``/`` or ``・`` (090.1234.5678) get hyphens.
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE or (ord(ch) > 0x7F and unicodedata.category(ch) == "Cf"):
            continue
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        chars.append(folded)
        origin.extend([i] * len(folded))
    norm = "".join(chars)
    norm = _KANJI_DIGIT_RUN.sub(_ascii_digits, norm)
    keep = [True] * len(norm)
    for m in _SPACED_DIGITS.finditer(norm):
        for j in range(m.start(), m.end()):
            if norm[j] in " \t":
                keep[j] = False
    if not all(keep):
        norm = "".join(c for c, k in zip(norm, keep) if k)
        origin = [o for o, k in zip(origin, keep) if k]
    norm = _DOTTED_GROUPS.sub(_hyphenate_groups, norm)
    norm = _LOOSE_GROUPS.sub(_hyphenate_loose_groups, norm)
    return norm, origin


_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                       "\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0")
_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# Two or more kanji digits in a row, possibly mixed with ASCII digits (〇九〇1234五六七八).
# Each run of digits is matched once (a lookahead for the two kanji digits made long digit runs quadratic).
_KANJI_DIGIT_RUN = re.compile(r"[0-9〇零一二三四五六七八九]{2,}")
_TWO_KANJI_DIGITS = re.compile(r"[〇零一二三四五六七八九]{2}")


def _ascii_digits(m: re.Match) -> str:
    run = m.group()
    return run.translate(_KANJI_DIGITS) if _TWO_KANJI_DIGITS.search(run) else run
# At least five single digits separated by blanks: '0 9 0 1 2 3 4 5 6 7 8', '0 9 0 - 1 2 3 4 - ...'.
_SPACED_DIGITS = re.compile(r"(?<![\d])\d(?:(?:[ \t]{1,3}|[ \t]*[\-‐‑‒–—―−ー─━][ \t]*)\d(?!\d)){4,}")
_DOTTED_GROUPS = re.compile(r"(?<![\d.,/])\d{2,5}([./・])\d{2,6}(?:\1\d{2,6})+(?![\d]|[./・]\d)")


# Digit groups that people separate by whatever is at hand: 090、1234、5678 / 090～1234～5678 / 090の1234の5678 /
# 1234-5678 9012 / a line break or an underscore. One separator character (with a blank either side) between
# groups of at least three digits.
_HYPHENS = "\\-‐‑‒–—―−ー─━"  # what people type between digits (also _D below)
_LOOSE_MARK = rf"[、,~〜_\nの{_HYPHENS}]"
_LOOSE_SEP = rf"[ \t]?(?:{_LOOSE_MARK}|(?<![ \t])[ \t](?![ \t]))[ \t]?"
_LOOSE_GROUPS = re.compile(rf"(?<![\d.,/:])(?<!\d{_LOOSE_MARK})(?<!\d[ \t])(?:0\d|\d{{3,8}})(?:{_LOOSE_SEP}\d{{3,8}}){{1,3}}"
                           r"(?![\d]|[.:/]\d)")
_LOOSE_SEP_CHARS = re.compile(rf"{_LOOSE_MARK}|(?<=\d)[ \t](?=\d)")
# Units right after a number: 1000、2000、3000枚 are counts; '… 9012 2024年' is a My Number followed by a
# year, not one card number. (A word after a blank is no unit: 090、1234、5678 本人です.)
_UNIT = r"(?:[年月日時分秒歳円%人件回個度万億枚頁歩本台冊名点倍]|ページ)"
_UNIT_AHEAD = rf"(?!{_UNIT})"
_MY_NUMBER_LABEL = re.compile(r"マイナンバー|個人番号|my ?number", re.I)
# How far before a number its My Number label may stand (「マイナンバーを聞かれたので伝えました 1234、…」); groups
# already hyphenated unevenly (12345678-9012) need it closer (_find_my_numbers).
_LABEL_REACH = 40
_UNEVEN_LABEL_REACH = 16


def _after_my_number_label(text: str, start: int, reach: int = _LABEL_REACH) -> bool:
    return bool(_MY_NUMBER_LABEL.search(text, max(0, start - reach), start))


def _hyphenate_loose_groups(m: re.Match) -> str:
    """'090、1234、5678' -> '090-1234-5678' (same length) when the groups read as a phone number (ten or
    eleven digits from a 0) or a My Number (twelve digits in 4-4-4, or in any grouping after its label):
    each separator character becomes a hyphen, so the phone and My Number patterns see one consistent
    separator. Counts with a unit, lists of years or times (2023、2024、2025 / 0900、1200、1500) and parts of a
    file name (file_2024_0401_1234) are left as written."""
    text, digits = m.group(), _digits(m.group())
    if re.match(_UNIT, m.string[m.end():m.end() + 3]):
        return text
    groups = re.findall(r"\d+", text)
    phone_like = len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0"
    named = len(digits) == 12 and _after_my_number_label(m.string, m.start())
    grouped = len(digits) == 12 and [len(g) for g in groups] == [4, 4, 4] and not _listed(groups) \
        and not _in_a_name(m)
    return _LOOSE_SEP_CHARS.sub("-", text) if phone_like or named or grouped else text


def _listed(groups: list[str]) -> bool:
    """Years (2019, 2020 …) or times of day (0900, 1200 …): a list, not a number."""
    years = all(g[:2] in ("19", "20") for g in groups)
    times = all(int(g[:2]) < 24 and int(g[2:]) < 60 for g in groups)
    return years or times


def _in_a_name(m: re.Match) -> bool:
    """Digits joined by underscores inside a file name or an address (file_2024_0401_1234.csv)."""
    before = m.string[m.start() - 1:m.start()] if m.start() else ""
    after = m.string[m.end():m.end() + 2]
    return "_" in m.group() and (bool(re.match(r"[A-Za-z_/\-.]", before)) or bool(re.match(r"\.[A-Za-z]", after)))


def _hyphenate_groups(m: re.Match) -> str:
    """'090.1234.5678' -> '090-1234-5678' when the groups hold at least ten digits."""
    if len(_digits(m.group())) < 10:
        return m.group()  # 2024/04/01, 1.2.3: dates and section numbers keep their dots
    return m.group().replace(m.group(1), "-")


# --- Shared character classes (on NFKC text) --------------------------------------------

# Hyphens, minus signs, long-vowel marks and box-drawing lines that people type between digits.
_D = rf"[{_HYPHENS}]"
_KANJI, _HIRA, _KATA = KANJI, HIRAGANA, KATAKANA
_PLACE_CHAR = re.compile(rf"{_KANJI}|{_HIRA}|{_KATA}")
_NUMBER_START = rf"(?<!\d)(?<!\d{_D})"  # not the tail of a longer number such as 2024-0312345678
_NUMBER_END = rf"(?!\d)(?!{_D}\d)"


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


# --- E-mail --------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._+\-])[A-Za-z0-9][A-Za-z0-9._+\-]*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![A-Za-z])"
)
# Addresses written to dodge scrapers: 'taro.yamada at example dot co dot jp',
# 'taro(at)example.jp', 'taro[at]example.jp', 'taroアットマークexample.jp', 'hanako あっと example.jp'.
_AT_WORD = r"(?:[ ]*(?:\(at\)|\[at\]|<at>|\{at\}|\(@\)|\[@\]|アットマーク|あっとまーく|アット|あっと)[ ]*|[ ]+at[ ]+)"
_DOT_WORD = r"(?:[ ]*(?:\(dot\)|\[dot\]|<dot>|\{dot\}|\(\.\)|\[\.\]|ドット|どっと)[ ]*|[ ]+dot[ ]+|\.)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9._+\-])(?P<local>[A-Za-z0-9][A-Za-z0-9._+\-]*?){_AT_WORD}"
    rf"(?P<domain>{_LABEL}(?:{_DOT_WORD}{_LABEL})+)(?![A-Za-z0-9])",
    re.I,
)
# With a plain English ' at ', only real top-level domains count ('meet at city hall dot com' is no address).
_TLDS = frozenset("jp com net org info biz io me uk us edu gov ne co ac go lg or ed gr ad de fr cn kr tw".split())


# As people type an address in a chat: blanks around @ (taro.yamada @ gmail.com), a comma or 。 for the dot
# (taro@gmail,com), a leading underscore, or a well-known provider without its ending (yamada@gmail).
_DOMAIN_DOT = r"(?:\.|,|。|[ ]\.)"
_LOOSE_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._+\-])(?P<local>[A-Za-z0-9_][A-Za-z0-9._+\-]*)[ ]?@[ ]?"
    rf"(?P<domain>[A-Za-z0-9\-]+(?:{_DOMAIN_DOT}[A-Za-z0-9\-]+)*)(?![A-Za-z0-9])")
_MAIL_PROVIDERS = frozenset("gmail googlemail yahoo ymail docomo ezweb au softbank icloud me outlook hotmail live "
                            "msn nifty biglobe ocn so-net ybb".split())


def _find_emails(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _EMAIL.finditer(norm):
        yield "email", m.start(), m.end()
    for m in _LOOSE_EMAIL.finditer(norm):
        labels = re.split(_DOMAIN_DOT, m.group("domain").lower())
        if (len(labels) > 1 and labels[-1] in _TLDS) or labels[0] in _MAIL_PROVIDERS:
            yield "email", m.start(), m.end()
    for m in _OBFUSCATED_EMAIL.finditer(norm):
        tld = re.split(r"[^A-Za-z0-9\-]+", m.group("domain"))[-1].lower()
        if not re.fullmatch(r"[a-z]{2,}", tld):
            continue  # 'at 9.00' is a time
        at_plain = not re.search(r"[(\[<{@アあ]", norm[m.end("local"):m.start("domain")])
        # With a plain ' at ', the rest must look like an address too ('see you at example.com').
        dot_word = re.search(r"dot|ドット|どっと|\(\.\)|\[\.\]", m.group("domain"), re.I)
        if at_plain and (tld not in _TLDS or not (dot_word or re.search(r"[._+\-\d]", m.group("local")))):
            continue
        yield "email", m.start(), m.end()


# --- Card numbers --------------------------------------------------------------------------

_CARD = re.compile(rf"""{_NUMBER_START}(?:
    \d{{13,16}}                                                 # bare 13-16
  | \d{{4}}(?P<s1>[ ]|{_D})\d{{4}}(?P=s1)\d{{4}}(?P=s1)\d{{4}}      # 4-4-4-4
  | \d{{4}}(?P<s2>[ ]|{_D})\d{{6}}(?P=s2)\d{{4,5}}                 # Amex 4-6-5, Diners 4-6-4
){_NUMBER_END}{_UNIT_AHEAD}""", re.X)
_CARD_CONTEXT = re.compile(r"カード|クレジット|デビット|card|credit|visa|master|jcb|amex", re.I)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _find_cards(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _CARD.finditer(norm):
        digits = _digits(m.group())
        grouped_16 = m.group("s1") is not None
        context = _CARD_CONTEXT.search(norm, max(0, m.start() - 20), m.start())
        if _luhn_ok(digits) or grouped_16 or context:
            yield "card", m.start(), m.end()


# --- My Number -----------------------------------------------------------------------------

# Any 12 digits, bare or grouped 4-4-4 with one consistent separator. No check-digit test:
# a mistyped My Number is still one, and 12-digit numbers are rare in questions otherwise.
# A following group ('1234 5678 9012 3歳') does not cancel the match; when the whole run is
# a card number, the longer card finding wins the overlap.
_MY_NUMBER = re.compile(rf"{_NUMBER_START}\d{{4}}(?P<sep>[ ]|{_D}|)\d{{4}}(?P=sep)\d{{4}}{_NUMBER_END}")


# Twelve digits grouped unevenly (12345678 9012, 123 456 789 012: hyphens by now, see _hyphenate_loose_groups).
_MY_NUMBER_UNEVEN = re.compile(rf"{_NUMBER_START}\d{{3,8}}(?:[ ]?{_D}[ ]?\d{{3,8}}){{1,3}}{_NUMBER_END}")


def _find_my_numbers(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _MY_NUMBER.finditer(norm):
        yield "my_number", m.start(), m.end()
    for m in _MY_NUMBER_UNEVEN.finditer(norm):
        # Uneven groups are a My Number only when it is named: 受付番号 20240401-0012 or an address
        # 192.168.100.200 is not one.
        if len(_digits(m.group())) == 12 and _after_my_number_label(norm, m.start(), _UNEVEN_LABEL_REACH):
            yield "my_number", m.start(), m.end()


# --- Pension and health-insurance numbers ----------------------------------------------------

# 基礎年金番号 is 4+6 digits; only masked with its label, since ten digits alone are often a phone
# number (masked anyway) or an ordinary reference number.
_PENSION = re.compile(
    rf"(?:基礎年金番号|年金番号|年金手帳の番号)[ ]*(?:は|が|:|=)?[ ]*(?P<number>\d{{4}}[ ]?{_D}?[ ]?\d{{6}}){_NUMBER_END}"
)
# 保険証 (被保険者証) 記号・番号: formats vary by insurer, so whatever code follows the label.
_INSURANCE_CODE = rf"[A-Za-z0-9](?:[A-Za-z0-9]|[ ]?(?:{_D}|・|/)[ ]?|[ ]){{%d,30}}[A-Za-z0-9]"
# 記号 and 番号 apart (記号1234番号56, 記号は1234、番号は56): the 記号 may then be as short as four characters;
# alone, a code of five or more (four digits after 保険証 are as often a year: 保険証は2024年12月に廃止).
_INSURANCE_NUMBER_TAIL = r"[ 、,]*番号[ ]*(?:は|が|:|=)?[ ]*[A-Za-z0-9]{1,12}"
_INSURANCE = re.compile(
    r"(?:保険証|被保険者証|被保険者番号|保険者番号|資格確認書)(?:の)?[ ]?(?:記号[・/]?番号|記号|番号)?"
    r"[ ]*(?:は|が|:|=)?[ ]*"
    rf"(?P<number>{_INSURANCE_CODE % 2}{_INSURANCE_NUMBER_TAIL}|{_INSURANCE_CODE % 3})(?![A-Za-z0-9])"
)


def _find_pension_numbers(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _PENSION.finditer(norm):
        yield "pension_number", m.start("number"), m.end("number")


def _find_insurance_numbers(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _INSURANCE.finditer(norm):
        if len(_digits(m.group("number"))) >= 4:
            yield "insurance_number", m.start("number"), m.end("number")


# --- Other identifiers, after their label only ------------------------------------------------

# Between a label and its value: 口座番号は、「1234567」 / 口座番号を1234567に / 旅券番号：TK1234567.
_IS = r"[ ]*(?:は|が|を|:|=|の)?[、,]?[ ]*[「『\"']?[ ]*"
# A bank account: 口座 / 普通預金 / 当座 … (番号, No.) then 6-8 digits, or ゆうちょ's 記号 (5) and 番号 (up to 8);
# not an amount (口座は1000000円以上, 口座が1000000を超えると).
_NOT_AMOUNT = r"(?![ ]?(?:を超|まで|以上|以下|未満|より))"
_BANK_ACCOUNT = re.compile(
    rf"(?:(?:普通預金|当座預金|普通|当座|貯金)?口座|普通預金|当座預金|記号番号)(?:の)?(?:番号)?(?:[ ]?No\.?)?{_IS}"
    rf"(?:[(（]?(?:普通|当座)[)）]?[ ]*)?(?P<number>\d{{5}}(?:[ ]?{_D}[ ]?|[ ])\d{{6,8}}|\d{{6,8}})"
    rf"{_NUMBER_END}{_UNIT_AHEAD}{_NOT_AMOUNT}")
# ゆうちょ written as 記号 and 番号 apart: 記号12340 番号12345671 / 記号は12340-1、番号は12345671.
_YUCHO = re.compile(
    rf"記号{_IS}(?P<number>\d{{5}}(?:{_D}\d)?[ 、,]*番号{_IS}\d{{6,8}}){_NUMBER_END}")
# A driving licence: 12 digits, grouped as people like.
_LICENCE = re.compile(
    rf"(?:運転免許証|免許証|運転免許|免許)(?:の)?番号{_IS}(?P<number>\d(?:[ ]?{_D}?[ ]?\d){{11}}){_NUMBER_END}")
# A passport: two letters and seven digits.
_PASSPORT = re.compile(
    rf"(?:パスポート|旅券)(?:の)?(?:番号|ナンバー|No\.?)?{_IS}(?P<number>[A-Za-z]{{2}}[ ]?{_D}?[ ]?\d{{7}})(?![A-Za-z0-9])")
# A date of birth: a western or era date (or eight digits) after 生年月日 / 誕生日; not a rule's boundary
# or range (生年月日が1960年4月2日以降の方, 1960年4月2日～1961年4月1日の方), which is what the question is about.
# A whole date, day included: 昭和60年5月1日, S60.5.1, 1975/4/1.
_DAY = (r"(?:(?:明治|大正|昭和|平成|令和|[MTSHR])[ ]?(?:\d{1,2}|元)|\d{4})[ ]?(?:年|[./\-])[ ]?\d{1,2}[ ]?"
        r"(?:月|[./\-])[ ]?\d{1,2}日?")
_BIRTH_DATE = re.compile(
    rf"(?:生年月日|誕生日){_IS}(?P<date>{_DAY}|(?:19|20)\d{{6}})"
    rf"(?!\d)(?!日?[ ]?(?:以降|以後|以前|まで|から|より|前|を過ぎ|[～〜~]|{_D}[ ]?\d))")


# A date of birth told as one (昭和60年5月1日生まれ, S60.5.1生まれ, 昭和50年1月2日生): a whole date, day
# included, followed by 生まれ / 生 (a year alone, 昭和60年生まれ, is an age, not a date of birth).
_BORN_ON = re.compile(rf"(?P<date>{_DAY})(?!\d)[ ]?(?:生まれ|生)")
# 普通 / 当座 right before seven digits: the account type and number as a bank writes them.
_ACCOUNT_TYPE = re.compile(rf"(?:普通|当座)[ ]?(?:預金)?[ ]?(?P<number>\d{{7}}){_NUMBER_END}{_UNIT_AHEAD}{_NOT_AMOUNT}")


def _find_labelled_identifiers(norm: str) -> Iterator[tuple[str, int, int]]:
    for kind, pattern, group in (("bank_account", _BANK_ACCOUNT, "number"), ("bank_account", _YUCHO, "number"),
                                 ("bank_account", _ACCOUNT_TYPE, "number"), ("birth_date", _BORN_ON, "date"),
                                 ("licence_number", _LICENCE, "number"),
                                 ("passport_number", _PASSPORT, "number"), ("birth_date", _BIRTH_DATE, "date")):
        for m in pattern.finditer(norm):
            yield kind, m.start(group), m.end(group)


# --- Phone numbers -------------------------------------------------------------------------

_PSEP = rf"(?:[ ]?{_D}[ ]?|[ ])"
_PHONE_GROUPS = rf"""(?:
    \d{{1,4}}{_PSEP}\d{{1,4}}{_PSEP}\d{{3,4}}          # 3-1234-5678 after the leading 0 / +81
  | \d{{1,4}}{_PSEP}\d{{6,8}}                          # 90-12345678
  | \d{{5,7}}{_D}\d{{4}}                              # 901234-5678, 31234-5678 (one hyphen)
  | \(\d{{1,4}}\)[ ]?\d{{1,4}}(?:{_PSEP})?\d{{3,4}}      # (3)1234-5678
  | \d{{1,4}}\(\d{{1,4}}\)\d{{3,4}}                      # 3(1234)5678
  | \d{{8,10}}                                        # 9012345678
)"""
_PHONE = re.compile(rf"""(?<![\d+]){_NUMBER_START}(?:
    \+81[ ]?{_D}?[ ]?(?:\(0\)[ ]?)?0?{_PHONE_GROUPS}
  | \(0\d{{1,4}}\)[ ]?\d{{1,4}}(?:{_PSEP})?\d{{3,4}}
  | 0{_PHONE_GROUPS}
){_NUMBER_END}""", re.X)


def _is_japanese_phone(national: str) -> bool:
    """10 digits for landlines, 0120 and 0570; 11 for mobile, IP (050) and 0800 numbers."""
    if len(national) == 10:
        return national[0] == "0" and national[1] != "0"
    if len(national) == 11:
        return national[:3] in {"020", "050", "060", "070", "080", "090"} or national[:4] == "0800"
    return False


# Digits grouped as a resident happened to type them (09 012 345 678, 0901-234-5678): masked when all of them make
# a Japanese number.
_LOOSE_PHONE = re.compile(rf"(?<![\d+]){_NUMBER_START}0\d{{0,4}}(?:{_PSEP}\d{{1,4}}){{2,5}}{_NUMBER_END}{_UNIT_AHEAD}")
# Days of a month listed (資源ごみの日は 02 09 16 23 30日): groups of two digits only.
_DAY_LIST = re.compile(r"\d{2}(?:\D+\d{2})+")
# A number after a word for a phone in the other languages residents write (电话, 手机, 전화, telefone, điện thoại,
# phone): a foreign number too (13912345678, 010-1234-5678), when it has as many digits as a phone number has.
_PHONE_LABEL = re.compile(
    r"(?i:电话|電話|手机|手機|携帯|ＴＥＬ|\btel\b|\bphone\b|\bmobile\b|\bcell\b|전화|연락처|휴대폰|핸드폰|telefone|celular|"
    r"điện thoại|\bsđt\b|whatsapp)(?:[ ]?(?:番号|号码|號碼|号|번호|number|no\.?))?[ ]*(?:は|是|는|은|\bis\b|é|:|=|：)?[ ]*")
_LABELLED_PHONE = re.compile(rf"\+?\d{{1,4}}(?:{_PSEP}?\(?\d{{1,5}}\)?){{1,5}}{_NUMBER_END}{_UNIT_AHEAD}(?![:：]\d)")
# A date after a phone word is no number (phone 2024-04-01).
_DATE_START = re.compile(rf"(?:19|20)\d\d{_D}|(?:19|20)\d\d[./]")


def _find_phones(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _PHONE.finditer(norm):
        digits = _digits(m.group())
        if m.group().startswith("+"):
            digits = "0" + digits[2:].removeprefix("0")  # +81 (0)3 ... -> 03 ...
        if _is_japanese_phone(digits):
            yield "phone", m.start(), m.end()
    for m in _LOOSE_PHONE.finditer(norm):
        if _is_japanese_phone(_digits(m.group())) and not _DAY_LIST.fullmatch(m.group()):
            yield "phone", m.start(), m.end()
    for label in _PHONE_LABEL.finditer(norm):
        m = _LABELLED_PHONE.match(norm, label.end())
        if m and not _DATE_START.match(m.group()) and 9 <= len(_digits(m.group())) <= 15:
            # A bracket closing the words around the number (（携帯09011112222）から) is no part of it.
            end = m.end() - 1 if m.group().endswith(")") and m.group().count("(") < m.group().count(")") else m.end()
            yield "phone", m.start(), end


# A phone number read out in words, as a resident dictating it types it (ゼロキューゼロの1234の5678): digit words
# in kana and digits, with の, ー, - or a space between groups; masked when they make a Japanese number.
_SPOKEN_DIGITS = {"ゼロ": "0", "ぜろ": "0", "レイ": "0", "れい": "0", "マル": "0", "まる": "0", "イチ": "1", "いち": "1",
                  "ニー": "2", "にー": "2", "ニイ": "2", "にい": "2", "ニ": "2", "に": "2", "サン": "3", "さん": "3", "ヨン": "4", "よん": "4",
                  "ゴー": "5", "ごー": "5", "ゴオ": "5", "ごお": "5", "ゴ": "5", "ご": "5", "ロク": "6", "ろく": "6", "ナナ": "7", "なな": "7",
                  "ハチ": "8", "はち": "8", "キュウ": "9", "きゅう": "9", "キュー": "9", "きゅー": "9"}
_SPOKEN_DIGIT = "|".join(sorted(map(re.escape, _SPOKEN_DIGITS), key=len, reverse=True))
_SPOKEN_WORD = re.compile(rf"{_SPOKEN_DIGIT}|\d")
_SPOKEN_PHONE = re.compile(rf"(?:{_SPOKEN_WORD.pattern})(?:[のー\- ]?(?:{_SPOKEN_WORD.pattern})){{9,12}}")


def _find_spoken_phones(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _SPOKEN_PHONE.finditer(norm):
        words = _SPOKEN_WORD.findall(m.group())
        if any(not w.isdigit() for w in words):  # digits alone are the phone pattern's
            digits = "".join(w if w.isdigit() else _SPOKEN_DIGITS[w] for w in words)
            if _is_japanese_phone(digits):
                yield "phone", m.start(), m.end()


# --- Addresses -----------------------------------------------------------------------------

_PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
_PREFECTURE = re.compile("|".join(_PREFECTURES))
_NUM = r"(?:\d{1,5}|[〇一二三四五六七八九十百千]{1,6})"
# Characters of a building name. Hiragana only after a space (… あおばハイツ203号室), so
# that '1-2-3に住んで…' never starts one.
_BUILDING_CHAR = rf"(?:{_KANJI}|[ァ-ヺー]|[A-Za-z○◯●△□◇・&'])"
_BUILDING_NAME = rf"(?:[ ](?:{_BUILDING_CHAR}|{_HIRA}){{1,24}}?|(?:の|{_D})?{_BUILDING_CHAR}{{1,24}}?)"
_ROOM = r"(?:[A-Za-z]?\d{1,4}(?:号室|号棟|号館|号|階|F|棟)?|[A-Za-z](?:棟|号棟|号館))"
_STREET = re.compile(rf"""(?<![\d〇一二三四五六七八九十百千])(?:
    {_NUM}丁目[ ]?(?:{_NUM}番地?(?:(?:の|{_D})?{_NUM}号?|[ ]?{_NUM}号)?|{_D}?\d{{1,5}}(?:{_D}\d{{1,5}}){{0,2}})  # 2丁目3番4号
  | {_NUM}番地(?:(?:の|{_D})?{_NUM}号?)?                                                     # 123番地の4
  | {_NUM}番[ ]?{_NUM}号                                                                    # 3番4号
  | (?P<hyphen>\d{{1,5}}{_D}\d{{1,5}}(?:{_D}\d{{1,5}})?|\d{{1,5}}の\d{{1,5}}の\d{{1,5}})             # 1-2-3, 1の2の3
)(?!\d)
(?:(?P<building>(?:{_BUILDING_NAME}[ ]?|[ ]|の|{_D})?{_ROOM}(?:[ ]?{_D}?[ ]?{_ROOM})?
  (?![\dA-Za-z丁番]){_UNIT_AHEAD}(?!{_D}\d))|{_NUMBER_END}{_UNIT_AHEAD})""", re.X)
# Particles end the walk back to the start of an address (住所は|あおば市...), except in
# place names such as ひばりが丘, 霞が関 and たつの市.
_PARTICLES = "はがをにへとでもやの"
_PARTICLE_IN_NAME_BEFORE = "丘岡谷崎浦原台森島沢関市町村宮"
_ADDRESS_LABEL = re.compile(
    r"^(?:現住所|住所地|住所|所在地|居所|住まい|自宅|実家|本籍地|本籍|送付先|宛先|届け先|届出先|"
    r"転居先|転入先|引っ越し先|引越し先|引越先)"
)
_ADDRESS_CONTEXT = re.compile(
    r"住所|所在地|住まい|在住|住んで|自宅|宛先|送付先|届け先|転居先|転入先|引っ越し先|引越し?先"
)
_MUNICIPALITY = re.compile(r".[都道府県市区町村郡]")  # a marker after at least one name character
_RESIDENCE_AHEAD = re.compile(
    r"[ ]?(?:に住|に在住|在住|に暮ら|に引っ?越|へ引っ?越|に転居|へ転居|に転入|から転入|から転居|から引っ?越)"
)


def _ends_with_place_name(region: str) -> bool:
    """Whether Sudachi tags the last word of ``region`` as a place name (神南, 本町, 霞が関)."""
    if not region:
        return False
    morphemes = sudachi_tokenizer().tokenize(region[-SUDACHI_CHUNK:])
    return len(morphemes) > 0 and morphemes[len(morphemes) - 1].part_of_speech()[1:3] == ("固有名詞", "地名")
_BLOCK_NUMBER = re.compile(r"\d{1,3}$")  # 北1条西2丁目, 5地割: digits inside the place name


def _walk_back(norm: str, pos: int, limit: int = 30) -> int:
    """Start of the place name that ends at ``pos`` (prefecture, city, town ...)."""
    i = pos
    while i > 0 and pos - i < limit:
        ch = norm[i - 1]
        if ch.isdigit():
            # Hokkaido/Iwate style blocks: keep walking over '1' in 北1条西.
            if norm[i] in "条線" or norm.startswith("地割", i):
                i = _BLOCK_NUMBER.search(norm, 0, i).start()
                continue
            break
        if not _PLACE_CHAR.match(ch):
            break
        # norm[i] always exists: i < pos and norm[pos] is the street number.
        if ch in _PARTICLES and not (ch in "がの" and norm[i] in _PARTICLE_IN_NAME_BEFORE):
            break
        i -= 1
    return i


def _find_addresses(norm: str) -> Iterator[tuple[str, int, int]]:
    pos = 0
    while m := _STREET.search(norm, pos):
        pos = m.start() + 1  # a rejected candidate must not hide an address inside it
        if (found := _address_span(norm, m)) is not None:
            pos = found[1]
            yield "address", *found


def _address_span(norm: str, m: re.Match) -> tuple[int, int] | None:
    """The address span for a street-number match, or None when it is not an address."""
    start = _walk_back(norm, m.start())
    region = norm[start:m.start()]
    label = _ADDRESS_LABEL.match(region)
    if label:
        start += label.end()
        region = region[label.end():]
    prefecture = _PREFECTURE.search(region)
    if prefecture:
        start += prefecture.start()
        region = region[prefecture.start():]
    context = bool(label) or bool(_ADDRESS_CONTEXT.search(norm, max(0, start - 12), start))
    if not region and not context:
        return None  # '3番4号' alone, '第1-2' ...: no place name, no address context
    hyphen = m.group("hyphen")
    if hyphen:
        parts = re.split(f"{_D}|の", hyphen)
        if len(parts[0]) == 4 and parts[0][:2] in ("19", "20"):
            return None  # 2024-04-01
        # '資料2-1-3' has a place-like word before it; an address needs 市/町/区..., a
        # word Sudachi tags as a place name (神南1-2-3), or context before or after
        # (住所は…, …に住んでいます). 県道12-3号線 is a road, not an address.
        lived_in = _RESIDENCE_AHEAD.match(norm, m.end())
        if not (_MUNICIPALITY.search(region) or context or lived_in or _ends_with_place_name(region)):
            return None
        if re.search(r"[国都府県市区町村]道$", region):
            return None
    return start, m.end()


# --- Postal codes --------------------------------------------------------------------------

_POSTAL = re.compile(rf"{_NUMBER_START}(?:\d{{3}}{_D}\d{{4}}|\d{{7}}){_NUMBER_END}")
_POSTAL_LABEL = re.compile(r"(?:〒|郵便番号|郵便|postal code|zip(?: code)?)[ ]*(?:は|:|=)?[ ]*$", re.I)
_ADDRESS_AHEAD = re.compile(
    rf"[ ]?(?:{'|'.join(_PREFECTURES)}|(?:{_KANJI}|{_HIRA}|{_KATA}){{1,8}}?[市区町村郡])"
)


def _find_postal_codes(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _POSTAL.finditer(norm):
        labelled = _POSTAL_LABEL.search(norm, max(0, m.start() - 16), m.start())
        hyphenated = not m.group().isdigit()
        if labelled or (hyphenated and _ADDRESS_AHEAD.match(norm, m.end())):
            yield "postal_code", m.start(), m.end()


_DETECTORS = (
    _find_emails, _find_cards, _find_my_numbers, _find_pension_numbers, _find_insurance_numbers,
    _find_labelled_identifiers, _find_phones, _find_spoken_phones, _find_postal_codes, _find_addresses, find_names,
    find_tagged_names, find_kana_introductions,
)
