"""Long stories: the asking sentence is found, and it steers the lexical scores and the abstention signals."""
from __future__ import annotations

import numpy as np
import pytest

from bot.answering.retrieval import DENSE_CANDIDATES, Retriever, entry_scores
from bot.answering.story import (NEED_LEXICAL_WEIGHT, STORY_CHARS, need_of, need_weighted, noun_letters, searched_need,
                                 sentences)
from fakes.embedder import HashingEmbedder, installed_embedder
from indexing.entries import Audience
from indexing.importer import import_paths

STORY = ("来年の春から子どもを保育園に預けて働くつもりで、保育園の見学にも行きました。"
         "保育園の準備で部屋を片付けたら、古いタンスが出てきました。粗大ごみはどうやって出せばいいですか？")


def test_the_asking_sentence_of_a_story_is_its_need():
    assert len(STORY) >= STORY_CHARS
    assert need_of(STORY) == "粗大ごみはどうやって出せばいいですか？"


def test_a_short_question_or_a_single_sentence_has_no_separate_need():
    assert need_of("粗大ごみはどうやって出せばいいですか？") == ""
    assert need_of("来年の春から子どもを保育園に預けて働くつもりで保育園の見学にも行ったのですが部屋を片付けたら古いタンスが出てきて困っています") == ""


def test_the_last_asking_sentence_wins_and_a_story_without_markers_keeps_its_last_sentence():
    asked_first = ("住民票の写しは郵送で取れますか？実家を出てから県外の会社の寮に住んでいて、"
                   "市役所の窓口が開いている時間にはなかなか帰れません。寮の近くには郵便局があります。")
    assert need_of(asked_first) == "住民票の写しは郵送で取れますか？"
    plain = ("先週から隣の家の工事の音が朝早くからずっと続いていて、家族みんなが寝不足になっています。"
             "工事の騒音の相談窓口を探しています。")
    assert need_of(plain) == "工事の騒音の相談窓口を探しています。"
    assert sentences("一つ目。二つ目！\n三つ目") == ["一つ目。", "二つ目！", "三つ目"]


def test_an_asking_sentence_that_names_nothing_takes_the_sentence_before_it():
    story = ("先週この市に引っ越してきたばかりで、家の前のごみ置き場のルールがまだよくわかりません。"
             "昨日の夜に出したら、近所の方にもっと遅い時間に出すように言われてしまいました。どうすればよかったのでしょう。")
    assert need_of(story) == "昨日の夜に出したら、近所の方にもっと遅い時間に出すように言われてしまいました。どうすればよかったのでしょう。"
    # The words every question asks with (何, 手続き, 必要 …) name nothing either.
    sofa = "年末の大掃除で、家族みんなでリビングと和室を片付けています。古くなった二人掛けのソファを捨てることにしました。まず何をすればいいですか？"
    assert need_of(sofa) == "古くなった二人掛けのソファを捨てることにしました。まず何をすればいいですか？"
    # Nor does a question word with its counter (何日, 何時, 何か月).
    trip = "来月、家族で台湾旅行に行くことになりました。パスポートは5年前に切れています。新しいパスポートを作れますか？何日くらいかかりますか。"
    assert need_of(trip) == "新しいパスポートを作れますか？何日くらいかかりますか。"


def test_need_weighted_blends_the_whole_texts_scores_with_the_needs():
    whole, need = np.array([1.0, 0.0, 0.5]), np.array([0.0, 1.0, 0.5])
    assert np.allclose(need_weighted(whole, need, 0.3), [0.7, 0.3, 0.5])
    assert np.allclose(need_weighted(whole, need), (1 - NEED_LEXICAL_WEIGHT) * whole + NEED_LEXICAL_WEIGHT * need)


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, knowledge_dir):
    with installed_embedder(HashingEmbedder()) as spec:
        data_dir = tmp_path_factory.mktemp("story-data")
        import_paths([knowledge_dir], data_dir, embedder_spec=spec)
        yield Retriever(data_dir, spec)


