"""Search on PostgreSQL: full-text search over `courses_section.document` (GIN-indexed).

Migration 0004 adds the tsvector column and the trigger that builds it with the row's text
search configuration — the course language's stemmer (`german`, `english`, … or `simple`,
courses/sections.py::STEMMERS) — weighted title A, summary and heading B, prose C, code D.
Each term of the query goes through `websearch_to_tsquery` in that configuration (so
"Branches" finds "Branch"); the last word typed also through `to_tsquery('word':*)` so it
matches as a prefix. Ranking is `ts_rank` with weights D 0.1, C 0.2, B 0.5, A 1.0,
normalised by the log of the section's length.

PostgreSQL keeps no substring index here (pg_trgm would be an extension to install): the
substring pass scans the course's sections, and runs only when the words find nothing.
Snippets are cut in Python around the words that start with one of the query's lexemes
(`ts_headline` would drop text it takes for tags, such as `<script>` in code).
"""

from __future__ import annotations

import re

from courses.search_query import Query, Term, word_starts
from courses.search_sql import TABLES, Found, fragment_rows, hit_rows, run, snippeted

WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # D (code), C (prose), B (summary, heading), A (title)
NORMALIZATION = 1  # divide by 1 + log(length): long sections do not win by length alone
LEXEME_RE = re.compile(r"(!?)'((?:[^']|'')*)'")


def term_sql(term: Term, config: str) -> tuple[str, list]:
    """One term as a tsquery expression; websearch_to_tsquery never rejects its input."""
    if term.prefix:
        # A prefix term is letters, digits and underscores only (search_query.prefixable),
        # so quoting it for to_tsquery cannot go wrong.
        return "to_tsquery(%s::regconfig, %s)", [config, f"'{term.text}':*"]
    text = f'"{term.text}"' if term.phrase else term.text
    sql = "websearch_to_tsquery(%s::regconfig, %s)"
    return (f"(!! {sql})" if term.negated else sql), [config, text]


def tsquery(query: Query, config: str) -> tuple[str, list]:
    """The whole query: terms joined by && within a group, groups by ||."""
    groups, params = [], []
    for group in query.groups:
        parts = []
        for term in group:
            sql, values = term_sql(term, config)
            parts.append(sql)
            params += values
        groups.append("(" + " && ".join(parts) + ")")
    return " || ".join(groups), params


def lexemes(tree: str) -> list[str]:
    """The searched lexemes of a `querytree()` text (exclusions left out)."""
    return [m[2].replace("''", "'") for m in LEXEME_RE.finditer(tree) if not m[1]]


def words(query: Query, course, config: str, limit: int) -> Found:
    """The best `limit` sections matching the query's words (ts_rank over the weighted
    vector), and whether there are more."""
    expression, params = tsquery(query, config)
    ranked = run(
        f"SELECT s.id, querytree(q.query) FROM (SELECT {expression} AS query) q "
        f"CROSS JOIN {TABLES['section']} s WHERE s.document @@ q.query AND s.course_id = %s "
        f"ORDER BY ts_rank('{WEIGHTS}', s.document, q.query, {NORMALIZATION}) DESC, s.id "
        "LIMIT %s",
        [*params, course.pk, limit + 1],
    )
    if not ranked:
        return [], False
    spans = word_starts(lexemes(ranked[0][1]))
    return snippeted(hit_rows([r[0] for r in ranked], course.pk), limit, spans)


def fragments(query: Query, course, limit: int) -> Found:
    """Sections holding every word inside longer words or CJK text (substring pass)."""
    return fragment_rows(query, course.pk, limit, "strpos")
