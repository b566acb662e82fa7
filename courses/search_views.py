"""Search pages: `/<course>/search/?q=` and `/search/?q=` (every course, grouped by course).

A plain GET page that works without JavaScript and can be linked to; htmx asks the same URLs
for the instant results under the header's search box (the template's `popup` partial).
Answers are kept per content version (courses/search_pages.py).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from courses import search_pages
from courses.languages import use_course_language
from courses.models import Course
from courses.search import LIMIT, PER_COURSE, Results, search_course, search_courses
from courses.search_hits import query_url

# Under the search box, fewer: the full page is one Enter away.
POPUP_LIMIT = 8
POPUP_PER_COURSE = 3


def context(query: str, groups: list[Results], course: Course | None) -> dict:
    return {
        "course": course,
        "query": query,
        "search_query": query,  # the header's search box shows it
        "query_url": query_url(query),
        "groups": groups,
        "shown": sum(len(g.hits) for g in groups),
        "more": any(g.more for g in groups),
    }


@require_safe
@vary_on_headers("HX-Request")
def course_search(request: HttpRequest, course_slug: str) -> HttpResponse:
    """The course's sections that match `q`, best first."""

    def build(courses: list[Course]) -> dict:
        course = next((c for c in courses if c.slug == course_slug), None)
        if course is None:
            raise Http404("No such course.")
        use_course_language(request, course)
        limit = POPUP_LIMIT if request.htmx else LIMIT
        query, results = search_course(request.GET.get("q", ""), course, limit)
        return context(query, [results] if results.hits else [], course)

    return search_pages.respond(request, f"course:{course_slug}", build)


@require_safe
@vary_on_headers("HX-Request")
def search_all(request: HttpRequest) -> HttpResponse:
    """Every course's best sections for `q`, grouped by course, in course-list order."""

    def build(courses: list[Course]) -> dict:
        limit = POPUP_PER_COURSE if request.htmx else PER_COURSE
        query, groups = search_courses(request.GET.get("q", ""), courses, limit)
        return context(query, groups, None)

    return search_pages.respond(request, "all", build)
