"""The review queue: grouping of unanswered questions and closing them from the admin UI."""
from __future__ import annotations

import pytest

from channels.admin.review_queue import ReviewQueue
from indexing.storage.knowledge import KnowledgeStore
from admin_support import add_users, logged_in_client, make_app, make_runtime

QUESTIONS = ["パスポートはどこで作れますか", "パスポートを作りたい", "パスポートを作りたい",
             "美味しいラーメン屋さんを教えて", "おいしいラーメン屋はどこ？",
             "ワンちゃんを家族に迎えたら役所に何か届けるの？"]


@pytest.fixture
def runtime(backend_data_dir):
    add_users(backend_data_dir)
    runtime = make_runtime(backend_data_dir)
    for question in QUESTIONS:
        assert runtime.bot.ask(question, channel="web", user_id="u1").abstained, question
    answered = runtime.bot.ask("粗大ごみの出し方を教えて 090-1234-5678", channel="line", user_id="u2")
    runtime.inquiry_log.set_feedback(answered.inquiry_id, "unresolved", comment="料金が書いてない。連絡は090-1111-2222")
    runtime.answered = answered
    runtime.bot.ask("   ", channel="web")  # an empty message is not a knowledge gap
    return runtime


def test_an_unresolved_answer_shows_what_the_resident_wrote_and_the_entry_to_fix(runtime):
    client, _ = logged_in_client(make_app(runtime))
    page = client.get("/admin/review").text
    entry_id = runtime.answered.sources[0].id
    assert "「料金が書いてない。連絡は〔電話番号〕」" in page and "090-1111-2222" not in page
    assert f'/admin/entries/{entry_id}/edit">{entry_id} を直す</a>' in page


def _group(groups, word):
    return next(g for g in groups if word in g.question)


def test_open_questions_are_grouped_by_similarity(runtime):
    queue = ReviewQueue(runtime.settings.data_dir, embedder=runtime.bot.retriever.embedder,
                        vector_cache=KnowledgeStore(runtime.settings.data_dir))
    groups = queue.groups()
    passport, ramen = _group(groups, "パスポート"), _group(groups, "ラーメン")
    assert passport.count == 3 and passport.question == "パスポートを作りたい" and len(passport.wordings) == 2
    assert ramen.count == 2 and passport is groups[0]
    unresolved = _group(groups, "粗大ごみ")
    assert unresolved.unresolved == 1 and "090-1234-5678" not in unresolved.question  # stored masked
    assert sum(g.count for g in groups) == 7


def test_resolving_queue_items_from_the_admin_ui(runtime):
    client, token = logged_in_client(make_app(runtime))
    page = client.get("/admin/review")
    assert page.status_code == 200 and "パスポートを作りたい" in page.text and "3件" in page.text
    queue = ReviewQueue(runtime.settings.data_dir, embedder=runtime.bot.retriever.embedder)
    groups = queue.groups()

    # 1. Answer the passport group with a new FAQ entry, pre-filled with the question.
    passport = _group(groups, "パスポート")
    form_page = client.get(f"/admin/entries/new?review={passport.key}")
    assert 'value="パスポートを作りたい"' in form_page.text
    created = client.post("/admin/entries/new", data={
        "csrf_token": token, "review": str(passport.key), "inquiry_id": [str(i) for i in passport.inquiry_ids],
        "id": "", "title": "パスポートはどこで申請できますか？", "body": "県の旅券センター（市役所1階）で申請できます。",
        "alternates": "", "audience": "citizen", "category": "旅券", "department": "総合案内",
        "updated": "2026-05-01", "review_by": "2027-05-01", "section": "", "url": ""}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/admin/review?notice=answered"
    answer = runtime.bot.answer("パスポートを作りたい")
    assert not answer.abstained and "旅券センター" in answer.text

    # 2. Add the dog question as another phrasing of FAQ 109, typed in 「ID を指定」 while the browser still sends
    # the first candidate's radio (101): the typed ID wins.
    dog = _group(groups, "ワンちゃん")
    fields = {"csrf_token": token, "inquiry_id": [str(i) for i in dog.inquiry_ids], "entry_id": "101",
              "entry_id_manual": " 109 ", "phrasing": dog.question}
    added = client.post("/admin/review/alternate", data=fields, follow_redirects=False)
    assert added.status_code == 303
    store = KnowledgeStore(runtime.settings.data_dir)
    assert dog.question in store.get("109").alternates and dog.question not in store.get("101").alternates
    assert runtime.bot.search(dog.question, top=1)[0].entry.id == "109"
    # The same form sent again from a stale tab, to another entry: refused, and that entry is left as it was.
    stale = client.post("/admin/review/alternate", data={**fields, "entry_id_manual": "102"}, follow_redirects=False)
    assert stale.status_code == 409 and dog.question not in KnowledgeStore(runtime.settings.data_dir).get("102").alternates

    # 3. Close the ramen group as needing no answer; a second click finds nothing to close.
    ramen = _group(groups, "ラーメン")
    data = {"csrf_token": token, "inquiry_id": [str(i) for i in ramen.inquiry_ids]}
    assert client.post("/admin/review/dismiss", data=data, follow_redirects=False).status_code == 303
    assert client.post("/admin/review/dismiss", data=data, follow_redirects=False).status_code == 409

    remaining = queue.groups()
    assert [g.question for g in remaining] == [_group(groups, "粗大ごみ").question]
    closed = {row["inquiry_id"]: row for row in queue.recently_closed(50)}
    assert {closed[i]["resolution"] for i in passport.inquiry_ids} == {"new_entry"}
    assert closed[dog.key]["entry_id"] == "109" and closed[dog.key]["reviewed_by"] == "editor1"


def test_declines_of_another_citys_business_or_a_staff_topic_are_no_gaps_to_review(tmp_path):
    from bot.answering.answer import Answer
    from bot.insights.inquiry_log import InquiryLog
    from channels.admin.review_queue import ReviewQueue

    log = InquiryLog(tmp_path, user_key_secret="s")
    for text, kind in (("横浜市の粗大ごみの出し方は？", "other_city"), ("テレワークの申請方法を教えて", "staff_topic"),
                       ("ドローンの飛行許可は？", "abstain")):
        log.record(Answer(question=text, text="…", abstained=True, confidence=0.0, audience="citizen", kind=kind), "web")
    log.close()
    groups = ReviewQueue(tmp_path).groups()
    assert [g.question for g in groups] == ["ドローンの飛行許可は？"]
