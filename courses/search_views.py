"""Search pages: `/<course>/search/?q=` and `/search/?q=` (every course, grouped by course).

A plain GET page that works without JavaScript and can be linked to; htmx asks the same URLs
for the instant results under the header's search box (the template's `popup` partial).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from courses.languages import use_course_language
from courses.models import Course
from courses.search import LIMIT, PER_COURSE, Results, search_course, search_courses

TEMPLATE = "courses/search_results.html"
# Under the search box, fewer: the full page is one Enter away.
POPUP_LIMIT = 8
POPUP_PER_COURSE = 3


def context(query: str, groups: list[Results], course: Course | None) -> dict:
    return {
        "course": course,
        "query": query,
        "search_query": query,  # the header's search box shows it
        "groups": groups,
        "shown": sum(len(g.hits) for g in groups),
        "more": any(g.more for g in groups),
    }


@require_GET
@vary_on_headers("HX-Request")
def course_search(request: HttpRequest, course_slug: str) -> HttpResponse:
    """The course's sections that match `q`, best first."""
    course = get_object_or_404(Course.objects.active(), slug=course_slug)
    use_course_language(request, course)
    popup = bool(request.htmx)
    query, results = search_course(
        request.GET.get("q", ""), course, POPUP_LIMIT if popup else LIMIT
    )
    groups = [results] if results.hits else []
    return render(request, TEMPLATE + ("#popup" if popup else ""), context(query, groups, course))


@require_GET
@vary_on_headers("HX-Request")
def search_all(request: HttpRequest) -> HttpResponse:
    """Every course's best sections for `q`, grouped by course, in course-list order."""
    popup = bool(request.htmx)
    query, groups = search_courses(
        request.GET.get("q", ""),
        list(Course.objects.listed()),
        POPUP_PER_COURSE if popup else PER_COURSE,
    )
    return render(request, TEMPLATE + ("#popup" if popup else ""), context(query, groups, None))
