"""Answer composition: how FAQ answers, guide sections and plan passages read in a chat."""
from bot.answering import messages
from bot.answering.answer import Hit
from bot.answering.composer import compose_answer, plain_text
from indexing.entries import Entry

DEPARTMENTS = [{"name": "ごみ減量推進課", "phone": "000-123-4171"},
               {"name": "総合案内", "phone": "000-123-4111", "default": True}]

GUIDE_BODY = """粗大ごみは**事前の申し込みが必要**です。

- **電話**：受付センター `000-123-4600`
- **インターネット**：[受付ページ](https://example.lg.jp/sodai)から申し込めます。

### 注意
> 収集日の3日前までです。"""


def guide(section: str, body: str = GUIDE_BODY) -> Entry:
    return Entry(id=f"large-garbage#{section or '概要'}", kind="guide", title="粗大ごみの出し方", body=body,
                 section=section, audience="citizen", department="ごみ減量推進課")


def plan_passage() -> Entry:
    return Entry(id="plan#1", kind="plan", title="DX推進計画", body="行政手続のオンライン化を進めます。\n\n職員の働き方も変えます。",
                 section="第3章 基本方針", page=12, audience="all")


def answer(*entries: Entry, scores=(0.9, 0.85, 0.8, 0.75)):
    hits = [Hit(entry=e, score=s) for e, s in zip(entries, scores)]
    return compose_answer("粗大ごみの出し方", hits, confidence=0.9, threshold=0.5, audience="citizen",
                          departments=DEPARTMENTS)


def test_plain_text_removes_markdown_marks_but_keeps_content_and_links():
    text = plain_text(GUIDE_BODY)
    assert "**" not in text and "`" not in text and "###" not in text and ">" not in text.split("（")[0]
    assert "粗大ごみは事前の申し込みが必要です。" in text
    assert "・電話：受付センター 000-123-4600" in text
    assert "受付ページ（https://example.lg.jp/sodai）から申し込めます。" in text
    assert "注意\n収集日の3日前までです。" in text


def test_a_guide_section_is_the_answer_itself_in_plain_text_with_its_source():
    result = answer(guide("粗大ごみの申し込み方法"))
    assert not result.abstained
    assert result.text.startswith("粗大ごみは事前の申し込みが必要です。")
    assert "**" not in result.text
    assert result.sources[0].id == "large-garbage#粗大ごみの申し込み方法"
    assert result.contact.department == "ごみ減量推進課"


def test_a_plan_passage_is_quoted_with_the_place_it_comes_from():
    result = answer(plan_passage())
    first_line, rest = result.text.split("\n", 1)
    assert first_line == messages.PASSAGE_INTRO.format(source=result.sources[0].label())
    assert "DX推進計画" in first_line
    assert rest == "行政手続のオンライン化を進めます。\n職員の働き方も変えます。"


def test_long_passages_are_cut_at_a_sentence_end():
    body = "あ" * 150 + "。" + "い" * 150 + "。" + "う" * 400
    result = answer(Entry(id="plan#2", kind="plan", title="計画", body=body, section="第1章", audience="all"))
    quoted = result.text.split("\n", 1)[1]
    assert quoted == "あ" * 150 + "。" + "い" * 150 + "。…"


def test_related_questions_of_guide_sections_are_their_headings_and_skip_the_answer_itself():
    result = answer(guide(""), guide("粗大ごみの料金の例"), guide("粗大ごみ処理券の購入"), guide("", body="重複"))
    assert [r.question for r in result.related] == ["粗大ごみの料金の例", "粗大ごみ処理券の購入"]
    assert result.sources[0].id == "large-garbage#概要"


def test_low_confidence_abstains_with_the_closest_entries_department():
    hits = [Hit(entry=guide("粗大ごみの料金の例"), score=0.6)]
    result = compose_answer("ピアノの調律", hits, confidence=0.2, threshold=0.5, audience="citizen",
                            departments=DEPARTMENTS)
    assert result.abstained and result.kind == "abstain"
    assert "ごみ減量推進課" in result.text and "000-123-4171" in result.text
