"""Writing the search index: a topic's sections, inside the importer's transaction.

The importer (courses/importer.py::sync_course) hands over each topic it re-rendered; topics
whose files did not change keep their sections untouched. The database's triggers turn the
rows into its full-text index (migration 0004), so a rolled-back load (`--check`, or any
failure) leaves the index as it was.

What goes in: the topic's title and summary (on its first section), each section's heading,
prose and code, and each active question's prompt (prompts are on the page before anyone
answers). What never goes in: choices, which of them are right, their feedback, and the
explanations — nothing that is only shown after answering (docs/search.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef

from courses.models import Course, Section, Topic
from courses.sections import SectionText, prompt_text, split_sections, text_config
from quizzes.models import Question


def enabled() -> bool:
    """Whether loads write the index (off only to measure what indexing costs)."""
    return getattr(settings, "SEARCH_INDEX", True)


def topic_sections(
    topic: Topic, sections: list[SectionText], prompts: Iterable[tuple[str, str]], config: str
) -> list[Section]:
    """Unsaved rows for a topic: its sections, then one per (question key, prompt_html)."""
    rows = [
        Section(
            topic=topic,
            course_id=topic.course_id,
            position=i,
            anchor=s.anchor,
            heading=s.heading,
            title=topic.title if i == 0 else "",
            summary=topic.summary if i == 0 else "",
            prose=s.prose,
            code=s.code,
            config=config,
        )
        for i, s in enumerate(sections)
    ]
    for key, prompt_html in prompts:
        rows.append(
            Section(
                topic=topic,
                course_id=topic.course_id,
                position=len(rows),
                kind=Section.Kind.QUESTION,
                anchor=Question(key=key).anchor,
                prose=prompt_text(prompt_html),
                config=config,
            )
        )
    return rows


# The columns a section is written with: the model's own, in order (the database numbers it).
SECTION_FIELDS = [f for f in Section._meta.concrete_fields if not f.primary_key]
BATCH = 500  # rows per statement: 5,500 parameters, within SQLite's and PostgreSQL's limits


def insert_sections(rows: list[Section]) -> None:
    """Write new sections, BATCH rows a statement.

    `bulk_create` prepares every field of every row in Python, which was most of what the
    index cost a cold load (0.8 s of 1.3 s for 1,000 topics); a section's values are plain
    text and numbers, sent as they are. The database's triggers index them as before (one
    statement per row instead would cost them more: FTS5 works per statement).
    """
    values = [getattr(row, f.attname) for row in rows for f in SECTION_FIELDS]
    width = len(SECTION_FIELDS)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            count = min(BATCH, len(rows) - start)
            cursor.execute(insert_statement(count), values[start * width : (start + count) * width])


def insert_statement(rows: int) -> str:
    """An INSERT of `rows` sections; names from the model, quoted; values are parameters."""
    row = "(" + ", ".join(["%s"] * len(SECTION_FIELDS)) + ")"
    columns = ", ".join(connection.ops.quote_name(f.column) for f in SECTION_FIELDS)
    table = connection.ops.quote_name(Section._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * rows)  # noqa: S608


class CourseIndex:
    """The index writes of one course's sync: collected, then sent in a few statements."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.config = text_config(course.language)
        self.stale: list[int] = []  # topics re-rendered: their old sections go
        self.rows: list[Section] = []

    def add(
        self, topic: Topic, sections: list[SectionText], prompts: Iterable[tuple[str, str]]
    ) -> None:
        """Index a topic that was created or re-rendered (its old sections are replaced)."""
        if not enabled():
            return
        self.stale.append(topic.pk)
        self.rows += topic_sections(topic, sections, prompts, self.config)

    def write(self) -> None:
        """Replace re-rendered topics' sections, drop retired ones, fill in any missing."""
        if not enabled():
            return
        here = Section.objects.filter(course=self.course)
        # Fast deletes (nothing references a section): one statement each.
        Section.objects.filter(topic_id__in=self.stale).delete()
        here.filter(topic__is_active=False).delete()
        # The course's language changed: its stemming changes with it (triggers re-index).
        here.exclude(config=self.config).update(config=self.config)
        self.rows += self.missing()
        insert_sections(self.rows)

    def missing(self) -> list[Section]:
        """Rows for active topics that have none (loaded while indexing was off)."""
        topics = Topic.objects.filter(course=self.course, is_active=True).exclude(
            Exists(Section.objects.filter(topic=OuterRef("pk")))
        )
        topics = topics.exclude(pk__in=self.stale)
        rows = []
        for topic in topics:
            questions = Question.objects.for_topic(topic).values_list("key", "prompt_html")
            rows += topic_sections(topic, split_sections(topic.body_html), questions, self.config)
        return rows
