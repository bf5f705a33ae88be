"""A message from someone who may be thinking of ending their life (「死にたい」「消えたい」).

Searched as a question it was declined with the general desk's office hours (「平日 8時30分～17時15分」),
or matched to whichever entry stood nearest (母子保健課). Such a message gets one fixed reply instead
(messages.CRISIS): thanks for saying it, national consultation lines that answer now, and 119 / 110 when a
life is in danger. It is no inquiry to review or rate (NOT_QUESTION_KINDS).

A question about the city's suicide-prevention policy (自殺対策計画, 自殺防止の取組) is a question, searched as
usual; one about where to talk (自殺の相談窓口) gets the reply, which names where.
"""
from __future__ import annotations

import re
import unicodedata

_WORDS = re.compile(
    r"死にたい|しにたい|シニタイ|死んでしまいたい|死のうと(?:思|おも)|死ぬしかない|消えたい|きえたい|消えてしまいたい|"
    r"生きていたくない|いきていたくない|生きているのが(?:つら|辛|しんど)|生きるのが(?:つら|辛|しんど)|"
    r"自殺|じさつ|自死|首をつ|飛び降り(?:たい|よう)|"
    r"want to die|kill myself|suicid|想死|自杀|自殺|죽고 싶|자살|muốn chết|tự tử|quero morrer|suicídio",
    re.IGNORECASE)
# Policy words: a question about what the city does against suicide, not a person in crisis.
_POLICY = re.compile(r"計画|対策|施策|取組|取り組み|統計|件数|白書|推進|事業|研修|ゲートキーパー")


def in_crisis(message: str) -> bool:
    """Whether ``message`` says its writer may be thinking of ending their life (see the module docstring)."""
    text = unicodedata.normalize("NFKC", message or "")
    return bool(_WORDS.search(text)) and not _POLICY.search(text)
