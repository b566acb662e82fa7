"""Real gunicorn app servers for tests, talking to a database the test can share with them."""

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

from tests.config.helpers import DROPPED, PROJECT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_database_url() -> str:
    """The URL of the PostgreSQL test database pytest-django created (servers must use it too)."""
    db = connection.settings_dict
    user, password = quote(db["USER"], safe=""), quote(db["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def server_env(database_url: str) -> dict[str, str]:
    """The environment of an app server on this database; every server shares the secret key."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        SECRET_KEY="shared-by-every-app-server-" + "x" * 40,
        DATABASE_URL=database_url,
        CONN_MAX_AGE="0",
        WEB_CONCURRENCY="1",
    )
    return env


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
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()
