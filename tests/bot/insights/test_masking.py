import random
import re
import unicodedata
from pathlib import Path

import pytest

from bot.insights.masking import (
    PERSONAL_DATA_KINDS, PLACEHOLDERS, PersonalDataSpan, find_personal_data, mask_personal_data,
)

# (question as typed, what the inquiry log must store)
MASKED = [
    # A bracket closing the words around a labelled number stays (it was masked with the number).
    ("（携帯09011112222）から", "（携帯〔電話番号〕）から"), ("携帯 090(1111)2222 です", "携帯 〔電話番号〕 です"),
    # Phone numbers
    ("電話番号は03-1234-5678です", "電話番号は〔電話番号〕です"),
    ("携帯090-1234-5678に折り返しください", "携帯〔電話番号〕に折り返しください"),
    ("フリーダイヤル0120-123-456は無料ですか", "フリーダイヤル〔電話番号〕は無料ですか"),
    ("ナビダイヤル0570-000-111につながりません", "ナビダイヤル〔電話番号〕につながりません"),
    ("連絡先は(03)1234-5678です", "連絡先は〔電話番号〕です"),
    ("自宅は03(1234)5678", "自宅は〔電話番号〕"),
    ("09012345678に電話して", "〔電話番号〕に電話して"),
    ("海外から+81-90-1234-5678にかけたい", "海外から〔電話番号〕にかけたい"),
    ("+81 3 1234 5678 is my number", "〔電話番号〕 is my number"),
    ("+81(0)3-1234-5678", "〔電話番号〕"),
    ("０３－１２３４－５６７８に電話", "〔電話番号〕に電話"),
    ("０９０ー１２３４ー５６７８です", "〔電話番号〕です"),
    ("090‐1234‐5678（日中）", "〔電話番号〕（日中）"),
    ("（０３）１２３４－５６７８", "〔電話番号〕"),
    ("電話は０９０（１２３４）５６７８", "電話は〔電話番号〕"),
    ("03 1234 5678まで", "〔電話番号〕まで"),
    ("ＴＥＬ：０３－１２３４－５６７８（平日）", "ＴＥＬ：〔電話番号〕（平日）"),
    ("IP電話050-1234-5678です", "IP電話〔電話番号〕です"),
    # My Number (any 12 digits)
    ("マイナンバーは123456789012です", "マイナンバーは〔マイナンバー〕です"),
    ("個人番号 1234 5678 9012 を書く欄", "個人番号 〔マイナンバー〕 を書く欄"),
    ("1234-5678-9012で合っていますか", "〔マイナンバー〕で合っていますか"),
    ("番号は１２３４　５６７８　９０１２", "番号は〔マイナンバー〕"),
    ("１２３４－５６７８－９０１２", "〔マイナンバー〕"),
    ("202404011230_log.csv", "〔マイナンバー〕_log.csv"),  # safest: any bare 12 digits
    # E-mail
    ("メールはtaro.yamada@example.co.jpです", "メールは〔メール〕です"),
    ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐに送って", "〔メール〕に送って"),
    ("返信先: hanako+city@mail.example.com。", "返信先: 〔メール〕。"),
    # Postal codes
    ("〒123-4567", "〒〔郵便番号〕"),
    ("〒１２３－４５６７あてに送付", "〒〔郵便番号〕あてに送付"),
    ("郵便番号は1234567です", "郵便番号は〔郵便番号〕です"),
    ("郵便番号：123-4567", "郵便番号：〔郵便番号〕"),
    ("123-4567 東京都渋谷区神南1-2-3", "〔郵便番号〕 〔住所〕"),
    ("〒123-4567 あおば市中央2丁目3番4号", "〒〔郵便番号〕 〔住所〕"),
    # Addresses
    ("東京都渋谷区神南1-2-3から転入します", "〔住所〕から転入します"),
    ("あおば市中央2丁目3番4号です", "〔住所〕です"),
    ("中央町1-2-3 ○○マンション101号室に住んでいます", "〔住所〕に住んでいます"),
    ("住所は東京都渋谷区神南1-2-3です", "住所は〔住所〕です"),
    ("私の住所はあおば市中央２丁目３番４号です。", "私の住所は〔住所〕です。"),
    ("あおば市中央一丁目二番三号", "〔住所〕"),
    ("大字山田123番地の4の土地", "〔住所〕の土地"),
    ("札幌市中央区北1条西2丁目3番地", "〔住所〕"),
    ("あおば市中央1-2-3-101", "〔住所〕"),
    ("あおば市中央１ー２ー３", "〔住所〕"),
    ("中央2丁目3番4号 あおばハイツA棟203号室です", "〔住所〕です"),
    ("中央町1-2-3の101号室", "〔住所〕"),
    ("住所は中央1-2-3です", "住所は〔住所〕です"),
    ("住所東京都渋谷区神南1-2-3", "住所〔住所〕"),
    ("ひばりが丘3丁目4番5号", "〔住所〕"),
    ("あおば市中央2丁目3番4号 3人家族です", "〔住所〕 3人家族です"),
    ("わたしはさいたま市中央区1-2-3に住んでいます", "わたしは〔住所〕に住んでいます"),
    # Card numbers
    ("4111 1111 1111 1111", "〔カード番号〕"),
    ("カードは4111111111111111です", "カードは〔カード番号〕です"),
    ("4111-1111-1111-1111", "〔カード番号〕"),
    ("アメックス3782 822463 10005", "アメックス〔カード番号〕"),
    ("1234 5678 9012 3456", "〔カード番号〕"),  # grouped 4-4-4-4 even when Luhn fails
    ("カード番号1234567890123", "カード番号〔カード番号〕"),
    # Names
    ("私は山田太郎です", "私は〔氏名〕です"),
    ("氏名：山田 太郎", "氏名：〔氏名〕"),
    ("氏名:山田太郎 電話:03-1234-5678", "氏名:〔氏名〕 電話:〔電話番号〕"),
    ("私は山田です。転入届について", "私は〔氏名〕です。転入届について"),
    ("私は田中ですが、転入の件で", "私は〔氏名〕ですが、転入の件で"),
    ("わたしは竹内です", "わたしは〔氏名〕です"),
    ("私は山田 太郎です", "私は〔氏名〕です"),
    ("私は山田さくらです", "私は〔氏名〕です"),
    ("私はグエン・ヴァン・アンです", "私は〔氏名〕です"),
    ("私はやまだと申します", "私は〔氏名〕と申します"),
    ("山田太郎と申します。よろしくお願いします", "〔氏名〕と申します。よろしくお願いします"),
    ("こんにちは、市役所の山田と申します", "こんにちは、市役所の〔氏名〕と申します"),
    ("私の名前は山田花子です", "私の名前は〔氏名〕です"),
    ("お名前: John Smith", "お名前: 〔氏名〕"),
    ("フリガナ：ヤマダ タロウ", "フリガナ：〔氏名〕"),
    ("氏名：山田太郎さん", "氏名：〔氏名〕さん"),
    # Several kinds at once; labels and full-width punctuation stay as written
    ("電話03-1234-5678、メールinfo@city.aoba.lg.jp", "電話〔電話番号〕、メール〔メール〕"),
    ("住所：あおば市中央2丁目3番4号 氏名：山田太郎", "住所：〔住所〕 氏名：〔氏名〕"),
    ("私は山田太郎です。〒123-4567 あおば市中央1-2-3、090-1234-5678",
     "私は〔氏名〕です。〒〔郵便番号〕 〔住所〕、〔電話番号〕"),
    # Neighbouring numbers must not merge into, or cancel, a finding
    ("03 1234 5678 2024年4月1日", "〔電話番号〕 2024年4月1日"),
    ("1234 5678 9012 2024-04-01", "〔マイナンバー〕 2024-04-01"),
    ("1234 5678 9012 3歳", "〔マイナンバー〕 3歳"),
    ("梅田3丁目1番 2024年4月1日転入", "〔住所〕 2024年4月1日転入"),
    ("10%taro@example.jp", "10%〔メール〕"),
    ("私は高橋 みきです", "私は〔氏名〕です"),
    ("市民課の山田です", "市民課の〔氏名〕です"),  # staff names are personal data too
    # A name introduced in another language the bot answers in.
    ("My name is John Smith and my phone is 090-1234-5678", "My name is 〔氏名〕 and my phone is 〔電話番号〕"),
    ("我姓王，想问一下", "我姓〔氏名〕，想问一下"),
    ("Meu nome é João da Silva", "Meu nome é 〔氏名〕"),
    ("Tên tôi là Nguyen Van An, tôi muốn hỏi", "Tên tôi là 〔氏名〕, tôi muốn hỏi"),
    ("我叫王小明", "我叫〔氏名〕"),
    ("제 이름은 김민수입니다", "제 이름은 〔氏名〕입니다"),
    # A phone number read out in kana digit words.
    ("電話番号はゼロキューゼロの１２３４の５６７８です", "電話番号は〔電話番号〕です"),
    ("ぜろきゅうぜろ いちにさんよん ごろくななはち", "〔電話番号〕"),
    ("電話はゼロサンの1234の5678", "電話は〔電話番号〕"),
    ("けいたいは ぜろきゅうぜろ いちにいさんよん ごろくななはち です", "けいたいは 〔電話番号〕 です"),
    # Digits grouped oddly; a foreign number after a word for a phone.
    ("09 012 345 678に連絡を", "〔電話番号〕に連絡を"),
    ("我叫王小明，电话13912345678", "我叫〔氏名〕，电话〔電話番号〕"),
    ("제 이름은 김민수입니다. 전화 010-1234-5678", "제 이름은 〔氏名〕입니다. 전화 〔電話番号〕"),
    ("phone: +1 415 555 0123", "phone: 〔電話番号〕"),
    # A street number read out with の; an insurance card's 記号 and 番号 apart; a passport without 番号.
    ("あおば市本町1の2の3に住んでいます", "〔住所〕に住んでいます"),
    ("保険証の記号1234番号56です", "保険証の記号〔保険証番号〕です"),
    ("保険証の記号は1234、番号は56です", "保険証の記号は〔保険証番号〕です"),
    ("パスポート TK1234567", "パスポート 〔旅券番号〕"),
    # A name typed in hiragana opening the message.
    ("やまだはなこです。保育園の申し込みをしたい", "〔氏名〕です。保育園の申し込みをしたい"),
    ("やまだたろうといいます", "〔氏名〕といいます"),
    ("さとうです。引っ越しました", "〔氏名〕です。引っ越しました"),
    ("こんにちは、いとうです。ごみの日は？", "こんにちは、〔氏名〕です。ごみの日は？"),
    ("いけだ はなこです", "〔氏名〕です"),
    ("やまもとです", "〔氏名〕です"),
    ("もりたです。ごみの日は？", "〔氏名〕です。ごみの日は？"),
    ("保険証 記号 1234 番号 56", "保険証 記号 〔保険証番号〕"),
    ("my phone number is 13912345678", "my phone number is 〔電話番号〕"),
    ("手机号是13912345678", "手机号是〔電話番号〕"),
    ("meu telefone é 11 91234 5678", "meu telefone é 〔電話番号〕"),
    ("電話 03 1234 5678 2024年4月1日に", "電話 〔電話番号〕 2024年4月1日に"),
]

