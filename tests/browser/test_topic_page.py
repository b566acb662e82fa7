"""The topic page in a real headless Chromium."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_topic_page_renders_in_browser(live_server, page, seed_course):
    page.goto(live_server.url + reverse("courses:topic", args=["images", "base-images"]))
    assert page.locator("h1").inner_text() == "Base Images"
    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Full vs Slim"
    ).click()
    assert page.url.endswith("#full-vs-slim")
    # Pygments highlighting and the stylesheet both reached the browser.
    keyword = page.locator(".highlight .k").first
    assert keyword.inner_text() == "FROM"
    assert keyword.evaluate("el => getComputedStyle(el).fontWeight") == "700"
