"""Department contacts that a city's FAQ already gives.

A decline names whom to ask (bot/answering/composer.py, find_contact). The DX office writes the
contacts in ``departments.toml``; a city that imports only its FAQ has none, and a decline could
name the department (its 所管課 column) but no way to reach it. Yet published FAQ answers usually
end with the department's telephone number (「問い合わせ先：市民課 0123-45-6701」). For each
department the entries name, the number that its own entries cite most is taken as its phone
(where an answer writes the department's name before a number, only such numbers: 「年金事務所（0123-11-2222）
でも相談できます。問い合わせ先：保険年金課 0123-45-6750」 cites the pension office's number in passing),
when it is that department's number (more than half of the entries citing it are that
department's: the city's main number, cited by every department, is no one's) and at
least two of its entries cite it. ``departments.toml`` always wins: a derived phone only fills a
department the file lacks or a phone it leaves empty. A number the answers call the main one
(「市役所代表 0987-65-1111」) becomes the general desk, named in declines far from every entry and for
「人と話したい」, when the file names none.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from indexing.language import for_municipality

# A Japanese telephone number as FAQ answers write it (with hyphens or parentheses).
PHONE = re.compile(r"(?<![\d-])0\d{1,4}[-(（]\d{1,4}[-)）]\d{3,4}(?![\d-])")
# A fax number is cited as often as the phone (電話：0123-45-6701 ファクス：0123-45-6702): never a phone,
# unless the same label names a phone too (TEL/FAX, 電話・ファクス).
FAX_BEFORE = re.compile(r"(?:fax|ファクス|ファックス|ファクシミリ)[^\d]{0,12}$", re.IGNORECASE)
PHONE_BEFORE = re.compile(r"(?:tel|電話)[^\d]{0,12}$", re.IGNORECASE)
# How far before a number the department's name may stand for the number to be the department's.
NAME_REACH = 30
# The city's main number, named so in the answers (市役所代表 0987-65-1111, 代表電話：…): the general desk of a
# city without departments.toml, named by the office written before 代表 (市役所, 町役場 …).
MAIN_NUMBER = re.compile(r"(?P<office>市役所|区役所|町役場|村役場|役場|役所)?(?:の)?代表(?:電話|番号)?[^\d]{0,6}$")
MAIN_DESK = "{office}（代表）"
# A number is a department's when more than this share of the entries citing it are that department's.
OWN_SHARE = 0.5
MIN_ENTRIES = 2


def with_phones_from_entries(departments: list[dict], entries) -> list[dict]:
    """``departments`` with the phone each department's entries cite (see the module docstring)."""
    named_by: dict[str, Counter] = defaultdict(Counter)   # department -> number written after its name -> entries
    cited_by: dict[str, Counter] = defaultdict(Counter)   # department -> any number -> entries
    main: Counter = Counter()                             # (office, number) named the main number -> entries
    seen = set()
    for entry in entries:
        if entry.id in seen:
            continue
        seen.add(entry.id)
        body, found, named = _citations(entry)
        main.update({(called.group("office") or for_municipality("市役所"), _canonical(m.group())) for m in found
                     if (called := MAIN_NUMBER.search(body[max(0, m.start() - 16):m.start()]))})
        if entry.department:
            named_by[entry.department].update(set(named))
            cited_by[entry.department].update(set(named) or {_canonical(m.group()) for m in found})
    citing: Counter = sum(cited_by.values(), Counter())  # number -> entries citing it for some department
    phones = {}
    for department, counts in cited_by.items():
        # Numbers written after the department's name are its own (one per 係: any will do, the most
        # cited first, then the lowest); otherwise two numbers cited alike give none.
        named = named_by[department]
        own = sorted(((count, number) for number, count in counts.items()
                      if count >= MIN_ENTRIES and count > OWN_SHARE * citing[number]),
                     key=lambda cited: (-cited[0], cited[1]))
        if own and (len(own) == 1 or own[0][0] > own[1][0] or (own[0][1] in named and own[1][1] in named)):
            phones[department] = own[0][1]
    known = {department.get("name", "") for department in departments}
    result = [dict(department, phone=phones[department["name"]])
              if department.get("name") in phones and not department.get("phone") else department
              for department in departments]
    # A department the file names, also as the last word (「市民課 住民係」 is the file's 住民係), is the file's.
    result += [{"name": name, "phone": phone, "from_entries": True} for name, phone in sorted(phones.items())
               if name not in known and name.split()[-1] not in known]
    if main and not any(department.get("default") for department in departments):
        (office, number), _ = main.most_common(1)[0]
        result.append({"name": MAIN_DESK.format(office=office), "phone": number, "default": True,
                       "from_entries": True})
    return result


def own_number(entry) -> str:
    """The number an entry's answer writes after its own department's name (its 係's line), or ''."""
    named = _citations(entry)[2]
    return named[0] if named else ""


def _citations(entry) -> tuple[str, list, list[str]]:
    """(the answer as read, the phone numbers it cites (fax numbers left out), those of them written after
    the entry's own department's name, in the order written)."""
    body = unicodedata.normalize("NFKC", entry.body)
    found = [m for m in PHONE.finditer(body) if _not_fax(body, m.start())]
    names = {entry.department, entry.department.split()[-1]} if entry.department else set()
    named = [_canonical(m.group()) for m in found
             if any(name in body[max(0, m.start() - NAME_REACH):m.start()] for name in names)]
    return body, found, named


def _not_fax(body: str, start: int) -> bool:
    before = body[max(0, start - 16):start]
    return not FAX_BEFORE.search(before) or bool(PHONE_BEFORE.search(before))


def _canonical(number: str) -> str:
    return number.replace("（", "(").replace("）", ")")
