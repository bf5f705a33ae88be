"""A resident asking for a person instead of the bot: 「人と話したい」「担当者につないでください」.

Searched as a question, such a message was answered with whatever entry mentions 相談 (「弁護士の無料
法律相談」 at 0.48) or declined as unknown. It is a request for the city's desk: the bot says so with
the general desk's contact, and the channels offer the handoff to staff where it is set up, as they do
after a decline (kind ``person``: abstained, no feedback buttons, not a knowledge gap in the review queue).

>>> asks_for_person("人と話したいです"), asks_for_person("担当者につないでください"), asks_for_person("粗大ごみの相談")
(True, True, False)
"""
from __future__ import annotations

import re
import unicodedata

# Only a short message is a request for a person; a longer one is a question that mentions people.
MAX_CHARS = 40
_WHO = r"(?:人間|人|ひと|担当者|担当の方|担当の人|担当|職員さん|職員|係の人|係の方|係員|スタッフ|オペレーター|オペレータ|有人|生身の人)"
# The request is the whole message: it starts the message or follows a short reason (わからないので、…),
# so 本人に代わって申請 or 成年後見人に相談したい (a 人 inside a word) are questions.
_START = r"^(?:.{0,15}?(?:ので|から|けど|けれど|[、。,!！\s]))?"
_VERB = r"(?:電話で|直接)?(?:話|はな|相談|そうだん|つな|繋|代わ|替わ|かわ|対応|電話)"
_WANT = r"(?:たい|せますか|せる|ください|下さい|ほしい|欲しい|お願い|おねがい|できますか|できる|可能|くれ)"
# Between the verb and the wish only kana of its inflection (話し|つない|代わって): 人に代わって手続きしたい asks
# about a procedure.
_TAIL = r"[ぁ-ん]{0,3}?" + _WANT + r"[ぁ-んー。！!？?]*$"
_PATTERNS = (
    re.compile(rf"{_START}{_WHO}(?:さん)?(?:と|に|で)(?:直接)?{_VERB}{_TAIL}"),
    re.compile(rf"{_START}(?:人間|有人)(?:の)?(?:対応|チャット){_TAIL}"),
    re.compile(rf"{_START}{_WHO}(?:を|に)?(?:お願い|おねがい|出して|呼んで|だして|よんで)[ぁ-んー。！!？?]*$"),
    re.compile(r"^(?:can i |could i |i want to |i'd like to |i would like to |please let me )?(?:talk|speak|chat)\s+"
               r"(?:to|with)\s+(?:a\s+|an\s+|the\s+)?(?:human|person|real person|staff|operator|agent|someone|somebody)"
               r"\W*(?:please\W*)?$"),
    re.compile(r"^(?:human|operator|agent|real person)(?:\s+please)?\W*$"),
)


def asks_for_person(message: str) -> bool:
    """True when ``message`` is a short request to talk to a person rather than a question."""
    text = unicodedata.normalize("NFKC", message or "").strip().lower()
    if not text or len(text) > MAX_CHARS:
        return False
    return any(p.search(text) for p in _PATTERNS)
