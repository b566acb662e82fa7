"""The results dashboard and the admin as staff see them, at 1280 and 375 px wide."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from quizzes.models import Learner, Question
from tests.factories import SHIPPED_CONTENT, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a long enough passphrase 42"
PHONE, DESKTOP = 375, 1280


@pytest.fixture
def staff(live_server, page):
    """The shipped courses with synthetic answers, and an admin logged in in `page`."""
    load(SHIPPED_CONTENT)
    call_command("generate_results_data", learners=60, attempts=900, verbosity=0)
    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    return live_server.url


def results_pages() -> dict[str, str]:
    question = Question.objects.filter(topic__course__slug="containers").order_by("pk").first()
    learner = Learner.objects.filter(attempts__question=question).order_by("pk").first()
    return {
        "courses": reverse("results:courses"),
        "topics": reverse("results:topics", args=["containers"]),
        "questions": reverse("results:questions", args=["containers"]),
        "question": reverse("results:question", args=["containers", question.pk]),
        "learners": reverse("results:learners", args=["containers"]),
        "learner": reverse("results:learner", args=["containers", learner.pk]),
    }


def overflow(page) -> int:
    """How far the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def shoot(page, name: str, width: int) -> None:
    """The window, and the first table and question analysis where there are some."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}.png")
    for part, selector in (("table", ".table-scroll"), ("version", "article.version")):
        found = page.locator(selector).first
        if found.count():
            found.screenshot(path=ARTIFACTS / f"{name}-{width}-{part}.png")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_results_pages_fit_the_window(staff, page, width):
    """No results page scrolls sideways, at 375 or 1280 px; wide tables scroll in their box."""
    page.set_viewport_size({"width": width, "height": 900})
    wide = {}
    for name, url in results_pages().items():
        page.goto(staff + url)
        page.locator("details.definitions").evaluate_all("els => els.forEach(e => e.open = true)")
        shoot(page, f"results-{name}", width)
        wide[name] = overflow(page)
    assert wide == dict.fromkeys(wide, 0)


def test_results_pages_have_no_axe_violations(staff, page):
    """Every results page passes axe-core, definitions open, at phone width."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    found = []
    for name, url in results_pages().items():
        page.goto(staff + url)
        page.locator("details.definitions").evaluate_all("els => els.forEach(e => e.open = true)")
        result = Axe().run(page)
        if result.violations_count:
            found.append(f"{name} ({url}): {result.generate_report()}")
    assert not found, "\n".join(found)


def test_the_admin_attempts_list_fits_at_1280_px(staff, page):
    """Every column of the attempts list is in view: its table needs no sideways scrolling."""
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.goto(staff + reverse("admin:quizzes_attempt_changelist"))
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth - box.clientWidth") == 0


def test_admin_screenshots(staff, page):
    """The admin pages staff read most, at 1280 px (looked at; saved under test-artifacts/)."""
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    question = Question.objects.filter(topic__course__slug="containers").order_by("pk").first()
    pages = {
        "admin-attempts": reverse("admin:quizzes_attempt_changelist"),
        "admin-question": reverse("admin:quizzes_question_change", args=[question.pk]),
        "admin-read-marks": reverse("admin:quizzes_topicprogress_changelist"),
        "admin-index": reverse("admin:index"),
    }
    for name, url in pages.items():
        page.goto(staff + url)
        shoot(page, name, DESKTOP)
