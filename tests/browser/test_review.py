"""The review page in a real headless Chromium: graded in place with htmx, and without it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from quizzes.models import Attempt, Question
from tests.browser.test_knowledge_check import TOPIC, answer_in_page, choice_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def due_question(page, live_server, clock) -> Question:
    """Answer the first question wrong on its topic page, then let an hour pass."""
    page.goto(live_server.url + TOPIC)
    question = Question.objects.order_by("position").first()
    answer_in_page(page, question, correct=False)
    page.wait_for_function("() => document.querySelector('.question .feedback') !== null")
    clock.move(hours=1)
    return question


def review_in_page(page, question: Question, *, correct: bool) -> None:
    box = page.locator("#review-item")
    box.get_by_role("radio", name=choice_text(question, correct=correct)).check()
    box.get_by_role("button", name="Check answer").click()


def test_review_graded_in_place(live_server, page, seed_course, clock):
    """A due question is answered on /review/ in place and says when it comes back."""
    question = due_question(page, live_server, clock)
    page.goto(live_server.url + "/review/")
    expect(page.get_by_role("link", name="Review 1 question due")).to_be_visible()
    page.evaluate("window.__marker = 'same page'")
    review_in_page(page, question, correct=True)
    box = page.locator("#review-item")
    expect(box.get_by_text("Correct!")).to_be_visible()
    expect(box.get_by_text("This question comes back in")).to_be_visible()
    expect(box.get_by_role("link", name="Read the topic that teaches it")).to_have_attribute(
        "href", TOPIC
    )
    assert page.evaluate("window.__marker") == "same page"
    assert Attempt.objects.filter(question=question).count() == 2
    box.get_by_role("link", name="Done for now").click()
    expect(page.get_by_text("Nothing to review right now.")).to_be_visible()


def test_review_without_javascript(live_server, browser, seed_course, clock):
    """Without JavaScript the review form posts and the page shows the result."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    question = due_question(page, live_server, clock)
    page.goto(live_server.url + "/review/")
    review_in_page(page, question, correct=False)
    assert f"/review/?answered={question.pk}" in page.url
    expect(page.get_by_text("Not quite.")).to_be_visible()
    expect(page.get_by_text("This question comes back in 10 minutes.")).to_be_visible()
    context.close()


def test_review_page_has_no_accessibility_violations(live_server, page, seed_course, clock):
    """axe finds nothing on the review page, before and after answering."""
    question = due_question(page, live_server, clock)
    page.goto(live_server.url + "/review/")
    assert Axe().run(page).violations_count == 0
    review_in_page(page, question, correct=True)
    expect(page.get_by_text("Correct!")).to_be_visible()
    assert Axe().run(page).violations_count == 0
