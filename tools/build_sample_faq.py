#!/usr/bin/env python3
"""Build the sample FAQ CSV for the fictional あおば市 from the generic child-rearing FAQ.

Reads the 子育てオープンデータ協議会「汎用FAQ」 (JSON conversion, 661 entries, CC BY 4.0),
fills its placeholders with the details of the fictional city, and writes
``knowledge/faq/kosodate-faq.csv`` in the municipal FAQ open-data layout.

Inputs:
    FAQ_JSON                          default: ../shared/data/kosodate-faq/faq.json
                                      (relative to the repository root)
    knowledge/faq/placeholders.toml   what each placeholder becomes (documented there)
    knowledge/departments.toml        所管課, phone and hours per category

Output (``--out``, default knowledge/faq/kosodate-faq.csv): UTF-8 with BOM, LF line
endings, standard csv quoting, columns::

    ID,問い合わせ文,応答文,カテゴリ,サブカテゴリ,所管課,URL,更新日,見直し期限

The script is deterministic: the same inputs always give byte-identical output.
``--check`` rebuilds in memory and exits 1 if the file on disk differs.
``--report`` prints, per entry, any placeholder-like text that is left.

Usage::

    python tools/build_sample_faq.py
    python tools/build_sample_faq.py /path/to/faq.json --check

Standard library only (Python 3.11+ for tomllib).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FAQ_JSON = REPO_ROOT / ".." / "shared" / "data" / "kosodate-faq" / "faq.json"
DEFAULT_PLACEHOLDERS = REPO_ROOT / "knowledge" / "faq" / "placeholders.toml"
DEFAULT_DEPARTMENTS = REPO_ROOT / "knowledge" / "departments.toml"
DEFAULT_OUT = REPO_ROOT / "knowledge" / "faq" / "kosodate-faq.csv"

CSV_COLUMNS = ["ID", "問い合わせ文", "応答文", "カテゴリ", "サブカテゴリ", "所管課", "URL", "更新日", "見直し期限"]
EXPECTED_ENTRIES = 661

# Text that still looks like an unfilled template after conversion (used by --report).
LEFTOVER_PATTERN = re.compile(
    r"（[^（）]*(?:自治体|記載|名称）|URL）)[^（）]*）|[○●△×□▲]|AAA|BBB|CCC|例「|～～"
)


class BuildError(Exception):
    """The inputs are inconsistent (unknown category, a fix that no longer matches, ...)."""


@dataclass(frozen=True)
class Department:
    name: str
    phone: str
    hours: str
    location: str
    url: str


@dataclass(frozen=True)
class Settings:
    city: dict
    instruction_markers: tuple[str, ...]
    rename_category: dict
    rename_subcategory: dict
    category_pages: dict
    fixes: dict  # faq_id -> list of (field, from, to)
    overrides: dict  # faq_id -> {"question": ..., "answer": ...}
    replaces: tuple  # ((from, to), ...) literal, in order
    patterns: tuple  # ((compiled regex, to), ...) in order


# --------------------------------------------------------------------------- loading


def load_departments(path: Path) -> tuple[dict, dict, Department]:
    """Return (by_category, by_subcategory, default_department) from departments.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    by_category: dict[str, Department] = {}
    by_subcategory: dict[str, Department] = {}
    default = None
    for table in data["department"]:
        dept = Department(table["name"], table["phone"], table["hours"], table["location"], table["url"])
        for category in table.get("categories", []):
            if category in by_category:
                raise BuildError(f"category {category!r} is owned by two departments")
            by_category[category] = dept
        for pair in table.get("subcategories", []):
            if pair in by_subcategory:
                raise BuildError(f"subcategory {pair!r} is owned by two departments")
            by_subcategory[pair] = dept
        if table.get("default"):
            if default is not None:
                raise BuildError("more than one department has default = true")
            default = dept
    if default is None:
        raise BuildError("no department has default = true")
    return by_category, by_subcategory, default


