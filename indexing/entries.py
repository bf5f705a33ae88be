"""The knowledge entry: one FAQ pair, one guide section or one plan passage."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace

KINDS = ("faq", "guide", "plan")
AUDIENCES = ("citizen", "staff", "all")


@dataclass(frozen=True)
class Entry:
    """A unit of knowledge that can be retrieved and cited.

    ``id`` is stable: the CSV ``ID`` for FAQ entries, ``<file stem>#<section>`` for
    guide sections and plan passages. ``audience`` is ``citizen``, ``staff`` or
    ``all`` and is a security boundary: staff entries never reach citizens.
    """

    id: str
    kind: str
    title: str
    body: str
    source: str = ""
    section: str = ""
    url: str = ""
    page: int | None = None
    audience: str = "all"
    category: str = ""
    department: str = ""
    updated: str = ""
    review_by: str = ""
    status: str = "active"
    # Extra phrasings of the question (FAQ) that should find this entry.
    alternates: tuple[str, ...] = field(default_factory=tuple)
    # Where the entry came from in its file, for error messages and citations.
    line: int | None = None
    # The city's own translations: (BCP-47 language, title/question, body/answer) triples.
    translations: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    # Written in やさしい日本語 (easy Japanese); preferred when MADOGUCHI_EASY_JAPANESE is on.
    easy_japanese: bool = False

    def translation(self, language: str) -> tuple[str, str] | None:
        """(title, body) in ``language`` if the city has translated this entry."""
        for code, title, body in self.translations:
            if code == language:
                return title, body
        return None

    @property
    def question(self) -> str:
        """For FAQ entries the title is the question."""
        return self.title

    def content_hash(self) -> str:
        """Hash of what the embedding depends on; unchanged content is never re-embedded."""
        payload = json.dumps([self.kind, self.title, self.section, self.body, list(self.alternates)],
                             ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def citation(self) -> str:
        """Human-readable 'document > section' label."""
        if self.kind == "faq":
            return f"FAQ {self.id}"
        return f"{self.title} {self.section}".strip() if self.section else self.title

    def with_changes(self, **changes) -> "Entry":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["alternates"] = list(self.alternates)
        data["translations"] = [list(t) for t in self.translations]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Entry":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        alternates = known.get("alternates") or ()
        if isinstance(alternates, str):
            alternates = json.loads(alternates) if alternates else ()
        known["alternates"] = tuple(alternates)
        translations = known.get("translations") or ()
        if isinstance(translations, str):
            translations = json.loads(translations) if translations else ()
        known["translations"] = tuple(tuple(t) for t in translations)
        known["easy_japanese"] = bool(known.get("easy_japanese"))
        return cls(**known)


def visible_audiences(audience: str) -> tuple[str, ...]:
    """Entry audiences a question from ``audience`` may see."""
    if audience == "citizen":
        return ("citizen", "all")
    if audience == "staff":
        return ("staff", "all")
    raise ValueError(f"unknown audience: {audience!r} (use citizen or staff)")
