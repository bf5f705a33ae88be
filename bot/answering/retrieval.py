"""Hybrid retrieval: BM25 on dictionary terms and reading bigrams, plus FAISS dense search,
fused with weights fitted on the dev set. Indexes load once per process and reload when
the knowledge version changes (an import or an admin edit)."""
from __future__ import annotations

import json
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answering.answer import Hit
from bot.answering.calibration import Calibration, load_calibration
from bot.answering.department_contacts import with_phones_from_entries
from bot.answering.entities import EntityCheck, EntryTexts, noun_phrases
from bot.answering.question_kinds import asked_kinds, fact_heading, holds_fact, names_fact
from bot.answering.ranker import ANSWER_CHARS_SHOWN, CANDIDATES, RankerModel, candidate_features, load_ranker
from bot.answering.scope import OWN_PLACE_MIN_ENTRIES, other_place, outside_moves
from bot.answering.story import asks, need_of, need_weighted, searched_need
from bot.insights.masking import PLACEHOLDER, mask_personal_data
from indexing.embeddings import MAX_QUERY_CHARS, get_embedder
from indexing.entries import Audience, visible_audiences
from indexing.japanese import JapaneseAnalyzer, katakana_to_hiragana
from indexing.language import JAPANESE, UNDETERMINED
from indexing.respelling import Respelling
from indexing.search_index import AudienceIndex, load_indexes
from indexing.storage.knowledge import KnowledgeStore

DENSE_CANDIDATES = 100
# How a knowledge writes a place outside its municipality, the most written first chosen.
OUTSIDE_WORDS = ("市外", "町外", "村外", "区外")
# Fusion weights and abstention model for questions not in Japanese (benchmarks/crosslang.py --fit).
CROSSLANG_CALIBRATION_FILE = Path(__file__).with_name("calibration_crosslang.json")