# Questions that contain no personal data and must be stored exactly as typed.
UNCHANGED = [
    # Topics: places without a street number
    "あおば市の粗大ごみは何曜日ですか",
    "渋谷区の保育園の空き状況",
    "中央2丁目の公園はどこ？",
    "市役所2階の窓口は何時まで",
    "かすみ町の集会所を借りたい",
    # Dates, times, amounts, counts
    "2024-04-01から受付開始",
    "2024/4/1に転入しました",
    "令和6年4月1日以降の申請",
    "4月1日から",
    "受付は8:30〜17:15です",
    "17時15分まで開いていますか",
    "手数料は1,000円ですか",
    "12,000円の補助",
    "3万円まで支給",
    "2024年に引っ越しました",
    "令和6年度の予算は12,345,678円です",
    "3歳の子どもがいます",
    "所得の10%",
    "ごみ袋10枚入り",
    # Document and reference numbers
    "FAQ No.15を見ました",
    "管理番号 222040の件",
    "ID 123で登録",
    "第3章の内容",
    "20240401_予算要求資料_v2.xlsx",
    "filename: 20240401_予算要求資料_v2.xlsx",
    "資料2-1-3を見てください",
    "第1-2号様式はどこ",
    "資料番号123-4567の件",  # postal-looking, but no 〒 / 郵便番号 / address: kept
    "県道12-3号線の工事",
    "区役所2024-04-01",
    "内線1234につないで",
    "1234567890123",  # 13 digits, not Luhn-valid, no card context (法人番号 etc.)
    "10:00-12:00",
    # Self-descriptions that are not names
    "私は転入したい",
    "私は転入したいです",
    "私は学生です",
    "私は会社員です",
    "私は市民課です",
    "私は来月転入予定です",
    "私は65歳です",
    "私は外国籍です",
    "私は初めてです",
    "私は心配なんです",
    "私はパートです",
    "私は本人です",
    "名前は変更できますか",
    "氏名は必須ですか",
    "名前はまだありません",
    "氏名欄の書き方",
    "氏名：",
    "お名前：教えてください",
    "氏名：本人",
    "マイナンバーカードの更新",
    "山田＠市民課",
    "",
    # Words after an introduction that are no name; kana that only sound like digits.
    "I am Japanese and live in Aoba", "I am in Tokyo", "My name is on the list?", "How do I register my name?",
    "I'm Not Sure", "I'm Looking For The Garbage Calendar", "My Name Is Not On The List", "我姓名变更怎么办",
    "我叫什么名字都可以吗", "にさんにちで届きます", "いちにのさんで始めます", "ごごさんじにきてください", "1234の5678番の書類",
    # Kana topics opening a message as a name would; numbers that only look like a phone's or an address's.
    "しつもんです。ごみの日はいつ", "そだいごみです。だしかたを おしえて", "ほいくえんです", "はじめてです。",
    "もりのこうえんです", "ごみの日です", "資料1の2の3を見て", "電話で問い合わせ 3回", "2024 04 01", "Phone 3 times",
    # ... what a question is called, words that start with a surname, a year after 保険証, a list of days.
    "これはなんといいます？", "なんといいます？", "そだいごみといいます。", "さとうきびです", "もりあがりです", "はらいこみです",
    "ますだかいです", "ひがしぐちです", "保険証は2024年12月2日で廃止されますか", "被保険者証は2025年7月31日まで使えますか",
    "資格確認書は2026年に届きますか", "保険証の番号は1000円", "資源ごみの日は 02 09 16 23 30日です", "phone 2024-04-01 10:30",
]


