#!/usr/bin/env python3
"""Check the held-out query sets against the knowledge they were written for.

- every line is a JSON object with ``id``, ``text``, ``audience`` (citizen|staff),
  ``relevant`` (list of entry ids) and ``style``; ids are unique across all files;
- ``*_oos.jsonl`` questions have ``relevant: []``; the other files have at least one id;
- every relevant id exists: sample sets in the knowledge folder (read with the importer's
  loaders) or in a data dir with it imported (read only), kosodate sets in the FAQ JSON
  (string form of ``faq_id``), みなと市 sets in ``minato_faq.csv`` beside them;
- every ``fact`` is an exact substring of the body of at least one relevant entry;
- ``facts.jsonl`` is exactly the questions of ``sample.jsonl`` that carry a ``fact``.

Usage::

    python -m benchmarks.heldout.validate --knowledge knowledge --faq-json ../shared/data/kosodate-faq/faq.json
    python -m benchmarks.heldout.validate --data-dir /work/var-sample

Exits 1 and lists the problems when a check fails. ``--data-dir`` and ``--faq-json`` need only
the standard library; ``--knowledge`` uses the importer's loaders.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SAMPLE_FILES = ("sample.jsonl", "sample_oos.jsonl", "facts.jsonl")
KOSODATE_FILES = ("kosodate.jsonl", "kosodate_oos.jsonl")
# Other cities (みなと市, ひなた市): each FAQ (<city>_faq.csv) and its questions (<city>.jsonl,
# <city>_oos.jsonl) live here, written apart from the product.
MINATO_FAQ = HERE / "minato_faq.csv"


def city_files(folder: Path = HERE) -> dict[str, tuple[str, str]]:
    """City → its two question files, for every <city>_faq.csv in ``folder``."""
    cities = (faq.stem.removesuffix("_faq") for faq in sorted(folder.glob("*_faq.csv")))
    return {city: (f"{city}.jsonl", f"{city}_oos.jsonl") for city in cities}


AUDIENCES = {"citizen", "staff"}


def read_jsonl(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{number}: {exc}") from exc
    return items


def sample_bodies(data_dir: Path) -> dict[str, str]:
    """Entry id → body of the active entries in a data dir (opened read only)."""
    database = data_dir / "madoguchi.db"
    if not database.exists():
        raise FileNotFoundError(f"{database} not found (import knowledge/ into that data dir first)")
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return dict(connection.execute("SELECT id, body FROM entries WHERE status = 'active'").fetchall())
    finally:
        connection.close()


def knowledge_bodies(folder: Path) -> dict[str, str]:
    """Entry id → body of every entry the importer would create from a knowledge folder."""
    from indexing.importer import collect_files
    from indexing.loaders import SourceMetadata, load_knowledge_file

    bodies: dict[str, str] = {}
    for path, _ in collect_files([folder]):
        for entry in load_knowledge_file(path, SourceMetadata()).entries:
            bodies.setdefault(entry.id, entry.body)
    return bodies


def city_faq_bodies(faq_csv: Path = MINATO_FAQ) -> dict[str, str]:
    """Entry id → body of a city's FAQ file (みなと市 by default), read with the importer's loader."""
    from indexing.loaders import SourceMetadata, load_knowledge_file

    return {entry.id: entry.body for entry in load_knowledge_file(faq_csv, SourceMetadata()).entries}


def kosodate_bodies(faq_json: Path) -> dict[str, str]:
    return {str(e["faq_id"]): e["answer"] for e in json.loads(faq_json.read_text(encoding="utf-8"))}


def check_file(name: str, items: list[dict], bodies: dict[str, str] | None) -> list[str]:
    problems = []
    oos = name.endswith("_oos.jsonl")
    for item in items:
        where = f"{name}:{item.get('id', '?')}"
        missing = [key for key in ("id", "text", "audience", "relevant", "style") if key not in item]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if item["audience"] not in AUDIENCES:
            problems.append(f"{where}: audience {item['audience']!r}")
        if not str(item["text"]).strip():
            problems.append(f"{where}: empty text")
        relevant = item["relevant"]
        if oos and relevant:
            problems.append(f"{where}: out-of-scope question with relevant entries")
        if not oos and not relevant:
            problems.append(f"{where}: no relevant entry")
        if bodies is None:
            continue
        unknown = [entry_id for entry_id in relevant if entry_id not in bodies]
        if unknown:
            problems.append(f"{where}: unknown entry ids {unknown}")
        fact = item.get("fact")
        if fact is not None and not any(fact in bodies.get(entry_id, "") for entry_id in relevant):
            problems.append(f"{where}: fact {fact!r} is in no relevant entry")
    return problems


def validate(sample: dict[str, str] | None, kosodate: dict[str, str] | None,
             folder: Path = HERE) -> tuple[list[str], list[str]]:
    """(problems, summary lines); ``sample`` / ``kosodate`` map entry id → body (None: ids not checked); the
    other cities' sets are checked against their own FAQ files in ``folder``."""
    problems, summary = [], []
    cities = city_files(folder)
    city_of = {name: city for city, names in cities.items() for name in names}
    names = SAMPLE_FILES + KOSODATE_FILES + tuple(city_of)
    loaded = {name: read_jsonl(folder / name) for name in names if (folder / name).exists()}
    for name in names:
        if name not in loaded:
            problems.append(f"{name}: missing")
    ids = Counter(item.get("id") for name, items in loaded.items() if name != "facts.jsonl" for item in items)
    problems += [f"duplicate id {i!r}" for i, count in ids.items() if count > 1]

    city_bodies = {city: city_faq_bodies(folder / f"{city}_faq.csv") for city in cities}
    for name, items in loaded.items():
        bodies = sample if name in SAMPLE_FILES else city_bodies[city_of[name]] if name in city_of else kosodate
        problems += check_file(name, items, bodies)
        styles = Counter(item.get("style") for item in items)
        summary.append(f"{name}: {len(items)} questions; " + ", ".join(f"{s} {n}" for s, n in sorted(styles.items())))
    if "sample.jsonl" in loaded and "facts.jsonl" in loaded:
        expected = [item for item in loaded["sample.jsonl"] if "fact" in item]
        if loaded["facts.jsonl"] != expected:
            problems.append("facts.jsonl is not the fact-carrying questions of sample.jsonl (regenerate it)")
    if sample is None:
        summary.append("sample ids and facts not checked (no --knowledge or --data-dir)")
    if kosodate is None:
        summary.append("kosodate ids and facts not checked (no --faq-json)")
    return problems, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--knowledge", type=Path, help="knowledge folder (default: knowledge/ unless --data-dir)")
    parser.add_argument("--data-dir", type=Path, help="data dir with knowledge/ imported (read only)")
    parser.add_argument("--faq-json", type=Path, help="kosodate FAQ JSON")
    parser.add_argument("--write-facts", action="store_true",
                        help="rewrite facts.jsonl from sample.jsonl before checking")
    args = parser.parse_args(argv)
    if args.write_facts:
        items = [item for item in read_jsonl(HERE / "sample.jsonl") if "fact" in item]
        (HERE / "facts.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                                          encoding="utf-8")
    try:
        if args.data_dir:
            sample = sample_bodies(args.data_dir)
        else:
            sample = knowledge_bodies(args.knowledge or REPO_ROOT / "knowledge")
        kosodate = kosodate_bodies(args.faq_json) if args.faq_json else None
        problems, summary = validate(sample, kosodate)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(summary))
    if problems:
        print(f"\n{len(problems)} problems:", *problems, sep="\n  ")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