class Retriever:
    def __init__(self, data_dir: str | Path, embedder_spec: str = "", calibration: Calibration | None = None,
                 city_name: str = "", crosslang_calibration: Calibration | None = None,
                 ranker: RankerModel | None | bool = True):
        """``ranker``: the learned reranker (True: the one fitted for the embedder, if any;
        None or False: the fused order with the hand-set fact bonus)."""
        self.city_name = city_name
        self.store = KnowledgeStore(data_dir)
        self.embedder = get_embedder(embedder_spec)
        self.calibration = calibration or load_calibration(self.embedder.name)
        self.ranker = load_ranker(self.embedder.name) if ranker is True else (ranker or None)
        self.crosslang_calibration = crosslang_calibration or _crosslang_calibration(self.embedder.name,
                                                                                    self.calibration)
        self._lock = threading.Lock()
        self._version = -1
        self._indexes: dict[str, AudienceIndex] = {}
        self._spellings: dict[str, Respelling] = {}
        self.analyzer: JapaneseAnalyzer | None = None
        self.departments: list[dict] = []
        self._ensure_fresh()

    # --- loading --------------------------------------------------------------------------
    def _ensure_fresh(self):
        version = self.store.knowledge_version()
        if version == self._version:
            return
        with self._lock:
            if version == self._version:
                return
            version, indexes = load_indexes(self.store, self.embedder.name, self.embedder.dim)
            self._indexes = indexes
            # One vocabulary for every audience (the entries differ little; built once): a kana
            # word is spelled as the knowledge writes it whoever asks, the search stays per audience.
            spelling = Respelling.from_entries((e for index in indexes.values() for e in index.entries),
                                               similar=self._similarity)
            self._spellings = {audience: spelling for audience in indexes}
            synonyms = self.store.synonyms_text()
            if self.analyzer is None or synonyms != getattr(self, "_synonyms_text", None):
                # Building an analyzer loads the dictionary: only when the synonyms changed.
                self.analyzer = JapaneseAnalyzer(self.store.synonyms())
                self._synonyms_text = synonyms
            # One per audience: a citizen's question is judged against what citizens may see only.
            # Built here, with the indexes (off the request path when the server's knowledge follower
            # reloads), not by the first question after a reload: 50,000 entries take seconds.
            entry_texts = {audience: EntryTexts(self.analyzer.prepare, index.entries, term_known(self.analyzer, index))
                           for audience, index in indexes.items()}
            for texts in entry_texts.values():
                texts.warm()
            self.entry_texts = entry_texts
            # Phones a city's FAQ answers cite, for departments departments.toml does not reach: only
            # from what citizens may read (a staff entry's number may be an internal line).
            self.departments = with_phones_from_entries(self.store.departments(),
                                                        indexes["citizen"].entries if "citizen" in indexes else [])
            self._version = version

    @property
    def loaded_version(self) -> int:
        """The knowledge version the loaded indexes were built for."""
        return self._version

    def refresh(self):
        """Follow the stored knowledge version now (rebuilding from the database when it moved)."""
        self._ensure_fresh()

    def index(self, audience: str) -> AudienceIndex:
        visible_audiences(audience)  # validates
        self._ensure_fresh()
        return self._indexes[audience]

    def respelling(self, audience: str) -> Respelling:
        """How questions of ``audience`` are respelled in the knowledge's words (indexing/respelling.py)."""
        self.index(audience)
        return self._spellings[audience]

    # --- the language branch ------------------------------------------------------------------
    def calibration_for(self, language: str) -> Calibration:
        """Japanese (or undetermined) questions use the dev-set calibration; others the cross-language one.

        The lexical signals (BM25 on Japanese terms and readings) are ~0 for a question in another
        language, so a model fitted on Japanese questions would decline nearly all of them; the
        multilingual dense part is what finds their entry.
        """
        return self.calibration if language in (JAPANESE, UNDETERMINED, "") else self.crosslang_calibration

    def threshold_for(self, language: str) -> float:
        return self.calibration_for(language).threshold

    # --- search ---------------------------------------------------------------------------
    def query_text(self, query: str, audience: str) -> str:
        """The question as searched: personal data masked as the inquiry log stores it, then the
        placeholders (〔電話番号〕) and the clauses that only introduce the resident removed
        (strip_placeholders), words typed in kana or with a wrong kanji of the same sound respelled
        as the index writes them. A "name" that is only part of longer words the knowledge writes
        (けんし in ほけんしさん: 保健師さん) is no name (part_of_words); one that is a whole word
        (ゆうきさん, though the knowledge writes 有機) is masked."""
        self._ensure_fresh()
        spelling = self._spellings[audience]
        respelled, words = spelling.respelled(query)
        masked = mask_personal_data(query, spare=lambda span: span.kind == "name" and part_of_words(
            query, span.start, span.end, words))
        if masked == query and not PLACEHOLDER.search(query):
            return self._moves_as_outside(respelled, audience)  # nothing personal: respelled once
        return self._moves_as_outside(spelling.respell(strip_placeholders(masked)), audience)

    def _moves_as_outside(self, query: str, audience: str) -> str:
        """The question with another place someone moves from or to written as the knowledge writes a
        place outside the city (東京に引っ越します: 市外に引っ越します; see outside_moves). Before, a
        moving-out question naming its destination was declined (東京 is a thing no entry names). A
        place the knowledge writes OWN_PLACE_MIN_ENTRIES times or more is this city's own."""
        texts = self.entry_texts[audience]
        outside = max(OUTSIDE_WORDS, key=texts.count) if any(map(texts.count, OUTSIDE_WORDS)) else OUTSIDE_WORDS[0]
        return outside_moves(query, lambda place: place in self.own_places or place.rstrip("市区町村都道府県")
                             in self.own_places or texts.count(katakana_to_hiragana(place)) >= OWN_PLACE_MIN_ENTRIES,
                             outside)

    def _similarity(self, first: str, second: str) -> float:
        """The embedder's cosine of two short texts (read as queries)."""
        vectors = self.embedder.embed_queries([first, second])
        return float(np.dot(vectors[0], vectors[1]))

    def _query_vector(self, text: str) -> np.ndarray:
        cache = self.__dict__.setdefault("_vectors", OrderedDict())
        vector = cache.get(text)
        if vector is None:
            vector = cache[text] = self.embedder.embed_queries([text])[0]
            while len(cache) > QUERY_VECTOR_CACHE:
                cache.popitem(last=False)
        return vector

    def rank(self, query: str, audience: str, top: int = 10, language: str = "ja") -> "Ranking":
        """Ranked hits plus the signals the abstention model reads, and a reason to decline
        whatever the scores say (another city named; a staff topic asked by a citizen)."""
        index = self.index(audience)
        if not index.entries or not query.strip():
            return Ranking(hits=[], signals={}, audience=audience, language=language)
        typed, query = query, self.query_text(query, audience)
        analysis = self.analyzer.analyze(query)
        query_vector = self._query_vector(query)
        c = self.calibration_for(language)
        dense, terms, grams = self.scores(index, query, analysis, query_vector)
        entity_check = self.entity_check(query, audience)
        # The ranker was fitted on Japanese questions; one in another language keeps the fused order.
        fused, order = self.order(index, query, analysis, dense, terms, grams, audience, c, top,
                                  ranker=self.ranker if language in (JAPANESE, UNDETERMINED, "") else None)
        lexical = (c.terms_weight * terms + c.grams_weight * grams) / max(c.terms_weight + c.grams_weight, 1e-9)
        # A hit's score is the fused score its rank holds (the highest for the first ...): scores read
        # best first as before, also where the ranker put an entry of a lower fused score first.
        shown = np.sort(fused[order])[::-1]
        hits = [Hit(index.entries[i], float(score), float(dense[i]), float(lexical[i]))
                for i, score in zip(order, shown) if fused[i] > 0]
        if not hits:
            return Ranking(hits=[], signals={}, audience=audience, language=language)
        # The abstention model reads the fused ranking (its best entry and margin), fitted so
        # (benchmarks/calibrate.py): whether a question is in scope does not depend on which of the
        # leading candidates the ranker shows, and on the tuned sets this declines more out-of-scope
        # questions than signals of the ranker's first (5-fold CV 90.6% against 89.8%).
        weights = (c.dense_weight, c.terms_weight, c.grams_weight)
        judged = self.judged_analysis(query, analysis)
        # The ranker's score of an entry reads the whole question, as the ranker does when it orders.
        judge = ranker_judge(index, query, analysis, dense, terms, grams, audience, c,
                             self.ranker if language in (JAPANESE, UNDETERMINED, "") else None)
        signals = ranking_signals(index, judged, fused, dense, terms, grams, weights, entity_check, judge=judge,
                                  query=query)
        # Where the ranker shows another entry first, the same features of the entry shown: the
        # confidence describes the answer given (see confidence()).
        shown_signals = None
        if int(order[0]) != int(top_positions(fused, 1)[0]):
            shown_signals = ranking_signals(index, judged, fused, dense, terms, grams, weights, entity_check,
                                            first=int(order[0]), judge=judge, query=query)
        # Another city is named in the city's own script (横浜市) whatever the question's language.
        # An unnamed one (隣の市の…) only for a resident: staff compare with other cities' practice.
        texts = self.entry_texts[audience]
        place = other_place(query, self.own_places, index.terms.document_frequency, texts.count,
                            unnamed=audience == Audience.CITIZEN, known_word=texts.writes,
                            prefectures=texts.prefectures(), typed=typed)
        if place:
            return Ranking(hits=hits, signals=signals, audience=audience, decline="other_city", detail=place,
                           language=language)
        if audience == "citizen":
            # The citizen side's plain fused best (plans damped as citizens see them), no fact bonus: see _staff_topic.
            citizen_best = float(damp_plans(index, c.fuse(dense, terms, grams), audience, c).max())
            department = self._staff_topic(query, analysis, query_vector, citizen_best, c)
            if department is not None:
                return Ranking(hits=hits, signals=signals, audience=audience, decline="staff_topic",
                               detail=department, language=language)
        # A thing no entry names that is a known thing with one more word inside it (児童扶養手当 where the knowledge
        # knows 児童手当): the look-alike's entry answers another benefit, however close it scores.
        variant = entity_check.variant
        if variant:
            return Ranking(hits=hits, signals=signals, audience=audience, decline="look_alike", detail=variant[0],
                           look_alike=variant[1], language=language, referral=entity_check.national_office)
        return Ranking(hits=hits, signals=signals, audience=audience, language=language,
                       shown_signals=shown_signals, referral=entity_check.national_office)

    def scores(self, index: AudienceIndex, query: str, analysis, query_vector: np.ndarray):
        """(dense, terms, grams) for every entry of ``index``; ``query`` as returned by query_text."""
        dense, terms, grams = entry_scores(index, analysis, query_vector)
        need = searched_need(query) if self.calibration.story_need else ""
        if need:
            # A story's need, embedded on its own, is compared too; an entry keeps its better cosine.
            dense = np.maximum(dense, index.dense_scores(self._query_vector(need), DENSE_CANDIDATES))
            # Its lexical scores lean towards the need's words (see bot/answering/story.py).
            need_analysis = self.analyzer.analyze(need)
            terms = need_weighted(terms, index.terms.scores(list(need_analysis.terms)))
            grams = need_weighted(grams, index.grams.scores(list(need_analysis.reading_grams)))
        return dense, terms, grams

    @staticmethod
    def order(index: AudienceIndex, query: str, analysis, dense, terms, grams, audience: str, c: Calibration,
              top: int = 10, ranker: RankerModel | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores of every entry, the ``top`` positions best first). The scores are the fused ones
        with the hand-set rerank (a fact bonus among near-equal candidates); the abstention signals
        read them. Without a ranker they give the order; with one, the leading fused candidates are
        ordered by it and any further positions follow by fused score."""
        fused = c.fuse(dense, terms, grams)
        scores = rerank(index, fused, query, audience, c)
        if ranker is None or not len(dense):
            return scores, top_positions(scores, top)
        damped, candidates, features = ranker_inputs(index, query, analysis, dense, terms, grams, audience, c,
                                                     ranker.candidates)
        order = candidates[np.argsort(-ranker.score(features), kind="stable")]
        if top > len(order):
            rest = top_positions(damped, top)
            order = np.concatenate([order, rest[~np.isin(rest, candidates)]])
        return scores, order[:top]

    def judged_analysis(self, query: str, analysis):
        """The analysis the abstention signals read (term coverage, unknown terms, missing nouns):
        a long story's asking sentence, else ``analysis`` itself (see bot/answering/story.py)."""
        need = self.need(query)
        return self.analyzer.analyze(need) if need else analysis

    def need(self, query: str) -> str:
        """A long story's asking sentence ('' for other questions, or with story handling off)."""
        return need_of(query) if self.calibration.story_need else ""

    def entity_check(self, query: str, audience: str):
        """An EntityCheck: called with an entry, 1.0 when the question names a specific thing that
        entry lacks; ``.unknown``, 1.0 when no entry ``audience`` may see names it. A long story is
        judged by its asking sentence."""
        self._ensure_fresh()
        prepared = self.analyzer.prepare(self.need(query) or query)
        # Another body's matter counts for a resident's question only: staff ask about 残業代 or
        # 所得税 (year-end adjustment) as their own employer's rules.
        return EntityCheck(noun_phrases(prepared), self.entry_texts[audience],
                           prepared if audience == Audience.CITIZEN else "")

    def _staff_topic(self, query: str, analysis, query_vector, citizen_best: float, c: Calibration) -> str | None:
        """The department of the staff-only entry that matches a citizen's question much better
        than anything citizens may see, or None. Nothing of that entry is shown. ``c`` is the
        calibration of the question's language (its fusion made ``citizen_best``); a story's staff
        scores are made as its citizen ones (Retriever.scores), so the two compare. Both sides are plain
        fused scores, without the fact bonus of rerank: whether a question is a staff topic is not about
        which entry holds the kind of fact asked. Compared with the citizen hits' reranked scores,
        「テレワークの申請方法を教えて」 did not reach the margin (the citizen look-alike's bonus for a way of
        doing, 申請方法, ate it); with the bonus on both sides, a staff guide whose heading names the fact
        gained up to twice the bonus, more than the margin, and reached it from below."""
        staff = self.index("staff")
        if not staff.entries:
            return None
        dense, terms, grams = self.scores(staff, query, analysis, query_vector)
        fused = c.fuse(dense, terms, grams)
        if not staff.staff_only.any():
            return None
        fused = np.where(staff.staff_only, fused, 0.0)
        best = int(np.argmax(fused))
        if fused[best] - citizen_best < c.staff_topic_margin:
            return None
        return staff.entries[best].department

    def search(self, query: str, audience: str, top: int = 10, language: str = "ja") -> list[Hit]:
        return self.rank(query, audience, top, language).hits

    def confidence(self, ranking: "Ranking") -> float:
        """Calibrated probability that the best hit answers the question (0 for a forced decline;
        a plan passage is shown to citizens only at high confidence: plans are internal)."""
        if not ranking.hits or ranking.decline:
            return 0.0
        c = self.calibration_for(ranking.language)
        # Where the ranker shows another entry than the fused best, the confidence is that of the entry
        # shown. The lower of the two, as before, declined answerable questions whose fused best was a
        # poor look-alike the ranker had rightly passed over (stories most); on the tuned sets
        # (benchmarks/calibrate.py, 5-fold CV) the entry shown alone declines more out-of-scope
        # questions at 3% / 8% answerable declined (80.5% / 89.7% against 76.4% / 88.3%).
        confidence = c.confidence(ranking.shown_signals or ranking.signals)
        best = ranking.hits[0].entry
        if best.kind == "plan" and ranking.audience == "citizen" and confidence < c.plan_threshold:
            return 0.0
        return confidence

    @property
    def own_places(self) -> set[str]:
        return {self.city_name} if self.city_name else set()


