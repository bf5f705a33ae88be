"""DX-office accounts, server-side sessions and login throttling (stored by ``indexing.storage.accounts``).

Passwords are hashed with scrypt (stdlib ``hashlib.scrypt``) and a per-user random salt,
and compared in constant time. A session is a random token whose SHA-256 is stored
server-side, so logging out (or removing a user) really ends it, and a copy of the
database does not hold live session tokens. Each session carries its own CSRF token.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import math
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from indexing.storage.accounts import AccountTables

log = logging.getLogger(__name__)

ROLES = ("editor", "viewer")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
SESSION_IDLE = timedelta(hours=2)
SESSION_MAX = timedelta(hours=12)
# Login throttling slows guessing without locking the owner out. Failures are counted over
# FAILURE_WINDOW per (account, client) pair, per client and per account:
# * after FREE_FAILURES for a pair, that client waits 2, 4, 8 ... seconds (at most MAX_DELAY)
#   before its next try at that account; other clients are not slowed;
# * a client failing on many accounts is slowed the same way after CLIENT_FREE_FAILURES;
# * past ACCOUNT_CEILING failures on one account (a distributed attack) only clients that have
#   not failed on it may still try, so the owner's own browser keeps working.
FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES = 3
CLIENT_FREE_FAILURES = 20
MAX_DELAY_SECONDS = 300
ACCOUNT_CEILING = 200
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}$")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class AccountError(ValueError):
    """A bad user name, role or password (message is shown to the operator)."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Compared against when the account does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"password must be at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError("password is too long")


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: str


class AccountStore:
    def __init__(self, data_dir: str | Path):
        self.tables = AccountTables(data_dir)
        self._lock = threading.Lock()

    @property
    def db(self):
        """The storage ``Database`` (for inspection in tests and tools)."""
        return self.tables.db

    # --- users ----------------------------------------------------------------------------------
    def create_user(self, name: str, password: str, role: str) -> User:
        if not _NAME.match(name or ""):
            raise AccountError("user name must be 1-64 characters: letters, digits, _ . @ -")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        check_new_password(password)
        with self._lock:
            if not self.tables.insert_user(name, role, hash_password(password), _iso(_now())):
                raise AccountError(f"user {name} already exists (use set-password to change the password)")
        return User(name, role)

    def set_password(self, name: str, password: str) -> None:
        check_new_password(password)
        if self.user(name) is None:
            raise AccountError(f"no user {name}")
        self.tables.set_password_hash(name, hash_password(password), _iso(_now()))
        self.end_sessions_of(name)  # a password change logs the user out everywhere

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if self.user(name) is None:
            raise AccountError(f"no user {name}")
        self.tables.set_role(name, role, _iso(_now()))

    def remove_user(self, name: str) -> bool:
        self.end_sessions_of(name)
        return self.tables.delete_user(name)

    def user(self, name: str) -> User | None:
        row = self.tables.user(name)
        return User(row["name"], row["role"]) if row else None

    def users(self) -> list[User]:
        return [User(r["name"], r["role"]) for r in self.tables.users()]

    def authenticate(self, name: str, password: str) -> User | None:
        row = self.tables.user(name)
        stored = row["password_hash"] if row else _DUMMY_HASH
        ok = verify_password(password or "", stored)
        return User(row["name"], row["role"]) if ok and row else None

    # --- sessions -------------------------------------------------------------------------------
    @staticmethod
    def _token_hash(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def start_session(self, user: User) -> str:
        """A new session token for ``user`` (a fresh one at every login: no session fixation)."""
        token = secrets.token_urlsafe(32)
        now = _now()
        self.tables.insert_session(self._token_hash(token), user.name, secrets.token_urlsafe(32), _iso(now),
                                   _iso(now + SESSION_MAX))
        return token

    def session(self, token: str) -> Session | None:
        """The live session of ``token`` (None when unknown, expired, idle too long or its user is gone)."""
        if not token:
            return None
        key = self._token_hash(token)
        row = self.tables.session(key)
        if row is None:
            return None
        now = _now()
        if row["expires_at"] < _iso(now) or row["last_seen"] < _iso(now - SESSION_IDLE):
            self.tables.delete_session(key)
            return None
        if row["last_seen"] < _iso(now - timedelta(minutes=1)):
            self.tables.touch_session(key, _iso(now))
        return Session(User(row["user"], row["role"]), row["csrf_token"], row["expires_at"])

    def end_session(self, token: str) -> None:
        if token:
            self.tables.delete_session(self._token_hash(token))

    def end_sessions_of(self, name: str) -> None:
        self.tables.delete_sessions_of(name)

    # --- login throttling and audit -----------------------------------------------------------------
    def login_wait(self, name: str, address: str) -> int:
        """Seconds this client must wait before trying ``name`` again (0: it may try now)."""
        now = _now()
        since = _iso(now - FAILURE_WINDOW)

        def failures(key: str) -> tuple[int, datetime | None]:
            count, last = self.tables.failures(key, since)
            return count, (datetime.fromisoformat(last) if last else None)

        def backoff(count: int, free: int, last: datetime | None) -> float:
            if count < free or last is None:
                return 0.0
            delay = min(MAX_DELAY_SECONDS, 2 ** (count - free + 1))
            return (last + timedelta(seconds=delay) - now).total_seconds()

        pair_count, pair_last = failures(_pair_key(name, address))
        client_count, client_last = failures(f"addr:{address}")
        wait = max(backoff(pair_count, FREE_FAILURES, pair_last),
                   backoff(client_count, CLIENT_FREE_FAILURES, client_last))
        if pair_count:
            account_count, _ = failures(f"name:{_name_token(name)}")
            if account_count >= ACCOUNT_CEILING:
                wait = max(wait, (pair_last + FAILURE_WINDOW - now).total_seconds())
        return max(0, math.ceil(wait))

    def record_login_failure(self, name: str, address: str) -> None:
        now = _now()
        self.tables.record_failures([f"name:{_name_token(name)}", f"addr:{address}", _pair_key(name, address)],
                                    _iso(now), _iso(now - FAILURE_WINDOW))

    def clear_login_failures(self, name: str, address: str) -> None:
        """After a successful login: this client's failures on this account are forgiven."""
        self.tables.clear_failures(_pair_key(name, address))

    def audit_login(self, name: str, address: str, outcome: str) -> dict:
        """Record one login attempt (``ok``, ``failed`` or ``throttled``) and return the row."""
        account = name if self.user(name) is not None else "(unknown)"
        row = {"at": _iso(_now()), "account": account, "client": masked_address(address), "outcome": outcome}
        self.tables.audit(row)
        log.log(logging.INFO if outcome == "ok" else logging.WARNING, "admin login %s: account %s from %s",
                outcome, account, row["client"])
        return row

    def login_audit(self, limit: int = 100) -> list[dict]:
        return self.tables.login_audit(limit)


def _name_token(name: str) -> str:
    """Failures are keyed by a hash of the typed name: it may be a password typed in the wrong field."""
    return hashlib.sha256(name.lower().encode("utf-8", "replace")).hexdigest()[:24]


def _pair_key(name: str, address: str) -> str:
    return f"pair:{_name_token(name)}|{address}"


def masked_address(address: str) -> str:
    """203.0.113.7 → 203.0.113.x; IPv6 keeps its first 48 bits (the site), the rest masked."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    return str(ipaddress.ip_network(f"{ip}/48", strict=False).network_address).rstrip(":") + "::x"
