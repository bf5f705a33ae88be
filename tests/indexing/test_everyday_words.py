"""Everyday words rewritten as the knowledge writes them (indexing/everyday_words.py)."""
from __future__ import annotations

from indexing.everyday_words import GROUPS, EverydayWords

KNOWLEDGE = [
    "婚姻届の届出に必要なものは何ですか？ 婚姻届1通と戸籍謄本が必要です。",
    "不燃ごみの収集日は地区ごとに決まっています。不燃ごみは透明な袋で出してください。",
    "市県民税の納期は6月、8月、10月、1月です。市県民税は口座振替もできます。",
    "放課後児童クラブの申し込み。放課後児童クラブは小学生が対象です。",
]


def test_a_word_the_knowledge_never_writes_is_rewritten_with_the_one_it_writes():
    words = EverydayWords(KNOWLEDGE)
    assert words.expanded("結婚したら何を出す？") == "婚姻したら何を出す？"
    assert words.expanded("燃えないゴミの日はいつ？") == "不燃ごみの日はいつ？"  # ゴミ read as ごみ
    assert words.expanded("住民税はいつ払う？") == "市県民税はいつ払う？"
    assert words.expanded("学童に入りたい") == "放課後児童クラブに入りたい"


def test_plastic_packaging_is_asked_for_as_people_say_it():
    words = EverydayWords(["プラスチック製容器包装は毎週水曜日です。", "プラスチック製容器包装の出し方"])
    assert words.expanded("プラごみって何曜日だっけ？") == "プラスチック製容器包装って何曜日だっけ？"
    assert words.expanded("プラスチックゴミの出し方") == "プラスチック製容器包装の出し方"
    other = EverydayWords(["容器包装プラスチックの日。容器包装プラスチックは青い袋で。"])
    assert other.expanded("プラごみの日") == "容器包装プラスチックの日"


def test_a_word_the_knowledge_writes_stays_as_typed_even_as_part_of_a_longer_word():
    words = EverydayWords([*KNOWLEDGE, "結婚新生活支援補助金のご案内。"])
    assert words.replacement("結婚") is None
    assert words.expanded("結婚したら何を出す？") == "結婚したら何を出す？"
    assert words.expanded("不燃ごみの日") == "不燃ごみの日"


def test_a_word_written_once_is_no_target_and_unrelated_text_is_untouched():
    words = EverydayWords(["保育所の入所申し込みについて。"])
    assert words.replacement("保育園") is None  # 保育所 written once only
    assert not EverydayWords(["住民票の写しの取り方。"])
    text = "ＡＢＣ　住民票がほしい"
    assert EverydayWords(KNOWLEDGE).expanded(text) == text  # nothing rewritten: the text as typed


def test_the_most_written_word_of_a_group_wins():
    words = EverydayWords(["資源物の出し方。資源物は水曜日。資源ごみ袋", "資源物の日"])
    assert words.replacement("資源ごみ") is None  # written (once) by the knowledge: kept
    words = EverydayWords(["可燃ごみ 可燃ごみ 可燃ごみ", "燃やすごみ 燃やすごみ"])
    assert words.replacement("燃えるごみ") == "可燃ごみ"


def test_no_word_is_in_two_groups():
    words = [word for group in GROUPS for word in group]
    assert len(words) == len(set(words))


def test_a_word_inside_a_longer_compound_is_another_thing_and_stays_as_typed():
    words = EverydayWords([*KNOWLEDGE, "保育園の申し込み。保育園の一覧。", "印鑑登録 印鑑登録証"])
    for text in ("結婚式場を予約したい", "結婚相談所はありますか", "結婚新生活支援事業の補助金はありますか",
                 "保育所等訪問支援を利用したい", "燃えないゴミ袋はどこで買える？"):
        assert words.expanded(text) == text
    assert words.expanded("保育所に入りたい") == "保育園に入りたい"
    # 入籍 is a marriage as something done; a child's 入籍届 is another filing. ハンコ注射 is the BCG vaccine.
    assert words.expanded("来月入籍します") == "来月婚姻します"
    for text in ("子の入籍届はどこに出す？", "子どもを私の戸籍に入籍させたい", "ハンコ注射っていつ受ける？"):
        assert words.expanded(text) == text


def test_a_question_is_searched_with_the_knowledges_word_after_respelling():
    from indexing.respelling import Respelling

    spelling = Respelling(KNOWLEDGE)
    assert spelling.respell("結婚したら何を出す？") == "婚姻したら何を出す？"
    assert spelling.respell("燃えないゴミ いつ") == "不燃ごみ いつ"


