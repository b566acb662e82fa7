"""The page views' hand-written SQL answers exactly what its ORM twin answers, on both engines."""

from datetime import timedelta

import pytest
from django.db.models import Q

from courses.models import Course
from quizzes import page_queries
from quizzes.models import Attempt, Choice, Learner, Question, ReviewCard, new_seed

pytestmark = pytest.mark.django_db


def orm_rows(learner, question_ids):
    rows = (
        Attempt.objects.filter(learner=learner, question__in=question_ids)
        .order_by("created_at", "pk")
        .values_list(
            "pk", "question_id", "is_correct", "is_first", "created_at", "revealed_at", "choices"
        )
    )
    return [(*row[:5], row[5] is not None, row[6]) for row in rows]


def attempt(learner, question, picks, *, correct, first, at, revealed=None):
    made = Attempt.objects.create(
        learner=learner,
        question=question,
        version=question.version,
        is_correct=correct,
        is_first=first,
        nonce=f"n{Attempt.objects.count()}",
        revealed_at=revealed,
    )
    Attempt.objects.filter(pk=made.pk).update(created_at=at)
    made.choices.set(picks)
    return made


def test_attempt_rows_match_the_orm(seed_course):
    """Several attempts, several picks, no pick, a revealed one, another learner's: same rows."""
    me, other = (Learner.objects.create(seed=new_seed()) for _ in range(2))
    questions = list(Question.objects.filter(is_active=True).order_by("pk")[:3])
    choices = {q.pk: list(Choice.objects.filter(question=q)) for q in questions}
    base = questions[0].topic.updated_at
    q1, q2, q3 = questions
    attempt(me, q1, choices[q1.pk][:2], correct=False, first=True, at=base)
    attempt(me, q1, choices[q1.pk][:1], correct=True, first=False, at=base + timedelta(seconds=1))
    attempt(me, q2, [], correct=False, first=True, at=base + timedelta(seconds=2), revealed=base)
    attempt(other, q3, choices[q3.pk][:1], correct=True, first=True, at=base)
    ids = [q.pk for q in questions]
    rows, _ = page_queries.attempt_rows(me.pk, ids, base)
    assert rows == orm_rows(me, ids)
    assert len(rows) == 4  # two picks, one pick, no pick
    assert page_queries.attempt_rows(other.pk, ids[:2], base) == ([], 0)


def test_attempt_rows_bring_the_due_count_with_or_without_attempts(seed_course):
    """The header's due count comes back in the same query, also when nothing was answered
    on these questions."""
    me = Learner.objects.create(seed=new_seed())
    course = Course.objects.get()
    now = course.updated_at
    answered, due, later = list(Question.objects.filter(is_active=True).order_by("pk")[:3])
    attempt(me, answered, [], correct=False, first=True, at=now)
    for question, when in ((due, now - timedelta(days=1)), (later, now + timedelta(days=1))):
        ReviewCard.objects.create(learner=me, question=question, course=course, state=2, due=when)
    assert page_queries.attempt_rows(me.pk, [answered.pk], now)[1] == 1
    assert page_queries.attempt_rows(me.pk, [later.pk], now) == ([], 1)
    assert page_queries.attempt_rows(me.pk, [], now) == ([], 1)


def test_due_count_matches_the_orm(seed_course):
    """Due, not yet due, retired and another learner's cards: the same count as the ORM's."""
    me, other = (Learner.objects.create(seed=new_seed()) for _ in range(2))
    course = Course.objects.get()
    now = course.updated_at
    questions = list(Question.objects.filter(is_active=True).order_by("pk")[:4])
    cards = [
        (me, questions[0], now - timedelta(days=1), True),
        (me, questions[1], now, True),  # due at exactly now
        (me, questions[2], now + timedelta(seconds=1), True),
        (me, questions[3], now - timedelta(days=3), False),  # retired
        (other, questions[0], now - timedelta(days=1), True),
    ]
    for learner, question, due, active in cards:
        ReviewCard.objects.create(
            learner=learner, question=question, course=course, is_active=active, state=2, due=due
        )
    expected = ReviewCard.objects.filter(Q(learner=me, is_active=True, due__lte=now)).count()
    assert page_queries.due_count(me.pk, now) == expected == 2


def test_next_due_matches_the_orm(seed_course):
    """The longest-overdue live card first, with how many are due; None when nothing is."""
    me = Learner.objects.create(seed=new_seed())
    course = Course.objects.get()
    now = course.updated_at
    questions = list(Question.objects.filter(is_active=True).order_by("pk")[:4])
    plan = zip(questions, (-1, -5, 2, -9), (True, True, True, False), strict=True)
    for question, days, active in plan:
        ReviewCard.objects.create(
            learner=me,
            question=question,
            course=course,
            is_active=active,
            state=2,
            due=now + timedelta(days=days),
        )
    due = ReviewCard.objects.due(me, now).order_by("due", "pk")
    assert page_queries.next_due(me.pk, now) == (due.first().question_id, due.count())
    assert page_queries.next_due(me.pk, now) == (questions[1].pk, 2)
    assert page_queries.next_due(me.pk, now - timedelta(days=30)) is None
