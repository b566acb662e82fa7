import os

import pytest
from django.core.cache import cache

from tests.factories import FIXTURE_COURSE, SEED_COURSE, load

# Playwright's sync API runs an event loop in this thread; Django's async guard would refuse
# the ORM calls that live_server tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the topic page caches content pieces)."""
    cache.clear()


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
