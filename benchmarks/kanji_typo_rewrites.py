"""How often the kanji-typo respelling rewrites questions that hold no typo.

    python -m benchmarks.kanji_typo_rewrites [--<city>-dir DIR ...] [--no-import]

Each city FAQ of benchmarks/cities and benchmarks/heldout is asked every other city's FAQ questions (their
``問い合わせ文``, as benchmarks/look_alikes.py does): questions written by city staff, in real municipal
vocabulary the asked city may write otherwise, and without typos. Every rewrite that
indexing/kanji_typos.py makes of them is a word a resident meant turned into another; the benchmark prints
how many questions were rewritten and each rewrite (the run as typed and as rewritten).
"""
from __future__ import annotations

import argparse
import difflib
from collections import Counter

from benchmarks.look_alikes import questions_of
from benchmarks.quality_report import CITY_FAQS, add_data_arguments, data_dir_of, ensure_data
from bot.answering.retrieval import Retriever


def rewrites(typed: str, fixed: str) -> list[tuple[str, str]]:
    """(as typed, as rewritten) of each changed place, with two characters around it."""
    return [(typed[max(0, a - 2):b + 2], fixed[max(0, c - 2):d + 2])
            for op, a, b, c, d in difflib.SequenceMatcher(None, typed, fixed).get_opcodes() if op != "equal"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    asked = {city: questions_of(city) for city in CITY_FAQS}
    changed, total, rewritten = Counter(), 0, 0
    for city in CITY_FAQS:
        directory = data_dir_of(args, city)
        if not args.no_import:
            ensure_data(city, directory, args.embedder)
        typos = Retriever(directory, args.embedder).respelling("citizen").typos
        for other, questions in asked.items():
            if other == city:
                continue
            for question in questions:
                total += 1
                fixed = typos.fixed(question)
                if fixed != question:
                    rewritten += 1
                    changed.update(rewrites(question, fixed))
    print(f"{total} questions asked of {len(CITY_FAQS)} city FAQs; the kanji-typo respelling rewrote {rewritten}:")
    for (typed, fixed), count in changed.most_common():
        print(f"  {count:4d}  {typed} -> {fixed}")


if __name__ == "__main__":
    main()
