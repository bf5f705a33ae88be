#!/usr/bin/env python3
"""Turn the kosodate FAQ JSON into the municipal FAQ open-data CSV layout.

Writes ``ID,問い合わせ文,応答文,カテゴリ`` (UTF-8, LF line endings, standard csv quoting)
with the raw ``faq_id`` as ``ID`` and ``category1`` as ``カテゴリ``. Unlike
``tools/build_sample_faq.py`` it fills no placeholders and renames no ids, so the result is a
plain import of the source data and ``benchmarks/heldout/kosodate*.jsonl`` (whose relevant
ids are the string form of ``faq_id``) can be measured against it::

    python benchmarks/heldout/convert_kosodate.py /tmp/kosodate.csv
    madoguchi --data-dir /tmp/kosodate-var import /tmp/kosodate.csv
    madoguchi --data-dir /tmp/kosodate-var search --audience citizen --top 10 --json \
        --batch benchmarks/heldout/kosodate.jsonl > /tmp/kosodate-ranked.jsonl

The FAQ is CC BY 4.0: 出典：子育てオープンデータ協議会「汎用FAQ」.
Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_FAQ_JSON_PARTS = ("shared", "data", "kosodate-faq", "faq.json")
# The shared data sits beside the main checkout (../shared) or beside the worktree folder (../../shared).
DEFAULT_FAQ_JSON = next((p for p in (REPO_ROOT.parent.joinpath(*_FAQ_JSON_PARTS),
                                     REPO_ROOT.parent.parent.joinpath(*_FAQ_JSON_PARTS)) if p.exists()),
                        REPO_ROOT.parent.joinpath(*_FAQ_JSON_PARTS))
COLUMNS = ["ID", "問い合わせ文", "応答文", "カテゴリ"]


def faq_rows(entries: list[dict]) -> list[list[str]]:
    """One CSV row per FAQ entry, in faq_id order; entries without a question or answer are an error."""
    rows = []
    for entry in sorted(entries, key=lambda e: int(e["faq_id"])):
        question, answer = str(entry.get("question", "")).strip(), str(entry.get("answer", "")).strip()
        if not question or not answer:
            raise ValueError(f"faq_id {entry.get('faq_id')}: empty question or answer")
        rows.append([str(entry["faq_id"]), question, answer, str(entry.get("category1", "")).strip()])
    ids = [row[0] for row in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate faq_id in the input")
    return rows


def write_csv(rows: list[list[str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--faq-json", type=Path, default=DEFAULT_FAQ_JSON,
                        help="kosodate FAQ JSON (default: ../shared/data/kosodate-faq/faq.json)")
    args = parser.parse_args(argv)
    try:
        entries = json.loads(args.faq_json.read_text(encoding="utf-8"))
        rows = faq_rows(entries)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"error: {args.faq_json}: {exc}", file=sys.stderr)
        return 1
    write_csv(rows, args.out)
    print(f"{len(rows)} entries written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
