"""A word in more sections than bm25 ranks (search_sqlite.CAP): the best sections still first."""

import pytest

from courses import search_sqlite
from courses.models import Course
from courses.search import search_course
from tests.factories import load, minimal_tree, topic_text

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
