"""The topic page's frame on a phone and a wide screen: header, contents, section being read."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import SHIPPED_CONTENT, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
GERMAN = reverse("courses:course", args=["git-grundlagen"])
PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(viewport, javascript=True, path=TOPIC)`: a page in a fresh context."""
    contexts = []

    def opened(viewport, javascript=True, path=TOPIC):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + path)
        return page

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def seed_courses(db):
    """Every shipped course: the English seed and the German one."""
    load(SHIPPED_CONTENT)


def contents(page):
    return page.get_by_role("navigation", name="On this page")


@pytest.mark.parametrize(
    ("path", "links", "account"),
    [
        (TOPIC, ("Coursedeck", "My progress", "Review"), ("Log in", "Sign up")),
        (GERMAN, ("Coursedeck", "Mein Fortschritt", "Wiederholen"), ("Anmelden", "Registrieren")),
    ],
)
def test_phone_header_is_two_tidy_rows(open_page, seed_courses, path, links, account):
    """The site's links on one row; the search box and the account links on the next."""
    page = open_page(PHONE, path=path)
    nav = page.locator(".site-header nav")
    first = {nav.get_by_role("link", name=name).bounding_box()["y"] for name in links}
    second = [nav.get_by_role("link", name=name).bounding_box() for name in account]
    box = nav.get_by_role("searchbox").bounding_box()
    assert max(first) - min(first) < 4
    assert all(abs(b["y"] + b["height"] / 2 - (box["y"] + box["height"] / 2)) < 4 for b in second)
    assert box["width"] > 140  # wide enough to type in
    assert nav.bounding_box()["height"] < 100


def test_phone_contents_are_one_closed_line_above_the_title(open_page, seed_course):
    page = open_page(PHONE)
    link = contents(page).get_by_role("link", name="Full vs Slim")
    expect(link).to_be_hidden()
    # Under the two header rows; the nine links, open, put it past 550 px.
    assert page.locator("h1").bounding_box()["y"] < 330
    contents(page).get_by_text("On this page").click()
    expect(link).to_be_visible()
    link.click()
    assert page.url.endswith("#full-vs-slim")


def test_wide_contents_are_open(open_page, seed_course):
    page = open_page(WIDE)
    expect(contents(page).get_by_role("link", name="Full vs Slim")).to_be_visible()


@pytest.mark.parametrize(("viewport", "visible"), [(WIDE, True), (PHONE, False)])
def test_contents_without_javascript(open_page, seed_course, viewport, visible):
    """Open on a wide screen by CSS alone, closed on a phone, and a click still opens it."""
    page = open_page(viewport, javascript=False)
    link = contents(page).get_by_role("link", name="Full vs Slim")
    if visible:
        expect(link).to_be_visible()
    else:
        expect(link).to_be_hidden()
        contents(page).get_by_text("On this page").click()
        expect(link).to_be_visible()


def test_contents_mark_the_section_being_read(open_page, seed_course):
    page = open_page(WIDE)
    current = contents(page).locator('[aria-current="location"]')
    page.locator("#full-vs-slim").evaluate("el => el.scrollIntoView()")
    expect(current).to_have_text("Full vs Slim")
    page.locator("#distroless").evaluate("el => el.scrollIntoView()")
    expect(current).to_have_text("Distroless")
    expect(current).to_have_count(1)


def test_contents_lead_to_the_knowledge_check(open_page, seed_course):
    page = open_page(WIDE)
    contents(page).get_by_role("link", name="Knowledge Check").click()
    assert page.url.endswith("#knowledge-check")
    expect(page.get_by_role("heading", name="Knowledge Check")).to_be_in_viewport()
    expect(contents(page).locator('[aria-current="location"]')).to_have_text("Knowledge Check")
