"""Probes for load balancers and orchestrators.

`/healthz` says the process answers (liveness: never touches the database, so a database outage
does not get every app server restarted). `/readyz` says this server can take traffic: the
database answers and every migration in the code is applied (readiness: a server started
before `migrate` ran stays out of rotation instead of serving errors).
"""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations present in the code but not applied to the database, as "app.name"."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers and has no unapplied migrations (else 503)."""
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = unapplied_migrations()
    except DatabaseError:
        logger.exception("readyz: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "unapplied_migrations": pending},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})
