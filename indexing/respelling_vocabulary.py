"""The knowledge's vocabulary for respelling (indexing/respelling.py): its compounds by reading.

Every noun compound of the entries' text (a run of nouns, suffixes and numbers in SudachiPy mode A,
and each of its shorter runs) is counted with its reading and how often it is written so; also a
compound read as split elsewhere where the tokenizer split it wrongly (水|道管, also 水道 + 管:
すいどうかん), and the way of doing a thing (a verb's stem and 方: 出し方). ``vocabulary_of`` builds it
from each text's counts, cached by the text's hash: reloading the knowledge after an edit tokenizes
only the texts that changed.
"""
from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from typing import NamedTuple

import numpy as np
from sudachipy import SplitMode

from indexing.japanese import katakana_to_hiragana, sudachi_dictionary, thread_tokenizer

# Parts of speech that make up a compound: nouns, suffixes (料, 所, 権), prefixes (再, 各).
_COMPOUND_POS = {"名詞", "接尾辞", "接頭辞", "形状詞"}
# The longest run of morphemes taken as one compound of the knowledge.
MAX_UNITS = 5
_MIN_READING = 2
# 方 after a verb's stem: the way it is done (出し方), read かた.
_WAY, _WAY_READING = "方", "かた"
KATAKANA_WORD = re.compile(r"[ァ-ヺー]+")
# A spelling may hold kana and numbers besides its kanji (粗大ごみ, 3歳児健診), nothing else.
_SPELLING = re.compile(r"[\u4e00-\u9fff々ぁ-ゖァ-ヺー0-9]+")
READING = re.compile(r"[ぁ-ゖー]+")
MAX_READINGS = 8

def tokenizer():
    """This thread's SudachiPy mode A tokenizer."""
    return thread_tokenizer(SplitMode.A)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


_KANJI = re.compile(r"[\u4e00-\u9fff々]")
KANJI_WORD = re.compile(r"[\u4e00-\u9fff々]+")


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


@functools.lru_cache(maxsize=65536)
def dictionary_readings(surface: str) -> tuple[str, ...]:
    """Every kana reading the dictionary has for ``surface`` as one word (精: せい, ただし)."""
    readings = []
    for morpheme in sudachi_dictionary().lookup(surface):
        reading = katakana_to_hiragana(morpheme.reading_form())
        if READING.fullmatch(reading) and reading not in readings:
            readings.append(reading)
    return tuple(readings[:MAX_READINGS])


@functools.lru_cache(maxsize=65536)
def is_common_word(surface: str) -> bool:
    """Whether the dictionary has ``surface`` as one common word (not only as a name: 時館)."""
    return any(m.part_of_speech()[1] != "固有名詞" for m in sudachi_dictionary().lookup(surface))


# A compound of kanji this long at most is also read split at each other place (see resplit_readings).
_RESPLIT_CHARS = 4
# What a word is read as when a compound is re-split: a common noun or a suffix, not a name or a verb
# (税 is ぜい, not the given name みつぐ; 生 is せい, not the verb stem うま).
_RESPLIT_POS = {"普通名詞", "名詞的"}


@functools.lru_cache(maxsize=65536)
def resplit_readings(surface: str, boundaries: tuple[int, ...]) -> tuple[str, ...]:
    """The readings of a compound of kanji the tokenizer split at ``boundaries`` (水|道管: (1,)) as two
    common nouns or a noun and a suffix split at another place (水道 + 管: すいどうかん)."""
    if not 2 < len(surface) <= _RESPLIT_CHARS or not KANJI_WORD.fullmatch(surface):
        return ()
    readings = []
    for k in range(1, len(surface)):
        if k in boundaries:
            continue  # the tokenizer's own split: read so already
        left, right = _common_reading(surface[:k]), _common_reading(surface[k:])
        if left and right and left + right not in readings:
            readings.append(left + right)
    return tuple(readings)


