"""What every command of the ``madoguchi`` CLI shares: the usage error, the settings, the bot.

The core commands (``channels.cli``) and the subcommands in this package both import from
here, so no command module imports the CLI that discovers it.
"""
from __future__ import annotations

from indexing.storage import database_exists, use_settings
from indexing.settings import Settings

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def settings_from_args(args) -> Settings:
    try:
        settings = Settings.from_env(data_dir=args.data_dir)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    use_settings(settings)  # this data dir's shared state lives where MADOGUCHI_DATABASE_URL says
    return settings


def require_knowledge(settings: Settings) -> None:
    """UsageError unless ``madoguchi import`` has filled the data dir."""
    if not database_exists(settings.data_dir):
        raise UsageError(f"no knowledge in {settings.data_dir}: run 'madoguchi import PATH' first")


def bot_from_args(args, with_log: bool = False):
    """The Bot of the data dir the arguments name (logging inquiries when ``with_log``)."""
    from bot.service import Bot

    settings = settings_from_args(args)
    require_knowledge(settings)
    return Bot.from_settings(settings, log_inquiries=with_log)
