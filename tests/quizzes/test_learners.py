"""Learners: anonymous first, accounts later, merged without duplicates; own data only."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quizzes import visitors
from quizzes.models import Attempt, Learner, Question, TopicProgress
from tests.factories import answer

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def questions(seed_course):
    return list(Question.objects.order_by("position"))


def make_user(name="ada"):
    return get_user_model().objects.create_user(name, password=PASSWORD)


def test_visitors_who_only_read_get_no_learner_row(client, seed_course):
    client.get("/containers/images/base-images/")
    assert Learner.objects.count() == 0


def test_first_answer_creates_an_anonymous_learner(client, questions):
    answer(client, questions[0])
    learner = Learner.objects.get()
    assert learner.user is None
    assert visitors.parse_cookie(client.cookies[visitors.COOKIE].value).learner_id == learner.pk


def test_signup_validates_passwords(client, seed_course):
    response = client.post(
        reverse("signup"), {"username": "bob", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signup_carries_anonymous_progress_into_the_account(client, questions):
    answer(client, questions[0], correct=True)
    response = client.post(
        reverse("signup"), {"username": "bob", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    learner = Learner.objects.get()
    assert learner.user.username == "bob"
    assert learner.attempts.count() == 1


def test_login_merges_without_duplicates(questions):
    user = make_user()
    # On another device, the account answered question 0 (wrong) earlier.
    other_device = Client()
    other_device.force_login(user)
    answer(other_device, questions[0], correct=False)
    # Anonymously, this browser answered question 0 right and question 1, and marked nothing.
    browser = Client()
    answer(browser, questions[0], correct=True)
    answer(browser, questions[1], correct=True)
    assert (
        browser.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 302
    )
    assert Learner.objects.count() == 1
    learner = Learner.objects.get(user=user)
    assert learner.attempts.count() == 3
    firsts = Attempt.objects.filter(learner=learner, is_first=True)
    assert sorted(firsts.values_list("question_id", flat=True)) == [
        questions[0].pk,
        questions[1].pk,
    ]
    # The earliest attempt on question 0 (the wrong one) stays the first.
    assert not firsts.get(question=questions[0]).is_correct


def test_merge_keeps_one_read_mark_per_topic(tmp_path, fixture_course):
    from courses.models import Topic

    topic = Topic.objects.get(slug="reading")
    user = make_user()
    device = Client()
    device.force_login(user)
    device.post(reverse("quizzes:mark-read", args=[topic.pk]))
    browser = Client()
    browser.post(reverse("quizzes:mark-read", args=[topic.pk]))
    browser.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert TopicProgress.objects.count() == 1
    assert TopicProgress.objects.get().learner.user == user


def test_logout_keeps_progress_in_the_account(client, questions):
    user = make_user()
    client.force_login(user)
    answer(client, questions[0])
    client.post(reverse("logout"))
    html = client.get(reverse("quizzes:course-progress", args=["containers"])).content.decode()
    assert "0 of 1 topic complete" in html
    client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert "You got 1 of 6" in client.get("/containers/images/base-images/").content.decode()


def test_learners_see_only_their_own_data(questions):
    alice, bob = Client(), Client()
    answer(alice, questions[0], correct=False)
    html = bob.get(reverse("quizzes:course-progress", args=["containers"])).content.decode()
    assert "No mistakes to review" in html
    assert "You got" not in bob.get("/containers/images/base-images/").content.decode()
    assert (
        questions[0].prompt_html
        in alice.get(reverse("quizzes:course-progress", args=["containers"])).content.decode()
    )


def test_an_old_visitor_cookie_cannot_answer_into_the_account_its_learner_joined(client, questions):
    """A copy of the cookie kept from before the learner became an account's answers as a new
    visitor: answering trusts the cookie's learner only once its row proves it this browser's."""
    answer(client, questions[0])
    Learner.objects.update(user=make_user(), visitor_key=None)  # as signing up does
    answer(client, questions[1])
    account, visitor = Learner.objects.order_by("pk")
    assert list(account.attempts.values_list("question", flat=True)) == [questions[0].pk]
    assert list(visitor.attempts.values_list("question", flat=True)) == [questions[1].pk]


def test_legacy_session_cannot_point_at_an_account_learner(client, questions):
    """An old-style session id of a learner who has an account is ignored, not trusted."""
    user = make_user()
    owner = Client()
    owner.force_login(user)
    answer(owner, questions[0])
    session = client.session
    session["learner_id"] = Learner.objects.get(user=user).pk
    session.save()
    assert "You got" not in client.get("/containers/images/base-images/").content.decode()


def test_legacy_session_learner_moves_to_the_visitor_cookie(client, questions):
    """An anonymous learner kept in the session by an earlier release keeps their answers."""
    answer(client, questions[0])
    learner = Learner.objects.get()
    learner.visitor_key = None
    learner.save()
    fresh = Client()
    session = fresh.session
    session["learner_id"] = learner.pk
    session.save()
    fresh.cookies["sessionid"] = session.session_key
    assert "You got 1 of 6" in fresh.get("/containers/images/base-images/").content.decode()
    learner.refresh_from_db()
    assert visitors.parse_cookie(fresh.cookies[visitors.COOKIE].value).key == learner.visitor_key
    assert "You got 1 of 6" in fresh.get("/containers/images/base-images/").content.decode()


def test_parallel_first_answers_by_an_account_share_one_learner(questions):
    """An account without a learner row that answers twice at once still gets one row."""
    from quizzes.learners import get_or_create_once

    user = make_user()
    first = get_or_create_once(user=user, defaults={"seed": "a"})
    second = get_or_create_once(user=user, defaults={"seed": "b"})
    assert first.pk == second.pk
