"""Questions respelled in the knowledge's own words, by reading.

Residents type words in kana (じゅうみんひょう, ジュウミンヒョウ, ほけんじょ) or with a wrong kanji of
the same sound (住民表, 申精, 処理権, 有効機嫌). Both search paths are weak on such text: the dense model
reads kana as another word and BM25 finds no term. ``Respelling`` rewrites those words with the
spelling the knowledge itself uses for that reading (住民票, 保健所, 申請, 処理券, 有効期限), so the
dense query and BM25 see the words the entries were indexed with.

The vocabulary is the knowledge's own: its compounds by reading (indexing/respelling_vocabulary.py).
A question is split into units (a kana character, a word with kanji, a number) and covered at the
lowest cost by (a) units kept as typed, (b) runs of units the knowledge writes as typed (kept), and
(c) runs whose reading is a compound of the knowledge written otherwise (respelled). Kana left
uncovered costs most; a word with kanji unknown to the knowledge costs a little; longer runs are
cheaper, so a whole compound wins over its parts. A single dictionary word written in kanji (講座) is
never respelled into a homophone (口座): only runs that are not one word (申+精, 住民+表) or kana are. What
a resident writes in kana on purpose stays so: a number and its counter (ふたり, いっかいめ), a verb's
ending (もうしこみたい), a suffix alone (きょうじゅう), the particle after a kana noun (おやはけん).

A question typed all in katakana (a phone left in katakana mode: ソダイゴミ イクラ) reads its Japanese words
as hiragana first (いくら); a katakana run the knowledge writes, one respelled as typed (ジュウミンヒョウ), a
loanword by its marks (ー, small ァィゥェォ: ファミサポ) and a word the dictionary writes in katakana
(ランドセル) stay as typed.

A loanword the knowledge writes, typed clipped as people say it (マイナカード, まいなかーど for
マイナンバーカード), is written whole (clipped_whole: its start and end kept, a few kana cut between); so is a
kanji compound abbreviated as people say it (身障手帳, 国保: indexing/abbreviations.py); so is a compound typed with one
kanji of the same sound wrong that the tokenizer reads as other words (延|帯金: indexing/kanji_typos.py). An everyday word the
knowledge never writes is written with the word of its kind the knowledge uses (結婚 → 婚姻, 燃えないゴミ →
不燃ごみ, 住民税 → 市県民税: indexing/everyday_words.py).
"""
from __future__ import annotations

import functools
import re

from indexing.abbreviations import Abbreviations
from indexing.everyday_words import EverydayWords
from indexing.japanese import katakana_to_hiragana, sudachi_dictionary, typed_in_katakana
from indexing.kanji_typos import KanjiTypos
from indexing.respelling_vocabulary import (KATAKANA_WORD, MAX_READINGS, MAX_UNITS, READING, dictionary_readings, fold,
                                            has_kanji, is_common_word, tokenizer, vocabulary_of)

