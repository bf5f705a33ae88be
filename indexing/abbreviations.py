"""Kanji compounds clipped as people say them, written whole as the knowledge writes them.

Residents shorten long compounds by keeping the first character or two of some of their words:
身障手帳 for 身体障害者手帳 (身|障 of 身体|障害, then 手帳), 国保 for 国民健康保険, 育休 for 育児休業. A
knowledge that writes only the long form misses such a question twice: BM25 finds no term and the
dense model reads another word. ``Abbreviations`` rewrites a compound of the question that the
knowledge never writes with the knowledge's compound it abbreviates, found by its structure, not
from a list:

* its characters are, in order, the first character of each of the long form's words (SudachiPy mode
  A words) but the last, and then the last word whole or its first character, so the kind of thing
  is kept; at most one word between is left out (健康 in 国民健康保険), and only before a last word of two
  characters: a last word of one (料, 税) is read apart (国保料 is 国保 + 料, never 国民年金保険料);
* at least two words are clipped. A compound of whole words with one left out (児童手当 against
  児童扶養手当) is as often another thing as a short name, and is left as typed;
* it is read as the starts of its words' readings (国保: こく|ほ of こくみん, ほけん; 出費 is no 出産費用:
  ぴ is not how ひよう starts);
* of the long forms that fit, the one the knowledge writes most often (twice at least), and only if no
  other is written as often. A long form is a compound as the knowledge writes it, not a part cut from a
  longer one (the vocabulary also counts 国民年金保険 inside 国民年金保険料: no long form of 国保);
* the embedder reads the two as near in meaning (a cosine of 0.9 or more): a common word of the same
  shape is no abbreviation (特徴 is no 特別徴収, 司書 no 司法書士).
"""
from __future__ import annotations

import bisect
import functools
from collections import Counter

from indexing.respelling_vocabulary import KANJI_WORD, tokenizer

# The parts of speech of the words a question's abbreviation is read from.
_NOUN_POS = {"名詞", "接尾辞", "接頭辞"}
# Abbreviations this short or long (characters); long forms longer than the shortest abbreviation and at
# most _LONGEST_LONG_FORM.
_SHORTEST, _LONGEST, _LONGEST_LONG_FORM = 2, 6, 14
# A question is searched for abbreviations in its first this many characters (respelling passes at most ~700).
_MAX_CHARS = 4000
# The embedder's cosine of an abbreviation and its long form at least (e5-small: 国保/国民健康保険 0.93,
# 育休/育児休業 0.96, 身障手帳/身体障害者手帳 0.95, 社保/社会保険 0.96; common words of the same shape read
# apart: 特徴/特別徴収 0.86, 司書/司法書士 0.88, 開通/開催通知 0.83), and how many answers are kept.
_AGREEMENT = 0.9
_AGREEMENTS_KEPT = 4096
# Word pairs not asked before that one question may have the embedder read (each costs ~20 ms).
_NEW_AGREEMENTS = 3
# A long form the knowledge writes this often at least.
_MIN_WRITTEN = 2


@functools.lru_cache(maxsize=65536)
def words_of(compound: str) -> tuple[str, ...]:
    """The SudachiPy mode A words of ``compound`` (身体|障害|者|手帳)."""
    return tuple(m.surface() for m in tokenizer().tokenize(compound))


def abbreviates(short: str, words: tuple[str, ...]) -> bool:
    """Whether ``short`` abbreviates the compound of ``words`` (see the module docstring): its
    characters are the first characters of the compound's words but the last (one between may be
    left out), then the last word whole or its first character; two words or more clipped; read as
    the starts of the words' readings."""
    if len(words) < 2 or not all(KANJI_WORD.fullmatch(word) for word in words):
        return False
    last = words[-1]
    for head in ((last,) if len(last) < 2 else (last, last[0])):
        if not short.endswith(head):
            continue
        initials = short[:len(short) - len(head)]
        clipped = len(initials) + (head != last)
        if not initials or clipped < 2:
            continue
        # The words before the head that the initials take, in order, at most one left out, and only
        # before a head of two characters (国保: 国民|(健康)|保険): a one-character head is a suffix of
        # the whole, read apart (国保料 is 国保 + 料, never 国民(年金)保険料; see _abbreviation_spans).
        for left_out in [None, *(range(1, len(words) - 1) if len(last) >= 2 else ())]:
            kept = [word for i, word in enumerate(words[:-1]) if i != left_out]
            if (len(kept) == len(initials) and all(len(word) >= 2 and word[0] == char
                                                   for word, char in zip(kept, initials))
                    and _read_as_in(short, [*kept, last], head != last)):
                return True
    return False


