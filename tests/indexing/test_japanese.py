import pytest

from indexing.japanese import JapaneseAnalyzer, SynonymTable, normalize_text


@pytest.fixture(scope="module")
def analyzer():
    return JapaneseAnalyzer(SynonymTable.parse("粗大ごみ,粗大ゴミ,大型ごみ\nマイナンバーカード,マイナカード\n"))


def test_normalize_width_case_and_dashes():
    assert normalize_text("ＡＢＣ１２３　ｶﾀｶﾅ") == "abc123 カタカナ"
    assert normalize_text("9時〜17時") == normalize_text("9時～17時")


def test_particles_and_symbols_are_dropped(analyzer):
    assert analyzer.terms("転入届に必要なものは？") == ["転入", "届け", "必要"]


def test_polite_verbs_that_only_frame_a_question_are_no_terms(analyzer):
    # A formal question weighs only what it asks about: 致す and 御座る are in no entry, and counted as
    # terms no entry covers they pushed clear formal questions into a decline.
    assert analyzer.analyze("長男が転出いたしました。国民健康保険の制度はございますか。伺いたいのですが").terms == (
        "長男", "転出", "国民", "健康", "保険", "制度")


def test_kana_and_width_variants_meet(analyzer):
    assert analyzer.terms("ゴミ") == analyzer.terms("ごみ")
    assert analyzer.terms("ｺﾝﾋﾞﾆ") == analyzer.terms("コンビニ")
    assert analyzer.terms("シュミレーション") == analyzer.terms("シミュレーション")


def test_synonyms_map_to_the_canonical_term(analyzer):
    assert analyzer.terms("大型ごみを出したい") == analyzer.terms("粗大ごみを出したい")
    assert "まいなんばー" in analyzer.terms("マイナカードの更新")


def test_reading_grams_match_kana_typed_questions(analyzer):
    kanji = set(analyzer.analyze("粗大ごみ").reading_grams)
    kana = set(analyzer.analyze("そだいごみ").reading_grams)
    assert kanji == kana


def test_synonym_file_errors_name_the_line():
    with pytest.raises(ValueError, match=":2:"):
        SynonymTable.parse("a,b\nlonely\n")


def test_canonical_terms_are_not_rewritten_through_shorter_variants():
    table = SynonymTable.parse("転入届,転入\nホームページ,hp\n")
    assert table.apply("転入届を出す") == "転入届を出す"
    assert table.apply("転入した") == "転入届した"
    assert table.apply("hpv ワクチン") == "hpv ワクチン"
    assert table.apply("市の hp を見た") == "市の ホームページ を見た"


def test_web_and_mail_addresses_are_not_vocabulary(analyzer):
    text = "台風情報はこちら https://www.city.aoba.example.lg.jp/bousai/?id=1 をご覧ください。問い合わせ info@city.aoba.example.lg.jp"
    terms = analyzer.terms(text)
    assert "台風" in terms and "情報" in terms
    assert not any(t.lower() in {"https", "www", "city", "aoba", "info", "lg", "jp", "bousai"} for t in terms)
    # Bare "www" typed as laughter still becomes a term of the question (found in no entry).
    assert analyzer.terms("ｗｗｗ") != []


def test_nouns_are_reported_apart_from_other_terms(analyzer):
    analysis = analyzer.analyze("パスポートを申請したい")
    assert "パスポート" in analysis.nouns or "ぱすぽーと" in analysis.nouns
    assert all(term in analysis.terms for term in analysis.nouns)
