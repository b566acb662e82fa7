"""A wrong answer keeps the answer hidden until "Show answer", with and without JavaScript."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt, Question
from tests.browser.test_knowledge_check import answer_in_page, choice_text, question_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])


def test_show_answer_in_place_moves_focus_to_the_answer(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    question = Question.objects.get(key="alpine-musl")
    box = question_box(page, question)
    answer_in_page(page, question, correct=False)
    expect(box.get_by_text("Your answer: not right")).to_be_visible()
    expect(box.locator(".is-correct")).to_have_count(0)
    page.evaluate("window.__marker = 'same page'")
    box.get_by_role("button", name="Show answer").click()
    expect(box.locator(".is-correct")).to_contain_text(choice_text(question, correct=True))
    expect(box.get_by_text("Why:")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # swapped in, no reload
    assert page.evaluate("document.activeElement.id") == question.anchor
    assert Attempt.objects.get().revealed_at is not None
    # The learner can still answer it themselves.
    box.get_by_role("link", name="Try again").click()
    answer_in_page(page, question, correct=True)
    expect(box.get_by_text("Correct!")).to_be_visible()
    expect(page.locator("#topic-score")).to_contain_text("You got 0 of 6 right on the first try")


def test_show_answer_without_javascript(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    question = Question.objects.get(key="alpine-musl")
    box = question_box(page, question)
    answer_in_page(page, question, correct=False)
    expect(box.locator(".is-correct")).to_have_count(0)
    box.get_by_role("button", name="Show answer").click()
    assert page.url.endswith(f"{TOPIC}#{question.anchor}")
    expect(box.locator(".is-correct")).to_contain_text(choice_text(question, correct=True))
    context.close()


def test_the_summary_follows_each_answer(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    summary = page.locator("#topic-summary")
    expect(summary).to_contain_text("Not answered yet.")
    question = Question.objects.get(key="alpine-musl")
    answer_in_page(page, question, correct=False)
    expect(summary).to_contain_text("0 of 6 questions answered right so far")
    summary.get_by_role("link", name="Why is switching to alpine not a free size win?").click()
    assert page.url.endswith(f"#{question.anchor}")
