"""The part of a plan passage that answers the question.

A plan passage is a page or two of a PDF as extracted: table labels (柱2, 施策2-2, 担当課, 現 状, 目指す姿)
come first, the prose and the figures after. Quoting its opening answers 「RPAをいくつの業務に入れる目標？」
with the labels and the background, while the line that holds the answer (「[個別成果指標] RPA利用業務数:50業務」)
is further down. So a plan passage is quoted from the sentence that best matches the question: the
question's words it holds, each weighted by how rare it is among the passage's sentences (a word every
sentence repeats, such as the item's own name, tells none apart), and the kind of fact asked for
(bot/answering/question_kinds.py: a value first, 50業務 before 目標). A short label line right before that
sentence (「[個別成果指標]」, 「担当課」) is kept with it: it says what the value is; up to a third of the quote goes
to the text before it (the role a 「(想定される人材:CIO補佐官)」 line closes is written above it), the rest to the text
after. When no sentence holds anything of the question, the passage is quoted from its first sentence of prose,
past the labels.

>>> focused_excerpt("柱2\\n担当課\\n現 状\\n職員の増員は見込めない中で、業務を見直す必要がありますね。\\n"
...                 "[個別成果指標]\\nRPA利用業務数:50業務", "RPAを使う業務の数の目標は", 400)
'…\\n現 状\\n職員の増員は見込めない中で、業務を見直す必要がありますね。\\n[個別成果指標]\\nRPA利用業務数:50業務'

Guide sections are written to be answers and are not cut this way (bot/answering/composer.py).
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata

from bot.answering.question_kinds import PASSAGE_KINDS, QuestionKind, asked_passage_kinds, holds_fact, holds_value
from indexing.japanese import JapaneseAnalyzer

# A line this short without a sentence end is a table label or a cell heading (柱2, 担当課, (実現する内容)), unless it
# holds a figure (280万円, 1件以上: a cell's value); a numbered heading (4.目指す姿、現状及び課題) is one at any length.
LABEL_CHARS = 10
_FIGURE = re.compile(r"[0-9][0-9,.]*\s*(?:万|億)?(?:円|%|％|件|人|回|業務|以上|以下|未満|か所|箇所|団体|倍|割|年度?|月)")
_NUMBERED_HEADING = re.compile(r"^[0-9]+[.．][^0-9]")
# A line that is prose: a sentence end, or long enough to be one running over the page.
_SENTENCE_END = re.compile(r"[。．.!?！？]$")
PROSE_CHARS = 30
_SENTENCES = re.compile(r"[^。]+。?")
# A table's arrows or dots (➡ ➡ ➡, ● ● ●) hold no word.
_WORD = re.compile(r"\w")
# The kind of fact asked for, in a sentence, counts as much as this many rare words of the question; a kind asked
# only of plans (a target, a year, a department, a term's meaning) more: its sentence is the answer, the words
# only choose among such sentences.
KIND_WEIGHT = 1.5
PASSAGE_KIND_WEIGHT = 3.0
# Another part of the item is quoted instead of the ranked one only when its sentence answers better by this
# much: the ranking read the whole passage, the excerpt only sentences.
PART_MARGIN = 0.5
# Question words say what is asked, not which sentence: どんな is no match for 「どんな人でも」.
INTERROGATIVES = "いくつ いくら 何 なに なん どこ いつ だれ 誰 どの どれ どう どんな どのような どういう どなた どちら"
# A label matching the question says where its answer is, less than a sentence holding it does.
LABEL_WEIGHT = 0.5
# Up to this share of the quote goes to the text before the chosen sentence.
BEFORE_SHARE = 1 / 3
# Sentences of the passages answered recently: a passage is quoted again and again, its analysis is kept.
TERMS_CACHE = 8192


def _units(body: str) -> list[tuple[str, bool]]:
    """The passage's lines cut after each 。, each piece with whether it starts a line."""
    units = []
    for line in (line.strip() for line in body.splitlines()):
        sentences = [sentence.strip() for sentence in _SENTENCES.findall(line) if sentence.strip()]
        units.extend((sentence, i == 0) for i, sentence in enumerate(sentences))
    return units


def is_noise(unit: str) -> bool:
    return not _WORD.search(unit)


def is_label(unit: str) -> bool:
    if is_noise(unit) or _SENTENCE_END.search(unit):
        return False
    return bool(_NUMBERED_HEADING.match(unit)) or (len(unit) <= LABEL_CHARS and not _FIGURE.search(unit))


def _is_prose(unit: str) -> bool:
    return bool(_SENTENCE_END.search(unit)) or len(unit) >= PROSE_CHARS


@functools.lru_cache(maxsize=1)
def _plain_analyzer() -> JapaneseAnalyzer:
    return JapaneseAnalyzer()


@functools.lru_cache(maxsize=TERMS_CACHE)
def _terms(text: str, analyzer: JapaneseAnalyzer | None = None) -> frozenset[str]:
    """The words of ``text`` that can tell sentences apart: nouns, and other words of two characters or more
    (not a suffix such as the 毎 of 年ごと and 部署ごと). ``analyzer``: the retriever's, with the city's synonyms."""
    analysis = (analyzer or _plain_analyzer()).analyze(text)
    return frozenset(analysis.nouns) | {term for term in analysis.terms if len(term) >= 2}


