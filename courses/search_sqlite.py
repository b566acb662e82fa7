"""Search on SQLite: FTS5 (migration 0004 creates the tables and the triggers that fill them).

- `courses_section_stemmed`: English courses, `porter unicode61 remove_diacritics 2` (so
  "images" finds "image"); `courses_section_words`: every other language, unicode61 without
  stemming (FTS5 has no other stemmer). Case and diacritics fold in both.
- `courses_section_trigram`: every section, `trigram`: narrows the substring pass (words
  inside longer words, CJK text without spaces) to the rows that hold each word of three or
  more characters.
- `courses_section_stemmed_heads`, `courses_section_words_heads` (migration 0005): the
  same, over the title, summary and heading of the sections that have one; they answer the
  first tiers of very common words.

Ranking is FTS5's bm25 with a weight per column: title 10, summary 6, heading 5, prose 1,
code 0.5, for queries with at most CAP matches in the course; more common ones come in
tiers (`words`).
"""

from __future__ import annotations

import re

from courses.search_query import START, STOP, Query, Term
from courses.search_sql import (
    CROSS_JOINS,
    HIT_COLUMNS,
    TABLES,
    VISIBLE,
    Found,
    Row,
    fragment_rows,
    make_row,
    placeholders,
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
# The tiers the small tables of titles, summaries and headings answer (migration 0005).
HEAD_TIERS = TIERS[:2]
HEADS = {STEMMED: f"{STEMMED}_heads", WORDS: f"{WORDS}_heads"}
SNIPPET_PARAMS = [START, STOP, "…"] * 3  # before and after each match, and for cut text
HIT_WIDTH = len(HIT_COLUMNS.split(", "))
# HIT_COLUMNS' names in a ranked statement's `best` (the section's id first), then its score:
# derived from HIT_COLUMNS, so the two cannot drift apart.
BEST = ", ".join(["id", *(f"hit{i}" for i in range(2, HIT_WIDTH + 1))])
BEST_COLUMNS = ", ".join(f"best.{c}" for c in BEST.split(", "))
DIGITS_RE = re.compile(r"(?<![^\W_])\d+(?![^\W_])")  # a number standing alone, as FTS5 cuts it


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


def words(query: Query, course, config: str, limit: int) -> Found:
    """The best `limit` sections matching the query's words, and whether there are more.

    Up to CAP matches, bm25 over the weighted columns ranks them all. A query matching more
    (a word in most sections of a large course) is not ranked by bm25: bm25 costs time for
    every match, so such a query would cost what its word's frequency does. Its hits come
    in tiers instead, each in the index's order and read only as far as needed: sections
    naming the words in their title, then in their summary or heading, then in prose, then
    anywhere. Either way the statements that find hits cut no snippets: FTS5 cuts them
    last, for the hits shown only (`with_snippets`).
    """
    table = STEMMED if config == "english" else WORDS
    course_id = int(course.pk)
    terms = terms_match(query)
    count, shared = count_matches(table, course_id, terms)
    if not count:
        return [], False
    match = course_match(course_id, terms, shared)
    if count <= CAP:
        found = ranked(table, match, course_id, limit + 1, count)
        return [make_row(r, pick(*r[9:12])) for r in found[:limit]], len(found) > limit
    found = tiered(table, match, query, (course_id, shared), limit + 1)
    return with_snippets(table, match, found[:limit]), len(found) > limit


def count_matches(table: str, course_id: int, terms: str) -> tuple[int, bool]:
    """How many of the course's sections match `terms` (up to CAP + 1), and whether other
    courses have sections in the same table, in one statement.

    The course narrows inside FTS5 (`course_match`) only when another course shares the
    table: a course alone in it (one course per language, as most sites have) matches the
    same rows without, and its term would cost FTS5 a walk over every section of the
    course in each statement (bm25 weighs every term, even one it gives no weight).
    Whether another course is there is asked of the index itself, by their ids.
    """
    counted = f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH %s LIMIT %s))"
    others = (
        "(SELECT coalesce('course_id : (' || group_concat('\"' || id || '\"', ' OR ') || ')', "
        f"'course_id : \"0\"') FROM {TABLES['course']} WHERE id <> %s)"
    )
    count, shared = run(
        f"SELECT CASE WHEN o.shared THEN {counted} ELSE {counted} END, o.shared FROM "
        f"(SELECT EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH {others}) AS shared) o",
        [course_match(course_id, terms), CAP + 1, terms, CAP + 1, course_id],
    )[0]
    return count, bool(shared)


def course_match(course_id: int, expression: str, shared: bool = True) -> str:
    """The course narrows inside FTS5 when other courses share its table."""
    return f'course_id : "{course_id}" AND {expression}' if shared else expression


def terms_match(query: Query, columns: str = TEXT) -> str:
    """The query's terms in `columns`; in every column when no term could be a course id.

    Only a term that is a number can match the course_id column, and a column filter costs
    FTS5 a look at each candidate's positions: without one, the same rows match faster.
    """
    if columns == TEXT and not any(DIGITS_RE.search(w) for w in query.words + query.excluded):
        return f"({fts_query(query)})"
    return f"{{{columns}}} : ({fts_query(query)})"