QUERY_VECTOR_CACHE = 512


# A clause around masked personal data that only says who the resident is (「〔氏名〕です。」,
# 「電話番号は〔電話番号〕です。」, 「〔生年月日〕生まれの〔氏名〕です。」) has at most this many characters left.
SELF_INTRODUCTION_CHARS = 12
_CLAUSE = re.compile(r"[^、。,，.！!？?\n]*[、。,，.！!？?\n]*")
_WORD_CHARS = re.compile(r"[^\W_]")


def term_known(analyzer, index: AudienceIndex):
    """Whether the knowledge ``index`` holds writes a word: each of its index terms is in some entry
    (a lookup; a scan of the knowledge's text took milliseconds per word at 50,000 entries)."""
    return lambda word: all(index.terms.document_frequency(term) for term in analyzer.terms(word))


def part_of_words(text: str, start: int, end: int, words: list[tuple[int, int]]) -> bool:
    """Whether ``text[start:end]`` lies within the (begin, end) ``words`` (blanks between them aside)
    without being one of them whole: the tail of ほけんし, or りょう けい across しようりょう and けいさん."""
    if (start, end) in words:
        return False
    inside = [False] * (end - start)
    for begin, stop in words:
        for k in range(max(begin, start), min(stop, end)):
            inside[k - start] = True
    return all(inside[k] or text[start + k].isspace() for k in range(end - start))


