"""Procedure guides in Markdown, split into one entry per ``##`` section.

Optional front matter between ``---`` lines holds ``key: value`` pairs
(title, audience, department, category, updated, review_by, url).
"""
from __future__ import annotations

import re
from pathlib import Path

from indexing.entries import Entry
from indexing.loaders.errors import KnowledgeFileError
from indexing.loaders.packing import pack_pieces
from indexing.loaders.source_metadata import SourceMetadata

_FRONT_MATTER_KEYS = {"title", "audience", "department", "category", "updated", "review_by", "url"}
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Long sections are split further at ### headings or paragraphs near this size.
MAX_SECTION_CHARS = 1200


def parse_front_matter(text: str, path: Path) -> tuple[dict, str, int]:
    """(front matter dict, body, number of lines the front matter used)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 0
    values = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return values, "\n".join(lines[number:]), number
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in _FRONT_MATTER_KEYS:
            raise KnowledgeFileError(path, number, f"front matter の行が読めません: {line.strip()!r} "
                                                   f"(使えるキー: {', '.join(sorted(_FRONT_MATTER_KEYS))})")
        values[key] = value.strip().strip('"').strip("'")
    raise KnowledgeFileError(path, 1, "front matter が '---' で閉じられていません")


def load_markdown_guide(path: Path, metadata: SourceMetadata) -> list[Entry]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise KnowledgeFileError(path, None, "UTF-8 で読めません") from exc
    front, body, offset = parse_front_matter(text, path)
    meta = metadata.merged(**{k: v for k, v in front.items() if k != "audience"})
    try:
        audience = meta.audience_or(front.get("audience", ""), "citizen")
    except ValueError as exc:
        raise KnowledgeFileError(path, 1, str(exc)) from exc

    title, sections = _split_sections(body, offset)
    title = meta.title or title or Path(path).stem
    entries = []
    used_ids: dict[str, int] = {}
    for heading, content, line in sections:
        content = _clean_markdown(content)
        if not content:
            continue
        for part, chunk in enumerate(_split_long(content), start=1):
            section = heading if part == 1 else f"{heading} ({part})"
            base = f"{Path(path).stem}#{section or '概要'}"
            used_ids[base] = used_ids.get(base, 0) + 1
            entry_id = base if used_ids[base] == 1 else f"{base}-{used_ids[base]}"
            entries.append(Entry(
                id=entry_id, kind="guide", title=title, body=chunk, source=str(path), section=section,
                url=meta.url, audience=audience, category=meta.category, department=meta.department,
                updated=meta.updated, review_by=meta.review_by, line=line,
            ))
    if not entries:
        raise KnowledgeFileError(path, None, "本文がありません")
    return entries


def _split_sections(body: str, offset: int) -> tuple[str, list[tuple[str, str, int]]]:
    """Document title (# heading) and (section heading, text, line) for each ## section."""
    title = ""
    sections: list[list] = [["", [], offset + 1]]
    in_code = False
    for number, line in enumerate(body.split("\n"), start=offset + 1):
        if line.strip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match and len(match.group(1)) == 1 and not title:
            title = match.group(2)
            continue
        if match and len(match.group(1)) == 2:
            sections.append([match.group(2), [], number])
            continue
        sections[-1][1].append(line)
    return title, [(h, "\n".join(lines), n) for h, lines, n in sections]


def _clean_markdown(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        # The "this is sample content" note is shown once per document, not per section.
        if stripped.startswith(">") and ("サンプル" in stripped or "架空" in stripped):
            continue
        lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _split_long(content: str) -> list[str]:
    if len(content) <= MAX_SECTION_CHARS:
        return [content]
    blocks = re.split(r"\n(?=### )|\n\n", content)
    chunks, rest = pack_pieces(blocks, MAX_SECTION_CHARS, separator="\n\n")
    if rest.strip():
        chunks.append(rest.strip())
    return chunks
