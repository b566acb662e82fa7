"""Results statistics on a hand-made data set, each expected number worked out by hand."""

import pytest

from quizzes.stats import learner_answers, learner_rows, question_stats, topic_stats
from tests.quizzes.results_data import OLD_VERSION, build, course

pytestmark = pytest.mark.django_db


@pytest.fixture
def learners(tmp_path):
    return build(tmp_path)


def by_key(versions, key, current=True):
    return next(v for v in versions if v.question.key == key and v.is_current == current)


def test_topic_reach_completion_and_score(learners):
    first, second = topic_stats(course())
    # Topic 1: all 5 answered; only L1 solved all four; scores .75 .75 .5 .25 .25 → mean .5.
    assert (first.questions, first.reached, first.completed) == (4, 5, 1)
    assert first.average_score == pytest.approx(0.5)
    assert first.reach_share == 1.0
    # Topic 2: L1 (right) and L2 (wrong) → reached 2 of 5, 1 completed, mean score .5.
    assert (second.reached, second.completed) == (2, 1)
    assert second.average_score == pytest.approx(0.5)
    assert second.reach_share == pytest.approx(0.4)


def test_facility_is_the_share_right_on_first_tries(learners):
    versions = question_stats(course())
    assert by_key(versions, "q1").facility == pytest.approx(3 / 5)
    assert by_key(versions, "q2").facility == pytest.approx(2 / 5)
    assert by_key(versions, "q3").facility == pytest.approx(3 / 4)  # L5 is on the old version


def test_attempts_and_learners_count_retries_once_per_learner(learners):
    q1 = by_key(question_stats(course()), "q1")
    assert (q1.attempts, q1.learners, q1.first_attempts) == (6, 5, 5)


def test_discrimination_upper_minus_lower_27_percent(learners):
    versions = question_stats(course())
    # n=5 → groups of ceil(1.35)=2: upper L1, L2; lower L4, L5.
    q1, q2 = by_key(versions, "q1"), by_key(versions, "q2")
    assert q1.group_size == 2
    assert q1.discrimination == pytest.approx(1.0 - 0.0)
    assert q2.discrimination == pytest.approx(0.0 - 1.0)
    # Q3 current version: n=4, groups of 2: upper L1, L2 (✓✓), lower L3, L4 (✓✗).
    assert by_key(versions, "q3").discrimination == pytest.approx(1.0 - 0.5)


def test_older_versions_are_reported_separately(learners):
    old = by_key(question_stats(course()), "q3", current=False)
    assert old.version == OLD_VERSION
    assert (old.first_attempts, old.facility, old.discrimination) == (1, 0.0, None)


def test_pick_rates_per_choice(learners):
    q1 = by_key(question_stats(course()), "q1")
    rates = {c.choice.text: c.rate for c in q1.choices}
    assert rates == pytest.approx({"A": 0.6, "B": 0.4, "C": 0.0, "D": 0.0})


def test_flags(learners):
    versions = question_stats(course())
    assert by_key(versions, "q1").flags == ["distractor nobody picks"]
    assert "negative discrimination" in by_key(versions, "q2").flags
    q5 = by_key(versions, "q5")  # 1 of 2 right: no flag
    assert q5.flags == []
    assert not q5.enough_data


def test_question_stats_for_one_topic(learners):
    second = topic_stats(course())[1].topic
    assert [v.question.key for v in question_stats(course(), second)] == ["q5"]


def test_learner_rows_and_answers_in_order(learners):
    l1 = learners[0]
    (row,) = learner_rows([l1], course())
    assert (row.attempts, row.questions, row.first_right) == (6, 5, 4)
    keys = [a.question.key for a in learner_answers(l1, course())]
    assert keys == ["q1", "q2", "q3", "q4", "q2", "q5"]


def test_stats_on_an_empty_course(seed_course):
    from courses.models import Course

    rows = topic_stats(Course.objects.get())
    assert [r.reached for r in rows] == [0]
    assert all(v.facility is None and v.flags == [] for v in question_stats(Course.objects.get()))
