"""A new visitor who sends several first answers at once (two tabs, fast clicks) is one learner.

Real gunicorn workers in separate processes, so the answers truly race; on SQLite they share a
database file, on PostgreSQL the test database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest

from tests.config.helpers import run_manage
from tests.factories import SEED_COURSE, load
from tests.servers import (
    Server,
    on_postgres,
    server_env,
    shared_database_url,
    sqlite_database,
    start_server,
    wait_until_ready,
)

pytestmark = pytest.mark.django_db(transaction=True)
TOPIC_URL = "/containers/images/base-images/"
TRIALS = 5
FORM_RE = re.compile(
    r'action="(/quiz/answer/\d+/)".*?name="nonce" value="([0-9a-f]+)".*?'
    r'name="version" value="([^"]+)".*?name="choice" value="([^"]+)"',
    re.DOTALL,
)


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[Server, dict[str, str]]]:
    """Four single-threaded workers, so four answers are handled at the same moment."""
    if on_postgres():
        load(SEED_COURSE)
        url = shared_database_url()
    else:
        url = sqlite_database(tmp_path, SEED_COURSE)
    env = server_env(url, WEB_CONCURRENCY="4")
    running = start_server(env, tmp_path / "gunicorn.log")
    try:
        wait_until_ready(running)
        yield running, env
    finally:
        running.stop()


def count_learners(env: dict[str, str]) -> int:
    code = "from quizzes.models import Learner; print(Learner.objects.count())"
    done = run_manage("shell", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_parallel_first_answers_make_one_learner_who_keeps_every_answer(server):
    """Every question answered at once after the first page view: one learner, all shown."""
    app, env = server
    for _ in range(TRIALS):
        cookies = SimpleCookie()
        status, _, page = app.request("GET", TOPIC_URL, cookies)
        assert status == 200
        forms = FORM_RE.findall(page)
        assert len(forms) == 6

        def send(form, jar=cookies):
            action, nonce, version, choice = form
            body = {
                "csrfmiddlewaretoken": jar["csrftoken"].value,
                "nonce": nonce,
                "version": version,
                "choice": choice,
            }
            own = SimpleCookie()
            own.load({name: morsel.value for name, morsel in jar.items()})
            return app.request("POST", action, own, body, {"HX-Request": "true"}), own

        with ThreadPoolExecutor(max_workers=len(forms)) as pool:
            results = list(pool.map(send, forms))
        assert [status for (status, _, _), _ in results] == [200] * len(forms)
        cookies.load({name: m.value for name, m in results[-1][1].items()})
        _, _, page = app.request("GET", TOPIC_URL, cookies)
        assert "Try again" in page
        assert page.count('name="nonce"') == 0, "an answer was lost: its form is still open"
    assert count_learners(env) == TRIALS
