"""Vectors shipped beside a knowledge folder (indexing/shipped_vectors.py, written by indexing/vector_seeds.py)."""
from pathlib import Path

import numpy as np
import pytest

from indexing.embeddings import MAX_QUERY_CHARS, embed_as, get_embedder
from indexing.importer import import_paths, plan_import
from indexing.storage.knowledge import KnowledgeStore
from indexing.shipped_vectors import read_seed, save_seed, seed_path
from indexing.vector_seeds import write_seed

SAMPLE = Path(__file__).resolve().parents[2] / "knowledge"
FAQ_HEADER = "ID,問い合わせ文,応答文,カテゴリ\n"
ROWS = [("1", "粗大ごみの出し方を教えてください", "電話で申し込み、処理券を貼って出してください", "ごみ"),
        ("2", "児童手当はいつ振り込まれますか", "6月・10月・2月に振り込みます", "子育て"),
        ("3", "転入届に必要なものは何ですか", "本人確認書類と転出証明書です", "届出")]


def _faq(folder: Path, rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "faq.csv").write_text(FAQ_HEADER + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")


def _model():
    embedder = get_embedder()
    return embedder.name, embedder.dim


def _embedded(texts, hashes) -> np.ndarray:
    """The embedder's own vectors of ``texts`` (hash → (role, text)), in the order of ``hashes``."""
    return np.stack([embed_as(get_embedder(), texts[h][0], [texts[h][1]])[0] for h in hashes]).astype(np.float32)


def test_the_sample_knowledge_ships_the_vectors_of_every_text_it_needs(tmp_path):
    """Editing knowledge/ without `make vectors` fails here, not silently in a slower first import."""
    model, dim = _model()
    path = seed_path(SAMPLE, model)
    assert path.is_file(), f"knowledge/ ships no vectors of {model}: run `make vectors`"
    shipped = read_seed(path, model, dim)  # raises unless sound: model, query cut, shape, unit length
    plan = plan_import(KnowledgeStore(tmp_path / "data"), [SAMPLE])
    missing = set(plan.texts) - shipped.keys()
    assert not missing, f"{len(missing)} texts of knowledge/ have no shipped vector: run `make vectors`"


def test_shipped_vectors_are_what_the_embedder_makes(tmp_path):
    model, dim = _model()
    shipped = read_seed(seed_path(SAMPLE, model), model, dim)
    plan = plan_import(KnowledgeStore(tmp_path / "data"), [SAMPLE])
    embedder = get_embedder()
    for role in ("query", "passage"):
        picked = [(h, text) for h, (r, text) in sorted(plan.texts.items()) if r == role][:4]
        fresh = embed_as(embedder, role, [text for _, text in picked])
        for (h, _), vector in zip(picked, fresh):
            assert float(np.dot(shipped[h], vector)) > 0.999  # equal on this machine; other CPUs round apart


def test_a_folder_with_its_vectors_imports_without_embedding_and_embeds_only_what_changed(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, ROWS)
    write_seed(folder, say=lambda m: None)
    model, _ = _model()
    assert seed_path(folder, model).is_file()

    first = import_paths([folder], tmp_path / "a")
    assert (first.seeded, first.embedded, len(first.added)) == (3, 0, 3)
    assert "3 vectors from the folder's .vectors" in first.summary()
    # The seed's folder is not read as knowledge, and the vectors are the ones an import embeds.
    fresh = tmp_path / "fresh"
    seed_path(folder, model).rename(tmp_path / "seed.npz")
    assert import_paths([folder], tmp_path / "b").embedded == 3
    (tmp_path / "seed.npz").rename(seed_path(folder, model))
    hashes = list(plan_import(KnowledgeStore(fresh), [folder]).texts)
    seeded = KnowledgeStore(tmp_path / "a").cached_vectors(model, hashes)
    embedded = KnowledgeStore(tmp_path / "b").cached_vectors(model, hashes)
    assert all(np.allclose(seeded[h], embedded[h], atol=1e-5) for h in hashes)

    # A question changed since the seed was written is embedded; the others come from the seed.
    _faq(folder, [ROWS[0], ROWS[1], ("3", "転入の届けには何を持っていけばいいですか", ROWS[2][2], "届出")])
    changed = import_paths([folder], tmp_path / "c")
    assert (changed.seeded, changed.embedded) == (2, 1)
    # Importing again into the same data dir uses its own cache.
    again = import_paths([folder], tmp_path / "c")
    assert (again.seeded, again.embedded) == (0, 0)


def test_only_the_imported_folders_own_seed_is_read_and_seeds_can_be_ignored(tmp_path):
    folder = tmp_path / "k"
    _faq(folder / "faq", ROWS)
    write_seed(folder, say=lambda m: None)
    whole = import_paths([folder], tmp_path / "a")
    assert (whole.seeded, whole.embedded) == (3, 0)
    # A folder above the one imported may be anybody's (/tmp): its seed is not read.
    below = import_paths([folder / "faq"], tmp_path / "b")
    assert (below.seeded, below.embedded) == (0, 3)
    ignored = import_paths([folder], tmp_path / "c", shipped_vectors=False)
    assert (ignored.seeded, ignored.embedded) == (0, 3)


def test_writing_a_seed_again_embeds_only_the_texts_that_changed(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, ROWS)
    said = []
    write_seed(folder, say=said.append)
    assert said[-1].endswith("(3 embedded now)")
    _faq(folder, [ROWS[0], ROWS[1], ("3", "転入の届けには何を持っていけばいいですか", ROWS[2][2], "届出")])
    write_seed(folder, say=said.append)
    assert said[-1].endswith("(1 embedded now)") and "wrote 3 vectors" in said[-1]
    write_seed(folder, fresh=True, say=said.append)
    assert said[-1].endswith("(3 embedded now)")


@pytest.mark.parametrize("damage", ["garbage", "other model", "other dimension", "not finite", "not unit length",
                                    "hashes as bytes", "other query cut", "not the embedder's vectors"])
def test_a_damaged_seed_is_passed_over_with_a_message_and_its_texts_are_embedded(tmp_path, damage):
    folder = tmp_path / "k"
    _faq(folder, ROWS)
    model, dim = _model()
    path = seed_path(folder, model)
    path.parent.mkdir(parents=True)
    texts = plan_import(KnowledgeStore(tmp_path / "plan"), [folder]).texts
    hashes = np.array(sorted(texts))
    # Sound in every way but the damage: the embedder's own vectors, other unit vectors only where that is the damage.
    vectors = _embedded(texts, hashes)
    if damage == "not the embedder's vectors":
        vectors = np.roll(vectors, 1, axis=1)
    fields = {"model": np.array(model), "max_query_chars": np.array(MAX_QUERY_CHARS), "hashes": hashes, "vectors": vectors}
    if damage == "other model":
        fields["model"] = np.array("another-model")
    elif damage == "other dimension":
        fields["vectors"] = vectors[:, :10] / np.linalg.norm(vectors[:, :10], axis=1, keepdims=True)
    elif damage == "not finite":
        vectors[0, 0] = np.nan
    elif damage == "not unit length":
        fields["vectors"] = vectors * 2
    elif damage == "hashes as bytes":
        fields["hashes"] = hashes.astype("S64")
    elif damage == "other query cut":
        fields["max_query_chars"] = np.array(MAX_QUERY_CHARS // 2)
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not a zip")
    else:
        with open(path, "wb") as out:
            np.savez_compressed(out, **fields)
    said = []
    report = import_paths([folder], tmp_path / "data", progress=said.append)
    assert (report.seeded, report.embedded) == (0, 3)
    why = {"garbage": "unreadable", "other model": "made by another-model", "other dimension": "not (n, ",
           "not finite": "not of unit length", "not unit length": "not of unit length",
           "hashes as bytes": "not text hashes", "other query cut": f"cut at {MAX_QUERY_CHARS // 2}",
           "not the embedder's vectors": "not what the embedder makes"}[damage]
    assert any("skipped the shipped vectors" in line and why in line for line in said), said


def test_a_sound_seed_written_by_hand_is_used(tmp_path):
    """The damaged seeds above differ from this one only in their damage."""
    folder = tmp_path / "k"
    _faq(folder, ROWS)
    model, _ = _model()
    texts = plan_import(KnowledgeStore(tmp_path / "plan"), [folder]).texts
    hashes = sorted(texts)
    save_seed(seed_path(folder, model), model, dict(zip(hashes, _embedded(texts, hashes))))
    assert import_paths([folder], tmp_path / "data").seeded == 3
