"""A word in more sections than bm25 ranks (search_sqlite.CAP): the best sections still first."""

import pytest
from django.db import connection

from courses import search_sqlite
from courses.models import Course
from courses.search import search_course
from tests.factories import load, minimal_tree, topic_text, two_courses

pytestmark = pytest.mark.django_db

MENTION = "Images, networks and, in passing, volumes are all objects."


@pytest.fixture
def common(tmp_path, monkeypatch):
    """Eight passing mentions of "volumes", then a section about them, then a topic titled so.

    The cap is lowered so that eleven matches count as very common (the index's order puts
    the passing mentions first).
    """
    monkeypatch.setattr(search_sqlite, "CAP", 4)
    topics = {f"0{n}-mention-{n}.md": topic_text(n, f"Mention {n}", MENTION) for n in range(1, 9)}
    topics["09-storage.md"] = topic_text(
        9, "Storage", "Where data lives.\n\n## Volumes\n\nNamed and kept apart from images."
    )
    topics["10-volumes.md"] = topic_text(10, "Volumes", "Where data outlives a container.")
    load(minimal_tree(tmp_path, topics))
    return tmp_path


def search(text: str, limit: int = 20):
    return search_course(text, Course.objects.get(slug="course"), limit)[1]


def test_a_very_common_word_lists_the_title_hit_then_the_heading_hit_first(common):
    urls = [hit.url for hit in search("volumes").hits]
    assert urls[:2] == ["/course/one/volumes/", "/course/one/storage/#volumes"]
    assert len(urls) == 10  # and every passing mention after them


def test_a_very_common_word_fills_the_page_and_says_there_is_more(common):
    results = search("volumes", limit=3)
    assert len(results.hits) == 3
    assert results.more


def test_a_very_common_word_still_honours_exclusions_in_every_column(common, monkeypatch):
    """ "-networks" drops the passing mentions, which say "networks" in their prose only."""
    monkeypatch.setattr(search_sqlite, "CAP", 1)  # the two sections left are very common too
    urls = [hit.url for hit in search("volumes -networks").hits]
    assert urls == ["/course/one/volumes/", "/course/one/storage/#volumes"]


def test_a_very_common_word_is_marked_in_its_snippets(common):
    mention = search("volumes").hits[-1]
    assert "in passing, <mark>volumes</mark> are" in mention.snippet


def test_a_course_whose_language_changed_still_lists_the_title_hit_first(common):
    """Its sections move to the other language's tables (re-stemmed in place), titles too."""
    (common / "course.md").write_text(
        "---\ntitle: Course\nslug: course\nlanguage: de\n---\nAbout.\n", encoding="utf-8"
    )
    load(common)
    urls = [hit.url for hit in search("volumes").hits]
    assert urls[:2] == ["/course/one/volumes/", "/course/one/storage/#volumes"]


@pytest.fixture
def two_english_courses(tmp_path, monkeypatch):
    """`course` mentions "volumes" in two sections, once and then four times; `other`, in
    the same language, in five. The cap is lowered between the two courses' counts."""
    monkeypatch.setattr(search_sqlite, "CAP", 3)
    minimal_tree(
        tmp_path / "course",
        {
            "01-once.md": topic_text(1, "Once", "A word on volumes."),
            "02-often.md": topic_text(2, "Often", "Volumes, volumes, volumes and volumes."),
        },
    )
    other = {f"0{n}-other-{n}.md": topic_text(n, f"Other {n}", MENTION) for n in range(1, 6)}
    minimal_tree(tmp_path / "other", other)
    (tmp_path / "other" / "course.md").write_text(
        "---\ntitle: Other\nslug: other\n---\nAbout.\n", encoding="utf-8"
    )
    load(tmp_path)


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")


@sqlite_only
def test_a_courses_ranking_does_not_depend_on_another_course_in_its_language(
    two_english_courses,
):
    """Two matches in the course: ranked by bm25 (four mentions first), not in tiers (index
    order), however common the word is in the other course."""
    urls = [hit.url for hit in search("volumes").hits]
    assert urls == ["/course/one/often/", "/course/one/once/"]


@sqlite_only
def test_courses_in_one_language_share_an_fts_table(two_english_courses):
    """The course is narrowed to inside FTS5, since the other's sections are there too."""
    course = Course.objects.get(slug="course").pk
    assert search_sqlite.count_matches(search_sqlite.STEMMED, course, '"volumes"') == (2, True)


@sqlite_only
def test_a_course_alone_in_its_language_needs_no_narrowing(tmp_path):
    """A German course beside it has its own table."""
    load(two_courses(tmp_path))
    course = Course.objects.get(slug="fixture").pk
    shared = search_sqlite.count_matches(search_sqlite.STEMMED, course, '"the"')[1]
    assert shared is False
