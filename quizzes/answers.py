"""Recording answers: validate, grade on the server, store one attempt per submission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from quizzes import answer_store, clock, review
from quizzes.grading import AnswerError, Grade, grade_answer
from quizzes.models import Attempt, Learner, Question
from quizzes.progress import LatestAttempt, TopicStatus, score_from_rows


def is_live(question: Question) -> bool:
    """Whether the question, its topic and its course are all still active."""
    topic = question.topic
    return question.is_active and topic.is_active and topic.course.is_active


def check_answer(question: Question, tokens: list[str]) -> Grade:
    """Grade `tokens` (choice values from the form) for `question`; raises AnswerError."""
    if not is_live(question):
        raise AnswerError(
            gettext_noop("This question has been retired and can no longer be answered.")
        )
    choices = [c for c in question.choices.all() if c.is_active]
    return grade_answer(
        correct=[c.token for c in choices if c.is_correct],
        offered=[c.token for c in choices],
        picked=tokens,
        allows_many=question.allows_many,
    )


def record_answer(learner: Learner, question: Question, grade: Grade, nonce: str) -> Attempt:
    """Store the attempt, or return the one already stored for this form (`nonce`).

    A double click or a resent POST carries the same nonce, so it never records twice.
    """
    return record_and_score(learner, question, grade, nonce, [question.pk])[0]


def record_and_score(
    learner: Learner,
    question: Question,
    grade: Grade,
    nonce: str,
    topic_question_ids: Sequence[int],
    now: datetime | None = None,
    verify_key: str | None = None,
) -> tuple[Attempt, TopicStatus]:
    """`record_answer`, and the learner's score on the topic whose active questions are
    `topic_question_ids` (which include `question`), from the rows it reads anyway.

    The answer is also a review of the learner's card of the question (quizzes/review.py),
    in the same transaction: an attempt is never stored without its review, nor the other
    way round. `verify_key`: see `answer_store.read` (raises NotThisBrowser, nothing stored).
    """
    now = now or clock.now()
    try:
        with transaction.atomic():
            # One read answers "was this form sent before?", "is this the first try?", gives
            # the rows the topic's score is counted from, and the card (under the learner's
            # lock where rows lock: quizzes/answer_store.py).
            stored, seen = answer_store.read(
                learner, question, nonce, topic_question_ids, verify_key
            )
            scored = [row[2:] for row in seen]
            resent = [row[0] for row in seen if row[1] == nonce]
            if resent:
                existing = Attempt.objects.get(pk=resent[0])
                if existing.question_id != question.pk:
                    raise AnswerError(
                        gettext_noop("This form belongs to another question. Reload the page.")
                    )
                return existing, score_from_rows(topic_question_ids, scored)
            earlier = [row for row in seen if row[2] == question.pk]
            previous = max(earlier, key=lambda row: (row[5], row[0]))[3] if earlier else None
            rating = review.rating_for(grade.is_correct, previous)
            card, elapsed = review.schedule(review.as_fsrs(stored, now), rating, now)
            by_token = {c.token: c.pk for c in question.choices.all()}
            attempt = answer_store.write(
                Attempt(
                    learner=learner,
                    question=question,
                    version=question.version,
                    is_correct=grade.is_correct,
                    is_first=not earlier,
                    nonce=nonce,
                    rating=rating.value,
                    elapsed_days=elapsed,
                ),
                card,
                [by_token[token] for token in sorted(grade.picked)],
                question.topic.course_id,
            )
            scored.append((question.pk, attempt.is_correct, attempt.is_first, attempt.created_at))
            return attempt, score_from_rows(topic_question_ids, scored)
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it (and its review).
        existing = Attempt.objects.get(learner=learner, nonce=nonce)
        rows = Attempt.objects.filter(learner=learner, question_id__in=topic_question_ids)
        scored = rows.values_list("question_id", "is_correct", "is_first", "created_at")
        return existing, score_from_rows(topic_question_ids, scored)


def reveal_answer(learner: Learner | None, question: Question) -> LatestAttempt:
    """ "Show answer": mark the learner's latest attempt at `question` as revealed.

    Idempotent (a second request changes nothing) and only after a try: the server refuses
    before the learner's first answer, so a first try is never made knowing the answer and
    first-try scores mean what they meant. After a right answer there is nothing to reveal;
    the attempt is returned unmarked. Raises AnswerError.
    """
    if not is_live(question):
        raise AnswerError(
            gettext_noop("This question has been retired and can no longer be answered.")
        )
    rows = []
    if learner is not None:
        # The latest attempt, one row per pick (the page shows them with the answer).
        for row in (
            Attempt.objects.filter(learner=learner, question=question)
            .order_by("-created_at", "-pk")
            .values_list("pk", "is_correct", "revealed_at", "choices")
        ):
            if rows and row[0] != rows[0][0]:
                break
            rows.append(row)
    if not rows:
        raise AnswerError(gettext_noop("Answer this question once, then you can see its answer."))
    pk, is_correct, revealed_at = rows[0][:3]
    if not is_correct and revealed_at is None:
        # The filter keeps the first time when two requests race.
        Attempt.objects.filter(pk=pk, revealed_at=None).update(revealed_at=timezone.now())
    picked = frozenset(row[3] for row in rows if row[3] is not None)
    return LatestAttempt(is_correct, picked, revealed=not is_correct)
