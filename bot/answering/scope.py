"""Questions outside what this city's knowledge base can answer, recognised before ranking:
another municipality named in the question (「横浜市では…」), or told without its name by where it
is from here or whose it is (「隣の市の粗大ごみ」, 「引っ越し先の市役所は」).

A place is "ours" when it is the configured city name or when the knowledge base itself talks
about it (its name is a term of several entries; not a city named after the prefecture the knowledge
names, 福岡市 to a town of 福岡県), so no list of cities is kept anywhere.
"""
from __future__ import annotations

import re

from sudachipy import SplitMode

from indexing.japanese import katakana_to_hiragana, normalize_text, thread_tokenizer

CITY_SUFFIXES = ("市", "区", "町", "村")
PREFECTURE_SUFFIXES = ("都", "道", "府", "県")
MUNICIPALITY_SUFFIXES = CITY_SUFFIXES + PREFECTURE_SUFFIXES
# The suffixes of a place Sudachi keeps as one word (北海道, 四日市) that make it a municipality or prefecture.
# Not 町 or 区 (大手町, 中央区): a district of this city as often as a town.
ONE_WORD_SUFFIXES = PREFECTURE_SUFFIXES + ("市", "村")
# A municipality's own institutions named as one word after a place (神戸市営住宅, 千葉県立病院).
RUN_BY = {"市営": "市", "市立": "市", "県営": "県", "県立": "県", "府立": "府", "府営": "府", "都立": "都",
          "都営": "都", "道立": "道", "区立": "区", "町立": "町", "村立": "村"}
# The same suffixes typed in kana after a place name (おおさかし, ふくおかけん), as the kanji they stand for.
KANA_SUFFIXES = {"し": "市", "けん": "県", "く": "区", "ちょう": "町", "まち": "町", "むら": "村", "そん": "村",
                 "と": "都", "ふ": "府", "シ": "市", "ケン": "県", "ク": "区", "チョウ": "町", "マチ": "町", "ムラ": "村"}
# After a bare place name, that place's own offices (横浜の市役所, 大阪の区役所): another city's counter.
# A bare name with では / だと (北町では…) is not enough: residents name their own districts so, and a
# district need not appear in the knowledge; nor is a country (アメリカでは…) another city.
PLACE_OFFICE = re.compile(r"の(?:市役所|区役所|役場|町役場|村役場|県庁|都庁|府庁|道庁)")
# After a place, this makes it where someone moves from or to (横浜市から引っ越してきた, 大阪市に
# 転出する): the question is then about this city's procedure, not the other place.
MOVING = re.compile(r"(?:から|より|へ|に(?:引っ?越|転出|転居|転入|移))")
# A municipality left unnamed: a neighbour (隣の市, となり町, 他県), where someone moves or goes
# (引っ越し先の市), or where someone else lives (実家のある町, 親の住む町), with its own office if named
# (引っ越し先の市役所). Not 近くの市役所 (this city's nearest office) nor 隣の区 (in a city with wards,
# a ward of this same city); not where the resident lives (私が住んでいる市).
_SOMEONE_ELSE = ("親|両親|母|父|母親|父親|妹|姉|兄|弟|息子|娘|子ども|子供|孫|祖父|祖母|親戚|友人|友達|知人|"
                 "家族|夫|妻|主人|彼氏|彼女|義母|義父|義両親")
_NEIGHBOUR = (r"(?:(?:お?隣|となり|よそ|ほか|他|別|近隣|向こう)の|隣|となり|他)(?:市町村|自治体|市|町|村|県)"
              r"|(?:お?隣|となり)の?(?:まち|むら)(?=の|役|[^ぁ-ゖ]|$)")  # typed in kana: となりまち, となりのむら
_ELSEWHERE = (r"(?:(?:引っ?越し?|転居|転勤|転出|移住|里帰り|赴任|進学|就職)先の|実家(?:の|が)ある|"
              r"(?:" + _SOMEONE_ELSE + r")(?:が|の)(?:住んで(?:い)?る|住む))(?:市町村|市|町|村|区|県)")
