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
_WHO = (r"(?:人間|人|ひと|担当者|担当の方|担当の人|担当|職員の方|職員さん|職員|係の人|係の方|係員|スタッフ|オペレーター"
        r"|オペレータ|有人|生身の人|生きてる人|本物の人)")
# Whose person: 市役所の人, 窓口の人, 福祉課の担当者, 誰か.
_WHOSE = r"(?:(?:誰か|だれか)|[^\s、。,]{1,8}の)?"
# The request is the whole message: it starts the message or follows a short reason (わからないので、
# チャットじゃなくて), so 本人に代わって申請 or 成年後見人に相談したい (a 人 inside a word) are questions.
_START = r"^(?P<lead>.{0,15}?(?:ので|から|けど|けれど|じゃなくて|ではなく|ではなくて|[、。,!！\s]))?"
_VERB = r"(?:電話で|直接)?(?:話|はな|相談|そうだん|つな|繋|代わ|替わ|かわ|対応|電話|聞き|きき)"
_CAN = r"(?:せますか|せる|できますか|できる|可能)"
_WANT = rf"(?:たい|ください|下さい|ほしい|欲しい|お願い|おねがい|くれ|{_CAN})"
# Between the verb and the wish only kana of its inflection (話し|つない|代わって), or the bare imperative
# (人につないで, 人間に代わって): 人に代わって手続きしたい asks about a procedure.
_TAIL = rf"(?:[ぁ-ん]{{0,3}}?(?P<want>{_WANT})|いで|って)[ぁ-んー。！!？?]*$"
_PATTERNS = (
    re.compile(rf"{_START}{_WHOSE}{_WHO}(?:さん)?(?:と|に|で)(?:直接)?{_VERB}{_TAIL}"),
    re.compile(rf"{_START}(?:人間|有人)(?:の)?(?:対応|チャット){_TAIL}"),
    re.compile(rf"{_START}{_WHOSE}{_WHO}(?:さん)?(?:を|に)?(?:お願い|おねがい|出して|呼んで|だして|よんで)[ぁ-んー。！!？?]*$"),
    re.compile(r"^(?:オペレーター|オペレータ|有人|有人対応|人間|担当者)[。！!？?]*$"),
    re.compile(r"^(?:can i |could i |i want to |i'd like to |i would like to |please let me )?(?:talk|speak|chat)\s+"
               r"(?:to|with)\s+(?:a\s+|an\s+|the\s+)?(?:human|person|real person|staff|operator|agent|someone|somebody)"
               r"\W*(?:please\W*)?$"),
    re.compile(r"^(?:human|operator|agent|real person)(?:\s+please)?\W*$"),
)
# 「土日でも、職員と相談できますか」「英語で、職員と話せますか」 ask whether a service exists: a condition before
# a can-question.
_CONDITION = re.compile(r"(?:でも|で|は|なら|には)[、,\s]?$")


def asks_for_person(message: str) -> bool:
    """True when ``message`` is a short request to talk to a person rather than a question."""
    text = unicodedata.normalize("NFKC", message or "").strip().lower()
    if not text or len(text) > MAX_CHARS:
        return False
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("want") and re.fullmatch(_CAN, groups["want"]) and _CONDITION.search(groups.get("lead") or ""):
            return False
        return True
    return False
