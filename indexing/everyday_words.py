"""Everyday words for what a city's knowledge names with another word, written as the knowledge writes it.

Residents ask in the words of daily life (結婚, 燃えないゴミ, 住民税, 学童), and each city writes the same
thing in its own official or local name (婚姻届, 不燃ごみ, 市県民税, 放課後児童クラブ). A word that the
knowledge never writes is a miss twice: BM25 finds no term and the dense model, which reads 結婚したら
何を出す？ as near 転居届 as 婚姻届, gets no help. ``EverydayWords`` rewrites such a word of the question
with the word of its group that the knowledge writes most.

The groups are general Japanese municipal vocabulary (not any one city's): each holds words that name
the same thing, and which of them a city uses varies. A word of the question is rewritten only when

* the knowledge never writes it (as a part of any longer word either: a city that writes 結婚新生活支援
  keeps 結婚 as typed), and
* the knowledge writes another word of its group at least ``_MIN_WRITTEN`` times; of those, the one
  written most is used.

A word with ごみ may be typed with ゴミ or ｺﾞﾐ.

Two kinds of everyday question name no word of the knowledge at all, and are searched with the knowledge's
noun added after what they say (nothing removed): a thing thrown away (ベッドを捨てたい: ベッド（粗大ごみ）,
DISPOSALS; its particle may be dropped: ベッド捨てたい) and a life event told as it happened (会社を辞めた: 退職,
父が他界した: 死亡; a filing done in another's place, 代わりに取りに行く: 代理人, EVENTS).

An age and a half year as people say it (1歳半健診, 1才半) is written as the knowledge writes ages when it never
writes 歳半 (1歳6か月健診: HALF_AGE).

The sample knowledge's own synonym list (knowledge/synonyms.txt) is a different thing: it is the DX office's,
rewrites both sides, and applies whatever the knowledge writes.
"""
from __future__ import annotations

import re
from collections import Counter

# Words that name the same thing, as Japanese cities variously write it. A word is rewritten only where no more
# of a compound follows it (結婚式, 結婚新生活支援, 燃えるごみ袋, 保育所等訪問支援 are other things, which the
# knowledge may lack; ハンコ注射 is the BCG vaccine). 入籍 is a marriage only as something done (入籍した, 入籍する日;
# a child's 入籍届 or 入籍させる is another filing). Not here: ごみ袋 (燃えるごみ袋 would become 燃える指定袋).
GROUPS: tuple[tuple[str, ...], ...] = (
    ("婚姻", "結婚", "入籍"),
    ("出生届", "出産届"),
    ("燃えるごみ", "燃やすごみ", "可燃ごみ"),
    ("燃えないごみ", "燃やさないごみ", "不燃ごみ"),
    ("資源ごみ", "資源物"),
    ("プラスチック製容器包装", "容器包装プラスチック", "プラスチックごみ", "プラごみ", "プラ容器"),
    ("粗大ごみ", "大型ごみ"),
    ("ごみ集積所", "ごみステーション", "ごみ置き場", "ごみ集積場"),
    ("住民税", "市県民税", "市民税・県民税", "市・県民税", "町県民税", "町民税・県民税", "市町村民税"),
    ("保育園", "保育所"),
    ("放課後児童クラブ", "学童保育", "学童クラブ", "学童"),
    ("ひとり親", "母子家庭", "父子家庭", "シングルマザー", "シングルファザー", "片親"),
    ("母子健康手帳", "母子手帳"),
    ("子ども医療費", "こども医療費", "子供医療費"),
    ("高齢者", "お年寄り", "年寄り"),
    ("医療費", "病院代"),
    ("駐輪場", "自転車置き場", "自転車置場"),
    ("水道料金", "水道代"),
    ("下水道使用料", "下水道料金"),
    ("国民健康保険税", "国民健康保険料"),
    ("ごみカレンダー", "ごみ収集カレンダー", "ごみ出しカレンダー"),
    ("粗大ごみ処理券", "粗大ごみシール", "粗大ごみ処理手数料券", "粗大ごみ券"),
    ("蛍光灯", "蛍光管"),
    ("スプレー缶", "エアゾール缶"),
    ("健康診査", "健診"),
    ("一時預かり", "一時保育"),
    ("狂犬病予防注射", "狂犬病予防接種"),
    ("印鑑", "はんこ", "ハンコ"),
)
# Things residents throw away, by the kind of collection that takes them in Japanese cities: furniture and
# other large items are 粗大ごみ, the four appliances of the 家電リサイクル法 are not collected by the city.
# A question that names such a thing being thrown away, but not the kind, is searched with the kind as the
# knowledge writes it after the thing (ベッドを捨てたい → ベッド（粗大ごみ）を捨てたい). The thing must end a word (not
# テレビ台; 車椅子 and 原動機付自転車 are other things, 学習机 and 二段ベッド the same) and be what is thrown away: the verb follows it and its
# particle at once (ベッドを捨てたい, 自転車は処分できる?; not 自転車の盗難届を出したい, 車椅子の貸し出し,
# 冷蔵庫から取り出す, 放置自転車が回収された).
DISPOSALS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("粗大ごみ", "大型ごみ"), ("ベッド", "ソファー", "ソファ", "たんす", "タンス", "箪笥", "本棚", "食器棚", "マットレス",
                             "自転車", "机", "テーブル", "椅子", "ベビーカー", "物干し竿")),
    (("家電リサイクル",), ("冷蔵庫", "冷凍庫", "洗濯機", "衣類乾燥機", "エアコン", "テレビ")),
)
# Life events told in everyday phrases (会社を辞めた, 父が他界した), and the noun a city's knowledge files them
# under. A question with such a phrase and not the noun is searched with the noun after the phrase when the
# knowledge writes the noun and never the phrase (会社を辞めた（退職）). A phrase is matched with its verb's
# ending, so that the noun follows the whole verb; an event is one that happened (生まれた, not 生まれつき or
# 生まれる前).
_PAST = r"(?:ました|まして|たら|た|て)"
# People a resident does an errand for.
_PEOPLE = ("本人|親|両親|母|父|母親|父親|妹|姉|兄|弟|息子|娘|子ども|子供|孫|祖父|祖母|親戚|家族|夫|妻|主人|義母|義父|"
           "おや|はは|ちち|おかあさん|おとうさん|ははおや|ちちおや|いもうと|あね|あに|おとうと|むすこ|むすめ|こども|まご|"
           "そふ|そぼ|かぞく|おっと|つま|しゅじん")
