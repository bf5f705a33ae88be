"""The things a question names (a card, a tax, a licence, a benefit, a place) and whether an entry
mentions them: a feature of the abstention model (bot/answering/calibration.py).

A question about a 相続税 answered with the 住民税 entry, or about a 運転免許証 answered with the
マイナンバーカード entry, is a near miss: the entry is about a look-alike. Such a question names a
compound noun whose head is a word for a kind of document, benefit, tax or licence (税, 証, 手当,
免許, カード ...) or a proper noun, and the entry does not contain it, neither as written nor as
read (so a kana-typed or mistyped word still meets its kanji) nor as a clipped loanword (マイナカード). The lists below are word classes of
Japanese administrative language, not words of any particular knowledge base.

Four features of the abstention model come from here (EntityCheck): ``entity`` (the best entry
lacks a named thing), ``entity_unknown`` (no entry of the knowledge names it: 相続税 in a city FAQ
that knows only 住民税; another office such as 年金事務所; or a compound of any head with a word the
knowledge never writes: 帰化申請, 婚活イベント), ``phrases`` (the share of the
question's noun phrases the best entry holds, judged on a long story's asking sentence) and
``focus_heading`` (the question's first named thing, else its first noun phrase, is in the entry's
heading: what the entry is about, not a word its answer mentions in passing, such as 運転免許証
among the documents a 転入届 needs).
"""
from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from bot.answering.national import heading_holds, national_office
from indexing.japanese import hiragana_to_katakana, katakana_to_hiragana, normalize_text, sudachi_dictionary
from indexing.respelling import clipped_whole

# Heads of compound nouns that name a specific thing of a kind: a document, a card, a tax, a fee,
# a benefit, a licence, an insurance, a notification, a check-up.
ENTITY_HEADS = frozenset({
    "税", "証", "証明", "証明書", "カード", "免許", "手当", "金", "料", "料金", "手帳", "券", "保険", "年金",
    "届", "届け", "書", "制度", "給付", "補助", "助成", "健診", "検診", "接種", "ワクチン", "登録",
    "許可", "申告", "資格", "控除", "番号", "パス", "票", "帳", "手続", "認定", "費",
})
# Endings of the names of offices and public bodies (税務署, 法務局, 年金事務所, 家庭裁判所, 県庁,
# but also a city's own 水道局 or 消防署): a question about what such an office does is answered only
# when an entry names that office; one no entry names is another body's business (entity_unknown).
# The city's counters themselves (役所, 役場, 支所) are not among them.
ORGANIZATION_ENDINGS = ("署", "局", "事務所", "裁判所", "庁", "公社", "機構", "協会", "組合", "公庫", "事業団")
_PHRASE_POS = {"名詞", "接頭辞", "接尾辞"}
_FOLDED_KANA = re.compile(r"[ぁ-ゖー]+")
PLURALS = frozenset({"ら", "たち", "達", "ども", "共"})
# Words for "all of them" that follow who or what they count (家族みんな, 子どもぜんいん, 財布ごと: the wallet and all).
ALL_OF_THEM = frozenset({"みんな", "みな", "皆", "ぜんいん", "全員", "ぜんぶ", "全部", "ごと"})
# A time relative to today (来月, 明後日, 再来週, 今年度, 週明け): before a compound it says when
# (来月 婚姻届を出す), it is not part of the thing's name; nor is the 分 or 中 after it (先月分, 今週中).
RELATIVE_TIME = re.compile(r"(?:再?来|今|先|昨|毎|翌|前|再来)(?:週|月|年|年度|日|朝|晩|夜|回|春|夏|秋|冬)|明後日|一昨日|"
                           r"明日|昨日|今日|あさって|おととい|あした|きのう|きょう|年明け|週明け|月末|月初め|午前中?|午後|"
                           r"夕方|朝方|最近|今度|次回|先日|後日|近日|至急|早急")
