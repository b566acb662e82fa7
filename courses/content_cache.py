"""What pages and answers read from content, kept per content version (courses/fragments.py).

Content changes only when `load_content` runs, and every run saves its courses, so the
courses' count and latest `updated_at` name a content version. Everything here is kept under
a key carrying that version (or the topic's own hash and time), so a page view or an answer
builds no ORM query for content once it is warm.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects

from courses.fragments import keep_too, kept, rows
from courses.models import Course, Topic
from quizzes.models import Choice, Question

# What only a topic's rendered body needs: page views can leave these columns unread.
BODY_FIELDS = ["body_html", "diagrams"]


def content_version() -> str | None:
    """The content's version: changes with every load (each saves its courses), None if empty."""
    # Course.objects.aggregate(Count, Max) in raw SQL: building that query cost 25x running
    # it, on every page view.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX({quote('updated_at')}) "  # noqa: S608 - names from our model
            f"FROM {quote(Course._meta.db_table)}"
        )
        count, latest = cursor.fetchone()
    # Keys must stay memcached-safe: no spaces.
    return f"{count}:{latest}".replace(" ", "T") if count else None


# Page views ask for the content version on every request, and each query costs a page
# view about a tenth of its time (bench/inprocess.py). Content changes only when a load runs,
# so a page view reuses the version this process read less than a second ago: a load in
# another process (the management command) shows within a second, a load in this process at
# once (it forgets the version). Answers always read it afresh: they grade what is current.
SEEN_VERSION_SECONDS = 1.0
_seen_version: tuple[float, str | None] = (0.0, None)


def seen_content_version() -> str | None:
    """The content version as this process read it less than a second ago (for page views)."""
    global _seen_version
    now = time.monotonic()
    until, version = _seen_version
    if now < until:
        return version
    version = content_version()
    _seen_version = (now + SEEN_VERSION_SECONDS, version)
    return version


def forget_seen_version() -> None:
    """Make the next page view read the content version (after a load in this process)."""
    global _seen_version
    _seen_version = (0.0, None)


def find_topic(course_slug: str, topic_slug: str) -> Topic | None:
    """The active topic with this slug in this active course (with its chapter and course,
    body unread), in one query."""
    return (
        Topic.objects.in_order()
        .defer(*BODY_FIELDS)
        .filter(course__slug=course_slug, slug=topic_slug)
        .first()
    )


def topic_questions(topic: Topic) -> list[Question]:
    """The topic's active questions with their active choices."""
    # Keyed by the topic's own hash and time, which the answer path knows without a query.
    key = f"questions:{topic.pk}:{topic.content_hash}:{topic.updated_at.timestamp()}"
    return kept(
        key,
        lambda: list(
            Question.objects.for_topic(topic).prefetch_related(
                Prefetch("choices", queryset=Choice.objects.active())
            )
        ),
        rows,
    )


@dataclass
class Answerable:
    """A question as the answer view needs it, and its topic's active question ids."""

    question: Question  # with its topic (body deferred), chapter, course and choices
    topic_question_ids: list[int]


def answerable(question_id: int) -> Answerable | None:
    """The question with its topic, chapter, course and choices; None if there is no such one.

    Kept per content version (one raw query), so answering builds no ORM query for it.
    """
    version = content_version()
    if version is None:
        return None
    return kept(
        answerable_key(version, question_id), lambda: build_answerable(version, question_id), rows
    )


def answerable_key(version: str, question_id: int) -> str:
    return f"answerable:{version}:{question_id}"


def build_answerable(version: str, question_id: int) -> Answerable | None:
    """The question's Answerable; its active siblings' are kept at the same time, since a
    learner answers a topic's questions one after another (a topic costs one build, not one
    per question: measured, a fifth of an answer's time when workers meet new topics)."""
    question = (
        Question.objects.select_related("topic__chapter", "topic__course")
        .defer(*(f"topic__{name}" for name in BODY_FIELDS))
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return None
    topic = question.topic
    active = topic_questions(topic)
    ids = [q.pk for q in active]
    built = {}
    for known in active:
        # The same rows as of this content version, choices included: no second query.
        known.topic = topic
        built[answerable_key(version, known.pk)] = Answerable(known, ids)
    found = built.pop(answerable_key(version, question.pk), None)
    keep_too(built, rows)
    if found is not None:
        return found
    # Retired (its answer will be refused): read its choices.
    prefetch_related_objects(
        [question], Prefetch("choices", queryset=Choice.objects.order_by("position"))
    )
    return Answerable(question, ids)
