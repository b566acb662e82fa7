"""Reading and writing what an answer touches: one round trip per step on PostgreSQL.

Recording an answer (quizzes/answers.py) reads the learner's review card of the question and
their attempts at the topic, then writes the attempt, its picks and the card, all in one
transaction. Through the ORM that is five statements; under load each round trip to the
database server costs more than the statement itself (the worker waits, then competes for a
core with the server process). So on PostgreSQL the reads go out as one execute (three
statements) and the writes as one statement (data-modifying CTEs); SQLite (in process, no
round trips) keeps the plain ORM calls. The locking read also checks the learner the visitor
cookie names (`verify_key`), so answering reads no learner row of its own.

The reads stay three statements, in this order, on purpose: under READ COMMITTED each
statement sees what was committed when it began, so the card and the attempts are read only
after the learner's row lock is held. A statement that locked and read together (as the
answer path did before: the lock joined to the card) reads as of before it waited for the
lock: a second answer sent during the first then scheduled the card without the first's
review, and one review was lost (tests/quizzes/test_answer_locks.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from fsrs import Card

from quizzes.models import Attempt, Learner, Question, ReviewCard
from quizzes.review import FIELDS, save_card

# (pk, nonce, question_id, is_correct, is_first, created_at) of an attempt.
ATTEMPT_COLUMNS = ("id", "nonce", "question_id", "is_correct", "is_first", "created_at")


def one_round_trip() -> bool:
    """Whether this is PostgreSQL, where statements go out together. (Two statements in one
    execute need psycopg's client-side binding, Django's default; config/settings.py keeps it.)
    """
    return connection.vendor == "postgresql"


class NotThisBrowser(Exception):
    """The learner the visitor cookie names is gone or no longer this browser's."""


def read(
    learner: Learner,
    question: Question,
    nonce: str,
    topic_question_ids: Sequence[int],
    verify_key: str | None = None,
) -> tuple[tuple | None, list[tuple]]:
    """The learner's card of `question` (FIELDS values, or None) and their attempts that
    carry `nonce` or are at one of `topic_question_ids` (ATTEMPT_COLUMNS rows).

    `verify_key`: the learner was taken from the signed visitor cookie without reading its
    row; raises NotThisBrowser unless the row exists, has no account and still carries this
    visitor key (the check answering made with a query of its own before).

    On PostgreSQL the learner's row is locked first (until the transaction ends), so two
    answers from one learner are recorded one after the other: neither is "first" by mistake
    and neither review of the card is lost. (SQLite needs no row lock: its IMMEDIATE
    transactions already hold the write lock.)
    """
    if not one_round_trip():
        if (
            verify_key is not None
            and not Learner.objects.filter(
                pk=learner.pk, visitor_key=verify_key, user=None
            ).exists()
        ):
            raise NotThisBrowser
        card = (
            ReviewCard.objects.filter(learner=learner, question=question)
            .values_list(*FIELDS)
            .first()
        )
        rows = list(
            Attempt.objects.filter(learner=learner)
            .filter(Q(nonce=nonce) | Q(question_id__in=topic_question_ids))
            .values_list(*ATTEMPT_COLUMNS)
        )
        return card, rows
    learners, cards, attempts = (
        Learner._meta.db_table,
        ReviewCard._meta.db_table,
        Attempt._meta.db_table,
    )
    # Three statements in one execute; the ORM cannot send them together.
    sql = (
        f"SELECT user_id, visitor_key FROM {learners} WHERE id = %s FOR UPDATE;"  # noqa: S608
        f" SELECT {', '.join(FIELDS)} FROM {cards} WHERE learner_id = %s AND question_id = %s;"
        f" SELECT {', '.join(ATTEMPT_COLUMNS)} FROM {attempts}"
        " WHERE learner_id = %s AND (nonce = %s OR question_id = ANY(%s))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [learner.pk, learner.pk, question.pk, learner.pk, nonce, list(topic_question_ids)],
        )
        owner = cursor.fetchone()
        cursor.nextset()
        card = cursor.fetchone()
        cursor.nextset()
        rows = cursor.fetchall()
    if verify_key is not None and owner != (None, verify_key):
        raise NotThisBrowser
    return card, rows


def write(attempt: Attempt, card: Card, choice_ids: Sequence[int], course_id: int) -> Attempt:
    """Insert `attempt` (unsaved) with its picked choices, and insert or update the learner's
    card of its question; returns the attempt, saved. Raises IntegrityError when the learner
    already sent this form (nonce): nothing is then written."""
    if not one_round_trip():
        save_card(attempt.learner, attempt.question, course_id, card)
        attempt.save(force_insert=True)
        Attempt.choices.through.objects.bulk_create(
            [Attempt.choices.through(attempt=attempt, choice_id=pk) for pk in choice_ids]
        )
        return attempt
    attempt.created_at = timezone.now()  # as auto_now_add would
    card_values = [getattr(card, name) for name in FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            WRITE_SQL,
            [
                attempt.learner_id,
                attempt.question_id,
                attempt.version,
                attempt.is_correct,
                attempt.is_first,
                attempt.nonce,
                attempt.created_at,
                attempt.rating,
                attempt.elapsed_days,
                list(choice_ids),
                attempt.learner_id,
                attempt.question_id,
                course_id,
                *card_values,
            ],
        )
        attempt.pk = cursor.fetchone()[0]
    attempt._state.adding = False
    return attempt


def write_sql() -> str:
    """The attempt, its picks and the card upsert as one statement (PostgreSQL)."""
    attempts, picks, cards = (
        Attempt._meta.db_table,
        Attempt.choices.through._meta.db_table,
        ReviewCard._meta.db_table,
    )
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in FIELDS)
    return (
        f"WITH attempt AS (INSERT INTO {attempts} (learner_id, question_id, version,"  # noqa: S608
        " is_correct, is_first, nonce, created_at, rating, elapsed_days)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id),"
        f" picks AS (INSERT INTO {picks} (attempt_id, choice_id)"
        " SELECT attempt.id, picked FROM attempt, unnest(%s::bigint[]) AS picked),"
        f" card AS (INSERT INTO {cards} (learner_id, question_id, course_id, is_active,"
        f" {', '.join(FIELDS)}) VALUES (%s, %s, %s, true, %s, %s, %s, %s, %s, %s)"
        f" ON CONFLICT (learner_id, question_id) DO UPDATE SET {updates})"
        " SELECT id FROM attempt"
    )


WRITE_SQL = write_sql()
