"""Course pages: home, chapter, topic; 404s for unknown or retired content."""

import re

import pytest
from django.urls import reverse

from courses.models import Topic
from quizzes.models import Question
from tests.factories import SEED_COURSE, copy_fixture, load, write

pytestmark = pytest.mark.django_db

SEED_SECTIONS = [
    "Official and Verified Images",
    "Full vs Slim",
    "Alpine and the musl Caveat",
    "Distroless",
    "scratch and Static Binaries",
    "Base-Image Spectrum",
    "Common Mistakes",
    "Best Practices",
    "Comparable Tools",
    "Knowledge Check",
]


def test_home_lists_chapters_and_topics_in_order(client, fixture_course):
    html = client.get(reverse("courses:course", args=["fixture"])).content.decode()
    positions = [html.index(t) for t in ("Basics", "Hello", "Reading only", "Images", "Layers")]
    assert positions == sorted(positions)


def test_home_without_content_is_404(client, db):
    assert client.get(reverse("courses:course", args=["fixture"])).status_code == 404


def test_chapter_page(client, fixture_course):
    response = client.get(reverse("courses:chapter", args=["fixture", "basics"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<li value="1">' in html
    assert 'href="/fixture/basics/hello/">Hello</a>' in html
    assert "Topic 1: Hello" not in html  # the list numbers topics; the link does not repeat it


def test_unknown_chapter_is_404(client, fixture_course):
    assert client.get(reverse("courses:chapter", args=["fixture", "nope"])).status_code == 404


def test_unknown_topic_is_404(client, fixture_course):
    assert (
        client.get(reverse("courses:topic", args=["fixture", "basics", "nope"])).status_code == 404
    )


def test_retired_topic_is_404(client, tmp_path, db):
    root = copy_fixture(tmp_path)
    load(root)
    (root / "01-basics" / "01-hello.md").unlink()
    load(root)
    assert (
        client.get(reverse("courses:topic", args=["fixture", "basics", "hello"])).status_code == 404
    )


def test_topic_under_old_chapter_redirects(client, fixture_course):
    response = client.get(reverse("courses:topic", args=["fixture", "images", "hello"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("courses:topic", args=["fixture", "basics", "hello"])


def test_topic_prev_next_cross_chapters(client, fixture_course):
    html = client.get(
        reverse("courses:topic", args=["fixture", "basics", "reading"])
    ).content.decode()
    assert (
        f'rel="prev" href="{reverse("courses:topic", args=["fixture", "basics", "hello"])}"' in html
    )
    assert (
        f'rel="next" href="{reverse("courses:topic", args=["fixture", "images", "layers"])}"'
        in html
    )


def test_seed_topic_shows_every_section_and_question(client, seed_course):
    html = client.get(
        reverse("courses:topic", args=["containers", "images", "base-images"])
    ).content.decode()
    for section in SEED_SECTIONS:
        assert section in html
    for question in Question.objects.filter(topic__slug="base-images"):
        assert question.prompt_html in html
    for tier in ("full debian", "slim", "alpine", "distroless", "scratch"):
        assert tier in html
    assert "Base imageSize" not in html
    assert "You got correct" not in html
    assert 'href="#full-vs-slim"' in html  # table of contents


def test_seed_content_has_no_leftovers():
    text = (SEED_COURSE / "02-images" / "12-base-images.md").read_text()
    assert "Base imageSize" not in text
    assert "You got correct" not in text


def test_topic_page_does_not_reveal_answers(client, seed_course):
    html = client.get(
        reverse("courses:topic", args=["containers", "images", "base-images"])
    ).content.decode()
    assert not re.search(r"is.correct|correct-choice|data-correct", html)


def test_topic_page_query_count_is_constant(client, tmp_path, db, django_assert_max_num_queries):
    """Adding questions does not add queries."""
    root = copy_fixture(tmp_path)
    load(root)
    url = reverse("courses:topic", args=["fixture", "basics", "hello"])
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    many = "\n".join(f"### Question {i}?\n- [x] yes {i}\n- [ ] no {i}\n" for i in range(25))
    write(
        root,
        "01-basics/01-hello.md",
        f"---\nnumber: 1\ntitle: Hello\n---\nHi.\n\n## Knowledge Check\n\n{many}",
    )
    load(root)
    assert Topic.objects.get(slug="hello").questions.count() >= 25
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="question"') == 25
