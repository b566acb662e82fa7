"""Where a topic leads: completion explained where progress shows, the end-of-topic summary,
the contents' Knowledge Check entry."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question
from tests.factories import answer, copy_fixture, load

pytestmark = pytest.mark.django_db
SEED_URL = "/containers/images/base-images/"
HELLO_URL = "/fixture/basics/hello/"
READING_URL = "/fixture/basics/reading/"
RULE = "A topic is complete once every one of its questions has been answered right"


@pytest.fixture
def fixture_tree(tmp_path):
    load(copy_fixture(tmp_path))


def summary(html: str) -> str:
    match = re.search(r'<div id="topic-summary".*?</div>', html, re.DOTALL)
    assert match, "no summary"
    return re.sub(r"\s+", " ", match.group(0))


def test_score_line_says_what_completes_the_topic_after_some_wrong_answers(client, seed_course):
    """All six answered, one wrong: "In progress" now says why."""
    for question in Question.objects.all():
        answer(client, question, correct=question.key != "alpine-musl")
    score = re.search(r'<p id="topic-score".*?</p>', client.get(SEED_URL).content.decode(), re.S)
    text = re.sub(r"\s+", " ", score.group(0))
    assert "In progress" in text
    assert "5 of 6 questions answered right so far." in text
    assert "Answer each one right, at any try, to complete this topic." in text


def test_score_line_before_any_answer_says_what_completes_the_topic(client, seed_course):
    html = client.get(SEED_URL).content.decode()
    assert "Answer each question right, at any try, to complete this topic." in html


def test_a_complete_topic_says_so(client, seed_course):
    for question in Question.objects.all():
        answer(client, question, correct=True)
    html = client.get(SEED_URL).content.decode()
    assert "Every question answered right: this topic is complete." in summary(html)


def test_summary_lists_the_questions_still_to_answer_right_with_links(client, seed_course):
    wrong = Question.objects.get(key="alpine-musl")
    right = Question.objects.get(key="scratch-viable")
    answer(client, wrong, correct=False)
    answer(client, right, correct=True)
    text = summary(client.get(SEED_URL).content.decode())
    assert "You got 1 of 6 right on the first try." in text
    assert f'<a href="#{wrong.anchor}">Why is switching to alpine not a free size win?</a>' in text
    assert "(not right yet)" in text
    assert "(not answered yet)" in text
    assert f'href="#{right.anchor}"' not in text
    assert len(re.findall(r'<a href="#q-', text)) == 5


def test_prompts_in_the_summary_are_text_not_markup(client, seed_course):
    """A prompt's code span shows as its words: no link nested in a link."""
    question = Question.objects.get(key="scratch-viable")
    Question.objects.filter(pk=question.pk).update(
        prompt_html="When is <code>FROM scratch</code> ok?"
    )
    answer(client, Question.objects.get(key="alpine-musl"), correct=False)
    assert f'<a href="#{question.anchor}">When is FROM scratch ok?</a>' in summary(
        client.get(SEED_URL).content.decode()
    )


def test_summary_leads_to_the_next_topic_and_back_to_the_chapter(client, fixture_tree):
    html = client.get(HELLO_URL).content.decode()
    end = re.search(r'<section class="topic-end".*?</section>', html, re.S).group(0)
    assert re.search(
        r'<a class="button" href="/fixture/basics/reading/">Next topic: Reading only', end
    )
    assert '<a href="/fixture/basics/">Back to Chapter 1: Basics</a>' in end


def test_answering_updates_the_summary_in_place(client, seed_course):
    """The htmx answer sends the summary along (out of band), so it never goes stale."""
    html = answer(client, Question.objects.get(key="alpine-musl"), correct=False).content.decode()
    assert '<div id="topic-summary" class="topic-summary" data-hx-swap-oob="true">' in html
    assert "(not right yet)" in summary(html)


def test_marking_read_updates_the_summary_in_place(client, fixture_tree):
    topic_id = re.search(r'action="/quiz/read/(\d+)/"', client.get(READING_URL).content.decode())[1]
    html = client.post(
        reverse("quizzes:mark-read", args=[topic_id]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Marked as read." in html
    assert "Marked as read: this topic is complete." in summary(html)


def test_contents_list_the_knowledge_check_and_its_anchor_exists(client, seed_course):
    html = client.get(SEED_URL).content.decode()
    contents = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert '<a href="#knowledge-check">Knowledge Check</a>' in contents
    assert '<h2 id="knowledge-check">' in html
    assert "<details" in contents
    assert "<summary" in contents
    assert "<details open" not in contents  # closed in the HTML: phones see one line


def test_a_topic_without_questions_lists_no_knowledge_check(client, fixture_tree):
    assert 'href="#knowledge-check"' not in client.get(READING_URL).content.decode()


@pytest.mark.parametrize("url", ["/fixture/", "/fixture/basics/", "/fixture/progress/"])
def test_progress_pages_say_what_is_missing_and_what_completes_a_topic(url, fixture_tree):
    client = Client()
    answer(client, Question.objects.get(key="run"), correct=False)
    html = re.sub(r"\s+", " ", client.get(url).content.decode())
    assert RULE in html
    assert '<span class="status in-progress">In progress</span> ' in html
    assert '<span class="status-detail">0 of 2 answered right</span>' in html


def test_a_visitor_without_progress_sees_no_rule_on_the_course_page(client, fixture_tree):
    assert RULE not in client.get("/fixture/").content.decode()
