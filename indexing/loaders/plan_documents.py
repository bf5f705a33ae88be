"""Plan documents (long text extracted from PDFs, or PDFs) split along their own structure.

Text extracted from a municipal plan PDF carries page furniture (page numbers, chapter
tabs printed one character per line), sentences broken across lines and headings
repeated at the top of pages. This loader

* splits pages (form feeds, or the leading space that marks a new page in the
  extracted text),
* drops furniture and joins broken lines,
* follows the document's headings: ``第N章``, ``N.N.`` sections, ``No.N`` action
  plans (recovering a heading lost in extraction from the table of contents), and
  ``管理番号 NNNNNN`` items (one item per page, titled by ``実施計画名``),
* and cuts passages of a readable size, each citing its chapter/section/item and page.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexing.entries import Entry
from indexing.japanese import thread_tokenizer
from indexing.loaders.encoding import decode_text_bytes
from indexing.loaders.errors import KnowledgeFileError, LoadedFile
from indexing.loaders.faq_table import faq_table_from_text, is_tab_separated_faq
from indexing.loaders.packing import pack_pieces
from indexing.loaders.source_metadata import SourceMetadata

PASSAGE_CHARS = 500

_CHAPTER = re.compile(r"^第\s*([0-9]+)\s*章\s*(.{1,40})$")
_SECTION = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.?\s*(\S.{0,40})$")
_ACTION = re.compile(r"^(?:No\.?|№)\s*([0-9]{1,3})\s+(\S.{0,40}?)(?:\s+p\.\s*[0-9]+)?$", re.IGNORECASE)
_ITEM_NUMBER = re.compile(r"^管理番号\s*[:：]?\s*([0-9]{4,8})")
_ITEM_TITLE = re.compile(r"^実施計画名\s*(\S.*)?$")
_PAGE_NUMBER = re.compile(r"^[-‐ー\s]*[0-9]{1,3}[-‐ー\s]*$|^p\.\s*[0-9]+$", re.IGNORECASE)
# Full-width forms and, for NFKC-normalised lines, their ASCII forms.
_SENTENCE_END = ("。", "！", "？", "」", "）", ":", "：", "!", "?", ")")
# A line broken inside a sentence is a full line of its page: at least this many characters, and
# at least this share of the page's long lines (its 95th percentile length). On a page of 55-character
# prose, an 18-character table label (時代の変化に即応できる組織体制の構築) is no broken sentence; on a
# page set in narrow columns, an 18-character line is.
MIN_FULL_LINE = 18
FULL_LINE_SHARE = 0.6
# Characters either side of a line break looked at to tell whether a word runs across it.
_WORD_WINDOW = 8
_WORD_CHAR = re.compile(r"[ぁ-ゖァ-ヺー一-龥々]")
_KANA_START = re.compile(r"[ぁ-ゖァ-ヺー]")
# Particles that end a line only inside a phrase (の, を, に, が, と, で, は, も ...), not a sentence's end (か, よ, ね).
_JOINING_PARTICLES = {"格助詞", "係助詞", "副助詞", "接続助詞"}


@dataclass
class _Segment:
    label: str
    page: int
    lines: list
    # Per line, the least length at which its sentence may run on into the next (its page's full_line_length).
    full_lines: list = field(default_factory=list)

    def add(self, line: str, full_line: int):
        self.lines.append(line)
        self.full_lines.append(full_line)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def split_pages(text: str) -> list[str]:
    if "\f" in text:
        return text.split("\f")
    pages, current = [], []
    for line in text.split("\n"):
        # pdftotext-style extraction starts each new page with a single leading space.
        if line.startswith(" ") and not line.startswith("  ") and line.strip() and current:
            pages.append("\n".join(current))
            current = []
        current.append(line)
    pages.append("\n".join(current))
    return pages


def _table_of_contents(text: str) -> dict[int, str]:
    """Action-plan titles listed in a table of contents (``№14 title p.53``), by number."""
    titles: dict[int, str] = {}
    lines = [_nfkc(l).strip() for l in text.split("\n")]
    for index, line in enumerate(lines):
        match = _ACTION.match(line)
        if not match:
            continue
        number, title = int(match.group(1)), match.group(2)
        # A title broken over two lines continues on the next non-empty line.
        following = next((l for l in lines[index + 1:index + 3] if l), "")
        if following and not _PAGE_NUMBER.match(following) and len(following) < 15 and not _ACTION.match(following):
            title += following
        titles.setdefault(number, title)
    return titles


def plan_passages(text: str, document_title: str) -> list[tuple[str, int, str]]:
    """(section label, page number, passage text) along the document's structure."""
    toc = _table_of_contents(text)
    segments: list[_Segment] = []
    chapter = section = action = ""
    last_action_number = 0

    def label() -> str:
        if action:
            return action
        return " ".join(p for p in (chapter, section) if p)

    for page_number, page in enumerate(split_pages(text), start=1):
        lines = [_nfkc(l).strip() for l in page.split("\n")]
        lines = [l for l in lines if l]
        full = full_line_length(lines)
        item_number = next((m.group(1) for m in map(_ITEM_NUMBER.match, lines) if m), None)
        if item_number:
            # One numbered item per page: the page is the passage, titled by 実施計画名.
            title = _item_title(lines)
            item_label = f"管理番号 {item_number}" + (f" {title}" if title else "")
            item_lines = [l for l in lines if not _ITEM_NUMBER.match(l)]
            segments.append(_Segment(item_label, page_number, item_lines, [full] * len(item_lines)))
            continue
        current = _Segment(label(), page_number, [])
        segments.append(current)
        for line in lines:
            heading = None
            if match := _CHAPTER.match(line):
                chapter, section, action = f"第{match.group(1)}章 {match.group(2).strip()}", "", ""
                heading = label()
            elif (match := _SECTION.match(line)) and chapter and not action:
                section = f"{match.group(1)}.{match.group(2)}. {match.group(3).strip()}"
                heading = label()
            elif (match := _ACTION.match(line)) and not _looks_like_toc(lines):
                last_action_number = int(match.group(1))
                action = f"No.{last_action_number} {match.group(2).strip()}"
                heading = label()
            elif line == "1.概要" and action and f"No.{last_action_number} " in action and \
                    current.lines and any(l == "1.概要" for l in current.lines):
                pass
            elif line == "1.概要" and action and _seen_overview(segments, action) and \
                    (last_action_number + 1) in toc:
                # An action plan whose heading was lost in extraction: recover it from the contents.
                last_action_number += 1
                action = f"No.{last_action_number} {toc[last_action_number]}"
                heading = label()
            if heading is not None:
                if heading != current.label:
                    current = _Segment(heading, page_number, [])
                    segments.append(current)
                if line not in (heading,) and not heading.endswith(line):
                    current.add(line, full)
                continue
            if _is_furniture(line):
                continue
            current.add(line, full)

    passages = []
    merged: list[_Segment] = []
    for segment in segments:
        if merged and merged[-1].label == segment.label:
            merged[-1].lines.extend(segment.lines)
            merged[-1].full_lines.extend(segment.full_lines)
        else:
            merged.append(segment)
    for segment in merged:
        body = join_broken_lines(segment.lines, segment.full_lines)
        if len(body) < 20:
            continue
        for chunk in _chunk(body, PASSAGE_CHARS):
            passages.append((segment.label or document_title, segment.page, chunk))
    return passages


