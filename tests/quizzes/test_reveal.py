"""After a wrong answer the answer stays hidden until the learner asks ("Show answer")."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Learner, Question
from tests.factories import answer, copy_fixture, load, tokens
from tests.quizzes.test_answer_views import reload_seed

pytestmark = pytest.mark.django_db
TOPIC_URL = "/containers/images/base-images/"
HTMX = {"HX-Request": "true"}
# An answered choice: its classes, then its tags (if any), its text and its feedback.
CHOICE_RE = re.compile(
    r'<li class="([^"]*)">'
    r'(\s*(?:<span class="tag[^"]*">[^<]*</span>\s*)?<span>(.*?)</span>.*?)</li>',
    re.DOTALL,
)


@pytest.fixture
def question(seed_course):
    return Question.objects.get(key="alpine-musl")


def reveal(client, question, htmx=True):
    return client.post(reverse("quizzes:reveal", args=[question.pk]), headers=HTMX if htmx else {})


def question_block(html: str, question) -> str:
    match = re.search(
        rf'<div class="question answered" id="{question.anchor}".*?</ul>.*?</div>\s*</div>',
        html,
        flags=re.DOTALL,
    )
    assert match, f"no answered block for {question.anchor}"
    return match.group(0)


def assert_answer_hidden(html: str, question) -> None:
    """Nothing tells the right choice from the wrong ones the learner did not pick."""
    picked = set(
        Attempt.objects.filter(question=question).latest("pk").choices.values_list("pk", flat=True)
    )
    assert "Correct answer" not in html
    assert question.explanation_html not in html
    items = {text: (classes, inner) for classes, inner, text in CHOICE_RE.findall(html)}
    for choice in question.choices.exclude(pk__in=picked):
        classes, inner = items[choice.text_html]
        assert classes == "choice-result"
        assert "tag" not in inner
        assert "choice-feedback" not in inner


def test_the_right_answer_is_not_in_the_page_after_a_wrong_answer(client, question):
    """Neither the htmx fragment nor the reloaded page holds the right choice's marker."""
    fragment = answer(client, question, correct=False).content.decode()
    assert_answer_hidden(fragment, question)
    page = client.get(TOPIC_URL).content.decode()
    assert_answer_hidden(question_block(page, question), question)
    assert "Show answer" in page


def test_show_answer_shows_the_right_choice_and_the_explanation(client, question):
    answer(client, question, correct=False)
    response = reveal(client, question)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'is-correct">\s*<span class="tag ok">Correct answer', html)
    assert question.explanation_html in html
    assert "You asked to see the answer." in html
    assert "Show answer" not in html
    assert "Try again" in html


def test_show_answer_is_recorded_on_the_latest_attempt(client, question):
    answer(client, question, correct=False)
    answer(client, question, correct=False)
    reveal(client, question)
    first, latest = Attempt.objects.order_by("pk")
    assert first.revealed_at is None
    assert latest.revealed_at is not None


def test_show_answer_twice_records_once(client, question):
    answer(client, question, correct=False)
    reveal(client, question)
    when = Attempt.objects.get().revealed_at
    assert reveal(client, question).status_code == 200
    assert Attempt.objects.get().revealed_at == when
    assert Attempt.objects.count() == 1


def test_the_revealed_answer_stays_on_the_page(client, question):
    answer(client, question, correct=False)
    reveal(client, question)
    page = client.get(TOPIC_URL).content.decode()
    assert question.explanation_html in question_block(page, question)


