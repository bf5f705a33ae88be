"""Turns ranked hits into the Answer shown to the user: the FAQ answer or the best passage
with its document and section, related questions, or an honest abstention with the
owning department's contact."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.answering import messages
from bot.answering.answer import Answer, Contact, Hit, Related, Source
from bot.answering.department_contacts import own_number
from bot.answering.national import is_private
from bot.answering.plan_excerpt import focused_part, is_label
from bot.answering.question_kinds import QuestionKind, asked_kinds, holds_fact, holds_value
from bot.answering.story import need_of
from bot.insights.masking import PLACEHOLDER
from indexing.entries import visible_audiences
from indexing.japanese import kana_folded

RELATED_COUNT = 3
RELATED_MIN_RATIO = 0.6  # a related question scores at least this share of the best hit
PASSAGE_CHARS = 400
# A decline names the department of the nearest entries only when its confidence is at least this share
# of the threshold (the question was nearly answered); below it, the general desk or no department.
CONTACT_GUESS_SHARE = 0.5


def find_department(departments: list[dict], names: list[str], audience: str = "citizen") -> dict | None:
    """The first known department among ``names``, else the general desk, else the first of ``names`` as
    given (``{"name": …}``, no way to reach it); None without any.

    A department marked ``audience = "staff"`` (an internal extension) is never given to a citizen.
    """
    allowed = set(visible_audiences(audience))
    departments = [d for d in departments if d.get("audience", "all") in allowed]
    by_name = {d["name"]: d for d in departments}
    for name in names:
        for candidate in (name, name.split()[-1] if name else ""):
            if candidate in by_name:
                return by_name[candidate]
    default = next((d for d in departments if d.get("default")), None)
    if default:
        return default
    named = next((n for n in names if n), "")
    return {"name": named} if named else None


def find_contact(departments: list[dict], names: list[str], audience: str = "citizen") -> Contact | None:
    """The contact of find_department's department."""
    department = find_department(departments, names, audience)
    return _contact(department) if department else None


def _whom_to_ask(departments: list[dict], names: list[str], audience: str) -> tuple[Contact | None, str]:
    """(the contact a decline names, the department it is logged under): the department's own name as
    departments.toml (and an answered entry's 所管課) writes it, not the division-prefixed name shown to the
    resident (総務部 総合案内), so that the report and the handoff count one department once."""
    department = find_department(departments, names, audience)
    return (_contact(department), department["name"]) if department else (None, "")


def _contact(department: dict) -> Contact:
    name = department["name"]
    if department.get("division") and department["division"] not in name:
        name = f"{department['division']} {name}"
    return Contact(department=name, phone=department.get("phone", ""), hours=department.get("hours", ""),
                   email=department.get("email", ""), url=department.get("url", ""))


_MARKDOWN = (
    # A fenced block's fences (```text); its lines stay as written.
    (re.compile(r"^[ \t]*(?:`{3,}|~{3,})[^\n`]*\n?", re.MULTILINE), lambda m: ""),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: m.group(1) or m.group(2)),
    (re.compile(r"`([^`]+)`"), lambda m: m.group(1)),
    (re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)"), lambda m: f"{m.group(1)}（{m.group(2)}）"),
    (re.compile(r"^#{1,6}\s+", re.MULTILINE), lambda m: ""),
    (re.compile(r"^\s*[-*]\s+", re.MULTILINE), lambda m: "・"),
    (re.compile(r"^>\s?", re.MULTILINE), lambda m: ""),
)


