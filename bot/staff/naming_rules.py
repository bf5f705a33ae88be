"""The naming rules' command line: render the guide, check a name, find a folder (the same functions)::

    python -m bot.staff.naming_rules render > knowledge/guides/staff/shared-folder-rules.md
    python -m bot.staff.naming_rules check "令和6年4月1日 予算資料.xlsx" --json
    python -m bot.staff.naming_rules where "議会答弁の資料はどこに保存する?"
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.staff.chat import format_check_reply, format_folder_reply
from bot.staff.file_names import check_file_name
from bot.staff.folders import find_folder
from bot.staff.guide import render_guide_markdown
from bot.staff.rules import DEFAULT_RULES_PATH, NamingRulesError, load_naming_rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff.naming_rules",
                                     description="Shared-folder rules: render the guide, check a name, find a folder.")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="print the staff guide (Markdown) generated from the rules")
    render.add_argument("rules", nargs="?", default=str(DEFAULT_RULES_PATH))
    render.add_argument("--out", help="write to this file instead of stdout")
    check = sub.add_parser("check", help="check a file name")
    check.add_argument("name")
    check.add_argument("--rules", default=str(DEFAULT_RULES_PATH))
    check.add_argument("--today", help="YYYY-MM-DD used when the name has no date (default: today)")
    check.add_argument("--folder", help="folder the file is saved in (checks the path length)")
    check.add_argument("--json", action="store_true")
    where = sub.add_parser("where", help="find the folder for a question")
    where.add_argument("question")
    where.add_argument("--rules", default=str(DEFAULT_RULES_PATH))
    where.add_argument("--department")
    where.add_argument("--fiscal-year", type=int)
    where.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    try:
        rules = load_naming_rules(args.rules)
        if args.command == "render":
            guide = render_guide_markdown(rules)
            if args.out:
                Path(args.out).write_text(guide, encoding="utf-8")
            else:
                sys.stdout.write(guide)
            return 0
        if args.command == "check":
            today = date.fromisoformat(args.today) if args.today else None
            result = check_file_name(args.name, rules, today=today, folder=args.folder)
            print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json
                  else format_check_reply(result, rules))
            return 0
        answer = find_folder(args.question, rules, args.department, args.fiscal_year)
        if args.json:
            print(json.dumps(answer.to_dict() if answer else None, ensure_ascii=False, indent=2))
        else:
            print(format_folder_reply(answer, rules) if answer else "該当する業務分類が見つかりませんでした。")
        return 0
    except (NamingRulesError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
