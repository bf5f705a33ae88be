"""Names in chat text, for ``mask_personal_data`` (see bot/insights/masking.py).

Two detectors, both run on the NFKC-normalised text masking.py prepares:

* ``find_names``: sentence shapes that say a name follows (私は…です, …と申します, 氏名：…,
  名前は…です), with a stop list for 私は学生です and the like;
* ``find_tagged_names``: SudachiPy's part-of-speech tags (名詞,固有名詞,人名,姓/名), masked
  only with a cue (an honorific after, です / と申します, a label or relation before, or a
  full kanji name), so place names and common words stay readable.

>>> [kind for kind, _, _ in find_tagged_names("母の山田花子が行きます")]
['name']
"""
from __future__ import annotations

import re
from typing import Iterator


# Character classes on NFKC text, shared with masking.py.
KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f々〆ヶ]"
HIRAGANA = r"[ぁ-ゖゝゞ]"
KATAKANA = r"[ァ-ヺー]"
_KANJI, _HIRA, _KATA = KANJI, HIRAGANA, KATAKANA

_K, _H, _T = _KANJI, _HIRA, _KATA
# A hiragana given name after a kanji surname must not be a copula or verb ending
# (私は転入したいです, 氏名は必須ですか, 私は心配なんです).
_NOT_GIVEN_NAME = r"(?!です|でし|でご|でき|だ|ます|ませ|した|して|しま|する|ない|なの|なん|っ)"
# Shapes accepted after 私は ... です: 山田, 山田太郎, 山田 太郎, 山田さくら, グエン・ヴァン・アン.
_NAME_WEAK = (
    rf"(?:{_K}{{1,4}}[ ](?:{_K}{{1,4}}|{_H}{{2,4}}|{_T}{{2,6}})"
    rf"|{_K}{{2,4}}{_NOT_GIVEN_NAME}{_H}{{2,4}}"
    rf"|{_K}{{2,6}}"
    rf"|{_T}{{2,10}}(?:[ ・=]{_T}{{1,10}}){{0,3}})"
)
# Stronger cues (と申します, 名前は) also accept 林みき, 山田ケン, やまだ and Latin names.
_NAME_STRONG = (
    rf"(?:{_NAME_WEAK}"
    rf"|{_K}{{1,4}}(?:{_NOT_GIVEN_NAME}{_H}{{2,4}}|{_T}{{2,6}})"
    rf"|{_H}{{2,6}}(?:[ ]{_H}{{1,6}})?"
    r"|[A-Za-z]{2,20}(?:[ .][A-Za-z]{1,20}){0,3})"
)
_SELF = r"(?:私|わたし|わたくし|僕|ぼく|自分)は[、,]?[ ]?"
_INTRO_END = r"(?:と申します|と申す|と申し(?!込)|といいます|と言います|っていいます|って言います|と名乗)"
# The name must not swallow the copula: '高橋 みきです' ends before です.
_NOT_COPULA_BEHIND = r"(?<!です)(?<!でし)(?<!ます)"
_COPULA_END = r"(?:です(?!か)|でございます|だ(?=[。、,.!?\n]|$)|(?=[。、,.!?\n」』)]|$))"
_NAME_LABEL_WA = r"(?:氏名|お名前|名前|なまえ|フルネーム)(?:は|が)[、,]?[ ]?"
_NAME_PATTERNS = (
    # (pattern, needs the stop-list check)
    (re.compile(rf"{_SELF}(?P<name>{_NAME_STRONG})(?={_INTRO_END})"), False),
    # 山田太郎と申します without 私は: the name starts the kanji or katakana run.
    (re.compile(rf"(?<!{_K})(?<!{_T})(?!{_SELF})(?P<name>(?={_K}|{_T}){_NAME_STRONG})(?={_INTRO_END})"),
     False),
    (re.compile(rf"{_SELF}(?P<name>{_NAME_WEAK}){_NOT_COPULA_BEHIND}(?={_COPULA_END})", re.M), True),
    (re.compile(
        rf"{_NAME_LABEL_WA}(?P<name>{_NAME_STRONG}){_NOT_COPULA_BEHIND}(?={_COPULA_END}|{_INTRO_END})", re.M),
     True),
)
_NAME_LABEL_COLON = re.compile(
    r"(?:申請者氏名|届出人氏名|保護者氏名|代表者氏名|担当者名|申請者名|申込者名|契約者名|世帯主名|"
    r"保護者名|児童名|代表者名|届出人|氏名|お名前|名前|なまえ|フルネーム|フリガナ|ふりがな|"
    r"(?<![A-Za-z])(?:full ?name|name))[ ]*[:=][ ]*",
    re.I,
)
# Where a 氏名：… value ends: punctuation, a copula or honorific, the next 'label:', a number.
_NAME_VALUE_END = re.compile(
    r"[、。,!?()「」『』\[\]\n\t/;|〔〕<>]|です|でございます|と申します|といいます|と言います|さん|様|殿"
)
_NEXT_LABEL = re.compile(r"[ ]+\S+[ ]*[:=]|[ ]+\S*\d")
# 'お名前：教えてください' is a request, not a name.
_NOT_NAME_VALUE = re.compile(r"\d|ください|します|ます|たい|ない|か$")

