"""``madoguchi check-name NAME [--json] [--folder DIR]``: check a file name against the
shared-folder naming rules. Exit 0 when valid, 1 when not, 2 on bad usage."""
from __future__ import annotations

import json
import sys

EXIT_INVALID = 1


def register(commands):
    p = commands.add_parser("check-name", help="check a file name against the shared-folder naming rules")
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help='print {"valid", "violations", "suggestion"}')
    p.add_argument("--folder", help="folder the file is saved in (checks the whole path length too)")
    p.set_defaults(handler=command_check_name)


def command_check_name(args) -> int:
    from bot.staff.chat import format_check_reply
    from bot.staff.file_names import check_file_name
    from bot.staff.staff_rules import naming_rules_from_store
    from channels.commands.base import UsageError, settings_from_args
    from indexing.storage import database_exists
    from indexing.storage.knowledge import KnowledgeStore

    if not args.name.strip():
        raise UsageError("file name is empty")
    settings = settings_from_args(args)
    store = KnowledgeStore(settings.data_dir) if database_exists(settings.data_dir) else None
    rules = naming_rules_from_store(store)
    check = check_file_name(args.name, rules, folder=args.folder)
    if args.json:
        print(json.dumps(check.to_dict(), ensure_ascii=False))
    else:
        print(format_check_reply(check, rules))
    sys.stdout.flush()
    return 0 if check.valid else EXIT_INVALID
