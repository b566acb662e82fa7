"""SQLite: small FTS5 tables over the sections' title, summary and heading, for search tiers,
and prefix indexes on the word tables.

A word in most sections of a course is not ranked by bm25 but in tiers: sections naming it
in their title first, then in their summary or heading (courses/search_sqlite.py). Asking the
whole index for a word in the title walks every section holding the word anywhere; these
tables hold only the few sections that have a title, summary or heading, so each tier reads
only them. One per word table (`courses_section_stemmed_heads` for English courses,
`courses_section_words_heads` for the others, same tokenizers), also indexing course_id, kept
by their own triggers as the word tables are (migration 0004). On PostgreSQL this does
nothing: its tiers need no index of their own (it ranks every match with ts_rank).

The word tables of 0004 are made again with prefix indexes for prefixes of 2 to 8
characters (`prefix='2 3 4 5 6 7 8'`): the last word typed is a prefix term ("sli*"), and
without an index FTS5 merges the lists of every word it covers in each statement that uses
it (0.06-0.2 ms on the bench course; 0.02 ms with one). Same matches, same ranks, same
snippets; the index is about four times larger (7 MB for the bench's 1,000 topics).

If a later migration alters courses_section on SQLite, Django rebuilds the table and its
triggers are lost: such a migration must run TRIGGERS again (and 0004's).
"""

from django.db import migrations

COLUMNS = "title, summary, heading, course_id"
HAS_HEADS = "({row}.title <> '' OR {row}.summary <> '' OR {row}.heading <> '')"
# (table, tokenizer, which rows: as 0004's word tables, with a title, summary or heading).
TABLES = [
    ("courses_section_stemmed_heads", "porter unicode61 remove_diacritics 2",
     "{row}.config = 'english' AND " + HAS_HEADS),
    ("courses_section_words_heads", "unicode61 remove_diacritics 2",
     "{row}.config <> 'english' AND " + HAS_HEADS),
]  # fmt: skip


def values(row: str) -> str:
    return ", ".join(f"{row}.{c}" for c in COLUMNS.split(", "))


def add(row: str) -> str:
    return " ".join(
        f"INSERT INTO {name}(rowid, {COLUMNS}) SELECT {row}.id, {values(row)} "
        f"WHERE {rows.format(row=row)};"
        for name, _, rows in TABLES
    )


def remove(row: str) -> str:
    return " ".join(
        f"INSERT INTO {name}({name}, rowid, {COLUMNS}) SELECT 'delete', {row}.id, "
        f"{values(row)} WHERE {rows.format(row=row)};"
        for name, _, rows in TABLES
    )


# 0004's word tables, made again with prefix indexes (its triggers find them by name).
WORD_COLUMNS = "title, summary, heading, prose, code, course_id"
WORD_TABLES = [
    ("courses_section_stemmed", "porter unicode61 remove_diacritics 2", "s.config = 'english'"),
    ("courses_section_words", "unicode61 remove_diacritics 2", "s.config <> 'english'"),
]
PREFIXES = "2 3 4 5 6 7 8"


def word_tables(prefix: str) -> list[str]:
    option = f", prefix='{prefix}'" if prefix else ""
    statements = []
    for name, tokenizer, rows in WORD_TABLES:
        statements += [
            f"DROP TABLE {name}",
            f"CREATE VIRTUAL TABLE {name} USING fts5({WORD_COLUMNS}, content='courses_section', "
            f"content_rowid='id', tokenize='{tokenizer}'{option})",
            f"INSERT INTO {name}(rowid, {WORD_COLUMNS}) SELECT s.id, "
            f"{', '.join('s.' + c for c in WORD_COLUMNS.split(', '))} FROM courses_section s "
            f"WHERE {rows}",
        ]
    return statements


TRIGGERS = [
    f"CREATE TRIGGER courses_section_heads_ai AFTER INSERT ON courses_section "
    f"BEGIN {add('new')} END",
    f"CREATE TRIGGER courses_section_heads_ad AFTER DELETE ON courses_section "
    f"BEGIN {remove('old')} END",
    f"CREATE TRIGGER courses_section_heads_au AFTER UPDATE ON courses_section "
    f"BEGIN {remove('old')} {add('new')} END",
]
SQLITE = [
    *(
        f"CREATE VIRTUAL TABLE {name} USING fts5({COLUMNS}, content='courses_section', "
        f"content_rowid='id', tokenize='{tokenizer}')"
        for name, tokenizer, _ in TABLES
    ),
    *(
        f"INSERT INTO {name}(rowid, {COLUMNS}) SELECT s.id, {values('s')} "
        f"FROM courses_section s WHERE {rows.format(row='s')}"
        for name, _, rows in TABLES
    ),
    *TRIGGERS,
    *word_tables(PREFIXES),
]
SQLITE_UNDO = [
    *word_tables(""),
    "DROP TRIGGER IF EXISTS courses_section_heads_ai",
    "DROP TRIGGER IF EXISTS courses_section_heads_ad",
    "DROP TRIGGER IF EXISTS courses_section_heads_au",
    *(f"DROP TABLE IF EXISTS {name}" for name, *_ in TABLES),
]


def run(statements: list[str]):
    def step(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return step


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_search"),
    ]

    operations = [migrations.RunPython(run(SQLITE), run(SQLITE_UNDO))]
