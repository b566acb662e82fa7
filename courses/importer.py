"""Sync a parsed content tree into the database: atomic, incremental, never destructive.

Three layers: `courses.content` parses files into dataclasses, this module renders what
changed and upserts it by natural key inside one transaction, and the `load_content`
command is a thin wrapper. A failed load leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from courses.content import CourseSource, Problem, QuestionSource, TopicSource
from courses.content_tree import UnknownCourse, parse_content  # noqa: F401 - re-exported
from courses.impact import impact_report, retired_course_impact
from courses.lint import lint_course
from courses.markdown import RENDERER_VERSION, render_inline, render_markdown
from courses.models import Chapter, Course, Topic
from courses.search_index import CourseIndex
from courses.sections import SectionText, split_sections
from quizzes.review import sync_card_activity
from quizzes.sync import RenderedChoice, RenderedQuestion, sync_questions

# Below this many changed topics, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24

Progress = Callable[[int, int], None]


@dataclass
class LoadReport:
    """What a load did (or, for a check, would do), counted per kind of row."""

    counts: dict[str, Counter] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # question quality (courses/lint.py)
    impact: list[Problem] = field(default_factory=list)  # effects on learner data, for --check
    by_course: dict[str, dict[str, Counter]] = field(default_factory=dict)  # slug -> counts
    course: str = ""  # the course being synced: what add() counts also goes under its slug

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n
        if self.course:
            course = self.by_course.setdefault(self.course, {})
            course.setdefault(kind, Counter())[outcome] += n

    def get(self, kind: str, outcome: str) -> int:
        return self.counts.get(kind, Counter())[outcome]

    def summary(self) -> str:
        lines = []
        for kind in ("courses", "chapters", "topics", "questions"):
            c = self.counts.get(kind, Counter())
            lines.append(
                f"{kind.capitalize()}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['retired']} retired"
            )
        return "\n".join(lines)


@dataclass
class RenderedTopic:
    body_html: str
    toc_html: str
    questions: list[RenderedQuestion]
    sections: list[SectionText]  # for the search index


def topic_stamp(topic: TopicSource) -> str:
    """The stored hash: the file's bytes and the renderer version, so either change re-renders."""
    return hashlib.sha256(f"{RENDERER_VERSION}:{topic.content_hash}".encode()).hexdigest()


def render_topic(topic: TopicSource) -> RenderedTopic:
    """Render a topic's Markdown (body, prompts, choices, feedback) once, for storage."""
    body = render_markdown(topic.body)
    questions = [render_question(q) for q in topic.questions]
    # Cut here, in the render workers, so a big load splits sections on every core.
    return RenderedTopic(body.html, body.toc_html, questions, split_sections(body.html))


def render_question(q: QuestionSource) -> RenderedQuestion:
    # A diagram question's choices are tier ids; learners see (and results show) tier names,
    # which are the diagram's plain text, not Markdown.
    names = q.tier_names
    return RenderedQuestion(
        prompt_html=render_inline(q.prompt),
        body_html=render_markdown(q.body).html if q.body else "",
        explanation_html=render_markdown(q.explanation).html if q.explanation else "",
        choices=[
            RenderedChoice(
                text_html=escape(names[c.text]) if c.text in names else render_inline(c.text),
                feedback_html=render_markdown(c.feedback).html if c.feedback else "",
            )
            for c in q.choices
        ],
    )


def render_topics(
    topics: list[TopicSource], progress: Progress | None = None
) -> list[RenderedTopic]:
    """Render many topics, on every core when there are enough to be worth it."""
    workers = min(os.cpu_count() or 1, 8)
    if len(topics) < PARALLEL_THRESHOLD or workers < 2:
        results = []
        for i, topic in enumerate(topics, start=1):
            results.append(render_topic(topic))
            if progress:
                progress(i, len(topics))
        return results
    results = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, rendered in enumerate(pool.map(render_topic, topics, chunksize=8), start=1):
            results.append(rendered)
            if progress:
                progress(i, len(topics))
    return results


