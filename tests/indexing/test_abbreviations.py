"""Kanji compounds clipped as people say them (身障手帳, 国保, 育休), written whole as the knowledge writes them."""
import pytest

from bot.answering.retrieval import Retriever
from fakes.embedder import HashingEmbedder, installed_embedder
from indexing.abbreviations import abbreviates, words_of
from indexing.importer import import_paths
from indexing.respelling import Respelling

# Each long form is written twice: an abbreviation stands only for what the knowledge writes more than once.
KNOWLEDGE = [
    "身体障害者手帳の交付を受けるには医師の診断書が必要です。身体障害者手帳は障害福祉課で申請します。",
    "国民健康保険に加入するときは14日以内に届け出てください。国民健康保険の保険証は郵送します。",
    "国民健康保険税の減免については税務課へ。国民健康保険税は年8回に分けて納めます。",
    "育児休業中の保育園の利用について。育児休業が終わる月に入園を申し込めます。",
    "児童扶養手当はひとり親家庭に支給されます。児童扶養手当の申請には戸籍謄本が必要です。",
    "開催通知は会議の1週間前までに送ります。開催通知には議題を書きます。",
    "出産費用の助成があります。出産費用は病院に直接支払われます。",
]


@pytest.fixture(scope="module")
def spelling():
    return Respelling(KNOWLEDGE)


@pytest.mark.parametrize("short, long", [
    ("身障手帳", "身体障害者手帳"),   # two words clipped, 者 left out, the head whole
    ("国保", "国民健康保険"),          # 健康 left out, the head clipped
    ("育休", "育児休業"),
])
def test_an_abbreviation_is_the_starts_of_its_long_forms_words(short, long):
    assert abbreviates(short, words_of(long))


@pytest.mark.parametrize("short, long", [
    ("児童手当", "児童扶養手当"),   # whole words with one left out: another thing, not a short name
    ("出費", "出産費用"),            # read しゅっぴ: ぴ is not how 費用 (ひよう) starts
    ("医者", "医療費受給者"),        # two words left out
    ("国保", "国民年金保険料"),      # the head (料) is not kept
    ("国保料", "国民年金保険料"),    # no word left out before a head of one character
    ("会員", "会社員"),              # one word clipped only
])
def test_look_alikes_are_no_abbreviations(short, long):
    assert not abbreviates(short, words_of(long))


def test_a_question_is_searched_with_the_long_forms_the_knowledge_writes(spelling):
    assert spelling.respell("身障手帳 作りたい") == "身体障害者手帳 作りたい"
    assert spelling.respell("国保の加入") == "国民健康保険の加入"
    assert spelling.respell("国保税 減免") == "国民健康保険税 減免"
    assert spelling.respell("育休中だけど保育園") == "育児休業中だけど保育園"


def test_words_the_knowledge_writes_or_that_abbreviate_nothing_stay_as_typed(spelling):
    assert spelling.respell("児童手当の申請") == "児童手当の申請"
    assert spelling.respell("出費が多い") == "出費が多い"
    # Not split where a word of one character joins the next (事業|所|税, 水|道管).
    assert "国民" not in spelling.respell("事業所税の申告")


def test_a_long_form_written_once_is_no_target():
    once = Respelling(["身体障害者手帳の交付。"])
    assert once.respell("身障手帳") == "身障手帳"


def test_two_long_forms_written_as_often_leave_the_abbreviation_as_typed():
    tied = Respelling(["育児休業の申請。育児休業の期間。", "育成休暇の申請。育成休暇の期間。"])
    assert tied.respell("育休") == "育休"


