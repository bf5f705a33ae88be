"""Query latency and memory over synthetic knowledge of 10,000 and 50,000 entries.

    python -m benchmarks.scale [--sizes 10000 50000] [--queries 300] [--keep DIR]

How the knowledge is made: the sample knowledge's analyzed entries (knowledge/ imported
into a temporary data dir, or --from DIR) are copied round-robin with distinct ids and
titles; each copy keeps its original's analyzed terms plus a few terms drawn from the
whole vocabulary, so BM25 postings grow like a real corpus's. Vectors are random
unit-normal vectors (not an embedder's): the dense search costs the same per vector, and
embedding 100,000+ texts would take hours. Everything is written through the store and
saved/loaded through indexing.search_index like a real import, then questions from the
dev set are ranked in process (Retriever.rank: query embedding with the real embedder,
BM25 on terms and readings, FAISS, fusion, signals).

Each timed question is new to the retriever (its cache of query vectors is emptied), so
its time holds the query embedding; the same question is then ranked again with its
vector cached, and that call's CPU time on the calling thread is the rest of the pipeline
(BM25, FAISS, fusion, ranker, signals): a figure the query embedding (~85% of the time)
and other processes' load move little, for comparing changes to the search itself.

Prints per size: entries, vectors, build and load seconds, rank p50/p95/p99 ms, the same
without the query embedding (CPU ms), BM25+FAISS scoring alone, and RSS after loading.
``--keep DIR`` synthesizes into DIR once and reuses it in later runs (a 50,000-entry
knowledge takes minutes to write), so runs before and after a change read the same data.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DEVSET, percentile


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthesize(source_dir: Path, target: Path, size: int, embedder_name: str, dim: int, seed: int = 0) -> int:
    from indexing.entries import Entry
    from indexing.search_index import embedding_texts, save_indexes, text_hash
    from indexing.storage.knowledge import KnowledgeChanges, KnowledgeStore

    rng = random.Random(seed)
    vectors_rng = np.random.default_rng(seed)
    base = KnowledgeStore(source_dir).index_rows()
    vocabulary = sorted({t for r in base for t in json.loads(r["terms"] or "[]")})
    store = KnowledgeStore(target)
    saves, texts = [], {}
    for number in range(size):
        row = dict(base[number % len(base)])
        row["id"] = f"S{number:06d}"
        row["title"] = f"{row['title']}（{number}）"
        row["terms"] = json.dumps(json.loads(row["terms"] or "[]") + rng.sample(vocabulary, 5), ensure_ascii=False)
        row["status"] = "active"
        saves.append((row, None))
        for role, text in embedding_texts(Entry.from_dict(row)):
            texts[text_hash(role, text)] = None
    hashes = list(texts)
    for start in range(0, len(hashes), 20000):
        chunk = hashes[start:start + 20000]
        matrix = vectors_rng.standard_normal((len(chunk), dim)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        store.store_vectors(embedder_name, dict(zip(chunk, matrix)))
    store.apply_changes(KnowledgeChanges(changed_by="benchmark", saves=saves))
    save_indexes(store, embedder_name, dim)
    return len(hashes)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--from", dest="source", type=Path, help="a data dir with imported knowledge to copy")
    parser.add_argument("--keep", type=Path, help="synthesize into this dir once and reuse it in later runs")
    args = parser.parse_args(argv)

    from bot.answering.evaluation import load_devset
    from bot.answering.retrieval import Retriever, entry_scores
    from indexing.embeddings import get_embedder

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="madoguchi-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        source = args.source
        if source is None:
            from benchmarks.common import ensure_sample_data
            source = workdir / "sample"
            ensure_sample_data(source)
        embedder = get_embedder("")
        questions = [(q.text, q.audience) for q in load_devset(DEVSET)]
        print(f"embedder {embedder.name}; vectors random unit-normal; {len(questions)} dev-set questions")
        for size in args.sizes:
            target = workdir / f"scale-{size}"
            done = target / "synthesized"
            started = time.perf_counter()
            if done.exists():
                vectors = int(done.read_text())
            else:
                shutil.rmtree(target, ignore_errors=True)
                vectors = synthesize(source, target, size, embedder.name, embedder.dim)
                done.write_text(str(vectors))
            built = time.perf_counter() - started
            before = rss_mb()
            started = time.perf_counter()
            retriever = Retriever(target)
            loaded = time.perf_counter() - started
            after = rss_mb()
            for text, audience in questions[:20]:
                retriever.rank(text, audience)
            rank_ms, rest_ms, search_ms = [], [], []
            for i in range(args.queries):
                text, audience = questions[i % len(questions)]
                retriever.__dict__.get("_vectors", {}).clear()  # a question new to the retriever
                t0 = time.perf_counter()
                retriever.rank(text, audience)
                rank_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.thread_time()
                retriever.rank(text, audience)  # its vectors cached: the rest of the pipeline
                rest_ms.append((time.thread_time() - t0) * 1000)
                index = retriever.index(audience)
                analysis = retriever.analyzer.analyze(text)
                vector = embedder.embed_queries([text])[0]
                t0 = time.perf_counter()
                entry_scores(index, analysis, vector)
                search_ms.append((time.perf_counter() - t0) * 1000)

            def figures(values):
                return " ".join(f"p{p} {percentile(values, p):.1f}" for p in (50, 95, 99))
            print(f"{size:6d} entries, {vectors} vectors: built {built:.0f} s, loaded {loaded:.1f} s; "
                  f"rank ms {figures(rank_ms)}; without the query embedding (CPU ms) {figures(rest_ms)}; "
                  f"scoring only (BM25+FAISS) ms {figures(search_ms)}; "
                  f"RSS {after:.0f} MB (+{after - before:.0f} MB for the indexes)", flush=True)
            del retriever
            if not args.keep:
                shutil.rmtree(target, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