def strip_placeholders(text: str) -> str:
    """Masked personal data (〔電話番号〕, 〔氏名〕 ...) says nothing about the question, nor does a short
    clause that only introduces the resident with it: 「〔氏名〕です。電話番号は〔電話番号〕です。住民票を取りたい」
    is searched as 「住民票を取りたい」. A clause that asks (「〔住所〕の粗大ごみの収集日は？」) is kept."""
    if not PLACEHOLDER.search(text):
        return text
    kept, dropped = [], False
    for clause in _CLAUSE.findall(text):
        if PLACEHOLDER.search(clause) and not asks(clause):
            rest = _WORD_CHARS.findall(PLACEHOLDER.sub("", clause))
            if len(rest) <= SELF_INTRODUCTION_CHARS:
                dropped = True
                continue
        kept.append(clause)
    remainder = "".join(kept)
    if not dropped or len(_WORD_CHARS.findall(PLACEHOLDER.sub("", remainder))) < 2:
        remainder = text  # nothing else says what is asked: keep it all
    return PLACEHOLDER.sub(" ", remainder)


def rerank(index: AudienceIndex, fused: np.ndarray, query: str, audience: str, c: Calibration) -> np.ndarray:
    """Adjust fused scores of the leading candidates with features of the question and the entry:
    the entry that holds the kind of fact asked (いつまで → a deadline) is preferred among near-equal
    candidates, a guide or plan section whose heading names that kind once more; plan passages are
    damped for citizens (they are internal plans)."""
    fused = damp_plans(index, fused, audience, c)
    kinds = asked_kinds(query)
    if kinds and c.fact_bonus and len(fused):
        best = float(fused.max())
        for i in np.flatnonzero(fused >= best * (1 - c.fact_window)):
            entry = index.entries[int(i)]
            fused[i] += c.fact_bonus * (holds_fact(kinds, entry.body[:ANSWER_CHARS_SHOWN])
                                        + names_fact(kinds, fact_heading(entry)))
    return fused


