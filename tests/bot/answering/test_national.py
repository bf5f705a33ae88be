"""Matters of a national or prefectural office that no entry of the knowledge is about."""
from bot.answering.national import national_matter
from indexing.japanese import katakana_to_hiragana, normalize_text


def folded(text: str) -> str:
    return katakana_to_hiragana(normalize_text(text))


HEADINGS = folded("国民年金の保険料を払えないとき\n住民票の写しの請求\n軽自動車税の納税証明書\n印鑑登録の手続き")


def test_a_national_matter_no_entry_is_about_is_named():
    assert national_matter(folded("ねんきん定期便が届かないのですが"), HEADINGS) == "ねんきん定期便"
    assert national_matter(folded("土地の登記事項証明書はどこで取れますか"), HEADINGS) == "登記"
    assert national_matter(folded("パスポートを作りたい"), HEADINGS) == "ぱすぽーと"
    assert national_matter(folded("普通車の自動車税の納期は？"), HEADINGS) == "自動車税"


def test_the_citys_own_matters_and_a_matter_an_entry_is_about_are_not():
    assert national_matter(folded("国民年金の保険料が払えない"), HEADINGS) == ""
    assert national_matter(folded("軽自動車税はいつ払う？"), HEADINGS) == ""  # not 自動車税
    assert national_matter(folded("印鑑登録したい"), HEADINGS) == ""  # 登録, not 登記
    # A city that issues passports says so in an entry's question.
    assert national_matter(folded("パスポートを作りたい"), HEADINGS + "\n" + folded("パスポートの申請")) == ""


def test_a_matter_named_as_what_a_city_document_is_for_is_not_what_is_asked():
    assert national_matter(folded("軽自動車 納税証明 車検で要る どこで出してもらえる"), HEADINGS) == ""
    assert national_matter(folded("車検用の納税証明書がほしい"), HEADINGS) == ""
    assert national_matter(folded("相続登記に使う住民票の除票"), HEADINGS) == ""


def test_a_house_without_a_registry_entry_is_the_citys_matter():
    assert national_matter(folded("未登記の家屋を相続した"), HEADINGS) == ""
    assert national_matter(folded("家の登記を変えたい"), HEADINGS) == "登記"