EVENTS: tuple[tuple[str, str], ...] = (
    ("退職", rf"(?:仕事|会社|勤め先|職場|バイト|パート)を?(?:辞め|やめ){_PAST}|失業|離職|リストラ|クビにな{_PAST}?"),
    ("死亡", r"他界|死去|逝去|身内に不幸|死んだ|死にました"),
    ("出生", rf"(?:赤ちゃん|子ども|子供|こども|息子|娘|孫)が?(?:生まれ|産まれ|うまれ){_PAST}"),
    # Someone doing a filing in another's place (住民票を代わりに取りに行く, 夫が代わりに出しに行って, 母の代わりに申請) is a
    # 代理人's: 代わりに after を or が, or after a person and の, then an errand's verb. Not 住民票の代わりに提出できる書類
    # or 郵送の代わりに (instead of a thing), nor ごみを代わりに出して (no filing).
    ("代理人", rf"(?:を|が|(?:{_PEOPLE})の)\s*(?:代わりに|かわりに)\s*(?:取りに|とりに|出しに|だしに|受け?取|うけと|申請|しんせい|手続|"
               r"てつづき|届け出|提出|行[くけっきこ]|い(?:く(?![ぁ-ゖ])|ける|けます|って|きます|きたい))"),
)
# Words before a thing that make it another thing (a wheelchair, a motorbike: not 粗大ごみ).
_NOT_THROWN_AFTER = "(?<!車)(?<!車い)(?<!原動機付)(?<!電動アシスト付)"
# A verb of throwing a thing away, and the same after the thing's particle (dropped in casual writing: ベッド捨てたい).
_DISCARDING = r"(?:捨て|すて|処分|出し(?:たい|方)|出す|出せ|回収して)"
_DISCARDED_AFTER = re.compile(rf"\s*(?:(?:を|は|って|も|が)\s*)?{_DISCARDING}")
# An age and a half year as people say it (1歳半健診, 1才半), and as knowledge bases write it (1歳6か月児健診): the month
# count's spellings (its 6 in either width), the most written one used. Not 30歳半ば (the mid-thirties).
HALF_AGE = re.compile(r"([0-9０-９]{1,2})[歳才]半(?!ば)")
HALF_AGE_WRITTEN = ("歳6か月", "歳6ヶ月", "歳6カ月", "歳6ケ月", "歳6ヵ月", "歳6箇月")
_WIDE_SIX = str.maketrans("6", "６")
# What continues a compound after a word (kanji, katakana).
_IN_COMPOUND = "一-龥々〆ヵヶァ-ヺー"
# What may follow a word of a group and leave it the word (年寄り向け: for the elderly; not a longer compound).
_STILL_THE_WORD_BEFORE = "向け"
# What must follow a word for it to mean what its group means.
_SENSE = {"入籍": "(?=し(?!な)|す|予定|日)"}
# The other word of a group is used only when the knowledge writes it this often at least.
_MIN_WRITTEN = 2
_GOMI = re.compile("ゴミ|ｺﾞﾐ")


