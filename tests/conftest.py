import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.factories import FIXTURE_COURSE, SEED_COURSE, load

# Playwright's sync API runs an event loop in this thread; Django's async guard would refuse
# the ORM calls that live_server tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogs():
    """Translations compiled from their .po files (make does it; this covers a bare pytest)."""
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607
            translation.trans_real._translations.clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: the shared one and this process's kept pages,
    content rows, fragments, search answers (courses/fragments.py) and content version."""
    from courses import content_cache, fragments, search_pages

    cache.clear()
    content_cache.forget_seen_version()
    for kept in (fragments.pages, fragments.rows, fragments.pieces, search_pages.answers):
        kept.entries.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the default language: a view that spoke a course's language (German)
    must not leave it active for the next test's plain function calls."""
    yield
    translation.deactivate()


@pytest.fixture
def fixture_course(db):
    """The small fixture course, loaded."""
    load(FIXTURE_COURSE)


@pytest.fixture
def seed_course(db):
    """The shipped content/ (the seed topic), loaded."""
    load(SEED_COURSE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


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
