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
