"""Matters of a national or prefectural office or of a private business that no entry of the knowledge is about."""
import pytest

from bot.answering.national import heading_holds, is_private, national_matter, national_office
from indexing.japanese import katakana_to_hiragana, normalize_text


def folded(text: str) -> str:
    return katakana_to_hiragana(normalize_text(text))


HEADINGS = folded("国民年金の保険料を払えないとき\n住民票の写しの請求\n軽自動車税の納税証明書\n印鑑登録の手続き\n"
                  "粗大ごみの手数料\n固定資産税の納付書")


def headed_in(headings: str):
    return lambda word: heading_holds(word, headings)


HEADED = headed_in(HEADINGS)


def test_a_national_matter_no_entry_is_about_is_named():
    assert national_matter(folded("ねんきん定期便が届かないのですが"), HEADED) == "ねんきん定期便"
    assert national_matter(folded("土地の登記事項証明書はどこで取れますか"), HEADED) == "登記"
    assert national_matter(folded("パスポートを作りたい"), HEADED) == "ぱすぽーと"
    assert national_matter(folded("普通車の自動車税の納期は？"), HEADED) == "自動車税"


def test_the_citys_own_matters_and_a_matter_an_entry_is_about_are_not():
    assert national_matter(folded("国民年金の保険料が払えない"), HEADED) == ""
    assert national_matter(folded("軽自動車税はいつ払う？"), HEADED) == ""  # not 自動車税
    assert national_matter(folded("印鑑登録したい"), HEADED) == ""  # 登録, not 登記
    # A city that issues passports says so in an entry's question.
    assert national_matter(folded("パスポートを作りたい"), headed_in(HEADINGS + "\n" + folded("パスポートの申請"))) == ""


def test_a_matter_named_as_what_a_city_document_is_for_is_not_what_is_asked():
    assert national_matter(folded("軽自動車 納税証明 車検で要る どこで出してもらえる"), HEADED) == ""
    assert national_matter(folded("車検用の納税証明書がほしい"), HEADED) == ""
    assert national_matter(folded("相続登記に使う住民票の除票"), HEADED) == ""


def test_a_house_without_a_registry_entry_is_the_citys_matter():
    assert national_matter(folded("未登記の家屋を相続した"), HEADED) == ""
    assert national_matter(folded("家の登記を変えたい"), HEADED) == "登記"


def test_a_matter_mentioned_beside_a_thing_the_city_handles_is_not_what_is_asked():
    def office(question, *phrases):
        return national_office(folded(question), HEADED, [folded(p) for p in phrases])

    assert office("ねんきん定期便が届かない", "ねんきん定期便") == "年金事務所"
    assert office("住民票を取るのにパスポートは使えますか", "住民票", "パスポート") == ""
    assert office("粗大ごみの手数料は消費税込みですか", "粗大ごみ", "手数料", "消費税込み") == ""
    # ... unless that thing is the matter's own, or too short to be one (申請).
    assert office("普通車の自動車税の納付書が来ない", "普通車", "自動車税", "納付書") == "県税事務所"
    assert office("パスポートの申請はどこで", "パスポート", "申請") == "都道府県の旅券窓口"


def test_a_prefectures_housing_is_the_prefectures_matter():
    assert national_matter(folded("県営住宅に申し込みたい。次の募集時期は？"), HEADED) == "県営住宅"
    assert national_matter(folded("市営住宅に申し込みたい"), HEADED) == ""


def test_a_matters_kana_reading_inside_other_words_is_no_matter():
    # Readings are not matched: こうれい|しゃけん|しん is 高齢者健診, けいろうさい 敬老祭, not 車検 or 労災.
    assert national_matter(folded("こうれいしゃけんしんのうけかた"), HEADED) == ""
    assert national_matter(folded("けいろうさいはいつ"), HEADED) == ""


def test_a_private_business_matter_no_entry_is_about_is_named_with_that_kind_of_business():
    def office(question, *phrases):
        return national_office(folded(question), HEADED, [folded(p) for p in phrases])

    assert office("銀行口座を開きたいです", "銀行口座") == "銀行などの金融機関"
    assert office("光回線の引っ越し手続きってどうやるの", "光回線", "引っ越し手続き") == "携帯電話会社やインターネット回線の事業者"
    assert office("賃貸の敷金が返ってこない", "賃貸", "敷金") == "不動産会社や家主"
    assert is_private("銀行などの金融機関") and not is_private("年金事務所") and not is_private("")


def test_a_card_used_to_pay_the_city_and_a_public_flats_deposit_are_the_citys_matters():
    assert national_matter(folded("クレジットカードで固定資産税を払えますか"), HEADED) == ""
    assert national_matter(folded("窓口でキャッシュカードは使えますか"), HEADED) == ""
    assert national_matter(folded("児童手当は銀行口座に振り込まれますか"), HEADED) == ""
    assert national_matter(folded("市営住宅の家賃と敷金"), HEADED) == ""
    # The card itself is the bank's or the card company's business.
    assert national_matter(folded("クレジットカードをなくしてしまいました"), HEADED) == "くれじっとかーど"
    assert national_matter(folded("キャッシュカードの暗証番号を忘れた"), HEADED) == "きゃっしゅかーど"


