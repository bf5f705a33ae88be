"""Long stories: a resident tells a situation, then asks.

「先月から一人暮らしを始めた大学生です。実家は県外で……。住所を移す届けって、何日以内に出せばいいんですか？」
The narrative names things the question is not about (実家, 県外, アパート), and they pull the
whole text's BM25 and embedding towards entries about them. The asking sentence (the *need*)
says what is wanted. Retrieval reads both (bot/answering/retrieval.py, Retriever.scores): the dense
part keeps, per entry, the better cosine of the whole text and of the need; the lexical part is a
blend of the whole text's BM25 and the need's. A need that names little (「料金も知りたいです」) is
searched with the sentences before it (searched_need). The abstention signals that read the question's words
(term coverage, unknown terms, the most salient noun lacking; Retriever.judged_analysis) and the
named-thing check (Retriever.entity_check) judge the need: a narrative's 実家 or アパート is not
something the answer must hold.

The rules here are about how Japanese questions are written (sentence ends, question markers),
not about any knowledge base.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from indexing.japanese import sudachi_dictionary

# A question shorter than this is not a story (one or two short sentences say what they ask).
STORY_CHARS = 60
# A need longer than this share of the question is most of it: nothing to separate.
NEED_SHARE = 0.7
# The share of the lexical scores (BM25 of terms and of reading bigrams) that the need's own
# BM25 takes in a story; the rest is the whole text's. Chosen on the tuned story questions
# (benchmarks/devset.jsonl and styles_dev.jsonl, style "story", after a ranker refit): 0.3 and 0.5
# rank them alike (Hit@1 .688 devset, .667 styles_dev against .625 / .556 with the whole text
# alone), the need alone (1) worse; the smaller share is kept.
NEED_LEXICAL_WEIGHT = 0.3
# A need searched alone has nouns of at least this many letters (see searched_need). Chosen on the tuned
# story questions: 4 ranked 森野市's stories .600 → .800, 北浜市's .933 → .967 and styles_dev's .642 → .660;
# a count of kanji and katakana letters instead (3, 4 or 5) gave less. The abstention signals still judge
# the asking sentence alone (need_of): judged on the longer need, answerable stories were declined more.
SEARCHED_NEED_LETTERS = 4

# After a run of sentence ends (「か！？」 ends one sentence, not two).
_SENTENCE_END = re.compile(r"(?<=[。．！？!?\n])(?![。．！？!?\n])")
# A sentence says something only with a letter, kana or kanji in it (not 「？」 or an emoji alone).
_WORDY = re.compile(r"[^\W\d_]")
# A letter of a word that names something (kanji, katakana, Latin) ...
_NAMING = re.compile(r"[\u3400-\u9fffァ-ヺA-Za-z]")
# ... once the words every question asks with are left out: 「どうしたらいいでしょうか。」 and
# 「まず何をすればいいですか？」 name nothing; the sentence before them says what they are about.
_ASKING_WORDS = re.compile(r"何(?:[日年月時分回円歳才件枚人点個台階番]|週間|か月|ヶ月|カ月)?|誰|良|必要|方法|手続き?|大丈夫|問題")
# Nouns that name no thing: form words (こと, もの, ところ …).
FORM_WORDS = frozenset({"こと", "もの", "ところ", "とき", "ほう", "ため", "よう", "わけ", "はず", "うち", "まま", "ころ",
                        "ごろ", "ふう", "あと", "まえ", "ほか"})
# A sentence longer than this is counted as naming nothing by noun_letters.
LONGEST_SENTENCE = 2000
_ASKING = re.compile(r"[?？]|か[。．]?$|たい|教えて|ください|下さい|どう|いつ|どこ|なに|何|いくら|誰|だれ|ますか|でしょうか|の[?？。]?$")


def asks(text: str) -> bool:
    """Whether a sentence or clause asks something (a question marker, たい, 教えて, ください …)."""
    return bool(_ASKING.search(text.strip()))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split after 。！？ and line breaks), stripped, each with a word in it."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if _WORDY.search(s)]


def asking_sentences(question: str) -> list[str]:
    """The sentences of ``question`` that ask something (all of it when none does): a story's
    narrative left out, its polite closing (「お手数ですが教えてください。」) kept with the real question."""
    if len(question.strip()) < STORY_CHARS:
        return [question]  # 「議事録を作りました。どこですか？」 is one short question, not a story
    parts = sentences(question)
    return [s for s in parts if asks(s)] or parts or [question]


def need_of(question: str) -> str:
    """The sentence of a long story that asks the question (the last one with a question marker),
    with the sentences before it while it names nothing (「…と言われました。どうすればいいですか？」),
    or '' when the question is short or is that one sentence. What the abstention signals judge."""
    return _need(question, naming_letters, 1)


def searched_need(question: str) -> str:
    """The need as searched: need_of, with the sentences before it while its nouns are fewer than
    SEARCHED_NEED_LETTERS letters. 「料金も知りたいです」 or 「補助はありますか」 alone meet every fee or
    subsidy of the knowledge; the sentence before says which (体育館のトレーニング室, 柵を作る)."""
    return _need(question, noun_letters, SEARCHED_NEED_LETTERS)


@lru_cache(maxsize=2048)
def _need(question: str, letters, enough: int) -> str:
    """The asking sentence and the sentences before it until their ``letters`` reach ``enough``; ''
    when that is most of the question (nothing to separate). Each sentence is counted once."""
    text = question.strip()
    if len(text) < STORY_CHARS:
        return ""
    parts = sentences(text)
    if len(parts) < 2:
        return ""
    asking = [i for i, s in enumerate(parts) if asks(s)]
    last = (asking or range(len(parts)))[-1]
    first, length, total = last, len(parts[last]), letters(parts[last])
    limit = len(text) * NEED_SHARE
    while first > 0 and total < enough and length < limit:
        first -= 1  # 「…出すように言われました。どうすればよかったのでしょう。」
        length += len(parts[first])
        total += letters(parts[first])
    return "".join(parts[first:last + 1]) if length < limit else ""


def naming_letters(sentence: str) -> int:
    """The letters of a sentence that can name a thing (kanji, katakana, Latin), beyond the words every
    question asks with: 0 for 「どうすればいいですか」."""
    return len(_NAMING.findall(_ASKING_WORDS.sub("", sentence)))


def noun_letters(sentence: str) -> int:
    """The letters of a sentence's nouns, beyond the words every question asks with, form words
    (こと, もの, ところ) and numbers: 粗大ごみ 4, 料金 2, 補助 2."""
    from sudachipy import SplitMode

    if len(sentence) > LONGEST_SENTENCE:
        return 0  # no need is this long (and the tokenizer takes bounded input)
    letters = 0
    for m in sudachi_dictionary().tokenizer(mode=SplitMode.C).tokenize(sentence):
        surface, pos = m.surface(), m.part_of_speech()
        if pos[0] == "名詞" and pos[1] != "数詞" and surface not in FORM_WORDS and not _ASKING_WORDS.fullmatch(surface):
            letters += len(surface)
    return letters


def need_weighted(whole: np.ndarray, need: np.ndarray, weight: float = NEED_LEXICAL_WEIGHT) -> np.ndarray:
    """A story's lexical scores: the whole text's, with ``weight`` of them taken by the need's."""
    return (1.0 - weight) * whole + weight * need