AFTER_TIME = frozenset({"分", "中", "度", "頃", "ごろ", "以降", "以内"})
# A question word inside a phrase (何曜日, 夕方何時, 月いくら) asks about the thing; it is no word of it.
INTERROGATIVE = re.compile(r"何|いくら|いくつ|どこ|いつ|だれ|誰")
# A kanji before a match makes it part of a longer compound: 自動車税 inside 軽自動車税 is another tax
# (see standalone).
ENTRY_CACHE = 4096
# An entry is searched for named things in this many characters (an answer rarely shows more).
ENTRY_CHARS = 2000
# A word in hiragana this long or longer is looked up by its reading (EntryTexts.reads); a shorter one is no evidence.
_READ_MIN_KANA = 3


@dataclass(frozen=True)
class Phrase:
    surface: str   # normalized, hiragana-folded
    reading: str   # katakana
    salient: bool  # names a specific thing (see module docstring)
    words: tuple[str, ...] = ()  # its content words of two characters or more, as written
    written: str = ""  # the phrase as written (normalized, not folded: マイナンバーカード)


def noun_phrases(text: str) -> list[Phrase]:
    """Runs of nouns, prefixes and suffixes in ``text``, with an adjectival noun right before a noun (特別|児童扶養手当);
    numbers break a run."""
    from sudachipy import SplitMode

    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    phrases, run = [], []

    def close():
        # A counter or suffix left at the start by a number (3「才」健診) belongs to the number; a time
        # (来月, and a clause's とき or あと written in kana) says when, not what.
        while run and (run[0].part_of_speech()[0] == "接尾辞"
                       or run[0].part_of_speech()[2] == "副詞可能" and _FOLDED_KANA.fullmatch(run[0].surface())):
            run.pop(0)
        # The longest start of the run that is a time (再 + 来週, 今 + 年度), and the 分 or 中 after it.
        time = next((k for k in range(len(run), 0, -1)
                     if RELATIVE_TIME.fullmatch("".join(m.surface() for m in run[:k]))), 0)
        if time:
            del run[:time]
            while run and run[0].surface() in AFTER_TIME:
                run.pop(0)
        content = [m for m in run if m.part_of_speech()[0] == "名詞"]
        if content:
            written = "".join(m.surface() for m in run)
            surface = katakana_to_hiragana(written)
            reading = "".join(hiragana_to_katakana(m.reading_form() or m.surface()) for m in run)
            head = run[-1]
            # A person's name (a resident introducing themselves) is not what the question is about.
            proper = any(m.part_of_speech()[1] == "固有名詞" and m.part_of_speech()[2] != "人名" for m in run)
            # A polite prefix and one noun (お金, ご家族) is an everyday word, not a specific thing.
            parts = [m for m in run if m.part_of_speech()[0] != "接頭辞"]
            salient = proper or len(parts) >= 2 and (head.normalized_form() in ENTITY_HEADS
                                                   or head.surface() in ENTITY_HEADS
                                                   or surface.endswith(ORGANIZATION_ENDINGS))
            if len(surface) >= 2:
                words = tuple(m.surface() for m in content
                              if len(m.surface()) >= 2 and not INTERROGATIVE.match(m.surface()))
                phrases.append(Phrase(surface, reading, salient, words if len(parts) >= 2 else (), written))
        run.clear()

    morphemes = list(tokenizer.tokenize(normalize_text(text)))
    for k, m in enumerate(morphemes):
        pos = m.part_of_speech()
        if pos[0] == "形状詞" and k + 1 < len(morphemes) and morphemes[k + 1].part_of_speech()[0] in ("名詞", "接頭辞"):
            # An adjectival noun right before a noun is part of its name (特別|児童扶養手当, 簡易|書留): the
            # thing is not the shorter one (特別な手当 stays 手当).
            run.append(m)
        elif pos[0] == "接尾辞" and m.surface() in PLURALS:
            # 子どもら: a plural ends the phrase. (Sudachi also reads the ら left of たら, when a
            # synonym rewrite turns 引っ越してきたら into 転入ら, as this suffix: 転入ら予防接種 is two things.)
            close()
        elif pos[0] in _PHRASE_POS and pos[1] != "数詞":
            if m.surface() in ALL_OF_THEM:
                # 家族|みんな|国保 names 国保, 財布|ごと|マイナカード the card: "all of them" is no part of a name.
                close()
                continue
            run.append(m)
        else:
            close()
    close()
    return phrases