# The most characters of a question respelled (its end): the cost grows with the length.
_MAX_CHARS = 600
# A long message is cut at the last sentence end at most this many characters before _MAX_CHARS
# from its end, else at the start of the word there (never inside a word: じゅうみ|んひょう).
_CUT_MARGIN = 100
_SENTENCE_END = re.compile(r"[。！!？?\n]")  # not "." (1.5, URLs)
_KANA = re.compile(r"[ぁ-ゖァ-ヺー]+")
_KATAKANA_RUN = re.compile(r"[ァ-ヺー]+")
_LOANWORD_MARK = re.compile(r"[ーァィゥェォヴ]")
# Question words the dictionary also knows as katakana nouns (イクラ: salmon roe).
_KATAKANA_QUESTION_WORDS = frozenset({"イクラ", "イツ", "ドコ", "ナニ", "ナン", "ダレ", "ドウ", "ドレ", "ドノ"})
_LEADING_NUMBER = re.compile(r"[0-9]+")
# Costs of a cover (lower wins): a kana character left as typed; a word with kanji the knowledge
# never writes; a respelled run; the saving per unit a run (kept or respelled) joins.
_KANA_KEPT = 1.0
_UNKNOWN_KEPT = 0.5
_RESPELLED = 0.1
_JOINED = 0.3
# A run of kana respelled though its edge falls inside a word as Sudachi split it (per edge).
_RAGGED = 0.4
# Kana at the head of a run needs no noun in Sudachi's split when at least this long.
_LONG_KANA = 5
# A kana word standing alone (between spaces, marks or the ends of the text) this long is respelled
# whatever Sudachi made of it.
_STANDALONE_KANA = 3
# Alternative readings are looked up for words this short (single kanji typed wrongly: 申精 → セイ).
_LOOKUP_CHARS = 2
# Particles and endings: kana a resident writes so, kept at no cost and never respelled.
_FUNCTION_POS = {"助詞", "助動詞"}
_FOLLOWING_PARTICLES = {"格助詞", "係助詞", "副助詞", "接続助詞"}
# Kana a resident writes after a noun as its particle, though Sudachi may read it into the next
# word (おや|はけん: 派遣, こども|がい|りょう: がい); and what such a noun may be tagged as.
_PARTICLE_HEADS = {"は", "が", "を"}
_NOUN_LIKE_POS = {"名詞", "代名詞", "接尾辞", "感動詞"}
# The kana that start a conjugated する (した, して, する, させ, せず) after a noun typed in kana.
_SURU_STEMS = {"し", "す", "さ", "せ"}



