"""Answering knowledge checks in a real headless Chromium, with and without JavaScript."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Attempt, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])


def choice_text(question: Question, *, correct: bool) -> str:
    return question.choices.filter(is_correct=correct).order_by("position").first().text


def question_box(page, question: Question):
    return page.locator(f"#{question.anchor}")


def answer_in_page(page, question: Question, *, correct: bool) -> None:
    box = question_box(page, question)
    box.get_by_role("radio", name=choice_text(question, correct=correct)).check()
    box.get_by_role("button", name="Check answer").click()


def test_right_and_wrong_answers_graded_in_place(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    first, second = Question.objects.order_by("position")[:2]
    page.evaluate("window.__marker = 'same page'")
    answer_in_page(page, first, correct=True)
    expect(question_box(page, first).get_by_text("Correct!")).to_be_visible()
    expect(page.locator("#topic-score")).to_contain_text("You got 1 of 6 right on the first try")
    answer_in_page(page, second, correct=False)
    box = question_box(page, second)
    expect(box.get_by_text("Not quite.")).to_be_visible()
    expect(box.locator(".is-correct")).to_contain_text(choice_text(second, correct=True))
    expect(box.get_by_text("Why:")).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"  # no full reload happened
    box.get_by_role("link", name="Try again").click()
    expect(box.get_by_role("button", name="Check answer")).to_be_visible()
    assert Attempt.objects.count() == 2


def test_answering_without_javascript(live_server, browser, seed_course):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    question = Question.objects.order_by("position").first()
    answer_in_page(page, question, correct=False)
    assert page.url.endswith(f"{TOPIC}#{question.anchor}")
    expect(question_box(page, question).get_by_text("Not quite.")).to_be_visible()
    question_box(page, question).get_by_role("link", name="Try again").click()
    answer_in_page(page, question, correct=True)
    expect(question_box(page, question).get_by_text("Correct!")).to_be_visible()
    expect(page.locator("#topic-score")).to_contain_text("You got 0 of 6 right on the first try")
    context.close()


def test_progress_survives_reload_and_carries_into_a_new_account(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    question = Question.objects.order_by("position").first()
    answer_in_page(page, question, correct=True)
    expect(page.locator("#topic-score")).to_contain_text("You got 1 of 6")
    page.reload()
    expect(page.locator("#topic-score")).to_contain_text("You got 1 of 6")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("grace")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-enough-pass-42")
    page.get_by_label(re.compile(r"^Password confirmation:?$")).fill("a-long-enough-pass-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(re.escape(TOPIC)))
    expect(page.locator("#topic-score")).to_contain_text("You got 1 of 6")
    expect(page.get_by_text("grace", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Welcome, grace!")).to_contain_text(
        "the progress you made in this browser is now saved to it"
    )


def test_keyboard_only_answering(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    question = Question.objects.order_by("position").first()
    radio = question_box(page, question).get_by_role("radio").first
    radio.focus()
    target = choice_text(question, correct=True)
    for _ in range(4):  # arrow keys move and select within the radio group
        if page.evaluate("document.activeElement.closest('label').innerText").strip() == target:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # select the focused choice
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText") == "Check answer"
    page.keyboard.press("Enter")
    expect(question_box(page, question).get_by_text("Correct!")).to_be_visible()
    # Focus lands on the result, and Tab reaches "Try again".
    assert page.evaluate("document.activeElement.id") == question.anchor
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText") == "Try again"


def test_topic_page_has_no_accessibility_violations(live_server, page, seed_course):
    page.goto(live_server.url + TOPIC)
    before = Axe().run(page)
    assert before.violations_count == 0, before.generate_report()
    for question in Question.objects.order_by("position")[:2]:
        answer_in_page(page, question, correct=question.position == 0)
        expect(question_box(page, question).locator(".feedback")).to_be_visible()
    after = Axe().run(page)
    assert after.violations_count == 0, after.generate_report()