def _seen_overview(segments: list[_Segment], action: str) -> bool:
    return any(s.label == action and "1.概要" in s.lines for s in segments)


def _looks_like_toc(lines: list[str]) -> bool:
    return sum(1 for l in lines if re.search(r"p\.\s*[0-9]+$", l)) >= 3


def _item_title(lines: list[str]) -> str:
    for index, line in enumerate(lines):
        match = _ITEM_TITLE.match(line)
        if match:
            value = (match.group(1) or "").strip()
            if value and value not in ("備考欄",):
                return value
    # 実施計画名 left empty by the extraction: the title stands just before 担当課.
    for index, line in enumerate(lines[1:], start=1):
        previous = lines[index - 1]
        if line.startswith("担当課") and len(previous) <= 40 and not previous.startswith(("現", "備考", "管理番号")):
            return previous
    return ""


def _is_furniture(line: str) -> bool:
    if _PAGE_NUMBER.match(line):
        return True
    # Chapter tabs printed one character per line.
    return len(line) == 1 and line not in ("•", "・")


def full_line_length(lines: list[str]) -> int:
    """The least length of a page's line that a sentence may run on from (MIN_FULL_LINE, FULL_LINE_SHARE)."""
    if not lines:
        return MIN_FULL_LINE
    lengths = sorted(len(line) for line in lines)
    return max(MIN_FULL_LINE, int(FULL_LINE_SHARE * lengths[int(len(lengths) * 0.95)]))


