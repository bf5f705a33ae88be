"""What kind of fact a question asks for (a deadline, a fee, a place ...), and whether an entry holds one.

Used as a rerank feature: among candidates of nearly the same score, the entry or guide section
that contains the kind of fact asked for is preferred over an overview of the same topic.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionKind:
    name: str
    asks: re.Pattern    # matched against the question
    holds: re.Pattern   # matched against an entry's body


def _kind(name: str, asks: str, holds: str) -> QuestionKind:
    return QuestionKind(name, re.compile(asks), re.compile(holds))


KINDS = (
    _kind("deadline", r"いつまで|期限|締め?切|何日前|何日以内|何日まで|いつから|何曜日まで",
          r"\d+日(?:前|以内|後|まで)|\d+時まで|曜日まで|期限|までに"),
    _kind("fee", r"いくら|料金|手数料|費用|値段|何円|お金|無料|有料|かかる",
          r"\d[\d,]*円|無料"),
    _kind("place", r"どこ|場所|何階|窓口は|どの窓口",
          r"窓口|\d+階|支所|センター|庁舎|取扱店|店舗"),
    _kind("needs", r"必要なもの|何が必要|なにが必要|持ち物|持って(?:いく|行く|くる|来る)|何を持|なにを持|用意|何を出|なにを出",
          r"必要です|必要なもの|お持ち|持参|本人確認書類|を添えて"),
    _kind("who", r"誰が|だれが|誰に|だれに|どなた|誰の|だれの",
          r"承認|担当者|課長|所属長|本人"),
    _kind("hours", r"何時|営業時間|受付時間|開いて|あいて|土曜|日曜|休日|祝日",
          r"\d+時(?:\d+分)?～|\d+時から|\d+時まで|土曜日|日曜日|祝日"),
    _kind("duration", r"どれくらい|どのくらい|何日|何週間|何か月|何ヶ月|何時間|何分",
          r"\d+(?:日|週間|か月|ヶ月|カ月|時間|分)"),
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def asked_kinds(question: str) -> tuple[QuestionKind, ...]:
    """The kinds of fact the question asks for (often none)."""
    text = _fold(question)
    return tuple(kind for kind in KINDS if kind.asks.search(text))


def holds_fact(kinds: tuple[QuestionKind, ...], text: str) -> float:
    """Share of the asked kinds whose fact appears in ``text``."""
    if not kinds:
        return 0.0
    folded = _fold(text)
    return sum(1 for kind in kinds if kind.holds.search(folded)) / len(kinds)
