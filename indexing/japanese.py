"""Japanese text analysis: normalization, dictionary tokenization, synonyms, readings.

Two token streams feed the lexical index:

* ``terms``: content words (nouns, verbs, adjectives, ...) in SudachiPy mode A,
  using the dictionary's normalized form (表記ゆれ such as シュミレーション →
  シミュレーション, 届 → 届け), folded to hiragana so that ゴミ and ごみ meet.
* ``reading_grams``: character bigrams of the katakana reading of the whole text,
  so that a question typed in kana (そだいごみ, てんにゅう) or with a wrong kanji
  still meets the entry written in kanji.

Questions typed in kana or with a wrong kanji are also respelled with the knowledge's own
words before search: see indexing/respelling.py.

Synonyms (an editable list, one group per line) are applied to the normalized text
before tokenization, mapping every variant to its group's first term.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sudachipy import Dictionary, SplitMode

# Parts of speech that carry no content for retrieval.
_DROPPED_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
# Very frequent function-like words that survive the POS filter.
_STOP_TERMS = {
    "する", "ある", "いる", "なる", "れる", "られる", "できる", "ない", "こと", "もの", "物", "よう", "ため",
    "とき", "時", "おる", "いう", "くださる", "下さる", "おしえる", "教える", "ほしい", "です", "ます",
    "どう", "どこ", "なに", "何", "いつ", "どの", "どれ", "ください", "たい", "の", "ん", "さん", "方",
    "について", "場合", "知る", "わかる", "分かる", "いい", "良い", "よい", "思う", "お", "ご", "御",
    # Polite verbs that only frame a question (転出いたしました, 制度はございますか, 伺いたいのですが).
    "致す", "御座る", "伺う", "存じる", "頂く", "参る", "宜しく", "願う", "教示", "尋ねる", "考える",
}

_WAVE_DASHES = str.maketrans({"〜": "～", "~": "～", "―": "ー", "‐": "-", "−": "-", "–": "-", "—": "ー"})
_SPACES = re.compile(r"\s+")
# Web and mail addresses in answers are links, not vocabulary: "www" or "city" in a URL must
# not make an entry match a question.
_ADDRESSES = re.compile(r"(?:https?://|www\.)[\w!#$%&'()*+,\-./:;=?@~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")


def normalize_text(text: str) -> str:
    """NFKC (full/half width), lower case, unified dashes and whitespace."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_WAVE_DASHES).lower()
    # Prolonged sound marks typed as hyphens after kana (コンピュータ-) become ー.
    text = re.sub(r"(?<=[ぁ-んァ-ヶ])-", "ー", text)
    return _SPACES.sub(" ", text).strip()


_TO_HIRAGANA = {code: code - 0x60 for code in range(_KATAKANA_START, _KATAKANA_END + 1)}
_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}


def katakana_to_hiragana(text: str) -> str:
    return text.translate(_TO_HIRAGANA)


def hiragana_to_katakana(text: str) -> str:
    return text.translate(_TO_KATAKANA)


def kana_folded(text: str) -> str:
    """A text normalized (normalize_text) with katakana as hiragana: ソファ and そふぁ compare equal."""
    return katakana_to_hiragana(normalize_text(text))


# A text is typed in katakana (a phone left in katakana mode: ジュウミンヒョウノ ウツシ, ソダイゴミ イクラ)
# when more than this share of its kana letters are katakana, it has no kanji, and at least this many letters.
KATAKANA_SHARE = 0.8
_KATAKANA_TYPED_LETTERS = 4
_KANA_LETTER = re.compile(r"[ぁ-ゖァ-ヺ]")
_KANJI = re.compile(r"[\u3400-\u9fff]")


def mostly_katakana(text: str) -> bool:
    """Whether more than KATAKANA_SHARE of the kana letters of ``text`` are katakana."""
    kana = _KANA_LETTER.findall(text)
    return bool(kana) and sum(1 for c in kana if c >= "ァ") > len(kana) * KATAKANA_SHARE


def typed_in_katakana(text: str) -> bool:
    """Whether ``text`` is typed all in katakana, particles and endings too (mostly katakana, no kanji,
    a few letters at least): read as its hiragana, it asks as a question typed in kana does."""
    return (len(_KANA_LETTER.findall(text)) >= _KATAKANA_TYPED_LETTERS and not _KANJI.search(text)
            and mostly_katakana(text))


def _term_pattern(term: str) -> str:
    """Latin abbreviations match whole words only (HP must not rewrite HPV)."""
    escaped = re.escape(term)
    if re.fullmatch(r"[a-z0-9 .+-]+", term):
        return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
    return escaped