_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_as_lines(markdown: str, asked: str = "") -> str:
    """A Markdown table as chat lines: its header once (品目／手数料), then one line per row
    (・自転車（1台）：800円); LINE would show the pipes and dashes as they are. The rows whose first cell
    names a thing the question ``asked`` about come first (ソファの料金は？: the ソファ row, not the eighth
    of nine), when some rows and not all do; the others follow in their order."""
    lines, out, index = markdown.split("\n"), [], 0
    folded = kana_folded(asked)
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith("|") and index + 1 < len(lines) and _TABLE_SEPARATOR.match(lines[index + 1]):
            header = _cells(line)
            out.append("／".join(cell for cell in header if cell))
            index += 2
            rows = []
            while index < len(lines) and lines[index].lstrip().startswith("|"):
                cells = [cell for cell in _cells(lines[index]) if cell]
                rows.append((cells, "・" + ("：" if len(cells) == 2 else "／").join(cells)))
                index += 1
            named = [row for row in rows if folded and row[0] and _names_item(row[0][0], folded)]
            if named and len(named) < len(rows):
                rows = named + [row for row in rows if row not in named]
            out.extend(text for _, text in rows)
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


# What a table's first cell says besides the item (ソファ（2人掛け）, ベッド（枠のみ、シングル）, 自転車 1台).
_ITEM_DETAIL = re.compile(r"[（(［\[].*?[）)］\]]|\s*\d.*$")


def _names_item(cell: str, folded_question: str) -> bool:
    """Whether the question names the item of a table row's first cell (two characters or more, its details in
    brackets left out; katakana and hiragana alike: ソファ, そふぁ)."""
    item = kana_folded(_ITEM_DETAIL.sub("", cell)).strip()
    return len(item) >= 2 and item in folded_question