def load_settings(path: Path) -> Settings:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    fixes: dict[int, list] = {}
    for fix in data.get("fix", []):
        field = fix.get("field", "answer")
        if field not in ("question", "answer", "both"):
            raise BuildError(f"fix {fix!r}: field must be question, answer or both")
        for faq_id in fix["ids"]:
            fixes.setdefault(faq_id, []).append((field, fix["from"], fix["to"]))
    overrides = {}
    for override in data.get("override", []):
        if override["id"] in overrides:
            raise BuildError(f"two overrides for id {override['id']}")
        overrides[override["id"]] = override
    replaces = tuple((r["from"], r["to"]) for r in data.get("replace", []))
    patterns = tuple((re.compile(p["regex"]), p["to"]) for p in data.get("pattern", []))
    return Settings(
        city=data["city"],
        instruction_markers=tuple(data["instruction_markers"]),
        rename_category=data.get("rename_category", {}),
        rename_subcategory=data.get("rename_subcategory", {}),
        category_pages=data["category_pages"],
        fixes=fixes,
        overrides=overrides,
        replaces=replaces,
        patterns=patterns,
    )


# --------------------------------------------------------------------------- text handling


def normalize_whitespace(text: str) -> str:
    """Undo the spreadsheet artefacts described in the data README.

    Runs of two or more U+3000 were line wrapping, so they become a line break; trailing
    spaces on a line and around the whole text are dropped; three or more line breaks
    collapse to one blank line. A single U+3000 (used as indentation) is kept.
    """
    text = text.replace("\r\n", "\n")
    text = re.sub(r"[ \t]*\u3000{2,}[ \t]*", "\n", text)
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _matching_close(text: str, start: int, open_char: str, close_char: str) -> int:
    """Index of the bracket closing the one just before ``start``, or -1 if unbalanced."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == open_char:
            depth += 1
        elif text[i] == close_char:
            depth -= 1
            if depth == 0:
                return i
    return -1


def remove_editor_instructions(text: str, markers: tuple[str, ...]) -> str:
    """Drop notes addressed to the FAQ editor and keep their worked examples.

    The template writes "（…を記載してください。）" where the municipality should write
    its own text, often followed by a filled-in example ``例「…」`` (on the next line or
    inside the same parentheses). The example becomes the answer text; the note goes.
    """
    pos = 0
    while True:
        open_at = text.find("（", pos)
        if open_at < 0:
            return text
        close_at = _matching_close(text, open_at + 1, "（", "）")
        if close_at < 0:
            return text
        inner = text[open_at + 1 : close_at]
        if not any(marker in inner for marker in markers):
            pos = open_at + 1
            continue
        inline = re.search(r"例[「｢]", inner)
        if inline:
            # "（…を記載してください。例「X」）" -> "X"
            ex_start = inline.end()
            ex_end = _matching_close(inner, ex_start, "「", "」")
            example = inner[ex_start:ex_end] if ex_end >= 0 else inner[ex_start:]
            text = text[:open_at] + example + text[close_at + 1 :]
            pos = open_at + len(example)
            continue
        after = text[close_at + 1 :]
        block = re.match(r"[ \t\n]*(?:[^\n「」（）]{0,8}の)?例[「｢]", after)
        if block:
            # "（…を記載してください。）\n例「X」" -> "X"; the closing 」 may be missing.
            body_start = close_at + 1 + block.end()
            body_end = _matching_close(text, body_start, "「", "」")
            if body_end >= 0:
                tail = text[body_end + 1 :]
                # A stray "）" right after the example closes nothing once the note is gone.
                if tail.startswith("）") and text.count("（") < text.count("）"):
                    tail = tail[1:]
                text = text[:open_at] + text[body_start:body_end] + tail
            else:
                text = text[:open_at] + text[body_start:]
            pos = open_at
            continue
        # A bare note: remove it, and the line it was on if nothing else is left there.
        line_start = text.rfind("\n", 0, open_at) + 1
        line_end = text.find("\n", close_at)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:open_at].strip() and not text[close_at + 1 : line_end].strip():
            text = text[:line_start] + text[line_end + 1 :]
            pos = line_start
        else:
            text = text[:open_at] + text[close_at + 1 :]
            pos = open_at


def expand_tokens(text: str, tokens: dict[str, str]) -> str:
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", value)
    return text


def tidy(text: str) -> str:
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------- conversion


def convert_entry(entry: dict, settings: Settings, departments: tuple) -> dict:
    by_category, by_subcategory, default = departments
    faq_id = entry["faq_id"]
    category = settings.rename_category.get(entry["category1"], entry["category1"].strip())
    subcategory = settings.rename_subcategory.get(entry["category2"], entry["category2"].strip())
    pair = f"{category}/{subcategory}"
    department = by_subcategory.get(pair) or by_category.get(category)
    if department is None:
        raise BuildError(f"faq_id {faq_id}: no department owns category {category!r}")
    page = settings.category_pages.get(pair, settings.category_pages.get(category))
    if page is None:
        raise BuildError(f"faq_id {faq_id}: no page for category {category!r} in category_pages")
    city = settings.city
    url = city["site"] + page
    tokens = {
        "city": city["name"],
        "prefecture": city["prefecture"],
        "site": city["site"],
        "url": url,
        "department": department.name,
        "phone": department.phone,
        "hours": department.hours,
        "location": department.location,
        "main_phone": default.phone,
        "city_hall_address": city["city_hall_address"],
    }

    fields = {
        "question": normalize_whitespace(entry["question"]),
        "answer": normalize_whitespace(entry["answer"]),
    }
    override = settings.overrides.get(faq_id, {})
    for name in fields:
        if name in override:
            fields[name] = override[name].strip()
    for target, old, new in settings.fixes.get(faq_id, []):
        names = ("question", "answer") if target == "both" else (target,)
        hit = False
        for name in names:
            if old in fields[name]:
                fields[name] = fields[name].replace(old, new)
                hit = True
        if not hit:
            raise BuildError(f"faq_id {faq_id}: fix {old!r} does not match the {target}")
    for name in fields:
        text = remove_editor_instructions(fields[name], settings.instruction_markers)
        for old, new in settings.replaces:
            text = text.replace(old, new)
        for regex, new in settings.patterns:
            text = regex.sub(new, text)
        fields[name] = tidy(expand_tokens(text, tokens))

    return {
        "ID": f"KF{faq_id:04d}",
        "問い合わせ文": fields["question"],
        "応答文": fields["answer"],
        "カテゴリ": category,
        "サブカテゴリ": subcategory,
        "所管課": department.name,
        "URL": url,
        "更新日": city["updated"],
        "見直し期限": city["review_by"],
    }


def build_rows(faq_json: Path, placeholders: Path, departments_toml: Path) -> list[dict]:
    entries = json.loads(faq_json.read_text(encoding="utf-8"))
    if len(entries) != EXPECTED_ENTRIES:
        raise BuildError(f"expected {EXPECTED_ENTRIES} entries in {faq_json}, found {len(entries)}")
    settings = load_settings(placeholders)
    departments = load_departments(departments_toml)
    known_ids = {e["faq_id"] for e in entries}
    for faq_id in list(settings.fixes) + list(settings.overrides):
        if faq_id not in known_ids:
            raise BuildError(f"placeholders.toml names unknown faq_id {faq_id}")
    rows = [convert_entry(e, settings, departments) for e in sorted(entries, key=lambda e: e["faq_id"])]
    return rows


def render_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


def leftovers(rows: list[dict]) -> list[tuple[str, str]]:
    found = []
    for row in rows:
        for name in ("問い合わせ文", "応答文"):
            for match in LEFTOVER_PATTERN.finditer(row[name]):
                found.append((row["ID"], match.group()))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("faq_json", nargs="?", type=Path, default=DEFAULT_FAQ_JSON)
    parser.add_argument("--placeholders", type=Path, default=DEFAULT_PLACEHOLDERS)
    parser.add_argument("--departments", type=Path, default=DEFAULT_DEPARTMENTS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out is not up to date")
    parser.add_argument("--report", action="store_true", help="list template text left in the output")
    args = parser.parse_args(argv)

    try:
        rows = build_rows(args.faq_json, args.placeholders, args.departments)
    except (OSError, BuildError, KeyError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        print(f"build_sample_faq: {exc}", file=sys.stderr)
        return 2
    data = render_csv(rows)
    if args.report:
        for faq_id, text in leftovers(rows):
            print(f"{faq_id}\t{text}")
    if args.check:
        current = args.out.read_bytes() if args.out.exists() else b""
        if current != data:
            print(f"build_sample_faq: {args.out} is out of date", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {len(rows)} entries to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
