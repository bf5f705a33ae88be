"""Slack for staff: ``POST /slack/events`` (HTTP mode) or Socket Mode (slack-bolt AsyncApp)."""
from __future__ import annotations

from indexing.settings import Settings

#: HTTP mode needs both; Socket Mode needs SLACK_BOT_TOKEN, SLACK_APP_TOKEN and MADOGUCHI_SLACK_SOCKET_MODE=1.
HTTP_VARIABLES = ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN")


def missing_http_variables(settings: Settings) -> list[str]:
    values = {"SLACK_SIGNING_SECRET": settings.slack_signing_secret, "SLACK_BOT_TOKEN": settings.slack_bot_token}
    return [name for name in HTTP_VARIABLES if not values[name]]


def socket_mode_enabled(settings: Settings) -> bool:
    return bool(settings.slack_socket_mode and settings.slack_app_token and settings.slack_bot_token)


def enabled(settings: Settings) -> bool:
    return not missing_http_variables(settings) or socket_mode_enabled(settings)
