"""CSV exports of results, produced row by row so a large export never sits in memory.

Every text cell is neutralised against formula injection (OWASP "CSV Injection"): usernames,
prompts, choice texts and keys come from users and authors, and a spreadsheet runs a cell
that starts with `=`, `+`, `-` or `@` as a formula. Numbers the app computes are written as
numbers (int, or Decimal when formatted to a fixed precision), so they are never touched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

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


class Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def neutralise(cell: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with a quote; anything else as is."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def fixed(value: float | None) -> Decimal | str:
    """A statistic to three decimals, as a number ("" when undefined)."""
    return "" if value is None else Decimal(f"{value:.3f}")


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """Encode rows as CSV lines, one at a time, every text cell neutralised."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def attempt_rows(course: Course) -> Iterator[list]:
    """Every attempt on the course, oldest first, with the choices the learner picked.

    Two ordered streams (attempts, picks) merged by attempt id: plain values, no model
    instances, so 200,000 attempts stream in seconds with flat memory. A pick on a question
    answered on a diagram is written as its tier's name (the choice's text is the tier id).
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
            "is_first",
            "is_correct",
            "created_at",
            "revealed_at",
        )
    )
    picks = (
        Attempt.choices.through.objects.filter(attempt__question__topic__course=course)
        .order_by("attempt_id", "choice__position")
        .values_list("attempt_id", "choice__text", "choice__question_id")
        .iterator(chunk_size=CHUNK)
    )
    names = tier_names(course)
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
    ) in attempts.iterator(chunk_size=CHUNK):
        picked = []
        while pick is not None and pick[0] <= pk:
            if pick[0] == pk:
                _, text, question = pick
                picked.append(names.get(question, {}).get(text, text))
            pick = next(picks, None)
        yield [
            pk,
            learner,
            username or "",
            chapter,
            topic,
            key,
            version,
            int(first),
            int(right),
            " | ".join(picked),
            when.isoformat(),
            revealed.isoformat() if revealed else "",
        ]


def tier_names(course: Course) -> dict[int, dict[str, str]]:
    """Per question answered on a diagram: its choices' texts (tier ids) -> tier names."""
    rows = Question.objects.filter(topic__course=course).values_list("pk", "diagram")
    return {pk: {t["id"]: t["name"] for t in diagram["tiers"]} for pk, diagram in rows if diagram}


def question_rows(course: Course) -> Iterator[list]:
    """One row per question version, with its statistics and every choice's pick rate."""
    yield QUESTION_HEADER
    for s in question_stats(course):
        q = s.question
        yield [
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