class Respelling:
    """Respells a question's kana words and same-sound wrong kanji with the knowledge's spelling.

    Built once per loaded knowledge (``texts``: the entries' titles, questions, headings and
    bodies); ``respell`` costs two tokenizations (one for the abbreviations: indexing/abbreviations.py)
    and a small dynamic programme per question. ``similar(short, long)``, the embedder's cosine of two
    words, confirms an abbreviation (see Abbreviations); without it the structure alone decides.
    """

    def __init__(self, texts, similar=None):
        texts = list(texts)
        vocabulary = vocabulary_of(texts)
        self._everyday = EverydayWords(texts)
        self._known = vocabulary.known
        self._abbreviations = Abbreviations(((spelling, count) for (_, spelling), count in vocabulary.counts.items()),
                                            vocabulary.known, similar)
        self._spelling = vocabulary.spellings()
        # Compounds typed with one kanji of the same sound wrong (indexing/kanji_typos.py).
        self.typos = KanjiTypos(vocabulary.counts, vocabulary.known)
        self._prefixes = {reading[:i] for reading in self._spelling for i in range(1, len(reading) + 1)}
        # The knowledge's loanwords long enough to be clipped, by their first three kana (see clipped_whole).
        self._loanwords: dict[str, list[str]] = {}
        for reading, (spelling, _) in self._spelling.items():
            if len(reading) >= _CLIPPED_MIN and KATAKANA_WORD.fullmatch(spelling):
                self._loanwords.setdefault(reading[:3], []).append(reading)

    @classmethod
    def from_entries(cls, entries, similar=None) -> "Respelling":
        """From the entries' texts, each entry once (a plan passage and a guide section may be
        listed under several audiences)."""
        seen: set[str] = set()
        texts = []
        for entry in entries:
            if entry.id not in seen:
                seen.add(entry.id)
                texts.append(" ".join([entry.title, *entry.alternates, entry.section, entry.category, entry.body]))
        return cls(texts, similar)

    def __len__(self) -> int:
        return len(self._spelling)

    def respell(self, text: str) -> str:
        return self.respelled(text)[0]

    def respelled(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        """``text`` respelled, and (begin, end) in ``text`` of each word written otherwise (a loanword
        written whole aside). A very long message is respelled at its end, where the question is
        asked, within a bounded cost."""
        if typed_in_katakana(text) and len(_KATAKANA_RUN.findall(text)) > 1:  # one word alone: a loanword, a name
            text = self._katakana_words_as_hiragana(text)
        cut = _cut_before(text, len(text) - _MAX_CHARS) if len(text) > _MAX_CHARS else 0
        tail = text[cut:]
        pieces = self._pieces(tail)
        out, at = [], 0
        for begin, end, spelling in pieces:
            out.append(tail[at:begin])
            out.append(spelling)
            at = end
        out.append(tail[at:])
        written = self._unclipped(self.typos.fixed("".join(out)))
        return (text[:cut] + self._everyday.expanded(self._abbreviations.expanded(written)),
                [(cut + begin, cut + end) for begin, end, _ in pieces])

    def _katakana_words_as_hiragana(self, text: str) -> str:
        """A question typed in katakana with its Japanese words read as hiragana (the same length):
        ダシカタ ナンヨウビ as だしかた なんようび, イクラ as いくら. A run the knowledge writes, one respelled
        as typed (ジュウミンヒョウ: 住民票, マイナホケンショウ: マイナ保険証), a loanword by its marks (ー, small
        ァィゥェォ, ヴ: ファミサポ, テレワーク) and a word the dictionary writes in katakana (ランドセル, ガス,
        ワクチン) stay in katakana."""
        def read(match):
            run = match.group(0)
            if run not in _KATAKANA_QUESTION_WORDS and (
                    run in self._known or _LOANWORD_MARK.search(run) or _katakana_word(run) or self._pieces(run)):
                return run
            return katakana_to_hiragana(run)
        return _KATAKANA_RUN.sub(read, text)

    def _unclipped(self, text: str) -> str:
        """``text`` with loanwords clipped as people say them (マイナカード, まいなかーど) written whole as the
        knowledge writes them (マイナンバーカード). Within a run of katakana or of hiragana, a clipping may start
        wherever three kana begin one of the knowledge's loanwords (この|まいなかーど|の), and is the longest
        that fits (a particle after it stays)."""
        if not self._loanwords:
            return text
        out, at = [], 0
        for run in _CLIPPABLE.finditer(text):
            folded = katakana_to_hiragana(run.group())
            if folded in self._spelling:
                continue  # a word of the knowledge as typed
            start = 0
            while start + _CLIPPED_MIN <= len(folded):
                found = self._clipping_at(folded, start)
                if found is None:
                    start += 1
                    continue
                end, whole = found
                out.append(text[at:run.start() + start])
                out.append(self._spelling[whole][0])
                at = run.start() + end
                start = end
        out.append(text[at:])
        return "".join(out)

    def _clipping_at(self, folded: str, start: int):
        """(end, the loanword) of the longest clipping of a knowledge loanword at ``start``, or None."""
        wholes = self._loanwords.get(folded[start:start + 3], ())
        for end in range(min(len(folded), start + max((len(w) for w in wholes), default=0) - 1),
                         start + _CLIPPED_MIN - 1, -1):
            whole = clipped_whole(folded[start:end], wholes)
            if whole:
                return end, whole
        return None

    def _pieces(self, text: str) -> list[tuple[int, int, str]]:
        """(begin, end, spelling) of each run of ``text`` respelled, in order."""
        units = _units(text, self._known)
        if not units:
            return []
        n = len(units)
        # best[i] = (cost, pieces) covering units[:i]; a piece is (start, end, spelling or None).
        best: list = [(0.0, ())] + [(float("inf"), ())] * n
        # (start, end) of runs read as a number the resident wrote in kana (ふたり, にしゅうかん).
        kana_numbers: list[tuple[int, int]] = []
        for i in range(n):
            cost, pieces = best[i]
            if cost == float("inf"):
                continue
            unit = units[i]
            if unit.kana:
                keep = 0.0 if unit.function else _KANA_KEPT
            else:
                keep = 0.0 if unit.barrier or unit.surface in self._known else _UNKNOWN_KEPT
            self._relax(best, i + 1, cost + keep, pieces)
            if unit.barrier:
                continue
            # Runs starting here: kept as the knowledge writes them, or respelled by reading.
            # reading so far → whether it took a unit's other reading (not the one in context)
            readings = {"": False}
            surface = ""
            for j in range(i, min(n, i + 4 * MAX_UNITS)):
                if units[j].barrier:
                    break
                surface += units[j].surface
                extended: dict[str, bool] = {}
                for reading, other in readings.items():
                    for k, piece in enumerate(units[j].readings):
                        key = reading + piece
                        if key in self._prefixes:
                            extended[key] = extended.get(key, True) and (other or k > 0)
                readings = extended
                if not readings:
                    break
                if j == i and not unit.kana:
                    continue  # one word with kanji is never respelled as a whole (講座 ≠ 口座)
                joined = _JOINED * (j - i)
                if surface in self._known:
                    self._relax(best, j + 1, cost - joined, pieces)
                    continue
                spelling, count = self._choose(readings)
                if spelling is None or spelling == surface:
                    continue
                if units[j].particle and not count:
                    continue  # ぎょうせい|で is no 行政手 (手 read で only in another compound)
                if _normalized(spelling) == "".join(u.normalized for u in units[i:j + 1]):
                    # Another spelling of the same words (申し込み, 申込): the analyzer folds it already.
                    self._relax(best, j + 1, cost - joined, pieces)
                    continue
                if _number_not_typed(spelling, surface):
                    # A number written in kana stays so, its counter too (ふたり is no 2人, に|かいめ
                    # no に回目): the knowledge's digits would be a resident's words rewritten.
                    if units[j].morpheme_end:
                        kana_numbers.append((i, j))
                    continue
                if any(start < i <= end for start, end in kana_numbers):
                    continue
                penalty = self._penalty(units, i, j, bool(pieces) and pieces[-1][1] == i, spelling)
                if penalty is None:
                    continue
                self._relax(best, j + 1, cost + _RESPELLED + penalty - joined, pieces + ((i, j + 1, spelling),))
        return [(units[start].begin, units[end - 1].end, spelling) for start, end, spelling in best[n][1]]

    def _choose(self, readings: dict[str, bool]) -> tuple[str | None, int]:
        """The most written spelling of the readings; a reading the question took only with a
        word's other reading must be a compound's own reading (文: ふみ never meets 書: ふみ)."""
        found = [self._spelling[r] for r, other in readings.items()
                 if r in self._spelling and not (other and self._spelling[r][1] == 0)]
        return max(found, key=lambda f: f[1]) if found else (None, 0)

    @staticmethod
    def _penalty(units, i: int, j: int, after_piece: bool = False, spelling: str = "") -> float | None:
        """What respelling units[i:j+1] as one word costs beyond a sure one, or None when it may
        not be (``after_piece``: the cover so far ends with a respelled word right before it).

        Mixed with kanji: kana at its edges must be a word's edges (何ゴ|ミ is not), nouns or
        particles between other parts (コンビ|に|交付), never an ending (整理|し) nor a particle
        at an edge (何|か書い, た|方); a word of the dictionary as written (何度), or a run of
        whole words of two kanji or more (歯科|検診: 検診 is a word, not only a typo of 健診),
        stays. Kana alone: Sudachi splits kana runs poorly, so an edge inside one of its words
        only costs; after kanji it needs a noun (相談|したい stays); the tail of a kana run only
        after a respelled head (しつ|ぎょうてあて stays); two kana must be a noun standing on its
        own (いま仕事, not の|いま).
        """
        first, last = units[i], units[j]
        before = units[i - 1] if i else None
        after = units[j + 1] if j + 1 < len(units) else None
        span = units[i:j + 1]
        if before is not None and before.kana and before.numeral:
            return None  # a kana numeral's counter stays with it (いっ|かいめ is no いっ回目)
        if last.conjugates and after is not None and after.ending and spelling[-1:] != last.surface:
            return None  # a verb keeps its ending (もうしこみ|たい is no 申込たい; ごみだし|たい: ごみ出したい)
        if not all(u.kana for u in span):
            if first.kana and (not first.morpheme_start or first.function):
                return None
            if last.kana and not last.morpheme_end:
                return None
            if any(u.kana and not u.noun and not (u.function and 0 < k < len(span) - 1)
                   for k, u in enumerate(span)):
                return None
            if all(u.word for u in span) or is_common_word("".join(u.surface for u in span)):
                return None
            return 0.0
        if first.particle_head and not after_piece:
            return None  # the particle of a noun kept as typed (おや|は|けん is no おや派遣)
        if all(u.suffix for u in span) and not _is_suffix(spelling, "".join(u.readings[0] for u in span)):
            # A suffix alone is only ever another suffix of its reading (出し|かた: 方), never a
            # word of that sound (きょう|じゅう is not 重, なんもじい|じょう not 条).
            return None
        nouns = any(u.noun for u in span)
        functions = any(u.function for u in span)
        if before is None or before.barrier:
            # A run's head: Sudachi's split of a long kana run is poor, but a short one must hold
            # a noun (いいんですか stays), unless it is a whole word of its own between spaces or
            # marks (ほじょ read ほ|じょ, an adverb and a particle; しぜい, てっきょ) and no verb with
            # its ending (したい is no 肢体).
            standalone = ((after is None or after.barrier) and j - i + 1 >= _STANDALONE_KANA
                          and not (last.ending and any(u.verb for u in span)))
            if not nouns and j - i + 1 < _LONG_KANA and not standalone:
                return None
        elif not before.kana:
            if not nouns or functions:
                return None  # after kanji: 相談|したい, 入園|あんない
        elif before.function:
            # After a particle: a word of its own, with no ending in it (の|うつし, not で|しょうか).
            if functions or not (nouns or any(u.verb for u in span)):
                return None
        elif functions or not nouns:
            return None  # in a kana run: そうだん|したい stays
        elif not after_piece and not (first.morpheme_start and last.morpheme_end and j - i + 1 > 2):
            # The tail of a kana run whose head is no known word: only a whole word of Sudachi's
            # split (しつぎょう|てあて → 手当, not しつ|ぎょうてあて → 行手当).
            return None
        if j - i + 1 <= 2:
            if first.morpheme != last.morpheme or not first.noun:
                return None
            if not all(u is None or u.barrier or not u.kana for u in (before, after)):
                return None
            return 0.0
        if not last.morpheme_end and not (_suru_follows(units, j) and _takes_suru(spelling)):
            return None  # ほけんしょ|う: a word is not cut
        if not first.morpheme_start and not after_piece:
            return None  # a word's tail only continues a respelled word
        return _RAGGED * (not first.morpheme_start)

    @staticmethod
    def _relax(best, at: int, cost: float, pieces):
        if (cost, len(pieces)) < (best[at][0], len(best[at][1])):
            best[at] = (cost, pieces)


def _katakana_word(run: str) -> bool:
    """Whether the dictionary knows ``run`` as one word it writes in katakana (a loanword: ランドセル, バス),
    not a Japanese word typed so (ホウホウ is ほうほう, ハライ 祓い) nor unknown (ダシカタ)."""
    if len(run) < 2:
        return False  # ノ, デ: particles
    words = list(tokenizer().tokenize(run))
    return len(words) == 1 and not words[0].is_oov() and bool(_KATAKANA_RUN.fullmatch(words[0].normalized_form()))


def _suru_follows(units, j: int) -> bool:
    """Whether the kana after units[j], in the same verb as Sudachi split the text, are the
    conjugated する of a noun (しゅう|しょくし|た: 就職 + した, misread as one verb しょくし)."""
    after = units[j + 1] if j + 1 < len(units) else None
    return (after is not None and after.kana and units[j].verb and after.morpheme == units[j].morpheme
            and after.surface in _SURU_STEMS and after.morpheme_end)


@functools.lru_cache(maxsize=4096)
def _takes_suru(spelling: str) -> bool:
    """Whether the dictionary knows ``spelling`` as a noun that takes する (就職, 抽選; not 歯医者, 中):
    only such a noun is read out of a verb Sudachi made of it and its する (ちゅう|せん is no 中+せん)."""
    return any(m.part_of_speech()[2] == "サ変可能" for m in sudachi_dictionary().lookup(spelling))


# A loanword compound clipped as people say it (マイナカード for マイナンバーカード): the loanword's start and
# end, with one to this many kana cut from its middle. Loanwords only (written in katakana in the
# knowledge): a clipped kanji compound is as often another thing (児童手当 is not 児童扶養手当).
_CLIPPED_MIDDLE = 6
_CLIPPED_MIN = 5
_CLIPPABLE = re.compile(r"[ァ-ヺー]{5,}|[ぁ-ゖー]{5,}")


def clipped_whole(word: str, words) -> str | None:
    """The one of ``words`` (folded loanwords) that is clipped to ``word``, or None: its first three or
    more and its last two or more kana, with one to _CLIPPED_MIDDLE kana between them cut (マイナ|カード;
    two kana are too short a start: マイカード is no マイナンバーカード)."""
    if len(word) < _CLIPPED_MIN or not READING.fullmatch(word):
        return None
    return next((whole for whole in words for cut in range(3, len(word) - 1)
                 if 1 <= len(whole) - len(word) <= _CLIPPED_MIDDLE
                 and whole.startswith(word[:cut]) and whole.endswith(word[cut:])), None)


def _cut_before(text: str, cut: int) -> int:
    """Where to cut ``text`` at or before ``cut``: after the last sentence end within _CUT_MARGIN
    characters, else at the start of the word ``cut`` falls in (of its kana run, for kana)."""
    window_start = max(0, cut - _CUT_MARGIN)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, window_start, cut)]
    if ends:
        return ends[-1]
    for m in tokenizer().tokenize(text[window_start:cut + _CUT_MARGIN]):
        if window_start + m.end() > cut:
            cut = window_start + m.begin()
            break
    # Sudachi splits a kana run poorly (じゅう|みんひょう): the run's start is the sure edge.
    start = cut
    while start > window_start and _KANA.match(text, start - 1) and _KANA.match(text, start):
        start -= 1
    return start if start > window_start or not _KANA.match(text, start - 1) else cut


