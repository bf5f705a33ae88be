"""FAQ tables: CSV (UTF-8 with/without BOM, Shift_JIS/CP932) and Excel (.xlsx).

Accepts the municipal FAQ open-data columns ``ID, 問い合わせ文, 応答文, カテゴリ``
(optionally preceded by ``全国地方公共団体コード, 地方公共団体名``) and common aliases.
The ``ID`` column is kept as the entry id. A file that cannot be read (encoding, broken
quoting, no header) is an error; a bad row (empty question or answer, duplicate ID) is
reported with its line number and skipped, so one bad row does not hold back a city's
whole FAQ (``import --strict`` makes row problems fatal). HTML in question and answer cells (CMS
exports) becomes plain text (``markup.py``).

Translations (see knowledge/README.md): columns ``問い合わせ文_<lang>`` / ``応答文_<lang>`` (also
``質問_``/``回答_``/``question_``/``answer_``) with a BCP-47 code such as ``en`` or ``zh-Hans``, in the
table itself or in a sidecar ``<stem>.translations.csv`` (``ID`` plus those columns) beside it, so
that a city's open-data CSV stays as published. An ``やさしい日本語`` (``easy_japanese``) column marks
entries written in easy Japanese.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

from indexing.dates import parse_date
from indexing.entries import MAX_BODY_CHARS, MAX_TITLE_CHARS, WEB_URL, Entry, reserved_id
from indexing.loaders.encoding import decode_text_bytes
from indexing.loaders.errors import KnowledgeFileError, LoadedFile, RowProblem
from indexing.loaders.markup import plain_text_from_markup
from indexing.loaders.source_metadata import SourceMetadata

# Normalized header → field. Headers are compared after NFKC, lower-casing and
# removing spaces, brackets and punctuation.
COLUMN_ALIASES = {
    "id": ("id", "faqid", "質問id", "faq番号", "管理番号", "番号", "通し番号", "通番", "連番", "項番", "no"),
    "question": ("問い合わせ文", "問合せ文", "問い合せ文", "問い合わせ", "問合せ", "問い合わせ内容", "問合せ内容",
                 "問い合わせ質問", "問合せ質問", "質問", "質問文", "質問内容", "質問事項", "よくある質問", "question", "q", "faq"),
    "answer": ("応答文", "回答", "回答文", "回答内容", "応答回答", "回答応答", "答え", "応答", "answer", "a"),
    "category": ("カテゴリ", "カテゴリー", "カテゴリ1", "カテゴリ大", "大分類", "分類", "category", "category1"),
    "subcategory": ("サブカテゴリ", "サブカテゴリー", "カテゴリ2", "中分類", "小分類", "subcategory", "category2"),
    "department": ("所管課", "担当課", "担当課名", "所管課名", "担当部署", "担当部署名", "所管部署", "所管部署名",
                   "回答部署", "回答課", "部署名", "課名", "担当", "問い合わせ先", "問合せ先", "department"),
    "url": ("url", "参照url", "関連url", "詳細url", "リンク", "関連ページ", "link"),
    "updated": ("更新日", "最終更新日", "更新年月日", "updated"),
    "review_by": ("見直し期限", "レビュー期限", "次回見直し日", "reviewby", "review_by"),
    "audience": ("対象", "公開対象", "audience"),
    "alternates": ("別の聞き方", "類似質問", "言い換え", "alternates"),
    "easy_japanese": ("やさしい日本語", "easyjapanese", "easy_japanese"),
}
# Translation columns: '問い合わせ文_en', '応答文_zh-Hans', 'answer_pt', ...
_TRANSLATION_COLUMN = re.compile(
    r"^(?P<part>問い合わせ文|問合せ文|質問|question|応答文|回答|answer)\s*[_\-]\s*(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)$",
    re.IGNORECASE)
_QUESTION_PARTS = {"問い合わせ文", "問合せ文", "質問", "question"}
TRANSLATIONS_SUFFIX = ".translations"
_TRUE_WORDS = {"1", "yes", "true", "○", "〇", "はい", "やさしい日本語", "y"}
_HEADER_NOISE = re.compile(r"[\s_\-・()（）\[\]［］【】「」:：.。]")


def _normalize_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    return _HEADER_NOISE.sub("", text)


_ALIAS_TO_FIELD = {_normalize_header(a): f for f, aliases in COLUMN_ALIASES.items() for a in aliases}
_EXPLICIT_IDS = {"id", "faqid", "質問id", "faq番号", "管理番号"}


def map_columns(header: list) -> dict[str, int]:
    """Field name → column index for a header row: the leftmost matching column, except that a
    column named ID wins over a row number (No., 項番 ...) beside it."""
    best: dict[str, tuple[int, int]] = {}
    for index, value in enumerate(header):
        name = _normalize_header(value)
        field = _ALIAS_TO_FIELD.get(name)
        if field:
            tier = 0 if name in _EXPLICIT_IDS or field != "id" else 1
            if field not in best or tier < best[field][0]:
                best[field] = (tier, index)
    return {field: index for field, (_, index) in best.items()}


def translation_columns(header: list) -> dict[str, tuple[int | None, int | None]]:
    """Language → (question column, answer column) of the translation columns of a header row."""
    from indexing.language import normalize_language_tag

    found: dict[str, list] = {}
    for index, value in enumerate(header):
        match = _TRANSLATION_COLUMN.match(unicodedata.normalize("NFKC", str(value or "")).strip())
        if not match:
            continue
        language = normalize_language_tag(match.group("lang"))
        if language in ("und", "ja"):
            continue
        slot = 0 if match.group("part").lower() in _QUESTION_PARTS else 1
        found.setdefault(language, [None, None])[slot] = index
    return {language: (q, a) for language, (q, a) in found.items()}


def is_translations_sidecar(path: Path) -> bool:
    return Path(path).stem.endswith(TRANSLATIONS_SUFFIX)


def _row_translations(row: list, columns: dict[str, tuple[int | None, int | None]]) -> tuple:
    result = []
    for language, (q, a) in sorted(columns.items()):
        question = plain_text_from_markup(str(row[q]).strip()) if q is not None and q < len(row) else ""
        answer = plain_text_from_markup(str(row[a]).strip()) if a is not None and a < len(row) else ""
        if answer:  # a translated answer is what the resident reads; the question alone is not enough
            result.append((language, question, answer))
    return tuple(result)


def _sidecar_translations(path: Path) -> dict[str, tuple]:
    """ID → translations from ``<stem>.translations.csv`` beside ``path`` (empty if there is none)."""
    sidecar = Path(path).with_name(Path(path).stem + TRANSLATIONS_SUFFIX + ".csv")
    if not sidecar.exists():
        return {}
    text = decode_text_bytes(sidecar.read_bytes(), sidecar)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return {}
    header, *body = rows
    columns = translation_columns(header)
    id_column = map_columns(header).get("id")
    if id_column is None or not columns:
        raise KnowledgeFileError(sidecar, 1, "ID 列と翻訳列（例: 問い合わせ文_en, 応答文_en）が必要です")
    return {row[id_column].strip(): _row_translations(row, columns) for row in body
            if len(row) > id_column and row[id_column].strip()}


def load_faq_csv(path: Path, metadata: SourceMetadata) -> LoadedFile:
    if is_translations_sidecar(path):
        return LoadedFile([])  # read together with the table it translates
    return faq_table_from_text(decode_text_bytes(Path(path).read_bytes(), path), path, metadata)


def is_tab_separated_faq(text: str) -> bool:
    """Whether a text file is a tab-separated FAQ table (Excel's text export): a line among the
    first 20 names question and answer columns."""
    lines = text[:8192].splitlines()[:20]
    return any("\t" in line and {"question", "answer"} <= map_columns(line.split("\t")).keys() for line in lines)


def faq_table_from_text(text: str, path: Path, metadata: SourceMetadata, delimiter: str | None = None) -> LoadedFile:
    sample = text[:4096]
    delimiter = delimiter or ("\t" if sample.count("\t") > sample.count(",") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        # The line the broken row starts on: a quote left open is only noticed at the end of the file.
        hint = "（引用符 \" が閉じられていない可能性があります）" if "end of data" in str(exc) else ""
        raise KnowledgeFileError(path, start, f"CSV の形式が正しくありません{hint}: {exc}") from exc
    return faq_entries_from_rows(rows, path, metadata, check_overflow=True)


# How much of a workbook's sheet is read (see load_faq_xlsx).
MAX_SHEET_ROWS = 50_000  # rows holding something
MAX_SHEET_COLUMNS = 64
_MAX_BLANK_ROWS = 100_000  # a gap of this many empty (formatted) rows ends a sheet's table
_HEADER_ROWS = 20  # a header is looked for in a sheet's first 20 rows that hold something
_PEEK_ROWS = 40  # enough for a header and rows under it


def _sheet_rows(sheet, path: Path, limit: int | None) -> list[tuple[int, list]]:
    """(row number, cell texts) of a sheet's non-empty rows, at most ``limit`` of them. A workbook is
    compressed XML: a small file can hold millions of cells (minutes of CPU and memory to read), and a FAQ
    sheet has a few columns and at most some tens of thousands of rows. A sheet without a header in its first
    rows is read no further (it is no table); the imported sheet (no ``limit``) past MAX_SHEET_ROWS is refused
    with the row number."""
    rows, blank = [], 0
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_SHEET_COLUMNS), start=1):
        cells = ["" if c.value is None else _cell_text(c.value, getattr(c, "number_format", "")) for c in row]
        if not any(str(c).strip() for c in cells):
            blank += 1
            if blank > _MAX_BLANK_ROWS:
                break
            continue
        blank = 0
        if len(rows) == _HEADER_ROWS and not _has_header(rows):
            break
        if limit is not None and len(rows) >= limit:
            break
        if limit is None and len(rows) >= MAX_SHEET_ROWS:
            if not _has_header(rows):
                break
            raise KnowledgeFileError(path, number, f"シート「{sheet.title}」の行が多すぎます"
                                                   f"（{MAX_SHEET_ROWS:,}行まで）。ファイルを分けて取り込んでください")
        rows.append((number, cells))
    return rows


def _has_header(rows) -> bool:
    return any("question" in (found := map_columns(cells)) and "answer" in found for _, cells in rows[:_HEADER_ROWS])


def load_faq_xlsx(path: Path, metadata: SourceMetadata) -> LoadedFile:
    """The first visible sheet with a header row naming questions and answers and rows under it (a
    cover, or an example sheet holding only the header, is passed over). Hidden sheets are never read,
    and other sheets with a table are reported, not imported: a workbook's internal or old sheet
    must not reach residents by being in the same file."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise KnowledgeFileError(path, None, f"Excel ファイルを読めません: {exc}") from exc
    try:
        chosen, others, skipped = None, [], []
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # a wrong stored size would hide all but the first row
            # Once a sheet is chosen, a later one is only looked at for a table to report: its first rows.
            rows = _sheet_rows(sheet, path, limit=_PEEK_ROWS if chosen is not None else None)
            try:
                loaded = faq_entries_from_rows(rows, path, metadata)
            except KnowledgeFileError as exc:
                if exc.line is None:  # no header, or no rows under it: not a sheet of entries
                    skipped.append(exc)
                    continue
                if chosen is None:
                    raise
                others.append(sheet.title)
                continue
            if chosen is None:
                chosen = (sheet.title, loaded)
            else:
                others.append(sheet.title)
        if chosen is None:
            raise skipped[0] if skipped else KnowledgeFileError(path, None, "シートがありません")
        title, loaded = chosen
        notes = [RowProblem(str(path), None, f"シート「{other}」の表は取り込んでいません（取り込んだのはシート「{title}」"
                                             "だけです。ほかのシートは別のファイルに分けてください）") for other in others]
        return LoadedFile(loaded.entries, loaded.problems + notes, loaded.absent)
    finally:
        workbook.close()


def _cell_text(value, number_format: str = "") -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
        # An ID shown as 0007 (number format 0000) is 0007, as Excel's own CSV export writes it.
        if number_format and set(number_format) == {"0"}:
            text = text.zfill(len(number_format))
        return text
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value)