def test_a_thing_thrown_away_is_searched_with_the_kind_of_collection_the_knowledge_names():
    knowledge = ["粗大ごみの申し込み方法。粗大ごみは有料です。", "家電リサイクル法の対象品目。家電リサイクル券"]
    words = EverydayWords(knowledge)
    assert words.expanded("ベッドを捨てたい") == "ベッド（粗大ごみ）を捨てたい"
    assert words.expanded("古い冷蔵庫は処分できる？") == "古い冷蔵庫（家電リサイクル）は処分できる？"
    assert words.expanded("ソファーとベッドを捨てたい") == "ソファーとベッド（粗大ごみ）を捨てたい"
    assert words.expanded("ベッド 捨てたい") == "ベッド（粗大ごみ） 捨てたい"
    assert words.expanded("シングルベッドを処分したい") == "シングルベッド（粗大ごみ）を処分したい"
    assert words.expanded("学習机を捨てたい") == "学習机（粗大ごみ）を捨てたい"
    assert words.expanded("二段ベッドを処分したい") == "二段ベッド（粗大ごみ）を処分したい"
    # Its particle dropped, as in a casual message: the verb right after the thing.
    assert words.expanded("ベッド捨てたいんだけど") == "ベッド（粗大ごみ）捨てたいんだけど"
    assert words.expanded("冷蔵庫処分したい") == "冷蔵庫（家電リサイクル）処分したい"
    # Not when the kind is named, the thing is not what is thrown away, is part of a longer word, or the
    # knowledge names no such kind.
    for text in ("ベッドは粗大ごみで出せる？", "ベッドのレンタルはありますか", "自転車の盗難届を出したい",
                 "公民館の机と椅子を貸し出ししてもらえる？", "冷蔵庫から母乳を取り出すときの注意",
                 "放置自転車が回収されたらどこに取りに行けばいい？", "車椅子を捨てたい", "テレビ台を捨てたい",
                 "原動機付自転車を処分したい", "テレビ台捨てたい", "車椅子処分したい",
                 "タイムテーブルを出して"):
        assert words.expanded(text) == text, text
    assert EverydayWords(["家電リサイクル 家電リサイクル"]).expanded("ベッドを捨てたい") == "ベッドを捨てたい"
    assert EverydayWords(["大型ごみ 大型ごみ"]).expanded("ソファを処分したい") == "ソファ（大型ごみ）を処分したい"


def test_a_life_event_told_in_everyday_words_is_searched_with_the_noun_the_knowledge_files_it_under():
    knowledge = ["退職したときの国民健康保険の加入手続き。退職日の翌日から加入します。", "死亡届の届出。死亡の事実を知った日から7日以内"]
    words = EverydayWords(knowledge)
    assert words.expanded("会社を辞めたら保険どうなる？") == "会社を辞めたら（退職）保険どうなる？"
    assert words.expanded("父が他界しました。手続きは？") == "父が他界（死亡）しました。手続きは？"
    births = EverydayWords(["出生届の届出 出生届の用紙"])
    assert births.expanded("子どもが生まれました。何を出す？") == "子どもが生まれました（出生）。何を出す？"
    # An event that has not happened, or no event at all, gets no noun.
    assert births.expanded("娘が生まれつき心臓の病気です") == "娘が生まれつき心臓の病気です"
    assert births.expanded("子どもが生まれる前に準備する手続きは？") == "子どもが生まれる前に準備する手続きは？"
    # Not when the question names the noun, or the knowledge also tells the event in such words.
    assert words.expanded("退職して会社を辞めた") == "退職して会社を辞めた"
    assert EverydayWords([*knowledge, "会社を辞めた方へ"]).expanded("会社を辞めた") == "会社を辞めた"


def test_an_age_and_a_half_is_searched_as_the_knowledge_writes_it():
    words = EverydayWords(["1歳6か月児健診は毎月実施します。", "3歳児健診と1歳6か月児健診の持ち物"])
    assert words.expanded("1歳半健診の持ち物") == "1歳6か月健診の持ち物"
    assert words.expanded("1才半検診っていつ？") == "1歳6か月検診っていつ？"
    # The mid-thirties are no age and a half; a knowledge that writes 歳半 itself keeps it.
    assert words.expanded("30歳半ばです") == "30歳半ばです"
    assert EverydayWords(["1歳半健診 1歳6か月 1歳6か月"]).expanded("1歳半健診") == "1歳半健診"
    assert EverydayWords(["1歳6ヶ月児健診 1歳6ヶ月児歯科"]).expanded("1歳半健診") == "1歳6ヶ月健診"
    # A knowledge written with full-width digits (１歳６か月) is searched after the same normalization as the question.
    assert EverydayWords(["１歳６か月児健診 １歳６か月児歯科"]).expanded("1歳半健診") == "1歳6か月健診"


def test_old_people_as_residents_say_it_meet_the_knowledges_word_also_before_muke():
    words = EverydayWords(["高齢者の外出支援。高齢者向けバス乗車券のご案内。"])
    assert words.expanded("年寄り向けの安くなる券はありますか") == "高齢者向けの安くなる券はありますか"
    assert words.expanded("お年寄りが使える割引") == "高齢者が使える割引"
    # More of a compound after the word is another thing, kept as typed.
    assert words.expanded("年寄り会の集まり") == "年寄り会の集まり"
    # 老人 is no word of the group: the knowledge's 老人クラブ would make it the word お年寄り is searched as.
    assert EverydayWords(["老人クラブ 老人クラブ 老人福祉センター", "高齢者 高齢者"]).expanded("お年寄りのバス券") == "高齢者のバス券"


def test_someone_doing_a_filing_in_anothers_place_is_searched_with_the_proxy():
    words = EverydayWords(["代理人が請求するときは委任状が必要です。", "代理人の本人確認書類"])
    assert words.expanded("母の住民票を代わりに取りに行きたい") == "母の住民票を代わりに取りに（代理人）行きたい"
    assert words.expanded("かぞくが かわりに いける？") == "かぞくが かわりに いける（代理人）？"
    assert words.expanded("母の代わりに申請できますか") == "母の代わりに申請（代理人）できますか"
    # Instead of a thing, an errand that is no filing, a kana word that only starts like the verb: no proxy.
    for text in ("紙の代わりにスマホで申請できる？", "住民票の代わりに提出できる書類", "郵送の代わりに取りに行ってもいいですか",
                 "母のごみを代わりに出してくれるサービス", "おやの かわりに いくじ して いる"):
        assert words.expanded(text) == text, text
    # A knowledge that writes the phrase itself is searched with it as typed.
    knows = EverydayWords(["家族が代わりに取りに行けます。", "代理人 代理人"])
    assert knows.expanded("家族が代わりに取りに行ける？") == "家族が代わりに取りに行ける？"
