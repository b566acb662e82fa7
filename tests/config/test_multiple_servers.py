"""Two gunicorn app servers on one PostgreSQL: a learner's session follows them both."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from quizzes.models import Question
from tests.factories import FIXTURE_COURSE, SEED_COURSE, load
from tests.servers import Server, running_servers, server_env, shared_database_url

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs DATABASE_URL=postgres://... (CI's PostgreSQL pass: make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def servers(tmp_path) -> Iterator[tuple[Server, Server]]:
    """Two gunicorn processes, one worker each, sharing the test database and the secret key."""
    with running_servers(server_env(shared_database_url()), tmp_path) as (a, b):
        yield a, b


def account_name(html: str) -> str | None:
    """The username the page header shows, or None when it offers to log in."""
    match = re.search(r'<div class="account">\s*<span>([^<]+)</span>', html)
    return match.group(1) if match else None


def test_a_session_started_on_one_server_continues_on_the_other(servers):
    """Log in on A; B knows the learner; log out on B; A knows that too."""
    load(FIXTURE_COURSE)
    User.objects.create_user("ada", password=PASSWORD)
    a, b = servers
    cookies = SimpleCookie()

    status, _, page = a.request("GET", "/fixture/", cookies)
    assert status == 200
    assert account_name(page) is None
    assert "csrftoken" in cookies

    status, _, _ = a.request(
        "POST",
        "/accounts/login/",
        cookies,
        {
            "username": "ada",
            "password": PASSWORD,
            "csrfmiddlewaretoken": cookies["csrftoken"].value,
        },
    )
    assert status == 302, "login on server A failed"
    assert "sessionid" in cookies

    status, _, page = b.request("GET", "/fixture/", cookies)
    assert status == 200
    assert account_name(page) == "ada"

    status, _, _ = b.request(
        "POST", "/accounts/logout/", cookies, {"csrfmiddlewaretoken": cookies["csrftoken"].value}
    )
    assert status == 302
    _, _, page = a.request("GET", "/fixture/", cookies)
    assert account_name(page) is None


def first_try_scores(html: str) -> list[str]:
    """The first-try score column of the progress page."""
    return re.findall(r"<td>(\d+ of \d+|—|No questions)</td>", html)


def test_an_answer_given_on_one_server_shows_in_progress_on_the_other(servers):
    """Answer a question on A (non-JS form post); B's progress page counts it."""
    load(SEED_COURSE)
    User.objects.create_user("ada", password=PASSWORD)
    a, b = servers
    cookies = SimpleCookie()
    a.request("GET", "/containers/", cookies)
    token = cookies["csrftoken"].value
    login = {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert b.request("POST", "/accounts/login/", cookies, login)[0] == 302

    _, _, progress = b.request("GET", "/containers/progress/", cookies)
    assert "—" in first_try_scores(progress)  # nothing answered yet
    assert not any(score.startswith("1 of") for score in first_try_scores(progress))

    _, _, topic = a.request("GET", "/containers/images/base-images/", cookies)
    question_id = int(re.search(r'action="/quiz/answer/(\d+)/"', topic).group(1))
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', topic).group(1)
    question = Question.objects.get(pk=question_id)
    right = [c.token for c in question.choices.filter(is_correct=True)]
    answer = {
        "csrfmiddlewaretoken": cookies["csrftoken"].value,
        "nonce": nonce,
        "version": re.search(r'name="version" value="([^"]+)"', topic).group(1),
        "choice": right,
    }
    status, _, _ = a.request("POST", f"/quiz/answer/{question_id}/", cookies, answer)
    assert status == 302

    _, _, progress = b.request("GET", "/containers/progress/", cookies)
    assert any(score.startswith("1 of") for score in first_try_scores(progress))