def searched_text(entry) -> str:
    """What an entry is searched in for named things: its question or heading, alternates, category and answer."""
    return " ".join([entry.title, *entry.alternates, entry.section, entry.category, entry.body])


def heading_text(entry) -> str:
    """What an entry is about: a FAQ's question and alternates, a guide or plan section's heading."""
    return " ".join([entry.title, *entry.alternates, entry.section])


class EntryTexts:
    """An entry's text as searched for named things: its folded surface (cheap) and its katakana
    reading (a tokenization, done only when a named thing is not found as written), both cached;
    and the folded surface and heading readings of the whole knowledge (``entries``), built by warm()
    when the knowledge is loaded (else on first use)."""

    def __init__(self, prepare, entries=(), term_known=None):
        self._prepare = prepare
        self._term_known = term_known
        self._surfaces: OrderedDict = OrderedDict()
        self._readings: OrderedDict = OrderedDict()
        self._headings: OrderedDict = OrderedDict()
        self._heading_readings: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._entries = entries
        self._corpus: str | None = None
        self._corpus_loanwords: dict[str, list[str]] | None = None
        self._corpus_reading: str | None = None
        self._corpus_headings: str | None = None
        self._named: OrderedDict = OrderedDict()
        self._headed: OrderedDict = OrderedDict()
        self._reads: OrderedDict = OrderedDict()
        self._written: OrderedDict = OrderedDict()
        self._slips: OrderedDict = OrderedDict()
        self._kanji_pairs: set[str] | None = None
        self._prefectures: frozenset[str] | None = None
        self._counts: OrderedDict = OrderedDict()
        self._look_alikes: OrderedDict = OrderedDict()

    def corpus(self) -> str:
        """Every entry's folded text, whole (not cut at ENTRY_CHARS), one entry a line (its loanwords are
        gathered on the way: corpus_loanwords)."""
        if self._corpus is None:
            parts, words = [], set()
            for entry in self._distinct_entries():
                prepared = self._prepare(searched_text(entry))
                parts.append(katakana_to_hiragana(prepared))
                words |= loanwords(prepared)
            # The prefectures the knowledge names (福岡県 in three entries or more): a city named after one
            # (福岡市) is another municipality unless the knowledge writes it (bot/answering/scope.py).
            named = Counter(name for part in parts for name in set(_PREFECTURE.findall(part)))
            self._prefectures = frozenset(name for name, count in named.items() if count >= _PREFECTURE_MIN_ENTRIES)
            by_start: dict[str, list[str]] = {}
            for word in words:
                by_start.setdefault(word[:3], []).append(word)
            self._corpus_loanwords = by_start
            corpus = "\n".join(parts)
            # Set before the corpus itself, which tells the other threads that all of it is ready.
            self._kanji_pairs = {run[i:i + 2] for run in _KANJI_RUN.findall(corpus) for i in range(len(run) - 1)}
            self._kanji_pairs |= set(_KANA_KANJI_PAIR.findall(corpus))
            self._corpus = corpus
        return self._corpus

    def slips(self, word: str) -> tuple[int, ...]:
        """Where ``word`` (folded) may hold a mistyped kanji (see mistyped_in): a kanji other than the
        last (the last names the kind of thing: 住民票 is no mistyped 住民税) whose pairs with its
        neighbours the knowledge never writes. 婚因届: 婚因 and 因届 are written nowhere, a slip; 入園届:
        入園 is a word of the knowledge, so 入園届 is no mistyped 転園届."""
        if len(word) < _MISTYPED_MIN:
            return ()

        def make():
            pairs = self.kanji_pairs()
            return tuple(i for i in range(len(word) - 1) if _is_kanji(word[i])
                         and (i == 0 or word[i - 1:i + 1] not in pairs) and word[i:i + 2] not in pairs)
        return self._cached(self._slips, word, make)

    def prefectures(self) -> frozenset[str]:
        """The names of the prefectures the knowledge names (福岡 for 福岡県; gathered with corpus())."""
        if self._prefectures is None:
            self.corpus()  # gathers them
        return self._prefectures

    def count(self, text: str) -> int:
        """How often the knowledge writes ``text`` (folded), cached: a scan of a large knowledge takes milliseconds."""
        return self._cached(self._counts, text, lambda: self.corpus().count(text))

    def kanji_pairs(self) -> set[str]:
        """Every pair of adjacent characters with a kanji in it that the knowledge writes (gathered with corpus())."""
        if self._kanji_pairs is None:
            self.corpus()  # gathers them
        return self._kanji_pairs

    def writes(self, word: str) -> bool:
        """Whether some entry writes ``word`` (as written in a question): by the knowledge's index terms
        where the retriever gives them (``term_known``), else found in its folded text; cached."""
        if self._term_known is not None:
            return self._cached(self._written, word, lambda: self._term_known(word))
        return self._cached(self._written, word, lambda: katakana_to_hiragana(word) in self.corpus())

    def corpus_loanwords(self) -> dict[str, list[str]]:
        """Every entry's loanwords (see loanwords), by their first three kana (a clipped word keeps them)."""
        if self._corpus_loanwords is None:
            self.corpus()  # builds them
        return self._corpus_loanwords

    def warm(self):
        """Build the knowledge-wide texts now (see corpus, which gathers corpus_loanwords, and corpus_reading)."""
        self.corpus()
        self.corpus_reading()

    def names(self, phrase: Phrase) -> bool:
        """Whether some entry names ``phrase``: as written and not only inside a longer compound
        (自動車税 only in 軽自動車税 is another tax), or by its reading in an entry's question or
        heading. Answers are cached: a scan of a large knowledge base takes milliseconds."""
        key = (phrase.surface, phrase.reading)
        with self._lock:
            known = self._named.get(key)
        if known is None:
            known = self._names(phrase)
            with self._lock:
                self._named[key] = known
                while len(self._named) > ENTRY_CACHE:
                    self._named.popitem(last=False)
        return known

    def _names(self, phrase: Phrase) -> bool:
        corpus = self.corpus()
        if phrase.surface not in corpus:
            return phrase.reading in self.corpus_reading() or clipped_in(
                phrase.surface, self.corpus_loanwords().get(phrase.surface[:3], ())) or mistyped_in(
                phrase.surface, self.corpus_headings(), self.slips(phrase.surface)) or number_given(
                phrase.surface, corpus)
        return standalone(phrase.surface, corpus)

    def look_alike(self, phrase: Phrase) -> str:
        """The thing the knowledge names that ``phrase`` is with one more word inside it (see qualified_variant), or '';
        cached: it scans the whole knowledge."""
        return self._cached(self._look_alikes, (phrase.surface, phrase.written),
                            lambda: qualified_variant(phrase, self.corpus()))

    def headed(self, word: str) -> bool:
        """Whether some entry's question or heading holds ``word`` (folded; see national.heading_holds), cached."""
        return self._cached(self._headed, word, lambda: heading_holds(word, self.corpus_headings()))

    def reads(self, word: str) -> bool:
        """Whether ``word``, typed in hiragana, may be a word of the knowledge: read so in some entry's
        question or heading (corpus_reading), cached. Two kana or fewer (しん, せい: the tokenizer's cuts
        of しんせい) say nothing either way and count as read."""
        if not _FOLDED_KANA.fullmatch(word):
            return False
        if len(word) < _READ_MIN_KANA:
            return True
        return self._cached(self._reads, word, lambda: hiragana_to_katakana(word) in self.corpus_reading())

    def corpus_headings(self) -> str:
        """Every entry's folded question, alternates and heading (see heading), one entry a line:
        what the knowledge is about, searched for a mistyped named thing (see mistyped_in)."""
        if self._corpus_headings is None:
            self._corpus_headings = "\n".join(katakana_to_hiragana(self._prepare(heading_text(entry)))
                                              for entry in self._distinct_entries())
        return self._corpus_headings

    def _distinct_entries(self):
        """The knowledge's entries, each id once."""
        seen = set()
        for entry in self._entries:
            if entry.id not in seen:
                seen.add(entry.id)
                yield entry

    def corpus_reading(self) -> str:
        """The katakana reading of every entry's question, alternates and heading (a typo of the
        same sound, 受信票 for 受診票, still meets the thing an entry is about); headings, not
        bodies, so that building it for a large knowledge base stays short."""
        if self._corpus_reading is None:
            self._corpus_reading = _reading(self.corpus_headings())
        return self._corpus_reading

    def _cached(self, cache: OrderedDict, key, make):
        with self._lock:
            found = cache.get(key)
        if found is None:
            found = make()
            with self._lock:
                cache[key] = found
                while len(cache) > ENTRY_CACHE:
                    cache.popitem(last=False)
        return found

    def _searched(self, entry) -> tuple[str, set[str]]:
        """The entry's first ENTRY_CHARS of searched text, folded, and its loanwords (one preparation)."""
        def make():
            prepared = self._prepare(searched_text(entry))[:ENTRY_CHARS]
            return katakana_to_hiragana(prepared), loanwords(prepared)
        return self._cached(self._surfaces, (entry.id, entry.title, entry.body), make)

    def surface(self, entry) -> str:
        return self._searched(entry)[0]

    def loanwords(self, entry) -> set[str]:
        return self._searched(entry)[1]

    def reading(self, entry) -> str:
        return self._cached(self._readings, (entry.id, entry.title, entry.body), lambda: _reading(self.surface(entry)))

    def heading(self, entry) -> str:
        """The folded text of what the entry is about: a FAQ's question and alternates, a guide or
        plan section's heading with its document's title."""
        return self._cached(self._headings, (entry.id, entry.title, entry.section),
                            lambda: katakana_to_hiragana(self._prepare(heading_text(entry))))

    def heading_reading(self, entry) -> str:
        return self._cached(self._heading_readings, (entry.id, entry.title, entry.section),
                            lambda: _reading(self.heading(entry)))


