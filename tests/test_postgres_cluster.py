"""The throwaway PostgreSQL cluster the storage and channel tests run against (tests/fakes/postgres.py)."""
from __future__ import annotations

import pytest

from fakes import postgres


def test_a_test_database_takes_tables_and_rows(postgres_url):
    import psycopg

    with psycopg.connect(postgres_url) as connection:
        connection.execute("CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL)")
        connection.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ["粗大ごみ", "転入届"])
        connection.commit()
    with psycopg.connect(postgres_url) as connection:
        rows = connection.execute("SELECT body FROM notes ORDER BY id").fetchall()
        encoding = connection.execute("SHOW server_encoding").fetchone()[0]
    assert rows == [("粗大ごみ",), ("転入届",)] and encoding == "UTF8"


def test_each_test_gets_a_fresh_empty_database(postgres_cluster, postgres_url):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE leftovers (id int)")
    name, other = postgres_cluster.create_database()
    try:
        assert other != postgres_url
        with psycopg.connect(other) as connection:
            tables = connection.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'public'").fetchall()
        assert tables == []
    finally:
        postgres_cluster.drop_database(name)


def test_a_leaked_connection_does_not_block_dropping_the_database(postgres_cluster):
    import psycopg

    name, url = postgres_cluster.create_database()
    leaked = psycopg.connect(url)
    postgres_cluster.drop_database(name)
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as connection:
        left = connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name]).fetchone()[0]
    assert left == 0
    with pytest.raises(psycopg.OperationalError):
        leaked.execute("SELECT 1")
    leaked.close()


def test_a_recycled_database_is_empty_and_its_old_sessions_are_gone(postgres_cluster):
    import psycopg

    name, url = postgres_cluster.take_database()
    leaked = psycopg.connect(url, autocommit=True)
    leaked.execute("CREATE TABLE log (id bigserial PRIMARY KEY, body text)")
    leaked.execute("CREATE TYPE state AS ENUM ('new', 'done')")
    leaked.execute("CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    leaked.execute("CREATE SCHEMA extra")
    leaked.execute("CREATE TABLE extra.more (id int)")
    leaked.execute("INSERT INTO log (body) VALUES ('x')")
    postgres_cluster.give_back(name)
    with pytest.raises(psycopg.OperationalError):
        leaked.execute("SELECT 1")
    leaked.close()

    again, again_url = postgres_cluster.take_database()
    assert (again, again_url) == (name, url)
    try:
        with psycopg.connect(again_url, autocommit=True) as connection:
            objects = connection.execute(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' "
                "UNION ALL SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' "
                "UNION ALL SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'").fetchall()
            schemas = connection.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                                         "AND nspname <> 'information_schema'").fetchall()
            # The default search path still works: a new table lands in the recreated public schema.
            connection.execute("CREATE TABLE log (id bigserial PRIMARY KEY)")
            connection.execute("INSERT INTO log DEFAULT VALUES")
            first_id = connection.execute("SELECT id FROM public.log").fetchone()[0]
        assert objects == [] and schemas == [("public",)] and first_id == 1
    finally:
        postgres_cluster.give_back(again)


def test_a_database_with_settings_of_its_own_is_dropped_not_recycled(postgres_cluster):
    import psycopg

    name, _ = postgres_cluster.take_database()
    postgres_cluster.execute(f'ALTER DATABASE "{name}" SET statement_timeout = 1000')
    postgres_cluster.give_back(name)
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name]).fetchone()[0] == 0
    fresh, _ = postgres_cluster.take_database()
    assert fresh != name
    postgres_cluster.give_back(fresh)


def test_the_cluster_listens_on_its_socket_only_and_keeps_nothing(postgres_cluster):
    import psycopg

    with psycopg.connect(postgres_cluster.url()) as connection:
        settings = dict(connection.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('listen_addresses', 'fsync', 'synchronous_commit', 'full_page_writes', 'unix_socket_directories')"
        ).fetchall())
    assert settings == {"listen_addresses": "", "fsync": "off", "synchronous_commit": "off",
                        "full_page_writes": "off", "unix_socket_directories": str(postgres_cluster.socket_dir)}


def test_stop_shuts_the_server_down_and_removes_its_directory():
    import psycopg

    postgres.skip_unless_available()
    cluster = postgres.PostgresCluster().start()
    root, url = cluster.root, cluster.url()
    try:
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        cluster.stop()
    assert not root.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    cluster.stop()  # a second stop is harmless


def test_missing_postgres_skips_unless_the_environment_requires_it(monkeypatch):
    monkeypatch.setattr(postgres, "find_binaries", lambda: None)
    assert postgres.missing() == postgres.NOT_FOUND
    with pytest.raises(pytest.skip.Exception, match="binaries not found"):
        postgres.skip_unless_available({})
    with pytest.raises(pytest.fail.Exception, match="MADOGUCHI_REQUIRE_POSTGRES=1 but PostgreSQL server binaries"):
        postgres.skip_unless_available({"MADOGUCHI_REQUIRE_POSTGRES": "1"})
