import pytest


@pytest.mark.parametrize("question, expected", [
    ("粗大ゴミの出し方を教えて", "101"),
    ("そだいごみ だしたい", "101"),
    ("引っ越してきたときの手続きに何が必要？", "103"),
    ("コンビニで住民票", "104"),
    ("ぼしてちょう どこ", "105"),
    ("マイナカードのパスワードを忘れた", "108"),
])
def test_citizen_questions_find_their_faq(bot, question, expected):
    hits = bot.search(question, audience="citizen", top=5)
    assert hits[0].entry.id == expected, [h.entry.id for h in hits]


def test_staff_knowledge_never_reaches_citizens(bot):
    for question in ("時間外勤務の申請期限は？", "残業のルール", "時間外勤務５原則"):
        citizen_hits = bot.search(question, audience="citizen", top=50)
        assert all(h.entry.audience in ("citizen", "all") for h in citizen_hits)
        assert not any(h.entry.id.startswith("overtime#") for h in citizen_hits)
        staff_hits = bot.search(question, audience="staff", top=3)
        assert staff_hits[0].entry.id.startswith("overtime#")


def test_plan_passages_are_shared_by_both_audiences(bot):
    for audience in ("citizen", "staff"):
        hits = bot.search("チャットボットで職員のコミュニケーション時間を削減", audience=audience, top=3)
        assert hits[0].entry.kind == "plan" and hits[0].entry.section.startswith("No.1 ")


def test_answer_carries_its_source_and_contact(bot):
    answer = bot.answer("粗大ごみはどうやって出すの？", audience="citizen")
    assert not answer.abstained and answer.sources[0].id == "101"
    assert "処理券" in answer.text and answer.confidence >= 0.5


def test_out_of_scope_questions_abstain_with_a_contact(bot):
    answer = bot.answer("美味しいラーメン屋さんを教えて", audience="citizen")
    assert answer.abstained and answer.kind == "abstain"
    assert answer.contact is not None and answer.contact.phone
    assert "お問い合わせ" in answer.text


def test_empty_and_huge_questions_are_answered_politely(bot):
    assert bot.answer("   ").kind == "empty"
    assert bot.answer("あ" * 5000).kind == "too_long"


def test_unknown_audience_is_rejected(bot):
    with pytest.raises(ValueError):
        bot.search("ごみ", audience="everyone")
