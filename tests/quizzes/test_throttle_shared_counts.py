"""Counts are shared by separate processes: app servers and workers enforce one limit."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

from tests.config.helpers import PROJECT, run_manage, run_python
from tests.servers import running_servers, server_env, shared_database_url

# On PostgreSQL the processes share pytest-django's test database, committed as they go.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"

CREATE_ADA = f"""
import django
django.setup()
from django.contrib.auth.models import User
User.objects.create_user("ada", password={PASSWORD!r})
"""

# Each process waits for a common start time, so their increments really overlap.
RECORD = """
import sys, time
from datetime import timedelta
import django
django.setup()
from quizzes.models import LoginFailureCount
start, times = float(sys.argv[1]), int(sys.argv[2])
time.sleep(max(0, start - time.time()))
for _ in range(times):
    LoginFailureCount.objects.record(["user:shared", "ip:shared"], timedelta(minutes=15))
    LoginFailureCount.objects.prune()
"""

COUNTS = """
import json
import django
django.setup()
from quizzes.models import LoginFailureCount
print(json.dumps(dict(LoginFailureCount.objects.values_list("key", "failures"))))
"""


@pytest.fixture
def shared_database(tmp_path: Path) -> str:
    """A database other processes can use: PostgreSQL's test database, or a new SQLite file."""
    if connection.vendor == "postgresql":
        return shared_database_url()
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    migrated = run_manage("migrate", "--noinput", env=server_env(url))
    assert migrated.returncode == 0, migrated.stderr
    return url


def test_concurrent_failures_from_four_processes_are_all_counted(shared_database):
    """4 processes, 100 failures each, at the same moment: 400 for each key, none lost."""
    env = server_env(shared_database)
    start = time.time() + 3
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-c", RECORD, str(start), "100"],
            cwd=PROJECT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=60)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors
    result = run_python(COUNTS, env)
    assert json.loads(result.stdout) == {"user:shared": 400, "ip:shared": 400}, result.stderr


def login(server, cookies: SimpleCookie, password: str) -> int:
    body = {
        "username": "ada",
        "password": password,
        "csrfmiddlewaretoken": cookies["csrftoken"].value,
    }
    return server.request("POST", "/accounts/login/", cookies, body)[0]


def test_the_sixth_try_is_refused_whichever_server_answers(shared_database, tmp_path):
    """Five failures spread over two servers; then both refuse even the right password."""
    env = server_env(shared_database)
    created = run_python(CREATE_ADA, env)
    assert created.returncode == 0, created.stderr
    with running_servers(env, tmp_path) as (a, b):
        cookies = SimpleCookie()
        a.request("GET", "/accounts/login/", cookies)
        assert [login(server, cookies, "wrong") for server in (a, b, a, b, a)] == [200] * 5
        assert login(a, cookies, PASSWORD) == 429
        assert login(b, cookies, PASSWORD) == 429
