"""Real gunicorn servers for tests that need separate processes (sessions, races, workers).

On PostgreSQL the servers share pytest-django's test database (the test must use
`django_db(transaction=True)`); on SQLite they share a database file the fixture migrates.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

from tests.config.helpers import DROPPED, PROJECT, run_manage

SECRET_KEY = "shared-by-every-app-server-" + "x" * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def shared_database_url() -> str:
    """The URL of the test database pytest-django created (the servers must use it too)."""
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def server_env(database_url: str, **overrides: str) -> dict[str, str]:
    """Test settings for a server process, without what the test run itself set."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        CONN_MAX_AGE="0",
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="",
    )
    env.update(overrides)
    return env


def sqlite_database(tmp_path: Path, content: Path) -> str:
    """A migrated SQLite file with `content` loaded, for servers to share."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = server_env(url)
    for args in (("migrate", "--noinput"), ("load_content", str(content))):
        done = run_manage(*args, env=env)
        assert done.returncode == 0, done.stderr
    return url


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    def request(
        self,
        method: str,
        path: str,
        cookies: SimpleCookie,
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPMessage, str]:
        """One request with these cookies; Set-Cookie answers are stored back into them."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            return response.status, response.headers, text
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(env: dict[str, str], log: Path) -> Server:
    """A gunicorn server with the project's config, started (not yet ready)."""
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


@contextmanager
def running_servers(env: dict[str, str], logs: Path, count: int = 2) -> Iterator[list[Server]]:
    """`count` gunicorn processes with this environment, ready; stopped on exit."""
    started: list[Server] = []
    try:
        for number in range(count):
            started.append(start_server(env, logs / f"gunicorn-{number}.log"))
        for server in started:
            wait_until_ready(server)
        yield started
    finally:
        for server in started:
            server.stop()
