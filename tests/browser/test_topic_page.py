"""The topic page in a real headless Chromium."""

import pytest
from django.urls import reverse

from courses.models import Topic
from tests.factories import load, minimal_tree, topic_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_topic_page_renders_in_browser(live_server, page, seed_course):
    page.goto(
        live_server.url + reverse("courses:topic", args=["containers", "images", "base-images"])
    )
    assert page.locator("h1").inner_text() == "Base Images"
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Full vs Slim"
    ).click()
    assert page.url.endswith("#full-vs-slim")
    # Pygments highlighting and the stylesheet both reached the browser.
    keyword = page.locator(".highlight .k").first
    assert keyword.inner_text() == "FROM"
    assert keyword.evaluate("el => getComputedStyle(el).fontWeight") == "700"


def test_a_copied_makefile_recipe_keeps_its_tab(live_server, page, tmp_path):
    """The text a reader selects in a code block has the recipe's tab, not spaces."""
    body = "Build it:\n\n```make\nall:\n\tcc -o app main.c\n```"
    load(minimal_tree(tmp_path / "content", {"01-a.md": topic_text(body=body)}))
    page.goto(live_server.url + Topic.objects.get().get_absolute_url())
    assert page.locator(".highlight pre").inner_text() == "all:\n\tcc -o app main.c\n"