@pytest.mark.parametrize("text, expected", MASKED, ids=[t for t, _ in MASKED])
def test_masks_personal_data(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", UNCHANGED, ids=UNCHANGED)
def test_leaves_other_text_unchanged(text):
    assert mask_personal_data(text) == text
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", [t for t, _ in MASKED] + UNCHANGED)
def test_masking_is_idempotent(text):
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once


def test_find_personal_data_reports_kinds_and_original_offsets():
    text = "ＴＥＬ０３－１２３４－５６７８、氏名：山田太郎"
    assert find_personal_data(text) == [
        PersonalDataSpan("phone", 3, 15),
        PersonalDataSpan("name", 19, 23),
    ]
    kind, start, end = find_personal_data(text)[0]  # plain tuples for callers that want them
    assert (kind, text[start:end]) == ("phone", "０３－１２３４－５６７８")


def test_every_kind_has_a_placeholder():
    assert set(PERSONAL_DATA_KINDS) == set(PLACEHOLDERS)
    assert all(p.startswith("〔") and p.endswith("〕") for p in PLACEHOLDERS.values())


# Property-style checks: random sentences built from fragments. A fixed seed keeps them
# reproducible; any failure prints the sentence.
PERSONAL = {
    "phone": ["03-1234-5678", "090-1234-5678", "０１２０－１２３－４５６", "(06)1234-5678", "08012345678"],
    "my_number": ["123456789012", "1234 5678 9012", "１２３４－５６７８－９０１２"],
    "email": ["taro@example.jp", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"],
    "card": ["4111 1111 1111 1111", "5555555555554444"],
}
PLAIN = [
    "粗大ごみの出し方", "2024年4月1日", "8:30〜17:15", "1,000円", "第3章", "No.15", "3歳",
    "管理番号 222040", "あおば市の", "転入届", "の件で", "について教えて", "は", "、", "。",
]


def test_random_plain_sentences_are_unchanged():
    rng = random.Random(20240401)
    for _ in range(500):
        text = "".join(rng.choice(PLAIN) for _ in range(rng.randint(1, 6)))
        assert mask_personal_data(text) == text, text


def test_random_sentences_never_leak_the_personal_item():
    rng = random.Random(42)
    for _ in range(500):
        kind = rng.choice(sorted(PERSONAL))
        item = rng.choice(PERSONAL[kind])
        before = rng.choice(PLAIN + ["連絡先は", "番号："])
        after = rng.choice(PLAIN + ["です", "に連絡ください"])
        # Digits or letters touching the item would make a different number ('5678' + '8:30').
        if before[-1].isascii() and before[-1].isalnum():
            before += " "
        if after[0].isascii() and after[0].isalnum():
            after = " " + after
        masked = mask_personal_data(before + item + after)
        assert masked == before + PLACEHOLDERS[kind] + after, (before + item + after, masked)
        assert mask_personal_data(masked) == masked


ADDRESSES = [
    "東京都渋谷区神南1-2-3", "あおば市中央2丁目3番4号", "中央町1-2-3 ○○マンション101号室",
    "あおば市中央１－２－３", "大阪府大阪市北区梅田3丁目1番", "あおば市緑町12番地の3",
    "神奈川県横浜市中区本町6-50-10",
]
ADDRESS_SENTENCES = [
    "住所は{}です", "{}に住んでいます", "{}、", "{}から転入", "私の家は{}。", "転居先：{}",
    "{} 2024年4月1日転入", "{}の近く",
]


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("sentence", ADDRESS_SENTENCES)
def test_addresses_in_sentences(sentence, address):
    assert mask_personal_data(sentence.format(address)) == sentence.format("〔住所〕")


NAMES = ["山田太郎", "山田 太郎", "佐藤", "鈴木花子", "グエン・ヴァン・アン", "高橋 みき"]
NAME_SENTENCES = ["私は{}です", "私は{}です。", "氏名：{}", "名前は{}です", "{}と申します", "私は{}と申します"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("sentence", NAME_SENTENCES)
def test_names_in_sentences(sentence, name):
    assert mask_personal_data(sentence.format(name)) == sentence.format("〔氏名〕")


# --- The case table: tests/fixtures/masking_cases.tsv ------------------------------------------

CASES_FILE = Path(__file__).parents[2] / "fixtures" / "masking_cases.tsv"
_KANJI_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _unescape(s: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), s)


def _essence(s: str) -> str:
    """Letters and digits only, NFKC-folded, kanji digits as ASCII: what a reader could recover."""
    s = unicodedata.normalize("NFKC", s).translate(_KANJI_DIGIT).lower()
    return "".join(ch for ch in s if ch.isalnum())


def load_cases() -> list[tuple[str, str, list[str]]]:
    cases = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expect, text, *rest = line.split("\t")
        secrets = [_unescape(s) for s in rest[0].split("|")] if rest and rest[0] else []
        assert expect in ("pos", "neg", "miss") and (secrets or expect == "neg"), line
        case = (expect, _unescape(text), secrets)
        if expect == "miss":
            case = pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="known miss"))
        cases.append(case)
    return cases


