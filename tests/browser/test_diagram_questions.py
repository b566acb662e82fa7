"""Answering a question on the spectrum in Chromium: mouse, keyboard, no JavaScript, axe, looks."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
KEY = "static-go-service-tier"  # right tier: scratch
WIDTHS = [1280, 375]


def box(page):
    return page.locator(f"#q-{KEY}")


def tier(page, name: str):
    """A tier of the question's answer mode, found by its accessible name (name and size)."""
    return box(page).get_by_role("radiogroup").get_by_role("radio", name=name)


def check(page) -> None:
    box(page).get_by_role("button", name="Check answer").click()


def test_answer_by_mouse_wrong_then_right(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.evaluate("window.__marker = 'same page'")
    box(page).locator("label", has_text="distroless").click()  # anywhere on the tier's row
    expect(tier(page, "distroless ~20–50 MB")).to_be_checked()  # noqa: RUF001 - the size's dash
    check(page)
    expect(box(page).get_by_text("Not quite.")).to_be_visible()
    expect(box(page).get_by_text("distroless exists to carry a language runtime")).to_be_visible()
    expect(box(page).get_by_text("Why:")).to_have_count(0)  # the answer waits for Show answer
    expect(box(page).get_by_role("button", name="Show answer")).to_be_visible()
    box(page).get_by_role("link", name="Try again").click()
    box(page).locator("label", has_text="scratch").click()
    check(page)
    expect(box(page).get_by_text("Correct!")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # graded in place by htmx
    assert [a.is_correct for a in Attempt.objects.order_by("pk")] == [False, True]


def test_answer_by_keyboard_arrows_and_enter(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    first = tier(page, "full debian ~1 GB")
    first.focus()
    for _ in range(4):  # arrow keys move along the tiers and select each one
        page.keyboard.press("ArrowDown")
    scratch = tier(page, "scratch a few MB")
    expect(scratch).to_be_focused()
    expect(scratch).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(tier(page, "distroless ~20–50 MB")).to_be_checked()  # noqa: RUF001
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(scratch).to_be_checked()
    page.keyboard.press("Enter")  # submits the form from the radio
    expect(box(page).get_by_text("Correct!")).to_be_visible()
    # Focus lands on the result, as for any question.
    assert page.evaluate("document.activeElement.id") == f"q-{KEY}"


def test_the_focused_tier_is_visibly_marked(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    tier(page, "slim ~120 MB").focus()
    page.keyboard.press("ArrowDown")
    row = box(page).locator("label", has_text="alpine")
    focus = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--focus')")
    assert focus.strip() == "#f2a900"
    assert row.evaluate("(e) => getComputedStyle(e).borderTopColor") == "rgb(242, 169, 0)"
    outline = tier(page, "alpine ~5 MB").evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline == "solid"


def test_answer_without_javascript(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    box(page).locator("label", has_text="full debian").click()
    check(page)
    assert page.url.endswith(f"{TOPIC}#q-{KEY}")
    expect(box(page).get_by_text("Not quite.")).to_be_visible()
    expect(box(page).get_by_text("the largest attack surface of all")).to_be_visible()
    box(page).get_by_role("link", name="Try again").click()
    tier(page, "scratch a few MB").check()
    check(page)
    expect(box(page).get_by_text("Correct!")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_each_state_fits_has_no_axe_violations_and_is_captured(
    live_server, page, seed_course, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + TOPIC)
    ARTIFACTS.mkdir(exist_ok=True)
    question = Question.objects.get(key=KEY)
    states = (("fresh", ""), ("wrong", "alpine"), ("revealed", ""), ("right", "scratch"))
    for state, pick in states:
        if state == "revealed":
            box(page).get_by_role("button", name="Show answer").click()
            expect(box(page).get_by_text("Why:")).to_be_visible()
        if pick:
            if state == "right":
                box(page).get_by_role("link", name="Try again").click()
            box(page).locator("label", has_text=pick).click()
            check(page)
            expect(box(page).locator(".feedback")).to_be_visible()
        box(page).scroll_into_view_if_needed()
        box(page).screenshot(path=ARTIFACTS / f"diagram-question-{state}-{width}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, state
        results = Axe().run(page)
        assert results.violations_count == 0, f"{state}: {results.generate_report()}"
    assert Attempt.objects.filter(question=question).count() == 2
