"""CSV exports of results, produced row by row so a large export never sits in memory.

Every text cell is neutralised against formula injection (OWASP "CSV Injection"): usernames,
prompts, choice texts and keys come from users and authors, and a spreadsheet runs a cell
that starts with `=`, `+`, `-` or `@` as a formula. Numbers the app computes are written as
numbers (int, or Decimal when formatted to a fixed precision), so they are never touched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.db import connection
from django.db.models import CharField, Func, IntegerField, QuerySet
from django.db.models.functions import Cast

from courses.models import Course
from quizzes.models import Attempt, Question
from quizzes.stats import question_stats

ATTEMPT_HEADER = [
    "attempt",
    "learner",
    "username",
    "chapter",
    "topic",
    "question",
    "version",
    "first_try",
    "correct",
    "picked",
    "answered_at",
    "revealed_at",
]
CHUNK = 5000
LINES_PER_CHUNK = 500
# A cell starting with one of these is read as a formula (or its first character is eaten and
# the rest read as one): OWASP's list, plus line feed and NUL as ASVS 1.2.10 adds.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
QUESTION_HEADER = [
    "chapter",
    "topic",
    "question",
    "prompt",
    "version",
    "current",
    "active",
    "attempts",
    "learners",
    "first_attempts",
    "revealed_learners",
    "facility",
    "discrimination",
    "flags",
    "pick_rates",
]


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with a quote; anything else as is."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class UtcTimestamp(Func):
    """A datetime as ISO 8601 text in UTC to the millisecond ("2026-11-27T03:33:11.123Z"), the
    same on both engines and formatted by the database: converting each value to a Python
    datetime and back to text was a third of the time of a 200,000-row export."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: cut it to the millisecond (as
        # PostgreSQL's to_char does; strftime('%f') would round instead).
        template = (
            "substr(%(expressions)s, 1, 10) || 'T' || "
            "substr(%(expressions)s || '.000', 12, 12) || 'Z'"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def fixed(value: float | None) -> Decimal | str:
    """A statistic to three decimals, as a number ("" when undefined)."""
    return "" if value is None else Decimal(f"{value:.3f}")


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """Encode rows as CSV text: the header row alone (so the first byte leaves at once), then
    LINES_PER_CHUNK rows per piece, written by the csv module's C loop into a buffer (one
    write to the socket per piece, not one Python call and one write per row). The rows'
    producers neutralise their text cells, which only they know (a check of every cell here
    was a third of a large export's time)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = iter(rows)
    size = 1  # the header alone
    while batch := list(islice(rows, size)):
        writer.writerows(batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        size = LINES_PER_CHUNK


def attempt_rows(course: Course) -> Iterator[list]:
    """Every attempt on the course, oldest first, with the choices the learner picked.

    Two ordered streams (attempts, picks) merged by attempt id, read as the database's own
    rows (see plain_rows), so 200,000 attempts stream in about a second with flat memory.
    A pick on a question answered on a diagram is written as its tier's name (the choice's
    text is the tier id).
    """
    yield ATTEMPT_HEADER
    attempts = (
        Attempt.objects.filter(question__topic__course=course)
        .order_by("pk")
        .values_list(
            "pk",
            "learner_id",
            "learner__user__username",
            "question__topic__chapter__slug",
            "question__topic__slug",
            "question__key",
            "version",
            Cast("is_first", IntegerField()),
            Cast("is_correct", IntegerField()),
            UtcTimestamp("created_at"),
            UtcTimestamp("revealed_at"),
        )
    )
    picks = (
        Attempt.choices.through.objects.filter(attempt__question__topic__course=course)
        .order_by("attempt_id", "choice__position")
        .values_list("attempt_id", "choice__text", "choice__question_id")
    )
    names = tier_names(course)
    picks = plain_rows(picks)
    pick = next(picks, None)
    for (
        pk,
        learner,
        username,
        chapter,
        topic,
        key,
        version,
        first,
        right,
        when,
        revealed,
    ) in plain_rows(attempts):
        picked = []
        while pick is not None and pick[0] <= pk:
            if pick[0] == pk:
                _, text, question = pick
                picked.append(names.get(question, {}).get(text, text))
            pick = next(picks, None)
        yield [
            pk,
            learner,
            neutralise(username or ""),
            neutralise(chapter),
            neutralise(topic),
            neutralise(key),
            neutralise(version),
            first,
            right,
            neutralise(" | ".join(picked)),
            when,
            revealed or "",
        ]


def plain_rows(queryset: QuerySet) -> Iterator[tuple]:
    """The queryset's rows as the database driver returns them, from a server-side cursor on
    PostgreSQL (flat memory). Django's per-value converters are skipped: they took a third of
    a large export's time. So every column must already be what the CSV writes: the attempt
    query casts booleans to 0/1 and formats times in SQL, the same on both engines."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def tier_names(course: Course) -> dict[int, dict[str, str]]:
    """Per question answered on a diagram: its choices' texts (tier ids) -> tier names."""
    rows = Question.objects.filter(topic__course=course).values_list("pk", "diagram")
    return {pk: {t["id"]: t["name"] for t in diagram["tiers"]} for pk, diagram in rows if diagram}


def question_rows(course: Course) -> Iterator[list]:
    """One row per question version, with its statistics and every choice's pick rate."""
    yield QUESTION_HEADER
    for s in question_stats(course):
        q = s.question
        row = [
            q.topic.chapter.slug,
            q.topic.slug,
            q.key,
            q.prompt_text,
            s.version,
            int(s.is_current),
            int(q.is_active),
            s.attempts,
            s.learners,
            s.first_attempts,
            s.revealed,
            fixed(s.facility),
            fixed(s.discrimination),
            "; ".join(s.flags),
            " | ".join(f"{q.choice_label(c.choice)}={c.rate:.3f}" for c in s.choices),
        ]
        yield [neutralise(cell) for cell in row]
