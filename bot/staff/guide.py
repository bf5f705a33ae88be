"""The staff guide, rendered from the rules and committed as
``knowledge/guides/staff/shared-folder-rules.md``, so the guide the bot cites and the checker it
runs cannot disagree (a test compares the two).

    >>> print(render_guide_markdown(load_naming_rules()))
"""
from __future__ import annotations


from bot.staff.file_names import check_file_name
from bot.staff.rules import NamingRules


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rule_bullets(rules: NamingRules, section_id: str) -> list[str]:
    return [f"- **{rule.title}**：{rule.description}" for rule in rules.rules if rule.section == section_id]


def render_guide_markdown(rules: NamingRules) -> str:
    """The staff guide, generated from the rules (one ``##`` section per question)."""
    meta = rules.meta
    out = [
        "---",
        f"title: {meta['title']}",
        f"audience: {meta['audience']}",
        f"department: {meta['department']}",
        f"category: {meta['category']}",
        f"updated: {rules.updated.isoformat()}",
        f"review_by: {rules.review_by.isoformat()}",
        "---",
        f"# {meta['title']}",
        "",
        f"> {meta['note']}",
        "",
    ]
    if meta.get("intro"):
        out += [meta["intro"], ""]
    renderers = {
        "folders": _guide_folders, "naming": _guide_naming, "characters": _guide_characters,
        "length": _guide_length, "version": _guide_version, "date": _guide_date,
        "retention": _guide_retention, "categories": _guide_categories, "examples": _guide_examples,
    }
    for section in rules.sections:
        out += [f"## {section.title}", ""]
        if section.summary:
            out += [section.summary, ""]
        body = renderers.get(section.id, lambda r: _rule_bullets(r, section.id))(rules)
        out += body
        if body and body[-1] != "":
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _guide_folders(rules: NamingRules) -> list[str]:
    example = rules.folder_pattern
    for level in rules.levels:
        example = example.replace("{" + level.name + "}", level.example)
    lines = ["```", rules.folder_pattern, "```", "",
             "| 階層 | 書き方 | 例 |", "|---|---|---|"]
    lines += [f"| {_cell(lv.name)} | {_cell(lv.description)} | {_cell(lv.example)} |" for lv in rules.levels]
    lines += ["", f"例：`{example}`"]
    if rules.unc_root:
        root = rules.folder_pattern.split("/", 1)[0]
        windows = rules.unc_root + "\\" + example[len(root) + 1:].rstrip("/").replace("/", "\\")
        lines[-1] += f"（エクスプローラーでは `{windows}`）"
    lines.append("")
    lines += [f"- {note}" for note in rules.folder_notes]
    return lines


def _guide_naming(rules: NamingRules) -> list[str]:
    lines = ["```", rules.pattern, "```", "", f"例：`{rules.example}`", ""]
    lines += _rule_bullets(rules, "naming")
    lines += ["", "保存できる拡張子：" + "、".join(rules.allowed_extensions)]
    if rules.blocked_extensions:
        lines.append("")
        lines.append("保存できない拡張子：" + "、".join(rules.blocked_extensions))
    return lines


def _guide_characters(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "characters")
    if rules.machine_dependent_examples:
        lines += ["", f"機種依存文字の例：{rules.machine_dependent_examples}"]
    lines += ["", "使える記号：" + "".join(f"「{c}」" for c in rules.allowed_symbols)]
    return lines


def _guide_length(rules: NamingRules) -> list[str]:
    return _rule_bullets(rules, "length")


def _guide_version(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "version")
    lines += ["", "付けない言葉："]
    for group in rules.status_words:
        lines.append(f"- {rules.rule('status_words').messages[group.message].format(words='」「'.join(group.words))}")
    return lines


def _guide_date(rules: NamingRules) -> list[str]:
    lines = _rule_bullets(rules, "date")
    eras = "、".join(f"{e.name}（{e.letter}）は{e.start.year}年{e.start.month}月{e.start.day}日から" for e in rules.eras)
    if eras:
        lines += ["", f"和暦から直すときの元号：{eras}。"]
    return lines


def _guide_retention(rules: NamingRules) -> list[str]:
    lines = ["| 保存年限 | 主な文書の例 | 標準と違うときのフォルダ名 |", "|---|---|---|"]
    for retention in rules.retention:
        lines.append(f"| {_cell(retention.label)} | {_cell('、'.join(retention.examples))} | "
                     f"{_cell(rules.folder_marker.format(label=retention.label))} |")
    lines.append("")
    lines += [f"- {note}" for note in rules.retention_notes]
    return lines


def _guide_categories(rules: NamingRules) -> list[str]:
    lines = ["| フォルダ | 入れるもの | 主な言葉 | 標準の保存年限 |", "|---|---|---|---|"]
    for category in rules.categories:
        lines.append(f"| {_cell(category.folder)} | {_cell(category.description)} | "
                     f"{_cell('、'.join(category.keywords))} | {_cell(rules.retention_class(category.retention).label)} |")
    return lines


def _guide_examples(rules: NamingRules) -> list[str]:
    lines = ["| ファイル名 | 判定 | 直した例 |", "|---|---|---|"]
    for example in rules.examples:
        check = check_file_name(example, rules, today=rules.updated)
        if check.valid:
            verdict, fixed = "ルールに合っています", "（そのままでよい）"
        else:
            verdict = "直す点：" + "、".join(rules.rule(v.rule).title for v in check.violations)
            fixed = f"`{check.suggestion}`" if check.suggestion else "（自動では直せません）"
        lines.append(f"| `{_cell(example)}` | {_cell(verdict)} | {_cell(fixed)} |")
    lines += ["", f"日付のない名前を直した例では、今日の日付（ここでは{rules.updated.year}年{rules.updated.month}月"
                  f"{rules.updated.day}日）を入れています。"]
    return lines
