"""Answer quality per set and per style: ranking, answering, declines and the fact asked for.

    python -m benchmarks.quality_report [--sample-dir DIR] [--kosodate-dir DIR] [--sets NAME ...]

Sets: ``devset`` (benchmarks/devset.jsonl, tuned), ``styles_dev`` (benchmarks/styles_dev.jsonl: tuned
answerable questions as stories, typos, kana and with masked personal data), ``devset_oos``
(benchmarks/oos_dev.jsonl: tuned out-of-scope questions by class, joined with the dev set as
``devset+oos`` and with every tuned sample set as ``tuned+oos``), ``facts`` (benchmarks/facts.jsonl: questions
asking for a deadline, place, fee, requirement or approver, with the expected fact; tuned), ``plan_facts``
(benchmarks/plan_facts.jsonl: staff and residents asking a plan document for one fact, a target, a year, a
department or a term's meaning, with the expected fact; tuned), ``kosodate-dev`` (the development split of
../shared/data/kosodate-faq, tuned), and every ``benchmarks/heldout/*.jsonl`` (held out: never tune on
them). Sample-knowledge sets run against the sample knowledge; sets whose file name starts with
``kosodate`` against the generic kosodate FAQ imported on its own (IDs are the FAQ's ``faq_id``), and
sets whose name starts with another city's name against that city's FAQ (``<city>_faq.csv``, imported on
its own into --<city>-dir): みなと市, ひなた市, かすみ野市, 白川町, さくら台市 and あさぎり町 in benchmarks/heldout/ (cities the product
was never tuned on), かわべ市, 北浜市, 森野市 and よつば市 in benchmarks/cities/ (tuned: ``cities/kawabe``,
``cities/kitahama``, ``cities/morino``, ``cities/yotsuba``).

For each set and each style it prints Hit@1, nDCG@10, MRR@10, the share of answerable questions
answered and the share of those answers whose first source is relevant, out-of-scope declined and
answerable declined (the bot's own threshold, then a threshold chosen by 5-fold cross-validation
for at most 5% answerable declined), and the fact-in-answer rate (the labelled ``fact`` substring
appears in the composed answer).
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_DIR, DEVSET, FACTS, OOS_DEV, PLAN_FACTS, ROOT, STYLES_DEV, ensure_sample_data
from bot.answering.evaluation import LabelledQuestion, cross_validated, load_devset, run_bot, summarize

# ../shared/data/kosodate-faq beside the checkout (a worktree may sit one level deeper).
KOSODATE = next((p / "shared" / "data" / "kosodate-faq" for p in (ROOT.parent, ROOT.parent.parent)
                 if (p / "shared" / "data" / "kosodate-faq").exists()), ROOT.parent / "shared" / "data" / "kosodate-faq")
HELDOUT = ROOT / "benchmarks" / "heldout"
CITIES = ROOT / "benchmarks" / "cities"
# Other cities' FAQs, each imported alone: a set whose file name starts with a city's name runs against
# that city. The cities of benchmarks/heldout/ (みなと市, ひなた市, かすみ野市, 白川町, さくら台市, あさぎり町) are held out (benchmarks/heldout/README.md);
# those of benchmarks/cities/ (かわべ市, 北浜市, 森野市, よつば市) are tuned (benchmarks/cities/README.md).
CITY_FAQS = {path.stem.removesuffix("_faq"): path
             for folder in (HELDOUT, CITIES) for path in sorted(folder.glob("*_faq.csv"))}


def kosodate_csv(faq_json: Path, target: Path) -> Path:
    """The generic FAQ as the open-data CSV the importer reads (ID,問い合わせ文,応答文,カテゴリ)."""
    rows = json.loads(faq_json.read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    path = target / "kosodate.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["ID", "問い合わせ文", "応答文", "カテゴリ"])
        for row in rows:
            writer.writerow([str(row["faq_id"]), row["question"], row["answer"], row.get("category1", "")])
    return path


def ensure_kosodate_data(data_dir: Path, embedder: str = "") -> Path:
    from indexing.importer import import_paths

    source = kosodate_csv(KOSODATE / "faq.json", data_dir.parent / (data_dir.name + "-source"))
    import_paths([source], data_dir, embedder_spec=embedder)
    return data_dir


def kosodate_questions(path: Path) -> list[LabelledQuestion]:
    items = json.loads(path.read_text(encoding="utf-8"))
    return [LabelledQuestion(str(i["query_id"]), i["query"], (str(i["faq_id"]),), "citizen", i.get("query_type", ""))
            for i in items]


def collection_of(path: Path) -> str:
    """The knowledge a set runs against: ``sample``, ``kosodate`` or a city of CITY_FAQS."""
    if path.name.startswith(("kosodate", "development")):
        return "kosodate"
    return next((city for city in CITY_FAQS if path.name.startswith(city)), "sample")


def data_dir_of(args, collection: str) -> Path:
    return getattr(args, f"{collection}_dir")


def ensure_data(collection: str, data_dir: Path, embedder: str = "") -> Path:
    """Import the collection's knowledge into data_dir (incremental)."""
    if collection == "sample":
        ensure_sample_data(data_dir, embedder)
    elif collection == "kosodate":
        ensure_kosodate_data(data_dir, embedder)
    else:
        from indexing.importer import import_paths

        import_paths([CITY_FAQS[collection]], data_dir, embedder_spec=embedder)
    return data_dir