def _position(index, entry_id: str) -> int:
    return next(i for i, e in enumerate(index.entries) if e.id == entry_id)


def test_a_storys_lexical_scores_lean_towards_the_entry_its_need_asks_about(retriever):
    index = retriever.index(Audience.CITIZEN)
    text = retriever.query_text(STORY, Audience.CITIZEN)
    analysis = retriever.analyzer.analyze(text)
    vector = retriever._query_vector(text)
    garbage, nursery = _position(index, "101"), _position(index, "107")
    _, whole_terms, _ = entry_scores(index, analysis, vector)
    # The narrative's 保育園 pulls the whole text towards the nursery entry ...
    assert whole_terms[nursery] > whole_terms[garbage]
    # ... while the asking sentence is about large garbage.
    _, terms, _ = retriever.scores(index, text, analysis, vector)
    assert terms[garbage] > terms[nursery]
    assert terms[garbage] > whole_terms[garbage]


def test_a_story_is_searched_by_its_searched_need_and_judged_by_its_asking_sentence(retriever):
    # The last sentence names little (料金): the sentence before it is searched with it.
    story = ("先月から在宅勤務になり、運動不足が気になっています。健康診断でも体重が増えたと言われました。"
             "粗大ごみの処理券を買いに行くついでに寄れる窓口はありますか。料金も知りたいです")
    searched, judged = searched_need(story), need_of(story)
    assert searched != judged and searched.endswith(judged)
    index = retriever.index(Audience.CITIZEN)
    analysis = retriever.analyzer.analyze(story)
    vector = retriever._query_vector(story)
    whole, _, _ = entry_scores(index, analysis, vector)
    dense, _, _ = retriever.scores(index, story, analysis, vector)
    expected = np.maximum(whole, index.dense_scores(retriever._query_vector(searched), DENSE_CANDIDATES))
    assert np.allclose(dense, expected)
    assert retriever.judged_analysis(story, analysis) == retriever.analyzer.analyze(judged)


def test_the_abstention_signals_of_a_story_read_its_need_and_a_short_question_itself(retriever):
    text = retriever.query_text(STORY, Audience.CITIZEN)
    judged = retriever.judged_analysis(text, retriever.analyzer.analyze(text))
    assert judged == retriever.analyzer.analyze(need_of(text))
    assert "保育園" not in judged.terms
    short = "粗大ごみの出し方"
    analysis = retriever.analyzer.analyze(short)
    assert retriever.judged_analysis(short, analysis) is analysis


def test_a_need_that_names_little_is_searched_with_the_sentence_before_it():
    # 「補助はありますか」 alone meets every subsidy of the knowledge; the sentence before says which.
    story = ("定年後に実家の畑で野菜を作っています。今年はサルにトウモロコシを全部やられてしまいました。"
             "近所の家も被害に遭っていて、みんなで柵を作ろうかと話しています。補助はありますか")
    assert need_of(story) == "補助はありますか"
    assert searched_need(story) == "近所の家も被害に遭っていて、みんなで柵を作ろうかと話しています。補助はありますか"
    # A need that names its thing is searched alone, as it is judged.
    assert searched_need(STORY) == need_of(STORY) == "粗大ごみはどうやって出せばいいですか？"


def test_nouns_in_kana_count_and_form_words_and_numbers_do_not():
    assert noun_letters("粗大ごみはどうやって出せばいいですか？") == 4
    assert noun_letters("ねこの ごみは どこ？") == 4  # ねこ, ごみ
    assert noun_letters("今のところどうですか") == 1  # 今; ところ is a form word
    assert noun_letters("2024年の分はいつですか") < 4


@pytest.mark.parametrize("ending", ["？", "？？", "！？", "?!", "？😢"])
def test_a_run_of_question_marks_or_an_emoji_ends_one_sentence(ending):
    story = ("先月から一人暮らしを始めた大学生です。実家は県外で、駅の近くのアパートを借りました。"
             "住所を移す届けって、何日以内に出せばいいんですか" + ending)
    assert need_of(story).startswith("住所を移す届けって、何日以内に出せばいいんですか")
