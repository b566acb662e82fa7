"""Search a course: ranked sections, found by the database's own full-text engine.

One interface for the views: `search_course` and `search_courses`. The engine module is
chosen by `connection.vendor` — SQLite FTS5 (courses/search_sqlite.py) or PostgreSQL
full-text search (courses/search_postgres.py) — and both answer the same two passes:

1. words: the query's words (stemmed in the course's language where the engine can), the
   last one also as a prefix, ranked by where they occur: title, summary, heading, prose,
   code, in that order of weight;
2. fragments, only when the words found nothing: every word inside longer words or in text
   without spaces (CJK), heavier columns first.

Results are only sections of active topics of active chapters of an active course, and the
index holds nothing that is shown only after answering (courses/search_index.py). Snippets
are escaped before anything is marked (courses/search_query.py::marked_html). The index is
docs/search.md's subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

from courses import search_postgres, search_sqlite
from courses.models import Course
from courses.search_query import clean, marked_html, parse_query
from courses.search_sql import Row
from courses.sections import text_config

LIMIT = 20  # hits on a course's results page
PER_COURSE = 5  # hits per course when searching every course
TOPIC_URLS = 8192  # topic URLs kept per process: one per topic, about 100 bytes each


class Hit(NamedTuple):
    """One section found: where it is, what it is called, and a snippet (safe HTML).

    A named tuple, as Row is: one is built for every hit of every search."""

    section_id: int
    course_slug: str
    course_title: str
    topic_title: str
    heading: str
    is_question: bool
    snippet: SafeString
    code: bool
    url: str


@dataclass
class Results:
    """What one course gave for a query: the best hits, and whether there were more."""

    course: Course
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def engine():
    return search_postgres if connection.vendor == "postgresql" else search_sqlite


@lru_cache(maxsize=TOPIC_URLS)
def topic_url(prefix: str, course_slug: str, chapter_slug: str, topic_slug: str) -> str:
    """A topic page's URL (under the script `prefix`, which `reverse` reads)."""
    return reverse("courses:topic", args=[course_slug, chapter_slug, topic_slug])


def hit(row: Row, prefix: str) -> Hit:
    """The hit for a row, its URL under the script `prefix`."""
    # reverse() costs as much as the rest of a hit; URLs depend only on the slugs.
    url = topic_url(prefix, row.course_slug, row.chapter_slug, row.topic_slug)
    return Hit(
        section_id=row.section_id,
        course_slug=row.course_slug,
        course_title=row.course_title,
        topic_title=row.topic_title,
        heading=row.heading,
        is_question=row.kind == "question",
        snippet=marked_html(row.snippet),
        code=row.code,
        url=f"{url}#{row.anchor}" if row.anchor else url,
    )


def find(text: str, course: Course, limit: int) -> Results:
    """The best `limit` sections of `course` for already cleaned text."""
    query = parse_query(text)
    if not query:
        return Results(course)
    backend = engine()
    rows, more = backend.words(query, course, text_config(course.language), limit)
    if not rows:
        rows, more = backend.fragments(query, course, limit)
    prefix = get_script_prefix()
    return Results(course, [hit(r, prefix) for r in rows], more=more)


def search_course(text: str, course: Course, limit: int = LIMIT) -> tuple[str, Results]:
    """The query as understood (cleaned) and the course's best sections for it."""
    query = clean(text)
    return query, find(query, course, limit)


def search_courses(
    text: str, courses: Sequence[Course], limit: int = PER_COURSE
) -> tuple[str, list[Results]]:
    """The query as understood and, per course that has any, its best sections."""
    query = clean(text)
    found = [find(query, course, limit) for course in courses]
    return query, [r for r in found if r.hits]