def _number_not_typed(spelling: str, typed: str) -> bool:
    """Whether ``spelling`` starts with a number ``typed`` does not start with (2人 for ふたり;
    not 3歳 for 3さい, nor 家電4品目, a name with a number inside)."""
    number = _LEADING_NUMBER.match(spelling)
    return number is not None and not typed.startswith(number.group())


@functools.lru_cache(maxsize=65536)
def _is_suffix(spelling: str, reading: str) -> bool:
    """Whether the dictionary has ``spelling`` as a suffix read ``reading`` (方: かた, 所: じょ)."""
    return any(m.part_of_speech()[0] == "接尾辞" and katakana_to_hiragana(m.reading_form()) == reading
               for m in sudachi_dictionary().lookup(spelling))


@functools.lru_cache(maxsize=65536)
def _normalized(text: str) -> str:
    """The dictionary's normalized form of ``text`` (申し込み, 申込み → 申込)."""
    return "".join(fold(m.normalized_form()) for m in tokenizer().tokenize(text))


class _Unit:
    __slots__ = ("surface", "readings", "begin", "end", "kana", "barrier", "morpheme", "morpheme_start",
                 "morpheme_end", "noun", "normalized", "function", "word", "verb", "particle", "suffix",
                 "numeral", "conjugates", "ending", "particle_head")

    def __init__(self, surface, readings, begin, end, kana=False, barrier=False, morpheme=0,
                 morpheme_start=True, morpheme_end=True, noun=False, normalized=None, function=False):
        self.function = function
        self.verb = False
        self.suffix = False  # part of a suffix (接尾辞: じゅう, じょう), a word only with its head
        self.numeral = False  # part of a numeral (数詞: いっ, みっ)
        self.conjugates = False  # part of a verb or adjective (しこみ, ほし)
        self.ending = False  # part of an ending a verb takes (たい, ます, て), not a case particle
        self.particle_head = False  # likely the particle of a kana noun before it (see _mark_particle_head)
        # A particle that follows a word (で, を, は), not one Sudachi makes of a word's end (じょ).
        self.particle = False
        # A word of two characters or more the dictionary knows (not read as a name).
        self.word = False
        self.surface, self.readings, self.begin, self.end = surface, readings, begin, end
        self.normalized = surface if normalized is None else normalized
        self.kana, self.barrier, self.morpheme = kana, barrier, morpheme
        self.morpheme_start, self.morpheme_end, self.noun = morpheme_start, morpheme_end, noun


