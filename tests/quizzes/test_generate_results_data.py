"""The synthetic results data generator: the numbers asked for, repeatable, meaningful."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.models import Attempt, Learner

pytestmark = pytest.mark.django_db


def test_creates_the_requested_learners_and_attempts(seed_course):
    out = StringIO()
    call_command("generate_results_data", learners=20, attempts=300, stdout=out)
    assert "Created 20 learners and 300 attempts." in out.getvalue()
    assert (Learner.objects.count(), Attempt.objects.count()) == (20, 300)
    assert Learner.objects.filter(user__isnull=False).count() == 10
    # One first try per learner and question, every attempt with its picked choice.
    firsts = Attempt.objects.filter(is_first=True)
    assert firsts.count() == len(set(firsts.values_list("learner_id", "question_id")))
    assert not Attempt.objects.filter(choices__isnull=True).exists()


def test_needs_loaded_questions(db):
    with pytest.raises(CommandError, match="load_content"):
        call_command("generate_results_data", learners=1, attempts=1, stdout=StringIO())