def ranked(table: str, match: str, course_id: int, limit: int, count: int) -> list[tuple]:
    """HIT_COLUMNS and snippets of the best `limit` of `count` (at most CAP) matches by bm25,
    in one statement.

    SQLite computes a row's columns before it sorts, so snippets asked for beside bm25 are
    cut for every match. With more matches than that, the best are ranked first (`best`)
    and a second pass over the match cuts snippets for them alone.
    """
    if count <= limit:
        return run(
            f"SELECT {HIT_COLUMNS}, {snippet_columns(table)} FROM {fts_section(table)} "
            f"{CROSS_JOINS} WHERE {table} MATCH %s AND {VISIBLE} "
            f"ORDER BY bm25({table}, {WEIGHTS}), s.id LIMIT %s",
            [*SNIPPET_PARAMS, match, *visible(course_id), limit],
        )
    return run(
        f"WITH best({BEST}, score) AS MATERIALIZED (SELECT {HIT_COLUMNS}, bm25({table}, {WEIGHTS}) "
        f"FROM {fts_section(table)} {CROSS_JOINS} WHERE {table} MATCH %s AND {VISIBLE} "
        f"ORDER BY {HIT_WIDTH + 1}, 1 LIMIT %s) "
        f"SELECT {BEST_COLUMNS}, {snippet_columns(table)} FROM {table} CROSS JOIN best "
        f"ON best.id = {table}.rowid WHERE {table} MATCH %s ORDER BY best.score, best.id",
        [match, *visible(course_id), limit, *SNIPPET_PARAMS, match],
    )


def tiered(
    table: str, match: str, query: Query, course: tuple[int, bool], limit: int
) -> list[tuple]:
    """HIT_COLUMNS of up to `limit` matches, tier by tier (TIERS), each in the index's order.

    Each tier asks FTS5 for its own columns only; without exclusions, that says all (the
    whole match holds wherever a tier's does), and the title and the summary or heading are
    asked of the small tables that index only them (HEADS: migration 0005), which hold the
    same sections in the same order. A hit found in prose brings its prose snippet along: it
    is the one shown (`pick`), and prose instances are the same under either match.
    """
    wanted = Query(tuple(tuple(t for t in g if not t.negated) for g in query.groups))
    course_id, shared = course  # the course's id; whether other courses share the table
    found: dict[int, tuple] = {}
    for columns in TIERS:
        if len(found) >= limit:
            break
        source, snippet, params = table, "", []
        if columns == TEXT:
            tier = match
        elif query.excluded:  # they exclude wherever they occur: the whole match stays
            tier = f"{match} AND {{{columns}}} : ({fts_query(wanted)})"
        else:
            tier = course_match(course_id, terms_match(wanted, columns), shared)
            source = HEADS[table] if columns in HEAD_TIERS else table
            if columns == "prose":
                snippet, params = f", {snippet_column(table, PROSE)}", SNIPPET_PARAMS[:3]
        for row in run(
            f"SELECT {HIT_COLUMNS}{snippet} FROM {fts_section(source)} {CROSS_JOINS} "
            f"WHERE {source} MATCH %s AND {VISIBLE} LIMIT %s",
            [*params, tier, *visible(course_id), limit + len(found)],
        ):
            found.setdefault(row[0], row)
    return list(found.values())[:limit]


def with_snippets(table: str, match: str, hits: list[tuple]) -> list[Row]:
    """Rows for `hits` (HIT_COLUMNS, and a prose snippet for those found in prose), with
    the snippets FTS5 cuts for the whole match for the others.

    One pass over the match, bounded to the hits' rowids (a rowid range is a bound FTS5
    takes; a plain `rowid IN` would run the whole match once per id, hence the `+`), so
    snippets are cut for the hits alone, once each.
    """
    ids = [h[0] for h in hits if len(h) == HIT_WIDTH]
    found = {}
    if ids:
        cut = run(
            f"SELECT rowid, {snippet_columns(table)} FROM {table} WHERE {table} MATCH %s "
            f"AND rowid BETWEEN %s AND %s AND +rowid IN ({placeholders(ids)})",
            [*SNIPPET_PARAMS, match, min(ids), max(ids), *ids],
        )
        found = {r[0]: pick(*r[1:]) for r in cut}
    return [make_row(h, found[h[0]] if len(h) == HIT_WIDTH else (h[-1], False)) for h in hits]


def fts_section(table: str) -> str:
    """The FTS5 table, then its section rows. CROSS JOIN keeps the FTS5 table the outer
    loop: SQLite never reorders it, and the MATCH is what narrows."""
    return f"{table} CROSS JOIN {TABLES['section']} s ON s.id = {table}.rowid"


def snippet_columns(table: str) -> str:
    """The snippets of the summary, prose and code (parameters: SNIPPET_PARAMS)."""
    return ", ".join(snippet_column(table, column) for column in (SUMMARY, PROSE, CODE))


def snippet_column(table: str, column: int) -> str:
    return f"snippet({table}, {column}, %s, %s, %s, {SNIPPET_TOKENS})"


def pick(summary: str, prose: str, code: str) -> tuple[str, bool]:
    """The snippet with a match in it (prose, then summary, then code), else the opening."""
    for text, is_code in ((prose, False), (summary, False), (code, True)):
        if START in text:
            return text, is_code
    return (summary or prose, False) if summary or prose else (code, True)


def fragments(query: Query, course, limit: int) -> Found:
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
