"""The admin: content view-only with its source, learners and attempts filterable, fast."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Topic
from quizzes.models import Attempt, Question
from tests.quizzes.results_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.invalid"))
    return client


@pytest.fixture
def data(tmp_path):
    return build(tmp_path)


def changelist(model: str) -> str:
    return reverse(f"admin:{model}_changelist")


@pytest.mark.parametrize(
    "model",
    [
        "courses_course",
        "courses_chapter",
        "courses_topic",
        "quizzes_question",
        "quizzes_choice",
        "quizzes_learner",
        "quizzes_attempt",
        "quizzes_topicprogress",
    ],
)
def test_changelists_load(admin_client, data, model):
    assert admin_client.get(changelist(model)).status_code == 200


def test_attempt_filters(admin_client, data):
    topic = Topic.objects.get(slug="second")
    question = Question.objects.get(key="q1")
    url = changelist("quizzes_attempt")
    cases = {
        f"question__topic__id__exact={topic.pk}": 2,
        f"question__id__exact={question.pk}": 6,
        "is_correct__exact=1": Attempt.objects.filter(is_correct=True).count(),
        "is_first__exact=0": 2,
        "question__is_active__exact=1": Attempt.objects.count(),
        f"question__topic__chapter__id__exact={topic.chapter_id}": Attempt.objects.count(),
        "q=l1": 6,
    }
    for query, expected in cases.items():
        response = admin_client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert len(response.context["cl"].result_list) == expected, query


def test_date_filter(admin_client, data):
    year = timezone.now().year
    url = changelist("quizzes_attempt")
    this_year = admin_client.get(f"{url}?created_at__year={year}")
    assert len(this_year.context["cl"].result_list) == Attempt.objects.count()
    last_year = admin_client.get(f"{url}?created_at__year={year - 1}")
    assert len(last_year.context["cl"].result_list) == 0


def test_retired_content_is_visible_as_retired(admin_client, data):
    Question.objects.filter(key="q2").update(is_active=False)
    response = admin_client.get(changelist("quizzes_question") + "?is_active__exact=0")
    assert [q.key for q in response.context["cl"].result_list] == ["q2"]
    attempts = admin_client.get(changelist("quizzes_attempt") + "?question__is_active__exact=0")
    assert (
        len(attempts.context["cl"].result_list)
        == Attempt.objects.filter(question__key="q2").count()
    )


def test_content_is_read_only_with_its_source(admin_client, data):
    question = Question.objects.get(key="q1")
    response = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="prompt_text"' not in html  # shown, not editable
    assert admin_client.get(reverse("admin:quizzes_question_add")).status_code == 403
    listing = admin_client.get(changelist("quizzes_question")).content.decode()
    assert "content/01-one/01-first.md:10" in listing


def test_admin_index_links_the_results_dashboard(admin_client, data):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("results:courses")}"' in html


def test_attempt_changelist_queries_do_not_grow(admin_client, seed_course):
    call_command("generate_results_data", learners=5, attempts=10, verbosity=0)
    url = changelist("quizzes_attempt")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    call_command("generate_results_data", learners=5, attempts=190, seed=2, verbosity=0)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


def test_a_question_says_whether_it_has_several_right_answers_and_why(admin_client, data):
    """Not "Allows many … Select all that apply.": the label and help say it comes from the file."""
    question = Question.objects.first()
    html = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk])).content
    html = html.decode()
    assert "Several right answers" in html
    assert "Set by the file: on when more than one choice is marked right." in html
    assert "Allows many" not in html
    assert "Select all that apply." not in html


def test_read_marks_are_called_what_they_are(admin_client, data):
    """The admin lists "Topics marked as read", not a "Topic progress" that looks empty."""
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Topics marked as read" in html
    assert "Topic progress" not in html
