"""Checks on entry fields before anything is saved: text lengths, dates, audience, URL, ids.

``validate_fields`` turns form-like values into clean entry fields or raises ``CurationError``
with a message per field (shown next to the field in the admin UI)::

    >>> validate_fields({"title": "犬の登録は？", "body": "", "updated": "2026/4/1"})
    Traceback (most recent call last):
    CurationError: 入力内容を確認してください。

Also the freshness checks of one entry (``is_stale``, ``missing_metadata``) that lists and
the review digest share.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Iterable

from indexing.dates import city_today, parse_date
from indexing.entries import ENTRY_AUDIENCES, MAX_BODY_CHARS, MAX_TITLE_CHARS, WEB_URL, Entry
from indexing.loaders.markup import plain_text_from_markup
from indexing.storage.knowledge import KnowledgeStore

DEFAULT_REVIEW_PERIOD = timedelta(days=365)
MAX_ALTERNATES = 50


class CurationError(ValueError):
    """A curation request that cannot be carried out; ``errors`` maps field → message."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        self.errors = dict(errors or {})
        super().__init__(message)


def default_review_by(today: date | None = None) -> str:
    return ((today or city_today()) + DEFAULT_REVIEW_PERIOD).isoformat()


# --- validation ---------------------------------------------------------------------------------
def split_alternates(value: str | Iterable[str]) -> tuple[str, ...]:
    """Alternate phrasings from one-per-line text (or a list), blank and duplicate lines dropped."""
    lines = value.splitlines() if isinstance(value, str) else list(value)
    seen, result = set(), []
    for line in lines:
        text = str(line).strip()
        key = normalize_question(text)
        if text and key not in seen:
            seen.add(key)
            result.append(text)
    return tuple(result)


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def normalize_question(text: str) -> str:
    """Comparison key of a question: NFKC, lower case, katakana as hiragana, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_KATAKANA_TO_HIRAGANA)
    return re.sub(r"[\s、。,.!?！？「」『』()（）・…\-ー~〜]", "", text)


def validate_fields(values: dict, kind: str = "faq", today: date | None = None) -> dict:
    """Cleaned entry fields from form-like ``values``; raises CurationError with per-field messages.

    Required on every entry: title (question), body (answer), audience, 所管課, 更新日 and a
    review-by date not before 更新日.
    """
    errors: dict[str, str] = {}
    clean: dict = {}
    for name in ("title", "body", "section", "url", "category", "department"):
        if name in values:
            clean[name] = str(values.get(name) or "").replace("\r\n", "\n").strip()
    for name in ("title", "body"):
        if clean.get(name):
            # HTML pasted from the city's web page reads as plain text, as it does when imported (residents
            # would see the tags on LINE and in the web chat).
            clean[name] = plain_text_from_markup(clean[name], str(values.get("url") or "")).strip()
    if "alternates" in values:
        clean["alternates"] = split_alternates(values.get("alternates") or "")
    if "audience" in values:
        clean["audience"] = str(values.get("audience") or "").strip()
    for name in ("updated", "review_by"):
        if name in values:
            raw = str(values.get(name) or "").strip()
            parsed = parse_date(raw)
            if raw and parsed is None:
                errors[name] = "日付は YYYY-MM-DD の形式で入力してください。"
            clean[name] = parsed.isoformat() if parsed else raw

    question_word = "質問" if kind == "faq" else "タイトル"
    answer_word = "回答" if kind == "faq" else "本文"
    if "title" in clean and not clean["title"]:
        errors["title"] = f"{question_word}を入力してください。"
    elif len(clean.get("title", "")) > MAX_TITLE_CHARS:
        errors["title"] = f"{question_word}は{MAX_TITLE_CHARS}文字以内にしてください。"
    if "body" in clean and not clean["body"]:
        errors["body"] = f"{answer_word}を入力してください。"
    elif len(clean.get("body", "")) > MAX_BODY_CHARS:
        errors["body"] = f"{answer_word}は{MAX_BODY_CHARS}文字以内にしてください。"
    if "audience" in clean and clean["audience"] not in ENTRY_AUDIENCES:
        errors["audience"] = "対象を選んでください。"
    if "department" in clean and not clean["department"]:
        errors["department"] = "所管課を入力してください。"
    if "updated" in clean and not clean["updated"] and "updated" not in errors:
        errors["updated"] = "更新日を入力してください。"
    if "review_by" in clean and not clean["review_by"] and "review_by" not in errors:
        errors["review_by"] = "見直し期限を入力してください。"
    if not errors.get("updated") and not errors.get("review_by") and clean.get("updated") and clean.get("review_by"):
        if clean["review_by"] < clean["updated"]:
            errors["review_by"] = "見直し期限は更新日より後の日付にしてください。"
    url = clean.get("url", "")
    if url and not WEB_URL.match(url):
        errors["url"] = "URL は http:// または https:// で始まる形で入力してください。"
    if len(clean.get("alternates", ())) > MAX_ALTERNATES:
        errors["alternates"] = f"別の聞き方は{MAX_ALTERNATES}件までにしてください。"
    if errors:
        raise CurationError("入力内容を確認してください。", errors)
    return clean


def next_entry_id(store: KnowledgeStore) -> str:
    """A free id following the numbering the FAQ already uses (``110`` → ``111``, ``KF0009`` → ``KF0010``)."""
    taken = {e.id for e in store.entries(status=None)}
    numbered: dict[str, list[tuple[int, int]]] = {}
    for entry_id in taken:
        match = re.match(r"^([A-Za-z_\-]*)(\d+)$", entry_id)
        if match:
            numbered.setdefault(match.group(1), []).append((int(match.group(2)), len(match.group(2))))
    if numbered:
        prefix = max(numbered, key=lambda p: (len(numbered[p]), p == ""))
        number = max(n for n, _ in numbered[prefix]) + 1
        width = max(w for _, w in numbered[prefix])
    else:
        prefix, number, width = "faq-", 1, 4
    candidate = f"{prefix}{number:0{width}d}"
    while candidate in taken:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
    return candidate


# --- freshness of one entry --------------------------------------------------------------------
def is_stale(entry: Entry, today: date | None = None) -> bool:
    review_by = parse_date(entry.review_by)
    return review_by is not None and review_by < (today or city_today())


def missing_metadata(entry: Entry) -> list[str]:
    """Labels of the freshness fields an entry lacks."""
    missing = []
    if not entry.department:
        missing.append("所管課")
    if not parse_date(entry.updated):
        missing.append("更新日")
    if not parse_date(entry.review_by):
        missing.append("見直し期限")
    return missing