def join_broken_lines(lines: list[str], full_lines: list[int] | None = None) -> str:
    """Join lines broken inside sentences; keep list items and short labels on their own lines.
    ``full_lines``: per line, the least length at which it is a line broken inside a sentence
    (its page's full_line_length; MIN_FULL_LINE for every line when not given)."""
    out: list[str] = []
    previous, previous_full = "", MIN_FULL_LINE  # the line before as extracted, not what has been joined
    for k, line in enumerate(lines):
        starts_item = line[:1] in ("•", "・", "●", "⚫", "○", "◆", "■", "※", "①", "②", "③", "④", "⑤") or \
            bool(re.match(r"^[0-9]+\.", line))
        if out and not starts_item and not previous.endswith(_SENTENCE_END) and (
                len(previous) >= previous_full or broken_inside_word(out[-1], line)):
            out[-1] += line
        else:
            out.append(line)
        previous, previous_full = line, full_lines[k] if full_lines else MIN_FULL_LINE
    return "\n".join(out)


def broken_inside_word(before: str, after: str) -> bool:
    """Whether a line break between ``before`` and ``after`` falls inside a phrase: a word runs across
    it (システ|ムの導入, デジタ|ル化, 施策策|定), the next line starts with what cannot start one (an
    ending, a particle, a suffix: 想定し|たユーザー, 実現|するための), or the line ends with a particle
    (交付窓口の|拡張, マイナンバーを|活用). A narrow table cell or diagram box wraps its text so, whatever the
    length of its lines. A new box that starts with a word of its own (種類増加|ほぼ全市民の, 現在 未来|まちの)
    does not run on, nor do two loanwords the dictionary does not know (マイナポータル|スマホ)."""
    if not before or not after or not _WORD_CHAR.match(before[-1]) or not _WORD_CHAR.match(after[0]):
        return False
    head, tail = before[-_WORD_WINDOW:], after[:_WORD_WINDOW]
    cut = len(head)
    for m in thread_tokenizer().tokenize(head + tail):
        if m.begin() < cut < m.end():
            return not m.is_oov()
        if m.end() == cut:
            pos = m.part_of_speech()
            if pos[0] == "助詞" and pos[1] in _JOINING_PARTICLES:
                return True
        elif m.begin() == cut:
            # Written in kana: a kanji the dictionary calls a suffix (担当課|現 状) may start a label.
            pos = m.part_of_speech()
            return bool(_KANA_START.match(m.surface())) and (
                pos[0] in ("助詞", "助動詞", "接尾辞") or pos[1] == "非自立可能")
    return False


def _chunk(text: str, size: int) -> list[str]:
    if len(text) <= size * 1.3:
        return [text]
    sentences = re.split(r"(?<=[。\n])", text)
    chunks, current = pack_pieces(sentences, size)
    if current.strip():
        if chunks and len(current.strip()) < size // 4:
            chunks[-1] += current.rstrip()
        else:
            chunks.append(current.strip())
    return chunks


def _entries(path: Path, metadata: SourceMetadata, passages) -> list[Entry]:
    title = metadata.title or path.stem
    audience = metadata.audience_or("", "all")
    entries, counts = [], {}
    for label, page, chunk in passages:
        counts[label] = counts.get(label, 0) + 1
        suffix = "" if counts[label] == 1 else f"-{counts[label]}"
        entries.append(Entry(
            id=f"{path.stem}#{label or 'p' + str(page)}{suffix}", kind="plan", title=title, body=chunk,
            source=str(path), section=label, url=metadata.url, page=page, audience=audience,
            category=metadata.category, department=metadata.department, updated=metadata.updated,
            review_by=metadata.review_by,
        ))
    if not entries:
        raise KnowledgeFileError(path, None, "本文が見つかりません")
    return entries


def load_plan_text(path: Path, metadata: SourceMetadata) -> list[Entry] | LoadedFile:
    """A plan document as text; a tab-separated FAQ table saved as .txt (Excel's text export) is read
    as the table it is."""
    text = decode_text_bytes(Path(path).read_bytes(), path)
    if is_tab_separated_faq(text):
        return faq_table_from_text(text, path, metadata, delimiter="\t")
    title = metadata.title or path.stem
    return _entries(path, metadata, plan_passages(text.replace("\r\n", "\n"), title))


def load_plan_pdf(path: Path, metadata: SourceMetadata) -> list[Entry]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise KnowledgeFileError(path, None, f"PDF を読めません: {exc}") from exc
    if not any(p.strip() for p in pages):
        raise KnowledgeFileError(path, None, "PDF に文字がありません (画像のみの PDF は OCR が必要です)")
    title = metadata.title or (reader.metadata.title if reader.metadata and reader.metadata.title else path.stem)
    return _entries(path, metadata.merged(title=title), plan_passages("\f".join(pages), title))
