"""Exact answers to staff rule questions: file-name checks and where a document is saved.

These come from the machine-readable shared-folder rules (``knowledge/rules/``), not from
retrieval, so they are deterministic; the answer cites the section of the generated guide.
Only the staff audience reaches this desk.
"""
from __future__ import annotations

import re
import unicodedata

from bot.answering.answer import Answer, Source
from bot.answering.story import asking_sentences
from bot.staff.chat import extract_file_name, format_check_reply, format_folder_reply
from bot.staff.file_names import check_file_name
from bot.staff.folders import find_folder
from bot.staff.rules import DEFAULT_RULES_PATH, NamingRules, load_naming_rules, parse_naming_rules

RULES_SETTING = "rules:shared-folder"


def naming_rules_from_store(store) -> NamingRules:
    """The rules imported into the data dir, else the ones shipped in knowledge/rules/."""
    text = store.setting(RULES_SETTING, "") if store is not None else ""
    return parse_naming_rules(text, source=RULES_SETTING) if text else load_naming_rules(DEFAULT_RULES_PATH)


def _guide_source(rules: NamingRules, section_title: str) -> Source:
    return Source(id=rules.citation_id(section_title), title=rules.title, section=section_title, kind="guide")


# The question is about a name when it says so or the name is shaped like a file name; a word in
# quotes alone (「第2版」でいい？ asks how to write a version) is not a name to check.
_NAME_WORDS = ("ファイル名", "名前", "命名", "なまえ", "ネーミング", "付け方", "つけ方", "ファイル")
_COMMAND = re.compile(r"^\s*(?:/?check|チェック|確認|ファイル名チェック)\s*[:：]?\s+", re.IGNORECASE)
_FILE_SHAPED = re.compile(r"\.[a-z][a-z0-9]{0,9}$|[_＿]|\d{6,8}|(?<![a-z])v\d", re.IGNORECASE)
# A whole file name (an extension, or a date joined to other parts), as against a part to put into one
# (「最終版」, 「_v2」, 「20240401」).
_WHOLE_NAME = re.compile(r"\.[a-z][a-z0-9]{0,9}$|\d{6,8}[_＿]|[_＿]\d{6,8}", re.IGNORECASE)
# The question is about where to save when it names saving or a place for a document; a meeting
# or budget word with どこ alone (会議はどこのアカウントで？) is not.
_SAVE_WORDS = ("保存", "保管", "格納", "置き", "置く", "置け", "置いて", "入れ", "しまう", "しまえ", "フォルダ",
               "ふぉるだ", "保存先", "置き場")
_DOCUMENT_WORDS = ("資料", "ファイル", "データ", "文書", "書類", "議事録", "記録", "写真")


def asks_name_check(question: str, name: str) -> bool:
    """Whether a message that contains ``name`` asks to check it as a file name."""
    text, name = unicodedata.normalize("NFKC", question), unicodedata.normalize("NFKC", name)
    if not _WHOLE_NAME.search(name) and re.search(r"名前?に\s*[「『\"“]" + re.escape(name), text):
        return False  # ファイル名に「最終版」って付けていい？ asks about a part of a name, not a name
    return bool(_COMMAND.match(text) or _FILE_SHAPED.search(name) or any(word in text for word in _NAME_WORDS))


def asks_where_to_save(question: str) -> bool:
    """Whether a question asks where a document is saved (not merely where something happens)."""
    text = unicodedata.normalize("NFKC", question)
    return any(word in text for word in _SAVE_WORDS) or \
        (("どこ" in text or "どちら" in text) and any(word in text for word in _DOCUMENT_WORDS))


def answer_staff_rule_question(question: str, rules: NamingRules) -> Answer | None:
    """A name-check or folder answer when the question is one, else None."""
    name = extract_file_name(question, rules)
    if name and asks_name_check(question, name):
        check = check_file_name(name, rules)
        sections = [rules.section("naming").title] if check.valid else \
            list(dict.fromkeys(rules.section_title(v.rule) for v in check.violations))
        return Answer(question=question, text=format_check_reply(check, rules), abstained=False, confidence=1.0,
                      audience="staff", sources=tuple(_guide_source(rules, s) for s in sections),
                      category="共有フォルダ", department=rules.meta.get("department", ""), kind="name_check",
                      extra={"name_check": check.to_dict()})
    # The sentences that ask say whether saving is asked, not the story around them: 「会議の資料を保存する
    # ことになりました。ファイル名はどう付ければ？」 asks about names, 「かばんを置き忘れました。どうしたら？」
    # about a loss. The document's kind may still be named in the story, so the folder is looked up in all of it.
    asks_saving = any(asks_where_to_save(sentence) for sentence in asking_sentences(question))
    folder = find_folder(question, rules) if asks_saving else None
    if folder:
        return Answer(question=question, text=format_folder_reply(folder, rules), abstained=False, confidence=1.0,
                      audience="staff", sources=(_guide_source(rules, folder.section),), category="共有フォルダ",
                      department=rules.meta.get("department", ""), kind="folder", extra={"folder": folder.to_dict()})
    return None