_NOT_NAMES = frozenset("""
学生 大学生 高校生 中学生 小学生 留学生 実習生 研修生 浪人生 本人 代理人 代理 個人 法人 成人 未成年
外国人 日本人 社会人 新社会人 後見人 管理人 保証人 相続人 単身 独身 既婚 未婚 親 母 父 母親 父親
祖母 祖父 家族 夫 妻 息子 娘 長男 長女 次男 次女 三男 三女 子供 心配 不安 賛成 反対 大丈夫 対象 無理
平気 元気 病気 健康 失業 高齢 障害 要介護 要支援 同居 別居 新人 担当 窓口 市役所 区役所 町役場
村役場 役場 事務所 保健所 不明 未定 無関係 専業主婦 年金生活 生活保護 片親 母子家庭 父子家庭 転勤
転入 転出 転居 移住 帰国 出産 入院 退院 通院 休職 求職 育休 産休 在宅 賃貸 初心者 総務部 福祉部
市民部 健康福祉部 都市整備部 教育委員会 漢字 必須 必要 不要 任意 自署 記名 旧姓 通称 本名 省略 変更
同じ 空欄 未記入 英語 英字 未成年者 喪主 施主 家主 大家 世帯主 実習生 技能実習生 研究生 中国人 韓国人
日系人 米国人 外国人住民 在日 永住者
アルバイト パート パートタイマー フリーター サラリーマン シングルマザー シングルファーザー
シングルファザー ボランティア オーナー ユーザー ママ パパ ニート フリーランス エンジニア ドライバー
スタッフ メンバー ヘルパー ケアマネ ケアマネージャー カタカナ ひらがな ローマ字 フリガナ
""".split())
# Endings of status words: 会社員, 市民, 主婦, 自営業, 外国籍, 市外, 65歳, 市民課, 来月転入予定 ...
# (not 中, 内, 部, 子, 夫, 人: 田中, 竹内, 阿部, 花子, 和夫, 直人 are names).
_NOT_NAME_ENDINGS = (
    "者", "員", "民", "婦", "業", "籍", "職", "外", "住", "歳", "齢", "児", "様", "長", "役", "的",
    "課", "係", "局", "署", "班", "予定", "希望", "出身", "所属", "勤務", "世帯", "家庭", "在住",
    "娠中", "職中", "院中", "養中", "休中", "居中", "請中", "業中", "討中", "療中", "活中", "学中",
)


def _could_be_name(name: str) -> bool:
    name = name.strip()
    kanji = re.match(rf"{_K}+", name)
    if name in _NOT_NAMES or (kanji and kanji.group() in _NOT_NAMES):
        return False  # 学生, or a status word before kana (心配なん…) rather than a surname
    if kanji and kanji.group() == name and name.endswith(_NOT_NAME_ENDINGS):
        return False
    return True


