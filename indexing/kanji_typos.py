"""A compound typed with one kanji of the same sound wrong, written as the knowledge writes it.

An input method offers homophones and a resident picks the wrong one: 延帯金 for 延滞金, 印鑑登録性明書 for
印鑑登録証明書, 高務員 for 公務員. The respeller (indexing/respelling.py) reads a question by the readings the
tokenizer gives its words in context, and a mistyped compound is often read as other words (延|帯金: おびがね,
性|明書 and 高務 as names) whose readings meet no compound of the knowledge. ``KanjiTypos`` looks at the
characters instead. A run of kanji of the question is written as a compound of the knowledge when

* the run (three kanji or more, or two read as two words, neither a name nor a suffix: 更|親) is no word
  the knowledge writes and no word of the dictionary (障害児 is a word, not a typo of 障害時);
* with one character changed it is a compound the knowledge writes, twice at least, and only one such; the
  run starts and ends where words of the question do, and the compound is a whole one of the knowledge, not
  a part cut from a longer one (評価証明書 holds no 価証明, 公課証明書 no 課証明);
* the typed character and the knowledge's share a reading (帯, 滞: たい; 性, 証: しょう): one the dictionary has for
  the character alone, or one the knowledge's compounds of two kanji give it (延滞 read えんたい: 滞 is たい);
* the typed character is no numeral and no counter after a number (3歳以上 is no 3年以上; 何十時間);
* the typed character stands in a word of the question that may be mistyped: a single character, a name,
  an unknown word, or a word the knowledge never writes that the change makes no other word (帯金 → 滞金).
  A common word stays when the change makes another word (私立 is no typo of 市立).
"""
from __future__ import annotations

import re
from collections import Counter

from indexing.abbreviations import whole_compounds
from indexing.respelling_vocabulary import KANJI_WORD, dictionary_readings, is_common_word, tokenizer

# Numbers are what a resident means, and a counter after one (3歳以上 is no 3年以上): neither is changed.
_NUMERALS = set("一二三四五六七八九十百千万億何")
_DIGIT = re.compile(r"[0-9０-９]")
# What two kanji standing alone must not be read as (a name, a name and its suffix: 北|区).
_NAME_OR_SUFFIX = {"固有名詞", "名詞的"}
# Compounds this long at most are looked for (a longer run is searched by its windows).
_SHORTEST, _LONGEST = 2, 12
# A compound of the knowledge written this often at least.
_MIN_WRITTEN = 2
_WILDCARD = "?"


def _after_number(text: str, position: int) -> bool:
    """Whether ``text`` has a number right before ``position`` (the character there is its counter)."""
    return position > 0 and (_DIGIT.match(text[position - 1]) is not None or text[position - 1] in _NUMERALS)


class KanjiTypos:
    """Built once per knowledge from its compounds' counts and the surfaces it writes (about a tenth of a second
    at 10,000 entries); ``fixed`` costs one tokenization of the question (~0.15 ms)."""

    def __init__(self, counts, known: set[str]):
        """``counts``: {(reading, spelling): count} of the knowledge's compounds (indexing/respelling_vocabulary.py)."""
        self._known = known
        self._by_pattern: dict[str, list[str]] = {}
        written: Counter = Counter()
        # Readings of a kanji the dictionary has not for it alone (滞), read from the knowledge's compounds
        # of two (延滞: えんたい less 延's えん).
        self._readings: dict[str, set[str]] = {}
        for (reading, spelling), count in counts.items():
            if not KANJI_WORD.fullmatch(spelling):
                continue
            if _SHORTEST <= len(spelling) <= _LONGEST:
                written[spelling] += count
            if len(spelling) == 2:
                first, last = spelling
                for known_reading in dictionary_readings(first):
                    if reading.startswith(known_reading) and len(reading) > len(known_reading):
                        self._readings.setdefault(last, set()).add(reading[len(known_reading):])
                for known_reading in dictionary_readings(last):
                    if reading.endswith(known_reading) and len(reading) > len(known_reading):
                        self._readings.setdefault(first, set()).add(reading[:-len(known_reading)])
        # Whole compounds only: the vocabulary also counts runs cut from longer ones (課証明 of 公課証明書).
        for spelling in whole_compounds(written):
            if written[spelling] < _MIN_WRITTEN:
                continue
            for at in range(len(spelling)):
                self._by_pattern.setdefault(spelling[:at] + _WILDCARD + spelling[at + 1:], []).append(spelling)

    def fixed(self, text: str) -> str:
        """``text`` with each run of kanji that is one compound of the knowledge mistyped written as the
        knowledge writes it (the same length: offsets in ``text`` stay)."""
        runs = [run for run in KANJI_WORD.finditer(text) if len(run.group()) >= _SHORTEST] if self._by_pattern else []
        if not runs:
            return text
        words = [(m.begin(), m.end(), m.part_of_speech()[1], m.is_oov()) for m in tokenizer().tokenize(text)]
        edges = ({begin for begin, *_ in words}, {end for _, end, *_ in words})
        out = list(text)
        for run in runs:
            fix = self._fix_in(run.group(), run.start(), text, words, edges)
            if fix is not None:
                begin, spelling = fix
                out[begin:begin + len(spelling)] = spelling
        return "".join(out)

    def _fix_in(self, run: str, offset: int, text: str, words, edges) -> tuple[int, str] | None:
        """(where, the compound) of the longest window of ``run`` that is one compound mistyped, or None. A
        window starts and ends where the question's words do (``edges``: their starts and ends; 評価証明書 holds
        no 価証明)."""
        starts, ends = edges
        if len(run) == 2 and (offset + 1 not in starts or any(
                kind in _NAME_OR_SUFFIX for begin, _, kind, _ in words if offset <= begin < offset + 2)):
            return None  # two kanji read as one word, a name or with a suffix (北|区 is no typo of 北口)
        # Two kanji are looked at only as a run of their own read as two words (更|親): inside a longer run
        # such a window is most often two words' edges (放課|後|等 is no 高等).
        for length in range(min(len(run), _LONGEST), max(_SHORTEST, 3 if len(run) > 2 else 2) - 1, -1):
            found = set()
            for start in range(len(run) - length + 1):
                window = run[start:start + length]
                if window in self._known or not (offset + start in starts and offset + start + length in ends):
                    continue
                for at in range(length):
                    if window[at] in _NUMERALS or _after_number(text, offset + start + at):
                        continue
                    for spelling in self._by_pattern.get(window[:at] + _WILDCARD + window[at + 1:], ()):
                        if self._share_reading(window[at], spelling[at]) and \
                                self._may_be_mistyped(offset + start + at, spelling[at], text, words):
                            found.add((offset + start, spelling))
            if found:
                if len(found) == 1:
                    begin, spelling = found.pop()
                    if not is_common_word(text[begin:begin + len(spelling)]):
                        return begin, spelling
                return None  # two compounds fit, or the run is a word: left as typed
        return None

    def _share_reading(self, typed: str, written: str) -> bool:
        def readings(char: str) -> set[str]:
            return set(dictionary_readings(char)) | self._readings.get(char, set())
        return bool(readings(typed) & readings(written))

    def _may_be_mistyped(self, position: int, written: str, text: str, words) -> bool:
        """Whether the character at ``position`` stands in a word that may be mistyped (see the module
        docstring), were it ``written``."""
        for begin, end, kind, unknown in words:
            if begin <= position < end:
                word = text[begin:end]
                if end - begin == 1 or kind == "固有名詞" or unknown:
                    return True
                changed = word[:position - begin] + written + word[position - begin + 1:]
                return word not in self._known and not is_common_word(changed)
        return False
