"""Search on SQLite: FTS5 (migration 0004 creates the tables and the triggers that fill them).

- `courses_section_stemmed`: English courses, `porter unicode61 remove_diacritics 2` (so
  "images" finds "image"); `courses_section_words`: every other language, unicode61 without
  stemming (FTS5 has no other stemmer). Case and diacritics fold in both.
- `courses_section_trigram`: every section, `trigram`: narrows the substring pass (words
  inside longer words, CJK text without spaces) to the rows that hold each word of three or
  more characters.

Ranking is FTS5's bm25 with a weight per column: title 10, summary 6, heading 5, prose 1,
code 0.5.
"""

from __future__ import annotations

from courses.search_query import START, STOP, Query, Term
from courses.search_sql import TABLES, Row, fragment_rows, hit_rows, make_row, run

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
    """Sections matching the query's words, best first (bm25 over the weighted columns)."""
    table = STEMMED if config == "english" else WORDS
    # The course narrows inside FTS5; the learner's terms match the text columns only.
    match = f'course_id : "{int(course.pk)}" AND {{{TEXT}}} : ({fts_query(query)})'
    ids = [
        r[0]
        for r in run(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s "
            f"ORDER BY bm25({table}, {WEIGHTS}), rowid LIMIT %s",
            [match, limit],
        )
    ]
    # Snippets only for the rows shown, not for every match the ranking looked at.
    snippets = ", ".join(
        f"snippet({table}, {column}, %s, %s, %s, {SNIPPET_TOKENS})"
        for column in (SUMMARY, PROSE, CODE)
    )
    rows = hit_rows(
        ids,
        course.pk,
        snippets,
        f"{table} JOIN {TABLES['section']} s ON s.id = {table}.rowid",
        (f"{table} MATCH %s", [*[START, STOP, "…"] * 3, match]),
    )
    return [make_row(r, pick(*r[9:12])) for r in rows]


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
