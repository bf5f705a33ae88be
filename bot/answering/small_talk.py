"""Messages that are not questions: a greeting, thanks, an acknowledgement or a goodbye.

A resident's first LINE message is often 「こんにちは」, and the last 「ありがとう」. Searched as
questions they were declined with whichever department the nearest entries belonged to (「ありがとう」
got 母子保健課's phone number). Only a message that is nothing but such words (with punctuation,
emoji and ね/ー/! endings) is small talk; 「こんにちは、粗大ごみの出し方は？」 is a question.

>>> small_talk_kind("こんにちは！"), small_talk_kind("ありがとうございました😊"), small_talk_kind("粗大ごみ")
('greeting', 'thanks', None)
"""
from __future__ import annotations

import re
import unicodedata

_GREETINGS = ("こんにちは", "こんにちわ", "こんばんは", "こんばんわ", "おはよう", "おはようございます", "はじめまして",
              "初めまして", "よろしく", "よろしくお願いします", "よろしくおねがいします", "よろしくお願いいたします",
              "もしもし", "やあ", "hello", "hi", "hey", "helo", "hallo", "olá", "ola", "bomdia", "boatarde", "xinchào",
              "chào", "你好", "您好", "안녕하세요", "안녕", "元気", "元気ですか", "お元気ですか", "げんき", "げんきですか",
              "おげんきですか", "howareyou", "tudobem",
              # How colleagues open a message at work (a staff member's first Slack line).
              "お疲れ様", "お疲れさま", "おつかれさま", "お疲れ", "おつかれ", "お疲れ様です", "お疲れさまです",
              "お世話になっております", "お世話になります", "いつもお世話になっております", "お世話になっています",
              "いつもお世話になっています", "いつもお世話になります", "お世話さまです", "お世話様です")
_THANKS = ("ありがとう", "ありがとうございます", "ありがとうございました", "ありがと", "どうもありがとう",
           "どうもありがとうございます", "どうもありがとうございました", "どうも", "サンキュー", "助かりました",
           "たすかりました", "助かります", "感謝します", "thanks", "thankyou", "thx", "ty", "thanksalot",
           "thankyousomuch", "thankyouverymuch", "助かった", "たすかった", "obrigado", "obrigada", "cảmơn", "camon", "谢谢", "謝謝", "감사합니다", "고맙습니다")
_CLOSINGS = ("わかりました", "分かりました", "了解", "了解です", "了解しました", "りょうかい", "りょ", "承知しました",
             "ok", "okay", "オッケー", "おけ", "さようなら", "さよなら", "おやすみ", "おやすみなさい", "またね", "バイバイ",
             "bye", "goodbye",
             "なるほど", "そうですか", "tchau", "再见", "再見", "안녕히계세요", "また聞きます", "また聞く", "またきく",
             "また来ます", "またきます", "またあとで", "また今度", "またこんど", "また連絡します",
             "失礼します", "失礼しました", "お先に失礼します", "お疲れ様でした", "お疲れさまでした", "おつかれさまでした")
# Words that may join or end the above without making a question: 「はい、ありがとう」「どうも、助かりました」.
_LEADING = "はい|いいえ|えっと|では|じゃあ|それでは|本当に|ほんとに|とても|大変|たいへん"
_FILLERS = re.compile(rf"^(?:{_LEADING})+|(?:ね|ねー|よ|です|でーす|っす|でした|さん|様|さま|ー|〜|~)+$")
_FILLER_ONLY = re.compile(rf"^(?:{_LEADING})+$")
_NOISE = re.compile(r"[\s\W_]+")  # spaces, punctuation, emoji
_KINDS = {"greeting": _GREETINGS, "thanks": _THANKS, "closing": _CLOSINGS}
_LONGEST = max(len(w) for words in _KINDS.values() for w in words) * 3


# Nothing but digits, signs, emoji and spaces, with at most a は or って (「1+1は？」, 「12345」, 「👍」):
# no word to search with; searched, digits met the nearest entry about ages or fees.
_WORDLESS = re.compile(r"[\d\W_]*(?:(?:は|って)[\d\W_]*)?")


def says_nothing(message: str) -> bool:
    """Whether a message holds no word at all (see _WORDLESS): it is answered as an empty question."""
    return bool(_WORDLESS.fullmatch(unicodedata.normalize("NFKC", message or "")))


def small_talk_kind(message: str) -> str | None:
    """'greeting', 'thanks' or 'closing' when ``message`` is only such words, else None."""
    text = _NOISE.sub(" ", unicodedata.normalize("NFKC", message or "").lower()).strip()
    if not text or len(text) > _LONGEST:
        return None
    whole = _part_kind(text.replace(" ", ""))  # 「thank you」, 「ありがとう ございます」
    if whole:
        return whole
    kinds = []
    for part in text.split():
        kind = _part_kind(part)
        if kind is None and not _FILLER_ONLY.match(part):
            return None
        if kind:
            kinds.append(kind)
    if not kinds:
        return None
    # Thanks outweighs a closing or a greeting said with it (「はい、ありがとう」, 「こんにちは、ありがとう」).
    return "thanks" if "thanks" in kinds else kinds[0]


def _part_kind(part: str) -> str | None:
    # A casual わ ends a phrase too (また聞くわ); not stripped with the others, which would cut こんばんわ.
    for candidate in (part, _FILLERS.sub("", part), _FILLERS.sub("", part).removesuffix("わ")):
        for kind, words in _KINDS.items():
            if candidate in words:
                return kind
        # Two small-talk words typed without a space: 「ありがとうございましたよろしくお願いします」.
        for kind, words in _KINDS.items():
            for word in words:
                rest = candidate[len(word):]
                if len(word) > 1 and rest and candidate.startswith(word) and (rest_kind := _part_kind(rest)):
                    return "thanks" if "thanks" in (kind, rest_kind) else kind
    return None
