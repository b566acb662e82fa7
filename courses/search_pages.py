"""Search answers kept per content version, so a repeated query costs what a cached page does.

What a search page shows depends only on the content, the scope (a course, or every course),
the interface language and the query (as cleaned: other parameters and spelling variants of
the same query share an answer). Each answer is rendered once and kept in this process under
a key that carries the content version (as topic pages are, courses/assembly.py): after a
load the version changes and old answers are never read again. Instant results (the htmx
fragment) are kept whole; a whole page is kept with markers in the header's slots (CSRF
token, account links, messages, due reviews) and filled per request for whoever asks, signed
in or not, by courses/assembly.py's `PageVisit`.

A search not kept renders only its results: the page around them (its frame: the header, the
title, the heading) is kept per content version, scope and language with markers where the
query and the results go, and the active courses are kept per content version too, so it
costs no query for its course. With SEARCH_KEEP_ANSWERS off (bench only) an answer is built
exactly as a kept one is, and not kept.

Answers stay out of the shared cache: queries are unbounded, and the shared cache (locmem
keeps 300 entries) holds the topic pages' pieces, which a stream of new queries would evict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from courses.assembly import PageVisit, frame_markers
from courses.content_cache import seen_content_version
from courses.fragments import Markers, ProcessLRU, fill, fill_some, render_split
from courses.models import Course
from courses.search_hits import results_html, shown
from courses.search_query import clean

TEMPLATE = "courses/search_results.html"
answers = ProcessLRU(2048)  # 3-15 KB each
courses = ProcessLRU(16)  # the active courses, per content version
frames = ProcessLRU(64)  # a page without its query and results, per scope and language (~25 KB)


@dataclass(frozen=True)
class Answer:
    """A rendered answer, split at its CSRF marker (one piece for a fragment)."""

    language: str
    pieces: list[str]


def respond(
    request: HttpRequest, scope: str, build: Callable[[list[Course]], dict]
) -> HttpResponse:
    """The answer for this request: kept, or built now by `build()` (which may raise 404).

    `build` gets the active courses, activates the answer's language (a course's, or the
    browser's) and returns the template context. `scope` names what is searched
    ("course:<slug>" or "all"). An answer that is not kept is built as a kept one is.
    """
    popup = bool(request.htmx)
    version = seen_content_version()
    courses = active_courses(version)
    # A course's pages speak its language, fixed by the slug; every-course pages the browser's.
    language = translation.get_language() if scope == "all" else ""
    query = clean(request.GET.get("q", ""))

    def new() -> Answer:
        return make(version, scope, query, lambda: build(courses), popup)

    if version is None or not settings.SEARCH_KEEP_ANSWERS:
        answer = new()
    else:
        digest = hashlib.sha256(query.encode()).hexdigest()[:32]
        key = f"search:{int(popup)}:{version}:{scope}:{language}:{digest}"
        answer = answers.get_or_render(key, new)
    translation.activate(answer.language)
    request.LANGUAGE_CODE = answer.language
    if popup:
        return HttpResponse(answer.pieces[0])
    # The header's own slots (CSRF token, account links, messages, due reviews) are filled
    # for this visitor as on topic pages, so one kept page serves everyone.
    # Log-in links come back to the page's plain address: the query alone, cleaned.
    back = f"{request.path}?{urlencode({'q': query})}" if query else request.path
    return HttpResponse(fill(answer.pieces, PageVisit(request, back).slot))


def active_courses(version: str | None) -> list[Course]:
    """The active courses in list order, kept per content version.

    Every change to a course row changes the version (the importer stamps `updated_at`, also
    when it retires a course), so a kept list is never stale; a search then costs no query
    for its course.
    """
    if version is None:
        return []
    return courses.get_or_render(version, lambda: list(Course.objects.listed()))


def make(
    version: str | None, scope: str, query: str, build: Callable[[], dict], popup: bool
) -> Answer:
    """The answer for `query`, rendered from kept pieces: its hits, its results around them
    and, for a page, the frame around those (courses/search_hits.py)."""
    context = build()
    context["groups"] = [shown(version or "", g) for g in context["groups"]]
    language = translation.get_language()
    if not query:  # nothing to fill in: rendered whole
        if popup:
            return Answer(language, [render_to_string(f"{TEMPLATE}#popup", context)])
        return Answer(language, render_split(lambda mark: page(context, mark)))
    results = results_html(f"{version}:{scope}:{language}", popup, context)
    if popup:
        return Answer(language, [results])
    pieces = frames.get_or_render(
        f"search-frame:{version}:{scope}:{language}",
        lambda: render_split(lambda mark: page(context, mark, frame=True)),
    )
    values = {"query": escape(query), "results": results}
    return Answer(language, fill_some(pieces, lambda name, _: values.get(name)))


def page(context: dict, mark: Markers, frame: bool = False) -> str:
    """The whole page, with markers in the header's slots (and, for a frame, where the query
    and the results go: the frame then holds nothing of this query)."""
    if frame:
        query = mark_safe(mark("query"))  # noqa: S308 - our marker
        results = mark_safe(mark("results"))  # noqa: S308 - our marker
        context = {**context, "query": query, "search_query": query, "results_html": results}
    return render_to_string(TEMPLATE, {**context, **frame_markers(mark)})
