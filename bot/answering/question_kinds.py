"""What kind of fact a question asks for (a deadline, a fee, a place ...), and whether an entry holds one.

Used as a rerank feature: among candidates of nearly the same score, the entry or guide section
that contains the kind of fact asked for is preferred over an overview of the same topic, and a
guide section whose heading names that kind (「手数料」, 「必要なもの」, 「期限」) more so: the sibling
section of the same guide is the usual wrong answer to a question asking a specific fact.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexing.japanese import katakana_to_hiragana, mostly_katakana


@dataclass(frozen=True)
class QuestionKind:
    name: str
    asks: re.Pattern    # matched against the question
    holds: re.Pattern   # matched against an entry's body
    names: re.Pattern   # matched against an entry's heading (a guide section, a FAQ question)
    # What ``holds`` matches is the value itself (a department's name, a definition), not only when it has a digit.
    named: bool = False


def _kind(name: str, asks: str, holds: str, names: str, named: bool = False) -> QuestionKind:
    return QuestionKind(name, re.compile(asks), re.compile(holds), re.compile(names), named)


KINDS = (
    _kind("deadline", r"いつまで|期限|締め?切|何日前|何日以内|何日まで|なんにち(?:まえ|いない|まで)|いつから|何曜日まで|いつ(?:に)?(?:提出|出す|出せ|申請|届け)|(?:何年|何か月|何日|いつ)で?切れ",
          r"\d+日(?:前|以内|後|まで)|\d+時まで|曜日まで|期限|までに|毎年\d+月", r"期限|いつまで|締め?切|日前|日以内|までに|納期"),
    _kind("fee", r"いくら|料金|手数料|費用|値段|何円|お金|無料|有料|かかる|払",
          r"\d[\d,]*円|無料|定額小為替|支払", r"手数料|料金|費用|\d+円|支払|払い方"),
    _kind("place", r"どこ(?!まで)|場所|何階|窓口は|どの窓口",
          r"窓口|\d+階|支所|センター|庁舎|取扱店|店舗", r"場所|窓口|どこ|店舗|取扱"),
    _kind("needs", r"必要なもの|何が必要|なにが必要|持ち物|持って(?:いく|行く|くる|来る)|何を?持|なにを?(?:持|もって)|用意|何を出|なにを出"
                   r"|(?:何|なに)が?(?:いる|要る)|必要な?書類",
          r"必要です|必要なもの|お持ち|持参|本人確認書類|を添えて", r"必要なもの|必要な書類|持ち物|用意するもの"),
    _kind("write", r"(?:何|なに)を(?:書|記入)|書き方|記入(?:する|の仕方|方法)",
          r"を書き|を書いて|記入し|記入します|記載し", r"書き方|記入|出し方"),
    _kind("who", r"誰(?!か(?!ら)|でも|も)|(?<![よなすしみた])だれ(?!か(?!ら)|でも|も)|どなた",
          r"承認|担当者|課長|所属長|本人|(?:議|本部|委員|部|室|所|会)長|責任者|代表者", r"承認|担当|決裁"),
    _kind("contact", r"内線|電話番号|連絡先|問い?合わ?せ先|問合せ先",
          r"内線\s*\d|\d{2,4}-\d{2,4}-\d{3,4}", r"問い?合わ?せ先|連絡先|ヘルプデスク|内線"),
    _kind("count", r"何(?:点|回|枚|個|冊|件|台|人|文字|字|桁)|なん(?:かい|てん|まい|こ|にん|もじ|けた)",
          r"\d+(?:点|回|枚|個|冊|件|台|人|文字|字|桁)", r"何(?:点|回|枚|個|文字|桁)|回数|文字数|桁数|(?:文字|名前|ファイル名|パス)の長さ|長さの上限|\d+(?:点|回|枚|個|文字|桁)"),
    _kind("hours", r"何時|なんじ(?!ょ)|営業時間|受付時間|開いて|あいて|土曜|日曜|休日|祝日",
          r"\d+時(?:\d+分)?～|\d+時から|\d+時まで|土曜日|日曜日|祝日", r"時間|受付|開庁|何時"),
    _kind("age", r"何歳|なんさい|何才|年齢",
          r"\d+歳|満\d+|\d+才|年齢", r"年齢|何歳|\d+歳|対象"),
    _kind("date", r"(?<![あこそど])いつ(?!まで|も|でも)|何月|なんがつ|何日に|何曜日(?!まで)|なんようび",
          r"\d+月|\d+日|上旬|中旬|下旬|毎週|毎月|[月火水木金土日]曜日", r"日程|時期|日時|曜日|いつ|(?:収集|支給|振込|振り込み|支払|支払い|入金|納付|開催|実施)日|納期|何月|何日"),
    _kind("share", r"何割|なんわり|何[%％]|何パーセント|負担(?:額|割合)?は|自己負担",
          r"\d割|\d+(?:[%％]|パーセント)|\d[\d,]*円", r"負担|割合|助成額|補助額"),
    _kind("limit", r"何(?:キロ|kg|センチ|cm|メートル)|大きさ|重さ|サイズ(?:は|制限|の(?:目安|上限))|上限|限度|最大で?(?:何|いくら|どれ)",
          r"[0-9]+(?:キロ|kg|センチ|cm|メートル|m)|上限|限度|最大", r"上限|限度|大きさ|サイズ|重さ"),
    # How a thing is done (受け取り方, 申込方法, どうやって): the section with the steps, not the topic's overview.
    _kind("howto", r"(?:受け?取り?|申し?込み?|申請|登録|予約|手続き?|届け?出|支払い?|使い|やり|取り)(?:方|の(?:し|仕)方|の?方法|の流れ)"
                   r"|[一-龥ァ-ヺー](?<![他別])の(?:方法|流れ)|[うくぐすつぬぶむる]方法|どうやって|どのように(?:して)?(?:申|受|取|登録|使|手続)|手順",
          r"手順|[①②③]|次の(?:とおり|通り|方法)|方法で", r"(?:受け?取り?|申し?込み?|申請|登録|予約|利用|使い|取り|請求する)(?:方|方法)|方法|手順|流れ|(?:し|仕)方"),
    # 何年も / 何年か経つ tell a story, 何日かかる asks.
    _kind("duration", r"どれくらい|どのくらい|(?:何日|何週間|何か月|何ヶ月|何時間|何分|何年|なんにち|なんしゅうかん|なんかげつ|なんじかん|なんぷん|なんねん)(?!も|か(?!か)|せい|生)",
          # Not a clock time's minutes (8時30分), a date's day (4月1日) nor a year (令和6年, 2026年).
          r"(?<![0-9時和成月])(?![0-9]{4}年)[0-9]+(?:日|週間|か月|ヶ月|カ月|時間|分|年)", r"期間|までの日数|何日|\d+(?:日|週間|か月|年)"),
)


# Kinds asked of plan documents, used only to pick the sentence of a plan passage to quote
# (bot/answering/plan_excerpt.py). They are no ranker features: the ranker's weights were fitted on KINDS.
# 「EBPMってなに？」 asks for the sentence that says what the term means (a plan's 「EBPMとは」 box, 「…の略」).
DEFINITION = _kind("definition", r"とは|って(?:なに|何|なん)|意味|定義|どういう(?:意味|こと)|(?:何|なに|なん)のこと"
                                 r"|(?:なに|何|なん)(?:ですか|でしょうか)?[?？]?$",
                   r"とは|の略|のこと[。で]|をいいます|を指します", r"とは", named=True)
# 「RPAをいくつの業務に入れる目標？」, 「どこまで増やすのがゴール？」 ask for a plan's target: a figure (50業務, 80%),
# which a plan states under 成果指標 or 目標値. (「目指す姿は？」 asks for a vision, not a figure.)
TARGET = _kind("target", r"目標|ゴール|KPI|指標|いくつ|どれ(?:くらい|ぐらい|だけ)|どの(?:くらい|ぐらい|程度)|どこまで"
                         r"|何(?:件|割|%|パーセント|倍)",
               r"(?:指標|目標値?|KPI)[^。\n]{0,30}\d|\d[\d,.]*\s*(?:%|％|件|業務|人|回|か所|箇所|団体|万円|億円|倍|割)",
               r"目標|指標")
# 「いつから始まる？」 of a plan is answered by a fiscal year (令和5年度, R7年度, 2025年度), which no date kind holds.
YEAR = _kind("year", r"いつ|何年|時期|スケジュール|予定",
             # Not a schedule table's header (R5 R6 R7 …): a year with 年 after R or four digits.
             r"(?:令和|平成)\s*[0-9元]+|R\s*[0-9]+\s*年|[0-9]{4}\s*年", r"期間|スケジュール|工程")
# 「どこの部署が担当？」 of a plan item is answered by the line naming its departments (DX推進部署、ハイサイ市民課;
# 担当課 情報政策課), often far from its 実施対象課 label in the extracted page.
DEPARTMENT = _kind("department", r"担当(?:課|部署|部局|の課|の部署)|所管|実施対象課|(?:どこ|どの)の?(?:課|部署|部局)|受け持",
                   # Not the label itself (実施対象課, 担当課).
                   r"[一-龥ァ-ヺー](?<!対象|担当)(?:課|部署|部局|室)(?:[、,，\s]|$)", r"担当課|実施対象課|体制", named=True)
PASSAGE_KINDS = (DEFINITION, TARGET, YEAR, DEPARTMENT)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def asked_kinds(question: str) -> tuple[QuestionKind, ...]:
    """The kinds of fact the question asks for (often none)."""
    text = _fold(question)
    # A question typed all in katakana (ナンヨウビ, イクラ) asks as its hiragana does; only such a one: in a
    # mixed question a katakana word read as hiragana meets other kana (コンビニ after けど reads どこ).
    if mostly_katakana(text):
        text = katakana_to_hiragana(text)
    return tuple(kind for kind in KINDS if kind.asks.search(text))


def asked_passage_kinds(question: str) -> tuple[QuestionKind, ...]:
    """The PASSAGE_KINDS the question asks for (a term's meaning, a plan's target, a fiscal year, the department
    in charge)."""
    text = _fold(question)
    return tuple(kind for kind in PASSAGE_KINDS if kind.asks.search(text))


def names_fact(kinds: tuple[QuestionKind, ...], heading: str) -> float:
    """Share of the asked kinds that ``heading`` names (「手数料」, 「必要なもの」, 「期限」 ...)."""
    if not kinds:
        return 0.0
    folded = _fold(heading)
    return sum(1 for kind in kinds if kind.names.search(folded)) / len(kinds)


def fact_heading(entry) -> str:
    """The text of an entry that says what it answers: a FAQ entry's question (its section is only
    a category such as 「保育園の入園申込」), a guide or plan section's heading."""
    return entry.title if entry.kind == "faq" else (entry.section or entry.title)


def holds_fact(kinds: tuple[QuestionKind, ...], text: str) -> float:
    """Share of the asked kinds whose fact appears in ``text``."""
    if not kinds:
        return 0.0
    folded = _fold(text)
    return sum(1 for kind in kinds if kind.holds.search(folded)) / len(kinds)


def holds_value(kinds: tuple[QuestionKind, ...], text: str) -> bool:
    """Whether ``text`` holds an asked kind of fact as a value (14日以内, 300円, 2階; DX推進部署 for a kind whose
    match is its value), not only a word that names the kind (期限, 窓口)."""
    folded = _fold(text)
    return any(kind.named or any(c.isdigit() for c in match.group())
               for kind in kinds for match in kind.holds.finditer(folded))
