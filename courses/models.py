"""Course content, owned by the Markdown files under content/ and synced by the importer.

Rows are identified by natural keys (course slug, chapter slug, topic slug) and are never
deleted by an import: content that disappears from the files is retired (is_active=False),
so learner data that points at it stays intact.
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from courses.markdown import split_slots

# Search engines show about this much of a page's description.
DESCRIPTION_LENGTH = 200


def plain_description(text: str) -> str:
    """Text for <meta name="description">: one line, no Markdown marks, not too long."""
    text = re.sub(r"[`*_]+", "", " ".join(text.split()))
    return Truncator(text).chars(DESCRIPTION_LENGTH)


class ContentQuerySet(models.QuerySet):
    def active(self):
        """What learners may see: not retired."""
        return self.filter(is_active=True)


class SourcedModel(models.Model):
    """Fields every file-backed row carries."""

    source_path = models.CharField(
        max_length=500, help_text="The Markdown file this row comes from."
    )
    content_hash = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(default=True, help_text="False once retired from the files.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True


class CourseQuerySet(ContentQuerySet):
    def listed(self):
        """Active courses in the order the course list shows them."""
        return self.active().order_by(F("order").asc(nulls_last=True), "title", "pk")


class Course(SourcedModel):
    slug = models.SlugField(unique=True, allow_unicode=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="One line for the course list.")
    description_html = models.TextField(blank=True)
    language = models.CharField(
        max_length=35, default="en", help_text="BCP 47 tag: the interface speaks it."
    )
    order = models.PositiveIntegerField(
        null=True, blank=True, help_text="Place in the course list (then by title)."
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        help_text="Staff who see this course's results (admins see every course).",
    )

    objects = CourseQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course", args=[self.slug])

    @property
    def meta_description(self) -> str:
        """The course list's line, else the start of the description."""
        return plain_description(self.summary or html.unescape(strip_tags(self.description_html)))


class Chapter(SourcedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="chapters")
    slug = models.SlugField(allow_unicode=True)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="chapter_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"Chapter {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:chapter", args=[self.course.slug, self.slug])

    @property
    def meta_description(self) -> str:
        return plain_description(self.summary) or self.course.meta_description


class TopicQuerySet(ContentQuerySet):
    def in_order(self):
        """Active topics of active chapters, in reading order, with their chapter."""
        return (
            self.active()
            .filter(chapter__is_active=True, course__is_active=True)
            .select_related("chapter", "course")
            .order_by("chapter__number", "number")
        )

    def neighbours(self, topic: Topic) -> tuple[Topic | None, Topic | None]:
        """The topics before and after `topic` in reading order, across chapters."""
        here = self.in_order().filter(course_id=topic.course_id)
        chapter_number = topic.chapter.number
        before = Q(chapter__number__lt=chapter_number) | Q(
            chapter__number=chapter_number, number__lt=topic.number
        )
        after = Q(chapter__number__gt=chapter_number) | Q(
            chapter__number=chapter_number, number__gt=topic.number
        )
        return here.filter(before).last(), here.filter(after).first()


class Topic(SourcedModel):
    # A topic's identity is its slug within the course, so it can move between chapters.
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="topics")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(allow_unicode=True)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    body_html = models.TextField(blank=True)
    toc_html = models.TextField(blank=True)
    diagrams = models.JSONField(default=list, blank=True, help_text="Diagram data, in page order.")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["chapter__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="topic_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"Topic {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("courses:topic", args=[self.course.slug, self.chapter.slug, self.slug])

    @property
    def meta_description(self) -> str:
        return plain_description(self.summary) or self.chapter.meta_description

    def body_parts(self) -> list[dict]:
        """The body as HTML pieces and diagrams, in page order."""
        parts = []
        for part in split_slots(self.body_html):
            if isinstance(part, int):
                if part < len(self.diagrams):
                    parts.append({"diagram": self.diagrams[part], "index": part})
            else:
                parts.append({"html": part})
        return parts
