"""Vectors shipped beside a knowledge folder, so its first import embeds only what changed: where they are,
reading them and checking them.

Embedding is most of a first import (the sample knowledge: ~930 texts, about a minute on a
busy 2-core machine). A folder may carry the vectors of its texts in
``<folder>/.vectors/<embedder name>.npz`` (the loaders skip dotted folders): text hashes
(``search_index.text_hash``: role and text, so a changed text has another hash) and their
vectors. ``import`` (indexing/importer.py) copies into the data dir's vector cache the ones the
knowledge needs and lacks, for the embedder in use only, and embeds the rest as usual. Only a folder
imported as such is read for one (``import knowledge/`` reads ``knowledge/.vectors``; ``import
knowledge/faq`` embeds). ``madoguchi import --no-shipped-vectors`` embeds everything.

A seed is a cache, never a source of truth, and what it gives stays in the data dir's cache: one
that is unreadable, of another model, dimension or query cut, holds vectors that are not unit
length, or whose spot check fails (a few of its texts embedded afresh must give its vectors) is
passed over with a message, and a text it does not hold is embedded.

Seeds are written by indexing/vector_seeds.py.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

from indexing.embeddings import MAX_QUERY_CHARS, embed_as

SEED_DIR = ".vectors"
_HASH = re.compile(r"[0-9a-f]{64}")
# A seed member larger than this once inflated is refused unread (a few hundred thousand texts fit).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
# How far a seed's vector may be from unit length (every embedder returns normalized rows).
UNIT_TOLERANCE = 1e-3
# Texts of each role embedded afresh to check a seed, and the least cosine they must reach with the
# seed's vectors (the same engine on another CPU rounds a little apart; another model is far).
SPOT_CHECKS = 2
SPOT_COSINE = 0.99


def seed_path(folder: str | Path, model: str) -> Path:
    """Where ``folder`` keeps the vectors of ``model`` (a file name made of the model's name)."""
    return Path(folder) / SEED_DIR / (re.sub(r"[^A-Za-z0-9._-]", "_", model) + ".npz")


def seed_files(folders: list[Path], model: str) -> list[Path]:
    """The seeds of ``model`` that the imported folders themselves hold. Never a folder above one: whoever may write
    the imported folder decides its knowledge anyway, while a folder above it (/tmp) may be anybody's."""
    found: list[Path] = []
    for folder in folders:
        path = seed_path(Path(folder).resolve(), model)
        if path.is_file() and path not in found:
            found.append(path)
    return found


def read_seed(path: Path, model: str, dim: int) -> dict[str, np.ndarray]:
    """Hash → vector from a seed file; ValueError when it is not a sound seed of ``model`` and ``dim``."""
    try:
        with zipfile.ZipFile(path) as archive:
            too_large = any(info.file_size > MAX_MEMBER_BYTES for info in archive.infolist())
        if not too_large:
            with np.load(path, allow_pickle=False) as data:
                stored_model, query_chars = str(data["model"]), int(data["max_query_chars"])
                hashes, vectors = data["hashes"], data["vectors"]
    except Exception as exc:  # a cache that cannot be read is only a cache: never fatal (zip, npy, keys)
        raise ValueError(f"unreadable ({type(exc).__name__})") from exc
    if too_large:
        raise ValueError(f"a member larger than {MAX_MEMBER_BYTES} bytes")
    if stored_model != model:
        raise ValueError(f"made by {stored_model}, not {model}")
    if query_chars != MAX_QUERY_CHARS:
        raise ValueError(f"questions cut at {query_chars} characters, not {MAX_QUERY_CHARS}")
    if (vectors.dtype != np.float32 or vectors.ndim != 2 or vectors.shape[1] != dim or hashes.ndim != 1
            or len(hashes) != len(vectors)):
        raise ValueError(f"vectors of shape {vectors.shape} ({vectors.dtype}), not (n, {dim}) float32")
    if hashes.dtype.kind != "U" or not all(_HASH.fullmatch(h) for h in hashes.tolist()):
        raise ValueError("hashes that are not text hashes")
    if not np.isfinite(vectors).all() or (np.abs(np.linalg.norm(vectors, axis=1) - 1.0) > UNIT_TOLERANCE).any():
        raise ValueError("vectors that are not of unit length")
    return dict(zip(hashes.tolist(), vectors))


def save_seed(path: Path, model: str, vectors: dict[str, np.ndarray]):
    """Write ``vectors`` (hash → vector) as the seed of ``model`` at ``path``, as read_seed reads it (replaced whole,
    never half written); sorted by hash, so the same vectors make the same file."""
    hashes = sorted(vectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        np.savez_compressed(out, model=np.array(model), max_query_chars=np.array(MAX_QUERY_CHARS), hashes=np.array(hashes),
                            vectors=np.stack([vectors[h] for h in hashes]).astype(np.float32))
    os.replace(partial, path)


def seeded_vectors(seeds: list[Path], embedder, texts: dict[str, tuple[str, str]],
                   say: Callable[[str], None] = lambda m: None) -> dict[str, np.ndarray]:
    """The vectors of ``texts`` (hash → (role, text)) that the seed files of ``embedder`` (seed_files) hold,
    each seed spot-checked against the embedder."""
    found: dict[str, np.ndarray] = {}
    for path in seeds:
        wanted = {h: texts[h] for h in texts.keys() - found.keys()}
        if not wanted:
            break
        try:
            seed = read_seed(path, embedder.name, embedder.dim)
            held = {h: seed[h] for h in wanted if h in seed}
            spot_check(held, wanted, embedder)
        except ValueError as exc:
            say(f"skipped the shipped vectors {path}: {exc}; its texts are embedded")
            continue
        found.update(held)
    return found


def spot_check(vectors: dict[str, np.ndarray], texts: dict[str, tuple[str, str]], embedder):
    """ValueError unless a few texts of each role, embedded afresh, give the seed's vectors."""
    for role in ("query", "passage"):
        hashes = sorted(h for h in vectors if texts[h][0] == role)
        picked = hashes[:: max(1, len(hashes) // SPOT_CHECKS)][:SPOT_CHECKS]
        if not picked:
            continue
        fresh = embed_as(embedder, role, [texts[h][1] for h in picked])
        if min(float(np.dot(vectors[h], v)) for h, v in zip(picked, fresh)) < SPOT_COSINE:
            raise ValueError("its vectors are not what the embedder makes of its texts")
