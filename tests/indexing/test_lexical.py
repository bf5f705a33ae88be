import math
from collections import Counter

import numpy as np

from indexing.lexical import BM25Index

DOCUMENTS = [["住民票", "写し", "交付", "住民票"], ["印鑑", "登録", "交付"], [], ["住民票", "転入", "届", "転入", "届", "窓口"],
             ["ごみ", "収集", "日"]]


def textbook_scores(documents, query, k1=1.2, b=0.75):
    """BM25 as the index computed it per query before IDF was stored in its postings (float32 steps)."""
    lengths = np.array([len(d) for d in documents], dtype=np.float32)
    norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()), 1e-9))
    scores = np.zeros(len(documents), dtype=np.float32)
    ceiling = 0.0
    for term, weight in Counter(query).items():
        holders = [i for i, d in enumerate(documents) if term in d]
        if not holders:
            ceiling += math.log(1 + (len(documents) + 0.5) / 0.5) * (k1 + 1) * weight
            continue
        idf = math.log(1 + (len(documents) - len(holders) + 0.5) / (len(holders) + 0.5))
        ids = np.array(holders, dtype=np.int32)
        tf = np.array([documents[i].count(term) for i in holders], dtype=np.float32)
        scores[ids] += idf * (tf * (k1 + 1) / (tf + norm[ids])) * weight
        ceiling += idf * (k1 + 1) * weight
    return scores / ceiling if ceiling > 0 else scores


def test_scores_are_bit_for_bit_those_of_bm25_computed_per_query():
    index = BM25Index(DOCUMENTS)
    for query in (["住民票"], ["住民票", "交付", "住民票"], ["転入", "届", "未知語"], ["未知語"], []):
        assert index.scores(query).tobytes() == textbook_scores(DOCUMENTS, query).tobytes()


def test_coverages_add_the_terms_in_the_order_the_question_has_them():
    # A set's order follows the hash seed: the sums must not (their last digit would vary by process).
    rng = np.random.default_rng(3)
    vocabulary = [f"語{i}" for i in range(30)]
    documents = [list(rng.choice(vocabulary, size=int(rng.integers(1, 8)))) for _ in range(50)]
    index = BM25Index(documents)
    query = [str(t) for t in rng.choice(vocabulary, size=12)] + ["未知語"]
    positions = np.arange(50)
    covered, total = np.zeros(50), 0.0
    for term in dict.fromkeys(query):
        idf = index.idf.get(term, math.log(1 + (50 + 0.5) / 0.5))
        total += idf
        if term in index.idf:
            covered += idf * np.array([term in d for d in documents])
    assert index.coverages(query, positions).tobytes() == (covered / total).tobytes()
