"""Metadata that a knowledge file does not carry itself: audience, 所管課, dates, URL.

It comes, most specific first, from: the entry's own columns / front matter, a
``sources.toml`` table named after the file in the same folder, then defaults
(the ``--audience`` of the import command, else the kind's default audience).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexing.entries import ENTRY_AUDIENCES

SOURCES_FILE = "sources.toml"
_KEYS = ("title", "audience", "department", "category", "url", "updated", "review_by", "attribution")


@dataclass(frozen=True)
class SourceMetadata:
    title: str = ""
    audience: str = ""
    department: str = ""
    category: str = ""
    url: str = ""
    updated: str = ""
    review_by: str = ""
    attribution: str = ""
    # When set (import --audience), it overrides whatever the file declares.
    forced_audience: str = ""
    extra: dict = field(default_factory=dict)

    def audience_or(self, declared: str, default: str) -> str:
        audience = self.forced_audience or declared or self.audience or default
        if audience not in ENTRY_AUDIENCES:
            raise ValueError(f"unknown audience {audience!r} (use citizen, staff or all)")
        return audience

    def merged(self, **values) -> "SourceMetadata":
        return replace(self, **{k: v for k, v in values.items() if v})


def metadata_for(path: Path, forced_audience: str = "") -> SourceMetadata:
    """Read ``sources.toml`` beside ``path`` (if any) for this file's table."""
    table = {}
    sources = path.parent / SOURCES_FILE
    if sources.exists():
        try:
            data = tomllib.loads(sources.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            from indexing.loaders.errors import KnowledgeFileError
            raise KnowledgeFileError(sources, getattr(exc, "lineno", None), f"invalid TOML: {exc}") from exc
        table = data.get(path.name, {})
    values = {k: str(table[k]) for k in _KEYS if k in table}
    extra = {k: v for k, v in table.items() if k not in _KEYS}
    return SourceMetadata(forced_audience=forced_audience, extra=extra, **values)
