"""From the course list to a German course's topic, answered in place, in headless Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.factories import load, two_courses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_goes_from_the_course_list_to_a_german_topic_and_answers(
    live_server, page, tmp_path
):
    load(two_courses(tmp_path))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Zweiter Kurs").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_role("link", name="Hallo").click()
    expect(page.get_by_role("heading", name="Wissenscheck")).to_be_visible()
    question = page.locator(".question").first
    question.get_by_role("radio", name="Einen Container").check()
    question.get_by_role("button", name="Antwort prüfen").click()
    expect(page.locator(".question").first.get_by_text("Richtig!")).to_be_visible()
    expect(page.locator("#topic-score")).to_contain_text("Du hast 1 von 1")
    assert Attempt.objects.get().question.topic.course.slug == "zweiter"
    assert Axe().run(page).violations_count == 0
    page.get_by_role("link", name="Mein Fortschritt").click()
    expect(page.get_by_text("Fortschritt im Kurs: 1 von 1 Thema abgeschlossen")).to_be_visible()
