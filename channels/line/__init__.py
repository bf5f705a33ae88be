"""LINE for citizens: ``POST /callback/line`` (line-bot-sdk v3, async client)."""
from __future__ import annotations

from indexing.settings import Settings

#: What the webhook needs, by environment variable (named in the 503 when missing).
REQUIRED_VARIABLES = ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")


def missing_variables(settings: Settings) -> list[str]:
    values = {"LINE_CHANNEL_SECRET": settings.line_channel_secret,
              "LINE_CHANNEL_ACCESS_TOKEN": settings.line_channel_access_token}
    return [name for name in REQUIRED_VARIABLES if not values[name]]