def unit_scores(units: list[str], question: str, kinds: tuple[QuestionKind, ...] = (), heading: str = "",
                analyzer: JapaneseAnalyzer | None = None) -> list[float]:
    """How well each unit answers ``question``: the question's words it holds, each weighted by its rarity among
    the units, and the kind of fact asked for. The words of the passage's ``heading`` say which passage the question
    is about, not which of its sentences, and are not counted; nor are the words that ask for a kind of fact
    (担当課 of 「担当課は？」 is no match for the label 実施対象課: the department's name is the answer)."""
    folded = unicodedata.normalize("NFKC", question)
    asking = " ".join(match.group() for kind in kinds for match in kind.asks.finditer(folded))
    asked = _terms(question, analyzer) - _terms(heading, analyzer) - _terms(INTERROGATIVES, analyzer) \
        - (_terms(asking, analyzer) if asking else frozenset())
    held = [_terms(unit, analyzer) & asked for unit in units]
    ordinary = tuple(kind for kind in kinds if kind not in PASSAGE_KINDS)
    of_plans = tuple(kind for kind in kinds if kind in PASSAGE_KINDS)
    spread = {term: sum(1 for terms in held if term in terms) for term in asked}
    scores = []
    for unit, terms in zip(units, held):
        score = sum(math.log(1 + len(units) / spread[term]) for term in terms)
        score += KIND_WEIGHT * _kind_share(ordinary, unit) + PASSAGE_KIND_WEIGHT * _kind_share(of_plans, unit)
        scores.append(0.0 if is_noise(unit) else score * LABEL_WEIGHT if is_label(unit) else score)
    return scores


def _kind_share(kinds: tuple[QuestionKind, ...], unit: str) -> float:
    """1 when ``unit`` holds a value of an asked kind, half the share of the kinds it names otherwise."""
    if not kinds:
        return 0.0
    return 1.0 if holds_value(kinds, unit) else 0.5 * holds_fact(kinds, unit)


def focused_excerpt(body: str, question: str, limit: int, kinds: tuple[QuestionKind, ...] = (),
                    heading: str = "") -> str:
    """About ``limit`` characters of ``body`` around the sentence that best answers ``question`` (with the label
    line before it), in the passage's order; "…" marks text left out before and after. ``heading``: the
    passage's document title and section."""
    return focused_part([body], question, limit, kinds, heading)[1]


def focused_part(parts: list[str], question: str, limit: int, kinds: tuple[QuestionKind, ...] = (),
                 heading: str = "", analyzer: JapaneseAnalyzer | None = None) -> tuple[int, str]:
    """(index, excerpt): the part of one plan item (its pages, split into passages under one heading; the
    ranked best first) whose sentence best answers ``question``, and the excerpt around that sentence (see
    focused_excerpt). Words are weighed over the whole item; another part than the ranked best is chosen only
    when it answers clearly better (PART_MARGIN)."""
    units = [(part, text, starts_line) for part, body in enumerate(parts) for text, starts_line in _units(body)]
    if not units:
        return 0, ""
    texts = [text for _, text, _ in units]
    kinds = (*kinds, *asked_passage_kinds(question))
    scores = unit_scores(texts, question, kinds, heading, analyzer) if question else [0.0] * len(units)
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    own = [i for i, unit in enumerate(units) if unit[0] == 0]
    if own and units[best][0] != 0 and scores[best] < max(scores[i] for i in own) + PART_MARGIN:
        best = max(own, key=lambda i: (scores[i], -i))
    if scores[best] <= 0:
        best = next((i for i, (part, text, _) in enumerate(units) if part == 0 and _is_prose(text)), 0)
    part = units[best][0]
    first = next(i for i, unit in enumerate(units) if unit[0] == part)
    last = max(i for i, unit in enumerate(units) if unit[0] == part) + 1
    start, end = _window(texts, first, last, best, limit)
    shown = "".join(("\n" if starts_line and i > start else "") + (text if len(text) <= limit else text[:limit] + "…")
                    for i, (_, text, starts_line) in enumerate(units[start:end], start))
    return part, ("…\n" if start > first else "") + shown + ("…" if end < last and not shown.endswith("…") else "")


def _window(texts: list[str], first: int, last: int, best: int, limit: int) -> tuple[int, int]:
    """[start, end) of the units ``first``..``last`` to quote: the ``best`` one always (with the label before it),
    up to a share of ``limit`` of the text before it, then the text after it, then before it again with what is
    left; never opening on a table's arrows or on a run of labels, never closing on a label."""
    start = best - 1 if best > first and is_label(texts[best - 1]) else best
    end, used = best + 1, sum(len(text) for text in texts[start:best + 1])
    while start > first and used + len(texts[start - 1]) <= limit * BEFORE_SHARE:
        start, used = start - 1, used + len(texts[start - 1])
    while end < last and used + len(texts[end]) <= limit:
        end, used = end + 1, used + len(texts[end])
    while start > first and used + len(texts[start - 1]) <= limit:
        start, used = start - 1, used + len(texts[start - 1])
    # Only the last of a run of labels says what follows it (柱2 / 施策2-2 / 担当課 say nothing of it).
    while start < best and (is_noise(texts[start])
                            or (is_label(texts[start]) and not _says_what_follows(texts, start, best))):
        start += 1
    while end - 1 > best and (is_noise(texts[end - 1]) or is_label(texts[end - 1])):
        end -= 1
    return start, end


def _says_what_follows(texts: list[str], at: int, best: int) -> bool:
    """Whether the label at ``at`` is followed by what it labels: a unit that is neither a label nor noise."""
    return at + 1 <= best and not is_label(texts[at + 1]) and not is_noise(texts[at + 1])
