"""Matters another body handles, never a city hall: a national or prefectural office's (a pension record
at 年金事務所, a land registry at 法務局, a residence status, income tax, unemployment insurance, a licence
renewal, a car inspection, the prefecture's car tax) or a private business's (a bank account, a phone or
internet contract, electricity and gas, a rented flat's deposit, private insurance, movers and parcels, NHK).

A resident asks the city about them anyway (「ねんきん定期便が届かない」, 「土地の登記事項証明書はどこで」,
「銀行口座を開きたい」), and a city FAQ mentions some of them in passing (パスポート among the documents that
prove who you are, 厚生年金 beside 国民年金, クレジットカード among the ways to pay a tax): the look-alike entry
then answers at a high score. What the question asks about is such a matter when it names one of these
words and no entry of the knowledge is about it (no question or heading names it): the abstention model
reads that as a feature (``national``, for either kind of body). A city that does handle one (many issue
passports) says so in an entry's question, and the feature is 0.

The lists are about how Japanese administration and everyday life are divided between bodies, not
about any knowledge base: words the city itself also handles (障害年金, 在留カード's address, 確定申告's
local tax declaration, 軽自動車税, the water supply) are left out.
"""
from __future__ import annotations

import re

from indexing.japanese import kana_folded

# Word → the office that handles it.
NATIONAL_MATTERS = {
    "厚生年金": "年金事務所", "年金定期便": "年金事務所", "ねんきん定期便": "年金事務所", "ねんきんネット": "年金事務所",
    "登記": "法務局", "帰化": "法務局", "供託": "法務局",
    "在留資格": "出入国在留管理局", "在留期間": "出入国在留管理局", "在留期限": "出入国在留管理局",
    "永住許可": "出入国在留管理局",
    "再入国許可": "出入国在留管理局", "ビザ": "出入国在留管理局",
    "所得税": "税務署", "相続税": "税務署", "贈与税": "税務署", "消費税": "税務署", "法人税": "税務署",
    "インボイス": "税務署",
    "雇用保険": "ハローワーク", "失業保険": "ハローワーク", "失業手当": "ハローワーク", "失業認定": "ハローワーク",
    "免許更新": "警察署", "免許の更新": "警察署", "免許証の更新": "警察署", "免許 更新": "警察署", "免許証 更新": "警察署",
    "免許証の住所": "警察署", "免許の住所": "警察署", "車庫証明": "警察署",
    "遺失届": "警察署", "盗難届": "警察署",
    "車検": "運輸支局",
    "自動車税": "県税事務所", "パスポート": "都道府県の旅券窓口", "旅券": "都道府県の旅券窓口",
    "残業代": "労働基準監督署", "労災": "労働基準監督署",
    "相続放棄": "家庭裁判所",
    "県営住宅": "県の住宅窓口", "都営住宅": "都の住宅窓口", "府営住宅": "府の住宅窓口", "道営住宅": "道の住宅窓口",
}
# Word → the kind of private business that handles it.
_BANK, _PHONE, _ENERGY = "銀行などの金融機関", "携帯電話会社やインターネット回線の事業者", "電力会社やガス会社"
_ESTATE, _INSURER, _CARRIER = "不動産会社や家主", "保険会社", "運送会社や引っ越し業者"
PRIVATE_MATTERS = {
    "銀行口座": _BANK, "口座開設": _BANK, "キャッシュカード": _BANK, "クレジットカード": _BANK, "住宅ローン": _BANK,
    "携帯電話会社": _PHONE, "携帯会社": _PHONE, "スマホの契約": _PHONE, "スマホの解約": _PHONE, "格安スマホ": _PHONE,
    "格安SIM": _PHONE, "光回線": _PHONE, "インターネット回線": _PHONE, "ネット回線": _PHONE,
    "プロバイダ": _PHONE,
    "電力会社": _ENERGY, "電気の契約": _ENERGY, "ガス会社": _ENERGY, "ガスの開栓": _ENERGY, "ガスの契約": _ENERGY,
    "敷金": _ESTATE, "不動産会社": _ESTATE,
    "任意保険": _INSURER, "自動車保険": _INSURER, "生命保険": _INSURER, "ペット保険": _INSURER,
    "引っ越し業者": _CARRIER, "引越し業者": _CARRIER, "引越業者": _CARRIER, "宅配便": _CARRIER, "再配達": _CARRIER,
    "NHK": "NHK", "受信料": "NHK",
}


_folded = kana_folded  # a word folded as questions and headings are here


