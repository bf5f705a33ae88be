"""The knowledge entry: one FAQ pair, one guide section or one plan passage."""
from __future__ import annotations

import hashlib
import json
import re
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum

KINDS = ("faq", "guide", "plan")


class Audience(StrEnum):
    """Who is asking, and whom an entry is for: the product's security boundary.

    A question comes from ``CITIZEN`` or ``STAFF``; an entry is for ``CITIZEN``, ``STAFF`` or
    ``ALL`` (both). Staff entries never reach citizens (``visible_audiences``). A member is a
    str equal to its value, with the same hash, so JSON, SQLite, templates and dict lookups
    see plain ``"citizen"``::

        >>> Audience.for_question("staff") == "staff"
        True
        >>> visible_audiences("citizen")
        (<Audience.CITIZEN: 'citizen'>, <Audience.ALL: 'all'>)
    """

    CITIZEN = "citizen"
    STAFF = "staff"
    ALL = "all"

    __hash__ = str.__hash__  # Enum hashes the member name; a str-valued audience must hash as its value

    @classmethod
    def for_question(cls, value: str) -> "Audience":
        """The audience of someone asking; ValueError for anything but citizen or staff."""
        if value in QUESTION_AUDIENCES:
            return cls(value)
        raise ValueError(f"unknown audience: {value!r} (use citizen or staff)")


# Whom an entry may be for, and who may ask.
ENTRY_AUDIENCES: tuple[Audience, ...] = tuple(Audience)
QUESTION_AUDIENCES: tuple[Audience, ...] = (Audience.CITIZEN, Audience.STAFF)


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


# The field list, declared once by the dataclass above; every other list of fields derives from it.
ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entry))
# Fixed once an entry exists: which entry it is, where it came from, and its status (retire/restore).
FIXED_FIELDS = ("id", "kind", "source", "page", "line", "status")
# Set by the knowledge files only (translations, the やさしい日本語 mark): the admin UI has no form for them yet.
FILE_ONLY_FIELDS = ("translations", "easy_japanese")
# The longest question and answer an entry may have, imported or written in the admin UI (a longer
# one could be imported but never saved again from the edit form).
MAX_TITLE_CHARS = 500
MAX_BODY_CHARS = 20000
# An entry's URL: a web page (the admin form refuses anything else, an import leaves it out with a note).
WEB_URL = re.compile(r"^https?://[^\s<>\"']+$")
# Ids the admin UI's own pages use (/admin/entries/new is the form for a new entry): no entry, whether
# written in the admin UI or imported from a file, may take one; nor one ending in an entry page's action
# (x/edit would open the edit page of entry x).
RESERVED_IDS = frozenset({"new"})
RESERVED_ID_ENDINGS = ("/edit", "/retire", "/restore")


def reserved_id(entry_id: str) -> bool:
    """Whether ``entry_id`` would collide with a page of the admin UI (see RESERVED_IDS)."""
    folded = entry_id.strip().lower()
    return folded in RESERVED_IDS or folded.endswith(RESERVED_ID_ENDINGS)
# What an editor may change in the admin UI.
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for name in ENTRY_FIELDS
                                         if name not in FIXED_FIELDS and name not in FILE_ONLY_FIELDS)
# What a knowledge file says about an entry: all but its id, source key and line (an import compares these).
CONTENT_FIELDS: tuple[str, ...] = tuple(name for name in ENTRY_FIELDS if name not in ("id", "source", "line"))


def _column_type(hint) -> type:
    """SQLite column type of a field: int for ``int``/``int | None``, text otherwise (alternates as JSON)."""
    return int if hint is int or int in typing.get_args(hint) else str


# Column types of an entry's fields in the store.
ENTRY_COLUMN_TYPES: dict[str, type] = {name: _column_type(hint) for name, hint in typing.get_type_hints(Entry).items()}


def visible_audiences(audience: str) -> tuple[Audience, ...]:
    """Entry audiences a question from ``audience`` may see (ValueError for an unknown audience)."""
    return (Audience.for_question(audience), Audience.ALL)