CASES = load_cases()


def test_the_case_table_is_large_and_mixed():
    kinds = [case.values[0] if hasattr(case, "values") else case[0] for case in CASES]
    assert len(kinds) >= 300 and kinds.count("pos") >= 150 and kinds.count("neg") >= 100


def _case_id(case) -> str:
    expect, text, _ = case.values if hasattr(case, "values") else case
    return f"{expect}:{text}"


@pytest.mark.parametrize("expect, text, secrets", CASES, ids=[_case_id(c) for c in CASES])
def test_case_table(expect, text, secrets):
    masked = mask_personal_data(text)
    if expect == "neg":
        assert masked == text
        return
    # 'pos' and 'miss' (a strict xfail) must both hide every secret.
    assert any(p in masked for p in PLACEHOLDERS.values()), masked
    for secret in secrets:
        assert _essence(secret) not in _essence(masked), (secret, masked)
    assert mask_personal_data(masked) == masked


def test_the_report_claims_exactly_the_kinds_that_are_masked(tmp_path):
    from bot.insights.ledger import load_ledger_config
    from bot.insights.report import build_report
    from bot.insights.report_render import render_html

    page = render_html(build_report(tmp_path, "2026-12-01", "2026-12-31", config=load_ledger_config(environ={})))
    header = re.search(r"<header>.*?</header>", page, re.S).group()
    claim = re.search(r"含まれる(.*?)は、自動で検出してマスクしています", header).group(1)
    assert claim.split("・") == [PLACEHOLDERS[k].strip("〔〕") for k in PERSONAL_DATA_KINDS]
    assert "個人情報はマスク済み" not in page


