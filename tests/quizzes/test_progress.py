"""Topic status, progress bars, 'continue where you left off', and mistakes."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Topic
from quizzes.models import Question
from tests.factories import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(fixture_course):
    return Client()


def status_of(client, topic_slug):
    html = client.get(reverse("quizzes:course-progress", args=["fixture"])).content.decode()
    row = html.split(f"{topic_slug}/")[1].split("</tr>")[0]
    for label in ("Not started", "In progress", "Complete"):
        if label in row:
            return label
    raise AssertionError(row)


def test_status_moves_from_not_started_to_complete(learner_client):
    hello = Question.objects.filter(topic__slug="hello").order_by("position")
    answer(learner_client, hello[0], correct=True)
    assert status_of(learner_client, "hello") == "In progress"
    answer(learner_client, hello[1], correct=False)
    assert status_of(learner_client, "hello") == "In progress"
    answer(learner_client, hello[1], correct=True)
    assert status_of(learner_client, "hello") == "Complete"
    assert status_of(learner_client, "layers") == "Not started"


def test_topic_without_questions_is_completed_by_marking_read(learner_client):
    topic = Topic.objects.get(slug="reading")
    page = learner_client.get(topic.get_absolute_url()).content.decode()
    assert "Mark as read" in page
    response = learner_client.post(
        reverse("quizzes:mark-read", args=[topic.pk]), headers={"HX-Request": "true"}
    )
    assert "Marked as read." in response.content.decode()
    assert status_of(learner_client, "reading") == "Complete"


def test_mark_read_without_javascript_redirects(learner_client):
    topic = Topic.objects.get(slug="reading")
    response = learner_client.post(reverse("quizzes:mark-read", args=[topic.pk]))
    assert response["Location"] == topic.get_absolute_url()
    assert "Marked as read." in learner_client.get(topic.get_absolute_url()).content.decode()


def test_progress_bars_on_home_and_chapter(learner_client):
    answer(learner_client, Question.objects.get(key="shared"), correct=True)
    home = learner_client.get(reverse("courses:course", args=["fixture"])).content.decode()
    assert "Course progress: 1 of 3 topics complete" in home
    assert 'max="3" value="1"' in home
    chapter = learner_client.get(
        reverse("courses:chapter", args=["fixture", "images"])
    ).content.decode()
    assert "Chapter progress: 1 of 1 topic complete" in chapter


def test_continue_where_you_left_off(learner_client):
    hello = Question.objects.filter(topic__slug="hello").order_by("position")
    answer(learner_client, hello[0], correct=True)
    home = learner_client.get(reverse("courses:course", args=["fixture"])).content.decode()
    assert "Continue where you left off: Hello" in home
    answer(learner_client, hello[1], correct=True)
    home = learner_client.get(reverse("courses:course", args=["fixture"])).content.decode()
    assert "Continue where you left off: Reading only" in home


def test_no_progress_shown_to_new_visitors(client, fixture_course):
    home = client.get(reverse("courses:course", args=["fixture"])).content.decode()
    assert "Course progress" not in home


def test_mistakes_link_back_to_the_question(learner_client):
    question = Question.objects.get(key="run")
    answer(learner_client, question, correct=False)
    html = learner_client.get(reverse("quizzes:course-progress", args=["fixture"])).content.decode()
    assert f'href="{question.topic.get_absolute_url()}?retry=run#q-run"' in html
    answer(learner_client, question, correct=True)
    html = learner_client.get(reverse("quizzes:course-progress", args=["fixture"])).content.decode()
    assert "since answered correctly" in html


def test_first_try_score_per_topic(learner_client):
    hello = Question.objects.filter(topic__slug="hello").order_by("position")
    answer(learner_client, hello[0], correct=True)
    answer(learner_client, hello[1], correct=False)
    html = learner_client.get(reverse("quizzes:course-progress", args=["fixture"])).content.decode()
    row = html.split("hello/")[1].split("</tr>")[0]
    assert "1 of 2" in row