@functools.lru_cache(maxsize=65536)
def _common_reading(word: str) -> str:
    """The dictionary's first reading of ``word`` as a common noun or a suffix ('' if it has none)."""
    for morpheme in sudachi_dictionary().lookup(word):
        reading = katakana_to_hiragana(morpheme.reading_form())
        if morpheme.part_of_speech()[1] in _RESPLIT_POS and READING.fullmatch(reading):
            return reading
    return ""


class Vocabulary:
    """The knowledge's compounds counted by (reading, spelling) while its texts are read."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.variants: dict[str, Counter] = {}
        self.known: set[str] = set()

    def read(self, text: str):
        run: list = []
        text = fold(text)
        known = self.known
        for chunk_start in range(0, len(text), 4000):
            verb = None
            for m in tokenizer().tokenize(text[chunk_start:chunk_start + 4000]):
                surface = m.surface()
                known.add(surface)
                pos = m.part_of_speech()
                if verb is not None and surface == _WAY and pos[0] == "接尾辞":
                    # A verb's stem and 方, how it is done (出し方, 受け取り方): typed だしかた.
                    self.counts[(verb[1] + _WAY_READING, verb[0] + _WAY)] += 1
                # Only a verb's or a compound part's reading is read (particles and endings skip it).
                reading = katakana_to_hiragana(m.reading_form()) if pos[0] == "動詞" or pos[0] in _COMPOUND_POS else ""
                readable = READING.fullmatch(reading) is not None
                if pos[0] == "動詞" and readable and pos[5].startswith("連用形"):
                    # The stem so far: 受け|取り is one verb's (受け取り), whose 方 is 受け取り方.
                    verb = (verb[0] + surface, verb[1] + reading) if verb is not None else (surface, reading)
                    verb = verb if has_kanji(verb[0]) else None
                else:
                    verb = None
                if readable and pos[0] in _COMPOUND_POS and pos[2] != "人名" and not m.is_oov():
                    run.append((surface, reading, pos[0]))
                    continue
                if run:
                    self._compounds(run)
                    run = []
        if run:
            self._compounds(run)

    def _compounds(self, run):
        """Every run of up to MAX_UNITS parts of a noun run (粗大|ごみ|処理|券: 粗大ごみ, 処理券 ...)."""
        for start in range(len(run)):
            if run[start][2] == "接尾辞":
                continue
            surface = reading = ""
            for end in range(start, min(len(run), start + MAX_UNITS)):
                part, part_reading, pos = run[end]
                stem = reading
                surface += part
                reading += part_reading
                if pos == "接頭辞":
                    continue
                self.known.add(surface)
                if len(reading) < _MIN_READING or not _SPELLING.fullmatch(surface) or not (
                        has_kanji(surface) or KATAKANA_WORD.fullmatch(surface)):
                    continue  # a spelling has kanji, or is a loanword in katakana
                self.counts[(reading, surface)] += 1
                # A last single kanji read otherwise than in context (定時退庁日: にち, also ひ, び).
                if end > start and len(part) == 1 and has_kanji(part):
                    for other in dictionary_readings(part):
                        if other != part_reading:
                            self.variants.setdefault(stem + other, Counter())[surface] += 1
                # A compound the tokenizer split at the wrong place (水|道管): read as two words of the
                # dictionary split elsewhere (水道|管: すいどうかん).
                if end > start:
                    for other in resplit_readings(surface, _boundaries(run[start:end + 1])):
                        if other != reading:
                            self.variants.setdefault(other, Counter())[surface] += 1

    def spellings(self) -> dict[str, tuple[str, int]]:
        """reading → (the spelling the knowledge writes most often for it, how often); a
        compound's own reading before readings it takes only with another reading of a kanji."""
        spelling: dict[str, tuple[str, int]] = {}
        for (reading, surface), count in self.counts.items():
            if count > spelling.get(reading, ("", 0))[1]:
                spelling[reading] = (surface, count)
        for reading, surfaces in self.variants.items():
            if reading not in spelling:
                spelling[reading] = (surfaces.most_common(1)[0][0], 0)
        return spelling


