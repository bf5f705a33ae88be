"""``madoguchi serve [--host H] [--port P]``: LINE, Slack, the web chat and /healthz in one server.

Settings come from the environment (see indexing/settings.py); ``--data-dir`` overrides
MADOGUCHI_DATA_DIR. For several worker processes use the Procfile's uvicorn line
(``--workers $WEB_CONCURRENCY``); this command runs one.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
EXIT_BAD_INPUT = 2
# Third-party clients log request bodies (user ids, message text) at DEBUG: never below INFO.
QUIET_LOGGERS = ("slack_sdk", "slack_bolt", "linebot", "aiohttp", "urllib3")


def port_number(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 65535, not {value!r}")
    return int(value)


def register(commands) -> None:
    p = commands.add_parser("serve", help="run the LINE/Slack webhooks and the web chat")
    p.add_argument("--host", default=None, help=f"address to bind (default {DEFAULT_HOST})")
    p.add_argument("--port", type=port_number, default=None,
                   help=f"port (default $PORT, else {DEFAULT_PORT}; 0 picks a free port)")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    p.set_defaults(handler=command_serve)


def command_serve(args) -> int:
    import uvicorn

    from indexing.settings import Settings
    from channels.app import create_app
    from channels.runtime import ConfigurationError

    try:
        port = args.port if args.port is not None else port_number(os.environ.get("PORT") or str(DEFAULT_PORT))
    except argparse.ArgumentTypeError as exc:
        return _bad_input(f"PORT {exc}")
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))
    try:
        app = create_app(Settings.from_env(data_dir=args.data_dir))
    except ConfigurationError as exc:
        return _bad_input(str(exc))
    uvicorn.run(app, host=args.host or DEFAULT_HOST, port=port, log_level=args.log_level,
                proxy_headers=True, server_header=False)
    return 0


def _bad_input(message: str) -> int:
    print(f"madoguchi: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