def test_show_answer_without_javascript_redirects_to_the_question(client, question):
    answer(client, question, correct=False, htmx=False)
    response = reveal(client, question, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == f"{TOPIC_URL}#{question.anchor}"
    page = client.get(response["Location"]).content.decode()
    assert question.explanation_html in page


def test_show_answer_before_any_answer_is_refused(client, question):
    """The first try always comes before the answer can be seen: scores keep their meaning."""
    client.get(TOPIC_URL)
    response = reveal(client, question)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Answer this question once, then you can see its answer." in html
    assert question.explanation_html not in html
    assert "Correct answer" not in html
    assert Learner.objects.count() == 0


def test_show_answer_for_another_question_than_the_one_answered_is_refused(client, question):
    answer(client, Question.objects.get(key="scratch-viable"), correct=False)
    assert reveal(client, question).status_code == 409
    assert not Attempt.objects.filter(revealed_at__isnull=False).exists()


def test_show_answer_after_a_right_answer_records_nothing(client, question):
    answer(client, question, correct=True)
    assert reveal(client, question).status_code == 200
    assert Attempt.objects.get().revealed_at is None


def test_a_revealed_question_answered_right_afterwards_is_not_a_first_try(client, question):
    """First-try scoring is unchanged: the wrong first try stays the score."""
    answer(client, question, correct=False)
    reveal(client, question)
    html = answer(client, question, correct=True).content.decode()
    assert "You got 0 of 6 right on the first try." in html
    assert list(Attempt.objects.order_by("pk").values_list("is_first", "is_correct")) == [
        (True, False),
        (False, True),
    ]


def test_show_answer_needs_the_csrf_token(client, question):
    answer(client, question, correct=False)
    enforcing = Client(enforce_csrf_checks=True)
    enforcing.cookies = client.cookies
    assert reveal(enforcing, question).status_code == 403
    assert Attempt.objects.get().revealed_at is None


def test_show_answer_is_post_only(client, question):
    assert client.get(reverse("quizzes:reveal", args=[question.pk])).status_code == 405


def test_show_answer_for_an_unknown_question_is_404(client, seed_course):
    assert client.post(reverse("quizzes:reveal", args=[999999])).status_code == 404


def test_show_answer_for_a_retired_question_is_410(client, question, tmp_path):
    answer(client, question, correct=False)
    reload_seed(tmp_path, lambda text: text.split("### Why is switching")[0])
    assert reveal(client, question).status_code == 410
    assert Attempt.objects.get().revealed_at is None


def test_show_answer_query_budget(client, question, django_assert_max_num_queries):
    answer(client, question, correct=False)
    # Content version, learner, the latest attempt with its picks, the update.
    with django_assert_max_num_queries(4):
        assert reveal(client, question).status_code == 200


def test_topic_page_with_a_revealed_answer_keeps_its_query_budget(
    client, question, django_assert_max_num_queries
):
    answer(client, question, correct=False)
    reveal(client, question)
    client.get(TOPIC_URL)
    with django_assert_max_num_queries(3):
        html = client.get(TOPIC_URL).content.decode()
    assert question.explanation_html in html


def test_one_learners_reveal_shows_nothing_to_another(question):
    """Two learners with the same wrong pick: only the one who asked sees the answer."""
    shown, hidden = Client(), Client()
    answer(shown, question, correct=False)
    answer(hidden, question, correct=False)
    reveal(shown, question)
    assert question.explanation_html in shown.get(TOPIC_URL).content.decode()
    assert question.explanation_html not in hidden.get(TOPIC_URL).content.decode()


def test_the_show_answer_form_carries_each_visitors_own_csrf_token(question):
    """The cached answered result is filled with the visitor's token, never another's."""
    first, second = Client(), Client()
    for client in (first, second):
        answer(client, question, correct=False)
    pages = [c.get(TOPIC_URL).content.decode() for c in (first, second)]
    token = re.compile(r'action="/quiz/question/\d+/reveal/".*?csrfmiddlewaretoken" value="(\w+)"')
    values = [token.search(page, re.S) for page in pages]
    assert all(values)
    assert values[0][1] != values[1][1]
    enforcing = Client(enforce_csrf_checks=True)
    enforcing.cookies = second.cookies
    response = enforcing.post(
        reverse("quizzes:reveal", args=[question.pk]), {"csrfmiddlewaretoken": values[1][1]}
    )
    assert response.status_code == 302


# --- a select-all question: which picks were wrong, how many were missed ------------------


@pytest.fixture
def runtimes(tmp_path):
    load(copy_fixture(tmp_path))
    return Question.objects.get(allows_many=True)


def test_select_all_wrong_answer_marks_the_picks_and_counts_the_missed(client, runtimes):
    """runc (right) and bash (wrong) picked, crun missed: said as a count, never named."""
    page = client.get(runtimes.topic.get_absolute_url()).content.decode()
    nonce = re.search(
        rf'id="{runtimes.anchor}".*?name="nonce" value="([0-9a-f]+)"', page, re.S
    ).group(1)
    picked = [runtimes.choices.get(text="runc").token, runtimes.choices.get(text="bash").token]
    data = {"nonce": nonce, "version": runtimes.form_version, "choice": picked}
    html = client.post(f"/quiz/answer/{runtimes.pk}/", data, headers=HTMX).content.decode()
    assert "You missed 1 right choice." in html
    assert re.search(
        r'picked-right">\s*<span class="tag ok">Your answer: right</span>\s*<span>runc', html
    )
    assert re.search(
        r'picked-wrong">\s*<span class="tag bad">Your answer: not right</span>\s*<span>bash', html
    )
    assert re.search(r'<li class="choice-result">\s*<span>crun', html)
    assert "Correct answer" not in html
    assert tokens(runtimes, correct=True)  # the fixture does have right choices
