"""Questions typed in kana or with a wrong kanji, respelled with the knowledge's own words."""
import pytest

from indexing.respelling import Respelling

# A small knowledge: the vocabulary comes from these texts only.
KNOWLEDGE = [
    "粗大ごみの出し方。粗大ごみは電話で申込をしてください。粗大ごみ処理券をコンビニで買ってください。",
    "住民票の写しはコンビニ交付で取れます。住民票の写しの手数料は300円です。申請には本人確認書類が必要です。",
    "母子手帳をなくしたときは保健所で再交付します。予防接種は保健所で受けられます。",
    "マイナンバーカードの有効期限は10年です。ペットボトルは資源ごみの日に出してください。",
    "毎週水曜日は定時退庁日です。時間外勤務の上限は月45時間です。",
    "口座振替の申込書は銀行にあります。乳幼児の歯科健診は保健所で行います。難度の高い手続きは窓口で。",
]


@pytest.fixture(scope="module")
def spelling():
    return Respelling(KNOWLEDGE)


def test_words_typed_in_hiragana_are_respelled_with_the_knowledge_spelling(spelling):
    assert spelling.respell("そだいごみ 出し方") == "粗大ごみ 出し方"
    assert spelling.respell("ぼしてちょう なくした") == "母子手帳 なくした"
    assert spelling.respell("よぼうせっしゅ どこで うけられる") == "予防接種 どこで うけられる"
    # A compound the knowledge writes, whole, and its parts around particles.
    assert spelling.respell("じゅうみんひょうのうつしを取りたい") == "住民票の写しを取りたい"
    assert spelling.respell("ほけんじょ どこ") == "保健所 どこ"


def test_katakana_typed_words_and_loanwords_typed_in_hiragana(spelling):
    assert spelling.respell("ジュウミンヒョウ ほしい") == "住民票 ほしい"
    assert spelling.respell("ｼﾞｭｳﾐﾝﾋｮｳ") == "住民票"
    assert spelling.respell("まいなんばーかーど なくした") == "マイナンバーカード なくした"
    assert spelling.respell("ぺっとぼとる").startswith("ペットボトル")
    # Known katakana words stay as typed.
    assert spelling.respell("コンビニで取りたい") == "コンビニで取りたい"


def test_a_question_typed_all_in_katakana_reads_its_japanese_words_as_kana(spelling):
    # A phone left in katakana mode: endings and question words read as hiragana do.
    assert spelling.respell("ソダイゴミ イクラ") == "粗大ごみ いくら"
    assert spelling.respell("ホケンジョ ドコデ ウケラレル") == "保健所 どこで うけられる"
    # Runs the knowledge writes or respelled as typed, and loanwords by their marks, stay in katakana.
    assert spelling.respell("マイナンバーカード ナクシタ") == "マイナンバーカード なくした"
    assert spelling.respell("ファミサポ ドコ") == "ファミサポ どこ"
    # One katakana word alone is a loanword or a name; a question with kanji is not typed in katakana.
    assert spelling.respell("インボイス") == "インボイス"
    assert spelling.respell("粗大ごみ イクラ") == "粗大ごみ イクラ"


def test_a_compound_read_with_another_reading_of_its_last_kanji(spelling):
    # The knowledge's 定時退庁日 is read ていじたいちょうにち in context; residents say ...び.
    assert spelling.respell("ていじたいちょうび 何曜日") == "定時退庁日 何曜日"


def test_a_compound_the_tokenizer_splits_wrongly_is_read_as_dictionary_words():
    # SudachiPy splits 水道管 as 水|道管 (みずどうかん); residents type すいどうかん (水道 + 管).
    spelling = Respelling(["水道管が凍ったときは、タオルを巻いてぬるま湯をかけてください。"])
    assert spelling.respell("すいどうかん こおった") == "水道管 こおった"
    # Only where the tokenizer split otherwise, and with a common noun's reading: 自動|車|税 gives no
    # 自動車 + みつぐ (税 as a given name).
    from indexing.respelling_vocabulary import resplit_readings
    assert resplit_readings("水道管", (1,)) == ("すいどうかん",)
    assert resplit_readings("自動車税", (2, 3)) == ()
    # Without the compound in the knowledge, nothing is respelled into it.
    assert "管" not in Respelling(["水道の料金"]).respell("すいどうかん こおった")


def test_a_kana_word_standing_alone_is_respelled_whatever_the_tokenizer_made_of_it():
    # Sudachi reads ほじょ as ほ|じょ (an adverb and a particle) and しぜい as endings: alone between
    # spaces, they are still the knowledge's 補助 and 市税. A verb with its ending stays (したい is no 肢体).
    spelling = Respelling(["住宅改修の補助があります。市税は口座振替で納められます。肢体不自由の方の手帳。"])
    assert spelling.respell("じゅうたく かいしゅう ほじょ") == "住宅 改修 補助"
    assert spelling.respell("しぜい こうざふりかえ") == "市税 口座振替"
    assert spelling.respell("手帳の 登録 したい") == "手帳の 登録 したい"


def test_the_way_of_doing_a_thing_typed_in_kana_is_respelled():
    # 出し方 is a verb's stem and 方 to the tokenizer, not a noun compound; residents type だしかた.
    spelling = Respelling(["ペットボトルの出し方。申請書の書き方。"])
    assert spelling.respell("ぺっとぼとる だしかた") == "ペットボトル 出し方"
    assert spelling.respell("しんせいしょの かきかた") == "申請書の 書き方"
    assert spelling.respell("すてかた") == "すてかた"  # 捨て方 is written nowhere
    # A compound verb's whole stem (受け|取り), and only a stem: 申し込む方 is the person who applies.
    compound = Respelling(["受け取り方の説明。申し込む方は窓口へ。"])
    assert compound.respell("うけとりかた") == "受け取り方"
    assert compound.respell("こむかた") == "こむかた"