# A name introduced in the other languages the bot answers in: English, Portuguese, Vietnamese (a capitalised
# name after "my name is", "meu nome é", "tên tôi là"; not a word that says something else about the name: "My
# Name Is Not On The List"), Chinese (我叫王小明, 我姓王; not 我姓名变更, 我叫什么) and Korean (제 이름은 김민수입니다).
# "I am …" introduces a nationality or a state as often as a name ("I'm Not Sure"): left as written.
_LATIN_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ỹ][a-zà-öø-ÿā-ỹ'’-]+"
_NOT_A_NAME_WORD = r"(?!(?:Not|On|In|At|The|A|An|Also|Still|Being|Wrong|Missing|Spelled|Written|Changed|Correct|Listed|Registered)\b)"
_FOREIGN_INTRODUCTIONS = (
    re.compile(rf"(?i:\bmy name is|\bmy name's|\bmeu nome é|\bme chamo|\btên tôi là|\btôi tên là)[ ]+{_NOT_A_NAME_WORD}"
               rf"(?P<name>{_LATIN_WORD}(?:[ ]+(?:d[aeo]s?[ ]+)?{_LATIN_WORD}){{0,3}})"),
    re.compile(r"(?:我叫(?!什么|啥|谁)|我的名字(?:是|叫)(?!什么|啥))(?P<name>[\u4e00-\u9fff]{2,3})"),
    re.compile(r"我姓(?!名)(?P<name>[\u4e00-\u9fff])"),
    re.compile(r"(?:제|내|저의)[ ]?이름은[ ]?(?P<name>[가-힣]{2,5}?)(?=입니다|이에요|예요|이고|라고|[ ,.]|$)"),
)


def find_names(norm: str) -> Iterator[tuple[str, int, int]]:
    for pattern, check in _NAME_PATTERNS:
        for m in pattern.finditer(norm):
            if not check or _could_be_name(m.group("name")):
                yield "name", m.start("name"), m.end("name")
    for pattern in _FOREIGN_INTRODUCTIONS:
        for m in pattern.finditer(norm):
            yield "name", m.start("name"), m.end("name")
    for m in _NAME_LABEL_COLON.finditer(norm):
        line_end = norm.find("\n", m.end())
        value = norm[m.end():line_end if line_end >= 0 else len(norm)]
        for cut in (_NAME_VALUE_END, _NEXT_LABEL):
            stop = cut.search(value)
            if stop:
                value = value[:stop.start()]
        value = value.rstrip()
        if (0 < len(value) <= 30 and not _NOT_NAME_VALUE.search(value) and _could_be_name(value)
                and re.search(rf"{_K}|{_H}|{_T}|[A-Za-z]", value)):
            yield "name", m.end(), m.end() + len(value)


# A name typed in hiragana that opens a message (やまだはなこです。保育園の…, たなかけんじといいます, こんにちは、いとう
# です): the first sentence is nothing but the name and a self-introduction, or a copula with a name in it. Kana
# topics open messages with a copula too (ほいくえんです。, しつもんです。), so before です the run must hold a word
# Sudachi tags as a surname (a given name alone is also a place: あおばです), or start with one of the hundred most
# common surnames (in kana Sudachi reads many as other words: さとう is sugar, すずき a fish, やまもと two nouns).
_OPENERS = (r"(?:こんにちは|こんにちわ|こんばんは|こんばんわ|おはようございます|はじめまして|初めまして|すみません|すいません|"
            r"お世話になります|お世話になっております|おせわになります)[、,。.!! ]*")
_KANA_INTRODUCTION = re.compile(
    rf"^(?:{_OPENERS})?(?P<name>{_H}{{2,8}}(?:[ ]{_H}{{1,6}})?)"
    r"(?P<end>です|でございます|と申します|と申す|といいます|と言います|っていいます|って言います)(?=[。、,.!?\n ]|$)")
_KANA_SURNAMES = tuple("""
さとう すずき たかはし たなか いとう わたなべ やまもと なかむら こばやし かとう よしだ やまだ ささき やまぐち まつもと
いのうえ きむら はやし さいとう しみず やまざき もり あべ いけだ はしもと やました いしかわ なかじま まえだ ふじた
おがわ ごとう おかだ はせがわ むらかみ こんどう いしい さかもと えんどう あおき ふじい にしむら ふくだ おおた みうら
ふじわら おかもと まつだ なかがわ なかの はらだ おの たむら たけうち かねこ わだ なかやま いしだ うえだ もりた はら
しばた さかい くどう よこやま みやざき みやもと うちだ たかぎ あんどう たにぐち おおの まるやま いまい たかだ ふじもと
たけだ むらた うえの すぎやま ますだ すがわら ひらの おおつか ちば くぼ まつい こじま いわさき さくらい のぐち
まつおか きのした のむら きくち さの おおにし すぎもと あらい
""".split())
_NOT_KANA_NAMES = frozenset("""
しつもん そうだん おねがい はじめて しみん じゅうみん ひらがな かたかな ほんにん だいりにん がくせい かいしゃいん
しゅふ ぱーと あるばいと ふあん しんぱい だいじょうぶ むり へいき げんき びょうき こども おや はは ちち わたし
""".split())
# Given names end so (たろう, はなこ, なおみ, ゆうき, かずや, けんと, ひろし, しんすけ, こうへい, けんじ).
_GIVEN_NAME_END = re.compile(r"(?:ろう|こ|み|え|お|き|や|と|し|すけ|へい|じ|ひこ|ひと|ろ|な|か|よ)$")
# A small kana or ん cannot start a given name: it continues another word (はらっぱ).
_NOT_NAME_START = "っゃゅょぁぃぅぇぉんー"


def find_kana_introductions(norm: str) -> Iterator[tuple[str, int, int]]:
    m = _KANA_INTRODUCTION.match(norm)
    if m and m.group("name").replace(" ", "") not in _NOT_KANA_NAMES and _kana_name(m.group("name")):
        yield "name", m.start("name"), m.end("name")


def _kana_name(name: str) -> bool:
    """Whether a hiragana run reads as a person's name: a surname (tagged so by Sudachi, or one of the common
    surnames it reads as other words), alone or before a given name (tagged so, or ending as given names do:
    たろう, which Sudachi reads as a verb ending). Not a run the dictionary reads as another word across the
    surname's end (さとうきび, もりあがり, はらいこみ), nor a surname before a suffix or particle (やまぐちけん is
    not read so only because けん is also a given name; もりのこうえん, ますだかい are other things)."""
    whole = name.replace(" ", "")
    tokens = list(sudachi_tokenizer().tokenize(whole))
    surname = max((s for s in _KANA_SURNAMES if whole.startswith(s)), key=len, default="")
    if not surname:
        if not tokens or tokens[0].part_of_speech()[2:4] != ("人名", "姓"):
            return False
        surname = tokens[0].surface()
    rest = whole[len(surname):]
    if not rest:
        return True
    if any(t.begin() < len(surname) < t.end() for t in tokens) or len(rest) < 2 or rest[0] in _NOT_NAME_START:
        return False
    rest_tokens = list(sudachi_tokenizer().tokenize(rest))
    if all(t.part_of_speech()[2] == "人名" for t in rest_tokens):
        return True
    return len(rest) <= 4 and bool(_GIVEN_NAME_END.search(rest)) and \
        not any(t.part_of_speech()[0] in ("助詞", "接尾辞") for t in rest_tokens)


# --- Names found by part of speech -----------------------------------------------------------
#
# Sudachi tags surnames and given names (名詞,固有名詞,人名,姓 / 名 / 一般), so place names
# (品川, 中野区) and ordinary words (大家さん, お医者さん) are told apart from people. A tag
# alone is not enough (あおば市 starts with a given name, 千葉 is also a surname), so a run of
# name tokens is masked only with a cue: an honorific after it (さん, 様, くん ...), a copula
# or self-introduction (です, と申します), a label or a relation before it (氏名：, 母の, 私は),
# or a full name in kanji (山田花子; not glued into a longer word like 北保健相談所).

_HONORIFICS = frozenset("さん 様 さま サマ くん 君 ちゃん 氏 殿 先生 宛 宛て あて".split())
# A parenthesis may come between the name and the copula: 加藤ゆかり（070-…）です.
_NAME_END_CUE = re.compile(
    r"(?:[ ]*\([^()\n]{0,40}\)[ ]*)?(?:です|でございます|と申し(?!込)|と申す|といいます|と言います|っていいます|って言います|と名乗|"
    r"だ(?=[。、,.!?\n]|$)|(?=[ ]*$))"  # …です, …と申します, or a signature closing the text
)
_RELATIONS = (
    "母 父 妻 夫 主人 家内 嫁 息子 娘 子 子供 子ども 長男 長女 次男 次女 三男 三女 兄 姉 弟 妹 "
    "祖母 祖父 孫 義母 義父 叔母 叔父 伯母 伯父 親 両親 家族 友人 知人 隣人 同居人 世帯主 "
    "担当 担当者 相手 代理人 保護者 配偶者 相談者 申請者"
).split()
_NAME_START_CUE = re.compile(
    rf"(?:(?:氏名|お名前|名前|なまえ|フルネーム|名義|宛名)[ ]*(?:は|が|[:=])?[ ]*"
    rf"|(?:私|わたし|わたくし|僕|ぼく|自分|俺)(?:は|の名前は)[ ]*"
    rf"|(?:{'|'.join(sorted(_RELATIONS, key=len, reverse=True))})(?:の|は|が|である|、)[ ]*)$"
)
# 'X です' after a place topic is a place that happens to be a surname too (実家は長野です).
_PLACE_TOPIC = re.compile(
    r"(?:出身|出身地|実家|地元|最寄り|最寄駅|最寄りの駅|会場|場所|住まい|住所|在住|勤務地|勤め先|行き先|目的地|"
    r"引っ越し先|引越し?先|転居先|転入先|転出先|本籍|本籍地|駅|市|町|村|区|県)(?:は|が|も)[ ]*$"
)
_NAME_JOINERS = frozenset("・=･")
_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s\u3000「」『』（）()<>\[\]]+")
SUDACHI_CHUNK = 2000  # characters; Sudachi limits the input size in bytes


