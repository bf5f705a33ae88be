"""Questions outside what this city's knowledge base can answer, recognised before ranking:
another municipality named in the question (「横浜市では…」).

A place is "ours" when it is the configured city name or when the knowledge base itself talks
about it (its name is a term of several entries), so no list of cities is kept anywhere.
"""
from __future__ import annotations

import re

from indexing.japanese import katakana_to_hiragana, normalize_text, sudachi_dictionary

MUNICIPALITY_SUFFIXES = ("市", "区", "町", "村", "都", "道", "府", "県")
PREFECTURE_SUFFIXES = ("都", "道", "府", "県")
# A municipality's own institutions named as one word after a place (神戸市営住宅, 千葉県立病院).
RUN_BY = {"市営": "市", "市立": "市", "県営": "県", "県立": "県", "府立": "府", "府営": "府", "都立": "都",
          "都営": "都", "道立": "道", "区立": "区", "町立": "町", "村立": "村"}
# The same suffixes typed in kana after a place name (おおさかし, ふくおかけん), as the kanji they stand for.
KANA_SUFFIXES = {"し": "市", "けん": "県", "く": "区", "ちょう": "町", "まち": "町", "むら": "村", "そん": "村",
                 "と": "都", "ふ": "府", "シ": "市", "ケン": "県", "ク": "区", "チョウ": "町", "マチ": "町", "ムラ": "村"}
# After a bare place name, that place's own offices (横浜の市役所, 大阪の区役所): another city's counter.
# A bare name with では / だと (北町では…) is not enough: residents name their own districts so, and a
# district need not appear in the knowledge; nor is a country (アメリカでは…) another city.
PLACE_OFFICE = re.compile(r"の(?:市役所|区役所|役場|町役場|村役場|県庁|都庁|府庁|道庁)")
# After a place, this makes it where someone moves from or to (横浜市から引っ越してきた, 大阪市に
# 転出する): the question is then about this city's procedure, not the other place.
MOVING = re.compile(r"(?:から|より|へ|に(?:引っ?越|転出|転居|転入|移))")
# A place named in this many entries (or this share of them) is one the knowledge base is about.
OWN_PLACE_MIN_ENTRIES = 3


def named_places(text: str) -> list[tuple[str, str]]:
    """(name, name + suffix) for each municipality or prefecture named in ``text`` as the place a
    question is about: a proper noun followed by 市/区/町/村/都/道/府/県 (or a place name followed
    by the suffix in kana: おおさかし), unless a particle after it makes it where someone moves from
    or to; or a bare place name followed by its office (横浜の市役所), as (name, name)."""
    from sudachipy import SplitMode

    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    normalized = normalize_text(text)
    morphemes = list(tokenizer.tokenize(normalized))
    places = []
    for current, following in zip(morphemes, morphemes[1:]):
        pos = current.part_of_speech()
        place_name = pos[1] == "固有名詞" and pos[2] == "地名"
        if following.surface() in MUNICIPALITY_SUFFIXES and (pos[1] == "固有名詞" or current.is_oov()):
            suffix = following.surface()
        elif place_name and following.surface() in KANA_SUFFIXES and following.part_of_speech()[0] == "接尾辞":
            suffix = KANA_SUFFIXES[following.surface()]
        elif place_name and following.surface() in RUN_BY:
            suffix = RUN_BY[following.surface()]
        elif place_name and len(current.surface()) > 2 and current.surface()[-1] in PREFECTURE_SUFFIXES:
            # One word with its suffix (北海道): the place a question is about unless moved from or to.
            if not MOVING.match(normalized, current.end()):
                places.append((current.surface()[:-1], current.surface()))
            continue
        elif place_name and pos[3] != "国" and PLACE_OFFICE.match(normalized, current.end()):
            places.append((current.surface(), current.surface()))
            continue
        else:
            continue
        if MOVING.match(normalized, following.end()):
            continue
        places.append((current.surface(), current.surface() + suffix))
    return places


def other_place(text: str, own_names: set[str], term_frequency, written=None) -> str:
    """The first municipality named in ``text`` that is not this city, or ''.

    ``term_frequency(term)`` tells in how many entries a term occurs; ``written(text)``, how often
    the knowledge writes a text (folded to hiragana), for a name the tokenizer does not keep as one
    term (かわべ市 is か + わべ + 市, while the question's カワベ is one word).
    """
    for name, full in named_places(text):
        if name in own_names or full in own_names:
            continue
        # The index holds terms folded to hiragana: カワベ is counted as かわべ.
        mentions = max(term_frequency(name) or 0, term_frequency(katakana_to_hiragana(name)) or 0)
        if mentions >= OWN_PLACE_MIN_ENTRIES:
            continue
        if not mentions and written is not None and written(katakana_to_hiragana(full)) >= OWN_PLACE_MIN_ENTRIES:
            continue  # a name that is no term of the knowledge: is it written there as typed?
        if name == full and mentions:
            continue  # a bare name the knowledge mentions at all (a district of this city)
        return full
    return ""