def _folded(text: str) -> str:
    """ごみ however it is typed (ゴミ, ｺﾞﾐ)."""
    return _GOMI.sub("ごみ", text)


def _pattern(words, after: str = "", then: str = "") -> re.Pattern:
    """Any of ``words``, the longest first, with ごみ also typed ゴミ or ｺﾞﾐ, never followed by more of a compound
    (結婚|式, テレビ|台) unless by 向け or by what ``then`` matches (a verb right after the word: ベッド|捨てたい, typed without
    its particle). A word may follow another word (来月|結婚, 学習|机, 二段|ベッド), but not one ``after``
    excludes (車|椅子, 原動機付|自転車 are other things)."""
    def written(word: str) -> str:
        return re.escape(word).replace("ごみ", "(?:ごみ|ゴミ|ｺﾞﾐ)") + _SENSE.get(word, "")

    alternatives = "|".join(map(written, sorted(words, key=len, reverse=True)))
    ends = f"(?![{_IN_COMPOUND}])|(?={_STILL_THE_WORD_BEFORE})" + (f"|(?={then})" if then else "")
    return re.compile(f"{after}(?:{alternatives})(?:{ends})")


class EverydayWords:
    """Rewrites a question's everyday words the knowledge never writes (see the module docstring)."""

    def __init__(self, texts):
        words = {word for group in (*GROUPS, *(kinds for kinds, _ in DISPOSALS)) for word in group}
        words |= {noun for noun, _ in EVENTS} | {"歳半"}
        words |= set(HALF_AGE_WRITTEN) | {word.translate(_WIDE_SIX) for word in HALF_AGE_WRITTEN}
        # One string searched once per word (50,000 entries: about a second; a pattern of every word run over
        # each text took three).
        knowledge = _folded("\n".join(texts))
        written = Counter({word: knowledge.count(word) for word in words})
        self._replacement: dict[str, str] = {}
        for group in GROUPS:
            used = [word for word in group if written[word] >= _MIN_WRITTEN]
            if not used:
                continue
            best = max(used, key=lambda word: (written[word], -group.index(word)))
            for word in group:
                if not written[word]:
                    self._replacement[word] = best
        self._pattern = _pattern(self._replacement) if self._replacement else None
        # (the knowledge's word for the kind, the kind's words, a pattern of its things)
        self._disposals = []
        for kinds, things in DISPOSALS:
            used = [word for word in kinds if written[word] >= _MIN_WRITTEN]
            if used:
                kind = max(used, key=lambda word: written[word])
                self._disposals.append((kind, kinds, _pattern(things, _NOT_THROWN_AFTER, _DISCARDING)))
        # (the event's noun, a pattern of its phrases) for the events the knowledge files only by the noun
        self._events = [(noun, re.compile(phrase)) for noun, phrase in EVENTS
                        if written[noun] >= _MIN_WRITTEN and not re.search(phrase, knowledge)]
        # The knowledge's way of writing an age and a half year, when it never writes 歳半.
        def times(word: str) -> int:
            return written[word] + written[word.translate(_WIDE_SIX)]

        half = max(HALF_AGE_WRITTEN, key=times)
        self._half_age = half if times(half) >= _MIN_WRITTEN and not written["歳半"] else ""

    def __bool__(self) -> bool:
        return self._pattern is not None or bool(self._disposals) or bool(self._events) or bool(self._half_age)

    def replacement(self, word: str) -> str | None:
        """The knowledge's word for ``word``, or None when it is kept as typed."""
        return self._replacement.get(word)

    def expanded(self, text: str) -> str:
        """``text`` with each everyday word the knowledge never writes rewritten as the knowledge writes it
        (``text`` unchanged when there is none)."""
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._replacement[_folded(m.group(0))], text)
        if self._disposals:
            text = self._with_disposal_kind(text)
        if self._half_age:
            text = HALF_AGE.sub(lambda m: m.group(1) + self._half_age, text)
        return self._with_event_nouns(text) if self._events else text

    def _with_event_nouns(self, text: str) -> str:
        """``text`` with an event's noun after the first phrase that tells it (see EVENTS)."""
        for noun, phrase in self._events:
            told = phrase.search(text)
            if told and noun not in text:
                text = f"{text[:told.end()]}（{noun}）{text[told.end():]}"
        return text

    def _with_disposal_kind(self, text: str) -> str:
        """``text`` with the kind of collection after the first thing it throws away (see DISPOSALS)."""
        folded = _folded(text)
        for kind, kinds, things in self._disposals:
            if any(word in folded for word in kinds):
                continue
            for thing in things.finditer(text):
                if _DISCARDED_AFTER.match(text, thing.end()):
                    return f"{text[:thing.end()]}（{kind}）{text[thing.end():]}"
        return text
