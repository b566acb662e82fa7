"""A clock the tests move: spaced review reads the time only from quizzes.clock."""

from datetime import UTC, datetime, timedelta

import pytest


class MovableClock:
    """Timezone-aware UTC time that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def move(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    """quizzes.clock.now under the test's control, starting at the real time."""
    moved = MovableClock(datetime.now(UTC))
    monkeypatch.setattr("quizzes.clock.now", moved)
    return moved
