"""Two answers from one learner at once are recorded one after the other (PostgreSQL row lock).

The second answer must read the attempts and the card only once the first has committed:
else both would be "first" and one review of the card would be lost.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from quizzes.answers import check_answer, record_and_score
from quizzes.models import Attempt, Learner, Question
from tests.factories import SEED_COURSE, load, tokens

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks: PostgreSQL"),
]


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_answer_sent_while_another_is_recorded_waits_and_is_not_first_too():
    """The second answer waits for the first's lock, then sees its attempt and its card."""
    load(SEED_COURSE)
    question = Question.objects.get(key="scratch-viable")
    learner = Learner.objects.create(seed="0123456789abcdef")
    grade = check_answer(question, tokens(question, correct=True))
    locked, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            Learner.objects.select_for_update().get(pk=learner.pk)  # as recording does
            locked.set()
            release.wait(10)
            record_and_score(learner, question, grade, "f1", [question.pk])

    threads = [in_thread(first)]
    assert locked.wait(10)
    threads.append(
        in_thread(lambda: record_and_score(learner, question, grade, "s2", [question.pk]))
    )
    deadline = time.monotonic() + 10
    while not waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    release.set()
    for thread in threads:
        thread.join(20)
    first_try, second = Attempt.objects.filter(learner=learner).order_by("pk")
    assert (first_try.nonce, first_try.is_first) == ("f1", True)
    assert (second.nonce, second.is_first) == ("s2", False)
    assert second.elapsed_days is not None, "the second review did not see the first's card"
