"""Code blocks: language shown, a keyboard-reachable copy button, a hint when they scroll."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from courses.models import Topic
from tests.factories import load, minimal_tree, topic_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
RECIPE = "all:\n\tcc -o app main.c"
LONG = "docker run --rm -it --read-only --cap-drop ALL some/image:1.0"


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


@pytest.fixture
def makefile_topic(tmp_path, db):
    body = f"Build it:\n\n```make\n{RECIPE}\n```\n\nRun it:\n\n```shell\n{LONG}\n```"
    load(minimal_tree(tmp_path / "content", {"01-a.md": topic_text(body=body)}))
    return Topic.objects.get().get_absolute_url()


def test_copy_by_keyboard_copies_the_exact_text_and_announces_it(
    live_server, context, makefile_topic
):
    page = context.new_page()
    page.goto(live_server.url + makefile_topic)
    block = page.locator("div.highlight").first
    expect(block.locator(".code-language")).to_have_text("make")
    page.locator("h1").click()  # start from the top of the article
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('copy-button')"):
            break
    button = block.get_by_role("button", name="Copy code")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Copied")
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == RECIPE  # the tab kept


def test_the_scroll_hint_shows_only_when_a_block_scrolls(live_server, browser, makefile_topic):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + makefile_topic)
    short, long = page.locator("div.highlight").all()
    expect(long.get_by_text("Scrolls sideways")).to_be_visible()
    expect(short.get_by_text("Scrolls sideways")).to_be_hidden()
    assert long.locator("pre").get_attribute("tabindex") == "0"  # scrollable by keyboard
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(long.get_by_text("Scrolls sideways")).to_be_hidden()
    context.close()


def test_permalinks_show_on_focus_with_a_name(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    link = page.get_by_role("link", name="Link to section “Full vs Slim”")
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    link.focus()
    expect(link).to_have_css("opacity", "1")
