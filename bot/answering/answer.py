"""The core answering types every channel speaks: Hit, Source, Contact, Answer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bot.answering.messages import has_texts, say
from indexing.entries import Entry

# Answer kinds given to a message that asked nothing: no feedback buttons, not a knowledge gap.
NOT_QUESTION_KINDS = ("empty", "too_long", "small_talk", "person", "crisis")
# Answer kinds after which a citizen is offered the handoff to staff: a decline, and 「人と話したい」.
HANDOFF_KINDS = ("abstain", "person")
# Declines that are no gap in the knowledge: another municipality's business, a staff topic asked by a
# resident. Not offered as new FAQ entries (review queue, report); no handoff either (this city's staff
# cannot answer for another city, and a staff topic is not for residents).
ELSEWHERE_KINDS = ("other_city", "staff_topic")
# Answer kinds that are no gap in the knowledge to write an entry for.
NO_GAP_KINDS = NOT_QUESTION_KINDS + ELSEWHERE_KINDS


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    dense: float = 0.0
    lexical: float = 0.0

    def to_dict(self) -> dict:
        return {"id": self.entry.id, "score": round(float(self.score), 4), "kind": self.entry.kind,
                "title": self.entry.citation() if self.entry.kind != "faq" else self.entry.title}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str = ""
    section: str = ""
    kind: str = ""
    score: float = 0.0
    page: int | None = None

    @classmethod
    def from_hit(cls, hit: Hit) -> "Source":
        e = hit.entry
        return cls(id=e.id, title=e.title, url=e.url, section=e.section, kind=e.kind,
                   score=round(float(hit.score), 4), page=e.page)

    def label(self, language: str = "ja") -> str:
        """'「那覇市DX推進計画」 No.15 ...' or 'よくある質問「母子手帳を...」' for display; the fixed words in
        ``language`` (titles stay as the city wrote them)."""
        if self.kind == "faq":
            return say("FAQ_SOURCE", language, title=self.title)
        parts = [f"「{self.title}」", self.section]
        if self.page:
            parts.append(say("PAGE_NUMBER", language, page=self.page))
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Contact:
    department: str
    phone: str = ""
    hours: str = ""
    email: str = ""
    url: str = ""

    def text(self, language: str = "ja") -> str:
        """One line: the department, then phone, hours and e-mail (names and hours as the city wrote them)."""
        phone, email = (self.phone and f"{say('PHONE', language)} {self.phone}",
                        self.email and f"{say('EMAIL', language)} {self.email}")
        if has_texts(language):
            details = ", ".join(p for p in (phone, self.hours, email) if p)
            return self.department + (f" ({details})" if details else "")
        details = "、".join(p for p in (phone, self.hours, email) if p)
        return f"{self.department}" + (f"（{details}）" if details else "")


@dataclass(frozen=True)
class Related:
    id: str
    question: str


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question, rendered by every channel the same way."""

    question: str
    text: str
    abstained: bool
    confidence: float
    audience: str
    sources: tuple[Source, ...] = ()
    related: tuple[Related, ...] = ()
    contact: Contact | None = None
    category: str = ""
    department: str = ""
    kind: str = "answer"  # answer | abstain | name_check | folder | empty | too_long | small_talk | person
    latency_ms: float = 0.0
    inquiry_id: int | None = None
    extra: dict = field(default_factory=dict)
    # BCP-47 code of the question's language (indexing.language); 'und' when it could not be told.
    language: str = "ja"
    # Language of ``text`` itself: the question's where the city has a translation, else 'ja'.
    answer_language: str = "ja"

    def to_dict(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(float(self.confidence), 4),
            "sources": [{"id": s.id, "title": s.title, "url": s.url, "section": s.section, "kind": s.kind,
                         "page": s.page} for s in self.sources],
            "related": [asdict(r) for r in self.related],
            "contact": asdict(self.contact) if self.contact else None,
            "category": self.category,
            "department": self.department,
            "kind": self.kind,
            "audience": self.audience,
            "latency_ms": round(float(self.latency_ms), 1),
            "inquiry_id": self.inquiry_id,
            "language": self.language,
            "answer_language": self.answer_language,
            **({"extra": self.extra} if self.extra else {}),
        }
