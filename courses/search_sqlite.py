"""Search on SQLite: FTS5 (migration 0004 creates the tables and the triggers that fill them).

- `courses_section_stemmed`: English courses, `porter unicode61 remove_diacritics 2` (so
  "images" finds "image"); `courses_section_words`: every other language, unicode61 without
  stemming (FTS5 has no other stemmer). Case and diacritics fold in both.
- `courses_section_trigram`: every section, `trigram`: narrows the substring pass (words
  inside longer words, CJK text without spaces) to the rows that hold each word of three or
  more characters.

Ranking is FTS5's bm25 with a weight per column: title 10, summary 6, heading 5, prose 1,
code 0.5, for queries with at most CAP matches in the course; more common ones come in
tiers (`words`).
"""

from __future__ import annotations

from courses.search_query import START, STOP, Query, Term
from courses.search_sql import (
    CROSS_JOINS,
    HIT_COLUMNS,
    TABLES,
    VISIBLE,
    Row,
    fragment_rows,
    make_row,
    run,
    visible,
)

STEMMED, WORDS, TRIGRAM = (
    "courses_section_stemmed",
    "courses_section_words",
    "courses_section_trigram",
)
TEXT = "title summary heading prose code"  # the word tables' text columns (then course_id)
WEIGHTS = "10.0, 6.0, 5.0, 1.0, 0.5, 0.0"  # title, summary, heading, prose, code, course_id
SNIPPET_TOKENS = 24
# FTS5 column numbers of the columns a snippet may come from.
SUMMARY, PROSE, CODE = 1, 3, 4
# More matches than this and bm25 would cost more than the page: ranked in tiers instead.
CAP = 200
# The column groups of the tiers, heaviest first; the last is every text column.
TIERS = ("title", "summary heading", "prose", TEXT)


def quoted(text: str) -> str:
    """An FTS5 string: whatever it holds is text for the tokenizer, never query syntax."""
    return '"' + text.replace('"', '""') + '"'


def fts_term(term: Term) -> str:
    return quoted(term.text) + ("*" if term.prefix else "")


def fts_query(query: Query) -> str:
    """The query in FTS5 syntax: terms quoted, AND within a group, NOT after, OR between."""
    groups = []
    for group in query.groups:
        words = " AND ".join(fts_term(t) for t in group if not t.negated)
        excluded = "".join(f" NOT {fts_term(t)}" for t in group if t.negated)
        groups.append(f"({words}){excluded}")
    return " OR ".join(groups)


def words(query: Query, course, config: str, limit: int) -> list[Row]:
    """Sections matching the query's words, best first.

    Up to CAP matches, bm25 over the weighted columns ranks them all. A query matching more
    (a word in most sections of a large course) is not ranked by bm25: bm25 costs time for
    every match, so such a query would cost what its word's frequency does. Its hits come
    in tiers instead, each in the index's order and read only as far as needed: sections
    naming the words in their title, then in their summary or heading, then in prose, then
    anywhere.
    """
    table = STEMMED if config == "english" else WORDS
    course_id = int(course.pk)
    match = course_match(course_id, f"{{{TEXT}}} : ({fts_query(query)})")
    (count,) = run(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH %s LIMIT %s)",
        [match, CAP + 1],
    )[0]
    if not count:
        return []
    if count <= CAP:
        return ranked(table, match, course_id, limit)
    return tiered(table, match, query, course_id, limit)


def course_match(course_id: int, expression: str) -> str:
    """The course narrows inside FTS5; the learner's terms match the text columns only."""
    return f'course_id : "{course_id}" AND {expression}'


def ranked(table: str, match: str, course_id: int, limit: int) -> list[Row]:
    """The best `limit` matches by bm25 (the caller checked that there are at most CAP)."""
    return [
        make_row(r, pick(*r[9:12]))
        for r in hit_rows_fts(table, match, course_id, limit, f"bm25({table}, {WEIGHTS}), s.id")
    ]


def tiered(table: str, match: str, query: Query, course_id: int, limit: int) -> list[Row]:
    """Up to `limit` matches, tier by tier (TIERS), each tier in the index's order."""
    # Exclusions stay with the whole match: they exclude wherever they occur.
    wanted = fts_query(Query(tuple(tuple(t for t in g if not t.negated) for g in query.groups)))
    found: dict[int, tuple] = {}
    for columns in TIERS:
        if len(found) >= limit:
            break
        tier = f"{match} AND {{{columns}}} : ({wanted})" if columns != TEXT else match
        for row in hit_rows_fts(table, tier, course_id, limit + len(found)):
            found.setdefault(row[0], row)
    return [make_row(r, pick(*r[9:12])) for r in list(found.values())[:limit]]


def hit_rows_fts(table: str, match: str, course_id: int, limit: int, order: str = "") -> list:
    """HIT_COLUMNS and snippets of the first `limit` visible matches (by `order`, else in
    the index's order), in one statement.

    FTS5 cuts snippets only for the rows returned. CROSS JOIN keeps the FTS5 table the outer
    loop: SQLite never reorders it, and the MATCH is what narrows.
    """
    snippets = ", ".join(
        f"snippet({table}, {column}, %s, %s, %s, {SNIPPET_TOKENS})"
        for column in (SUMMARY, PROSE, CODE)
    )
    section = f"{table} CROSS JOIN {TABLES['section']} s ON s.id = {table}.rowid"
    return run(
        f"SELECT {HIT_COLUMNS}, {snippets} FROM {section} {CROSS_JOINS} "
        f"WHERE {table} MATCH %s AND {VISIBLE} {'ORDER BY ' + order if order else ''} LIMIT %s",
        [*[START, STOP, "…"] * 3, match, *visible(course_id), limit],
    )


def pick(summary: str, prose: str, code: str) -> tuple[str, bool]:
    """The snippet with a match in it (prose, then summary, then code), else the opening."""
    for text, is_code in ((prose, False), (summary, False), (code, True)):
        if START in text:
            return text, is_code
    return (summary or prose, False) if summary or prose else (code, True)


def fragments(query: Query, course, limit: int) -> list[Row]:
    """Sections holding every word inside longer words or CJK text (substring pass)."""
    # The trigram index can only look up strings of three characters or more; it folds case
    # beyond ASCII, which SQLite's lower() (for the shorter words) does not.
    indexed = [w for w in query.words if len(w) >= 3]
    if not indexed:
        return fragment_rows(query, course.pk, limit, "instr")
    narrow = (
        f"SELECT rowid AS id FROM {TRIGRAM} WHERE {TRIGRAM} MATCH %s",
        [" AND ".join(quoted(w) for w in indexed)],
    )
    short = [w for w in query.words if len(w) < 3]
    return fragment_rows(query, course.pk, limit, "instr", narrow, short)