def faq_entries_from_rows(rows: list[tuple[int, list]], path: Path, metadata: SourceMetadata,
                          check_overflow: bool = False) -> LoadedFile:
    """Turn (line number, cells) rows into entries; the header is the first row naming Q and A columns."""
    header_at = None
    columns: dict[str, int] = {}
    for position, (_, row) in enumerate(rows[:20]):
        columns = map_columns(row)
        if "question" in columns and "answer" in columns:
            header_at = position
            break
    if header_at is None:
        raise KnowledgeFileError(path, *_missing_columns(rows[:20]))

    def cell(row, field):
        index = columns.get(field)
        if index is None or index >= len(row):
            return ""
        return str(row[index]).replace("\r\n", "\n").replace("\r", "\n").strip()

    def text_cell(row, field, page):
        # Question and answer cells exported from a CMS may hold HTML: kept as the words a resident reads,
        # a relative link completed from the entry's page.
        return plain_text_from_markup(cell(row, field), page)

    entries: list[Entry] = []
    problems: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []  # rows imported with something left out (see _date_cell)
    seen: dict[str, int] = {}
    stem = Path(path).stem
    header = rows[header_at][1]
    translated = translation_columns(header)
    sidecar = _sidecar_translations(path)
    data = [(line, row) for line, row in rows[header_at + 1:] if any(str(v).strip() for v in row)]
    if not data:
        # Importing it would retire every entry the file had: refused, like an empty folder.
        raise KnowledgeFileError(path, None, "見出しの行だけで、質問と回答の行がありません")
    overflowing = _overflowing_rows(header, data) if check_overflow else set()
    site = _site_of(data)
    for line, row in data:
        if line in overflowing:
            # Skipped, not guessed: every cell after the shift is in the wrong column (its 対象 too, so a
            # staff row would fall back to citizens).
            problems.append((line, "見出しより多い列に値があります（回答などの中のカンマが引用符 \" で囲まれていない"
                                   "可能性があります）"))
            continue
        page = cell(row, "url")
        if page.startswith("/") and not page.startswith("//") and site:
            page = site.rstrip("/") + page  # a CMS export's path on the city's own site
        if page and not WEB_URL.match(page):
            # Imported without it, as the entry form would refuse it: a javascript: or file: link would be
            # published by export-faq, and 「なし」 is no page.
            notes.append((line, f"URL「{page[:60]}」は http:// または https:// で始まらないため、URL なしで取り込みました"))
            page = ""
        page = page or metadata.url
        base = page or site  # what a relative link in the row's cells is completed from
        question, answer = text_cell(row, "question", base), text_cell(row, "answer", base)
        entry_id = cell(row, "id") if "id" in columns else f"{stem}-{line}"
        if not question:
            problems.append((line, "問い合わせ文（質問）が空です"))
            continue
        if not answer:
            problems.append((line, "応答文（回答）が空です"))
            continue
        if not entry_id:
            problems.append((line, "ID が空です"))
            continue
        if reserved_id(entry_id):
            problems.append((line, f"ID「{entry_id}」は管理画面で使うため使えません。別の ID にしてください"))
            continue
        too_long = next(((what, len(text), limit) for what, text, limit in (
            ("問い合わせ文（質問）", question, MAX_TITLE_CHARS), ("応答文（回答）", answer, MAX_BODY_CHARS))
            if len(text) > limit), None)
        if too_long:
            what, size, limit = too_long
            problems.append((line, f"{what}が長すぎます（{size:,}文字。{limit:,}文字以内にしてください）"))
            continue
        if entry_id in seen:
            problems.append((line, f"ID {entry_id} が重複しています ({seen[entry_id]} 行目と同じ)"))
            continue
        seen[entry_id] = line
        try:
            declared = "" if metadata.forced_audience else _audience_cell(cell(row, "audience"))  # --audience wins
            audience = metadata.audience_or(declared, "citizen")
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        alternates = tuple(a.strip() for a in re.split(r"[\n|｜]", text_cell(row, "alternates", base)) if a.strip())
        category = cell(row, "category") or metadata.category
        updated, review_by = (_date_cell(cell(row, name), label, line, notes)
                              for name, label in (("updated", "更新日"), ("review_by", "見直し期限")))
        entries.append(Entry(
            id=entry_id, kind="faq", title=question, body=answer, source=str(path),
            section=cell(row, "subcategory"), url=page, audience=audience,
            category=category, department=cell(row, "department") or metadata.department,
            updated=updated or metadata.updated, review_by=review_by or metadata.review_by,
            alternates=alternates, line=line,
            translations=_row_translations(row, translated) or sidecar.get(entry_id, ()),
            easy_japanese=cell(row, "easy_japanese").lower() in _TRUE_WORDS,
        ))
    if not entries and problems:
        (line, message), *rest = problems
        raise KnowledgeFileError(path, line, message, problems=rest)
    found = [RowProblem(str(path), line, message) for line, message in problems] \
        + [RowProblem(str(path), line, message, kept=True) for line, message in notes]
    absent = {field for column, field in _KEPT_FROM_STORE.items() if column not in columns}
    if not translated and not sidecar:
        absent.add("translations")
    if metadata.forced_audience:
        absent.discard("audience")  # --audience decides
    return LoadedFile(entries, sorted(found, key=lambda p: p.line or 0), frozenset(absent))