def test_a_part_of_the_matters_word_named_again_on_its_own_is_another_thing_asked_about():
    headed = headed_in(HEADINGS + "\n" + folded("引っ越しの届出"))
    story = folded("引っ越し業者も決まってやっと一息ついたところですが、引っ越しの届けはいつから出せるのでしょうか。")
    assert national_office(story, headed, [folded("引っ越し業者"), folded("一息"), folded("引っ越し")]) == ""
    asked = folded("引っ越し業者の見積もりを比べたい")
    assert national_office(asked, headed, [folded("引っ越し業者"), folded("見積もり")]) == "運送会社や引っ越し業者"


def test_police_matters_a_vehicle_registration_and_a_residence_period():
    assert national_matter(folded("遺失届はどこに出せばいいですか"), HEADED) == "遺失届"
    # Words city FAQs use for their own matters too (found by review): 車検証 (軽自動車), 遺失物 (a pool's lost
    # property), 在留カードの更新 with an address change, 機種変更 with a マイナンバーカード on the phone.
    for asked in ("軽自動車の車検証の住所を変えたい", "市民プールで遺失物をしたのですが", "在留カードの更新で住所が変わりました",
                  "機種変更したらマイナポータルのアプリはどうなりますか", "公金受取口座の銀行口座を変えたい",
                  "高齢者の免許の更新の前に返納したら、バスの割引はありますか", "生命保険の手続きで死亡診断書のコピーがほしい"):
        assert national_matter(folded(asked), HEADED) == "", asked
    assert national_matter(folded("運転免許 更新 場所"), HEADED) == "免許 更新"
    assert national_matter(folded("在留期限が近いので更新したい"), HEADED) == "在留期限"
    # An office named as where the resident has been is background, not what is asked (found by review):
    for asked in ("DVで警察署に相談しています。住所を隠したまま転入できますか", "求職中でハローワークに通っていますが保育園に申し込めますか",
                  "家庭裁判所で名の変更の許可をもらいました。戸籍の届出はどこでしますか", "交通事故証明書があれば国保で治療できますか"):
        assert national_matter(folded(asked), HEADED) == "", asked


def test_a_procedure_word_is_no_other_thing_and_a_city_charge_paid_by_card_is_the_citys():
    headed = headed_in(HEADINGS + "\n" + folded("引っ越しの手続き"))
    assert national_office(folded("光回線の引っ越し手続きってどうやるの"), headed,
                           [folded("光回線"), folded("引っ越し"), folded("手続き")]) == "携帯電話会社やインターネット回線の事業者"
    assert national_matter(folded("市税 クレジットカード"), HEADED) == ""
    assert national_matter(folded("保育料はクレジットカードで払えますか"), HEADED) == ""


# Questions about what the city does that name a private business's word (found by review across five cities).
CITY_QUESTIONS_NAMING_A_BUSINESS = [
    "クレジットカード納付できますか", "窓口はクレジットカード対応していますか", "銀行口座振替の申込方法",
    "振込先の銀行口座を変更したい", "還付金の銀行口座を登録したい", "国民健康保険税 クレジットカード",
    "宅配便の段ボールは何ごみ？", "宅配便の箱の捨て方", "引っ越し業者のダンボールは資源ごみに出せますか",
    "引っ越し業者が決まったけど転出届はいつ？", "市営団地の敷金はいつ返ってきますか", "ひとり親 家賃 敷金 支援",
    "結婚新生活支援 敷金", "ガス会社を名乗る点検の訪問", "交通事故の相談窓口 任意保険", "光回線 整備 補助",
    "犬の登録 ペット保険", "NHK受信料の免除申請の証明はどこで", "生命保険料控除の証明書は必要？",
    "電力会社を名乗る電話がきた 詐欺？",
]


@pytest.mark.parametrize("question", CITY_QUESTIONS_NAMING_A_BUSINESS)
def test_a_business_word_in_a_question_about_what_the_city_does_is_no_private_matter(question):
    assert national_matter(folded(question), HEADED) == ""


def test_a_national_offices_matter_comes_before_a_business_named_beside_it():
    question = folded("住宅ローン完済したので抵当権抹消の登記を自分でやりたい")
    assert national_matter(question, HEADED) == "登記"
    for asked in ("銀行口座を開きたい", "キャッシュカードの暗証番号を忘れた", "宅配便の再配達ってどう頼むの",
                  "生命保険の受取人を変えたい", "賃貸の敷金が返ってこない", "光回線の工事に立ち会いは必要？"):
        assert national_matter(folded(asked), HEADED) != "", asked


def test_a_question_naming_a_core_city_procedure_or_service_is_about_the_city():
    for asked in ("引っ越したので免許証の住所も変えたい。転入届と一緒にできますか", "引っ越し業者に頼めない大きな家具はどう出せばいい",
                  "身に覚えのないクレジットカードの請求が来ました。どこに相談すれば", "相続で銀行口座を解約するのに戸籍が要ります",
                  "水道の開栓と一緒にガスの開栓もできますか", "防災メールが届かない。携帯会社の設定ですか",
                  "移住したら引っ越し業者の費用を出してもらえますか", "引っ越し業者に頼む前に市役所でする手続き"):
        assert national_matter(folded(asked), HEADED) == "", asked
    # The matter's own thing before it (土地の登記事項証明書) and the matter alone still refer.
    assert national_office(folded("土地の登記事項証明書はどこで取れますか"), HEADED,
                           [folded("土地"), folded("登記事項証明書")]) == "法務局"
    assert national_office(folded("銀行口座を開きたい"), HEADED, [folded("銀行口座")]) == "銀行などの金融機関"
