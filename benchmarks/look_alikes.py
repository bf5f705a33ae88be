"""How often the look-alike decline fires on vocabulary it was not written for.

    python -m benchmarks.look_alikes [--<city>-dir DIR ...] [--no-import]

Each city FAQ of benchmarks/cities and benchmarks/heldout is asked every other city's FAQ questions (its
``問い合わせ文``): residents of one city name things as their own city does, so these questions are a
large set of real municipal vocabulary that the asked city may write otherwise. Prints, for each pair
(the thing asked, the thing the asked city knows) that the look-alike decline fired on
(bot/answering/entities.py, qualified_variant), how many questions it fired on; each pair is then judged by
reading it: another benefit (児童扶養手当 for 児童手当) is a right decline, another way of naming the same
thing (所得課税証明書 for 所得証明書) a wrong one.
"""
from __future__ import annotations

import argparse
import csv
from collections import Counter

from benchmarks.quality_report import CITY_FAQS, add_data_arguments, data_dir_of, ensure_data
from bot.answering.retrieval import Retriever


def questions_of(city: str) -> list[str]:
    with CITY_FAQS[city].open(encoding="utf-8-sig", newline="") as f:
        return [row["問い合わせ文"] for row in csv.DictReader(f) if row.get("問い合わせ文")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    asked = {city: questions_of(city) for city in CITY_FAQS}
    pairs, total = Counter(), 0
    for city in CITY_FAQS:
        directory = data_dir_of(args, city)
        if not args.no_import:
            ensure_data(city, directory, args.embedder)
        retriever = Retriever(directory, args.embedder)
        for other, questions in asked.items():
            if other == city:
                continue
            for question in questions:
                total += 1
                variant = retriever.entity_check(retriever.query_text(question, "citizen"), "citizen").variant
                if variant:
                    pairs[variant] += 1
    print(f"{total} questions asked of {len(CITY_FAQS)} city FAQs; the look-alike decline fired on "
          f"{sum(pairs.values())}:")
    for (thing, known), count in pairs.most_common():
        print(f"  {count:4d}  {thing}  (the asked city knows {known})")


if __name__ == "__main__":
    main()
