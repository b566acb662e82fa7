"""Recording answers: validate, grade on the server, store one attempt per submission."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from quizzes.grading import AnswerError, Grade, grade_answer
from quizzes.models import Attempt, Learner, Question


def check_answer(question: Question, tokens: list[str]) -> Grade:
    """Grade `tokens` (choice values from the form) for `question`; raises AnswerError."""
    if not question.is_active or not question.topic.is_active:
        raise AnswerError("This question has been retired and can no longer be answered.")
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
    try:
        with transaction.atomic():
            if connection.features.has_select_for_update:
                # Lock the learner so two first answers in parallel cannot both be "first".
                # (SQLite needs no row lock: IMMEDIATE transactions hold the write lock.)
                Learner.objects.select_for_update().filter(pk=learner.pk).exists()
            # One query answers both: was this form sent before, is this the first try?
            seen = list(
                Attempt.objects.filter(learner=learner)
                .filter(Q(nonce=nonce) | Q(question=question))
                .values_list("pk", "nonce", "question_id")
            )
            resent = [pk for pk, sent_nonce, _ in seen if sent_nonce == nonce]
            if resent:
                existing = Attempt.objects.get(pk=resent[0])
                if existing.question_id != question.pk:
                    raise AnswerError("This form belongs to another question. Reload the page.")
                return existing
            is_first = not any(question_id == question.pk for _, _, question_id in seen)
            attempt = Attempt.objects.create(
                learner=learner,
                question=question,
                version=question.version,
                is_correct=grade.is_correct,
                is_first=is_first,
                nonce=nonce,
            )
            by_token = {c.token: c for c in question.choices.all()}
            Attempt.choices.through.objects.bulk_create(
                [
                    Attempt.choices.through(attempt=attempt, choice=by_token[token])
                    for token in sorted(grade.picked)
                ]
            )
            return attempt
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        return Attempt.objects.get(learner=learner, nonce=nonce)
