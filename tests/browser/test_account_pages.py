"""Accounts and the pages around them in headless Chromium, at 1280 and 375 px wide."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import SHIPPED_CONTENT, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a long enough passphrase 42"
WIDTHS = [375, 1280]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])


@pytest.fixture
def site(live_server):
    load(SHIPPED_CONTENT)
    get_user_model().objects.create_user("ada", password=PASSWORD)
    return live_server.url


def check(page, name: str, width: int, skip_rules: tuple[str, ...] = ()) -> None:
    """No sideways scrolling, no axe violation; a screenshot to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    rules = {rule: {"enabled": False} for rule in skip_rules}
    result = Axe().run(page, options={"resultTypes": ["violations"], "rules": rules})
    assert result.violations_count == 0, result.generate_report()


def log_in(page, site: str, password: str = PASSWORD) -> None:
    page.goto(site + reverse("login"))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wrong_password_shows_one_error(site, page, width):
    """The error is said once, as an alert, above the fields."""
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, site, password="wrong")
    expect(page.get_by_role("alert")).to_have_count(1)
    expect(page.get_by_text("Please enter a correct username and password")).to_have_count(1)
    check(page, "login-error", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_weak_password_is_explained_under_the_password(site, page, width):
    """ "Too short" is under Password and described by it for screen readers."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(site + reverse("signup"))
    page.get_by_label("Username").fill("bob")
    page.locator("#id_password1").fill("1234")
    page.locator("#id_password2").fill("1234")
    page.get_by_role("button", name="Create account").click()
    password = page.locator("#id_password1")
    expect(page.locator("#id_password1_error")).to_contain_text("This password is too short.")
    expect(page.locator("#id_password2_error")).to_have_count(0)
    assert "id_password1_error" in password.get_attribute("aria-describedby")
    check(page, "signup-errors", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_login_and_logout_are_confirmed(site, page, width):
    """Logging in and out each says where the progress is, in a status region."""
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, site)
    status = page.get_by_role("status").filter(has_text="You are logged in as ada")
    expect(status).to_contain_text("your progress is saved to your account")
    check(page, "after-login", width)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("Your progress stays saved")
    check(page, "after-logout", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_course_chapter_and_topic_pages_of_a_learner(site, page, width):
    """The pages whose head and labels changed, with some progress, pass axe."""
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, site)
    page.goto(site + "/")
    check(page, "course-list", width)
    page.goto(site + "/containers/")
    check(page, "course", width)
    page.goto(site + "/containers/images/")
    check(page, "chapter", width)
    page.goto(site + TOPIC)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Base Images")
    # Code blocks that scroll sideways on a phone are not focusable yet: issue 11 item 9
    # (branch loop: code blocks) makes them so; drop this exception when it is merged.
    check(page, "topic", width, skip_rules=("scrollable-region-focusable",))


@pytest.mark.parametrize("width", WIDTHS)
def test_error_pages(site, page, width):
    """404 and the site's own 403 read like the rest of the site."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(site + "/no-such-course/")
    check(page, "error-404", width)
    log_in(page, site)
    page.goto(site + reverse("results:courses"))
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    check(page, "error-403", width)
