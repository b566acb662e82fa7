"""/healthz (process up) and /readyz (database reachable, migrations applied)."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.migrations import Migration

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    """Liveness never queries the database."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_never_cached(client):
    """Probes must see the live answer."""
    assert "no-cache" in client.get("/healthz").headers["Cache-Control"]


def test_readyz_is_ready_when_migrated(client):
    """The test database is fully migrated."""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readyz_is_503_with_unapplied_migrations(client):
    """A server whose database lags behind the code stays out of rotation."""
    pending = [(Migration("0002_later", "quizzes"), False)]
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=pending):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["unapplied_migrations"] == ["quizzes.0002_later"]


def test_readyz_is_503_when_the_database_is_unreachable(client):
    """A connection error becomes 503, not a 500 page."""
    with mock.patch.object(
        health.connections[health.DEFAULT_DB_ALIAS],
        "cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_readyz_is_503_when_migrations_cannot_be_read(client):
    """The migration check failing on the database also means not ready."""
    with mock.patch.object(
        health.MigrationExecutor, "__init__", side_effect=OperationalError("gone")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503


def test_health_probes_refuse_posts(client):
    """GET and HEAD only."""
    assert client.post("/healthz").status_code == 405
