"""The queries a learner's every page view runs, as SQL written once, not built per view.

Building these QuerySets cost more than running them: about 0.3 ms of Python each against
well under 0.1 ms in the database (profiled on the topic page, docs/benchmarks.md), on every
view of every learner. So their SQL is written here from the models' own table and column
names, in the form the ORM would build, and tests hold each to its ORM twin on both engines
(tests/quizzes/test_page_queries.py). Everything else stays in the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache

from django.db import connection
from django.utils.dateparse import parse_datetime

from quizzes.models import Attempt, ReviewCard

# One row per pick of each attempt (an attempt with no pick: one row, choice None).
AttemptRow = tuple[int, int, bool, bool, datetime, bool, int | None]


def _names(model) -> tuple[str, dict[str, str]]:
    quote = connection.ops.quote_name
    columns = {f.name: quote(f.column) for f in model._meta.concrete_fields}
    return quote(model._meta.db_table), columns


@cache
def _attempts_sql(vendor: str, questions: int) -> str:
    """The due count, then the attempts at the questions with their picks (a row with no
    attempt when there are none, so the count always comes back)."""
    table, c = _names(Attempt)
    picks, p = _names(Attempt.choices.through)
    placeholders = ", ".join(["%s"] * questions)
    return (
        f"SELECT d.n, a.{c['id']}, a.{c['question']}, a.{c['is_correct']}, a.{c['is_first']}, "  # noqa: S608 - names from our models
        f"a.{c['created_at']}, a.{c['revealed_at']} IS NOT NULL, p.{p['choice']} "
        f"FROM ({_due_sql(vendor)}) d "
        f"LEFT OUTER JOIN {table} a "
        f"ON a.{c['learner']} = %s AND a.{c['question']} IN ({placeholders}) "
        f"LEFT OUTER JOIN {picks} p ON p.{p['attempt']} = a.{c['id']} "
        f"ORDER BY a.{c['created_at']}, a.{c['id']}"
    )


def attempt_rows(
    learner_id: int, question_ids: Sequence[int], now: datetime
) -> tuple[list[AttemptRow], int]:
    """The learner's attempts at these questions, oldest first, one row per pick:
    (pk, question_id, is_correct, is_first, created_at, revealed, choice_id); and how many of
    their cards are due at `now` (the header's count), in the same round trip."""
    if not question_ids:
        return [], due_count(learner_id, now)
    params = [learner_id, connection.ops.adapt_datetimefield_value(now), learner_id]
    with connection.cursor() as cursor:
        cursor.execute(
            _attempts_sql(connection.vendor, len(question_ids)), [*params, *question_ids]
        )
        rows = cursor.fetchall()
    due = rows[0][0] if rows else 0
    return [
        (pk, question, bool(right), bool(first), _aware(at), bool(revealed), choice)
        for _, pk, question, right, first, at, revealed, choice in rows
        if pk is not None
    ], due


@cache
def _due_sql(vendor: str, *, first: bool = False) -> str:
    """The learner's live cards due at a time: their count, or (`first`) the longest overdue
    card's question with the count."""
    table, c = _names(ReviewCard)
    due = f"FROM {table} WHERE {c['learner']} = %s AND {c['is_active']} AND {c['due']} <= %s"
    if not first:
        return f"SELECT COUNT(*) AS n {due}"
    return f"SELECT {c['question']}, COUNT(*) OVER () {due} ORDER BY {c['due']}, {c['id']} LIMIT 1"


def due_count(learner_id: int, now: datetime) -> int:
    """How many of the learner's live cards are due at `now` (the card_due index)."""
    return _due_cards(_due_sql(connection.vendor), learner_id, now)[0]


def next_due(learner_id: int, now: datetime) -> tuple[int, int] | None:
    """The learner's longest-overdue live card's question and how many are due, or None."""
    row = _due_cards(_due_sql(connection.vendor, first=True), learner_id, now)
    return (row[0], row[1]) if row else None


def _due_cards(sql: str, learner_id: int, now: datetime) -> tuple | None:
    """The first row of a query on the learner's cards due at `now`."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [learner_id, connection.ops.adapt_datetimefield_value(now)])
        return cursor.fetchone()


def _aware(value: datetime | str) -> datetime:
    """A timestamp as the ORM gives it: aware, in UTC (SQLite hands back text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
