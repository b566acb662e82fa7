"""SQLite as configured really runs in WAL mode and serialises concurrent writers."""

import threading

import pytest
from django.conf import settings
from django.db import connections, transaction

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "config.sqlite_backend",
    reason="SQLite settings only apply when DATABASE_URL is a SQLite database",
)

ALIAS = "sqlite-file"


def file_connection(path):
    """A new connection to a SQLite file, with the project's database settings."""
    default = connections["default"]
    return type(default)({**default.settings_dict, "NAME": str(path)}, alias=ALIAS)


@pytest.fixture
def database_file(tmp_path, django_db_blocker):
    path = tmp_path / "concurrency.sqlite3"
    with django_db_blocker.unblock():
        yield path


def test_settings_ask_for_immediate_transactions():
    """BEGIN IMMEDIATE takes the write lock up front, so read-then-write never deadlocks."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_fresh_connection_is_in_wal_mode_with_a_busy_timeout(database_file):
    """The pragmas from init_command apply to every new connection."""
    wrapper = file_connection(database_file)
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            timeout_ms = settings.DATABASES["default"]["OPTIONS"]["timeout"] * 1000
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == timeout_ms
    finally:
        wrapper.close()


def test_concurrent_writers_are_not_refused(database_file):
    """Eight threads doing read-then-write in atomic(): no "database is locked", no lost update."""
    setup = file_connection(database_file)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter (value) VALUES (0)")
    setup.close()

    threads, rounds = 8, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer() -> None:
        connections[ALIAS] = file_connection(database_file)
        try:
            start.wait()
            for _ in range(rounds):
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                    (value,) = cursor.execute("SELECT value FROM counter").fetchone()
                    cursor.execute("UPDATE counter SET value = %s", [value + 1])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    check = file_connection(database_file)
    with check.cursor() as cursor:
        assert cursor.execute("SELECT value FROM counter").fetchone()[0] == threads * rounds
    check.close()
