"""Addresses from before there were several courses keep working: they redirect for good.

`/<chapter>/` and `/<chapter>/<topic>/` (and a diagram's fragment URL) had no course in
them. They answer 301 to the course that has that chapter or topic today — wherever the
topic has moved since — keeping the query string (a diagram's deep link). When several
courses have it, the first in the course list wins.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import MAX_URL_LENGTH
from django.views.decorators.http import require_safe

from courses.models import Chapter, Topic

COURSE_ORDER = (F("course__order").asc(nulls_last=True), "course__title", "course__pk")


def with_query(url: str, request: HttpRequest | None) -> str:
    """The new address with the old one's query string, unless that makes it longer than
    Django follows as a `next` (a redirect over 16 KB would be a 400): then without."""
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    if not query or len(url) + 1 + len(query) > MAX_URL_LENGTH:
        return url
    return f"{url}?{query}"


def redirect_chapter(chapter_slug: str) -> HttpResponsePermanentRedirect:
    """/<chapter>/ → /<course>/<chapter>/, or 404."""
    chapter = (
        Chapter.objects.active()
        .filter(slug=chapter_slug, course__is_active=True)
        .select_related("course")
        .order_by(*COURSE_ORDER)
        .first()
    )
    if chapter is None:
        raise Http404("No such course.")
    return HttpResponsePermanentRedirect(chapter.get_absolute_url())


def find_topic(chapter_slug: str, topic_slug: str) -> Topic:
    """The active topic an old address names: in that chapter first, else where it moved."""
    topic = (
        Topic.objects.in_order()
        .filter(slug=topic_slug)
        .annotate(
            elsewhere=Case(
                When(chapter__slug=chapter_slug, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("elsewhere", *COURSE_ORDER)
        .only("slug", "chapter__slug", "course__slug")
        .first()
    )
    if topic is None:
        raise Http404("No such page.")
    return topic


def redirect_topic(
    chapter_slug: str, topic_slug: str, request: HttpRequest
) -> HttpResponsePermanentRedirect:
    """/<chapter>/<topic>/ → /<course>/<chapter>/<topic>/, query string kept."""
    topic = find_topic(chapter_slug, topic_slug)
    return HttpResponsePermanentRedirect(with_query(topic.get_absolute_url(), request))


@require_safe
def diagram(
    request: HttpRequest, chapter_slug: str, topic_slug: str, index: int
) -> HttpResponsePermanentRedirect:
    """/<chapter>/<topic>/diagram/<n>/ → the same fragment under its course."""
    topic = find_topic(chapter_slug, topic_slug)
    url = reverse(
        "courses:diagram", args=[topic.course.slug, topic.chapter.slug, topic.slug, index]
    )
    return HttpResponsePermanentRedirect(with_query(url, request))
