"""Retrieval quality on the labelled dev set, with the shipped calibration.

    python -m benchmarks.retrieval_quality [--data-dir DIR] [--embedder SPEC] [--failures]

Prints nDCG@10, MRR@10, Hit@1, Hit@5 over answerable questions, abstention precision and
recall over out-of-scope ones, and the same by question style and audience.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_DIR, DEVSET, ensure_sample_data
from bot.answering.evaluation import evaluate_bot, load_devset


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--embedder", default="")
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--failures", action="store_true", help="list the questions ranked wrong")
    args = parser.parse_args(argv)

    ensure_sample_data(args.data_dir, args.embedder)
    from bot.service import Bot

    bot = Bot(args.data_dir, args.embedder)
    questions = load_devset(args.devset)
    overall = evaluate_bot(bot, questions)
    print(f"embedder {bot.retriever.embedder.name}; {overall.answerable} answerable + "
          f"{overall.out_of_scope} out-of-scope questions")
    for key, value in overall.as_dict().items():
        print(f"  {key:24s} {value}")
    groups = defaultdict(list)
    for question in questions:
        groups[f"style={question.style or '-'}"].append(question)
        groups[f"audience={question.audience}"].append(question)
    print("\nby group:            n   hit@1  hit@5  mrr@10  abstained")
    for name in sorted(groups):
        report = evaluate_bot(bot, groups[name])
        n = report.answerable + report.out_of_scope
        abstained = (report.abstained_answerable + report.abstained_out_of_scope) / n
        print(f"  {name:18s} {n:4d}  {report.hit1:.3f}  {report.hit5:.3f}  {report.mrr10:.3f}   {abstained:.3f}")
    if args.failures:
        for failure in overall.failures:
            print(failure)


if __name__ == "__main__":
    main()