RELATIVE_PLACE = re.compile(rf"(?:{_NEIGHBOUR}|{_ELSEWHERE})(?P<office>役所|役場|庁)?")
# What the unnamed place is asked about stops at the first particle after it (隣の市の粗大ごみ「の」出し方,
# となりの町の児童手当「は」): with these, the question is about that place's own service ...
ABOUT_PARTICLES = frozenset({"は", "の", "を", "が", "も", "って", "とか"})
# ... with others (隣の市の小児科「で」使えますか, 隣の市の幼稚園「に」通っていても) it is about where
# the resident goes, under this city's rules. So is a question about a facility over there or its
# people, whatever the particle (隣の市の病院って医療証使える？, 隣の市の人でも出せますか): the
# thing's last word is one of these (a one-kanji word only as the whole word: 成人式 is no 人).
# Of these, a doctor or a workplace is where a resident goes even in a named city (see _visited).
_DOCTORS_AND_WORKPLACES = r"病院|医院|クリニック|小児科|歯科|産婦人科|医療機関|薬局|会社|職場|勤務先"
# The same words typed in kana (folded to hiragana), kept beside them: see VISITED_KANA.
_DOCTORS_AND_WORKPLACES_KANA = r"びょういん|いいん|くりにっく|しょうにか|さんふじんか|しか|やっきょく|かいしゃ|しょくば|きんむさき"
CROSS_BORDER = re.compile(_DOCTORS_AND_WORKPLACES + r"|保育園|保育所|こども園|幼稚園|学校|大学|施設|住民|人たち|方々")
CROSS_BORDER_WORDS = frozenset({"人", "方", "者", "店", "駅"})
# A question that also speaks of this city compares the two (隣の市は無料なのに、こっちは？) or asks
# whether something from there serves here (隣の市のごみ袋、うちでも使える？, 他県の受診票は使えますか):
# it asks about this one.
THIS_CITY = re.compile(r"こっち|こちら|ここ|この(?:市|町|村)|うちの(?:市|町|村)|うちで|地元|市内|当市|本市|のに|比べ|違い|"
                       r"使え|使う|使って|持って(?:き|来)")
# A name in kana before 市 and 「の」 (みなと市の…), not inside a longer kana word; a name in hiragana before 町 or
# 村 too (ひがしやま町の, しらさぎ村の: towns and villages write their names so; a katakana word before 村 is a
# place, キャンプ村). Not a kana suffix (…ちょうの): てちょう, えんちょう, しゃちょう end so.
KANA_CITY = re.compile(r"(?<![ぁ-ゖァ-ヺー])(?:([ぁ-ゖァ-ヺー]{2,8})(市)|([ぁ-ゖ]{2,8})(町|村))(の|では|だと)")
# A question typed all in kana spells 市 too (みなみのし の ほいくえん, あさひしの ごみ): a kana run ending in し, as a word
# of its own (after a space or the start), before の, では or だと and a space. Not a word that ends in し
# (わたし の, むかし の: one word to the dictionary).
KANA_SPELLED_CITY = re.compile(r"(?:^|\s)([ぁ-ゖー]{2,8})し\s*(の|では|だと)\s")
# Said of a place with では / だと (もみじ市だと医療費は…), a name in hiragana only: a katakana word before 市 is
# as often a market (クリスマス市では…), and a question that also speaks of this city compares the two.
_HIRAGANA_NAME = re.compile(r"[ぁ-ゖー]+")
# Words that describe a town rather than name it (きれいな町, いい町, わが町, ちいさな村, 住んでいる町).
_DESCRIBING_POS = {"形容詞", "形状詞", "連体詞", "動詞", "接続詞", "代名詞", "副詞", "感動詞"}
# A place named in this many entries (or this share of them) is one the knowledge base is about.
OWN_PLACE_MIN_ENTRIES = 3


