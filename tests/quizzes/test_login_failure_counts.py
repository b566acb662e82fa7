"""LoginFailureCount: atomic counts in a window that the first failure opens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import LoginFailureCount

pytestmark = pytest.mark.django_db

WINDOW = timedelta(minutes=15)


def counts() -> dict[str, int]:
    return dict(LoginFailureCount.objects.values_list("key", "failures"))


def test_each_failure_counts_once_for_each_key():
    """Three failures: three for the username, three for the address."""
    for _ in range(3):
        LoginFailureCount.objects.record(["user:a", "ip:x"], WINDOW)
    assert counts() == {"user:a": 3, "ip:x": 3}


def test_the_window_is_opened_by_the_first_failure():
    """Later failures in the window do not push its end back."""
    start = timezone.now()
    LoginFailureCount.objects.record(["user:a"], WINDOW, now=start)
    LoginFailureCount.objects.record(["user:a"], WINDOW, now=start + timedelta(minutes=10))
    assert LoginFailureCount.objects.get().window_ends == start + WINDOW


def test_a_failure_after_the_window_starts_a_new_count():
    """Once the window has ended, the next failure counts 1 in a new window."""
    start = timezone.now()
    for _ in range(4):
        LoginFailureCount.objects.record(["user:a"], WINDOW, now=start)
    later = start + WINDOW + timedelta(seconds=1)
    LoginFailureCount.objects.record(["user:a"], WINDOW, now=later)
    row = LoginFailureCount.objects.get()
    assert (row.failures, row.window_ends) == (1, later + WINDOW)


def test_blocked_until_compares_each_key_with_its_own_limit():
    """Four for the username (limit 5) and four for the address (limit 3): the address blocks."""
    now = timezone.now()
    for _ in range(4):
        LoginFailureCount.objects.record(["user:a", "ip:x"], WINDOW, now=now)
    assert LoginFailureCount.objects.blocked_until({"user:a": 5, "ip:x": 30}, now) is None
    assert LoginFailureCount.objects.blocked_until({"user:a": 5, "ip:x": 3}, now) == now + WINDOW


def test_an_ended_window_blocks_nothing():
    """Over the limit, but the window has ended: not blocked."""
    start = timezone.now()
    for _ in range(5):
        LoginFailureCount.objects.record(["user:a"], WINDOW, now=start)
    later = start + WINDOW
    assert LoginFailureCount.objects.blocked_until({"user:a": 5}, later) is None


def test_prune_deletes_only_ended_windows():
    """Rows whose window ended go; running ones stay."""
    now = timezone.now()
    LoginFailureCount.objects.record(["user:old"], WINDOW, now=now - WINDOW)
    LoginFailureCount.objects.record(["user:new"], WINDOW, now=now)
    assert LoginFailureCount.objects.prune(now) == 1
    assert counts() == {"user:new": 1}


def test_forget_drops_one_key():
    """Forgetting the username leaves the address count."""
    LoginFailureCount.objects.record(["user:a", "ip:x"], WINDOW)
    LoginFailureCount.objects.forget("user:a")
    assert counts() == {"ip:x": 1}
