"""``madoguchi report``: inquiry volume, answer and resolution rates, minutes saved.

    madoguchi [--data-dir DIR] report [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                      [--format html|csv|json] [--out PATH]

A thin layer over ``bot.insights.report.build_report`` and its renderers. Without --format the
format follows the --out suffix (.html, .csv, .json), else HTML. Without --out the report
goes to stdout. The ledger configuration is $MADOGUCHI_LEDGER_CONFIG, else
<data dir>/ledger.toml, over the defaults in bot/insights/ledger_defaults.toml.
Exit status 2 with one line for a bad date, a bad ledger config or a missing data dir; an
empty period is not an error (the report says it is empty).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from channels.commands.base import EXIT_BAD_INPUT

FORMATS = ("html", "csv", "json")


def register(commands) -> None:
    p = commands.add_parser("report", help="inquiry and time-saved report (HTML, CSV or JSON)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help="first day, inclusive (default: day of the first logged inquiry)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help="last day, inclusive (default: day of the last logged inquiry)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from --out's suffix, else html)")
    p.add_argument("--out", metavar="PATH", help="write to this file instead of stdout")
    p.set_defaults(handler=command_report)


def _bad_input(message: str) -> int:
    """One line on stderr and exit status 2, as the CLI contract says.

    Printed here rather than raised as UsageError: a report error may span lines (a ledger
    file's TOML error), and the contract wants exactly one.
    """
    print(f"madoguchi: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT


@contextmanager
def ticket_reader(data_dir):
    """The data dir's ticket rows for the report (None before anything was stored)."""
    from bot.handoff.store import TicketStore
    from indexing.storage import database_exists

    if not database_exists(data_dir):
        yield None
        return
    store = TicketStore(data_dir)
    try:
        yield store.rows
    finally:
        store.close()


def _format(args) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    return {"htm": "html"}.get(suffix, suffix) if suffix in FORMATS + ("htm",) else "html"


def command_report(args) -> int:
    from bot.insights.ledger import LedgerConfigError, ledger_config_for
    from bot.insights.report import ReportError, build_report, parse_report_date
    from bot.insights.report_render import render_csv, render_html, render_json
    from channels.commands.base import settings_from_args

    settings = settings_from_args(args)
    try:
        date_from = parse_report_date(args.date_from, "--from")
        date_to = parse_report_date(args.date_to, "--to")
        if not settings.data_dir.is_dir():
            raise ReportError(f"data dir {settings.data_dir} not found")
        config = ledger_config_for(settings)
        with ticket_reader(settings.data_dir) as tickets:
            report = build_report(settings.data_dir, date_from, date_to, config, tickets=tickets)
    except (ReportError, LedgerConfigError) as exc:
        return _bad_input(str(exc))
    fmt = _format(args)
    if fmt == "html":
        text = render_html(report)
    elif fmt == "csv":
        text = render_csv(report, bom=bool(args.out))  # the BOM lets Excel read Japanese; not on a pipe
    else:
        text = render_json(report)
    if args.out:
        out = Path(args.out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            return _bad_input(f"{out}: cannot write ({exc.strerror or exc})")
        print(f"report {report.period['from']}..{report.period['to']}: {report.total_inquiries} inquiries, "
              f"{report.minutes_saved:g} minutes saved -> {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0
