"""Questions outside what this city's knowledge base can answer, recognised before ranking:
another municipality named in the question (「横浜市では…」).

A place is "ours" when it is the configured city name or when the knowledge base itself talks
about it (its name is a term of several entries), so no list of cities is kept anywhere.
"""
from __future__ import annotations

import re

from indexing.japanese import normalize_text, sudachi_dictionary

MUNICIPALITY_SUFFIXES = ("市", "区", "町", "村", "都", "道", "府", "県")
# After a place, this makes it where someone moves from or to (横浜市から引っ越してきた, 大阪市に
# 転出する): the question is then about this city's procedure, not the other place.
MOVING = re.compile(r"(?:から|より|へ|に(?:引っ?越|転出|転居|転入|移))")
# A place named in this many entries (or this share of them) is one the knowledge base is about.
OWN_PLACE_MIN_ENTRIES = 3


def named_places(text: str) -> list[tuple[str, str]]:
    """(name, name + suffix) for each municipality or prefecture named in ``text`` as the place a
    question is about: a proper noun followed by 市/区/町/村/都/道/府/県, unless a particle after it
    makes it where someone moves from or to."""
    from sudachipy import SplitMode

    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    normalized = normalize_text(text)
    morphemes = list(tokenizer.tokenize(normalized))
    places = []
    for current, following in zip(morphemes, morphemes[1:]):
        pos = current.part_of_speech()
        if following.surface() in MUNICIPALITY_SUFFIXES and (pos[1] == "固有名詞" or current.is_oov()):
            if MOVING.match(normalized, following.end()):
                continue
            places.append((current.surface(), current.surface() + following.surface()))
    return places


def other_place(text: str, own_names: set[str], term_frequency) -> str:
    """The first municipality named in ``text`` that is not this city, or ''.

    ``term_frequency(term)`` tells in how many entries a term occurs.
    """
    for name, full in named_places(text):
        if name in own_names or full in own_names:
            continue
        if term_frequency(name) >= OWN_PLACE_MIN_ENTRIES:
            continue
        return full
    return ""
