"""Matters a national or prefectural office handles, never a city hall: a pension record (年金事務所),
a land registry (法務局), a residence status (出入国在留管理局), income tax (税務署), unemployment
insurance (ハローワーク), a licence renewal (警察), a car inspection (運輸支局), the prefecture's car tax.

A resident asks the city about them anyway (「ねんきん定期便が届かない」, 「土地の登記事項証明書はどこで」),
and a city FAQ mentions some of them in passing (パスポート among the documents that prove who you are,
厚生年金 beside 国民年金): the look-alike entry then answers at a high score. What the question asks
about is such a matter when it names one of these words and no entry of the knowledge is about it (no
question or heading names it): the abstention model reads that as a feature (``national``). A city
that does handle one (many issue passports) says so in an entry's question, and the feature is 0.

The list is about how Japanese administration is divided between offices, not about any knowledge
base: words the city itself also handles (障害年金, 在留カード's address, 確定申告's local tax
declaration, 軽自動車税) are left out.
"""
from __future__ import annotations

import re

from indexing.japanese import katakana_to_hiragana, normalize_text

# Word → the office that handles it.
NATIONAL_MATTERS = {
    "厚生年金": "年金事務所", "年金定期便": "年金事務所", "ねんきん定期便": "年金事務所", "ねんきんネット": "年金事務所",
    "登記": "法務局", "帰化": "法務局", "供託": "法務局",
    "在留資格": "出入国在留管理局", "在留期間": "出入国在留管理局", "永住許可": "出入国在留管理局",
    "再入国許可": "出入国在留管理局", "ビザ": "出入国在留管理局",
    "所得税": "税務署", "相続税": "税務署", "贈与税": "税務署", "消費税": "税務署", "法人税": "税務署",
    "インボイス": "税務署",
    "雇用保険": "ハローワーク", "失業保険": "ハローワーク", "失業手当": "ハローワーク", "失業認定": "ハローワーク",
    "免許更新": "警察署", "免許の更新": "警察署", "免許証の更新": "警察署", "車庫証明": "警察署",
    "車検": "運輸支局",
    "自動車税": "県税事務所", "パスポート": "都道府県の旅券窓口", "旅券": "都道府県の旅券窓口",
    "残業代": "労働基準監督署", "労災": "労働基準監督署",
    "相続放棄": "家庭裁判所",
    "県営住宅": "県の住宅窓口", "都営住宅": "都の住宅窓口", "府営住宅": "府の住宅窓口", "道営住宅": "道の住宅窓口",
}
_FOLDED = {katakana_to_hiragana(normalize_text(word)): office for word, office in NATIONAL_MATTERS.items()}
_PATTERN = re.compile("|".join(sorted(map(re.escape, _FOLDED), key=len, reverse=True)))
# The city's own matters that hold one of the words: 軽自動車税 (a city tax), 未登記家屋 (a house without
# a registry entry, which the city's property tax office records).
_CITY_OWN_BEFORE = {"自動車税": "軽", "登記": "未"}
# A matter named as what a city document is for (車検用の納税証明書, 車検で要る, 登記に使う証明書) is not
# what is asked about.
_PURPOSE = re.compile(r"用|(?:で|に)(?:使|要|いる|必要)")
# The shortest phrase that counts as another thing the question asks about (申請, 必要 do not).
_OTHER_THING_MIN = 3


def national_office(folded_question: str, headed, named=()) -> str:
    """The office that handles the national matter the question asks about (see national_matter), or ''.

    ``headed(text)``: whether some entry's question or heading holds ``text`` (folded; cached by the
    caller, a scan of a large knowledge's headings takes milliseconds). ``named``: the question's noun
    phrases, folded. A matter only mentioned beside a thing the city handles is not what is asked
    about: 住民票を取るのにパスポートは使えますか, 免許更新に住民票が必要ですか, 粗大ごみの手数料は消費税込み
    (another phrase of three or more characters that some heading holds), unless that thing is the
    matter's own (自動車税の納付書)."""
    word = national_matter(folded_question, headed)
    if not word:
        return ""
    own = next((phrase for phrase in named if word in phrase), word)
    for phrase in named:
        if len(phrase) < _OTHER_THING_MIN or word in phrase or phrase in word or f"{own}の{phrase}" in folded_question:
            continue
        if headed(phrase):
            return ""
    return _FOLDED[word]


def national_matter(folded_question: str, headed) -> str:
    """The first national matter the question names that no entry's question or heading names
    (``headed``, see national_office), or ''. The question folded as the knowledge's headings are
    (normalized, katakana as hiragana)."""
    for match in _PATTERN.finditer(folded_question):
        word = match.group(0)
        if _inside_city_own(word, folded_question, match.start()):
            continue
        if _PURPOSE.match(folded_question, match.end()):
            continue
        if not headed(word):
            return word
    return ""


def heading_holds(word: str, folded_headings: str) -> bool:
    """Whether the folded headings hold ``word``, not inside the city's own matter (自動車税 only in 軽自動車税
    is not named)."""
    start = folded_headings.find(word)
    while start != -1:
        if not _inside_city_own(word, folded_headings, start):
            return True
        start = folded_headings.find(word, start + 1)
    return False


def _inside_city_own(word: str, text: str, start: int) -> bool:
    """Whether ``word`` at ``start`` of ``text`` is part of the city's own matter (軽|自動車税, 未|登記)."""
    before = _CITY_OWN_BEFORE.get(word)
    return bool(before) and text[max(0, start - len(before)):start] == before
