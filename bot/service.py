"""The one call every channel makes: ``Bot.ask(question, audience, channel, user_id)``."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from bot.answering import messages
from bot.answering.answer import NOT_QUESTION_KINDS, Answer, Hit
from bot.answering.composer import compose_answer, compose_person_request
from bot.answering.crisis import in_crisis
from bot.answering.retrieval import Retriever
from bot.answering.person_request import asks_for_person
from bot.answering.small_talk import says_nothing, small_talk_kind
from bot.insights.inquiry_log import InquiryLog
from bot.staff.staff_rules import answer_staff_rule_question, naming_rules_from_store
from indexing.entries import QUESTION_AUDIENCES, Audience
from indexing.language import resolve_language, use_municipality
from indexing.settings import Settings
from indexing.storage import use_settings

MAX_QUESTION_CHARS = 1000


class Bot:
    """Loads the indexes once; answers questions in milliseconds; logs every inquiry."""

    def __init__(self, data_dir: str | Path, embedder_spec: str = "", inquiry_log=None, easy_japanese: bool = False):
        self.data_dir = Path(data_dir)
        self.retriever = Retriever(data_dir, embedder_spec)
        self.inquiry_log = inquiry_log
        # MADOGUCHI_EASY_JAPANESE: fixed texts in やさしい日本語, entries marked as such preferred.
        self.easy_japanese = easy_japanese

    @classmethod
    def from_settings(cls, settings: Settings, log_inquiries: bool = True) -> "Bot":
        """The Bot of a data dir as configured; the server and the CLI build it the same way."""
        use_settings(settings)  # SQLite in the data dir, or the PostgreSQL database configured
        use_municipality(settings.city_name)  # a town's fixed texts say 役場, not 市役所
        inquiry_log = (InquiryLog(settings.data_dir, user_key_secret=settings.user_key_secret)
                       if log_inquiries else None)
        return cls(settings.data_dir, settings.embedder, inquiry_log=inquiry_log,
                   easy_japanese=settings.easy_japanese)

    @property
    def embedder(self):
        """The embedder the indexes were built with (the review queue groups questions with it)."""
        return self.retriever.embedder

    def topics(self, audience: Audience | str, limit: int = 6) -> list[str]:
        """The most common categories the knowledge base can answer for an audience, taken in turn from
        each kind of knowledge (a large FAQ of one field would otherwise fill the list: 保育, 妊娠・出産 …
        and never 届出・証明 or ごみ from the guides). A resident is not offered the plans (a long plan's
        many passages would make 計画 the first topic): they answer staff, and residents only when nothing
        else does."""
        audience = Audience.for_question(audience)
        by_kind: dict[str, Counter] = {}
        for entry in self.retriever.index(audience).entries:
            if entry.category and not (audience == Audience.CITIZEN and entry.kind == "plan"):
                by_kind.setdefault(entry.kind, Counter())[entry.category] += 1
        queues = [[name for name, _ in counts.most_common()]
                  for counts in sorted(by_kind.values(), key=lambda c: -sum(c.values()))]
        topics: list[str] = []
        for turn in range(max(map(len, queues), default=0)):
            for queue in queues:
                if turn < len(queue) and queue[turn] not in topics:
                    topics.append(queue[turn])
        return topics[:limit]

    def refresh(self) -> None:
        """Reload the indexes now if the knowledge changed (another process or host edited it),
        so that the next question does not wait for the rebuild."""
        self.retriever.refresh()

    def health(self) -> dict:
        """How many entries the bot can answer from, and the knowledge version it answers with."""
        ids = {e.id for audience in QUESTION_AUDIENCES for e in self.retriever.index(audience).entries}
        return {"entries": len(ids), "knowledge_version": self.retriever.store.knowledge_version()}

    def naming_rules(self):
        """Shared-folder rules, re-read when the knowledge version changes (an import)."""
        version = self.retriever.store.knowledge_version()
        if getattr(self, "_rules_version", None) != version:
            self._rules = naming_rules_from_store(self.retriever.store)
            self._rules_version = version
        return self._rules

    def search(self, query: str, audience: Audience | str = Audience.CITIZEN, top: int = 10) -> list[Hit]:
        return self.retriever.search(query, Audience.for_question(audience), top, language=self.language_of(query))

    @staticmethod
    def language_of(question: str, hint: str | None = None) -> str:
        """BCP-47 code of the question's language; ``hint`` (a user's known language) when the text is unclear."""
        return resolve_language(question, hint)

    def answer(self, question: str, audience: Audience | str = Audience.CITIZEN,
               language_hint: str | None = None) -> Answer:
        """Answer without logging (used by ask, tests and benchmarks)."""
        started = time.perf_counter()
        audience = Audience.for_question(audience)
        question = (question or "").strip()
        language = self.language_of(question, language_hint)
        if not question or says_nothing(question):
            empty = "EMPTY_QUESTION_STAFF" if audience == Audience.STAFF else "EMPTY_QUESTION"
            answer = Answer(question=question, text=messages.say(empty, language, self.easy_japanese),
                            abstained=True, confidence=0.0,
                            audience=audience, kind="empty")
        elif in_crisis(question):
            # Before anything else that reads words, a long message's length too: a life matters more.
            answer = Answer(question=question, text=messages.say("CRISIS", language, self.easy_japanese),
                            abstained=True, confidence=0.0, audience=audience, kind="crisis")
        elif len(question) > MAX_QUESTION_CHARS:
            answer = Answer(question=question, text=messages.say("TOO_LONG", language, self.easy_japanese,
                                                                 limit=MAX_QUESTION_CHARS),
                            abstained=True, confidence=0.0, audience=audience, kind="too_long")
        elif talk := small_talk_kind(question):
            staff = "_STAFF" if talk == "greeting" and audience is Audience.STAFF else ""
            answer = Answer(question=question, text=messages.say(f"SMALL_TALK_{talk.upper()}{staff}", language,
                                                                 self.easy_japanese),
                            abstained=True, confidence=0.0, audience=audience, kind="small_talk")
        elif asks_for_person(question):
            answer = compose_person_request(question, audience, self.retriever.departments, language,
                                            self.easy_japanese)
        elif audience is Audience.STAFF and (rule_answer := answer_staff_rule_question(question, self.naming_rules())):
            answer = rule_answer
        else:
            ranking = self.retriever.rank(question, audience, top=10, language=language)
            confidence = self.retriever.confidence(ranking)
            answer = compose_answer(question, ranking.hits, confidence, self.retriever.threshold_for(language), audience,
                                    self.retriever.departments, decline=ranking.decline, detail=ranking.detail,
                                    look_alike=ranking.look_alike,
                                    language=language, easy_japanese=self.easy_japanese, referral=ranking.referral,
                                    unknown_thing=ranking.signals.get("entity_unknown", 0.0) >= 1.0,
                                    analyzer=self.retriever.analyzer)
        if answer.kind in NOT_QUESTION_KINDS and messages.has_texts(language):
            answer = _replace(answer, answer_language=language)
        return _with_latency(_replace(answer, language=language), started)

    def ask(self, question: str, audience: Audience | str = Audience.CITIZEN, channel: str = "cli",
            user_id: str | None = None, log: bool = True, event_key: str | None = None,
            language_hint: str | None = None) -> Answer:
        """Answer and log the inquiry; with ``event_key`` (a platform event answered again after
        a crash) the event's first inquiry row is re-used, never logged twice."""
        answer = self.answer(question, audience, language_hint=language_hint)
        if log and self.inquiry_log is not None:
            inquiry_id = self.inquiry_log.record(answer, channel=channel, user_id=user_id, event_key=event_key)
            answer = _replace(answer, inquiry_id=inquiry_id)
        return answer


def _replace(answer: Answer, **changes) -> Answer:
    from dataclasses import replace
    return replace(answer, **changes)


def _with_latency(answer: Answer, started: float) -> Answer:
    return _replace(answer, latency_ms=(time.perf_counter() - started) * 1000)
