"""The search box in a real headless Chromium: instant results, keys, screen readers, no JS."""

from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "/containers/images/base-images/"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective);
});
"""


def open_results(page, live_server, text="musl", count=3):
    page.goto(live_server.url + TOPIC)
    page.keyboard.press("/")
    page.keyboard.type(text, delay=30)
    results = page.locator("#site-search-results")
    expect(results).to_be_visible()
    expect(results.locator(".search-hit")).to_have_count(count)
    return results


def test_slash_focuses_the_search_box(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.keyboard.press("/")
    expect(page.locator("#site-search-q")).to_be_focused()
    assert page.locator("#site-search-q").input_value() == ""


def test_slash_types_a_slash_in_another_field(live_server, page, seed_course):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").click()
    page.keyboard.type("a/b")
    expect(page.get_by_label("Username")).to_have_value("a/b")
    expect(page.locator("#site-search-q")).not_to_be_focused()


def test_results_appear_while_typing_and_the_count_is_announced(live_server, page, seed_course):
    open_results(page, live_server)
    expect(page.get_by_role("status").filter(has_text="results")).to_have_text(
        "3 results for “musl”."
    )


def test_typing_fast_sends_one_request_for_what_the_box_says(live_server, page, seed_course):
    """Debounced: a pause in typing sends the query, not every keystroke."""
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/search/" in r.url else None)
    # The page's clock is the test's: on a busy machine real keystrokes can be further apart
    # than the debounce, which is not what this test is about.
    page.clock.install()
    page.goto(live_server.url + TOPIC)
    page.clock.pause_at(datetime.now() + timedelta(seconds=5))  # only run_for moves it now
    page.keyboard.press("/")
    for key in "distroless":
        page.keyboard.type(key)
        page.clock.run_for(100)  # a fast typist: well inside the 200 ms pause
    assert asked == []
    page.clock.run_for(250)
    expect(page.locator("#site-search-results .search-hit")).to_have_count(7)
    assert asked == [live_server.url + "/containers/search/?q=distroless"]


def test_arrow_keys_move_through_results_and_enter_opens_one(live_server, page, seed_course):
    results = open_results(page, live_server)
    links = results.locator(".search-hit a")
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**#alpine-and-the-musl-caveat")
    expect(page.locator("#alpine-and-the-musl-caveat")).to_be_in_viewport()


def test_escape_closes_the_results_and_an_arrow_opens_them(live_server, page, seed_course):
    results = open_results(page, live_server)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(results).to_be_hidden()
    expect(page.locator("#site-search-q")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(results).to_be_visible()


def test_open_results_and_the_results_page_pass_axe(live_server, page, seed_course):
    open_results(page, live_server)
    assert Axe().run(page).violations_count == 0
    page.keyboard.press("Enter")  # the box's form: the full results page
    page.wait_for_url("**/containers/search/?q=musl")
    expect(page.locator("h1")).to_have_text("Search in Containers in Practice")
    assert Axe().run(page).violations_count == 0


def test_instant_results_break_no_csp_rule(live_server, page, seed_course):
    page.add_init_script(RECORD_VIOLATIONS)
    open_results(page, live_server)
    assert page.evaluate("window.__cspViolations") == []


def test_without_javascript_the_box_is_a_plain_search_form(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    page.get_by_role("searchbox").fill("musl")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/containers/search/?q=musl")
    page.locator(".search-hit a").first.click()
    page.wait_for_url("**#alpine-and-the-musl-caveat")
    context.close()
