"""A compound typed with one kanji of the same sound wrong (indexing/kanji_typos.py)."""
from __future__ import annotations

from indexing.kanji_typos import KanjiTypos
from indexing.respelling import Respelling

KNOWLEDGE = [
    "印鑑登録証明書はコンビニでも取れます。印鑑登録証明書の手数料は300円です。",
    "国民健康保険の加入者が亡くなったとき、葬祭費を支給します。葬祭費の申請は2年以内です。",
    "公務員の方は勤務先から児童手当が支給されます。公務員の方はご注意ください。",
    "市税を納期限までに納めないと延滞金がかかります。延滞金の計算方法。",
    "システム障害時の対応。障害時は連絡してください。",
    "市立幼稚園の補助について。市立幼稚園の一覧。",
    "1年以上住んでいる方。1年以上の居住が必要です。",
    "第二子以降の保育料は無料です。第二子以降の方。",
    "5歳以上の方。5歳以上の子。カードの更新。更新の手続き。",
]


def _spelling():
    return Respelling(KNOWLEDGE)


def test_a_compound_with_one_kanji_of_the_same_sound_wrong_is_written_as_the_knowledge_writes_it():
    spelling = _spelling()
    # The tokenizer reads these as other words (性|明書 and 高務 as names, 延|帯金 おびがね), which the
    # respeller's readings in context never meet.
    assert spelling.respell("印鑑登録性明書ってコンビニでも取れる？") == "印鑑登録証明書ってコンビニでも取れる？"
    assert spelling.respell("児童手当 高務員になったら") == "児童手当 公務員になったら"
    assert spelling.respell("国保の葬祭日の申請") == "国保の葬祭費の申請"
    assert spelling.respell("延帯金はいくら") == "延滞金はいくら"


def test_words_and_numbers_a_resident_means_stay_as_typed():
    spelling = _spelling()
    assert spelling.respell("障害児の手当について") == "障害児の手当について"  # a word, not a typo of 障害時
    assert spelling.respell("65歳以上の方") == "65歳以上の方"  # a counter after a number: not 65年以上
    assert spelling.respell("第一子の保育料") == "第一子の保育料"  # a numeral
    assert spelling.respell("は何年ごと？") == "は何年ごと？"  # 年 counts after 何: not 何歳
    assert spelling.respell("更親の手続き") == "更新の手続き"  # two kanji, as a run of their own
    assert KanjiTypos({("きたぐち", "北口"): 3}, set()).fixed("北区の窓口") == "北区の窓口"  # a name
    assert spelling.respell("印鑑登録証明書の手数料") == "印鑑登録証明書の手数料"


def test_a_compound_the_knowledge_writes_once_or_two_that_fit_are_no_target():
    once = KanjiTypos({("えんたいきん", "延滞金"): 1, ("えんたい", "延滞"): 3}, set())
    assert once.fixed("延帯金はいくら") == "延帯金はいくら"
    twice = KanjiTypos({("えんたいきん", "延滞金"): 2, ("えんたい", "延滞"): 3}, set())
    assert twice.fixed("延帯金はいくら") == "延滞金はいくら"
    # 保険証 and 保険商 differ from 保険性 in the same place and share its reading しょう; neither is chosen.
    two = KanjiTypos({("ほけんしょう", "保険証"): 3, ("ほけんしょう", "保険商"): 3}, set())
    assert two.fixed("保険性の手続き") == "保険性の手続き"
    assert KanjiTypos({("ほけんしょう", "保険証"): 3}, set()).fixed("保険性の手続き") == "保険証の手続き"
    assert KanjiTypos({}, set()).fixed("延帯金") == "延帯金"


def test_a_common_word_the_change_makes_another_word_stays():
    typos = KanjiTypos({("しりつようちえん", "市立幼稚園"): 2}, set())
    assert typos.fixed("私立幼稚園の補助") == "私立幼稚園の補助"  # 私立 is no typo of 市立
