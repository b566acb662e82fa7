"""Slugs in any script: from file names, from front matter, and in working URLs (item 13)."""

import re
import unicodedata
from html import unescape
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import resolve, reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.content import ContentError, parse_course
from courses.slugs import is_slug, slugify
from quizzes.models import Question
from tests.factories import SEED_TOPIC, answer, load, minimal_tree, topic_text, write


def parse(tmp_path, topics: dict[str, str]):
    return parse_course(minimal_tree(tmp_path / "content", topics))


def problems_for(tmp_path, topics: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as excinfo:
        parse(tmp_path, topics)
    return [str(p) for p in excinfo.value.problems]


# --- the pure function ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Base Images", "base-images"),
        ("café crème", "café-crème"),
        ("日本語の画像", "日本語の画像"),
        ("हिन्दी पाठ", "हिन्दी-पाठ"),  # combining vowel signs stay inside the word
        ("C++ & Go!", "c-go"),
        ("!!!", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_names_keep_the_slugs_they_had(name):
    """A slug is a topic's identity: no ASCII file name may change slug."""
    assert slugify(name) == re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_slug_is_its_own_slug(name):
    assert slugify(slugify(name)) == slugify(name)


# --- the parser ----------------------------------------------------------------------------


def test_accented_file_name_gives_an_accented_slug(tmp_path):
    course = parse(tmp_path, {"02-café-crème-images.md": topic_text()})
    assert course.topics[0].slug == "café-crème-images"


def test_japanese_file_names_give_distinct_slugs(tmp_path):
    course = parse(tmp_path, {"01-画像.md": topic_text(1), "02-日本語.md": topic_text(2)})
    assert [t.slug for t in course.topics] == ["画像", "日本語"]


def test_file_name_without_a_slug_asks_for_one(tmp_path):
    """No shared fallback: two such files used to collide on 'untitled'."""
    assert problems_for(tmp_path, {"01-!!!.md": topic_text(1), "02-??.md": topic_text(2)}) == [
        "content/01-one/01-!!!.md:1: the file name gives no slug: add 'slug:' to the front matter",
        "content/01-one/02-??.md:1: the file name gives no slug: add 'slug:' to the front matter",
    ]


def test_authored_unicode_slug_is_accepted_in_composed_form(tmp_path):
    decomposed = unicodedata.normalize("NFD", "crème")
    course = parse(tmp_path, {"01-a.md": topic_text(extra_front=f"slug: {decomposed}\n")})
    assert course.topics[0].slug == "crème"


def test_authored_slug_with_capitals_suggests_one(tmp_path):
    assert problems_for(tmp_path, {"01-a.md": topic_text(extra_front="slug: Crème Brûlée\n")}) == [
        "content/01-one/01-a.md:4: slug 'Crème Brûlée' must be lowercase letters, digits and "
        "hyphens (for example 'crème-brûlée')"
    ]


def test_is_slug():
    assert all(is_slug(v) for v in ("café-crème", "日本語", "base-images-2"))
    assert not any(is_slug(v) for v in ("", "Café", "a--b", "-a", "a_b", "a.b", 3))


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def unicode_course(tmp_path, db):
    root = minimal_tree(tmp_path / "content")
    write(root, "02-画像/chapter.md", "---\nnumber: 2\ntitle: 画像\n---\n")
    seed = SEED_TOPIC.read_text(encoding="utf-8").replace("slug: base-images\n", "")
    (root / "02-画像" / "12-café-crème-images.md").write_text(seed, encoding="utf-8")
    write(root, "02-画像/13-日本語.md", topic_text(13, "日本語"))
    load(root)


def internal_links(html: str) -> list[str]:
    links = re.findall(r'(?:href|hx-get|action)="(/[^"]*)"', html)
    # Static files and the site-root files whitenoise serves (/favicon.ico) are no views.
    files = ("/static/", "/favicon.ico")
    return sorted({unescape(link) for link in links if not link.startswith(files)})


def test_unicode_topic_is_served(client, unicode_course):
    url = reverse("courses:topic", args=["course", "画像", "café-crème-images"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Base images from full to empty" in response.content.decode()


def test_links_on_a_unicode_topic_page_resolve(client, unicode_course):
    html = client.get(
        reverse("courses:topic", args=["course", "画像", "café-crème-images"])
    ).content.decode()
    links = internal_links(html)
    assert reverse("courses:chapter", args=["course", "画像"]) in links
    assert reverse("courses:topic", args=["course", "画像", "日本語"]) in links  # the next topic
    assert any("/diagram/0/" in link for link in links)
    for link in links:
        assert resolve(unquote(urlsplit(link).path))
        if "/quiz/" not in link:
            assert client.get(link).status_code in (200, 302), link


def test_home_and_chapter_link_to_unicode_topics(client, unicode_course):
    home = client.get(reverse("courses:course", args=["course"])).content.decode()
    chapter = client.get(reverse("courses:chapter", args=["course", "画像"])).content.decode()
    topic = reverse("courses:topic", args=["course", "画像", "日本語"])
    assert topic in internal_links(home)
    assert topic in internal_links(chapter)


def test_a_path_that_is_no_slug_is_404(client, unicode_course):
    assert client.get("/Caf%C3%A9/").status_code == 404
    assert client.get("/%E7%94%BB%E5%83%8F/x.y/").status_code == 404


def test_answering_on_a_unicode_topic_comes_back_to_it(client, unicode_course):
    question = Question.objects.filter(topic__slug="café-crème-images").first()
    response = answer(client, question, htmx=False)
    assert response.status_code == 302
    assert unquote(response["Location"]).startswith("/course/画像/café-crème-images/")
    assert client.get(response["Location"]).status_code == 200


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=20))
def test_is_slug_of_ascii_text_agrees_with_slugify(value):
    """The fast ASCII check says what slugify says: a text is a slug iff it is its own slug."""
    assert is_slug(value) == (bool(value) and slugify(value) == value)
