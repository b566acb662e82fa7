"""Two gunicorn app servers on one PostgreSQL: a learner's session follows them both."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from quizzes.models import Question
from tests.config.helpers import DROPPED, PROJECT
from tests.factories import FIXTURE_COURSE, SHIPPED_CONTENT, load

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs DATABASE_URL=postgres://... (CI's PostgreSQL pass: make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_database_url() -> str:
    """The URL of the test database pytest-django created (the servers must use it too)."""
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    def request(self, method: str, path: str, cookies: SimpleCookie, body: dict | None = None):
        """One request with these cookies; Set-Cookie answers are stored back into them."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            return response.status, response.headers, text
        finally:
            conn.close()


def start_server(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.conf.py"],
            cwd=PROJECT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Server(port, process, log)


def wait_until_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{server.log.read_text()}")
        try:
            status, _, _ = server.request("GET", "/readyz", SimpleCookie())
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"gunicorn never became ready:\n{server.log.read_text()}")


@pytest.fixture
def servers(tmp_path) -> Iterator[tuple[Server, Server]]:
    """Two gunicorn processes, one worker each, sharing the test database and the secret key."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        SECRET_KEY="shared-by-every-app-server-" + "x" * 40,
        DATABASE_URL=shared_database_url(),
        CONN_MAX_AGE="0",
        WEB_CONCURRENCY="1",
    )
    started: list[Server] = []
    try:
        for name in "ab":
            started.append(start_server(env, tmp_path / f"gunicorn-{name}.log"))
        for server in started:
            wait_until_ready(server)
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def account_name(html: str) -> str | None:
    """The username the page header shows, or None when it offers to log in."""
    match = re.search(r'<span class="account">\s*<span>([^<]+)</span>', html)
    return match.group(1) if match else None


def test_a_session_started_on_one_server_continues_on_the_other(servers):
    """Log in on A; B knows the learner; log out on B; A knows that too."""
    load(FIXTURE_COURSE)
    User.objects.create_user("ada", password=PASSWORD)
    a, b = servers
    cookies = SimpleCookie()

    status, _, page = a.request("GET", "/", cookies)
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

    status, _, page = b.request("GET", "/", cookies)
    assert status == 200
    assert account_name(page) == "ada"

    status, _, _ = b.request(
        "POST", "/accounts/logout/", cookies, {"csrfmiddlewaretoken": cookies["csrftoken"].value}
    )
    assert status == 302
    _, _, page = a.request("GET", "/", cookies)
    assert account_name(page) is None


def first_try_scores(html: str) -> list[str]:
    """The first-try score column of the progress page."""
    return re.findall(r"<td>(\d+ of \d+|—|No questions)</td>", html)


def test_an_answer_given_on_one_server_shows_in_progress_on_the_other(servers):
    """Answer a question on A (non-JS form post); B's progress page counts it."""
    load(SHIPPED_CONTENT)
    User.objects.create_user("ada", password=PASSWORD)
    a, b = servers
    cookies = SimpleCookie()
    a.request("GET", "/", cookies)
    token = cookies["csrftoken"].value
    login = {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert b.request("POST", "/accounts/login/", cookies, login)[0] == 302

    _, _, progress = b.request("GET", "/quiz/progress/", cookies)
    assert "—" in first_try_scores(progress)  # nothing answered yet
    assert not any(score.startswith("1 of") for score in first_try_scores(progress))

    _, _, topic = a.request("GET", "/images/base-images/", cookies)
    question_id = int(re.search(r'action="/quiz/answer/(\d+)/"', topic).group(1))
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', topic).group(1)
    question = Question.objects.get(pk=question_id)
    right = [c.token for c in question.choices.filter(is_correct=True)]
    answer = {
        "csrfmiddlewaretoken": cookies["csrftoken"].value,
        "nonce": nonce,
        "version": question.version,
        "choice": right,
    }
    status, _, _ = a.request("POST", f"/quiz/answer/{question_id}/", cookies, answer)
    assert status == 302

    _, _, progress = b.request("GET", "/quiz/progress/", cookies)
    assert any(score.startswith("1 of") for score in first_try_scores(progress))
