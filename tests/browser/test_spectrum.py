"""The base-image spectrum in headless Chromium: with htmx, by keyboard, and without JavaScript."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
PICKS = {"static-binary": "No", "needs-shell": "No", "glibc-only": "Yes", "debug-containers": "Yes"}


def detail(page):
    return page.get_by_role("region", name="Selected tier")


def tier(page, name):
    return page.locator("#spectrum-0 .spectrum-tier-link", has_text=name)


def test_click_shows_detail_in_place_and_pushes_url(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.evaluate("window.notReloaded = true")
    tier(page, "alpine").click()
    expect(detail(page)).to_contain_text("musl")
    expect(tier(page, "alpine")).to_have_attribute("aria-current", "true")
    assert page.url == f"{live_server.url}{TOPIC}?tier=alpine#spectrum-0"
    assert page.evaluate("window.notReloaded")  # htmx swapped the panel, no page load


def settled(page) -> None:
    """Wait until htmx has finished swapping and settling (it restores focus meanwhile)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def test_keyboard_tab_enter_space_and_arrows(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.locator("#spectrum-0-tier-full").focus()
    page.keyboard.press("Enter")
    expect(detail(page)).to_contain_text("every tool is already there")
    settled(page)
    expect(page.locator("#spectrum-0-tier-full")).to_be_focused()  # focus survives the swap
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#spectrum-0-tier-alpine")).to_be_focused()
    page.keyboard.press("Space")
    expect(detail(page)).to_contain_text("BusyBox")
    settled(page)
    expect(page.locator("#spectrum-0-tier-alpine")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#spectrum-0-tier-slim")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#spectrum-0-tier-alpine")).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowUp")  # wraps to the last tier
    expect(page.locator("#spectrum-0-tier-scratch")).to_be_focused()


def test_compare_form(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    page.get_by_label("Compare", exact=True).select_option("distroless")
    page.get_by_label("with", exact=True).select_option("scratch")
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name="distroless and scratch side by side")
    expect(table).to_contain_text("Near zero")
    assert "compare=distroless%2Cscratch" in page.url


def answer_picker(page):
    for qid, answer in PICKS.items():
        page.locator(f"input[name='q-{qid}'][value='{answer.lower()}']").check()
    page.get_by_role("button", name="Recommend a base").click()


def test_picker_recommends_and_highlights(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    answer_picker(page)
    expect(page.locator("#spectrum-0-recommendation")).to_contain_text("Recommended: distroless")
    expect(page.locator(".spectrum-tier.is-recommended")).to_have_count(1)
    expect(page.locator(".is-recommended")).to_contain_text("distroless")
    assert "q-debug-containers=yes" in page.url


def test_deep_link_reload_shows_same_state(live_server, page, seed_course):
    page.goto(f"{live_server.url}{TOPIC}?tier=scratch&compare=slim,alpine#spectrum-0")
    expect(detail(page)).to_contain_text("static binary")
    expect(page.get_by_role("table", name="slim and alpine side by side")).to_be_visible()
    page.reload()
    expect(detail(page)).to_contain_text("static binary")


def test_everything_works_without_javascript(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    tier(page, "slim").click()
    expect(detail(page)).to_contain_text("apt still work")
    assert page.url == f"{live_server.url}{TOPIC}?tier=slim#spectrum-0"
    page.locator("#spectrum-0-tier-distroless").focus()
    page.keyboard.press("Enter")
    expect(detail(page)).to_contain_text("ephemeral debug containers")
    page.get_by_label("with", exact=True).select_option("full")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("table", name="slim and full debian side by side")).to_be_visible()
    expect(detail(page)).to_contain_text("ephemeral debug containers")  # selection kept
    answer_picker(page)
    expect(page.locator("#spectrum-0-recommendation")).to_contain_text("distroless")
    expect(page.get_by_role("table", name="slim and full debian side by side")).to_be_visible()
    context.close()


def test_no_axe_violations_with_tier_selected(live_server, page, seed_course):
    page.goto(f"{live_server.url}{TOPIC}?tier=alpine&compare=slim,alpine")
    answer_picker(page)
    expect(page.locator("#spectrum-0-recommendation")).to_be_visible()
    page.locator(".spectrum-alt summary").click()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (375, "phone")])
def test_screenshots_fit_the_width(live_server, page, seed_course, width, name):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{TOPIC}?tier=alpine&compare=slim,alpine")
    figure = page.locator("#spectrum-0")
    ARTIFACTS.mkdir(exist_ok=True)
    figure.screenshot(path=ARTIFACTS / f"spectrum-{name}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = figure.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