def ranker_inputs(index: AudienceIndex, query: str, analysis, dense, terms, grams, audience: str, c: Calibration,
                  count: int = CANDIDATES):
    """(fused scores, the ``count`` leading candidates best first, their ranker features)."""
    fused = c.fuse(dense, terms, grams)
    fused = damp_plans(index, fused, audience, c)
    candidates = top_positions(fused, count)
    features = candidate_features(index, candidates, query, analysis, fused, dense, terms, grams,
                                  lambda positions: missing_nouns(index, analysis, positions))
    return fused, candidates, features


def ranker_judge(index: AudienceIndex, query: str, analysis, dense, terms, grams, audience: str, c: Calibration,
                 ranker: RankerModel | None):
    """The learned ranker's score of one entry (by position) for this question, relative to the
    ranker's typical first score (RankerModel.center), a feature of the abstention model; None
    without a ranker. Only the entries the signals describe are scored, each alone: what sets it
    apart from other candidates (the ranker's local_terms) reads 0, as in the fit of the model."""
    if ranker is None:
        return None

    def judge(position: int) -> float:
        # Only the entry's own fused score is read: computed for it alone (as damp_plans would damp it),
        # not for every entry (a pass over 50,000 entries per question).
        fused = np.zeros(len(dense))
        fused[position] = c.fuse(dense[position], terms[position], grams[position])
        if audience == "citizen" and index.plans[position]:
            fused[position] *= c.citizen_plan_factor
        features = candidate_features(index, np.array([position]), query, analysis, fused, dense, terms, grams,
                                      lambda positions: missing_nouns(index, analysis, positions))
        return float(ranker.score(features)[0]) - ranker.center
    return judge


