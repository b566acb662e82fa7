"""The Content Security Policy blocks nothing the site itself needs."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
# Recorded from the start of every document, before any of the page's own scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def console(page) -> list[str]:
    """Console messages of `page`, which also records CSP violation events."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def assert_no_violations(page, console: list[str]) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []


def test_topic_page_has_no_csp_violations(live_server, page, console, seed_course):
    """Loading the topic page: nothing blocked, htmx runs, no inline <style> injected."""
    response = page.goto(live_server.url + TOPIC)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, console)
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("head style").count() == 0


def test_htmx_swaps_cause_no_csp_violations(live_server, page, console, seed_course):
    """Answering a question and opening a spectrum tier swap fragments without violations."""
    page.goto(live_server.url + TOPIC)
    question = Question.objects.order_by("position").first()
    box = page.locator(f"#{question.anchor}")
    right = question.choices.filter(is_correct=True).order_by("position").first().text
    box.get_by_role("radio", name=right).check()
    box.get_by_role("button", name="Check answer").click()
    expect(box.get_by_text("Correct!")).to_be_visible()
    page.locator("#spectrum-0 .spectrum-tier-link", has_text="alpine").click()
    expect(page.locator("#spectrum-0-result")).to_contain_text("musl")
    assert_no_violations(page, console)
