"""A message from someone who may be thinking of ending their life (「死にたい」「消えたい」).

Searched as a question it was declined with the general desk's office hours (「平日 8時30分～17時15分」),
or matched to whichever entry stood nearest (母子保健課). Such a message gets one fixed reply instead
(messages.CRISIS): thanks for saying it, national consultation lines, and 119 / 110 when a life is in
danger. It is no inquiry to review or rate (NOT_QUESTION_KINDS).

Words a person says of themselves (死にたい, 消えたい, 生きていたくない, I want to die) always get the reply,
whatever else the message says (事業に失敗して死にたい). The word 自殺 / 自死 alone does not: a question about the
city's prevention work (自殺対策計画, 自殺予防週間, 自殺防止の相談窓口) or a bereaved family's procedure
(父が自殺しました。死亡届は…, 自死遺族の相談) is searched as usual.
"""
from __future__ import annotations

import re
import unicodedata

_SAID_OF_ONESELF = re.compile(
    r"死にたい|しにたい|シニタイ|死んでしまいたい|死のうと(?:思|おも)|死のうかな|死ぬしかない|死んだほうが(?:まし|楽)|"
    r"(?:自殺|じさつ|自死)(?:したい|しよう|を考え|するしか)|消えたい|きえたい|消えてしまいたい|生きていたくない|いきていたくない|もう生きていけない|"
    r"生きているのが(?:つら|辛|しんど)|生きるのが(?:つら|辛|しんど)|首を(?:つり|吊り)たい|飛び降り(?:たい|よう)|"
    r"want to die|kill myself|end my life|想死|不想活|죽고 싶|muốn chết|quero morrer|quero me matar|"
    r"não quero mais viver",
    re.IGNORECASE)
_SUICIDE_WORD = re.compile(r"自殺|じさつ|自死|suicid|自杀|자살|tự tử|suicídio", re.IGNORECASE)
# With the word alone: the city's prevention work, or someone else's death and its procedures.
_NOT_ONESELF = re.compile(r"計画|対策|施策|取組|取り組み|統計|件数|白書|推進|事業|研修|ゲートキーパー|防止|予防|週間|月間|講座|"
                          r"遺族|遺された|(?:父|母|夫|妻|息子|娘|兄|姉|弟|妹|家族|友人|親)(?:が|は)(?:自殺|自死)")


def in_crisis(message: str) -> bool:
    """Whether ``message`` says its writer may be thinking of ending their life (see the module docstring)."""
    text = unicodedata.normalize("NFKC", message or "")
    if _SAID_OF_ONESELF.search(text):
        return True
    return bool(_SUICIDE_WORD.search(text)) and not _NOT_ONESELF.search(text)