def named_places(text: str) -> list[tuple[str, str]]:
    """(name, name + suffix) for each municipality or prefecture named in ``text`` as the place a
    question is about: a proper noun followed by 市/区/町/村/都/道/府/県 (or a place name followed
    by the suffix in kana: おおさかし), unless a particle after it makes it where someone moves from
    or to; or a bare place name followed by its office (横浜の市役所), as (name, name)."""
    tokenizer = thread_tokenizer(SplitMode.A)
    normalized = normalize_text(text)
    morphemes = list(tokenizer.tokenize(normalized))
    places = []
    for current, following in zip(morphemes, morphemes[1:]):
        pos = current.part_of_speech()
        place_name = pos[1] == "固有名詞" and pos[2] == "地名"
        if following.surface() in MUNICIPALITY_SUFFIXES and (pos[1] == "固有名詞" or current.is_oov()):
            suffix = following.surface()
        elif place_name and following.surface() in KANA_SUFFIXES and following.part_of_speech()[0] == "接尾辞":
            suffix = KANA_SUFFIXES[following.surface()]
        elif place_name and following.surface()[-1:] == "の" and following.surface()[:-1] in KANA_SUFFIXES:
            # Before a space or kana, Sudachi reads the suffix and 「の」 as one noun (ひろしま|しの そだいごみ,
            # せたがや|くの): the same place asked about.
            suffix = KANA_SUFFIXES[following.surface()[:-1]]
        elif place_name and following.surface() in RUN_BY:
            suffix = RUN_BY[following.surface()]
        elif place_name and len(current.surface()) > 2 and current.surface()[-1] in MUNICIPALITY_SUFFIXES \
                and following.surface() in ("立", "営"):
            # One word with its suffix, then the institution it runs (南原町|立図書館): that town's own.
            places.append((current.surface()[:-1], current.surface()))
            continue
        elif place_name and len(current.surface()) > 2 and current.surface()[-1] in ONE_WORD_SUFFIXES:
            # One word with its suffix (北海道, 四日市): the place a question is about unless moved from or to.
            if not MOVING.match(normalized, current.end()):
                places.append((current.surface()[:-1], current.surface()))
            continue
        elif place_name and pos[3] != "国" and PLACE_OFFICE.match(normalized, current.end()):
            places.append((current.surface(), current.surface()))
            continue
        else:
            continue
        if MOVING.match(normalized, following.end()):
            continue
        places.append((current.surface(), current.surface() + suffix))
    return places


# After a place, a move from or to it: to it (東京に引っ越す, 福岡県に転勤になった) or from it (大阪から越してきた,
# 名古屋からの転入): the question asks this city's procedure for someone leaving or arriving (see
# outside_moves). Not a 転入 there (世田谷区に転入するとき: that city's procedure) nor a 移住 (東山村に移住したら
# 支援金: what that village offers newcomers).
MOVED = re.compile(r"(?:に|へ)(?:の)?(?:引っ?越|越し|転出|転勤|赴任|単身赴任|移(?:る|り|っ|し|す|さ))"
                   r"|(?:から|より)(?:の)?(?:引っ?越|越して|越し|転入|転居|転勤|移住|移(?:って|り住)"
                   r"|(?:来|き)(?:ました|たばかり|て(?:まだ|から)))")
# A place someone only came from (東京から来た友達, a visit) is no move: 来た alone is not one of the verbs, a
# newcomer's 来ました, 来たばかり, 来てまだ… are.


def outside_moves(text: str, own_place, outside: str = "市外") -> str:
    """``text`` with each other place someone moves from or to (東京に引っ越します, 大阪から越してきた) written
    as ``outside`` (市外に引っ越します): where a resident goes or comes from is no thing an entry must
    name, while 市外 says what the knowledge says (転出 is a move 市外へ, 転入 one 市外から). A place
    ``own_place(name)`` says is this city's (one of its districts: a move within the city) and a
    country (アメリカから: a move from abroad has its own rules) stay. ``text`` unchanged if nothing moved,
    else normalized (normalize_text) with the places replaced."""
    normalized = normalize_text(text)
    spans, start, end = [], None, 0
    for morpheme in list(thread_tokenizer(SplitMode.A).tokenize(normalized)) + [None]:
        pos = morpheme.part_of_speech() if morpheme is not None else ()
        place = len(pos) > 3 and pos[1] == "固有名詞" and pos[2] == "地名" and pos[3] != "国"
        if place or start is not None and morpheme is not None and morpheme.surface() in MUNICIPALITY_SUFFIXES:
            start = morpheme.begin() if start is None else start
            end = morpheme.end()
            continue
        if start is not None and MOVED.match(normalized, end) and not own_place(normalized[start:end]):
            spans.append((start, end))
        start = None
    if not spans:
        return text
    for begin, stop in reversed(spans):
        normalized = normalized[:begin] + outside + normalized[stop:]
    return normalized


def unnamed_place(text: str, own_names=()) -> str:
    """An unnamed other municipality the question asks about (隣の市 in 隣の市の粗大ごみの出し方), or ''.

    Only the forms 「<place>の<thing>」 and 「<place>の役所」 are read (see asks_about); others (隣の市では…,
    隣の市だと…, …について) are left to the abstention model, as is a question that speaks of this
    city too (``own_names``, THIS_CITY)."""
    normalized = normalize_text(text)
    if THIS_CITY.search(normalized) or any(name and name in normalized for name in own_names):
        return ""
    for match in RELATIVE_PLACE.finditer(normalized):
        rest = normalized[match.end():]
        if not match.group("office"):
            if not rest.startswith("の"):
                continue  # 隣の県から, 他県に引っ越す: where someone moves from or to
            rest = rest[1:]
        if asks_about(rest):
            return match.group(0)[:match.start("office") - match.start()] if match.group("office") else match.group(0)
    return ""