def load_set(path: Path) -> list[LabelledQuestion]:
    return kosodate_questions(path) if path.suffix == ".json" else load_devset(path)


class QueryVectorCache:
    """Query vectors kept on disk between runs, so re-measuring a ranking change embeds only new texts."""

    def __init__(self, embedder, path: Path):
        import numpy as np

        self.embedder, self.path, self._np = embedder, path, np
        self.vectors = dict(np.load(path, allow_pickle=False)) if path.exists() else {}
        self._embed = embedder.embed_queries
        embedder.embed_queries = self.embed_queries

    @staticmethod
    def key(text: str) -> str:
        import hashlib
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed_queries(self, texts):
        missing = [t for t in texts if self.key(t) not in self.vectors]
        if missing:
            for text, vector in zip(missing, self._embed(missing)):
                self.vectors[self.key(text)] = vector
        return self._np.vstack([self.vectors[self.key(t)] for t in texts])

    def save(self):
        """Write the vectors, keeping those another run saved meanwhile."""
        if self.path.exists():
            for key, vector in dict(self._np.load(self.path, allow_pickle=False)).items():
                self.vectors.setdefault(key, vector)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as out:
            self._np.savez(out, **self.vectors)


def report_rows(name: str, outcomes) -> list[str]:
    lines = []
    groups = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.question.style or "-"].append(outcome)
    for label, group in [("ALL", outcomes)] + sorted(groups.items()):
        s = summarize(group)
        cv = cross_validated(group) if s["answerable"] and s["out_of_scope"] else {}
        lines.append(
            f"{name:22s} {label:16s} {s['n']:4d} {s['hit@1']:6.3f} {s['ndcg@10']:6.3f} {s['mrr@10']:6.3f} "
            f"{s['answered']:6.3f} {s['right_when_answered']:6.3f} "
            f"{_f(s['oos_declined'], s['out_of_scope'])} {_f(s['answerable_declined'], s['answerable'])} "
            f"{_f(cv.get('cv_oos_declined'), cv)} {_f(cv.get('cv_answerable_declined'), cv)} "
            f"{_f(s['fact_in_answer'], s['fact_questions'])}")
    return lines


def _f(value, present) -> str:
    return f"{value:6.3f}" if present and value is not None else "     -"


HEADER = (f"{'set':22s} {'style':16s} {'n':>4s} {'hit@1':>6s} {'ndcg10':>6s} {'mrr10':>6s} {'answ':>6s} "
          f"{'right':>6s} {'oosD':>6s} {'ansD':>6s} {'cvOosD':>6s} {'cvAnsD':>6s} {'fact':>6s}")