def _mark_particle_head(units: list[_Unit]):
    """A kana word right after a kana noun that starts with は, が or を: that kana is likely the
    noun's particle, so no respelled word starts there and the next kana may start one."""
    if len(units) > 1 and units[0].surface in _PARTICLE_HEADS:
        units[0].particle_head = True
        units[1].morpheme_start = True


def _units(text: str, known=frozenset()) -> list[_Unit]:
    """The question as units: each kana character, each other word with its readings, barriers."""
    units = []
    if not text.strip():
        return units
    after_kana_noun = False
    for number, m in enumerate(tokenizer().tokenize(text[:4000])):
        begin, end = m.begin(), m.end()
        written = text[begin:end]
        surface = fold(written)
        pos = m.part_of_speech()
        if _KANA.fullmatch(surface):
            # Kana one character a unit (ほけん|じょ is one word to the knowledge: 保健所); the
            # morpheme's edges and part of speech tell a word from the middle of one.
            noun = pos[0] in ("名詞", "接尾辞") or m.is_oov()
            function = pos[0] in _FUNCTION_POS and not m.is_oov()
            verb = pos[0] == "動詞"
            single = len(written) == len(surface)
            # Sudachi does not know an unknown kana run's words: any place in it may be an edge.
            free = m.is_oov()
            first_unit = len(units)
            if single:
                hiragana = katakana_to_hiragana(surface)
                last_k = len(surface) - 1
                for k, char in enumerate(surface):
                    units.append(_Unit(char, (hiragana[k],), begin + k, begin + k + 1, kana=True,
                                       morpheme=number, morpheme_start=free or k == 0,
                                       morpheme_end=free or k == last_k, noun=noun, function=function))
            else:  # half-width kana folded to more or fewer characters: one unit
                units.append(_Unit(surface, (katakana_to_hiragana(surface),), begin, end, kana=True,
                                   morpheme=number, noun=noun, function=function))
            particle = pos[0] == "助詞" and pos[1] in _FOLLOWING_PARTICLES
            for unit in units[first_unit:]:
                unit.verb = verb
                unit.suffix = pos[0] == "接尾辞"
                unit.numeral = pos[1] == "数詞"
                unit.conjugates = pos[0] in ("動詞", "形容詞")
                unit.ending = pos[0] == "助動詞" or pos[:2] == ("助詞", "接続助詞")
                unit.particle = particle
            if after_kana_noun and not function:
                _mark_particle_head(units[first_unit:])
            after_kana_noun = pos[0] in _NOUN_LIKE_POS or m.is_oov()
            continue
        after_kana_noun = False
        reading = katakana_to_hiragana(m.reading_form())
        if pos[0] in ("補助記号", "空白") or not READING.fullmatch(reading):
            units.append(_Unit(surface, (), begin, end, barrier=True, morpheme=number))
            continue
        readings = [reading]
        if has_kanji(surface) and len(surface) <= _LOOKUP_CHARS and (
                surface not in known or pos[1] == "固有名詞" or m.is_oov()):
            # A short word the knowledge never writes alone (粗 in 粗代ごみ), or read as a name
            # (申精: 申|精 タダシ), may be a wrong kanji or read otherwise than in context: its other
            # readings count too (粗: そ, 精: せい → 粗大, 申請). Not 何 (か), which the knowledge writes.
            readings += [r for r in dictionary_readings(surface) if r not in readings]
        unit = _Unit(surface, tuple(readings[:MAX_READINGS]), begin, end, morpheme=number,
                     noun=pos[0] == "名詞", normalized=fold(m.normalized_form()))
        unit.word = len(surface) >= 2 and not m.is_oov() and pos[1] != "固有名詞"
        units.append(unit)
    return units