def _reading(text: str) -> str:
    from sudachipy import SplitMode

    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.A)
    return "".join(hiragana_to_katakana(m.reading_form() or m.surface())
                   for start in range(0, len(text), 4000)
                   for m in tokenizer.tokenize(text[start:start + 4000]))


def missing_entity(phrases: list[Phrase], entry, texts: EntryTexts) -> float:
    """1.0 when the question names a specific thing (a salient phrase) the entry lacks, else 0.0."""
    salient = [p for p in phrases if p.salient]
    if not salient:
        return 0.0
    surface = texts.surface(entry)
    for phrase in salient:
        if not holds(phrase, surface, lambda: texts.reading(entry), lambda: texts.loanwords(entry),
                     lambda: texts.slips(phrase.surface)):
            return 1.0
    return 0.0


def holds(phrase: Phrase, surface: str, reading, words=tuple, slips=tuple) -> bool:
    """Whether a text (its folded ``surface``; ``reading()``, its katakana reading; ``words()``, its
    loanwords) holds ``phrase``: as written and not only inside a longer compound (自動車税 only in
    軽自動車税 is another tax), or, where it is not written at all, by its reading (a kana-typed or
    mistyped word), as a clipped loanword (マイナカード) or with one kanji mistyped at one of the
    positions ``slips()`` gives (婚因届, see EntryTexts.slips)."""
    if phrase.surface not in surface:
        return (phrase.reading in reading() or clipped_in(phrase.surface, words())
                or mistyped_in(phrase.surface, surface, slips()) or number_given(phrase.surface, surface))
    return standalone(phrase.surface, surface)


