"""The one clock spaced review reads: timezone-aware UTC, replaced by tests that move time.

Scheduling never calls `datetime.now()` itself: views take the time from here once per
request and pass it down, so a test can move this clock (tests/quizzes/conftest.py) instead
of sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC (FSRS refuses any other timezone)."""
    return datetime.now(UTC)
