"""Every state of the learner's loop at 1280 and 375 px: no axe violation, and a screenshot
of each in test-artifacts/topic/ (git-ignored) for a person to look at."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from quizzes.models import Question
from tests.browser.test_knowledge_check import answer_in_page, question_box
from tests.factories import load, two_courses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "topic"
WIDTHS = [1280, 375]


@pytest.fixture
def at_width(browser, live_server, request):
    """`at_width(width)`: a page at that width (clipboard allowed) and a `shoot(state, ...)`."""
    contexts = []

    def opened(width: int, url: str = TOPIC):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + url)

        def shoot(state: str, element=None) -> None:
            """Screenshot (the element, else the window) and check the whole page with axe."""
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            path = ARTIFACTS / f"{width}-{state}.png"
            (element or page).screenshot(path=path, animations="disabled")
            result = Axe().run(page)
            assert result.violations_count == 0, f"{state}: {result.generate_report()}"

        return page, shoot

    yield opened
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_answer_states(at_width, seed_course, width):
    """Fresh, after a wrong answer, after "Show answer", after a right answer, the summary."""
    page, shoot = at_width(width)
    shoot("fresh")
    wrong, right = (
        Question.objects.get(key="alpine-musl"),
        Question.objects.get(key="distroless-cost"),
    )
    box = question_box(page, wrong)
    box.scroll_into_view_if_needed()
    shoot("question-fresh", box)
    answer_in_page(page, wrong, correct=False)
    expect(box.get_by_role("button", name="Show answer")).to_be_visible()
    shoot("question-wrong", box)
    box.get_by_role("button", name="Show answer").click()
    expect(box.locator(".is-correct")).to_be_visible()
    shoot("question-revealed", box)
    answer_in_page(page, right, correct=True)
    expect(question_box(page, right).get_by_text("Correct!")).to_be_visible()
    shoot("question-right", question_box(page, right))
    shoot("score", page.locator("#topic-score"))
    end = page.locator(".topic-end")
    end.scroll_into_view_if_needed()
    shoot("summary", end)


@pytest.mark.parametrize("width", WIDTHS)
def test_contents_states(at_width, seed_course, width):
    """The contents as the page opens (closed on a phone) and opened."""
    page, shoot = at_width(width)
    shoot("contents-initial")
    details = page.locator(".toc-details")
    if width < 992:
        page.get_by_text("On this page").click()
    expect(details.get_by_role("link", name="Knowledge Check")).to_be_visible()
    shoot("contents-open")
    page.locator("#distroless").evaluate("el => el.scrollIntoView()")
    expect(page.locator('.toc [aria-current="location"]')).to_have_text("Distroless")
    shoot("contents-reading")


@pytest.mark.parametrize("width", WIDTHS)
def test_code_block_states(at_width, seed_course, width):
    """A code block with its copy button, before and after copying."""
    page, shoot = at_width(width)
    block = page.locator("div.highlight").first
    block.scroll_into_view_if_needed()
    shoot("code", block)
    block.get_by_role("button", name="Copy code").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    shoot("code-copied", block)


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_pages(at_width, seed_course, width):
    """Course, chapter and progress pages with a topic in progress say what is missing."""
    page, shoot = at_width(width)
    question = Question.objects.get(key="alpine-musl")
    answer_in_page(page, question, correct=False)
    expect(question_box(page, question).get_by_role("button", name="Show answer")).to_be_visible()
    for name, url in [
        ("course", "/containers/"),
        ("chapter", "/containers/images/"),
        ("progress", "/containers/progress/"),
    ]:
        page.goto(page.url.split("/containers/")[0] + url)
        expect(page.locator(".status-detail").first).to_have_text("0 of 6 answered right")
        shoot(f"page-{name}")


@pytest.mark.parametrize("width", WIDTHS)
def test_german_topic(at_width, tmp_path, db, width):
    """A German course's topic: longer words in the header, German labels."""
    load(two_courses(tmp_path))
    question = Question.objects.get(topic__course__slug="zweiter", key="run")
    page, shoot = at_width(width, question.topic.get_absolute_url())
    shoot("german-top")
    box = question_box(page, question)
    box.get_by_role("radio", name="Einen Build").check()
    box.get_by_role("button", name="Antwort prüfen").click()
    expect(box.get_by_role("button", name="Antwort zeigen")).to_be_visible()
    shoot("german-wrong", box)


@pytest.mark.parametrize("width", WIDTHS)
def test_contents_without_javascript(browser, live_server, seed_course, width):
    """Without JavaScript: open on a wide screen (CSS), one closed line on a phone."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + TOPIC)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{width}-contents-no-js.png")
    link = page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Distroless"
    )
    if width < 992:
        expect(link).to_be_hidden()
    else:
        expect(link).to_be_visible()
    context.close()  # no axe here: it runs as JavaScript in the page
