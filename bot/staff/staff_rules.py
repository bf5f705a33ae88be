"""Exact answers to staff rule questions: file-name checks and where a document is saved.

These come from the machine-readable shared-folder rules (``knowledge/rules/``), not from
retrieval, so they are deterministic; the answer cites the section of the generated guide.
Only the staff audience reaches this desk.
"""
from __future__ import annotations

from bot.answering.answer import Answer, Source
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


def answer_staff_rule_question(question: str, rules: NamingRules) -> Answer | None:
    """A name-check or folder answer when the question is one, else None."""
    name = extract_file_name(question, rules)
    if name:
        check = check_file_name(name, rules)
        sections = [rules.section("naming").title] if check.valid else \
            list(dict.fromkeys(rules.section_title(v.rule) for v in check.violations))
        return Answer(question=question, text=format_check_reply(check, rules), abstained=False, confidence=1.0,
                      audience="staff", sources=tuple(_guide_source(rules, s) for s in sections),
                      category="共有フォルダ", department=rules.meta.get("department", ""), kind="name_check",
                      extra={"name_check": check.to_dict()})
    folder = find_folder(question, rules)
    if folder:
        return Answer(question=question, text=format_folder_reply(folder, rules), abstained=False, confidence=1.0,
                      audience="staff", sources=(_guide_source(rules, folder.section),), category="共有フォルダ",
                      department=rules.meta.get("department", ""), kind="folder", extra={"folder": folder.to_dict()})
    return None
