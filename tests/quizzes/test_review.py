"""Spaced review: every graded answer reviews the learner's card; due questions come back."""

import re

import pytest
from django.urls import reverse
from fsrs import Rating, State

from quizzes.models import Attempt, Question, ReviewCard
from quizzes.review import comes_back, rating_for
from tests.factories import answer, tokens

pytestmark = pytest.mark.django_db
REVIEW_URL = "/review/"


@pytest.fixture
def question(seed_course):
    return Question.objects.get(key="alpine-musl")


def review_form(html: str) -> tuple[int, str, list[str]]:
    """The question id, nonce and choice tokens of the review page's form."""
    action = re.search(r'action="/review/answer/(\d+)/"', html)
    assert action, "no review form"
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', html).group(1)
    return int(action.group(1)), nonce, re.findall(r'name="choice" value="([^"]+)"', html)


def review_answer(client, *, correct: bool, htmx: bool = True):
    """Answer the review page's question right or wrong through its form."""
    question_id, nonce, _ = review_form(client.get(REVIEW_URL).content.decode())
    question = Question.objects.get(pk=question_id)
    picked = tokens(question, correct=True) if correct else tokens(question, correct=False)[:1]
    data = {"nonce": nonce, "version": question.form_version, "choice": picked}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/review/answer/{question_id}/", data, headers=headers)


# --- ratings and scheduling ---------------------------------------------------------------


def test_wrong_answer_rates_again():
    """A wrong answer is Again, whatever came before."""
    assert rating_for(False, True) is Rating.Again


def test_right_after_wrong_rates_hard():
    """A right answer after a wrong try is Hard."""
    assert rating_for(True, False) is Rating.Hard


def test_right_at_first_try_rates_good():
    """A right first answer is Good."""
    assert rating_for(True, None) is Rating.Good


def test_topic_answer_creates_one_card(client, question, clock):
    """Answering on a topic page is a review: the learner gets a card of the question."""
    answer(client, question, correct=True)
    card = ReviewCard.objects.get()
    assert card.question == question
    assert card.state == State.Review.value
    assert card.due > clock()


def test_right_answer_comes_back_in_days(client, question, clock):
    """A right first answer is due again only days later."""
    answer(client, question, correct=True)
    assert (ReviewCard.objects.get().due - clock()).days >= 1


def test_wrong_answer_comes_back_within_the_hour(client, question, clock):
    """A wrong answer comes back ten minutes later."""
    answer(client, question, correct=False)
    assert (ReviewCard.objects.get().due - clock()).total_seconds() == 600


def test_attempt_records_rating_and_elapsed_days(client, question, clock):
    """Each attempt keeps its rating and the days since the card's previous review."""
    answer(client, question, correct=False)
    clock.move(days=2)
    answer(client, question, correct=True)
    first, second = Attempt.objects.order_by("pk")
    assert (first.rating, first.elapsed_days) == (Rating.Again.value, None)
    assert second.rating == Rating.Hard.value
    assert second.elapsed_days == pytest.approx(2)


# --- the review page -----------------------------------------------------------------------


def test_nothing_due_before_any_answer(client, seed_course):
    """A visitor who never answered has nothing to review."""
    html = client.get(REVIEW_URL).content.decode()
    assert "Nothing to review right now." in html
    assert "/review/answer/" not in html


def test_answered_question_is_not_due_at_once(client, question, clock):
    """A question answered right is not in review the same day."""
    answer(client, question, correct=True)
    html = client.get(REVIEW_URL).content.decode()
    assert "Nothing to review right now." in html
    assert "The next question comes back in 2 days." in html


def test_due_question_shows_in_review_without_its_answer(client, question, clock):
    """Once due, the question is the review page's form, with no right answer in the markup."""
    answer(client, question, correct=True)
    clock.move(days=30)
    html = client.get(REVIEW_URL).content.decode()
    question_id, _, choice_tokens = review_form(html)
    assert question_id == question.pk
    assert "is-correct" not in html
    assert "Correct answer" not in html
    assert sorted(choice_tokens) == sorted(question.choices.values_list("token", flat=True))


def test_review_answer_says_when_it_comes_back(client, question, clock):
    """Answering in review grades in place and says when the question comes back."""
    answer(client, question, correct=True)
    clock.move(days=30)
    html = review_answer(client, correct=True).content.decode()
    assert "Correct!" in html
    assert re.search(r"This question comes back in \d+ days\.", html)
    assert question.topic.get_absolute_url() in html
    assert "<html" not in html


def test_review_answer_without_javascript_redirects_to_the_result(client, question, clock):
    """Without htmx the answer redirects to the review page showing the result."""
    answer(client, question, correct=True)
    clock.move(days=30)
    response = review_answer(client, correct=False, htmx=False)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Not quite." in html
    assert "This question comes back in 10 minutes." in html


