"""Django's SQLite backend with one cost taken out: rewriting placeholders on every execute.

Django's SQLite cursor turns a statement's `%s` placeholders into `?` with a regular
expression each time it runs (7 us for a learner's attempts statement, about what SQLite
takes to run it; bench/inprocess.py: a learner's topic page 20 us faster). A process runs the
same few hundred statements over and over, so the rewritten text is kept per statement
(bounded: at most 1,024 statements of up to 4 KB). Everything else is Django's backend:
`connection.vendor` is still "sqlite", settings and migrations are unchanged.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.backends.sqlite3 import base

KEEP_UP_TO = 4096  # characters; longer statements (long IN lists) are rewritten each time


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names=None) -> str:
        if param_names is None and len(query) <= KEEP_UP_TO:
            return qmark(query)
        return super().convert_query(query, param_names=param_names)


@lru_cache(maxsize=1024)
def qmark(query: str) -> str:
    """`query` with `%s` as SQLite's `?` and `%%` as `%`, as Django's cursor rewrites it."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
