"""``madoguchi`` command line: a thin layer over the bot and indexing functions.

Contract (other tools drive it; keep it stable)::

    madoguchi [--data-dir DIR] COMMAND
      import PATH... [--audience citizen|staff|all]
      ask "質問" [--audience citizen|staff] [--json] [--no-log]
      search [--audience citizen|staff] [--top K] [--json] (QUERY | --batch FILE.jsonl)

Exit status 0 on success, 2 with a one-line error on bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from channels.commands.base import EXIT_BAD_INPUT, UsageError, bot_from_args, settings_from_args
from indexing.entries import ENTRY_AUDIENCES, QUESTION_AUDIENCES

# Plain strings for argparse (its messages show the choices' repr).
ENTRY_AUDIENCE_CHOICES = tuple(a.value for a in ENTRY_AUDIENCES)
QUESTION_AUDIENCE_CHOICES = tuple(a.value for a in QUESTION_AUDIENCES)


EXIT_DATABASE_UNAVAILABLE = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"madoguchi: error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="madoguchi", description="Japanese-first city hall chat assistant.")
    parser.add_argument("--data-dir", help="data directory (default: $MADOGUCHI_DATA_DIR, else ./var)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("import", help="import knowledge files or folders (.csv .xlsx .md .txt .pdf)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--audience", choices=ENTRY_AUDIENCE_CHOICES,
                   help="audience of every imported entry (default: what each file declares)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--strict", action="store_true", help="fail on any bad row instead of skipping it")
    p.add_argument("--no-shipped-vectors", dest="shipped_vectors", action="store_false",
                   help="embed every new text, ignoring the vectors a folder ships in .vectors/")
    p.set_defaults(handler=command_import)

    p = commands.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--audience", choices=QUESTION_AUDIENCE_CHOICES, default="citizen")
    p.add_argument("--json", action="store_true", help="print the answer object as JSON")
    p.add_argument("--no-log", action="store_true", help="do not record this question in the inquiry log")
    p.set_defaults(handler=command_ask)

    p = commands.add_parser("search", help="ranked entries for a query or a batch of queries")
    p.add_argument("query", nargs="?")
    p.add_argument("--batch", metavar="FILE.jsonl", help='JSON lines {"id": ..., "text": ...}')
    p.add_argument("--audience", choices=QUESTION_AUDIENCE_CHOICES, default="citizen")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=command_search)

    from channels.commands import register_all
    register_all(commands)
    return parser


def command_import(args) -> int:
    from indexing.importer import import_paths

    settings = settings_from_args(args)
    say = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    report = import_paths(args.paths, settings.data_dir, audience=args.audience or "",
                          embedder_spec=settings.embedder, progress=say, strict=args.strict,
                          shipped_vectors=args.shipped_vectors)
    for problem in report.problems:
        print(f"madoguchi: warning: {'' if problem.kept else 'skipped '}{problem}", file=sys.stderr)
    print(f"imported into {settings.data_dir}: {report.summary()}")
    return 0


def _warn_if_empty(bot, args) -> None:
    """A data dir nothing was imported into answers every question with 「わかりません」: say why. So does one
    whose knowledge is all for the other audience (a town's citizen FAQ asked as staff)."""
    audiences = ("citizen", "staff")
    held = {audience: bool(bot.retriever.index(audience).entries) for audience in audiences}
    data_dir = settings_from_args(args).data_dir
    if not any(held.values()):
        print(f"madoguchi: warning: no knowledge in {data_dir} yet: run `madoguchi import PATH` first", file=sys.stderr)
    elif not held.get(args.audience, True):
        other = next(audience for audience in audiences if held[audience])
        print(f"madoguchi: warning: the knowledge in {data_dir} is for {other} questions only: nothing answers "
              f"{args.audience} questions (import with --audience all or {args.audience})", file=sys.stderr)


def command_ask(args) -> int:
    bot = bot_from_args(args, with_log=not args.no_log)
    _warn_if_empty(bot, args)
    answer = bot.ask(args.question, audience=args.audience, channel="cli", log=not args.no_log)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    for source in answer.sources:
        print(f"\n出典: {source.label()}" + (f"\n      {source.url}" if source.url else ""))
    if answer.related:
        print("\n関連する質問:")
        for related in answer.related:
            print(f"  - {related.question}")
    print(f"\n(信頼度 {answer.confidence:.2f}, {answer.latency_ms:.0f} ms)")
    return 0


def _read_batch(path: str) -> list[tuple[object, str]]:
    file = Path(path)
    if not file.exists():
        raise UsageError(f"{path}: file not found")
    queries = []
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UsageError(f"{path}:{line}: not UTF-8 (save the batch file as UTF-8)") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(item, dict):
            raise UsageError(f"{path}:{number}: expected an object with \"id\" and \"text\"")
        text = item.get("text", item.get("query", item.get("question")))
        if not isinstance(text, str):
            raise UsageError(f"{path}:{number}: missing \"text\" string")
        queries.append((item.get("id"), text))
    return queries


def command_search(args) -> int:
    if bool(args.query) == bool(args.batch):
        raise UsageError("give either a QUERY or --batch FILE.jsonl")
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    queries = _read_batch(args.batch) if args.batch else None
    bot = bot_from_args(args)
    _warn_if_empty(bot, args)
    if queries is None:
        hits = bot.search(args.query, audience=args.audience, top=args.top)
        if args.json:
            print(json.dumps({"id": None, "hits": [h.to_dict() for h in hits], "language": bot.language_of(args.query)},
                             ensure_ascii=False))
        else:
            for rank, hit in enumerate(hits, start=1):
                d = hit.to_dict()
                print(f"{rank:2d}. {d['score']:.3f}  [{d['kind']}] {d['id']}  {d['title']}")
        return 0
    out = sys.stdout
    for query_id, text in queries:
        hits = bot.search(text, audience=args.audience, top=args.top)
        out.write(json.dumps({"id": query_id, "hits": [h.to_dict() for h in hits], "language": bot.language_of(text)},
                             ensure_ascii=False) + "\n")
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    from indexing.loaders import KnowledgeFileError
    from indexing.storage import DATABASE_ERRORS

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except (UsageError, KnowledgeFileError) as exc:
        message = str(exc).replace("\n", " ")
        extra = getattr(exc, "problems", None)
        if extra:
            message += f" (+{len(extra)} more: " + "; ".join(f"line {l}: {m}" for l, m in extra[:5]) + ")"
        if isinstance(exc, KnowledgeFileError) and getattr(args, "handler", None) is command_import:
            # A folder's other files wait too: say so, or a new user thinks they are in.
            message += " — nothing was imported from any file (an import is all or nothing; fix this file or leave it out)"
        print(f"madoguchi: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except DATABASE_ERRORS as exc:
        # A database server that cannot be reached (or refuses us): one line, no traceback, no URL.
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"madoguchi: error: database unavailable: {detail}", file=sys.stderr)
        return EXIT_DATABASE_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
