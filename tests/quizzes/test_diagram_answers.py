"""Questions answered on the spectrum: stored, shown, graded and reported like any question."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Attempt, Question
from tests.courses.test_diagram_questions import QUESTION, spectrum
from tests.factories import SEED_TOPIC, answer, load, minimal_tree, question_form, topic_text

pytestmark = pytest.mark.django_db
TOPIC_URL = "/containers/images/base-images/"
HTMX = {"HX-Request": "true"}
TIERS = ["full", "slim", "alpine", "distroless", "scratch"]
NAMES = ["full debian", "slim", "alpine", "distroless", "scratch"]


@pytest.fixture
def question(seed_course):
    """The shipped question answered on the Base Images spectrum (right tier: scratch)."""
    return Question.objects.get(key="static-go-service-tier")


def form_block(html: str, question: Question) -> str:
    match = re.search(rf'<div class="question" id="{question.anchor}".*?</form>', html, re.DOTALL)
    assert match, f"no form for {question.anchor}"
    return match.group(0)


def post(client, question, nonce: str, choice: str, version: str = ""):
    data = {"nonce": nonce, "version": version or question.form_version, "choice": choice}
    url = reverse("quizzes:answer", args=[question.pk])
    return client.post(url, data, headers=HTMX)


def token_of(question: Question, tier: str) -> str:
    return question.choices.get(text=tier, is_active=True).token


# --- stored ----------------------------------------------------------------------------------


def test_choices_are_the_tiers_in_the_diagrams_order_named_by_their_names(question):
    choices = list(question.choices.order_by("position"))
    assert [c.text for c in choices] == TIERS
    assert [c.text_html for c in choices] == NAMES
    assert all(c.pinned for c in choices)
    assert [c.text for c in choices if c.is_correct] == ["scratch"]
    assert question.diagram["index"] == 0
    assert question.choice_label(choices[0]) == "full debian"


# --- the page ----------------------------------------------------------------------------


def test_the_form_is_a_radio_group_of_tiers_labelled_with_name_and_size(client, question):
    block = form_block(client.get(TOPIC_URL).content.decode(), question)
    assert 'role="radiogroup"' in block
    assert f'aria-labelledby="{question.anchor}-diagram"' in block
    labels = re.findall(
        r'<label class="spectrum-answer-tier">\s*<input type="radio" name="choice" value="[^"]+"'
        r' required>\s*<span class="spectrum-tier-name">([^<]+)</span>.*?'
        r'<span class="spectrum-tier-size">([^<]+)</span>',
        block,
        re.DOTALL,
    )
    assert labels == [
        ("full debian", "~1 GB"),
        ("slim", "~120 MB"),
        ("alpine", "~5 MB"),
        ("distroless", "~20\u201350 MB"),  # an en dash, as the fence writes it
        ("scratch", "a few MB"),
    ]


def test_every_learner_sees_the_tiers_in_the_diagrams_order(question):
    """No per-learner shuffle: the order is the public diagram's, whoever asks."""
    expected = [token_of(question, tier) for tier in TIERS]
    for _ in range(4):
        page = Client().get(TOPIC_URL).content.decode()
        assert question_form(page, question)[1] == expected


def test_the_form_is_the_same_whichever_tier_is_right(client, tmp_path):
    """Nothing in the markup (classes, attributes, order) depends on the right tier."""
    forms = []
    for right in ("small", "big"):
        questions = QUESTION.replace("- [x] small", "- [ ] small").replace(
            f"- [ ] {right}", f"- [x] {right}"
        )
        root = minimal_tree(
            tmp_path / right, {"01-a.md": topic_text(body=spectrum(), questions=questions)}
        )
        load(root)
        q = Question.objects.get(is_active=True)
        html = form_block(client.get("/course/one/a/").content.decode(), q)
        for choice in q.choices.all():
            html = html.replace(choice.token, f"token-{choice.text}")
        forms.append(re.sub(r'value="[0-9a-zA-Z]{20,}"', "", html))
    assert forms[0] == forms[1]


def test_the_page_shows_no_answer_before_answering(client, question):
    block = form_block(client.get(TOPIC_URL).content.decode(), question)
    assert not re.search(r"correct|feedback|explanation|data-tier|Why:", block, re.IGNORECASE)
    assert "A statically linked binary needs nothing" not in block


def test_a_topic_page_with_diagram_questions_costs_no_more_queries(client, tmp_path):
    """The answer mode is in the cached form pieces: the page reads nothing more."""
    plain = QUESTION.replace("<!-- on: spectrum -->\n", "")
    counts = []
    for name, questions in (("plain", plain), ("diagram", QUESTION)):
        load(
            minimal_tree(
                tmp_path / name, {"01-a.md": topic_text(body=spectrum(), questions=questions)}
            )
        )
        client.get("/course/one/a/")  # builds the cached pieces
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/course/one/a/").content.decode()
        counts.append(len(queries))
    assert 'role="radiogroup"' in html
    assert counts[1] <= counts[0]


# --- answering ---------------------------------------------------------------------------


