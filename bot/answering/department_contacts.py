"""Department contacts that a city's FAQ already gives.

A decline names whom to ask (bot/answering/composer.py, find_contact). The DX office writes the
contacts in ``departments.toml``; a city that imports only its FAQ has none, and a decline could
name the department (its 所管課 column) but no way to reach it. Yet published FAQ answers usually
end with the department's telephone number (「問い合わせ先：市民課 0123-45-6701」). For each
department the entries name, the number that its own entries cite most is taken as its phone,
when it is that department's number (more than half of the entries citing it are that
department's: the city's main number, cited by every department, is no one's) and at
least two of its entries cite it. ``departments.toml`` always wins: a derived phone only fills a
department the file lacks or a phone it leaves empty.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

# A Japanese telephone number as FAQ answers write it (with hyphens or parentheses).
PHONE = re.compile(r"(?<![\d-])0\d{1,4}[-(（]\d{1,4}[-)）]\d{3,4}(?![\d-])")
# A fax number is cited as often as the phone (電話：0123-45-6701 ファクス：0123-45-6702): never a phone.
FAX_BEFORE = re.compile(r"(?:fax|ファクス|ファックス|ファクシミリ)[^\d]{0,4}$", re.IGNORECASE)
# A number is a department's when more than this share of the entries citing it are that department's.
OWN_SHARE = 0.5
MIN_ENTRIES = 2


def with_phones_from_entries(departments: list[dict], entries) -> list[dict]:
    """``departments`` with the phone each department's entries cite (see the module docstring)."""
    cited_by: dict[str, Counter] = defaultdict(Counter)   # department -> number -> entries
    citing: Counter = Counter()                           # number -> entries, any department
    seen = set()
    for entry in entries:
        if entry.id in seen:
            continue
        seen.add(entry.id)
        # In the order written (the phone usually comes first): ties go to the number met first.
        numbers = list(dict.fromkeys(_canonical(m.group()) for m in PHONE.finditer(entry.body)
                                     if not FAX_BEFORE.search(entry.body, max(0, m.start() - 12), m.start())))
        citing.update(numbers)
        if entry.department:
            cited_by[entry.department].update(numbers)
    phones = {}
    for department, counts in cited_by.items():
        own = [(number, count) for number, count in counts.items()
               if count >= MIN_ENTRIES and count > OWN_SHARE * citing[number]]
        if own:
            phones[department] = max(own, key=lambda cited: cited[1])[0]
    result = []
    known = set()
    for department in departments:
        known.add(department.get("name", ""))
        phone = phones.get(department.get("name", ""))
        result.append(dict(department, phone=phone) if phone and not department.get("phone") else department)
    result += [{"name": name, "phone": phone, "from_entries": True}
               for name, phone in sorted(phones.items()) if name not in known]
    return result


def _canonical(number: str) -> str:
    return number.replace("（", "(").replace("）", ")")