def sudachi_tokenizer():
    """This thread's SudachiPy mode C tokenizer (imported when first needed: masking alone loads no dictionary)."""
    from sudachipy import SplitMode

    from indexing.japanese import thread_tokenizer

    return thread_tokenizer(SplitMode.C)


def _name_runs(norm: str) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of person-name tokens: (start, end, name tags such as ['姓', '名'])."""
    for offset in range(0, len(norm), SUDACHI_CHUNK):
        chunk = norm[offset:offset + SUDACHI_CHUNK]
        run: list = []
        for m in list(sudachi_tokenizer().tokenize(chunk)) + [None]:
            pos = m.part_of_speech() if m is not None else ()
            if pos[:3] == ("名詞", "固有名詞", "人名"):
                run.append(m)
                continue
            if run and m is not None and (pos[:1] == ("空白",) or m.surface() in _NAME_JOINERS) \
                    and m.end() - m.begin() == 1:
                continue  # 山田 太郎, マイク・スミス: one blank or dot inside a name
            if run:
                yield offset + run[0].begin(), offset + run[-1].end(), [r.part_of_speech()[3] for r in run]
                run = []


# Endings of common nouns (an occupation, a document, an office, a fee), not of given names.
_WORD_ENDINGS = frozenset("師書所課係署局証票料費")


def find_tagged_names(norm: str) -> Iterator[tuple[str, int, int]]:
    if not re.search(rf"{_KANJI}|{_KATA}|{_HIRA}", norm):
        return
    urls = list(_URL.finditer(norm))
    for start, end, tags in _name_runs(norm):
        after = norm[end:end + 12]
        honorific = next((h for h in _HONORIFICS if after.lstrip(" ").startswith(h)), None)
        # 姓 then 名 in kanji (山田花子) needs no other cue, unless it is glued into a longer
        # word (北保健相談所 reads as 北保 + 健) or only two characters, as often a typo Sudachi
        # reads as a name (申清 for 申請).
        full_name = ("姓" in tags and "名" in tags[tags.index("姓"):]
                     and re.fullmatch(rf"(?:{_KANJI}|[ ]){{3,}}", norm[start:end]) is not None
                     and not re.match(rf"{_KANJI}|{_KATA}", norm[end:end + 1])
                     and not (start and re.match(rf"{_KANJI}|{_KATA}", norm[start - 1])))
        before = _NAME_START_CUE.search(norm, max(0, start - 12), start)
        copula = _NAME_END_CUE.match(norm, end)
        surface = norm[start:end]
        # A lone hiragana given name (あおば, さくら, ひかり) is also a common word or place,
        # and Latin words are tagged as names too (page, Grace): only an honorific or a label
        # before makes them names.
        weak = re.fullmatch(rf"{_HIRA}+|[A-Za-z .'=・･-]+", surface) is not None
        if weak and not (honorific or before):
            continue
        if any(u.start() <= start < u.end() for u in urls):
            continue  # a word inside a URL
        if start and re.match(_KANJI, norm[start - 1]) and surface[-1] in _WORD_ENDINGS and not before:
            continue  # the tail of a longer word Sudachi split (保|健師さん, 評価正|明書)
        if honorific or full_name or before:
            yield "name", start, end
        elif copula and not _PLACE_TOPIC.search(norm, max(0, start - 12), start):
            yield "name", start, end


