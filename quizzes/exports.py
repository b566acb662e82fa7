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
from django.db.models import CharField, Func, IntegerField, QuerySet, Value
from django.db.models.functions import Cast, Concat

from courses.models import Course
from quizzes.models import Attempt, Choice, Question
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
# Distinct texts the attempts export keeps as ready CSV cells (see Cells).
CELLS_KEPT = 10000
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


def attempt_csv(course: Course) -> Iterator[str]:
    """Every attempt on the course as CSV text, oldest first, with the choices the learner
    picked: the header alone (so the first byte leaves at once), then LINES_PER_CHUNK lines
    per piece, with flat memory.

    Two ordered streams (attempts, picks) merged by attempt id, read as the database's own
    rows (see plain_rows). Lines are joined here rather than by csv.writer: the numbers and
    times cannot need quoting and come from SQL already joined by their commas, and the texts
    (username, chapter, topic, key, version, picked) repeat, so each distinct one is made a
    CSV cell once (`Cells`). That halved the time of a 200,000-attempt export. A question's
    chapter, topic and key, and a choice's label (a diagram tier's name for a question
    answered on a diagram), are read once per export, not joined on every row.
    """
    yield ",".join(ATTEMPT_HEADER) + "\r\n"
    places, labels, cells = question_places(course), choice_labels(course), Cells()
    attempts = (
        Attempt.objects.filter(question__topic__course=course)
        .order_by("pk")
        .values_list(
            "pk",
            "learner_id",
            "learner__user__username",
            "question_id",
            "version",
            joined(Cast("is_first", IntegerField()), Cast("is_correct", IntegerField())),
            joined(UtcTimestamp("created_at"), UtcTimestamp("revealed_at")),
        )
    )
    picks = plain_rows(
        Attempt.choices.through.objects.filter(attempt__question__topic__course=course)
        .order_by("attempt_id")
        .values_list("attempt_id", "choice_id")
    )
    heads: dict[tuple[int, str], str] = {}
    picked_cells: dict[tuple[int, ...], str] = {}
    pick = next(picks, None)
    lines = []
    for pk, learner, username, question, version, flags, times in plain_rows(attempts):
        picked = []
        while pick is not None and pick[0] <= pk:
            if pick[0] == pk:
                picked.append(pick[1])
            pick = next(picks, None)
        head = heads.get((question, version))
        if head is None:
            head = heads[question, version] = ",".join(map(cells, (*places[question], version)))
        chosen = picked_cells.get(picked := tuple(picked))
        if chosen is None:
            chosen = picked_cells[picked] = cells(
                " | ".join(label for _, label in sorted(labels[c] for c in picked))
            )
        lines.append(f"{pk},{learner},{cells(username)},{head},{flags},{chosen},{times}\r\n")
        if len(lines) == LINES_PER_CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def joined(*cells: Func) -> Concat:
    """Cells that never need quoting (numbers, times), joined into CSV text by the database;
    an empty cell for NULL."""
    parts = [part for cell in cells for part in (Value(","), cell)][1:]
    return Concat(*parts, output_field=CharField())


class Cells(dict):
    """Text as one CSV cell, neutralised and quoted by the csv module where needed, made once
    per distinct text: an export repeats few texts many times. Forgets everything past
    CELLS_KEPT texts (usernames are many), so memory stays bounded."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""  # what csv.writer writes for an empty cell beside others
        found = self.get(text)
        if found is None:
            if len(self) >= CELLS_KEPT:
                self.clear()
            self.buffer.seek(0)
            self.buffer.truncate()
            self.writer.writerow([neutralise(text)])
            found = self[text] = self.buffer.getvalue().removesuffix("\r\n")
        return found


def question_places(course: Course) -> dict[int, tuple[str, str, str]]:
    """Per question of the course: its chapter slug, topic slug and key."""
    rows = Question.objects.filter(topic__course=course).values_list(
        "pk", "topic__chapter__slug", "topic__slug", "key"
    )
    return {pk: tuple(cells) for pk, *cells in rows}


def choice_labels(course: Course) -> dict[int, tuple[int, str]]:
    """Per choice of the course: its position and its label (a diagram tier's name, else its
    text), so picks are written in the order the question lists them."""
    names = tier_names(course)
    rows = Choice.objects.filter(question__topic__course=course).values_list(
        "pk", "position", "text", "question_id"
    )
    return {
        pk: (position, names.get(question, {}).get(text, text))
        for pk, position, text, question in rows
    }


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
