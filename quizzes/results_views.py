"""Results dashboard views: staff only, thin; the numbers come from quizzes/stats.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import MAX_URL_LENGTH
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from courses.languages import use_course_language
from courses.models import Course, Topic
from quizzes.exports import attempt_csv, csv_lines, question_rows
from quizzes.models import Question
from quizzes.progress import course_progress
from quizzes.stats import (
    MIN_LEARNERS,
    TOO_EASY,
    TOO_HARD,
    UNPICKED,
    course_learners,
    learner_answers,
    learner_rows,
    question_stats,
    topic_stats,
)

LEARNERS_PER_PAGE = 50


def may_see(user, course: Course) -> bool:
    """Admins (superusers) see every course; other staff only the courses they teach."""
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or course.instructors.filter(pk=user.pk).exists()


def visible_courses(user) -> QuerySet[Course]:
    """The active courses whose results this user may see, in course-list order."""
    courses = Course.objects.listed()
    return courses if user.is_superuser else courses.filter(instructors=user)


def back_after_login(request: HttpRequest) -> str:
    """Where the login page sends a visitor back to: this address, or its path alone when it
    is longer than Django follows as a `next` (a redirect over 16 KB would even be a 400)."""
    full = request.get_full_path()
    return full if len(full) <= MAX_URL_LENGTH else request.path


def staff_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in non-staff get a 403, never data.

    Views that take a `course_slug` get the course instead, once the user may see it:
    admins see every course, instructors their own (403 for any other).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(back_after_login(request))
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("The results dashboard is for staff."))
        if "course_slug" in kwargs:
            course = get_object_or_404(Course.objects.active(), slug=kwargs.pop("course_slug"))
            if not may_see(request.user, course):
                raise PermissionDenied(_("You are not an instructor of this course."))
            kwargs["course"] = course
            use_course_language(request, course)
        response = view(request, *args, **kwargs)
        # Learner data: never kept by a browser or a shared cache.
        add_never_cache_headers(response)
        return response

    return wrapped


def thresholds() -> dict:
    return {
        "too_easy": round(TOO_EASY * 100),
        "too_hard": round(TOO_HARD * 100),
        "unpicked": round(UNPICKED * 100),
        "min_learners": MIN_LEARNERS,
    }


def context(request: HttpRequest, course: Course, section: str) -> dict:
    """What every results page shows: its course, section and the course switcher."""
    return {
        "course": course,
        "section": section,
        "courses": list(visible_courses(request.user)),
    }


@require_safe
@staff_required
def courses(request: HttpRequest) -> HttpResponse:
    """The courses this user may see (with one, that course's results)."""
    visible = list(visible_courses(request.user))
    if len(visible) == 1:
        return redirect("results:topics", visible[0].slug)
    return render(request, "quizzes/results_courses.html", {"courses": visible})


@require_safe
@staff_required
def topics(request: HttpRequest, course: Course) -> HttpResponse:
    """Per topic, in course order: reached, completed, average first-try score, drop-off."""
    return render(
        request,
        "quizzes/results_topics.html",
        {**context(request, course, "topics"), "rows": topic_stats(course)},
    )


@require_safe
@staff_required
def questions(request: HttpRequest, course: Course) -> HttpResponse:
    """Question analysis for every question version, optionally for one topic."""
    topic = None
    if request.GET.get("topic", "").isdigit():
        topic = get_object_or_404(Topic, pk=request.GET["topic"], course=course)
    return render(
        request,
        "quizzes/results_questions.html",
        {
            **context(request, course, "questions"),
            "topic": topic,
            "topics": Topic.objects.filter(course=course).in_order(),
            "versions": question_stats(course, topic),
            **thresholds(),
        },
    )


@require_safe
@staff_required
def question_detail(request: HttpRequest, course: Course, question_id: int) -> HttpResponse:
    """One question's versions with choice pick rates."""
    question = get_object_or_404(
        Question.objects.select_related("topic__course"), pk=question_id, topic__course=course
    )
    versions = [s for s in question_stats(course, question.topic) if s.question == question]
    return render(
        request,
        "quizzes/results_question.html",
        {
            **context(request, course, "questions"),
            "question": question,
            "versions": versions,
            **thresholds(),
        },
    )


@require_safe
@staff_required
def learners(request: HttpRequest, course: Course) -> HttpResponse:
    """The course's learners, newest first, searchable by username, with their answer counts."""
    query = request.GET.get("q", "").strip()
    people = course_learners(course).select_related("user").order_by("-pk")
    if query:
        people = people.filter(user__username__icontains=query)
    page = Paginator(people, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/results_learners.html",
        {
            **context(request, course, "learners"),
            "page": page,
            "rows": learner_rows(page.object_list, course),
            "query": query,
        },
    )


@require_safe
@staff_required
def learner_detail(request: HttpRequest, course: Course, learner_id: int) -> HttpResponse:
    """One learner's progress per topic of the course and every answer there, in order."""
    learner = get_object_or_404(course_learners(course).select_related("user"), pk=learner_id)
    return render(
        request,
        "quizzes/results_learner.html",
        {
            **context(request, course, "learners"),
            "learner": learner,
            "answers": learner_answers(learner, course),
            **course_progress(learner, course),
        },
    )


def stream_csv(pieces: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@staff_required
def attempts_csv(request: HttpRequest, course: Course) -> StreamingHttpResponse:
    """Every attempt on the course as CSV, streamed."""
    return stream_csv(attempt_csv(course), f"{course.slug}-attempts.csv")


@require_safe
@staff_required
def questions_csv(request: HttpRequest, course: Course) -> StreamingHttpResponse:
    """Question statistics per version as CSV, streamed."""
    return stream_csv(csv_lines(question_rows(course)), f"{course.slug}-question-statistics.csv")
