"""config/gunicorn.conf.py and the container's health probe script."""

import runpy
from pathlib import Path

import pytest

from config import healthcheck

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def load_conf(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_defaults_to_loopback_and_one_worker_per_core(monkeypatch):
    """No environment: 127.0.0.1:8000, workers = cores, access log on stdout."""
    conf = load_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == conf["multiprocessing"].cpu_count()
    assert conf["accesslog"] == "-"


def test_gunicorn_reads_bind_and_workers_from_the_environment(monkeypatch):
    """GUNICORN_BIND and WEB_CONCURRENCY override the defaults."""
    conf = load_conf(monkeypatch, GUNICORN_BIND="0.0.0.0:9000", WEB_CONCURRENCY="3")
    assert conf["bind"] == "0.0.0.0:9000"
    assert conf["workers"] == 3


@pytest.mark.parametrize(
    ("allowed_hosts", "expected"),
    [
        ("courses.example.org,www.example.org", "courses.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_healthcheck_sends_a_host_that_django_allows(monkeypatch, allowed_hosts, expected):
    """The container probe picks a Host header from ALLOWED_HOSTS."""
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)
    assert healthcheck.probe_host() == expected


def test_healthcheck_fails_when_nothing_listens(monkeypatch):
    """No server: exit status 1, not an exception."""
    monkeypatch.setenv("PORT", "1")
    assert healthcheck.main() == 1