def damp_plans(index: AudienceIndex, fused: np.ndarray, audience: str, c: Calibration) -> np.ndarray:
    """A copy of ``fused`` with plan passages damped for citizens (plans are internal)."""
    fused = fused.copy()
    if audience == "citizen" and c.citizen_plan_factor != 1.0:
        fused[index.plans] *= c.citizen_plan_factor
    return fused


def _crosslang_calibration(embedder_name: str, fallback: Calibration) -> Calibration:
    """The cross-language block fitted for this embedder, else the Japanese one."""
    if CROSSLANG_CALIBRATION_FILE.exists():
        block = json.loads(CROSSLANG_CALIBRATION_FILE.read_text(encoding="utf-8")).get(embedder_name)
        if block:
            return Calibration(**block)
    return fallback


@dataclass(frozen=True)
class Ranking:
    hits: list[Hit]
    signals: dict
    audience: str = ""
    # Why the bot must decline whatever the scores say: "other_city", "staff_topic" or "look_alike" ('' = none),
    # and the other city's name, the department to refer the citizen to or the thing no entry names.
    decline: str = ""
    detail: str = ""
    # With "look_alike": the thing the knowledge knows that the one asked about looks like (児童手当 for 児童扶養手当).
    look_alike: str = ""
    language: str = JAPANESE
    # The abstention features of the first hit when the ranker put another entry than the fused
    # best first (None when they are the same entry).
    shown_signals: dict | None = None
    # The public office or private business whose matter a resident's question names, which no entry is
    # about (bot/answering/national.py): named if the bot declines ('' = none).
    referral: str = ""


def top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first, equal scores in position order: the first
    ``k`` of a stable argsort, by a partial sort (50,000 entries cost a fraction of a full argsort)."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    if k == 1:
        return np.array([np.argmax(scores)])  # the first of the highest
    # The k-th highest score; every position above it, then as many at it as fit, each in position
    # order (a stable sort then keeps that order among equal scores, whichever the partition met first).
    # Partitioning the negated scores at k is ~4 times faster than the scores at n - k: most are 0.
    kth = -np.partition(-scores, k - 1)[k - 1]
    above = np.flatnonzero(scores > kth)
    part = np.concatenate([above, np.flatnonzero(scores == kth)[:k - len(above)]])
    return part[np.argsort(-scores[part], kind="stable")]


