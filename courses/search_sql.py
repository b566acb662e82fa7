"""SQL both search engines share: the rows a hit needs, and the substring pass.

Raw SQL, since each engine's full-text syntax is its own; every value travels as a
parameter, and the only names spliced in are the models' own tables and the engine's FTS
table names (constants).

Hits are joined to their topic, chapter and course, which also checks once more that all
three are active (the importer already removes the sections of retired topics, and the views
search active courses only). PostgreSQL ranks on the section table alone and joins the best
few (`hit_rows`); SQLite joins in the statement that finds the hits, where FTS5 cuts their
snippets (courses/search_sqlite.py).
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection

from courses.models import Chapter, Course, Section, Topic
from courses.search_query import Query, Spans, excerpt, substrings

# Tables by the models' names, so a renamed table cannot silently break search.
TABLES = {
    "section": Section._meta.db_table,
    "topic": Topic._meta.db_table,
    "chapter": Chapter._meta.db_table,
    "course": Course._meta.db_table,
}
HIT_COLUMNS = "s.id, s.kind, s.anchor, s.heading, t.slug, t.title, ch.slug, c.slug, c.title"
TEXT_COLUMNS = "s.summary, s.prose, s.code"  # read only where Python cuts the snippet
# Only what learners may see: active topics of active chapters of the active course.
JOINS = (
    "JOIN {topic} t ON t.id = s.topic_id "
    "JOIN {chapter} ch ON ch.id = t.chapter_id "
    "JOIN {course} c ON c.id = t.course_id"
).format(**TABLES)
# The same joins in a fixed order, for statements whose first table must stay the outer loop.
CROSS_JOINS = JOINS.replace("JOIN", "CROSS JOIN")
VISIBLE = "t.course_id = %s AND t.is_active = %s AND ch.is_active = %s AND c.is_active = %s"
READING_ORDER = "ch.number, t.number, s.position"
# In the substring pass, a hit in a heavier column ranks first (the words pass's order).
ALL_TEXT = (
    "lower(s.title || ' ' || s.summary || ' ' || s.heading || ' ' || s.prose || ' ' || s.code)"
)
WEIGHED = ["s.title", "s.summary", "s.heading", "s.prose", "s.code"]


class Row(NamedTuple):
    """A matched section, with its snippet (START/STOP around matches) still plain text.

    A named tuple: built for every hit of every search, at C speed from the engine's row."""

    section_id: int
    kind: str
    anchor: str
    heading: str
    topic_slug: str
    topic_title: str
    chapter_slug: str
    course_slug: str
    course_title: str
    snippet: str
    code: bool  # the snippet is from a code block


# An engine's answer: the best `limit` rows, and whether there were more.
Found = tuple[list[Row], bool]


def visible(course_id: int) -> list:
    return [course_id, True, True, True]


def placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def hit_rows(ids: list[int], course_id: int) -> list[tuple]:
    """HIT_COLUMNS and TEXT_COLUMNS of the visible sections among `ids`, in the order of `ids`."""
    if not ids:
        return []
    sql = (
        f"SELECT {HIT_COLUMNS}, {TEXT_COLUMNS} FROM {TABLES['section']} s {JOINS} "
        f"WHERE s.id IN ({placeholders(ids)}) AND {VISIBLE}"
    )
    found = {r[0]: r for r in run(sql, [*ids, *visible(course_id)])}
    return [found[i] for i in ids if i in found]


def run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def best_snippet(summary: str, prose: str, code: str, spans: Spans) -> tuple[str, bool]:
    """The prose, summary or code around the matches (prose first), else the opening text."""
    for text, is_code in ((prose, False), (summary, False), (code, True)):
        if spans(text):
            return excerpt(text, spans), is_code
    opening = summary or prose
    return (excerpt(opening, spans), False) if opening else (excerpt(code, spans), True)


def snippeted(rows: list[tuple], limit: int, spans: Spans) -> Found:
    """The first `limit` of `rows` (HIT_COLUMNS and TEXT_COLUMNS) with snippets cut in Python
    around `spans`, and whether there were more."""
    shown = [make_row(r, best_snippet(r[9], r[10], r[11], spans)) for r in rows[:limit]]
    return shown, len(rows) > limit


def make_row(values: tuple, snippet: tuple[str, bool]) -> Row:
    """A Row from HIT_COLUMNS' first nine values and a (snippet, is code) pair."""
    return Row(*values[:9], *snippet)


def fragment_rows(
    query: Query,
    course_id: int,
    limit: int,
    find: str,
    narrow: tuple[str, list] = ("", []),
    checked: list[str] | None = None,
) -> Found:
    """Sections whose text holds every word of the query as a substring and none of its
    exclusions, heavier columns first (alternatives with `or` are not told apart here).

    `find` is the engine's substring position function (SQLite `instr`, PostgreSQL
    `strpos`); `narrow` an optional indexed subquery of the section ids that hold some words
    (SQLite's trigram index) to start from, and `checked` the words it leaves to check (all
    by default). It runs only when the words pass found nothing.
    """
    words, excluded = query.words, query.excluded
    if not words:
        return [], False
    checked = words if checked is None else checked
    holds = ["1 = 1"] + [f"{find}({ALL_TEXT}, lower(%s)) > 0" for _ in checked]
    holds += [f"{find}({ALL_TEXT}, lower(%s)) = 0" for _ in excluded]
    rank = " ".join(
        f"WHEN {find}(lower({column}), lower(%s)) > 0 THEN {len(WEIGHED) - i}"
        for i, column in enumerate(WEIGHED)
    )
    source = TABLES["section"] + " s"
    if narrow[0]:
        source = f"({narrow[0]}) m JOIN {source} ON s.id = m.id"
    sql = (
        f"SELECT {HIT_COLUMNS}, {TEXT_COLUMNS} FROM {source} {JOINS} "
        f"WHERE {VISIBLE} AND {' AND '.join(holds)} "
        f"ORDER BY CASE {rank} ELSE 0 END DESC, {READING_ORDER} LIMIT %s"
    )
    params = [*narrow[1], *visible(course_id), *checked, *excluded]
    params += [*[words[0]] * len(WEIGHED), limit + 1]
    return snippeted(run(sql, params), limit, substrings(words))