def test_a_particle_after_a_word_is_not_read_into_a_compound():
    # 運転手 is read うんてんしゅ; its 手 may also be read で, but で after うんてん is a particle.
    spelling = Respelling(["運転手の募集"])
    assert spelling.respell("うんてんでいく") == "運転でいく"
    assert spelling.respell("うんてんしゅ ぼしゅう") == "運転手 募集"


def test_wrong_kanji_of_the_same_sound_are_respelled(spelling):
    assert spelling.respell("住民表 とりたい") == "住民票 とりたい"
    assert spelling.respell("在宅で申精したい") == "在宅で申請したい"
    assert spelling.respell("粗大ごみの処理権はどこで買える？") == "粗大ごみの処理券はどこで買える？"
    assert spelling.respell("時間街勤務の上限") == "時間外勤務の上限"
    assert spelling.respell("コンビに交付") == "コンビニ交付"


def test_words_written_rightly_stay_as_typed(spelling):
    # Okurigana, particles and endings are never respelled, nor joined to kanji before them.
    for text in ["予防接種を受けたいです", "粗大ごみ いくら", "相談したいのですが", "使えるのでしょうか",
                 "住民票の写しを取りたいです", "いくらですか", "いいんですか", "ふりこまれる"]:
        assert spelling.respell(text) == text
    # A word of the dictionary is no typo of the knowledge's homophone (講座 is not 口座), nor is
    # a run of whole words (歯科検診 is not the knowledge's 歯科健診; 何度 is not 難度).
    assert spelling.respell("講座の申込") == "講座の申込"
    assert spelling.respell("成人の歯科検診") == "成人の歯科検診"
    assert spelling.respell("何度も間違えた") == "何度も間違えた"
    # Another spelling of the same words (申し込み for the knowledge's 申込) is left to the analyzer.
    assert spelling.respell("粗大ごみの申し込み") == "粗大ごみの申し込み"


def test_words_the_knowledge_never_uses_stay_as_typed(spelling):
    assert spelling.respell("ぷらねたりうむ ある？") == "ぷらねたりうむ ある？"
    assert Respelling([]).respell("そだいごみ") == "そだいごみ"
    assert spelling.respell("") == ""
    assert spelling.respell("   ") == "   "


def test_the_vocabulary_is_the_knowledge_not_a_list():
    # The same question meets another knowledge's spelling of the reading.
    other = Respelling(["保険証の再発行は窓口で。"])
    assert other.respell("ほけんしょう なくした") == "保険証 なくした"
    assert Respelling(KNOWLEDGE).respell("ほけんしょう なくした") == "ほけんしょう なくした"


def test_a_very_long_message_is_respelled_at_its_end_and_kept_whole(spelling):
    head = "きのう市役所に行きました。" * 100
    out = spelling.respell(head + "じゅうみんひょう ほしい")
    assert out == head + "住民票 ほしい"


def test_a_very_long_message_is_cut_between_words_not_inside_one(spelling):
    # The cut before the respelled end falls inside じゅうみんひょう: it moves back to the sentence's
    # start (or the word's) so the word is read whole.
    tail = "を取りたい。よろしく。" + "きのう市役所に行きました。" * 45
    for head in ["きのう市役所に行きました。" * 10, "市役所の窓口で聞いた話では" * 10]:
        text = head + "じゅうみんひょう" + tail
        assert len(text) - 600 == len(head) + 4  # inside the word
        assert spelling.respell(text) == head + "住民票" + tail


def test_a_noun_typed_in_kana_before_a_conjugated_suru_is_respelled_whole():
    # In context Sudachi reads しゅう|しょくし|た (a verb しょくし): the knowledge's 就職 must still win
    # over the shorter 週, and the する after it stays as typed.
    spelling = Respelling(["就職したときは国民健康保険をやめる届出をしてください。", "毎週水曜日", "週に1回"])
    assert spelling.respell("こくみんけんこうほけん やめたい しゅうしょくした") == "国民健康保険 やめたい 就職した"
    assert spelling.respell("会社に しゅうしょくした") == "会社に 就職した"
    # Only a noun that takes する is read out of such a verb: not 中 (ちゅう|せんに) nor 歯医者 (はいしゃ|したい).
    other = Respelling(["抽選で決めます", "中学校", "歯医者の予約", "中止"])
    assert "中せん" not in other.respell("2回連続でちゅうせんにはずれました")
    assert other.respell("げんつきのはいしゃしたい") == "げんつきのはいしゃしたい"


def test_a_loanword_clipped_as_people_say_it_is_written_whole():
    # マイナカード / まいなかーど for the knowledge's マイナンバーカード; a particle after it stays.
    spelling = Respelling(["マイナンバーカードの受け取り", "マイナンバーカードをなくしたとき", "ペットボトルの出し方"])
    assert spelling.respell("マイナカード なくした") == "マイナンバーカード なくした"
    assert spelling.respell("まいなかーどを なくした") == "マイナンバーカードを なくした"
    # After other kana of the sentence too, in either script.
    assert spelling.respell("新しいマイナカードがほしい") == "新しいマイナンバーカードがほしい"
    assert spelling.respell("わたしのまいなかーどのきげん") == "わたしのマイナンバーカードのきげん"
    # Two kana are too short a start (マイカード), and a word the knowledge writes stays as typed.
    assert spelling.respell("マイカード なくした") == "マイカード なくした"
    assert spelling.respell("ペットボトル 出し方") == "ペットボトル 出し方"


def test_a_knowledge_without_loanwords_leaves_kana_as_typed():
    assert Respelling(["住民票の写しの請求"]).respell("マイナカード なくした") == "マイナカード なくした"