def test_the_right_tier_is_graded_in_place_with_the_explanation(client, question):
    nonce, _ = question_form(client.get(TOPIC_URL).content.decode(), question)
    response = post(client, question, nonce, token_of(question, "scratch"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Correct!" in html
    assert "A statically linked binary needs nothing from the OS" in html
    assert "<html" not in html


def test_a_wrong_tier_gets_that_tiers_feedback(client, question):
    nonce, _ = question_form(client.get(TOPIC_URL).content.decode(), question)
    html = post(client, question, nonce, token_of(question, "distroless")).content.decode()
    assert "Not quite." in html
    assert "distroless exists to carry a language runtime" in html
    attempt = Attempt.objects.get()
    assert (attempt.is_correct, attempt.is_first) == (False, True)
    assert [c.text for c in attempt.choices.all()] == ["distroless"]


def test_a_tier_renamed_after_the_page_loaded_asks_to_answer_again(client, tmp_path):
    """The learner saw the old tier names: the question's version changed, so 409."""
    root = minimal_tree(
        tmp_path / "content", {"01-a.md": topic_text(body=spectrum(), questions=QUESTION)}
    )
    load(root)
    question = Question.objects.get()
    nonce, _ = question_form(client.get("/course/one/a/").content.decode(), question)
    seen = question.form_version
    renamed = topic_text(body=spectrum(names=("big", "medium", "small")), questions=QUESTION)
    (root / "01-one" / "01-a.md").write_text(renamed, encoding="utf-8")
    load(root)
    question.refresh_from_db()
    response = post(client, question, nonce, token_of(question, "small"), version=seen)
    assert response.status_code == 409
    assert Attempt.objects.count() == 0


def test_without_javascript_the_answer_redirects_to_the_result(client, question):
    nonce, _ = question_form(client.get(TOPIC_URL).content.decode(), question)
    data = {"nonce": nonce, "version": question.form_version, "choice": token_of(question, "slim")}
    response = client.post(reverse("quizzes:answer", args=[question.pk]), data)
    assert response["Location"] == f"{TOPIC_URL}#{question.anchor}"
    page = client.get(response["Location"]).content.decode()
    assert "slim keeps a shell and apt for debugging" in page


def test_an_empty_answer_shows_the_tiers_again_with_the_message(client, question):
    nonce, _ = question_form(client.get(TOPIC_URL).content.decode(), question)
    response = post(client, question, nonce, "")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="radiogroup"' in html
    assert html.count('class="spectrum-answer-tier"') == 5
    assert 'role="alert"' in html


def test_several_right_tiers_make_a_group_of_checkboxes_graded_as_a_set(client, tmp_path):
    questions = QUESTION.replace("- [ ] mid", "- [x] mid")
    load(minimal_tree(tmp_path, {"01-a.md": topic_text(body=spectrum(), questions=questions)}))
    question = Question.objects.get()
    block = form_block(client.get("/course/one/a/").content.decode(), question)
    assert 'role="group"' in block
    assert block.count('type="checkbox" name="choice"') == 3
    nonce, _ = question_form(client.get("/course/one/a/").content.decode(), question)
    data = {"nonce": nonce, "version": question.form_version}
    data["choice"] = [token_of(question, "mid"), token_of(question, "small")]
    response = client.post(reverse("quizzes:answer", args=[question.pk]), data, headers=HTMX)
    assert "Correct!" in response.content.decode()


def test_grading_a_diagram_question_costs_what_any_answer_costs(
    client, question, django_assert_max_num_queries
):
    answer(client, Question.objects.get(key="alpine-musl"), correct=True)  # learner exists
    nonce, _ = question_form(client.get(TOPIC_URL).content.decode(), question)
    token = token_of(question, "scratch")  # the test's own query, outside the budget
    with django_assert_max_num_queries(10):  # as tests/quizzes/test_answer_views.py
        assert post(client, question, nonce, token).status_code == 200


# --- results -----------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(
        get_user_model().objects.create_user("staff", is_staff=True, is_superuser=True)
    )
    return client


@pytest.fixture
def answered(question):
    """Two learners answered the diagram question: one picked full (full debian), one scratch."""
    for tier in ("full", "scratch"):
        other = Client()
        nonce, _ = question_form(other.get(TOPIC_URL).content.decode(), question)
        post(other, question, nonce, token_of(question, tier))
    return question


def test_results_show_pick_rates_per_tier_by_name(staff_client, answered):
    url = reverse("results:question", args=["containers", answered.pk])
    html = staff_client.get(url).content.decode()
    rows = re.findall(
        r'<td class="choice-cell">(?:<span class="right-mark">.*?</span></span>)?([^<]+).*?'
        r'<td class="num"[^>]*>(\d+)</td>.*?<span class="pct">(\d+)%',
        html,
        re.DOTALL,
    )
    assert [(name.strip(), picks, pct) for name, picks, pct in rows] == [
        ("full debian", "1", "50"),
        ("slim", "0", "0"),
        ("alpine", "0", "0"),
        ("distroless", "0", "0"),
        ("scratch", "1", "50"),
    ]


def test_csv_names_the_tiers_not_their_ids(staff_client, answered):
    def rows(name):
        response = staff_client.get(reverse(f"results:{name}", args=["containers"]))
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert [r["picked"] for r in rows("attempts-csv")] == ["full debian", "scratch"]
    stats = next(r for r in rows("questions-csv") if r["question"] == answered.key)
    assert stats["pick_rates"] == (
        "full debian=0.500 | slim=0.000 | alpine=0.000 | distroless=0.000 | scratch=0.500"
    )


def test_the_learner_page_names_the_picked_tier(staff_client, answered):
    learner = Attempt.objects.get(choices__text="full").learner
    html = staff_client.get(reverse("results:learner", args=["containers", learner.pk])).content
    assert "<td>full debian</td>" in html.decode()


def test_the_shipped_topic_has_two_questions_on_its_spectrum():
    text = SEED_TOPIC.read_text(encoding="utf-8")
    assert text.count("<!-- on: spectrum -->") == 2
