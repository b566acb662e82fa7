"""config/sqlite_backend: Django's SQLite backend, placeholders rewritten once per statement."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangosCursor
from hypothesis import given
from hypothesis import strategies as st

from config.sqlite_backend import base

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite backend: SQLite databases only"
)


@given(st.text(alphabet="%s?a ", max_size=40))
def test_statements_are_rewritten_as_djangos_cursor_rewrites_them(query):
    assert base.qmark(query) == DjangosCursor.convert_query(None, query)


@pytest.mark.django_db
def test_queries_run_through_the_kept_rewrite_and_give_djangos_results():
    """A statement with placeholders and a literal percent sign, run twice: the same rows,
    rewritten once."""
    sql = "SELECT %s || '%%', %s + 1"
    base.qmark.cache_clear()
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)
        for _ in range(2):
            cursor.execute(sql, ["50", 41])
            assert cursor.fetchone() == ("50%", 42)
    assert base.qmark.cache_info().misses == 1
    assert base.qmark.cache_info().hits >= 1


@pytest.mark.django_db
def test_long_statements_are_rewritten_each_time_not_kept():
    ids = list(range(2000))  # an IN list longer than any statement worth keeping
    placeholders = ", ".join(["%s"] * len(ids))
    sql = "SELECT COUNT(*) FROM (SELECT 1 WHERE 1 IN (" + placeholders + "))"  # noqa: S608 - placeholders only
    base.qmark.cache_clear()
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        assert cursor.fetchone() == (1,)
    assert base.qmark.cache_info().currsize == 0
