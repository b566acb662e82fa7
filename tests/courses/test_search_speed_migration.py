"""Migration 0005 (SQLite): the titles, summaries and headings already loaded are indexed, and
the word tables index prefixes."""

import pytest
from django.core.management import call_command
from django.db import connection

from courses import search_sqlite
from courses.models import Course
from courses.search import search_course
from tests.factories import load, minimal_tree, topic_text

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables"),
]


def test_sections_loaded_before_the_migration_are_in_its_tables(tmp_path, monkeypatch):
    """Loaded under 0004, then migrated: the title hit of a very common word comes first."""
    monkeypatch.setattr(search_sqlite, "CAP", 1)
    call_command("migrate", "courses", "0004_search", verbosity=0)
    try:
        topics = {
            "01-mention.md": topic_text(1, "Mention", "In passing, volumes."),
            "02-volumes.md": topic_text(2, "Volumes", "Where data outlives a container."),
        }
        load(minimal_tree(tmp_path, topics))
    finally:
        call_command("migrate", "courses", verbosity=0)
    hits = search_course("volumes", Course.objects.get(slug="course"))[1].hits
    assert [hit.url for hit in hits] == ["/course/one/volumes/", "/course/one/mention/"]


def test_the_word_tables_index_prefixes_of_two_to_eight_characters():
    """The last word typed is a prefix term: an index for it spares FTS5 a merge per use."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN "
            "('courses_section_stemmed', 'courses_section_words')"
        )
        tables = dict(cursor.fetchall())
    assert len(tables) == 2
    assert all("prefix='2 3 4 5 6 7 8'" in sql for sql in tables.values())