# Header field → entry field kept from the store when the file has no such column (updated is not: a
# changed answer takes the file's or the upload's date).
_KEPT_FROM_STORE = {"subcategory": "section", "category": "category", "department": "department", "url": "url",
                    "review_by": "review_by", "audience": "audience", "alternates": "alternates"}


def _date_cell(value: str, label: str, line: int, notes: list[tuple[int, str]]) -> str:
    """A 更新日 / 見直し期限 cell as YYYY-MM-DD (令和6年4月1日, 2024/4/1, 2024年4月 ... are read); a value
    that is no date is noted and left empty, never stored as typed (the entry is kept: its question
    and answer matter more than its date, and the admin lists it as lacking the date)."""
    if not value:
        return ""
    read = parse_date(value)
    if read is None:
        notes.append((line, f"{label}「{value[:40]}」を日付として読めないため、空欄のまま取り込みました"
                            "（2026-04-01 や 令和8年4月1日 の形で書いてください）"))
        return ""
    return read.isoformat()


_NATIONAL_HOST = re.compile(r"\.go\.jp(?::\d+)?$", re.I)
_MUNICIPAL_HOST = re.compile(r"\.lg\.jp(?::\d+)?$|//(?:www\.)?(?:city|town|vill|pref)\.", re.I)
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?=[/\"'\s<>]|$)")