# A number written right after the thing it is the number of (内線2345, 電話：000-123-4567, FAX (000) ...), not a count,
# a time or an amount (受付は9時から, 申請は10日まで, 口座は1つまで).
_NUMBER_AFTER = r"[\s:：]*[(（]?\s*[0-9][0-9()（）\-‐－ ]*(?![0-9時日月年台円階件回分人個枚つ歳週か])"


def number_given(word: str, text: str) -> bool:
    """Whether ``word``, a thing's 番号 (内線番号, 電話番号, ファックス番号), is given in ``text`` as that thing
    followed by its number (内線2345): an entry that gives the number names it, whatever it calls it."""
    stem = word.removesuffix("番号")
    if not stem or stem == word:
        return False
    # Not the tail of a longer compound (a question's 線番号 is no 内線2345).
    return any(match.start() == 0 or not (_is_kanji(stem[0]) and _is_kanji(text[match.start() - 1]))
               for match in re.finditer(re.escape(stem) + _NUMBER_AFTER, text))


# A kanji compound of this many characters or more may be a mistyping of another one kanji apart.
_MISTYPED_MIN = 3
# The characters _is_kanji accepts, as a regular expression's class body.
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\u3005"
_KANJI_RUN = re.compile(rf"[{_KANJI}]{{2,}}")
# A prefecture's name and suffix (北海道 is written so too); named in this many entries, it is the knowledge's own.
_PREFECTURE = re.compile(rf"([{_KANJI}]{{2,3}})[都道府県]")
_PREFECTURE_MIN_ENTRIES = 3
# A kanji next to another character (子ど, い方): overlapping pairs, by a lookahead.
_KANA_KANJI_PAIR = re.compile(rf"(?=([{_KANJI}][^\s{_KANJI}]|[^\s{_KANJI}][{_KANJI}]))")


