"""Shared fixtures: a small knowledge base imported once per test session, and a throwaway PostgreSQL."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory) -> Path:
    """A private copy of the fixture knowledge base (tests may edit it)."""
    target = tmp_path_factory.mktemp("knowledge") / "knowledge"
    shutil.copytree(FIXTURES / "knowledge", target)
    return target


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory, knowledge_dir) -> Path:
    """A data dir with the fixture knowledge imported (read-only for tests)."""
    from indexing.importer import import_paths

    target = tmp_path_factory.mktemp("data")
    import_paths([knowledge_dir], target)
    return target


@pytest.fixture(scope="session")
def bot(data_dir):
    from bot.service import Bot

    return Bot(data_dir)


@pytest.fixture
def fresh_data_dir(tmp_path, data_dir) -> Path:
    """A writable copy of the imported data dir, for tests that change knowledge or the log."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target)
    return target


@pytest.fixture(scope="module")
def module_data_dir(tmp_path_factory, data_dir) -> Path:
    """A writable copy of the imported data dir shared by one test module (its server's log)."""
    target = tmp_path_factory.mktemp("module") / "data"
    shutil.copytree(data_dir, target)
    return target


@pytest.fixture
def client(server):
    """An HTTP client for the module's ``server`` fixture."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


# --- PostgreSQL ---------------------------------------------------------------------------------
# One throwaway cluster per test session (tests/fakes/postgres.py), a fresh database per test.
# Without PostgreSQL binaries (or psycopg) these tests skip with the reason; CI sets
# MADOGUCHI_REQUIRE_POSTGRES=1 (.ci/run), which turns the skip into a failure.

_POSTGRES_SKIPPED: list = []


def pytest_terminal_summary(terminalreporter):
    """Say once, at the end, why the PostgreSQL tests were skipped (pytest -q hides skip reasons)."""
    reasons = [reason for reason in _POSTGRES_SKIPPED if reason]
    if reasons and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(f"PostgreSQL tests skipped: {reasons[0]}", yellow=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A running throwaway PostgreSQL cluster (Unix socket only), stopped at the end of the session."""
    from fakes.postgres import PostgresCluster, missing, skip_unless_available

    _POSTGRES_SKIPPED.append(missing())
    skip_unless_available()
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster):
    """A ``postgresql://`` URL to an empty database of this test's own, emptied again afterwards and
    recycled for a later test (see ``PostgresCluster.give_back``)."""
    name, url = postgres_cluster.take_database()
    try:
        yield url
    finally:
        postgres_cluster.give_back(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """Run a test on both backends: None (SQLite in the data dir, MADOGUCHI_DATABASE_URL unset), then a
    fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield None
    else:
        yield request.getfixturevalue("postgres_url")


# --- both storage backends ----------------------------------------------------------------------
# The storage and channel tests run once on SQLite (the data dir's file, as on one host) and once on
# PostgreSQL: the data dir is then bound to a database of its own (indexing.storage.bind_database),
# the knowledge copied into it and the SQLite file removed, so every owner really goes to the server.
BACKENDS = ["sqlite", "postgresql"]


def _on_backend(request, source: Path, target: Path, backend: str, cluster_databases: list):
    from indexing.storage import bind_database, storage_for
    from indexing.storage.transfer import copy_database

    if source is None:
        target.mkdir(parents=True)
    else:
        shutil.copytree(source, target)
    if backend == "sqlite":
        return
    cluster = request.getfixturevalue("postgres_cluster")
    name, url = cluster.take_database()
    cluster_databases.append((cluster, name, target))
    if source is not None:
        copy_database(storage_for(source, ""), storage_for(target, url))
        for suffix in ("", "-wal", "-shm"):
            (target / f"madoguchi.db{suffix}").unlink(missing_ok=True)
    bind_database(target, url)


def _release(cluster_databases: list):
    from indexing.storage import bind_database, storage_for

    for cluster, name, target in cluster_databases:
        storage_for(target).release()
        bind_database(target, "")
        cluster.give_back(name)


@pytest.fixture(params=BACKENDS)
def backend_data_dir(request, tmp_path, data_dir) -> Path:
    """``fresh_data_dir`` on each backend: the imported knowledge, writable, for one test."""
    databases = []
    _on_backend(request, data_dir, tmp_path / "data", request.param, databases)
    try:
        yield tmp_path / "data"
    finally:
        _release(databases)


@pytest.fixture(params=BACKENDS)
def empty_backend_data_dir(request, tmp_path) -> Path:
    """An empty data dir on each backend (nothing imported, nothing migrated yet)."""
    databases = []
    _on_backend(request, None, tmp_path / "empty", request.param, databases)
    try:
        yield tmp_path / "empty"
    finally:
        _release(databases)


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend_data_dir(request, tmp_path_factory, data_dir) -> Path:
    """``module_data_dir`` on each backend: one module's server runs twice, once per backend."""
    databases = []
    target = tmp_path_factory.mktemp("module") / "data"
    _on_backend(request, data_dir, target, request.param, databases)
    try:
        yield target
    finally:
        _release(databases)