def _missing_columns(rows: list[tuple[int, list]]) -> tuple[int | None, str]:
    """(line, message) for a table without a question or an answer column: the row that looks most like a
    header, and which of the two columns it lacks."""
    expected = "見出し行に ID, 問い合わせ文, 応答文, カテゴリ が必要です"
    candidates = [(len(map_columns(row)), line, row) for line, row in rows if any(str(v).strip() for v in row)]
    if not candidates or max(candidates, key=lambda c: c[0])[0] == 0:
        return None, f"質問と回答の列が見つかりません ({expected})"
    _, line, row = max(candidates, key=lambda c: (c[0], -c[1]))
    found = map_columns(row)
    missing = "と".join(name for field, name in (("question", "質問（問い合わせ文）"), ("answer", "回答（応答文）"))
                       if field not in found)
    shown = "、".join(str(v).strip() for v in row if str(v).strip())
    return line, f"{missing}の列が見つかりません（この行の見出し: {shown[:80]}。{expected}）"


def _site_of(data: list[tuple[int, list]]) -> str:
    """The city's site as the file's own absolute links name it most often (``https://www.city.example.lg.jp/``),
    or ''. A CMS export writes links to the city's pages as relative paths (/kurashi/koseki/); with no URL
    column they are completed from it instead of losing their address."""
    origins = Counter(m.group() for _, row in data for value in row for m in _ORIGIN.finditer(str(value)))
    # A national site the answers cite (mhlw.go.jp) is not where the city's /kurashi/ pages are.
    local = [(origin, n) for origin, n in origins.most_common() if not _NATIONAL_HOST.search(origin)]
    city = [(origin, n) for origin, n in local if _MUNICIPAL_HOST.search(origin)]
    best = (city or local)[:1]
    return best[0][0] + "/" if best else ""


