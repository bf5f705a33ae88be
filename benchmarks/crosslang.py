"""Questions in other languages against the Japanese knowledge, compared with their Japanese originals.

    python -m benchmarks.crosslang [--data-dir DIR] [--embedder SPEC] [--failures]

``benchmarks/crosslang.jsonl`` holds our own translations (en, zh-Hans, ko, vi, pt) of citizen
questions of the dev set, each with its Japanese original (``ja_text``) and the relevant entry
ids; questions with no relevant entry are out of scope and should be declined. Prints, per
language: Hit@1 and Hit@3 (the Japanese originals as the ``ja`` row), the share of answerable
questions answered (not declined) and answered right, and the share of out-of-scope questions
declined; then the language detector's accuracy on the set and on the short/mixed texts of
``tests/fixtures/language-detection.jsonl``.
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_DIR, ROOT, ensure_sample_data
from bot.answering.evaluation import hit_at_k
from indexing.language import detect_language

CROSSLANG = ROOT / "benchmarks" / "crosslang.jsonl"
DETECTION_TABLE = ROOT / "tests" / "fixtures" / "language-detection.jsonl"


def load_records(path: Path = CROSSLANG) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def questions_by_language(records: list[dict]) -> dict[str, list[dict]]:
    """Translated questions by language, plus their Japanese originals (once each) as ``ja``."""
    groups: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for record in records:
        groups[record["language"]].append(record)
        if record["ja_id"] not in seen:
            seen.add(record["ja_id"])
            groups["ja"].append({**record, "id": record["ja_id"], "language": "ja", "text": record["ja_text"]})
    return dict(groups)


def run_question(bot, record: dict) -> dict:
    """Detected language, ranked ids and whether the bot declined, as the bot answers it."""
    language = bot.language_of(record["text"])
    ranking = bot.retriever.rank(record["text"], record["audience"], top=10, language=language)
    confidence = bot.retriever.confidence(ranking)
    return {"language": language, "ranked": [h.entry.id for h in ranking.hits],
            "declined": confidence < bot.retriever.threshold_for(language), "confidence": confidence}


def summarise(records: list[dict], results: list[dict]) -> dict:
    answerable = [(r, x) for r, x in zip(records, results) if r["relevant"]]
    out_of_scope = [(r, x) for r, x in zip(records, results) if not r["relevant"]]
    n = len(answerable) or 1
    hit1 = sum(hit_at_k(x["ranked"], set(r["relevant"]), 1) for r, x in answerable) / n
    hit3 = sum(hit_at_k(x["ranked"], set(r["relevant"]), 3) for r, x in answerable) / n
    answered = sum(not x["declined"] for _, x in answerable) / n
    right = sum((not x["declined"]) and hit_at_k(x["ranked"], set(r["relevant"]), 1) for r, x in answerable) / n
    declined_out = (sum(x["declined"] for _, x in out_of_scope) / len(out_of_scope)) if out_of_scope else None
    return {"answerable": len(answerable), "out_of_scope": len(out_of_scope), "hit@1": hit1, "hit@3": hit3,
            "answered": answered, "answered_right": right, "declined_out_of_scope": declined_out}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--embedder", default="")
    parser.add_argument("--failures", action="store_true", help="list the questions ranked wrong")
    args = parser.parse_args(argv)

    ensure_sample_data(args.data_dir, args.embedder)
    from bot.service import Bot

    bot = Bot(args.data_dir, args.embedder)
    groups = questions_by_language(load_records())
    print(f"embedder {bot.retriever.embedder.name}; {sum(len(g) for g in groups.values())} questions")
    print("language   n  hit@1  hit@3  answered  answered-right  out-of-scope declined")
    detected_right = detected_total = 0
    for language in ["ja"] + sorted(k for k in groups if k != "ja"):
        records = groups[language]
        results = [run_question(bot, r) for r in records]
        s = summarise(records, results)
        declined = "-" if s["declined_out_of_scope"] is None else f"{s['declined_out_of_scope']:.2f} of {s['out_of_scope']}"
        print(f"{language:8s} {s['answerable']:3d}  {s['hit@1']:.3f}  {s['hit@3']:.3f}  {s['answered']:8.2f}"
              f"  {s['answered_right']:14.2f}  {declined}")
        detected_right += sum(x["language"] == language for x in results)
        detected_total += len(results)
        if args.failures:
            for r, x in zip(records, results):
                if r["relevant"] and not hit_at_k(x["ranked"], set(r["relevant"]), 1):
                    print(f"    miss {r['id']} {r['text']} → {x['ranked'][:3]} (want {r['relevant'][:2]})")
                if x["language"] != language:
                    print(f"    detected {x['language']} for {r['text']}")
    table = [json.loads(line) for line in DETECTION_TABLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    table_right = sum(detect_language(row["text"]) == row["language"] for row in table)
    print(f"\nlanguage detection: {detected_right}/{detected_total} on this set "
          f"({detected_right / detected_total:.3f}); {table_right}/{len(table)} on the short/mixed table")


if __name__ == "__main__":
    main()