def test_review_answer_refuses_a_stale_version(client, question, clock):
    """A form for an older version of the question is refused, as on topic pages."""
    answer(client, question, correct=True)
    clock.move(days=30)
    _, nonce, _ = review_form(client.get(REVIEW_URL).content.decode())
    data = {"nonce": nonce, "version": "0" * 40, "choice": tokens(question, correct=True)}
    response = client.post(f"/review/answer/{question.pk}/", data, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "was updated while you were reading" in response.content.decode()


def test_review_answer_needs_csrf(question):
    """The review answer is a POST protected by CSRF."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/review/answer/{question.pk}/", {"choice": "x"})
    assert response.status_code == 403


def test_review_choice_order_is_the_learners(client, question, clock):
    """The review form orders choices as the learner's topic page does."""
    page = client.get(f"{question.topic.get_absolute_url()}?retry={question.key}").content
    block = re.search(rf'id="{question.anchor}".*?</form>', page.decode(), flags=re.DOTALL).group(0)
    topic_order = re.findall(r'name="choice" value="([^"]+)"', block)
    answer(client, question, correct=True)
    clock.move(days=30)
    assert review_form(client.get(REVIEW_URL).content.decode())[2] == topic_order


# --- the header ----------------------------------------------------------------------------


def test_header_shows_due_count(client, question, clock):
    """The header says how many questions are due."""
    answer(client, question, correct=False)
    clock.move(hours=1)
    html = client.get(question.topic.get_absolute_url()).content.decode()
    assert re.search(r'<span class="badge">1<span class="visually-hidden"> question due', html)


def test_header_due_count_fits_the_topic_page_budget(
    client, question, clock, django_assert_max_num_queries
):
    """The due count comes with the attempts: a learner's topic page stays at 2 queries."""
    answer(client, question, correct=False)
    clock.move(hours=1)
    client.get(question.topic.get_absolute_url())  # the page's shell is cached now
    with django_assert_max_num_queries(2):  # as tests/quizzes/test_answer_views.py
        html = client.get(question.topic.get_absolute_url()).content.decode()
    assert '<span class="badge">1<' in html


def test_header_due_count_for_an_account(client, question, clock, django_assert_max_num_queries):
    """An account holder's page shows the due count too, within the review page's budget."""
    answer(client, question, correct=False)
    password = "a-long-passphrase-9"
    data = {"username": "bob", "password1": password, "password2": password}
    client.post(reverse("signup"), data)
    clock.move(hours=1)
    client.get(REVIEW_URL)
    # session, user, learner, the due card with the count, the question (cached after),
    # the due count in the header
    with django_assert_max_num_queries(6):
        html = client.get(REVIEW_URL).content.decode()
    assert '<span class="badge">1<' in html


def test_comes_back_speaks_german():
    """When a question comes back is said in the page's language."""
    from datetime import UTC, datetime, timedelta

    from django.utils import translation

    now = datetime(2026, 1, 1, tzinfo=UTC)
    with translation.override("de"):
        assert comes_back(now + timedelta(days=3, hours=2), now) == "in 3 Tagen"


# --- my progress ---------------------------------------------------------------------------


def test_progress_shows_retention_and_next_review(client, question, clock):
    """My progress shows a topic's retention and when its next question comes back."""
    answer(client, question, correct=True)
    html = client.get("/containers/progress/").content.decode()
    row = re.search(rf"{question.topic.title}</a></th>.*?</tr>", html, flags=re.DOTALL).group(0)
    assert "100%" in row
    assert "in 2 days" in row


def test_progress_retention_falls_as_time_passes(client, question, clock):
    """Retention drops as days pass without review, and the topic shows as due."""
    answer(client, question, correct=True)
    clock.move(days=20)
    html = client.get("/containers/progress/").content.decode()
    row = re.search(rf"{question.topic.title}</a></th>.*?</tr>", html, flags=re.DOTALL).group(0)
    percent = int(re.search(r"<td>(\d+)%</td>", row).group(1))
    assert percent < 90
    assert "due now" in row


def test_signup_keeps_the_visitors_due_questions(client, question, clock):
    """Signing up keeps the cards answered anonymously: the same question is due after."""
    answer(client, question, correct=False)
    password = "a-long-passphrase-9"
    client.post(
        reverse("signup"), {"username": "bob", "password1": password, "password2": password}
    )
    clock.move(hours=1)
    assert review_form(client.get(REVIEW_URL).content.decode())[0] == question.pk
    assert ReviewCard.objects.get().learner.user.username == "bob"


def test_show_answer_adds_no_review_to_the_wrong_try(client, question, clock):
    """The wrong try already rated the card Again: revealing the answer leaves the card as is."""
    answer(client, question, correct=False)
    before = ReviewCard.objects.values("due", "stability", "last_review").get()
    url = reverse("quizzes:reveal", args=[question.pk])
    assert client.post(url, headers={"HX-Request": "true"}).status_code == 200
    assert ReviewCard.objects.values("due", "stability", "last_review").get() == before
    assert Attempt.objects.get().revealed_at is not None


def test_a_wrong_review_answer_is_followed_by_the_answer(client, question, clock):
    """On the review page, as on a flashcard's back, the right choice and the why follow."""
    answer(client, question, correct=True)
    clock.move(days=30)
    html = review_answer(client, correct=False).content.decode()
    assert "Not quite." in html
    assert "Correct answer" in html
    assert "Why:" in html
    assert "Show answer" not in html


def test_review_page_is_the_templates(client, question, clock):
    """The assembled review page is review.html rendered the plain way for the same learner:
    their choice order, their due count, their header."""
    from django.shortcuts import render

    from quizzes.learners import order_seed
    from quizzes.progress import question_state
    from tests.courses.test_assembly import normalized

    answer(client, question, correct=False)
    answer(client, Question.objects.get(key="scratch-viable"), correct=False)
    clock.move(hours=2)
    response = client.get(REVIEW_URL)
    request = response.wsgi_request
    state = question_state(question, order_seed(request))
    reference = render(
        request, "quizzes/review.html", {"state": state, "question": question, "due": 2}
    )
    assert "2 questions due" in response.content.decode()
    assert normalized(response.content.decode()) == normalized(reference.content.decode())


def test_review_page_costs_two_queries_once_warm(
    client, question, clock, django_assert_max_num_queries
):
    """A visitor's review page: the next due card with the count, the content version, and
    nothing else (the header's count is the page's)."""
    answer(client, question, correct=False)
    clock.move(hours=2)
    client.get(REVIEW_URL)
    with django_assert_max_num_queries(2):
        html = client.get(REVIEW_URL).content.decode()
    assert '<span class="badge">1<' in html
