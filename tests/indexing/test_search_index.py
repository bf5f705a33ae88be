from indexing.entries import Entry
from indexing.search_index import BODY_CHARS_EMBEDDED, embedding_texts

LONG_BODY = "申請は窓口で受け付けます。" * 60   # 780 characters, past every budget


def test_faq_questions_and_alternates_are_embedded_as_queries_and_answers_are_not():
    entry = Entry(id="1", kind="faq", title="粗大ごみの出し方は？", body="電話で申し込んでください。",
                  alternates=("大きなごみを捨てたい",))
    assert embedding_texts(entry) == [("query", "粗大ごみの出し方は？"), ("query", "大きなごみを捨てたい")]


def test_a_guide_section_is_embedded_as_heading_and_body_opening_and_its_heading_as_a_query():
    entry = Entry(id="g#s", kind="guide", title="粗大ごみの出し方", section="申し込み", body=LONG_BODY)
    (role, passage), query = embedding_texts(entry)
    budget = BODY_CHARS_EMBEDDED["guide"]
    assert role == "passage" and passage == f"粗大ごみの出し方 申し込み\n{LONG_BODY[:budget]}"
    assert query == ("query", "粗大ごみの出し方 申し込み")


def test_a_plan_passage_embeds_a_shorter_opening_than_a_guide_and_no_query():
    entry = Entry(id="p#1", kind="plan", title="DX推進計画", section="第5章 運用方法", body=LONG_BODY)
    [(role, passage)] = embedding_texts(entry)
    assert role == "passage" and passage == f"DX推進計画 第5章 運用方法\n{LONG_BODY[:BODY_CHARS_EMBEDDED['plan']]}"
    assert BODY_CHARS_EMBEDDED["plan"] < BODY_CHARS_EMBEDDED["guide"] < len(LONG_BODY)


def test_an_edit_past_the_embedded_opening_needs_no_new_vector_and_one_inside_does():
    before = Entry(id="p#1", kind="plan", title="DX推進計画", section="運用", body=LONG_BODY)
    budget = BODY_CHARS_EMBEDDED["plan"]
    late = Entry(id="p#1", kind="plan", title="DX推進計画", section="運用", body=LONG_BODY[:budget] + "変更")
    early = Entry(id="p#1", kind="plan", title="DX推進計画", section="運用", body="変更" + LONG_BODY)
    assert embedding_texts(late) == embedding_texts(before)
    assert embedding_texts(early) != embedding_texts(before)


def small_index(vectors, owners, entries):
    import faiss
    import numpy as np

    from indexing.lexical import BM25Index
    from indexing.search_index import AudienceIndex

    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors.astype(np.float32))
    return AudienceIndex("staff", entries, BM25Index([[]] * len(entries)), BM25Index([[]] * len(entries)), dense,
                         np.array(owners, dtype=np.int64))


def test_an_entry_keeps_the_best_cosine_of_its_vectors_and_none_below_zero():
    import numpy as np

    entries = [Entry(id=str(i), kind="faq", title=f"質問{i}", body="") for i in range(4)]
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.8, 0.6], [-1.0, 0.0], [0.0, 1.0]])
    index = small_index(vectors, [0, 0, 1, 2, 1], entries)
    scores = index.dense_scores(np.array([1.0, 0.0]), k=10)
    assert scores.tolist() == [1.0, np.float32(0.8), 0.0, 0.0]
    # Only the k best vectors count.
    assert index.dense_scores(np.array([1.0, 0.0]), k=1).tolist() == [1.0, 0.0, 0.0, 0.0]


def test_the_plan_and_staff_only_masks_follow_the_entries():
    import numpy as np

    entries = [Entry(id="1", kind="faq", title="a", body="", audience="citizen"),
               Entry(id="2", kind="plan", title="b", body="", audience="staff"),
               Entry(id="3", kind="guide", title="c", body="", audience="all")]
    index = small_index(np.zeros((0, 2)), [], entries)
    assert index.plans.tolist() == [False, True, False]
    assert index.staff_only.tolist() == [False, True, False]
    assert index.dense_scores(np.array([1.0, 0.0]), k=10).tolist() == [0.0, 0.0, 0.0]