def load_content(
    root: Path,
    *,
    course: str | None = None,
    check: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Parse, render what changed, and sync every course under `root`. Raises ContentError.

    All courses load in one transaction: one broken course and nothing is written. With
    `course`, only that course is loaded and no other is touched (none is retired). With
    `check`, the very same load runs in a transaction that is always rolled back, so a check
    fails exactly when a load would and counts exactly what a load would do; it also reports
    the effect on learner data, measured before the (undone) writes.
    """
    sources = parse_content(root, reserved=reserved_slugs(), only=course)
    changed = {source.slug: changed_topics(source) for source in sources}
    pages = iter(render_topics([t for s in sources for t in changed[s.slug]], progress))
    rendered = {s.slug: {t.slug: next(pages) for t in changed[s.slug]} for s in sources}
    report = LoadReport()
    with transaction.atomic():
        for source in sources:
            if check:
                report.impact += impact_report(source, slugs(changed[source.slug]))
            report.course = source.slug
            sync_course(source, rendered[source.slug], report)
        report.course = ""
        if course is None:
            if check:
                report.impact += retired_course_impact(slugs(sources))
            report.add("courses", "retired", retire(Course.objects.all(), slugs(sources)))
        loaded = Course.objects.all() if course is None else Course.objects.filter(slug=course)
        sync_card_activity(loaded)
        if check:
            transaction.set_rollback(True)
    for source in sources:
        # --check reviews the whole tree; a load re-lints only what changed (the rest was shown).
        report.warnings += lint_course(source, None if check else changed[source.slug])
        report.warnings += language_warnings(source)
    return report


def reserved_slugs() -> set[str]:
    """Course slugs taken by this site's configurable paths (the admin's)."""
    return {settings.ADMIN_URL.strip("/").split("/")[0]}


def slugs(items) -> set[str]:
    return {item.slug for item in items}


def language_warnings(source: CourseSource) -> list[Problem]:
    """A course language the interface cannot speak (its text stays in English)."""
    supported = {code.lower() for code, _ in settings.LANGUAGES}
    tag = source.language.lower()
    if tag in supported or tag.split("-")[0] in supported:
        return []
    names = ", ".join(sorted(supported))
    return [
        Problem(
            source.path,
            source.lines.get("language", 1),
            f"warning: no interface translation for {source.language!r} (available: {names}): "
            "buttons and messages will be in English",
        )
    ]


def changed_topics(source: CourseSource) -> list[TopicSource]:
    """Topics whose stored row is missing, retired, or from other bytes (or renderer)."""
    course = Course.objects.filter(slug=source.slug).first()
    if course is None:
        return list(source.topics)
    # Only what decides "changed": bodies and diagram JSON of 1,000 topics cost ~0.3 s.
    rows = Topic.objects.filter(course=course).only("slug", "content_hash", "is_active")
    known = {t.slug: t for t in rows}
    return [
        t
        for t in source.topics
        if t.slug not in known
        or known[t.slug].content_hash != topic_stamp(t)
        or not known[t.slug].is_active
    ]


def sync_course(
    source: CourseSource, rendered: dict[str, RenderedTopic], report: LoadReport
) -> Course:
    """Upsert the course, its chapters and topics, and their search index; retire what the
    files no longer have."""
    values = {
        "title": source.title,
        "summary": source.summary,
        "description_html": render_markdown(source.description).html,
        "language": source.language,
        "order": source.order,
        "source_path": source.path,
        "content_hash": source.content_hash,
        "is_active": True,
    }
    course = Course.objects.filter(slug=source.slug).first()
    if course is None:
        course = Course.objects.create(slug=source.slug, **values)
        report.add("courses", "created")
    else:
        changed = any(getattr(course, k) != v for k, v in values.items())
        report.add("courses", "updated" if changed else "unchanged")
        for k, v in values.items():
            setattr(course, k, v)
        # Always saved: `updated_at` is the content version page caches are keyed by.
        course.save()
    chapters = {c.slug: c for c in Chapter.objects.filter(course=course)}
    for chapter_src in source.chapters:
        values = {
            "number": chapter_src.number,
            "title": chapter_src.title,
            "summary": chapter_src.summary,
            "source_path": chapter_src.path,
            "content_hash": chapter_src.content_hash,
            "is_active": True,
        }
        chapter = chapters.get(chapter_src.slug)
        if chapter is None:
            chapters[chapter_src.slug] = Chapter.objects.create(
                course=course, slug=chapter_src.slug, **values
            )
            report.add("chapters", "created")
        elif any(getattr(chapter, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(chapter, k, v)
            chapter.save()
            report.add("chapters", "updated")
        else:
            report.add("chapters", "unchanged")
    chapter_slugs = {c.slug for c in source.chapters}
    report.add("chapters", "retired", retire(Chapter.objects.filter(course=course), chapter_slugs))

    topics = {t.slug: t for t in Topic.objects.filter(course=course)}
    index = CourseIndex(course)
    for topic_src in source.topics:
        chapter = chapters[topic_src.chapter_slug]
        topic = topics.get(topic_src.slug)
        if topic_src.slug not in rendered:
            # Same file bytes: only its place in the course, or its file's name, can differ.
            place = (chapter.pk, topic_src.number, topic_src.path)
            if (topic.chapter_id, topic.number, topic.source_path) != place:
                topic.chapter, topic.number, topic.source_path = (
                    chapter,
                    topic_src.number,
                    topic_src.path,
                )
                topic.save(update_fields=["chapter", "number", "source_path", "updated_at"])
                report.add("topics", "updated")
            else:
                report.add("topics", "unchanged")
            report.add("questions", "unchanged", len(topic_src.questions))
            continue
        page = rendered[topic_src.slug]
        values = {
            "chapter": chapter,
            "number": topic_src.number,
            "title": topic_src.title,
            "summary": topic_src.summary,
            "minutes": topic_src.minutes,
            "body_html": page.body_html,
            "toc_html": page.toc_html,
            "diagrams": [{"kind": d.kind, **d.data} for d in topic_src.diagrams],
            "source_path": topic_src.path,
            "content_hash": topic_stamp(topic_src),
            "is_active": True,
        }
        if topic is None:
            topic = Topic.objects.create(course=course, slug=topic_src.slug, **values)
            report.add("topics", "created")
        else:
            for k, v in values.items():
                setattr(topic, k, v)
            topic.save()
            report.add("topics", "updated")
        keys = sync_questions(topic, topic_src.questions, page.questions, report)
        index.add(
            topic, page.sections, zip(keys, [q.prompt_html for q in page.questions], strict=True)
        )
    topic_slugs = {t.slug for t in source.topics}
    report.add("topics", "retired", retire(Topic.objects.filter(course=course), topic_slugs))
    index.write()
    return course


def retire(queryset, keep_slugs: set[str]) -> int:
    """Hide active rows whose slug left the files; never delete them."""
    # update() skips auto_now: set it, since caches are keyed by when content last changed.
    return (
        queryset.filter(is_active=True)
        .exclude(slug__in=keep_slugs)
        .update(is_active=False, updated_at=timezone.now())
    )
