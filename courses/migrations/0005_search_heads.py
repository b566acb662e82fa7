"""SQLite: small FTS5 tables over the sections' title, summary and heading, for search tiers.

A word in most sections of a course is not ranked by bm25 but in tiers: sections naming it
in their title first, then in their summary or heading (courses/search_sqlite.py). Asking the
whole index for a word in the title walks every section holding the word anywhere; these
tables hold only the few sections that have a title, summary or heading, so each tier reads
only them. One per word table (`courses_section_stemmed_heads` for English courses,
`courses_section_words_heads` for the others, same tokenizers), also indexing course_id, kept
by their own triggers as the word tables are (migration 0004). On PostgreSQL this does
nothing: its tiers need no index of their own (it ranks every match with ts_rank).

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
]
SQLITE_UNDO = [
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