def test_random_text_never_breaks_masking():
    """Fragments that exercise every detector, shuffled: masking must not raise, and must be stable."""
    pieces = ["090", "1234", "5678", "〇九〇", "一二三四", "－", "-", ".", "/", " ", "\u200b", "\ufeff", "＠", "@",
              " at ", " dot ", "(at)", "example", "jp", "山田", "花子", "さん", "です", "と申します", "母の", "氏名：",
              "・", "マイク", "〒", "123-4567", "丁目", "番地", "号", "神南", "市", "1-2-3", "に住んでいます", "。",
              "\n", "ﾔﾏﾀﾞ", "保険証", "基礎年金番号", "4111", "1111", "2024年", "、", "\ud7ff", "𠮷"]
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        once = mask_personal_data(text)
        assert isinstance(once, str)
        assert mask_personal_data(once) == once, (text, once)


def test_findings_the_caller_spares_are_left_as_written():
    # Search spares a "name" that is part of a longer word (bot/answering/retrieval.py: part_of_words).
    text = "たなかさん、電話は090-1234-5678です"
    assert mask_personal_data(text) == "〔氏名〕さん、電話は〔電話番号〕です"
    assert mask_personal_data(text, spare=lambda span: span.kind == "name") == "たなかさん、電話は〔電話番号〕です"

