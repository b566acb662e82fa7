"""The topic page's cached pieces: identical output, fresh after a re-import, few queries."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from courses import page_cache, page_shell
from courses.models import Topic
from courses.views import render_topic
from quizzes import visitors
from quizzes.models import Question
from quizzes.progress import LatestAttempt, question_state
from tests.factories import answer, copy_fixture, load, minimal_tree, topic_text, write

pytestmark = pytest.mark.django_db
SEED_URL = "/containers/images/base-images/"


def test_prerendered_form_matches_the_template(seed_course):
    """A form filled in from cached pieces is byte for byte the template's."""
    topic = Topic.objects.select_related("course", "chapter").get(slug="base-images")
    request = RequestFactory().get(SEED_URL)
    page = page_cache.topic_page(topic.course, topic)
    token = get_token(request)
    for question in page.questions:
        state = question_state(question, "0123456789abcdef")
        expected = render_to_string(
            "courses/topic_detail.html#question", {"state": state, "csrf_token": token}
        )
        assert page_cache.question_form(page, state, token) == expected


def test_reimported_text_shows_at_once(client, tmp_path):
    """Editing a topic and loading again changes the page: no stale cache."""
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(body="Old words.")})
    load(root)
    url = reverse("courses:topic", args=["course", "one", "a"])
    assert "Old words." in client.get(url).content.decode()
    write(root, "01-one/01-a.md", topic_text(body="New words."))
    load(root)
    html = client.get(url).content.decode()
    assert "New words." in html
    assert "Old words." not in html


def test_new_neighbour_shows_after_reimport(client, tmp_path):
    """The pager's links follow a re-import that adds a topic after this one."""
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(number=1)})
    load(root)
    url = reverse("courses:topic", args=["course", "one", "a"])
    assert 'rel="next"' not in client.get(url).content.decode()
    write(root, "01-one/02-b.md", topic_text(number=2, title="Bee"))
    load(root)
    assert "Bee" in client.get(url).content.decode()


def test_diagram_state_from_the_query_string_is_not_cached(client, seed_course):
    """A deep link's diagram state is rendered for it, and never served to plain visits."""
    plain = client.get(SEED_URL).content.decode()
    deep = client.get(f"{SEED_URL}?tier=alpine").content.decode()
    assert plain.count('aria-current="true"') < deep.count('aria-current="true"')
    assert client.get(SEED_URL).content.decode().count('aria-current="true"') == plain.count(
        'aria-current="true"'
    )


def test_warm_topic_page_costs_one_query(client, tmp_path, django_assert_num_queries):
    """Once cached, an anonymous topic page reads only the topic row."""
    load(copy_fixture(tmp_path))
    url = reverse("courses:topic", args=["fixture", "basics", "hello"])
    client.get(url)
    with django_assert_num_queries(1):
        client.get(url)


def normalized(html: str) -> str:
    """A page with its per-view values (nonces, CSRF tokens) blanked out, spaces collapsed."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r'name="nonce" value="[0-9a-f]+"', 'name="nonce" value=""', html)
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")\w+', r"\1", html)


def visitor_request(path: str):
    request = RequestFactory().get(path)
    request.COOKIES[visitors.COOKIE] = visitors.cookie_value(visitors.Visitor("a-visitor"))
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def test_visitor_page_matches_the_rendered_page(seed_course):
    """The cached whole page for visitors is the page the view renders, markers filled in."""
    topic = Topic.objects.select_related("course", "chapter").get(slug="base-images")
    fast = page_shell.visitor_page(visitor_request(SEED_URL), "containers", "images", "base-images")
    slow = render_topic(visitor_request(SEED_URL), topic).content.decode()
    assert fast is not None
    assert normalized(fast) == normalized(slow)
    assert fast.count('name="nonce"') == len(topic.questions.filter(is_active=True))


def test_learner_page_matches_the_rendered_page(client, seed_course):
    """A learner's page from the shell shows their answers exactly as the template does."""
    question = Question.objects.get(key="alpine-musl")
    answer(client, question, correct=False)
    topic = Topic.objects.select_related("course", "chapter").get(slug="base-images")

    def learner_request():
        request = visitor_request(SEED_URL)
        request.COOKIES[visitors.COOKIE] = client.cookies[visitors.COOKIE].value
        return request

    fast = page_shell.visitor_page(learner_request(), "containers", "images", "base-images")
    slow = render_topic(learner_request(), topic).content.decode()
    assert fast is not None
    assert "Not quite." in fast
    assert normalized(fast) == normalized(slow)


def test_answered_result_changes_with_the_next_answer(client, seed_course):
    """Cached answered results are keyed by picks and outcome: a new answer shows at once."""
    question = Question.objects.get(key="alpine-musl")
    answer(client, question, correct=False)
    assert "Not quite." in client.get(SEED_URL).content.decode()
    answer(client, question, correct=True)
    html = client.get(SEED_URL).content.decode()
    assert "Not quite." not in html
    assert "Correct!" in html


def test_learners_with_the_same_picks_share_the_result_and_see_only_theirs(seed_course):
    """Two learners answering alike get the same result; another's picks are not shown."""
    from django.test import Client

    question = Question.objects.get(key="alpine-musl")
    right, wrong, other = Client(), Client(), Client()
    answer(right, question, correct=True)
    answer(wrong, question, correct=False)
    answer(other, Question.objects.get(key="scratch-viable"), correct=True)
    assert "Correct!" in right.get(SEED_URL).content.decode()
    assert "Not quite." in wrong.get(SEED_URL).content.decode()
    page = other.get(SEED_URL).content.decode()
    assert "Not quite." not in page
    assert page.count("Your answer") == 1


def test_content_that_looks_like_a_marker_is_served_as_written(client, seed_course):
    """Text in content that mimics a page marker (old NUL ones included) is never filled in."""
    from django.db import connection

    # The old markers were NUL-framed; PostgreSQL cannot store NUL in text at all.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    fake = f"{nul}csrf{nul} {nul}question0{nul} {nul}score{nul} _csrf__ _question_0_"
    Topic.objects.filter(slug="base-images").update(body_html=f"<p>{fake}</p>")
    question = Question.objects.get(key="alpine-musl")
    Question.objects.filter(pk=question.pk).update(prompt_html=f"Prompt {fake}")
    for _ in range(2):  # built, then from the cache
        response = client.get(SEED_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count(fake) == 2
        assert html.count('name="nonce"') == 6


def test_a_marker_tag_found_in_content_is_drawn_again():
    """If rendered text ever held the random tag, the split retries with a fresh one."""
    seen = []

    def render(mark):
        seen.append(mark.tag)
        leaked = seen[0]  # content that happens to hold the first tag
        return f"a{mark('csrf')}b {leaked}"

    pieces = page_cache.render_split(render)
    assert len(seen) == 2
    assert pieces == ["a", "csrf", "", f"b {seen[0]}"]


def test_a_cached_answered_result_depends_on_whether_the_answer_was_asked_for(seed_course):
    """Same question, order, picks and outcome: revealed and hidden are different fragments."""
    question = Question.objects.get(key="alpine-musl")
    wrong = question.choices.filter(is_correct=False).first()
    seed = "0123456789abcdef"

    def rendered(revealed: bool) -> str:
        attempt = LatestAttempt(False, frozenset({wrong.pk}), revealed=revealed)
        state = question_state(question, seed, attempt)
        return page_shell.fill(page_shell.answered_pieces("v1", state), lambda *_: "token")

    hidden, shown = rendered(False), rendered(True)
    assert question.explanation_html not in hidden
    assert question.explanation_html in shown
