"""The results dashboard: staff only, right numbers on the page, CSV, constant query counts."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import Attempt, Learner, Question
from tests.quizzes.results_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tmp_path):
    return build(tmp_path)


@pytest.fixture
def staff_client(client):
    # An admin: sees every course (instructors are tested in test_instructors.py).
    client.force_login(
        get_user_model().objects.create_user("staff", is_staff=True, is_superuser=True)
    )
    return client


def results_urls():
    question = Question.objects.get(key="q1")
    learner = Learner.objects.get(user__username="l1")
    return [
        reverse("results:topics", args=["course"]),
        reverse("results:questions", args=["course"]),
        reverse("results:questions", args=["course"]) + f"?topic={question.topic_id}",
        reverse("results:question", args=["course", question.pk]),
        reverse("results:learners", args=["course"]),
        reverse("results:learners", args=["course"]) + "?q=l1",
        reverse("results:learner", args=["course", learner.pk]),
        reverse("results:attempts-csv", args=["course"]),
        reverse("results:questions-csv", args=["course"]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, data):
    for url in results_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_an_address_too_long_to_carry_sends_to_log_in_without_its_query(client, data):
    """Django refuses to redirect to over 16 KB; the login page then comes back to the path
    alone instead of answering 400."""
    url = reverse("results:learners", args=["course"])
    response = client.get(url, {"q": "é" * 9000})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query) == {"next": [url]}


def test_learners_get_403_and_no_data(client, data):
    client.force_login(get_user_model().objects.get(username="l1"))
    for url in results_urls():
        response = client.get(url)
        assert response.status_code == 403, url
        body = b"".join(getattr(response, "streaming_content", [response.content]))
        # Words of the results, not "q1": a random nonce in the page held "q1" now and then.
        assert b"Q1?" not in body, url
        assert b"Right five" not in body, url


def test_staff_see_every_page(staff_client, data):
    for url in results_urls():
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url  # learner data stays uncached


def test_topics_page_shows_the_funnel(staff_client, data):
    html = staff_client.get(reverse("results:topics", args=["course"])).content.decode()
    assert "1.1 First" in html
    assert "50%" in html  # average first-try score of topic 1
    assert '<rect class="fill" width="40"' in html  # 2 of 5 reached topic 2: an SVG bar, no style
    assert "style=" not in html


def test_questions_page_shows_analysis_and_flags(staff_client, data):
    html = staff_client.get(reverse("results:questions", args=["course"])).content.decode()
    assert "Discrimination D: -1.00" in html  # q2
    assert "negative discrimination" in html
    assert "distractor nobody picks" in html
    assert "Facility: 60%" in html  # q1
    assert "0ld0ld0ld0ld" in html  # the older version of q3
    assert "style=" not in html


def test_learner_page_lists_every_answer_in_order(staff_client, data):
    learner = Learner.objects.get(user__username="l1")
    html = staff_client.get(
        reverse("results:learner", args=["course", learner.pk])
    ).content.decode()
    prompts = [html.index(f">Q{n}?<") for n in (1, 2, 3, 4)]
    assert prompts == sorted(prompts)
    assert html.count("· first try") == 5  # 6 answers, one of them a retry


def test_learner_search_by_username(staff_client, data):
    html = staff_client.get(reverse("results:learners", args=["course"]) + "?q=l3").content.decode()
    assert ">l3</a>" in html
    assert ">l1</a>" not in html


def read_csv(response) -> list[list[str]]:
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_attempts_csv(staff_client, data):
    rows = read_csv(staff_client.get(reverse("results:attempts-csv", args=["course"])))
    header, first = rows[0], rows[1]
    assert header[:3] == ["attempt", "learner", "username"]
    assert len(rows) == 1 + Attempt.objects.count()
    record = dict(zip(header, first, strict=True))
    assert (record["username"], record["question"], record["picked"]) == ("l1", "q1", "A")
    assert (record["first_try"], record["correct"]) == ("1", "1")


def test_questions_csv(staff_client, data):
    rows = read_csv(staff_client.get(reverse("results:questions-csv", args=["course"])))
    header = rows[0]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    q1 = next(r for r in records if r["question"] == "q1")
    assert (q1["facility"], q1["discrimination"], q1["learners"]) == ("0.600", "1.000", "5")
    assert q1["pick_rates"] == "A=0.600 | B=0.400 | C=0.000 | D=0.000"
    assert len(records) == 6  # five questions, q3 twice (two versions)


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_query_counts_do_not_grow_with_attempts(staff_client, seed_course):
    call_command("generate_results_data", learners=5, attempts=10, seed=1, verbosity=0)
    learner = Learner.objects.filter(attempts__isnull=False).order_by("pk").first()
    urls = [
        reverse("results:topics", args=["containers"]),
        reverse("results:questions", args=["containers"]),
        reverse("results:question", args=["containers", Question.objects.first().pk]),
        reverse("results:learners", args=["containers"]),
        reverse("results:learner", args=["containers", learner.pk]),
        reverse("results:questions-csv", args=["containers"]),
        reverse("results:attempts-csv", args=["containers"]),
    ]
    few = [page_queries(staff_client, url) for url in urls]
    call_command("generate_results_data", learners=5, attempts=190, seed=2, verbosity=0)
    assert Attempt.objects.count() == 200
    many = [page_queries(staff_client, url) for url in urls]
    assert many == few
    # The question analysis: 7 queries (quizzes/stats.py), plus session, user, course, list.
    assert max(many) <= 13


# --- answers shown on request ("Show answer") -------------------------------------------


@pytest.fixture
def revealed(data):
    """L4 asked for q1's answer after their wrong first try (then answered it right)."""
    attempt = Attempt.objects.get(learner__user__username="l4", question__key="q1", is_first=True)
    attempt.revealed_at = attempt.created_at
    attempt.save(update_fields=["revealed_at"])
    return attempt


def test_question_analysis_counts_learners_who_asked_for_the_answer(staff_client, revealed):
    html = staff_client.get(reverse("results:questions", args=["course"])).content.decode()
    q1 = html[html.index(">Q1?<") : html.index(">Q2?<")]
    assert "1 learner asked for the answer" in q1
    assert "0 learners asked for the answer" in html[html.index(">Q2?<") :]


def test_learner_page_marks_an_answer_shown_on_request(staff_client, revealed):
    url = reverse("results:learner", args=["course", revealed.learner_id])
    html = staff_client.get(url).content.decode()
    assert html.count("answer shown on request") == 1
    other = Learner.objects.get(user__username="l1")
    url = reverse("results:learner", args=["course", other.pk])
    assert "answer shown on request" not in staff_client.get(url).content.decode()


def test_learners_list_counts_answers_shown(staff_client, revealed):
    html = staff_client.get(reverse("results:learners", args=["course"]) + "?q=l4").content.decode()
    assert '<th scope="col" class="num">Answers shown</th>' in html
    row = html[html.index(">l4</a>") :]
    assert re.findall(r'<td class="num">(\d+)</td>', row)[:4] == ["5", "4", "1", "1"]


def test_csv_exports_tell_a_revealed_answer_from_a_found_one(staff_client, revealed):
    rows = read_csv(staff_client.get(reverse("results:attempts-csv", args=["course"])))
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    shown = [r for r in records if r["revealed_at"]]
    assert [(r["username"], r["question"], r["correct"]) for r in shown] == [("l4", "q1", "0")]
    rows = read_csv(staff_client.get(reverse("results:questions-csv", args=["course"])))
    records = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert records["q1"]["revealed_learners"] == "1"
    assert records["q2"]["revealed_learners"] == "0"