def _read_as_in(short: str, words: list[str], head_clipped: bool) -> bool:
    """Whether the reading of ``short`` splits into a start of each word's reading, in order (the
    last word's whole reading unless ``head_clipped``)."""
    readings = [_reading(word) for word in words]

    def fits(at: int, word: int, reading: str) -> bool:
        if word == len(readings):
            return at == len(reading)
        if word == len(readings) - 1 and not head_clipped:
            return reading[at:] == readings[word]
        return any(readings[word].startswith(reading[at:end]) and fits(end, word + 1, reading)
                   for end in range(at + 1, len(reading) + 1))

    return fits(0, 0, _reading(short))


@functools.lru_cache(maxsize=65536)
def _reading(text: str) -> str:
    return "".join(m.reading_form() for m in tokenizer().tokenize(text))


def _in_order(short: str, spelling: str) -> bool:
    """Whether the characters of ``short`` occur in ``spelling`` in order (a cheap test first)."""
    rest = iter(spelling)
    return all(char in rest for char in short)


def _may_start(run: list, at: int) -> bool:
    """Whether a span of a run of the question's nouns may start at ``at``: at the run's start, or
    between two words of two characters or more (事業|所|税 holds no 所税, 水|道管 no 道管)."""
    return at == 0 or len(run[at - 1].surface()) >= 2 and len(run[at].surface()) >= 2


def _may_end(run: list, at: int) -> bool:
    """Whether such a span may end at ``at``: where it may start, at the run's end, or before a
    suffix, which belongs to the whole compound (育休|中)."""
    return at == len(run) or run[at].part_of_speech()[0] == "接尾辞" or _may_start(run, at)