def _overflowing_rows(header: list, data: list[tuple[int, list]]) -> set[int]:
    """Lines of the rows with values beyond the header's last named column: a comma left unquoted
    in an answer shifts the rest of the row. When most rows have such values, they are the file's
    own unnamed columns (notes and the like), not a broken row; unless a number is cut at its
    thousands separator in one of them (手数料は3 | 000円です。): then the file's commas are unquoted."""
    named = [i for i, value in enumerate(header) if str(value).strip()]
    width = named[-1] + 1 if named else 0
    overflowing = [(line, row) for line, row in data if any(str(v).strip() for v in row[width:])]
    if len(overflowing) * 2 <= len(data) or any(_cut_number(row[:width]) for _, row in overflowing):
        return {line for line, _ in overflowing}
    return set()


_NUMBER_END = re.compile(r"\d$")
_THOUSANDS_START = re.compile(r"^\d{3}(?!\d)")


def _cut_number(row: list) -> bool:
    """Whether two neighbouring cells of ``row`` (its named columns: a note column's 2024-04-01 | 123 is two
    values) are one number cut at a thousands separator (3 | 000円)."""
    cells = [str(value).strip() for value in row]
    return any(_NUMBER_END.search(first) and _THOUSANDS_START.match(second) for first, second in zip(cells, cells[1:]))


_AUDIENCE_WORDS = {"市民": "citizen", "住民": "citizen", "一般": "citizen", "公開": "citizen", "citizen": "citizen",
                   "職員": "staff", "庁内": "staff", "内部": "staff", "非公開": "staff", "staff": "staff",
                   "全員": "all", "共通": "all", "両方": "all", "all": "all",
                   # Both named (the admin UI's own label for all: 市民・職員).
                   "市民・職員": "all", "市民/職員": "all", "市民と職員": "all", "市民、職員": "all", "職員・市民": "all",
                   "住民・職員": "all"}


def _audience_cell(value: str) -> str:
    """citizen / staff / all from an audience cell (市民向け, 庁内用, staff ...). Any other value is an
    error for the row, never a guess: a row meant for staff must not reach citizens."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    if not value:
        return ""
    word = re.sub(r"(?:向け|むけ|用|のみ|限定)$", "", value)
    if word in _AUDIENCE_WORDS:
        return _AUDIENCE_WORDS[word]
    raise ValueError(f"対象「{value}」を読めません（市民、職員、全員（市民・職員）のいずれか、または citizen / staff / all）")
