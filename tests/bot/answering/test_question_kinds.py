from bot.answering.question_kinds import asked_kinds, holds_fact, names_fact


def _names(question):
    return {kind.name for kind in asked_kinds(question)}


def test_everyday_phrasings_of_the_asked_fact_are_recognised():
    assert "needs" in _names("婚姻届を出すとき何がいるの？")
    assert "count" in _names("パスワードは何回まちがえたらロックされる？")
    assert "count" in _names("ぷらごみ しゅう なんかい")
    assert "contact" in _names("ヘルプデスクの内線番号は？")
    assert "duration" in _names("電子証明書は何年で切れるの")
    assert "deadline" in _names("現況届はいつ提出すればいい？")
    assert "write" in _names("処理券に何を書けばいいの")
    assert "hours" in _names("しやくしょ なんじまで")
    assert _names("粗大ごみの出し方を教えて") == set()


def test_a_heading_naming_the_asked_fact_counts_and_an_unrelated_one_does_not():
    kinds = asked_kinds("転入届の期限はいつまで？")
    assert names_fact(kinds, "転入届・転出届・転居届の違いと期限（14日以内）") == 1.0
    assert names_fact(kinds, "転入届に必要なもの") == 0.0
    assert names_fact(asked_kinds("住民票の手数料はいくら"), "住民票の写しの手数料") == 1.0
    assert names_fact((), "住民票の写しの手数料") == 0.0


def test_the_body_holding_the_asked_fact_is_recognised():
    kinds = asked_kinds("ヘルプデスクの連絡先")
    assert holds_fact(kinds, "情報政策課 ヘルプデスク：内線2345") == 1.0
    assert holds_fact(kinds, "ヘルプデスクに相談してください。") == 0.0
    assert holds_fact(asked_kinds("何回まで"), "1回の申し込みは10点までです") == 1.0
