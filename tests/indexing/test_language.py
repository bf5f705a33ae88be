"""Language detection of residents' questions (indexing/language.py)."""
import json
from pathlib import Path

import pytest

from indexing.language import (
    detect_language,
    guess_language,
    is_ambiguous,
    normalize_language_tag,
    resolve_language,
)

TABLE = [json.loads(line) for line in
         (Path(__file__).parents[1] / "fixtures" / "language-detection.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def test_the_table_is_large_and_covers_every_supported_language():
    assert len(TABLE) >= 60
    languages = {row["language"] for row in TABLE}
    assert {"ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "pt", "und"} <= languages


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row['language']}:{row['text'][:20]}")
def test_detects_the_language_of_short_and_mixed_texts(row):
    assert detect_language(row["text"]) == row["language"]


def test_english_around_a_japanese_name_is_english_and_japanese_around_an_english_word_is_japanese():
    assert detect_language("How do I get a juminhyo at Aoba city hall?") == "en"
    assert detect_language("How do I get a 住民票 at 青葉区役所?") == "en"
    assert detect_language("マイナンバーカードのPINを忘れた") == "ja"


def test_han_only_japanese_terms_are_not_taken_for_chinese():
    for term in ("転入届", "印鑑登録証明書", "児童手当", "国民健康保険", "終了", "目的"):
        assert detect_language(term) == "ja", term


def test_short_texts_are_ambiguous_and_take_the_users_known_language():
    for text in ("👍", "123", "ok", "?"):
        assert is_ambiguous(text)
        assert resolve_language(text, hint="en") == "en"
        assert resolve_language(text) == "und"
    assert not is_ambiguous("粗大ごみの出し方を教えてください")
    # A clear text keeps its own language whatever the profile says.
    assert resolve_language("粗大ごみの出し方を教えてください", hint="en") == "ja"
    assert resolve_language("Where can I throw away large garbage?", hint="ja") == "en"


@pytest.mark.parametrize("tag,expected", [
    ("en", "en"), ("en-US", "en"), ("ja", "ja"), ("zh-Hant", "zh-Hant"), ("zh-TW", "zh-Hant"), ("zh_HK", "zh-Hant"),
    ("zh-Hans", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh", "zh-Hans"), ("pt-BR", "pt"), ("ko", "ko"), ("fil", "tl"),
    ("in", "id"), ("xx", "und"), ("", "und"), (None, "und"),
])
def test_platform_language_tags_are_normalised(tag, expected):
    assert normalize_language_tag(tag) == expected


def test_the_guess_says_how_sure_it_is():
    assert guess_language("Where can I throw away large garbage?").confident
    assert not guess_language("ok").confident


def test_addresses_and_links_are_left_out_and_only_the_opening_is_read():
    from indexing.language import GUESS_CHARS, _URL

    assert _URL.sub("<>", "連絡はtaro.yamada+x@city.example.lg.jp まで。https://x.jp/a?b=1 も www.city.jp も。a@b") \
        == "連絡は<> まで。<> も <> も。a@b"
    # A long message is judged by its opening (a bounded cost whatever its length).
    assert guess_language("住民票の写しが欲しいです。" * (GUESS_CHARS // 13 + 1) + "Where is city hall? " * 500).language == "ja"


def test_japanese_search_words_in_kanji_only_stay_japanese():
    # 護 (介護, 弁護士), 没 (陥没), 領 (要領) and the like are written so in Japanese too.
    for words in ("弁護士 無料相談", "介護保険料 金額", "道路 陥没 連絡", "生活保護 相談", "写真 規格", "結婚 届"):
        assert detect_language(words) == "ja", words
    # One character only Chinese writes so is thin evidence: the channel's language decides.
    assert resolve_language("护照", "ja") == "ja" and resolve_language("护照", "zh-Hans") == "zh-Hans"
    assert detect_language("这个证书怎么办") == "zh-Hans"
