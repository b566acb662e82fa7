"""Pages of a site with several courses: the list, course URLs, old URLs, no leaks."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import content_cache
from courses.models import Course, Topic
from quizzes.models import Question
from tests.factories import FIXTURE_COURSE, answer, load, two_courses, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(tmp_path):
    """Two courses: `fixture` (English) and `zweiter` (German)."""
    root = two_courses(tmp_path)
    load(root)
    return root


def test_home_lists_courses_with_summary_and_size(client, courses):
    html = client.get("/").content.decode()
    assert "Fixture Course" in html
    assert "Ein kleiner Kurs für Tests mit mehreren Kursen." in html
    assert "2 chapters · 3 topics" in html
    assert "1 chapter · 1 topic" in html
    assert 'href="/zweiter/"' in html


def test_home_with_one_course_goes_straight_to_it(client, db):
    load(FIXTURE_COURSE)
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/fixture/")


def test_home_without_content_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No course has been loaded yet." in response.content.decode()


def test_course_list_shows_progress_and_where_to_continue(client, courses):
    answer(client, Question.objects.get(topic__course__slug="zweiter", key="run"))
    answer(client, Question.objects.get(topic__course__slug="fixture", key="run"))
    html = client.get("/").content.decode()
    assert "Fixture Course: 0 of 3 topics complete" in html
    assert "Zweiter Kurs: 1 of 1 topic complete" in html
    # Last worked on: the fixture course, whose Hello topic is not finished yet.
    assert "Continue where you left off: Hello (Fixture Course)" in html
    assert 'href="/fixture/basics/hello/"' in html


def test_course_list_queries_do_not_grow_with_courses(client, tmp_path):
    """A learner's course list costs the same with 2 courses as with 6."""

    def queries_for(tree) -> int:
        load(tree)
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    root = two_courses(tmp_path)
    load(root)
    answer(client, Question.objects.get(topic__course__slug="zweiter", key="run"))
    two = queries_for(root)
    for n in range(4):
        write(root, f"extra{n}/course.md", f"---\ntitle: Extra {n}\n---\nMore.\n")
        write(root, f"extra{n}/01-a/chapter.md", "---\nnumber: 1\ntitle: A\n---\n")
        write(root, f"extra{n}/01-a/01-t.md", "---\nnumber: 1\ntitle: T\n---\nText.\n")
    assert queries_for(root) == two
    assert Course.objects.count() == 6


def test_course_page_chapter_and_topic_live_under_the_course(client, courses):
    assert "Grundlagen" in client.get("/zweiter/").content.decode()
    assert "Hallo" in client.get("/zweiter/grundlagen/").content.decode()
    assert "Welt" in client.get("/zweiter/grundlagen/hello/").content.decode()


def test_a_topic_of_one_course_is_not_found_under_another(client, courses):
    assert client.get("/zweiter/basics/reading/").status_code == 404
    assert client.get("/fixture/grundlagen/").status_code == 404


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/basics/", "/fixture/basics/"),
        ("/basics/hello/", "/fixture/basics/hello/"),
        ("/grundlagen/hello/?retry=run", "/zweiter/grundlagen/hello/?retry=run"),
        ("/images/layers/diagram/0/?tier=x", "/fixture/images/layers/diagram/0/?tier=x"),
    ],
)
def test_old_urls_redirect_permanently_to_their_course(client, courses, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


@pytest.mark.parametrize("old", ["/basics/hello/", "/images/layers/diagram/0/"])
def test_an_old_url_with_a_query_too_long_to_carry_redirects_without_it(client, courses, old):
    """Django refuses to redirect to over 16 KB (a 400): the page itself is still found."""
    response = client.get(old, {"x": "é" * 9000})
    assert response.status_code == 301
    assert "?" not in response["Location"]
    assert response["Location"].startswith("/fixture/")


def test_an_old_url_of_a_topic_that_moved_chapter_goes_where_it_is_now(client, courses):
    response = client.get("/images/hello/")
    assert (response.status_code, response["Location"]) == (301, "/fixture/basics/hello/")


def test_an_old_url_that_names_nothing_is_404(client, courses):
    assert client.get("/nothing/").status_code == 404
    assert client.get("/nothing/here/").status_code == 404


def test_old_progress_url_redirects(client, courses):
    response = client.get("/quiz/progress/")
    assert (response.status_code, response["Location"]) == (301, "/progress/")


def test_progress_lists_each_course(client, courses):
    answer(client, Question.objects.get(topic__course__slug="zweiter", key="run"))
    html = client.get("/progress/").content.decode()
    assert 'href="/fixture/progress/"' in html
    assert "Zweiter Kurs: 1 of 1 topic complete" in html


def test_progress_and_mistakes_of_one_course_show_nothing_of_another(client, courses):
    wrong = Question.objects.get(topic__course__slug="zweiter", key="run")
    answer(client, wrong, correct=False)
    fixture = client.get("/fixture/progress/").content.decode()
    assert wrong.prompt_html not in fixture
    assert "Hallo" not in fixture
    assert "No mistakes to review" in fixture
    zweiter = client.get("/zweiter/progress/").content.decode()
    assert wrong.prompt_html in zweiter
    assert "Hello" not in re.sub(r'<nav class="course-switcher".*?</nav>', "", zweiter, flags=re.S)


def test_course_pages_offer_the_other_courses(client, courses):
    html = client.get("/fixture/progress/").content.decode()
    switcher = re.search(r'<nav class="course-switcher".*?</nav>', html, re.S).group(0)
    assert 'href="/zweiter/progress/"' in switcher
    assert 'href="/fixture/progress/" aria-current="page"' in switcher


def test_header_progress_link_follows_the_course(client, courses):
    assert 'href="/zweiter/progress/">Mein Fortschritt' in client.get("/zweiter/").content.decode()
    assert 'href="/progress/">My progress' in client.get("/").content.decode()


def test_topic_pages_cost_no_more_queries_with_several_courses(
    client, courses, django_assert_num_queries
):
    url = "/zweiter/grundlagen/hello/"
    client.get(url)
    content_cache.forget_seen_version()  # as a second later: the content version is read
    with django_assert_num_queries(1):
        client.get(url)


def test_courses_are_listed_by_order_then_title(client, courses):
    root = courses
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("language: de", "language: de\norder: 1"))
    load(root)
    html = client.get("/").content.decode()
    assert html.index("Zweiter Kurs") < html.index("Fixture Course")
    assert list(Course.objects.listed().values_list("slug", flat=True)) == ["zweiter", "fixture"]


def test_answers_in_a_retired_course_are_refused(client, courses):
    question = Question.objects.get(topic__course__slug="zweiter", key="run")
    page = client.get(question.topic.get_absolute_url()).content.decode()
    Course.objects.filter(slug="zweiter").update(is_active=False)
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', page).group(1)
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    response = Client().post(
        reverse("quizzes:answer", args=[question.pk]),
        {"nonce": nonce, "version": version, "choice": ["x"]},
    )
    assert response.status_code in (404, 410)
    assert not Topic.objects.filter(course__slug="zweiter").in_order().exists()