class _TextCounts(NamedTuple):
    """One text's share of the vocabulary (what ``Vocabulary.read`` counts in it), as uint32
    key ids of the cache's ``_Keys``: ~1 KB a text where Python tuples and sets took ~12 KB."""
    counts: bytes  # (id of (reading, spelling), count) pairs, in reading order
    variants: bytes  # (id of (another reading, spelling), count) pairs
    known: bytes  # ids of the surfaces read


class _Keys:
    """Ids for the words and (reading, spelling) pairs of every text read: they grow with the
    knowledge's vocabulary, not with its texts."""

    def __init__(self):
        self.ids: dict = {}
        self.keys: list = []

    def id(self, key) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.keys)
            self.keys.append(key)
        return found

    def pack(self, counts) -> bytes:
        return np.array([(self.id(key), n) for key, n in counts], dtype=np.uint32).tobytes()


def _totals(packed: bytes, keys: list) -> dict:
    """Packed (id, count) pairs of many texts → {key: total} in the order keys first appear."""
    pairs = np.frombuffer(packed, dtype=np.uint32).reshape(-1, 2)
    ids = pairs[:, 0]
    totals = np.bincount(ids, weights=pairs[:, 1])
    unique, first = np.unique(ids, return_index=True)
    return {keys[i]: int(totals[i]) for i in unique[np.argsort(first, kind="stable")].tolist()}


class TextCountsCache:
    """The last ``size`` texts' counts by the text's hash, so rebuilding the vocabulary after an
    edit reads (tokenizes) only the texts that changed. Bounded by the number of texts: ~1 KB
    a text of the sample knowledge, ~70 MB at 50,000 texts (with the ids of their words)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[bytes, _TextCounts] = OrderedDict()
        self._keys = _Keys()
        self._lock = threading.Lock()

    def vocabulary(self, texts) -> "Vocabulary":
        """The vocabulary of ``texts``, each read unless cached (in order: ties go as in reading)."""
        parts = [self._get(text) for text in texts]
        vocabulary = Vocabulary()
        with self._lock:
            keys = self._keys.keys
            vocabulary.counts = Counter(_totals(b"".join(p.counts for p in parts), keys))
            for (reading, surface), count in _totals(b"".join(p.variants for p in parts), keys).items():
                vocabulary.variants.setdefault(reading, Counter())[surface] = count
            known = np.unique(np.frombuffer(b"".join(p.known for p in parts), dtype=np.uint32))
            vocabulary.known = {keys[i] for i in known.tolist()}
        return vocabulary

    def _get(self, text: str) -> _TextCounts:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        with self._lock:
            counts = self._items.get(key)
            if counts is not None:
                self._items.move_to_end(key)
                return counts
        counts = count_text(text)
        with self._lock:
            keys = self._keys
            packed = _TextCounts(
                keys.pack(counts.counts.items()),
                keys.pack(((reading, surface), n) for reading, surfaces in counts.variants.items()
                          for surface, n in surfaces.items()),
                np.array([keys.id(word) for word in counts.known], dtype=np.uint32).tobytes())
            self._items[key] = packed
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return packed

    def clear(self):
        with self._lock:
            self._items.clear()
            self._keys = _Keys()


def count_text(text: str) -> "Vocabulary":
    """One text read on its own (what the cache keeps, packed)."""
    vocabulary = Vocabulary()
    vocabulary.read(text)
    return vocabulary


# Enough for a knowledge of 50,000 entries and an edited copy of a part of it.
TEXT_CACHE_SIZE = 65_536
TEXT_COUNTS = TextCountsCache(TEXT_CACHE_SIZE)


def _boundaries(parts) -> tuple[int, ...]:
    """Where a compound's parts (surface first) meet, as offsets into the compound (水|道管: (1,))."""
    offsets, at = [], 0
    for part in parts[:-1]:
        at += len(part[0])
        offsets.append(at)
    return tuple(offsets)


def vocabulary_of(texts) -> Vocabulary:
    """The vocabulary of ``texts`` (each read unless the module's cache holds its counts)."""
    return TEXT_COUNTS.vocabulary(texts)