def entry_scores(index: AudienceIndex, analysis, query_vector: np.ndarray):
    """(dense cosine, scaled BM25 on terms, scaled BM25 on reading bigrams) for every entry."""
    terms = index.terms.scores(list(analysis.terms))
    grams = index.grams.scores(list(analysis.reading_grams))
    dense = index.dense_scores(query_vector, DENSE_CANDIDATES)
    return dense, terms, grams


def ranking_signals(index: AudienceIndex, analysis, fused, dense, terms, grams, weights, entity_check=None,
                    first: int | None = None, judge=None, *, query: str) -> dict:
    """Features of a ranking that tell a real match from a near miss (see bot/calibration.py);
    ``entity_check(entry)`` is Retriever.entity_check's function for the question, ``judge(position)``
    the learned ranker's score of an entry (ranker_judge; ``ranker`` is 0.0 without one), ``query`` the
    question as searched (its length: question_length). The features
    describe the best fused entry, or the entry at position ``first`` (its margin is then over the
    best other entry, negative when that one has the higher fused score).

    ``focus_heading`` reads the entry's heading apart: a near miss is often an entry whose answer
    mentions the thing asked in passing (運転免許証 among the documents a 転入届 needs) while it is
    about another."""
    order = top_positions(fused, 2)
    if first is None:
        best = int(order[0])
        second = int(order[1]) if len(order) > 1 else best
    else:
        best = first
        second = int(next((i for i in order if int(i) != first), first))
    nearest = top_positions(dense, 10)
    dense_sorted = dense[nearest]
    lexical_weight = weights[1] + weights[2]
    entry = index.entries[best]
    return {
        "fused": float(fused[best]),
        "dense": float(dense[best]),
        "lexical": float((weights[1] * terms[best] + weights[2] * grams[best]) / max(lexical_weight, 1e-9)),
        "margin": float(fused[best] - fused[second]),
        "coverage": index.terms.coverage(list(analysis.terms), best),
        "unknown": index.terms.unknown_share(list(analysis.terms)),
        "dense_gap": float(dense[best] - dense_sorted.mean()) if len(dense_sorted) else 0.0,
        "missing": missing_noun(index, analysis, best),
        "entity": entity_check(index.entries[best]) if entity_check else 0.0,
        "entity_unknown": float(getattr(entity_check, "unknown", 0.0)),
        "phrases": entity_check.coverage(entry) if hasattr(entity_check, "coverage") else 1.0,
        # The IDF-weighted share of the question's terms in the entry's answer field (its body).
        "answer_coverage": (float(index.answers.coverages(list(analysis.terms), np.array([best]))[0])
                            if index.answers is not None else 0.0),
        "focus_heading": entity_check.focus_heading(entry) if hasattr(entity_check, "focus_heading") else 0.0,
        "ranker": judge(best) if judge else 0.0,
        "national": float(getattr(entity_check, "national", 0.0)),
        # The same share in its question field (a FAQ's question, a section's heading). Its weight is
        # negative beside the dense score: a near miss shares the heading's words (児童扶養手当 against
        # 児童手当の申請), so a cosine that comes from shared words says less than one that does not
        # (calibrate 5-fold CV: 87.4% of out-of-scope declined at 5% answerable declined, from 86.2%).
        "heading_coverage": (float(index.questions.coverages(list(analysis.terms), np.array([best]))[0])
                             if index.questions is not None else 0.0),
        "topic_cluster": topic_cluster(index, dense, nearest),
        "length": question_length(query),
    }


# question_length reads this many characters as 1.0.
LENGTH_UNIT = 100