_FOLDED = {_folded(word): office for word, office in {**NATIONAL_MATTERS, **PRIVATE_MATTERS}.items()}
_PRIVATE_BUSINESSES = frozenset(PRIVATE_MATTERS.values())
_PRIVATE_FOLDED = frozenset(map(_folded, PRIVATE_MATTERS))
_PATTERN = re.compile("|".join(sorted(map(re.escape, _FOLDED), key=len, reverse=True)))
# The city's own matters that hold one of the words: 軽自動車税 (a city tax), 未登記家屋 (a house without
# a registry entry, which the city's property tax office records).
_CITY_OWN_BEFORE = {"自動車税": "軽", "登記": "未"}
# A matter's word that is part of another word before these: 車検証 (a car's registration document, which
# city FAQs name for 軽自動車 and 原付) is no inspection.
_NOT_BEFORE = {"車検": "証"}
# A matter named as what a city document is for (車検用の納税証明書, 車検で要る, 登記に使う証明書) is not
# what is asked about.
_PURPOSE = re.compile(r"用|(?:で|に)(?:使|要|いる|必要)")
# A card or account named as how a city charge is paid or received (クレジットカードで, 口座に振り込み,
# キャッシュカードは使えますか) is no business with the bank.
_MEANS = frozenset(map(_folded, ("クレジットカード", "キャッシュカード", "銀行口座")))
_USED_AS_MEANS = re.compile(r"(?:で|に|から)(?![すしもは])|払い|決済|(?:が|は|を|も)使")
# A private business's word in a question about something the city does is not the business's matter:
# paying or receiving money (市税 クレジットカード, 口座振替, 還付金の口座), waste (宅配便の段ボールは何ごみ),
# aid and tax relief (光回線 整備 補助, 敷金 支援, 住宅ローン控除, 受信料の免除), registrations and
# certificates (犬の登録 ペット保険), fraud and consumer advice (ガス会社を名乗る訪問, 身に覚えのない請求 …
# どこに相談), the resident's own moves (引っ越し業者 … 転出届), public housing (市営団地の敷金), a traffic
# accident (事故 … 任意保険).
_CITY_BUSINESS = re.compile(r"税|料金|保険料|手数料|納付|納め|払|振替|振込|振り込|引き落とし|引落|還付|給付|手当|"
                            r"補助|助成|支援|控除|減免|免除|証明|登録|ごみ|捨て|処分|回収|資源|詐欺|名乗|悪質|勧誘|"
                            r"相談|とらぶる|消費生活|身に覚え|家具|水道|防災|移住|役所|役場|庁舎|まいな|公金|"
                            r"[市町村区県都府道公]営|団地|事故|窓口|対応")
# The shortest phrase that counts as another thing the question asks about, and words of any procedure,
# which name no thing (光回線の引っ越しの手続き is still the provider's).
_OTHER_THING_MIN = 3
_PROCEDURE_WORDS = frozenset({"手続き", "申し込み", "申込み", "問い合わせ", "受け取り", "支払い", "やり方", "再発行",
                              "住所変更", "名義変更", "必要書類"})
# The city's own core procedures: a question naming one is about the city whatever else it names
# (免許証の住所も変えたい。転入届と一緒にできますか, 免許の更新の前に返納したらバスの割引は).
_CITY_CORE = re.compile(r"転入|転出|転居|住民票|戸籍|国保|国民健康保険|印鑑登録|死亡|返納")


def national_office(folded_question: str, headed, named=()) -> str:
    """The office or business that handles the matter the question asks about (see national_matter), or ''.

    ``headed(text)``: whether some entry's question or heading holds ``text`` (folded; cached by the
    caller, a scan of a large knowledge's headings takes milliseconds). ``named``: the question's noun
    phrases, folded. A matter only mentioned beside a thing the city handles is not what is asked
    about: 住民票を取るのにパスポートは使えますか, 免許更新に住民票が必要ですか, 粗大ごみの手数料は消費税込み
    (another phrase of three or more characters that some heading holds, not a word of any procedure),
    unless that thing is the matter's own (自動車税の納付書, 土地の登記事項証明書)."""
    word = national_matter(folded_question, headed)
    if not word:
        return ""
    own = next((phrase for phrase in named if word in phrase), word)
    # A part of the matter's word counts when the question also names it on its own (引っ越し業者 … 引っ越しの届け).
    rest = folded_question.replace(word, "\n")
    for phrase in named:
        if len(phrase) < _OTHER_THING_MIN or phrase in _PROCEDURE_WORDS:
            continue
        if f"{own}の{phrase}" in folded_question or f"{phrase}の{own}" in folded_question:
            continue  # the matter's own thing: 自動車税の納付書, 土地の登記
        if (word in phrase or phrase in word) and phrase not in rest:
            continue
        if headed(phrase):
            return ""
    return _FOLDED[word]


def is_private(office: str) -> bool:
    """Whether ``office`` (as national_office gives it) is a private business, not a public office."""
    return office in _PRIVATE_BUSINESSES


def national_matter(folded_question: str, headed) -> str:
    """The first national matter the question names that no entry's question or heading names
    (``headed``, see national_office), or ''. The question folded as the knowledge's headings are
    (normalized, katakana as hiragana)."""
    if _CITY_CORE.search(folded_question):
        return ""
    city_business = _CITY_BUSINESS.search(folded_question) is not None
    private = []  # a national office's matter named too comes first (住宅ローン … 抵当権抹消の登記)
    for match in _PATTERN.finditer(folded_question):
        word = match.group(0)
        if _inside_city_own(word, folded_question, match.start()):
            continue
        if word in _NOT_BEFORE and folded_question.startswith(_NOT_BEFORE[word], match.end()):
            continue
        if _PURPOSE.match(folded_question, match.end()):
            continue
        if word in _PRIVATE_FOLDED:
            if not (word in _MEANS and _USED_AS_MEANS.match(folded_question, match.end())
                    or city_business or headed(word)):
                private.append(word)
            continue
        if not headed(word):
            return word
    return private[0] if private else ""


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
