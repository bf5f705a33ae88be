"""A 1,800-entry FAQ with long answers, generated from the kosodate FAQ (not in the repository).

    python -m benchmarks.long_faq OUT.csv [--entries 1800] [--faq PATH]

How: the 661 kosodate entries are cycled; copy k of entry i keeps its question (copies after
the first are prefixed with their service name and a number, so every question is a distinct
text), and its answer is the entry's own answer followed by the answers of other entries of
the same category until it reaches a length drawn uniformly from 300–800 characters (cut
there). Ids are distinct (L0001…). The result has the length profile of a city FAQ whose
answers are a paragraph or two, which is what makes a first import slow.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

KOSODATE_FAQ = Path("/work/shared/data/kosodate-faq/faq.json")


def long_faq_rows(entries: int = 1800, faq: Path = KOSODATE_FAQ, seed: int = 0) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)
    items = json.loads(Path(faq).read_text(encoding="utf-8"))
    by_category: dict[str, list[dict]] = {}
    for item in items:
        by_category.setdefault(item.get("category1") or "", []).append(item)
    rows = []
    for number in range(entries):
        item = items[number % len(items)]
        copy = number // len(items)
        question = item["question"] if copy == 0 else f"{item.get('service_name') or item['category1']}（{copy}）：{item['question']}"
        target = rng.randint(300, 800)
        answer = item["answer"].replace("\n", " ")
        others = by_category[item.get("category1") or ""]
        while len(answer) < target:
            answer += " " + rng.choice(others)["answer"].replace("\n", " ")
        rows.append((f"L{number + 1:04d}", question, answer[:target], item.get("category1") or ""))
    return rows


def write_long_faq(out: Path, entries: int = 1800, faq: Path = KOSODATE_FAQ) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "問い合わせ文", "応答文", "カテゴリ"])
        writer.writerows(long_faq_rows(entries, faq))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=1800)
    parser.add_argument("--faq", type=Path, default=KOSODATE_FAQ)
    args = parser.parse_args(argv)
    write_long_faq(args.out, args.entries, args.faq)
    print(f"wrote {args.entries} entries to {args.out}")


if __name__ == "__main__":
    main()