def mistyped_in(word: str, text: str, positions: tuple[int, ...]) -> bool:
    """Whether ``text`` holds ``word`` with the kanji at one of ``positions`` typed differently
    (婚因届 for 婚姻届, 内戦番号 for 内線番号, 体所届 for 退所届): a slip of the IME choosing another
    kanji of the same or a near sound. The longer side of the slip is searched as a plain string
    (a regular expression starting with a character class scanned a large knowledge's headings slowly)."""
    for i in positions:
        before, after = word[:i], word[i + 1:]
        anchor, offset = (before, 0) if len(before) > len(after) else (after, i + 1)
        start = text.find(anchor)
        while start != -1:
            begin = start - offset
            if (begin >= 0 and text.startswith(before, begin) and begin + i < len(text)
                    and _is_kanji(text[begin + i]) and text[begin + i] != word[i]
                    and text.startswith(after, begin + i + 1)):
                return True
            start = text.find(anchor, start + 1)
    return False


_LOANWORD = re.compile(r"[ァ-ヺー]{5,}")


def loanwords(text: str) -> set[str]:
    """The katakana words of ``text`` long enough to be clipped, folded to hiragana as phrases are."""
    return {katakana_to_hiragana(word) for word in _LOANWORD.findall(text)}


def clipped_in(word: str, words) -> bool:
    """Whether one of ``words`` (folded loanwords) is clipped to ``word`` (see indexing.respelling.clipped_whole)."""
    return clipped_whole(word, words) is not None


def standalone(word: str, text: str) -> bool:
    """Whether ``text`` holds ``word`` other than as the tail of a longer kanji compound (a word
    that does not start with a kanji is held wherever it occurs). A scan, not a regular expression:
    compiling one per word cost milliseconds per question."""
    if not _is_kanji(word[0]):
        return word in text
    start = text.find(word)
    while start != -1:
        if start == 0 or not _is_kanji(text[start - 1]):
            return True
        start = text.find(word, start + 1)
    return False


# Heads of things whose names a law fixes (a benefit, a tax, a pension, a licence): 児童扶養手当 is never a way of
# writing 児童手当. Not documents and cards (cities name one certificate 所得証明書, 課税証明書 or 所得課税証明書),
# check-ups (乳児一般健診 is among a knowledge's 乳児健診 at its clinics) nor deductions (寄附金税額控除 is the
# resident-tax side of a knowledge's 寄附金控除).
FIXED_NAME_HEADS = ("手当", "税", "年金", "免許", "免許証", "給付金")
_FOLDED_FIXED_NAME_HEADS = tuple(katakana_to_hiragana(head) for head in FIXED_NAME_HEADS)  # a phrase's surface is folded


