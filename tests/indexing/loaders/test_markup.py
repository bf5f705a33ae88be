import pytest

from indexing.loaders.markup import has_markup, plain_text_from_markup


@pytest.mark.parametrize("typed, shown", [
    ('30日以内に<br>登録を。<a href="https://example.jp/dog">詳しくはこちら</a>',
     "30日以内に\n登録を。詳しくはこちら（https://example.jp/dog）"),
    ("受付は<BR/>平日です", "受付は\n平日です"),
    ("窓口:<br>\n区民課<br />\n2階", "窓口:\n区民課\n2階"),
    ("一行目<br><br>二行目", "一行目\n\n二行目"),
    ("<ul><li>本人確認書類</li><li>印鑑</li></ul>", "・本人確認書類\n・印鑑"),
    ("<p>一段落目</p>\n<p>二段落目</p>", "一段落目\n\n二段落目"),
    ("A&amp;B&nbsp;C &#x3042;&#12356;", "A&B C あい"),
    ('<a href="https://x.jp/a">https://x.jp/a</a>', "https://x.jp/a"),
    ('<a href="mailto:kuminka@city.example.jp">メール</a>でどうぞ', "メール（kuminka@city.example.jp）でどうぞ"),
    ('<a href="#top">上へ</a>', "上へ"),
    ("<span style='color:red'>重要</span>：<strong>期限</strong>は<b>3月</b>", "重要：期限は3月"),
    ("<script>track()</script>本文", "本文"),
    ('<img src="a.png" alt="地図">を見てください', "地図を見てください"),
    # Letters in angle brackets are labels unless closed; <p> is a tag even unclosed.
    ("所得区分が<A>の方は無料、<br><B>の方は半額です。", "所得区分が<A>の方は無料、\n<B>の方は半額です。"),
    ("<A>と<a href=\"https://x.jp\">リンク</a>", "<A>とリンク（https://x.jp）"),
    ("申請してください。<p>期限は3月末です。", "申請してください。\n期限は3月末です。"),
    ("<B>重要</B>です", "重要です"),
])
def test_markup_becomes_the_words_a_resident_reads(typed, shown):
    assert plain_text_from_markup(typed) == shown


@pytest.mark.parametrize("text", ["3歳<6歳の子", "A<Z>C", "a & b", "<住民票>の写し", "改行\nだけ", "&は記号",
                                  "所得区分が<A>の方は無料、<B>の方は半額です。"])
def test_plain_text_with_angle_brackets_or_ampersands_stays_as_typed(text):
    assert not has_markup(text)
    assert plain_text_from_markup(text) == text


def test_numbered_steps_and_table_rows_keep_their_shape():
    assert plain_text_from_markup("<ol><li>申請書を書く</li><li>窓口へ出す</li></ol><ul><li>印鑑</li></ul>") \
        == "1. 申請書を書く\n2. 窓口へ出す\n・印鑑"
    assert plain_text_from_markup("<table><tr><th>区分</th><th>金額</th></tr><tr><td>大人</td><td>300円</td></tr>"
                                  "</table>") == "区分 金額\n大人 300円"


def test_addresses_in_angle_brackets_inside_markup_are_kept():
    assert plain_text_from_markup("子育て支援課 <kosodate@city.example.jp><br>詳細は<https://x.jp/a?b=1&c=2>") \
        == "子育て支援課 kosodate@city.example.jp\n詳細はhttps://x.jp/a?b=1&c=2"


def test_a_relative_link_is_completed_from_the_entrys_page_when_there_is_one():
    cell = '<a href="/kurashi/gomi.html">ごみのページ</a>を見てください'
    assert plain_text_from_markup(cell, "https://www.city.example.jp/faq/12.html") \
        == "ごみのページ（https://www.city.example.jp/kurashi/gomi.html）を見てください"
    assert plain_text_from_markup(cell) == "ごみのページを見てください"