def question_length(query: str) -> float:
    """The question's length as searched (masked, respelled) as the abstention model reads it:
    log(characters) / log(LENGTH_UNIT), so 10 characters read 0.5 and 100 read 1.0, counted up to the
    MAX_QUERY_CHARS the embedder reads (1.20: the tuned questions are at most 147 characters long, and a
    longer pasted text must not gain beyond what the fit saw).

    The best cosine of a question depends on its length, in scope or not: a few words come close to many
    entries, and a long story shares its words with no entry as closely as a short question does with its
    FAQ twin. So the cosine that tells in scope from out of scope depends on it too. Calibrate 5-fold CV
    over the tuned sets (2026-11-29), out-of-scope declined at 5% answerable declined: 89.5% without the
    feature, 90.2% with it. Variants: a flag for stories 89.8%; the characters themselves (linear, capped
    at 200) 90.3%, as good, but they weigh 5 characters against 15 no more than 105 against 115, where
    the logarithm weighs the first most; counted only from 20, 40 or 60 characters up, 90.2%, 89.8% and
    89.5%: the short questions matter."""
    return math.log(min(max(len(query.strip()), 1), MAX_QUERY_CHARS)) / math.log(LENGTH_UNIT)


# How many of the dense runners-up topic_cluster reads.
CLUSTER_NEIGHBOURS = 5
# topic_cluster where it cannot be read (a knowledge without categories or departments, an entry without
# one, equal cosines): its mean over the tuned questions it was fitted on (0.55 answerable, 0.28 out of
# scope), so that such a knowledge is judged at the level of the others. Read as 0 instead, a
# knowledge without categories declined 1.4-2.5 points more answerable questions (held-out cities).
CLUSTER_UNKNOWN = 0.44


def topic_cluster(index: AudienceIndex, dense: np.ndarray, nearest: np.ndarray) -> float:
    """How much more often than chance the entries nearest the question (by cosine) share the
    nearest one's category: the share of the next CLUSTER_NEIGHBOURS that do, less that category's
    share of the knowledge. A question in scope lands among the siblings of one topic (粗大ごみの申込,
    料金, 出し方); one the knowledge does not cover lands among unrelated entries that each share a
    word or two with it. Relative to chance, so a knowledge of few broad categories (or of one) does
    not read as clustered. The topic is an entry's category, else its department (AudienceIndex.topics).
    ``nearest``: the positions of the highest cosines, best first. Only entries the dense search found
    count (a cosine of 0 is no neighbour); where nothing can be read, CLUSTER_UNKNOWN. Calibrate 5-fold CV
    over the tuned sets (round 2, twelfth stop): 86.2% of out-of-scope declined at 5% answerable declined
    (85.8% without), 80.7% at 3% (79.1%)."""
    topics = index.topics
    found = [int(i) for i in nearest[:CLUSTER_NEIGHBOURS + 1] if dense[int(i)] > 0]
    topic = topics[found[0]] if topics is not None and found else ""
    if len(found) < 2 or not topic or dense[found[0]] == dense[found[-1]]:
        return CLUSTER_UNKNOWN  # (equal cosines: no entry is nearer than another)
    shared = sum(topics[i] == topic for i in found[1:]) / (len(found) - 1)
    # Fewer neighbours found than read say less: the excess shrinks towards 0 with their number.
    return float((shared - index.topic_shares.get(topic, 0.0)) * (len(found) - 1) / CLUSTER_NEIGHBOURS)


def missing_noun(index: AudienceIndex, analysis, document: int) -> float:
    """How salient the most salient noun of the question is that the entry lacks (0..1): IDF over the
    highest IDF possible, 1.0 for a noun the index has never seen (パスポート against a card entry)."""
    return float(missing_nouns(index, analysis, np.array([document]))[0])


def missing_nouns(index: AudienceIndex, analysis, documents: np.ndarray) -> np.ndarray:
    """``missing_noun`` of each of ``documents`` at once (one pass over each noun's postings)."""
    terms = index.terms
    worst = np.zeros(len(documents))
    if not terms.size:
        return worst
    ceiling = float(np.log(1 + (terms.size + 0.5) / 0.5))
    for noun in set(analysis.nouns):
        idf = terms.idf.get(noun)
        if idf is None:
            worst[:] = 1.0
            break
        lacking = ~terms.contains_each(noun, documents)
        worst = np.where(lacking, np.maximum(worst, idf / ceiling), worst)
    return worst
