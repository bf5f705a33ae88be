"""Masking personal data in chat text before it is stored in the inquiry log.

Each detected item is replaced by a typed placeholder in Japanese brackets, so a report
still reads naturally:

>>> mask_personal_data("私は山田太郎です。電話は090-1234-5678です")
'私は〔氏名〕です。電話は〔電話番号〕です'
>>> mask_personal_data("あおば市の粗大ごみは何曜日？")
'あおば市の粗大ごみは何曜日？'

Matching runs on an NFKC-normalised copy (full-width digits, ＠, （）, ： become ASCII)
in which every character remembers its position in the original; replacements are
made on the original, so everything that is not masked is left exactly as written.

Design choices (see ``tests/test_masking.py`` for the cases behind each of them):

* Privacy first where the two conflict: any 12-digit number (bare or grouped 4-4-4)
  is masked as a My Number without checking the check digit, because a false negative
  leaks a national ID while a false positive only hides, say, a 12-digit timestamp.
* Card numbers (13-16 digits) are masked when Luhn-valid, when grouped 4-4-4-4, or
  when a card word (カード, クレジット, ...) comes just before. Other long numbers, such
  as 13-digit corporate numbers (法人番号, public data), are left alone.
* Postal codes are masked only with a 〒 / 郵便番号 label or when an address follows:
  a bare ``123-4567`` is as likely a document or reception number, and a postal code
  alone identifies thousands of households, not a person.
* Addresses are masked only when they have a street-number part (番地, 丁目+番, 1-2-3 ...),
  so a town used as a topic (あおば市の粗大ごみ, 中央2丁目の公園) stays readable.
  Labels (住所は, 〒...) stay in place; the mask runs from the prefecture, town or
  city to the end of the building and room number.
* Names are found only where the sentence says it is a name (私は…です, …と申します,
  氏名：…, 名前は…です). A stop list keeps 私は学生です, 私は市民課です and the like.

Known limits: names mentioned any other way (山田さんに聞いた, 母の花子が) are not found;
a hyphenated street number with neither a 市/区/町/村 name nor a word like 住所 before
it (神南1-2-3) is kept; a hiragana particle inside a city name (かすみがうら市) cuts the
mask short, leaving the first part of the city name visible.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

# When two findings overlap, the one that starts first wins, then the earlier kind here.
PERSONAL_DATA_KINDS = ("email", "card", "my_number", "phone", "postal_code", "address", "name")

PLACEHOLDERS = {
    "email": "〔メール〕",
    "card": "〔カード番号〕",
    "my_number": "〔マイナンバー〕",
    "phone": "〔電話番号〕",
    "postal_code": "〔郵便番号〕",
    "address": "〔住所〕",
    "name": "〔氏名〕",
}


class PersonalDataSpan(NamedTuple):
    """One finding: ``text[start:end]`` is personal data of ``kind``."""

    kind: str
    start: int
    end: int


def mask_personal_data(text: str) -> str:
    """Replace personal data in ``text`` with typed placeholders such as 〔電話番号〕.

    Text without personal data is returned unchanged; masking is idempotent.

    >>> mask_personal_data("氏名：山田 太郎　メール：taro@example.jp")
    '氏名：〔氏名〕　メール：〔メール〕'
    """
    if not text:
        return text
    spans = find_personal_data(text)
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
    # Leftmost first: in '03 1234 5678 2024年' the phone number, not '1234 5678 2024'.
    for cand in sorted(candidates, key=lambda c: (c.start, rank[c.kind], c.start - c.end)):
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC character by character, with the original index of every output character.

    Normalising per character (not the whole string) keeps the mapping exact; the only
    loss is that half-width kana with a separate voicing mark (ｶﾞ) are not composed.
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


# --- Shared character classes (on NFKC text) --------------------------------------------

# Hyphens, minus signs, long-vowel marks and box-drawing lines that people type between digits.
_D = r"[\-‐‑‒–—―−ー─━]"
_KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f々〆ヶ]"
_HIRA = r"[ぁ-ゖゝゞ]"
_KATA = r"[ァ-ヺー]"
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


def _find_emails(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _EMAIL.finditer(norm):
        yield "email", m.start(), m.end()


# --- Card numbers --------------------------------------------------------------------------

# Units after a number: '… 9012 2024年' is a My Number followed by a year, not one card number.
_UNIT_AHEAD = r"(?![年月日時分秒歳円%人件回個度])"
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


def _find_my_numbers(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _MY_NUMBER.finditer(norm):
        yield "my_number", m.start(), m.end()


# --- Phone numbers -------------------------------------------------------------------------

_PSEP = rf"(?:[ ]?{_D}[ ]?|[ ])"
_PHONE_GROUPS = rf"""(?:
    \d{{1,4}}{_PSEP}\d{{1,4}}{_PSEP}\d{{3,4}}          # 3-1234-5678 after the leading 0 / +81
  | \d{{1,4}}{_PSEP}\d{{6,8}}                          # 90-12345678
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


def _find_phones(norm: str) -> Iterator[tuple[str, int, int]]:
    for m in _PHONE.finditer(norm):
        digits = _digits(m.group())
        if m.group().startswith("+"):
            digits = "0" + digits[2:].removeprefix("0")  # +81 (0)3 ... -> 03 ...
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
    {_NUM}丁目[ ]?(?:{_NUM}番地?(?:(?:の|{_D})?{_NUM}号?|[ ]?{_NUM}号)?|{_D}\d{{1,5}}(?:{_D}\d{{1,5}})?)  # 2丁目3番4号
  | {_NUM}番地(?:(?:の|{_D})?{_NUM}号?)?                                                     # 123番地の4
  | {_NUM}番[ ]?{_NUM}号                                                                    # 3番4号
  | (?P<hyphen>\d{{1,5}}{_D}\d{{1,5}}(?:{_D}\d{{1,5}})?)                                    # 1-2-3
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
        parts = re.split(_D, hyphen)
        if len(parts[0]) == 4 and parts[0][:2] in ("19", "20"):
            return None  # 2024-04-01
        # '資料2-1-3' has a place-like word before it; an address needs 市/町/区... or
        # context. 県道12-3号線 is a road, not an address.
        if not (_MUNICIPALITY.search(region) or context):
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


# --- Names ---------------------------------------------------------------------------------

_K, _H, _T = _KANJI, _HIRA, _KATA
# A hiragana given name after a kanji surname must not be a copula or verb ending
# (私は転入したいです, 氏名は必須ですか, 私は心配なんです).
_NOT_GIVEN_NAME = r"(?!です|でし|でご|でき|だ|ます|ませ|した|して|しま|する|ない|なの|なん|っ)"
# Shapes accepted after 私は ... です: 山田, 山田太郎, 山田 太郎, 山田さくら, グエン・ヴァン・アン.
_NAME_WEAK = (
    rf"(?:{_K}{{1,4}}[ ](?:{_K}{{1,4}}|{_H}{{2,4}}|{_T}{{2,6}})"
    rf"|{_K}{{2,4}}{_NOT_GIVEN_NAME}{_H}{{2,4}}"
    rf"|{_K}{{2,6}}"
    rf"|{_T}{{2,10}}(?:[ ・=]{_T}{{1,10}}){{0,3}})"
)
# Stronger cues (と申します, 名前は) also accept 林みき, 山田ケン, やまだ and Latin names.
_NAME_STRONG = (
    rf"(?:{_NAME_WEAK}"
    rf"|{_K}{{1,4}}(?:{_NOT_GIVEN_NAME}{_H}{{2,4}}|{_T}{{2,6}})"
    rf"|{_H}{{2,6}}(?:[ ]{_H}{{1,6}})?"
    r"|[A-Za-z]{2,20}(?:[ .][A-Za-z]{1,20}){0,3})"
)
_SELF = r"(?:私|わたし|わたくし|僕|ぼく|自分)は"
_INTRO_END = r"(?:と申します|と申す|と申し|といいます|と言います|っていいます|って言います|と名乗)"
# The name must not swallow the copula: '高橋 みきです' ends before です.
_NOT_COPULA_BEHIND = r"(?<!です)(?<!でし)(?<!ます)"
_COPULA_END = r"(?:です(?!か)|でございます|だ(?=[。、,.!?\n]|$)|(?=[。、,.!?\n」』)]|$))"
_NAME_LABEL_WA = r"(?:氏名|お名前|名前|なまえ|フルネーム)(?:は|が)"
_NAME_PATTERNS = (
    # (pattern, needs the stop-list check)
    (re.compile(rf"{_SELF}(?P<name>{_NAME_STRONG})(?={_INTRO_END})"), False),
    # 山田太郎と申します without 私は: the name starts the kanji or katakana run.
    (re.compile(rf"(?<!{_K})(?<!{_T})(?!{_SELF})(?P<name>(?={_K}|{_T}){_NAME_STRONG})(?={_INTRO_END})"),
     False),
    (re.compile(rf"{_SELF}(?P<name>{_NAME_WEAK}){_NOT_COPULA_BEHIND}(?={_COPULA_END})", re.M), True),
    (re.compile(
        rf"{_NAME_LABEL_WA}(?P<name>{_NAME_STRONG}){_NOT_COPULA_BEHIND}(?={_COPULA_END}|{_INTRO_END})", re.M),
     True),
)
_NAME_LABEL_COLON = re.compile(
    r"(?:申請者氏名|届出人氏名|保護者氏名|代表者氏名|担当者名|申請者名|申込者名|契約者名|世帯主名|"
    r"保護者名|児童名|代表者名|届出人|氏名|お名前|名前|なまえ|フルネーム|フリガナ|ふりがな|"
    r"(?<![A-Za-z])(?:full ?name|name))[ ]*[:=][ ]*",
    re.I,
)
# Where a 氏名：… value ends: punctuation, a copula or honorific, the next 'label:', a number.
_NAME_VALUE_END = re.compile(
    r"[、。,!?()「」『』\[\]\n\t/;|〔〕<>]|です|でございます|と申します|といいます|と言います|さん|様|殿"
)
_NEXT_LABEL = re.compile(r"[ ]+\S+[ ]*[:=]|[ ]+\S*\d")
# 'お名前：教えてください' is a request, not a name.
_NOT_NAME_VALUE = re.compile(r"\d|ください|します|ます|たい|ない|か$")

_NOT_NAMES = frozenset("""
学生 大学生 高校生 中学生 小学生 留学生 実習生 研修生 浪人生 本人 代理人 代理 個人 法人 成人 未成年
外国人 日本人 社会人 新社会人 後見人 管理人 保証人 相続人 単身 独身 既婚 未婚 親 母 父 母親 父親
祖母 祖父 家族 夫 妻 息子 娘 長男 長女 次男 次女 三男 三女 子供 心配 不安 賛成 反対 大丈夫 対象 無理
平気 元気 病気 健康 失業 高齢 障害 要介護 要支援 同居 別居 新人 担当 窓口 市役所 区役所 町役場
村役場 役場 事務所 保健所 不明 未定 無関係 専業主婦 年金生活 生活保護 片親 母子家庭 父子家庭 転勤
転入 転出 転居 移住 帰国 出産 入院 退院 通院 休職 求職 育休 産休 在宅 賃貸 初心者 総務部 福祉部
市民部 健康福祉部 都市整備部 教育委員会 漢字 必須 必要 不要 任意 自署 記名 旧姓 通称 本名 省略 変更
同じ 空欄 未記入 英語 英字 未成年者
アルバイト パート パートタイマー フリーター サラリーマン シングルマザー シングルファーザー
シングルファザー ボランティア オーナー ユーザー ママ パパ ニート フリーランス エンジニア ドライバー
スタッフ メンバー ヘルパー ケアマネ ケアマネージャー カタカナ ひらがな ローマ字 フリガナ
""".split())
# Endings of status words: 会社員, 市民, 主婦, 自営業, 外国籍, 市外, 65歳, 市民課, 来月転入予定 ...
# (not 中, 内, 部, 子, 夫, 人: 田中, 竹内, 阿部, 花子, 和夫, 直人 are names).
_NOT_NAME_ENDINGS = (
    "者", "員", "民", "婦", "業", "籍", "職", "外", "住", "歳", "齢", "児", "様", "長", "役", "的",
    "課", "係", "局", "署", "班", "予定", "希望", "出身", "所属", "勤務", "世帯", "家庭", "在住",
    "娠中", "職中", "院中", "養中", "休中", "居中", "請中", "業中", "討中", "療中", "活中", "学中",
)


def _could_be_name(name: str) -> bool:
    name = name.strip()
    kanji = re.match(rf"{_K}+", name)
    if name in _NOT_NAMES or (kanji and kanji.group() in _NOT_NAMES):
        return False  # 学生, or a status word before kana (心配なん…) rather than a surname
    if kanji and kanji.group() == name and name.endswith(_NOT_NAME_ENDINGS):
        return False
    return True


def _find_names(norm: str) -> Iterator[tuple[str, int, int]]:
    for pattern, check in _NAME_PATTERNS:
        for m in pattern.finditer(norm):
            if not check or _could_be_name(m.group("name")):
                yield "name", m.start("name"), m.end("name")
    for m in _NAME_LABEL_COLON.finditer(norm):
        line_end = norm.find("\n", m.end())
        value = norm[m.end():line_end if line_end >= 0 else len(norm)]
        for cut in (_NAME_VALUE_END, _NEXT_LABEL):
            stop = cut.search(value)
            if stop:
                value = value[:stop.start()]
        value = value.rstrip()
        if (0 < len(value) <= 30 and not _NOT_NAME_VALUE.search(value) and _could_be_name(value)
                and re.search(rf"{_K}|{_H}|{_T}|[A-Za-z]", value)):
            yield "name", m.end(), m.end() + len(value)


_DETECTORS = (
    _find_emails, _find_cards, _find_my_numbers, _find_phones,
    _find_postal_codes, _find_addresses, _find_names,
)
