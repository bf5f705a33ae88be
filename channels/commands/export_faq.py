"""``madoguchi export-faq [--out PATH]``: the citizen FAQ as municipal open-data CSV.

Columns: 全国地方公共団体コード, ID, 地方公共団体名, 問い合わせ文, 応答文, カテゴリ, then
所管課, URL, 更新日. Code and name come from MADOGUCHI_CITY_CODE / MADOGUCHI_CITY_NAME
(blank when unset). UTF-8 with BOM so that Excel opens it correctly. Only active FAQ
entries a citizen may see are written (staff-only entries never are).
"""
from __future__ import annotations

import sys

from channels.commands.base import UsageError, require_knowledge, settings_from_args


def register(commands) -> None:
    p = commands.add_parser("export-faq", help="write the citizen FAQ as open-data CSV")
    p.add_argument("--out", metavar="PATH", help="output file (default: standard output)")
    p.set_defaults(handler=command_export_faq)


def command_export_faq(args) -> int:
    from indexing.curation.open_data import citizen_faq_entries, open_data_csv
    from indexing.storage.knowledge import KnowledgeStore

    settings = settings_from_args(args)
    require_knowledge(settings)
    store = KnowledgeStore(settings.data_dir)
    code, name = settings.city_identity
    data = open_data_csv(store, code, name)
    count = len(citizen_faq_entries(store))
    if args.out:
        try:
            with open(args.out, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise UsageError(f"{args.out}: {exc.strerror}") from exc
        print(f"exported {count} FAQ entries to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