@dataclass(frozen=True)
class SynonymTable:
    """Groups of equivalent terms; every variant is rewritten to the group's first term."""

    groups: tuple[tuple[str, ...], ...] = ()
    _pattern: re.Pattern | None = field(default=None, compare=False, repr=False)
    _canonical: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_groups(cls, groups) -> "SynonymTable":
        clean = []
        canonical: dict[str, str] = {}
        for group in groups:
            terms = tuple(dict.fromkeys(normalize_text(t) for t in group if normalize_text(t)))
            if len(terms) < 2:
                continue
            clean.append(terms)
            for variant in terms[1:]:
                # A variant that is also a canonical term elsewhere would loop; first wins.
                canonical.setdefault(variant, terms[0])
        # Canonical terms map to themselves so that a longer canonical term is never
        # rewritten through a shorter variant inside it (転入届 must not become 転入届届).
        for terms in clean:
            canonical.setdefault(terms[0], terms[0])
        variants = sorted(canonical, key=len, reverse=True)
        pattern = re.compile("|".join(map(_term_pattern, variants))) if variants else None
        return cls(tuple(clean), pattern, canonical)

    @classmethod
    def parse(cls, text: str, source: str = "synonyms") -> "SynonymTable":
        """Parse the synonym file format: comma-separated terms per line, ``#`` comments."""
        groups = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            terms = [t.strip() for t in re.split(r"[,、，]", line) if t.strip()]
            if len(terms) < 2:
                raise ValueError(f"{source}:{number}: a synonym group needs at least two terms")
            groups.append(terms)
        return cls.from_groups(groups)

    @classmethod
    def load(cls, path: str | Path) -> "SynonymTable":
        return cls.parse(Path(path).read_text(encoding="utf-8-sig"), source=str(path))

    def apply(self, normalized: str) -> str:
        if self._pattern is None:
            return normalized
        return self._pattern.sub(lambda m: self._canonical[m.group(0)], normalized)

    def to_text(self) -> str:
        return "\n".join(",".join(g) for g in self.groups) + ("\n" if self.groups else "")


@dataclass(frozen=True)
class Analysis:
    terms: tuple[str, ...]
    reading_grams: tuple[str, ...]
    # The terms that are nouns (common or proper): the things a question is about.
    nouns: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def sudachi_dictionary() -> Dictionary:
    """One Sudachi dictionary per process (it is large); tokenizers made from it are cheap."""
    return Dictionary(dict="core")


_TOKENIZERS = threading.local()


def thread_tokenizer(mode: SplitMode = SplitMode.A):
    """This thread's Sudachi tokenizer in ``mode`` (a tokenizer is not safe to share between threads)."""
    tokenizers, key = _TOKENIZERS.__dict__, str(mode)  # SplitMode is not hashable
    if key not in tokenizers:
        tokenizers[key] = sudachi_dictionary().tokenizer(mode=mode)
    return tokenizers[key]


class JapaneseAnalyzer:
    """Turns text into retrieval tokens. Safe to share between threads."""

    def __init__(self, synonyms: SynonymTable | None = None):
        self.synonyms = synonyms or SynonymTable()
        sudachi_dictionary()  # loaded now, not by the first question

    @staticmethod
    def _tokenizer():
        return thread_tokenizer(SplitMode.A)

    def prepare(self, text: str) -> str:
        return self.synonyms.apply(normalize_text(text))

    def analyze(self, text: str) -> Analysis:
        prepared = _ADDRESSES.sub(" ", self.prepare(text))
        terms: list[str] = []
        nouns: list[str] = []
        reading: list[str] = []
        # Sudachi's input limit is bytes-based; long passages are fed in chunks.
        for chunk in _chunks(prepared, 4000):
            for m in self._tokenizer().tokenize(chunk):
                pos = m.part_of_speech()[0]
                if pos in _DROPPED_POS:
                    if pos == "補助記号" or pos == "空白":
                        reading.append(" ")
                    continue
                surface = m.surface()
                reading.append(hiragana_to_katakana(m.reading_form() or surface))
                term = katakana_to_hiragana(m.normalized_form())
                if term in _STOP_TERMS or katakana_to_hiragana(m.dictionary_form()) in _STOP_TERMS:
                    continue
                if len(term) == 1 and pos not in ("名詞",) and not _is_kanji(term):
                    continue
                terms.append(term)
                if pos == "名詞" and m.part_of_speech()[1] in ("普通名詞", "固有名詞"):
                    nouns.append(term)
        return Analysis(tuple(terms), tuple(_bigrams("".join(reading))), tuple(nouns))

    def terms(self, text: str) -> list[str]:
        return list(self.analyze(text).terms)


def _is_kanji(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _bigrams(reading: str) -> list[str]:
    grams = []
    for word in reading.split():
        if len(word) == 1:
            grams.append(word)
        grams.extend(word[i:i + 2] for i in range(len(word) - 1))
    return grams


def _chunks(text: str, size: int):
    for start in range(0, len(text), size):
        yield text[start:start + size]
