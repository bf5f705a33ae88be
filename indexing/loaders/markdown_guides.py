"""Procedure guides in Markdown, split into one entry per ``##`` section.

Optional front matter between ``---`` lines holds ``key: value`` pairs
(title, audience, department, category, updated, review_by, url, easy_japanese).

Translations (see knowledge/README.md) are files beside the guide, named ``<stem>.<lang>.md``
(``resident-certificate.en.md``) or carrying ``lang: en`` and ``translation_of: <file>.md`` in
their front matter. Their ``##`` sections translate the original's in order; a heading may name
the original section explicitly with a ``{#原文の見出し}`` suffix. They are read with the guide they
translate and never become entries of their own.
"""
from __future__ import annotations

import re
from pathlib import Path

from indexing.entries import Entry
from indexing.loaders.encoding import decode_text_bytes
from indexing.loaders.errors import KnowledgeFileError, LoadedFile
from indexing.loaders.packing import pack_pieces
from indexing.loaders.source_metadata import SourceMetadata

_FRONT_MATTER_KEYS = {"title", "audience", "department", "category", "updated", "review_by", "url",
                      "lang", "translation_of", "easy_japanese"}
_EXPLICIT_SECTION = re.compile(r"\s*\{#(.+?)\}\s*$")
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


def _read(path: Path) -> tuple[dict, str, int]:
    # Saved as UTF-8 or, from an office editor, Shift_JIS (CP932): as CSV and text files are read.
    text = decode_text_bytes(Path(path).read_bytes(), Path(path)).replace("\r\n", "\n").replace("\r", "\n")
    return parse_front_matter(text, path)


def _language_suffix(path: Path) -> str:
    """'en' for 'guide.en.md', '' for 'guide.md' (only codes we recognise count)."""
    from indexing.language import RECOGNISED, normalize_language_tag

    parts = Path(path).name.split(".")
    if len(parts) < 3:
        return ""
    code = normalize_language_tag(parts[-2])
    return code if code in RECOGNISED and code != "ja" else ""


def _translations_of(path: Path) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """(language, title, sections) of every translation of the guide at ``path``."""
    from indexing.language import normalize_language_tag

    path = Path(path)
    found = []
    for candidate in sorted(path.parent.glob("*.md")):
        if candidate == path:
            continue
        suffix = _language_suffix(candidate)
        named = suffix and candidate.name.split(".")[0] == path.stem
        if not named and "translation_of" not in decode_text_bytes(candidate.read_bytes(), candidate)[:2000]:
            continue
        front, body, offset = _read(candidate)
        if not named and Path(front.get("translation_of", "")).name != path.name:
            continue
        language = normalize_language_tag(front.get("lang")) if front.get("lang") else suffix
        if not language or language in ("und", "ja"):
            raise KnowledgeFileError(candidate, 1, "翻訳の言語が分かりません (lang: en のように書いてください)")
        title, sections = _split_sections(body, offset)
        found.append((language, front.get("title") or title, sections))
    return found


def _attach_translations(entries: list[Entry], path: Path) -> list[Entry]:
    """Entries with the translated title and body of their section, where a translation has it."""
    translations = _translations_of(path)
    if not translations:
        return entries
    first_parts = [e for e in entries if not re.search(r" \(\d+\)$", e.section)]
    attached: dict[str, list] = {e.id: [] for e in entries}
    for language, title, sections in translations:
        sections = [(h, _clean_markdown(c), n) for h, c, n in sections if _clean_markdown(c)]
        for position, (heading, content, _) in enumerate(sections):
            explicit = _EXPLICIT_SECTION.search(heading)
            if explicit:
                target = next((e for e in first_parts if (e.section or "概要") == explicit.group(1)), None)
            else:
                target = first_parts[position] if position < len(first_parts) else None
            if target is not None:
                shown = _EXPLICIT_SECTION.sub("", heading) or title
                attached[target.id].append((language, f"{title} {shown}".strip(), content))
    return [e.with_changes(translations=tuple(attached[e.id])) if attached[e.id] else e for e in entries]


def load_markdown_guide(path: Path, metadata: SourceMetadata) -> list[Entry]:
    front, body, offset = _read(path)
    if front.get("translation_of") or _language_suffix(path):
        return LoadedFile([])  # a translation: read with the guide it translates
    meta = metadata.merged(**{k: v for k, v in front.items() if k not in ("audience", "lang", "translation_of", "easy_japanese")})
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
    if front.get("easy_japanese", "").lower() in ("1", "yes", "true", "はい"):
        entries = [e.with_changes(easy_japanese=True) for e in entries]
    return _attach_translations(entries, path)


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