def asks_about(rest: str) -> bool:
    """Whether the text after 「<place>の」 (or after a place's office) asks about that place's own
    thing: the thing it names stops at a particle of ABOUT_PARTICLES (or the end), and is no
    facility or people a resident goes to from here (CROSS_BORDER)."""
    thing, particle = _thing_after(rest)
    if goes_there(thing):
        return False
    return particle in ABOUT_PARTICLES or particle == ""


def _thing_after(rest: str) -> tuple[list[str], str]:
    """(the words of the thing ``rest`` starts with, the particle after it: '' at the end, '?' for another word)."""
    thing = []
    for morpheme in thread_tokenizer(SplitMode.C).tokenize(rest[:40]):
        pos = morpheme.part_of_speech()[0]
        if pos in ("名詞", "接頭辞", "接尾辞"):
            thing.append(morpheme.surface())
            continue
        return thing, morpheme.surface() if pos == "助詞" else ("" if pos == "補助記号" else "?")
    return thing, ""


# Where a resident of this city goes in another city, named (横浜市の病院で受けた予防接種, 横浜市の会社に勤めて):
# a doctor or a workplace, reached with で or に. Not its nurseries or schools (横浜市の保育園に入りたい asks
# about that city's enrolment).
VISITED = re.compile(_DOCTORS_AND_WORKPLACES)
# The same typed in kana after the place (おおさかしの びょういんで), matched as typed: Sudachi cuts かいしゃ into か|いしゃ.
VISITED_KANA = re.compile(r"(?:" + _DOCTORS_AND_WORKPLACES_KANA + r")(?:で|に)")


def _visited(thing: list[str], particle: str) -> bool:
    return bool(thing) and bool(VISITED.search(thing[-1])) and particle in ("で", "に")


def goes_there(thing: list[str]) -> bool:
    """Whether a place's thing is a facility or people a resident goes to from here (CROSS_BORDER)."""
    return bool(thing) and (bool(CROSS_BORDER.search(thing[-1])) or thing[-1] in CROSS_BORDER_WORDS)


def kana_city(text: str, own_names=(), written=None, known_word=None, typed: str = "") -> str:
    """A city, town or village named in kana the question asks about (みなと市の粗大ごみ, サクラ市の児童手当は,
    ひがしやま町の粗大ごみ, もみじ市だと医療費は, みなみのし の ほいくえん), or '': a kana name before 市 (a hiragana one before 町 or 村) and
    「の」 (or, for a name in hiragana in a question that does not speak of this city, では / だと) and what it
    asks about (asks_about), which the knowledge neither writes (written: かわべ市) nor holds as a word
    (known_word: みなと is 港, for a knowledge of 港市). A run before 町 or 村 that describes a town rather than
    names it (きれいな町, わが町, となりの町) is none (see _kana_town_name)."""
    if written is None or known_word is None:
        return ""
    normalized = normalize_text(text)
    for match in KANA_CITY.finditer(normalized):
        name, suffix = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        particle = match.group(5)
        if particle != "の" and (not _HIRAGANA_NAME.fullmatch(name) or THIS_CITY.search(normalized)):
            continue
        if suffix != "市" or particle != "の":
            # A run that describes a place, or a hiragana word before 市 with では (のみの市では), names none.
            name = _kana_town_name(name)
            if not name:
                continue
        full = name + suffix
        if name in own_names or full in own_names or written(katakana_to_hiragana(name)) or known_word(name):
            continue
        if asks_about(normalized[match.end():]):
            return full
    # Read as typed: respelling has made みなみのし 南のし.
    for match in KANA_SPELLED_CITY.finditer(normalize_text(typed or text)):
        name = match.group(1)
        spelled = name + "し"
        if [m.surface() for m in thread_tokenizer(SplitMode.C).tokenize(spelled)] == [spelled]:
            continue
        if match.group(2) != "の" and THIS_CITY.search(normalized):
            continue
        # A name the knowledge holds as one word is its own (みなと for 港市); one the dictionary cuts into words
        # (みなみ|の) only when written as typed.
        one_word = len(list(thread_tokenizer(SplitMode.C).tokenize(name))) == 1
        if name in own_names or name + "市" in own_names or written(name) or written(spelled) \
                or (one_word and known_word(name)):
            continue
        # Typed in kana, a word is what the spaces cut out (the dictionary reads しみんぷーる as しみん|ぷーる); a
        # doctor or workplace there (おいしゃさんで) is where a resident of this city goes.
        words = match.string[match.end():].split()
        if words and not VISITED_KANA.match(words[0]):
            return name + "市"
    return ""


