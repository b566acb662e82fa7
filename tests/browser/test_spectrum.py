"""The base-image spectrum in headless Chromium: each action shows and focuses its result."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
PICKS = {"static-binary": "no", "needs-shell": "no", "glibc-only": "yes", "debug-containers": "yes"}
WIDTHS = [1280, 375]
RESULT = "#spectrum-0-result"


def tier(page, name):
    return page.locator("#spectrum-0 .spectrum-tier-link", has_text=name)


def settled(page) -> None:
    """Wait until htmx has finished swapping and settling."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def open_at(page, live_server, width: int, query: str = "") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{TOPIC}{'?' + query if query else ''}")


def answer_picker(page) -> None:
    for qid, answer in PICKS.items():
        page.locator(f"input[name='q-{qid}'][value='{answer}']").check()
    page.get_by_role("button", name="Recommend a base").click()


def click_tier(page):
    tier(page, "alpine").click()


def enter_on_tier(page):
    page.locator("#spectrum-0-tier-distroless").focus()
    page.keyboard.press("Enter")


def space_on_tier(page):
    page.locator("#spectrum-0-tier-scratch").focus()
    page.keyboard.press("Space")


def compare(page):
    page.get_by_label("Compare", exact=True).select_option("distroless")
    page.get_by_label("with", exact=True).select_option("scratch")
    page.get_by_role("button", name="Compare").click()


def clear_by_keyboard(page):
    page.get_by_role("link", name="Clear selection").focus()
    page.keyboard.press("Enter")


# (action, query to start from, what the result then says, the URL's query after it)
ACTIONS = {
    "click a tier": (click_tier, "", "musl quirks", "?tier=alpine"),
    "Enter on a tier": (enter_on_tier, "", "ephemeral debug containers", "?tier=distroless"),
    "Space on a tier": (space_on_tier, "", "static binary", "?tier=scratch"),
    "compare": (compare, "", "distroless and scratch side by side", "?compare=distroless"),
    "recommend": (answer_picker, "", "Recommended: distroless", "?q-static-binary=no&"),
    "clear": (clear_by_keyboard, "tier=alpine", "Select a tier above", ""),
}


def assert_result_shown(page) -> None:
    """The result has focus and is in the window (whole, when it fits), and stays there."""
    result = page.locator(RESULT)
    expect(result).to_be_focused()
    height = page.viewport_size["height"]
    box = result.bounding_box()
    assert 0 <= box["y"] < height - 100, box
    assert box["y"] + min(box["height"], height - 40) <= height, box
    scrolled = page.evaluate("scrollY")
    page.wait_for_timeout(300)  # nothing moves the page afterwards
    assert page.evaluate("scrollY") == scrolled


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_focuses_its_result_in_view(live_server, page, seed_course, action, width):
    act, query, says, url_query = ACTIONS[action]
    open_at(page, live_server, width, query)
    page.evaluate("window.notReloaded = true")
    act(page)
    expect(page.locator(RESULT)).to_contain_text(says)
    settled(page)
    assert_result_shown(page)
    assert page.url.startswith(f"{live_server.url}{TOPIC}{url_query}")
    assert page.url.endswith(RESULT)
    assert page.evaluate("window.notReloaded")  # htmx swapped the diagram, no page load


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("action", ["click a tier", "compare", "recommend", "clear"])
def test_each_action_without_javascript_opens_at_its_result(
    live_server, browser, seed_course, action, width
):
    """The deep link's fragment scrolls to the result, and Chromium focuses it."""
    act, query, says, url_query = ACTIONS[action]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_at(page, live_server, width, query)
    act(page)
    expect(page.locator(RESULT)).to_contain_text(says)
    assert_result_shown(page)
    assert page.url.startswith(f"{live_server.url}{TOPIC}{url_query}")
    assert page.url.endswith(RESULT)
    context.close()


def test_status_line_announces_the_new_state(live_server, page, seed_course):
    open_at(page, live_server, 1280)
    compare(page)
    status = page.locator(".spectrum").get_by_role("status")
    expect(status).to_have_text("Comparing distroless and scratch.")


def test_one_mode_at_a_time(live_server, page, seed_course):
    """Each action replaces the last: a tier, then a comparison, then a recommendation."""
    open_at(page, live_server, 1280)
    result = page.locator(RESULT)
    click_tier(page)
    expect(result).to_contain_text("musl quirks")
    compare(page)
    expect(result).to_contain_text("distroless and scratch side by side")
    expect(result).not_to_contain_text("musl quirks")
    expect(page.locator("#spectrum-0 [aria-current]")).to_have_count(0)
    answer_picker(page)
    expect(result).to_contain_text("Recommended: distroless")
    expect(page.get_by_role("table", name="distroless and scratch side by side")).to_have_count(0)
    expect(page.locator(".spectrum-tier.is-recommended")).to_have_count(1)
    expect(page.locator(".is-selected, .is-compared")).to_have_count(0)
    assert "compare=" not in page.url
    assert "tier=" not in page.url
    page.get_by_role("link", name="Clear recommendation").click()
    expect(result).to_contain_text("Select a tier above")
    expect(page.locator(".is-recommended")).to_have_count(0)
    assert page.url == f"{live_server.url}{TOPIC}{RESULT}"


def test_one_mode_at_a_time_without_javascript(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_at(page, live_server, 1280, "tier=slim")
    compare(page)
    expect(page.locator(RESULT)).not_to_contain_text("apt still work")
    answer_picker(page)
    expect(page.locator(RESULT)).to_contain_text("Recommended: distroless")
    expect(page.get_by_role("table", name="distroless and scratch side by side")).to_have_count(0)
    context.close()


def test_old_deep_link_with_every_mode_shows_one(live_server, page, seed_course):
    query = "tier=scratch&compare=slim,alpine&" + "&".join(f"q-{q}={a}" for q, a in PICKS.items())
    open_at(page, live_server, 1280, query)
    expect(page.locator(RESULT)).to_contain_text("Recommended: distroless")
    expect(page.get_by_role("table", name="slim and alpine side by side")).to_have_count(0)
    page.reload()
    expect(page.locator(RESULT)).to_contain_text("Recommended: distroless")


def test_a_refused_comparison_is_explained_at_the_result(live_server, page, seed_course):
    open_at(page, live_server, 375)
    page.get_by_label("Compare", exact=True).select_option("slim")
    page.get_by_label("with", exact=True).select_option("slim")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(RESULT)).to_contain_text("pick two different tiers")
    settled(page)
    assert_result_shown(page)


def test_arrow_keys_home_and_end_move_between_tiers(live_server, page, seed_course):
    open_at(page, live_server, 1280)
    page.locator("#spectrum-0-tier-full").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#spectrum-0-tier-alpine")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#spectrum-0-tier-slim")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#spectrum-0-tier-alpine")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("#spectrum-0-tier-scratch")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowUp")  # wraps to the last tier
    expect(page.locator("#spectrum-0-tier-scratch")).to_be_focused()


def test_tab_from_the_result_reaches_its_clear_link(live_server, page, seed_course):
    open_at(page, live_server, 1280)
    enter_on_tier(page)
    settled(page)
    expect(page.locator(RESULT)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Clear selection")).to_be_focused()