def add_data_arguments(parser: argparse.ArgumentParser):
    """The data dirs the sets run against (imported incrementally unless --no-import) and the embedder."""
    parser.add_argument("--sample-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--kosodate-dir", type=Path, default=DEFAULT_DATA_DIR.parent / "bench-kosodate")
    for city in CITY_FAQS:
        parser.add_argument(f"--{city}-dir", type=Path, default=DEFAULT_DATA_DIR.parent / f"bench-{city}")
    parser.add_argument("--embedder", default="")
    parser.add_argument("--no-import", action="store_true", help="use the data dirs as they are")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_arguments(parser)
    parser.add_argument("--sets", nargs="*", help="only these sets (devset, kosodate-dev, heldout file stems)")
    parser.add_argument("--failures", action="store_true", help="list wrong answers and wrong declines")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    sets = {"devset": DEVSET, "styles_dev": STYLES_DEV, "devset_oos": OOS_DEV, "facts": FACTS, "plan_facts": PLAN_FACTS,
            "kosodate-dev": KOSODATE / "development.json"}
    for path in sorted(CITIES.glob("*.jsonl")) if CITIES.exists() else []:
        sets[f"cities/{path.stem}"] = path
    for path in sorted(HELDOUT.glob("*.jsonl")) if HELDOUT.exists() else []:
        if path.stem == "facts":
            continue  # a view of sample.jsonl
        sets[f"heldout/{path.stem}"] = path
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets or k.split("/")[-1] in args.sets}

    from bot.service import Bot

    bots, caches, all_outcomes = {}, [], {}
    print(HEADER)
    figures = {}
    for name, path in sets.items():
        kind = collection_of(path)
        if kind not in bots:
            data_dir = data_dir_of(args, kind)
            if not args.no_import:
                ensure_data(kind, data_dir, args.embedder)
            bots[kind] = Bot(data_dir, args.embedder)
            caches.append(QueryVectorCache(bots[kind].retriever.embedder,
                                           args.sample_dir.parent / f"query-vectors-{kind}.npz"))
        outcomes = run_bot(bots[kind], load_set(path))
        all_outcomes[name] = outcomes
        for line in report_rows(name, outcomes):
            print(line, flush=True)
        figures[name] = {"all": summarize(outcomes), "cv": cross_validated(outcomes)}
        if args.failures:
            for o in outcomes:
                if o.question.answerable and not o.right or not o.question.answerable and not o.abstained:
                    print(f"   ✗ {o.question.id} [{o.question.style}] {o.question.text[:60]} -> "
                          f"{'declined' if o.abstained else o.first_source} ({o.confidence:.2f}) "
                          f"want {list(o.question.relevant)[:2]} top {list(o.ranked[:3])}")
                elif o.question.fact and not o.fact_shown:
                    print(f"   ✗fact {o.question.id} {o.question.text[:60]} want {o.question.fact!r}")
    # Held-out answerable and out-of-scope questions are kept in separate files; declines are
    # measured on the two together.
    for name in list(all_outcomes):
        if name.endswith("_oos") and name[:-4] in all_outcomes:
            joined = all_outcomes[name[:-4]] + all_outcomes[name]
            for line in report_rows(f"{name[:-4]}+oos", joined)[:1]:
                print(line, flush=True)
            figures[f"{name[:-4]}+oos"] = {"all": summarize(joined), "cv": cross_validated(joined)}
    tuned = [name for name in ("devset", "styles_dev", "facts", "devset_oos") if name in all_outcomes]
    if len(tuned) == 4:
        joined = [o for name in tuned for o in all_outcomes[name]]
        for line in report_rows("tuned+oos", joined)[:1]:
            print(line, flush=True)
        figures["tuned+oos"] = {"all": summarize(joined), "cv": cross_validated(joined)}
    for cache in caches:
        cache.save()
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