def _kana_town_name(run: str) -> str:
    """The town's name in a hiragana run before 町 or 村, or '' when the run describes a town: a particle
    starting it is the sentence's (実家|のひがしやま町), and a run with an adjective, a verb or a word such as
    わが / こんな in it (きれいな町, いい町, 住んでいる町) or ending in の (となりの町, ふるさとの町) names no town."""
    morphemes = list(thread_tokenizer(SplitMode.C).tokenize(run))
    if len(morphemes) > 1 and morphemes[0].part_of_speech()[0] == "助詞":
        morphemes = morphemes[1:]
    name = "".join(m.surface() for m in morphemes)
    if len(name) < 2 or name.endswith("の") or name[0] in "んっゃゅょぁぃぅぇぉ" \
            or any(m.part_of_speech()[0] in _DESCRIBING_POS for m in morphemes):
        return ""
    return name


def _prefecture_namesake(name: str, full: str, written, prefectures) -> bool:
    """Whether ``full`` is a city or town named after the knowledge's prefecture (福岡市 to a city of
    福岡県): ``name`` is one of the ``prefectures`` the knowledge names, and the knowledge writes
    ``full`` itself fewer than OWN_PLACE_MIN_ENTRIES times (an address 福岡市博多区 in one answer)."""
    if written is None or full[-1:] not in CITY_SUFFIXES or name not in prefectures:
        return False
    return written(katakana_to_hiragana(full)) < OWN_PLACE_MIN_ENTRIES


def _after_place(text: str, name: str, full: str) -> int:
    """Where the text after 「<place>の」 starts in ``text``, its suffix as written (市, or し in kana), or -1."""
    suffix = full[len(name):]
    for written in (suffix, *(kana for kana, kanji in KANA_SUFFIXES.items() if kanji == suffix)):
        at = text.find(name + written + "の")
        if at >= 0:
            return at + len(name + written) + 1
    return -1


def other_place(text: str, own_names: set[str], term_frequency, written=None, unnamed: bool = True,
                known_word=None, prefectures=frozenset(), typed: str = "") -> str:
    """The first municipality named in ``text`` that is not this city, or ''.

    ``term_frequency(term)`` tells in how many entries a term occurs; ``written(text)``, how often
    the knowledge writes a text (folded to hiragana), for a name the tokenizer does not keep as one
    term (かわべ市 is か + わべ + 市, while the question's カワベ is one word). With ``unnamed``, a
    municipality left unnamed (隣の市の…, see unnamed_place) counts too; with ``known_word(word)``
    (the knowledge holds a word among its terms), a city named in kana (see kana_city); with
    ``prefectures`` (the prefecture names the knowledge writes), a city named after its prefecture.
    A doctor or workplace over there a resident goes to (横浜市の病院で受けた予防接種) is this city's question.
    ``typed``: the question as the resident typed it, before respelling (a city spelled in kana is read there).
    """
    for name, full in named_places(text):
        if name in own_names or full in own_names:
            continue
        normalized = normalize_text(text)
        at = _after_place(normalized, name, full)
        rest = normalized[at:].lstrip() if at >= 0 else ""
        if rest and (_visited(*_thing_after(rest)) or VISITED_KANA.match(katakana_to_hiragana(rest))):
            continue
        # The index holds terms folded to hiragana: カワベ is counted as かわべ.
        mentions = max(term_frequency(name) or 0, term_frequency(katakana_to_hiragana(name)) or 0)
        if mentions >= OWN_PLACE_MIN_ENTRIES and not _prefecture_namesake(name, full, written, prefectures):
            continue
        if not mentions and written is not None and written(katakana_to_hiragana(full)) >= OWN_PLACE_MIN_ENTRIES:
            continue  # a name that is no term of the knowledge: is it written there as typed?
        if name == full and mentions:
            continue  # a bare name the knowledge mentions at all (a district of this city)
        return full
    return kana_city(text, own_names, written, known_word, typed) or (unnamed_place(text, own_names) if unnamed else "")
