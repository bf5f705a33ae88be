"""A throwaway PostgreSQL cluster for tests and benchmarks: the real server, not a stand-in.

``PostgresCluster.start()`` runs ``initdb`` into a fresh temporary directory and starts ``postgres``
on a Unix socket in that directory (no TCP port: nothing else on the machine can reach it, and
parallel runs never collide). Durability is switched off (fsync, full_page_writes,
synchronous_commit): the cluster is deleted when the run ends. ``create_database()`` returns a
``postgresql://`` URL to a fresh empty database; ``stop()`` stops the server and removes the
directory, and is safe to call twice.

PostgreSQL refuses to run as root. When the tests run as root (CI containers, this machine),
``initdb`` and ``postgres`` run as an unprivileged user (Debian's ``postgres``, else ``nobody``)
that owns the temporary directory; the superuser role is always ``postgres`` with trust
authentication on the socket, so clients connect the same way whichever user started it.

The binaries come from ``pg_config --bindir``, else the newest ``/usr/lib/postgresql/*/bin``
(Debian's layout), else ``PATH``. ``find_binaries()`` returns None when there are none, and the
test fixtures skip (or fail, under ``MADOGUCHI_REQUIRE_POSTGRES=1``) with the reason.
"""
from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
REQUIRED = ("initdb", "pg_ctl", "postgres")
# Throwaway: no crash safety, little memory, room for two hosts' pools plus the tests' own connections.
SERVER_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "shared_buffers": "64MB",
    "max_connections": "200",
    "max_wal_size": "1GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
    "log_statement": "none",
}
NOT_FOUND = ("PostgreSQL server binaries not found (looked at `pg_config --bindir`, /usr/lib/postgresql/*/bin "
             "and PATH for initdb, pg_ctl and postgres); install Debian's `postgresql` package to run these tests")


def find_binaries() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.TimeoutExpired):
            pass

    def version(path: Path) -> tuple:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)

    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for directory in candidates:
        if all(os.access(directory / name, os.X_OK) for name in REQUIRED):
            return directory
    return None


def missing() -> str | None:
    """Why a cluster cannot be started here (None when it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if find_binaries() is None:
        return NOT_FOUND
    return None


def skip_unless_available(environ=os.environ):
    """Skip the calling test when a cluster cannot be started here; fail it instead when the
    environment requires PostgreSQL (``MADOGUCHI_REQUIRE_POSTGRES=1``, set by .ci/run)."""
    import pytest

    reason = missing()
    if reason is None:
        return
    if environ.get("MADOGUCHI_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"MADOGUCHI_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def unprivileged_user() -> pwd.struct_passwd | None:
    """The account to run the server as: None when we are not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a `postgres` nor a `nobody` account exists to run PostgreSQL")


class PostgresCluster:
    def __init__(self, bindir: Path | None = None, settings: dict | None = None):
        self.bindir = bindir or find_binaries()
        if self.bindir is None:
            raise FileNotFoundError(NOT_FOUND)
        self.settings = {**SERVER_SETTINGS, **(settings or {})}
        self.user = unprivileged_user()
        self.root: Path | None = None
        self._lock = threading.Lock()
        self._databases = 0
        self._free: list[str] = []
        self._running = False

    # --- paths ----------------------------------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    # --- lifecycle ------------------------------------------------------------------------------
    def _run(self, name: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "TZ": "UTC"}
        result = subprocess.run([str(self.bindir / name), *args], cwd=self.root, env=env, capture_output=True,
                                text=True, timeout=timeout, **kwargs)
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-4000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{name} failed ({result.returncode}):\n{result.stdout}{result.stderr}{log}")
        return result

    def start(self) -> "PostgresCluster":
        # Under /tmp (world-traversable), not pytest's 0700 base: the server's user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="madoguchi-pg-"))
        try:
            self.socket_dir.mkdir()
            self.log_file.touch()
            if self.user is not None:
                for path in (self.root, self.socket_dir, self.log_file):
                    os.chown(path, self.user.pw_uid, self.user.pw_gid)
            self._run("initdb", "--pgdata", str(self.data), "--username", SUPERUSER, "--auth", "trust",
                      "--encoding", "UTF8", "--locale", "C", "--no-sync")
            options = [f"-c {key}={value}" for key, value in self.settings.items()]
            options.append(f"-k {self.socket_dir}")
            self._run("pg_ctl", "start", "--pgdata", str(self.data), "--wait", "--timeout", "60",
                      "--log", str(self.log_file), "--options", " ".join(options))
            self._running = True
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Stop the server (immediate: nothing to keep) and delete its directory."""
        if self.root is None:
            return
        try:
            if self._running or (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "immediate", "--wait",
                          "--timeout", "60")
        finally:
            self._running = False
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> "PostgresCluster":
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- databases ------------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        """A libpq URL (Unix socket given as the ``host`` parameter) for ``database``."""
        return f"postgresql://{SUPERUSER}@/{quote(database)}?host={quote(str(self.socket_dir), safe='/')}"

    def execute(self, sql: str):
        """Run one statement in autocommit mode on the maintenance database."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self, prefix: str = "test") -> tuple[str, str]:
        """A fresh empty database: ``(name, url)``. Really new (``CREATE DATABASE``, ~0.1-0.2 s)."""
        with self._lock:
            self._databases += 1
            name = f"{prefix}_{os.getpid()}_{self._databases}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name, self.url(name)

    def drop_database(self, name: str):
        """Drop ``name``, disconnecting whatever is still connected (a leaked pool must not fail teardown)."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take_database(self) -> tuple[str, str]:
        """An empty database for one test: a recycled one when ``give_back`` left one, else a new one.
        Recycling (a few ms) instead of creating (0.1-0.2 s each) keeps hundreds of tests cheap."""
        with self._lock:
            recycled = self._free.pop() if self._free else None
        if recycled is not None:
            return recycled, self.url(recycled)
        return self.create_database()

    def give_back(self, name: str):
        """Empty ``name`` and keep it for the next ``take_database``: disconnect every session still on it
        (leaked pools, a server that was killed), drop every schema it has and recreate an empty
        ``public`` as ``initdb`` makes it. Dropped instead when anything else was left behind that a
        schema drop does not remove (event triggers, publications, database-level settings)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
            settings = connection.execute("SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d "
                                          "ON d.oid = s.setdatabase WHERE d.datname = %s", [name]).fetchone()[0]
        with psycopg.connect(self.url(name), autocommit=True) as connection:
            leftovers = connection.execute(
                "SELECT (SELECT count(*) FROM pg_event_trigger) + (SELECT count(*) FROM pg_publication)"
                " + (SELECT count(*) FROM pg_largeobject_metadata)").fetchone()[0]
            if settings or leftovers:
                recyclable = False
            else:
                schemas = [row[0] for row in connection.execute(
                    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                    "AND nspname <> 'information_schema'").fetchall()]
                with connection.transaction():
                    for schema in schemas:
                        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
                    connection.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
                    connection.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
                recyclable = True
        if not recyclable:
            self.drop_database(name)
            return
        with self._lock:
            self._free.append(name)