class Abbreviations:
    """The knowledge's long kanji compounds (each with how often it is written), by first character."""

    def __init__(self, counts, known: set[str], similar=None):
        """``counts``: (spelling, how often the knowledge writes it) pairs, a spelling possibly more than
        once (one pair per reading); ``known``: every word and compound the knowledge writes (an
        abbreviation it writes itself is left alone); ``similar(short, long)``: the embedder's cosine of the
        two words, which must reach _AGREEMENT (None: the structure alone decides)."""
        self._known = known
        self._similar = similar
        self._agreements: dict[tuple[str, str], float] = {}
        written = Counter()
        for spelling, count in counts:
            # Long forms only (kanji, not too long): a small share of the vocabulary.
            if _SHORTEST < len(spelling) <= _LONGEST_LONG_FORM and KANJI_WORD.fullmatch(spelling):
                written[spelling] += count
        self._by_start: dict[str, list[tuple[str, int]]] = {}
        for spelling in whole_compounds(written):
            if written[spelling] >= _MIN_WRITTEN:
                self._by_start.setdefault(spelling[0], []).append((spelling, written[spelling]))

    def expanded(self, text: str) -> str:
        """``text`` with each compound the knowledge does not write but abbreviates written whole."""
        if not self._by_start:
            return text
        out, at = [], 0
        budget = [_NEW_AGREEMENTS]
        for start, end, whole in self._abbreviation_spans(text, budget):
            out.append(text[at:start])
            out.append(whole)
            at = end
        out.append(text[at:])
        return "".join(out)

    def _abbreviation_spans(self, text: str, budget: list[int] | None = None):
        """(start, end, long form) of each abbreviation in ``text`` (its first _MAX_CHARS characters):
        within each run of kanji nouns, the longest spans first (国保税 before 国保), split only where
        _may_start and _may_end allow, none longer than _LONGEST characters. A span that ends in a word
        of one character (税, 料, 証) is first read as the abbreviation before it and that word
        (国保料: 国民健康保険 + 料). ``budget``: how many more word pairs the embedder may be asked about."""
        found: dict[str, str | None] = {}

        def long_form(short: str) -> str | None:
            # A span without its last word is looked up again as the next span: once per question.
            if short not in found:
                found[short] = self.long_form(short, budget)
            return found[short]

        run: list = []
        for m in [*tokenizer().tokenize(text[:_MAX_CHARS]), None]:
            if m is not None and m.part_of_speech()[0] in _NOUN_POS and KANJI_WORD.fullmatch(m.surface()):
                run.append(m)
                continue
            i = 0
            while i < len(run):
                # The farthest end whose span is still short enough to be an abbreviation.
                end = i
                while end < len(run) and run[end].end() - run[i].begin() <= _LONGEST:
                    end += 1
                for j in range(end, i, -1):
                    if not (_may_start(run, i) and _may_end(run, j)):
                        continue
                    whole = None
                    if j - i >= 2 and len(run[j - 1].surface()) == 1:
                        before = long_form("".join(x.surface() for x in run[i:j - 1]))
                        whole = before + run[j - 1].surface() if before else None
                    whole = whole or long_form("".join(x.surface() for x in run[i:j]))
                    if whole:
                        yield run[i].begin(), run[j - 1].end(), whole
                        i = j
                        break
                else:
                    i += 1
            run = []

    def long_form(self, short: str, budget: list[int] | None = None) -> str | None:
        """The compound of the knowledge ``short`` abbreviates, or None. ``budget`` (a one-item list,
        spent here): how many more word pairs not asked before the embedder may be asked about."""
        if not _SHORTEST <= len(short) <= _LONGEST or short in self._known:
            return None
        fitting = Counter()
        for spelling, count in self._by_start.get(short[0], ()):
            if len(spelling) > len(short) and _in_order(short, spelling) and abbreviates(short, words_of(spelling)):
                fitting[spelling] = count
        ranked = fitting.most_common(2)
        if not ranked or len(ranked) == 2 and ranked[1][1] == ranked[0][1]:
            return None
        whole = ranked[0][0]
        if self._similar is not None and not self._agreement(short, whole, budget) >= _AGREEMENT:
            return None  # (a cosine that is not a number agrees with nothing)
        return whole

    def _agreement(self, short: str, whole: str, budget: list[int] | None) -> float:
        """The embedder's cosine of the pair, asked once (cached) and only while ``budget`` lasts."""
        key = (short, whole)
        found = self._agreements.get(key)
        if found is None:
            if budget is not None:
                if budget[0] <= 0:
                    return 0.0
                budget[0] -= 1
            found = float(self._similar(short, whole))
            if len(self._agreements) >= _AGREEMENTS_KEPT:
                self._agreements.pop(next(iter(self._agreements)))
            self._agreements[key] = found
        return found


def whole_compounds(written: Counter) -> list[str]:
    """The spellings of ``written`` that are not only ever a part of a longer one: the vocabulary counts
    every run of a compound's words (国民年金保険 inside 国民年金保険料), and a cut-off run written no more
    often than the whole it was cut from is no word of the knowledge (国保 must not become 国民年金保険)."""
    spellings = sorted(written)
    cut = set()
    for ordered, key in ((spellings, lambda s: s), (sorted(written, key=lambda s: s[::-1]), lambda s: s[::-1])):
        keys = [key(s) for s in ordered]
        for k, spelling in enumerate(ordered):
            # The longer spellings that start (or, reversed, end) with this one follow it in this order.
            after = bisect.bisect_right(keys, keys[k])
            while after < len(ordered) and keys[after].startswith(keys[k]):
                if written[ordered[after]] >= written[spelling]:
                    cut.add(spelling)
                    break
                after += 1
    return [spelling for spelling in spellings if spelling not in cut]
