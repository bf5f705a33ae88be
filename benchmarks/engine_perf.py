"""Engine figures: import+index time, query latency percentiles, batch throughput, peak memory.

    python -m benchmarks.engine_perf [--fresh] [--long-faq] [--queries N]

--fresh imports the sample knowledge into an empty data dir (measures a first import,
all texts embedded), then again into another with the vectors knowledge/.vectors/ ships (what
``make serve`` does on a fresh clone); otherwise the incremental re-import of unchanged knowledge is timed.
--long-faq also times a first import of a 1,800-entry FAQ with 300–800-character answers
generated from the kosodate FAQ (see benchmarks/long_faq.py). Import figures give wall
seconds and CPU seconds (all threads): on a shared machine the CPU seconds divided by the
cores used tell what an idle machine would take.
Latency is measured in process (Bot.search and Bot.answer); throughput through the real
CLI, ``madoguchi search --batch``, which loads the indexes once for the whole batch.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_DIR, DEVSET, ROOT, ensure_sample_data, percentile
from bot.answering.evaluation import load_devset


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--fresh", action="store_true", help="time a first import into an empty data dir")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--long-faq", action="store_true", help="also time a first import of a 1,800-entry long FAQ")
    args = parser.parse_args(argv)

    data_dir = args.data_dir
    if args.fresh:
        data_dir = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    cpu = time.process_time()
    _, import_seconds = ensure_sample_data(data_dir, shipped_vectors=not args.fresh)
    print(f"import+index of knowledge/ ({'first import, every text embedded' if args.fresh else 'incremental, unchanged'}): "
          f"{import_seconds:.1f} s ({time.process_time() - cpu:.1f} CPU s)")
    if args.fresh:
        with tempfile.TemporaryDirectory(prefix="madoguchi-bench-") as tmp:
            cpu = time.process_time()
            _, seeded_seconds = ensure_sample_data(Path(tmp) / "data")
            print(f"import+index of knowledge/ (first import, with its shipped vectors): {seeded_seconds:.1f} s "
                  f"({time.process_time() - cpu:.1f} CPU s)")
    if args.long_faq:
        from benchmarks.long_faq import write_long_faq
        from indexing.importer import import_paths

        with tempfile.TemporaryDirectory() as tmp:
            faq = write_long_faq(Path(tmp) / "faq" / "long-faq.csv")
            cpu = time.process_time()
            report = import_paths([faq.parent], Path(tmp) / "data")
            print(f"first import of a 1,800-entry long-answer FAQ: {report.seconds:.1f} s "
                  f"({time.process_time() - cpu:.1f} CPU s; {report.embedded} texts embedded)")

    from bot.service import Bot

    started = time.perf_counter()
    bot = Bot(data_dir)
    print(f"engine load: {(time.perf_counter() - started) * 1000:.0f} ms")
    questions = [q for q in load_devset(DEVSET)] if DEVSET.exists() else []
    texts = [(q.text, q.audience) for q in questions] or [("粗大ごみの出し方", "citizen")]
    for text, audience in texts[:20]:  # warm-up
        bot.search(text, audience)
    search_ms, answer_ms = [], []
    for i in range(args.queries):
        text, audience = texts[i % len(texts)]
        t0 = time.perf_counter()
        bot.search(text, audience, top=10)
        search_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        bot.answer(text, audience)
        answer_ms.append((time.perf_counter() - t0) * 1000)
    for name, values in (("search", search_ms), ("answer", answer_ms)):
        print(f"{name} latency over {len(values)} queries: p50 {percentile(values, 50):.1f} ms, "
              f"p95 {percentile(values, 95):.1f} ms, p99 {percentile(values, 99):.1f} ms")
    print(f"peak memory of this process (engine loaded): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        citizen = [t for t, a in texts if a == "citizen"] or [texts[0][0]]
        with batch.open("w", encoding="utf-8") as out:
            for i in range(max(args.queries, 500)):
                out.write(json.dumps({"id": i, "text": citizen[i % len(citizen)]}, ensure_ascii=False) + "\n")
        command = [sys.executable, "-m", "channels.cli", "--data-dir", str(data_dir), "search", "--batch", str(batch)]
        t0 = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - t0
        lines = result.stdout.count("\n")
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"search --batch: {lines} queries in {elapsed:.1f} s including start-up = {lines / elapsed:.0f} queries/s; "
              f"peak memory of the CLI process {child:.0f} MB")
    if args.fresh:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