def qualified_variant(phrase: Phrase, corpus: str) -> str:
    """The thing the knowledge (``corpus``, folded) names that ``phrase`` is with one word inside it taken out,
    as the question writes it, or '': 児童手当 for 児童扶養手当, 障害年金 for 障害基礎年金. Only a thing whose name
    a law fixes (FIXED_NAME_HEADS). The word taken out is one word of two characters or more in kanji
    or katakana, neither the first (a word before a name often says whose or which it is, the same thing:
    個人住民税 is the 住民税; 法人市民税 is left to the abstention model) nor the last (which names the kind:
    住民票 is no 住民税), and no kana
    word (a resident's typing, cut at odd places); what is left is more than one word and written standalone
    (see standalone). Not a shortening of a longer thing the knowledge names (出産一時金 of 出産育児一時金: see
    shortens), nor two things side by side (新型コロナワクチン|定期接種: more than one word taken out). Asked of
    ten city FAQs with the other nine's questions, it found 児童扶養手当 (68 times) and 障害基礎年金 (15)
    (benchmarks/look_alikes.py)."""
    surface, written = phrase.surface, phrase.written or phrase.surface
    if not surface.endswith(_FOLDED_FIXED_NAME_HEADS):
        return ""
    spans, at = [], 0
    for word in phrase.words:
        start = surface.find(katakana_to_hiragana(word), at)
        if start < 0:
            return ""
        spans.append((start, start + len(word), word))
        at = start + len(word)
    for k, (start, end, word) in enumerate(spans[:-1]):
        if k == 0 or _FOLDED_KANA.fullmatch(word):
            continue
        kept = [w for j, (_, _, w) in enumerate(spans) if j != k]
        known = surface[:start] + surface[end:]
        if len(kept) == 1 and len(known) == len(kept[0]):
            continue
        if len(known) >= 3 and standalone(known, corpus):
            # Whether the phrase shortens a longer known name does not depend on the word taken out: looked at once.
            return "" if shortens(surface, corpus) else written[:start] + written[end:]  # folding keeps each place
    return ""


# What may stand between the characters of a shortened name in the longer one it shortens (育児 in
# 出産育児一時金, ・子宮頸がん in 乳がん・子宮頸がん検診): a few characters of one compound, not a line.
_SHORTENED_GAP = 6
_SHORTENED_PLACES = 100
_IN_NAME = re.compile(r"[一-龥々ぁ-ゖァ-ヺー・]")


def shortens(word: str, corpus: str) -> bool:
    """Whether the knowledge writes a longer name with ``word``'s characters in order and at most
    _SHORTENED_GAP characters of a name between (出産育児一時金 for 出産一時金): ``word`` is a shortening of a thing
    the knowledge knows, not another thing. Looked for around the places of the word's rarest character, at
    most _SHORTENED_PLACES of them (past that, counted as a shortening: no look-alike decline); a regular
    expression's backtracking over repeated characters took minutes on a made-up text."""
    if not word or any(char not in corpus for char in set(word)):
        return False
    anchor = min(range(len(word)), key=lambda k: corpus.count(word[k]))
    reach = _SHORTENED_GAP + 1
    place, looked = corpus.find(word[anchor]), 0
    while place != -1:
        if looked == _SHORTENED_PLACES:
            return True
        looked += 1
        low, high = max(0, place - reach * anchor), min(len(corpus), place + reach * (len(word) - anchor - 1) + 1)
        if _in_order(word, corpus, low, high):
            return True
        place = corpus.find(word[anchor], place + 1)
    return False


def _in_order(word: str, corpus: str, low: int, high: int) -> bool:
    """Whether ``corpus[low:high]`` holds ``word``'s characters in order, at most _SHORTENED_GAP characters of a
    name between each two: every place each character may stand is followed at once."""
    places = {at for at in range(low, high) if corpus[at] == word[0]}
    for char in word[1:]:
        following = set()
        for place in places:
            for at in range(place + 1, min(place + 2 + _SHORTENED_GAP, high)):
                if corpus[at] == char:
                    following.add(at)
                if not _IN_NAME.match(corpus[at]):
                    break
        places = following
        if not places:
            return False
    return True