def test_the_entry_is_found_and_answered_through_the_abbreviation(tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    rows = ["ID,問い合わせ文,応答文,カテゴリ",
            "A1,身体障害者手帳の申請方法は？,身体障害者手帳は障害福祉課で申請します。医師の診断書が必要です。身体障害者手帳の交付まで約1か月です。,福祉",
            "A2,精神障害者保健福祉手帳の申請は？,精神障害者保健福祉手帳は障害福祉課で申請します。,福祉",
            "A3,母子健康手帳の交付場所は？,母子健康手帳は保健センターで交付します。,子育て"]
    (knowledge / "faq.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with installed_embedder(HashingEmbedder()) as spec:
        data_dir = tmp_path / "data"
        import_paths([knowledge], data_dir, embedder_spec=spec)
        asked = []

        class AgreeingRetriever(Retriever):
            # The test embedder hashes characters: it cannot tell what an abbreviation means. The
            # retriever asks its embedder whether the two words agree; here they do.
            def _similarity(self, first, second):
                asked.append((first, second))
                return 0.95

        retriever = AgreeingRetriever(data_dir, spec)
        assert "身体障害者手帳" in retriever.query_text("身障手帳 作りたい", "citizen")
        assert asked == [("身障手帳", "身体障害者手帳")]
        assert retriever.search("身障手帳 作りたい", "citizen")[0].entry.id == "A1"


def test_a_long_form_the_embedder_reads_apart_is_no_abbreviation():
    # Written like an abbreviation of 特別徴収 (特|徴), 特徴 is a word of its own: the embedder tells them apart.
    knowledge = ["特別徴収の税額の通知。特別徴収の変更の届出。", "国民健康保険の加入。国民健康保険の脱退。"]
    meaning = {("特徴", "特別徴収"): 0.86, ("国保", "国民健康保険"): 0.93}
    spelling = Respelling(knowledge, similar=lambda short, long: meaning[(short, long)])
    assert spelling.respell("公園の特徴を教えて") == "公園の特徴を教えて"
    assert spelling.respell("国保の加入") == "国民健康保険の加入"


def test_a_long_form_cut_from_a_longer_compound_is_no_target():
    # The vocabulary counts 国民年金保険 inside 国民年金保険料; it is not a word of this knowledge.
    spelling = Respelling(["国民年金保険料の免除。国民年金保険料の納付。", "社会福祉協議会に相談。社会福祉協議会の窓口。"])
    assert spelling.respell("国保の加入") == "国保の加入"


def test_a_long_run_of_kanji_nouns_is_read_in_spans_of_bounded_length(spelling, monkeypatch):
    # A 2,000-character run of kanji nouns: the spans looked up grow with its length, not its square.
    abbreviations = spelling._abbreviations
    looked_up = []
    monkeypatch.setattr(abbreviations, "long_form", lambda short, budget=None: looked_up.append(short))
    abbreviations.expanded("申請書類" * 500)
    assert looked_up and max(map(len, looked_up)) <= 6
    assert len(looked_up) <= 4 * 1000


def test_a_one_character_head_is_read_apart_from_the_abbreviation_before_it():
    spelling = Respelling(["国民健康保険の加入。国民健康保険の脱退。", "国民年金保険料の免除。国民年金保険料の納付。"
                           "国民年金保険料の額。"])
    assert spelling.respell("国保料の計算") == "国民健康保険料の計算"


def test_the_embedder_is_asked_about_few_new_pairs_per_question():
    asked = []
    spelling = Respelling(["国民健康保険の加入。国民健康保険の脱退。", "育児休業の期間。育児休業の申出。",
                           "身体障害者手帳の交付。身体障害者手帳の再交付。", "社会保険の加入。社会保険の喪失。"],
                          similar=lambda short, long: asked.append(short) or 0.95)
    assert spelling.respell("国保 育休 身障手帳 社保") == "国民健康保険 育児休業 身体障害者手帳 社保"
    assert len(asked) == 3
    # The pairs asked are kept: the next question asks only about the new one.
    assert spelling.respell("社保と国保") == "社会保険と国民健康保険"
    assert len(asked) == 4


def test_a_cosine_that_is_not_a_number_confirms_nothing():
    spelling = Respelling(["国民健康保険の加入。国民健康保険の脱退。"], similar=lambda short, long: float("nan"))
    assert spelling.respell("国保の加入") == "国保の加入"
