"""Failed-login counts, kept in the database so every worker and app server shares them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

# How many ended windows one pruning pass deletes at most (pruning runs on every failure).
PRUNE_BATCH = 500


def _count_sql(connection: BaseDatabaseWrapper, table: str, rows: int) -> str:
    """Insert each key with 1 failure, or add 1 to it (1 again once its window has ended)."""
    table, key, failures, ends = (
        connection.ops.quote_name(name) for name in (table, "key", "failures", "window_ends")
    )
    values = ", ".join(["(%s, 1, %s)"] * rows)
    running = f"{table}.{ends} > %s"
    return (
        f"INSERT INTO {table} ({key}, {failures}, {ends}) VALUES {values} "  # noqa: S608 - names
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{failures} = CASE WHEN {running} THEN {table}.{failures} + 1 ELSE 1 END, "
        f"{ends} = CASE WHEN {running} THEN {table}.{ends} ELSE excluded.{ends} END"
    )


class LoginFailureQuerySet(models.QuerySet):
    def record(self, keys: Sequence[str], window: timedelta, now: datetime | None = None) -> None:
        """Count one failure against each key; a key whose window has ended starts a new one.

        One INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL both speak it): the
        database makes the insert-or-increment atomic, so concurrent failures from any number
        of processes are all counted, a row deleted meanwhile by `prune()` is simply inserted
        again, and nothing is read into Python first. Keys are always written in the order
        given (username, then address), so two such statements cannot deadlock.
        """
        keys = list(dict.fromkeys(keys))
        if not keys:
            return
        now = now or timezone.now()
        connection = connections[self.db]
        adapt = connection.ops.adapt_datetimefield_value
        params: list = []
        for key in keys:
            params += [key, adapt(now + window)]
        params += [adapt(now), adapt(now)]
        with connection.cursor() as cursor:
            cursor.execute(_count_sql(connection, self.model._meta.db_table, len(keys)), params)

    def blocked_until(
        self, limits: Mapping[str, int], now: datetime | None = None
    ) -> datetime | None:
        """When the last window of a key at or over its limit ends; None when no key is."""
        now = now or timezone.now()
        rows = self.filter(key__in=list(limits), window_ends__gt=now).values_list(
            "key", "failures", "window_ends"
        )
        ends = [until for key, count, until in rows if count >= limits[key]]
        return max(ends, default=None)

    def forget(self, key: str) -> None:
        """Drop the count kept for this key."""
        self.filter(key=key).delete()

    def prune(self, now: datetime | None = None) -> int:
        """Delete rows whose window has ended (they count as nothing); return how many."""
        now = now or timezone.now()
        with transaction.atomic(using=self.db):
            # SKIP LOCKED (PostgreSQL; SQLite serialises writers anyway): pruning never waits
            # for a row another request is counting, so it cannot take part in a deadlock.
            ended = list(
                self.filter(window_ends__lte=now)
                .select_for_update(skip_locked=True)
                .values_list("key", flat=True)[:PRUNE_BATCH]
            )
            if not ended:
                return 0
            deleted, _ = self.filter(key__in=ended, window_ends__lte=now).delete()
        return deleted


class LoginFailureCount(models.Model):
    """Failed logins for one username or one client address, in a window from the first."""

    # "user:" or "ip:" and an HMAC of the value: people type passwords into the username box,
    # so the table never holds what was typed.
    key = models.CharField(max_length=80, primary_key=True)
    failures = models.PositiveIntegerField()
    window_ends = models.DateTimeField(db_index=True)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        verbose_name = "login failure count"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures} until {self.window_ends:%Y-%m-%d %H:%M:%S}"