def _is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff" or char == "\u3005"


class EntityCheck:
    """The salient things one question names, checked against an entry (``check(entry)``: 1.0 when
    the entry lacks one, see missing_entity) and against the whole knowledge (``unknown``: 1.0 when
    no entry names one at all: 相続税 in a city FAQ that only knows 住民税 and 軽自動車税; or when the
    question names a compound with a word no entry writes: 帰化申請)."""

    def __init__(self, phrases: list[Phrase], texts: EntryTexts, text: str = ""):
        self.phrases, self.texts, self.text = phrases, texts, text
        self._unknown: float | None = None
        self._office: str | None = None
        self._variant: tuple | None = None

    def __call__(self, entry) -> float:
        return missing_entity(self.phrases, entry, self.texts)

    def coverage(self, entry) -> float:
        """The share of the question's noun phrases (of its asking sentence, for a story) that the
        entry contains, as written or as read; 0.0 for a question without any (chatter: 元気？)."""
        if not self.phrases:
            return 0.0
        surface = self.texts.surface(entry)
        found = sum(1 for p in self.phrases if p.surface in surface or p.reading in self.texts.reading(entry))
        return found / len(self.phrases)

    def in_heading(self, phrase: Phrase, entry) -> bool:
        return holds(phrase, self.texts.heading(entry), lambda: self.texts.heading_reading(entry),
                     slips=lambda: self.texts.slips(phrase.surface))

    def focus_heading(self, entry) -> float:
        """1.0 when the entry's heading holds what the question is about: its first named thing (a
        salient phrase), else its first noun phrase; 0.0 for a question without any."""
        focus = next((p for p in self.phrases if p.salient), self.phrases[0] if self.phrases else None)
        return float(focus is not None and self.in_heading(focus, entry))

    @property
    def national(self) -> float:
        """1.0 when the question (``text``, prepared; '' for a staff question) names a matter of a national
        or prefectural office or of a private business that no entry is about (bot/answering/national.py:
        ねんきん定期便, 登記, 銀行口座 ...)."""
        return float(bool(self.national_office))

    @property
    def national_office(self) -> str:
        """The office or business that handles that matter (年金事務所, 法務局, 銀行などの金融機関 ...), or ''."""
        if self._office is None:
            named = [katakana_to_hiragana(p.surface) for p in self.phrases]
            self._office = national_office(katakana_to_hiragana(self.text), self.texts.headed, named) \
                if self.text else ""
        return self._office

    @property
    def unknown(self) -> float:
        if self._unknown is None:
            # A named thing is looked up in full (as read, mistyped, clipped: 児堂手当 is 児童手当); another
            # compound by its words (a lookup in the index's terms, no scan of the knowledge).
            self._unknown = float(any(not self.texts.names(p) if p.salient else self._unknown_word(p)
                                      for p in self.phrases))
        return self._unknown

    @property
    def variant(self) -> tuple[str, str] | None:
        """(the thing, the thing the knowledge knows, both as written) when the question names a thing no entry
        names that is a thing the knowledge knows with one more word inside it (児童|扶養|手当: 児童手当 with 扶養; 障害|基礎|年金):
        another benefit, tax or pension than the one the knowledge is about, not a way of writing it. See
        qualified_variant. None otherwise (the first such thing only)."""
        if self._variant is None:
            found = next(((p.written or p.surface, known) for p in self.phrases
                          if p.salient and not self.texts.names(p) and (known := self.texts.look_alike(p))), ())
            self._variant = found
        return self._variant or None

    def _unknown_word(self, phrase: Phrase) -> bool:
        """A compound with a word the knowledge never writes (帰化 in 帰化申請, 婚活 in 婚活イベント): what
        it names is no business of this knowledge, whatever its head. A word in hiragana is a resident's
        kana typing, which the tokenizer often cuts at odd places (じかんがいきんむ: かんがい, しんせい:
        しん|せい): it is unknown only when no entry's question or heading reads so either."""
        return any(not self.texts.writes(word) and not self.texts.reads(word) for word in phrase.words)