def plain_text(markdown: str, asked: str = "") -> str:
    """Guide text as chat text: LINE shows Markdown marks literally, so they are removed (a table's rows
    that the question ``asked`` names first, see _table_as_lines)."""
    text = _table_as_lines(markdown, asked)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _excerpt(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("。", 0, limit)
    return text[: cut + 1 if cut > limit // 2 else limit] + "…"


_SENTENCE = re.compile(r"[^。\n]+(?:。|\n|$)")


def _excerpt_holding(text: str, limit: int, kinds: tuple[QuestionKind, ...] = ()) -> str:
    """``text`` cut to about ``limit`` characters; when the cut loses the kind of fact the question
    asks for (a deadline, a fee ...) that a later sentence holds, that sentence is shown after the
    opening instead of the rest of the opening."""
    head = _excerpt(text, limit)
    if not kinds or len(text) <= limit or holds_fact(kinds, head) == 1.0:
        return head
    cut = len(head.rstrip("…"))
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if match.start() >= cut and sentence and holds_fact(kinds, sentence) > holds_fact(kinds, head):
            sentence = _excerpt(sentence, limit // 2)
            return _excerpt(text, max(limit - len(sentence) - 2, limit // 2)) + "\n" + sentence
    return head


def _passage_text(hit: Hit, kinds: tuple[QuestionKind, ...] = (), language: str = "ja",
                  easy_japanese: bool = False, question: str = "", quoted: str = "") -> str:
    """A guide section is written to be an answer; a plan passage is quoted (``quoted``: the part that answers
    the question, see _plan_quote) with its place (introduced in the resident's language; the passage itself
    as the city wrote it)."""
    if hit.entry.kind == "guide":
        return _excerpt_holding(plain_text(hit.entry.body, question), PASSAGE_CHARS * 2, kinds)
    intro = messages.say("PASSAGE_INTRO", language, easy_japanese, source=Source.from_hit(hit).label(language))
    return intro + "\n" + quoted


def _part_number(entry) -> int | None:
    """Which part of its plan item a passage is: 1 for ``doc#section``, N for ``doc#section-N`` (an item too long
    for one passage), None for an id of another form."""
    name = entry.id.partition("#")[2]
    if not entry.section or not name.startswith(entry.section):
        return None
    suffix = name[len(entry.section):]
    return 1 if not suffix else int(suffix[1:]) if re.fullmatch(r"-[0-9]+", suffix) else None


def _same_item(first, second) -> bool:
    """Passages under one heading of one plan document (the parts of an item, or a document without headings)."""
    return first.kind == "plan" and second.kind == "plan" and first.source == second.source \
        and first.section == second.section


# Parts of one item at most this far apart are read together: a document without headings is all one "item".
PART_REACH = 2


def _parts_of(best: Hit, hits: list[Hit]) -> list[Hit]:
    """The ranked best plan passage and the other passages of its item (the parts of one heading of one document,
    split by length, near it) ranked near it."""
    number = _part_number(best.entry)
    if number is None:
        return [best]
    return [best] + [hit for hit in hits[1:] if _same_item(best.entry, hit.entry)
                     and hit.score >= best.score * RELATED_MIN_RATIO
                     and (other := _part_number(hit.entry)) is not None and abs(other - number) <= PART_REACH]


def _plan_quote(asked: str, hits: list[Hit], kinds: tuple[QuestionKind, ...],
                analyzer=None) -> tuple[list[Hit], str]:
    """(hits, excerpt): the excerpt of the best plan passage's item that answers the question (``asked``: its
    asking part, see asking_part; bot/answering/plan_excerpt.py), with the part it comes from moved first: an
    item's target is often on its second page while its first page ranks best for the item's name."""
    parts = _parts_of(hits[0], hits)
    entry = hits[0].entry
    index, quoted = focused_part([part.entry.body for part in parts], asked, PASSAGE_CHARS, kinds,
                                 heading=f"{entry.title} {entry.section}", analyzer=analyzer)
    chosen = parts[index]
    return [chosen] + [hit for hit in hits if hit is not chosen], quoted


def contact_text(contact: Contact, language: str = "ja", easy_japanese: bool = False) -> str:
    """The contact as one line in the resident's language (names and hours stay as the city wrote them)."""
    return contact.text(language)


def compose_answer(question: str, hits: list[Hit], confidence: float, threshold: float, audience: str,
                   departments: list[dict], decline: str = "", detail: str = "",
                   language: str = "ja", easy_japanese: bool = False, referral: str = "",
                   unknown_thing: bool = False, look_alike: str = "", analyzer=None) -> Answer:
    """``decline`` (from the ranking) forces a decline: ``other_city`` (``detail`` is the place named),
    ``staff_topic`` (``detail`` is the owning department; the citizen gets a contact they may use
    and nothing of the staff entry) or ``look_alike`` (``detail`` is a thing no entry names, ``look_alike``
    the thing the knowledge knows that it looks like: said so, with the nearest entries as related
    questions and the general desk). ``referral``: the public office or private business whose matter the
    question names (年金事務所 …), named in a decline before the city's contact. ``unknown_thing``: the
    question names a thing no entry names (市営住宅 in a knowledge without one), so a decline guesses no
    department from the nearest entries.

    Otherwise the answer in ``language`` where the city has the texts: a translated entry, else the
    Japanese entry after a short note in that language saying so and whom to ask. ``analyzer``: the retriever's
    (with the city's synonyms), to read a plan passage's sentences as the search read them."""
    said_in = language if messages.has_texts(language) else "ja"
    if decline == "other_city":
        return Answer(question=question, text=messages.say("OTHER_CITY", language, easy_japanese, place=detail),
                      abstained=True, confidence=0.0, audience=audience, kind="other_city", answer_language=said_in)
    if decline == "staff_topic":
        contact, department = _whom_to_ask(departments, [detail] if detail else [], audience)
        text = _with_contact("STAFF_TOPIC", contact, language, easy_japanese)
        return Answer(question=question, text=text, abstained=True, confidence=0.0, audience=audience,
                      contact=contact, department=department, kind="staff_topic",
                      answer_language=said_in)
    if decline == "look_alike":
        # Declined whatever the scores say: confidence 0 as for the other forced declines.
        confidence, unknown_thing = 0.0, True
    if not hits or confidence < threshold or decline == "look_alike":
        # The department that most of the closest entries share is still the best guess of whom to
        # call; when they all differ (死亡届 near こども家庭課, 市民課 and 母子保健課 entries) no guess
        # is better than another, and the general desk is given.
        # A question far from everything (「おすすめのラーメン屋は？」) gets no guess at all: the entries
        # nearest to it are no lead, and naming their 資産税課 would send the resident to the wrong desk.
        # A private business's matter (a bank account) gets the general desk: the look-alike entries'
        # department (保育課 for a bank's 口座) is no lead; nor are they for a thing no entry names (市営住宅
        # near the nursery's 申し込み entries).
        near = [h for h in hits[:3] if h.entry.department] \
            if confidence >= threshold * CONTACT_GUESS_SHARE and not is_private(referral) and not unknown_thing \
            else []
        names = [h.entry.department for h in near]
        majority = [name for name, count in Counter(names).most_common() if count >= 2 or len(names) == 1]
        if not majority and not any(d.get("default") for d in departments):
            majority = names  # no general desk to give: the nearest entry's department is still a lead
        contact, department = _whom_to_ask(departments, majority, audience)
        guessed = next((h.entry for h in near if h.entry.department == majority[0]), None) \
            if contact and majority else None
        note = messages.say("PRIVATE_REFERRAL" if is_private(referral) else "NATIONAL_REFERRAL", language,
                            easy_japanese, office=referral) if referral else ""
        text = _with_contact("LOOK_ALIKE", contact, language, easy_japanese, note, thing=detail, known=look_alike) \
            if decline == "look_alike" else _with_contact("ABSTAIN", contact, language, easy_japanese, note)
        related = tuple(Related(h.entry.id, _question_of(h)) for h in hits[:RELATED_COUNT]
                        if h.score >= threshold_score(hits))
        return Answer(question=question, text=text, abstained=True, confidence=confidence, audience=audience,
                      related=related, contact=contact, category=guessed.category if guessed else "",
                      department=department, kind="abstain",
                      answer_language=said_in)
    if easy_japanese and not messages.has_texts(language):
        hits = prefer_easy_japanese(hits)
    asked = asking_part(question)
    kinds = asked_kinds(asked)
    top_score, quoted = hits[0].score, ""
    if hits[0].entry.kind == "plan" and (language == "ja" or hits[0].entry.translation(language) is None):
        hits, quoted = _plan_quote(asked, hits, kinds, analyzer)
    best = hits[0]
    translated = best.entry.translation(language) if language != "ja" else None
    if translated is not None:
        text = translated[1].strip() if best.entry.kind == "faq" else _excerpt(plain_text(translated[1]),
                                                                               PASSAGE_CHARS * 2)
    else:
        text = best.entry.body.strip() if best.entry.kind == "faq" else _passage_text(
            best, kinds, language, easy_japanese, question, quoted)
    sources = (Source.from_hit(best),)
    # Only a Japanese entry's text is lent a sibling's sentence (a translated or easy-Japanese one is not).
    supplement = (_fact_supplement(kinds, text, hits) or _section_supplement(question, hits)) \
        if translated is None and not easy_japanese else None
    if supplement is not None:
        sibling, sentence = supplement
        text += "\n\n" + messages.say("FACT_SUPPLEMENT", language, title=_question_of(sibling)) + "\n" + sentence
        sources += (Source.from_hit(sibling),)
    related = tuple(Related(h.entry.id, _question_of(h)) for h in hits[1:1 + RELATED_COUNT * 2]
                    if h.score >= top_score * RELATED_MIN_RATIO and _question_of(h) != _question_of(best)
                    and (supplement is None or h is not supplement[0]))[:RELATED_COUNT]
    contact = find_contact(departments, [best.entry.department], audience) if best.entry.department else None
    if contact and any(d.get("from_entries") and d.get("name") == best.entry.department for d in departments):
        # A phone read from the answers: the one this answer gives (its 係's line) where it gives one.
        contact = replace(contact, phone=own_number(best.entry) or contact.phone)
    if translated is None and messages.has_texts(language):
        note = (messages.say("JAPANESE_FOLLOWS", language, contact=contact_text(contact, language)) if contact
                else messages.say("JAPANESE_FOLLOWS_NO_CONTACT", language))
        text = note + "\n\n" + text
    return Answer(question=question, text=text, abstained=False, confidence=confidence, audience=audience,
                  sources=sources, related=related, contact=contact,
                  category=best.entry.category, department=best.entry.department, kind="answer",
                  answer_language=language if translated is not None else "ja")


SUPPLEMENT_FROM = 2         # the hits after the best that may lend the fact asked for
SUPPLEMENT_DENSE_GAP = 0.03  # ... whose cosine to the question is at most this much below the best's
SUPPLEMENT_CHARS = 160
SECTION_OPENING_CHARS = 200  # a section's opening lent to a guide's overview (see _section_supplement)


def _siblings(first, second) -> bool:
    """Sections of one document (a guide's or a plan's: one source file). Entries of one FAQ category are not: on the
    benchmark sets most facts they lent were another procedure's (児童扶養手当's age limit to a question
    on 児童手当)."""
    return first.kind != "faq" and second.kind != "faq" and bool(first.source) and first.source == second.source


# Lines that hold a number of every kind but answer nothing: a contact footer, a parenthesis.
_NOT_AN_ANSWER = re.compile(r"^(?:お?問い?合わ?せ|問合せ|電話|TEL|[（(▼※])")


def asking_part(question: str) -> str:
    """What asks in a question: a long story's asking sentence (「何年も使っていない」 in the story asks
    nothing), without masked personal data (〔電話番号〕 is no question about a phone number)."""
    return PLACEHOLDER.sub(" ", need_of(question) or question)


def _lends_to(best: Hit, hit: Hit) -> bool:
    """Whether ``hit`` may lend the answer ``best`` its text: a section of the same document, found by the dense
    search, nearly as close to the question and scoring near the best; not another part of a plan passage's own item
    (its excerpt already read them all)."""
    return (_siblings(best.entry, hit.entry) and not _same_item(best.entry, hit.entry) and hit.dense > 0
            and hit.dense >= best.dense - SUPPLEMENT_DENSE_GAP and hit.score >= best.score * RELATED_MIN_RATIO)


def _fact_supplement(kinds: tuple[QuestionKind, ...], text: str, hits: list[Hit]):
    """(hit, sentence): where the answer ``text`` holds none of the kinds of fact the question asks
    for, the first sentence that holds one (a value first: 14日以内 before 期限があります) in a section of
    the same document ranked just after the best and nearly as close to the question; else None."""
    if not kinds or holds_fact(kinds, text) > 0:
        return None
    best = hits[0]
    for hit in hits[1:1 + SUPPLEMENT_FROM]:
        if not _lends_to(best, hit):
            continue
        holding = [s for s in (m.group().strip() for m in _SENTENCE.finditer(plain_text(hit.entry.body)))
                   if s and not _NOT_AN_ANSWER.match(s) and not is_label(s) and holds_fact(kinds, s) > 0]
        sentence = next((s for s in holding if holds_value(kinds, s)), holding[0] if holding else "")
        if sentence:
            return hit, _excerpt(sentence, SUPPLEMENT_CHARS)
    return None


# A section heading's words that tell what it is about: its runs of two kanji, katakana or Latin characters
# or more (ファイル名 of ファイル名の付け方, 文字 of 使えない文字; never a kana piece such as り方 of やり方).
_HEADING_PARTS = re.compile(r"[一-龥々ァ-ヺーA-Za-z0-9]{2,}")


def _section_supplement(question: str, hits: list[Hit]):
    """(hit, opening): when the best hit is a guide's overview (the text before its first section, which
    only says what the document covers) and the question names what one of its sections is about
    (「共有フォルダのファイル名のルールは？」: ファイル名 of 「ファイル名の付け方」), that section's opening, if it is
    ranked just after the overview and nearly as close to the question; else None. A heading's word the
    document title also names (ファイル名 in 「…ファイル名・フォルダ構成ルール」) tells sections apart only when no
    other word does: 「ファイル名に使えない文字は？」 is about 「使えない文字」; a heading asked whole is one of its own."""
    best = hits[0]
    if best.entry.kind != "guide" or best.entry.section:
        return None
    asked = asking_part(question)
    named = {}
    for hit in hits[1:]:
        if _siblings(best.entry, hit.entry) and hit.entry.section and hit.entry.section not in named:
            parts = [part for part in _HEADING_PARTS.findall(hit.entry.section) if part in asked]
            if hit.entry.section in asked:  # the whole heading asked (マイナンバーカードの受け取り方)
                named[hit.entry.section] = (hit, True)
            elif parts:
                named[hit.entry.section] = (hit, any(part not in best.entry.title for part in parts))
    own = [hit for hit, beyond_title in named.values() if beyond_title]
    chosen = own if own else [hit for hit, _ in named.values()]
    if len(chosen) != 1 or chosen[0] not in hits[1:1 + SUPPLEMENT_FROM] or not _lends_to(best, chosen[0]):
        return None
    hit = chosen[0]
    opening = [line for line in (line.strip() for line in plain_text(hit.entry.body).splitlines())
               if line and not _NOT_AN_ANSWER.match(line)]
    return (hit, _opening(opening, SECTION_OPENING_CHARS)) if opening else None


def _opening(lines: list[str], limit: int) -> str:
    """The first ``lines`` that fit in ``limit`` characters (at least the first, cut at a sentence end), then
    an ellipsis when some were left out: a section's opening never ends inside a table row or a parenthesis."""
    kept = [_excerpt(lines[0], limit)]
    for line in lines[1:]:
        if sum(map(len, kept)) + len(line) > limit:
            return "\n".join(kept) + ("" if kept[-1].endswith("…") else "\n…")
        kept.append(line)
    return "\n".join(kept)


def _with_contact(opening: str, contact: Contact | None, language: str, easy_japanese: bool, note: str = "",
                  **fields) -> str:
    """The fixed text ``opening`` of a decline (its ``fields`` filled in), a ``note`` if any, then whom to ask
    (or the city's desk in general)."""
    return messages.say(opening, language, easy_japanese, **fields) + "\n" + (note + "\n" if note else "") + (
        messages.say("ABSTAIN_CONTACT", language, easy_japanese, contact=contact_text(contact, language, easy_japanese))
        if contact else messages.say("ABSTAIN_NO_CONTACT", language, easy_japanese))


def compose_person_request(question: str, audience: str, departments: list[dict], language: str = "ja",
                           easy_japanese: bool = False) -> Answer:
    """The reply to 「人と話したい」: the general desk's contact (kind ``person``: the channels offer the
    handoff to staff where it is set up, as after a decline); no entry is searched."""
    said_in = language if messages.has_texts(language) else "ja"
    contact, department = _whom_to_ask(departments, [], audience)
    text = _with_contact("PERSON_REQUEST", contact, language, easy_japanese)
    return Answer(question=question, text=text, abstained=True, confidence=0.0, audience=audience, contact=contact,
                  department=department, kind="person", answer_language=said_in)


EASY_MIN_RATIO = 0.9  # an easy-Japanese entry is preferred when it scores at least this share of the best


def prefer_easy_japanese(hits: list[Hit]) -> list[Hit]:
    """Hits with the best-scoring entry written in やさしい日本語 first, if one is nearly as good as the best."""
    easy = next((h for h in hits if h.entry.easy_japanese and h.score >= hits[0].score * EASY_MIN_RATIO), None)
    return [easy] + [h for h in hits if h is not easy] if easy is not None else hits


def threshold_score(hits: list[Hit]) -> float:
    """When abstaining, only offer 'did you mean' questions that are reasonably close."""
    return hits[0].score * 0.9 if hits else 0.0


def _question_of(hit: Hit) -> str:
    entry = hit.entry
    if entry.kind == "guide" and entry.section:
        return entry.section
    if entry.kind == "faq" or not entry.section:
        return entry.title
    return f"{entry.title} {entry.section}"
