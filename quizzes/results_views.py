"""Results dashboard views: staff only, thin; the numbers come from quizzes/stats.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from courses.models import Topic
from courses.views import current_course
from quizzes.exports import attempt_rows, csv_lines, question_rows
from quizzes.models import Learner, Question
from quizzes.progress import course_progress
from quizzes.stats import (
    MIN_LEARNERS,
    TOO_EASY,
    TOO_HARD,
    UNPICKED,
    learner_answers,
    learner_rows,
    question_stats,
    topic_stats,
)

LEARNERS_PER_PAGE = 50


def staff_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in non-staff get a 403, never data."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("The results dashboard is for staff.")
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


@require_GET
@staff_required
def topics(request: HttpRequest) -> HttpResponse:
    """Per topic, in course order: reached, completed, average first-try score, drop-off."""
    course = current_course()
    return render(
        request,
        "quizzes/results_topics.html",
        {"course": course, "rows": topic_stats(course), "section": "topics"},
    )


@require_GET
@staff_required
def questions(request: HttpRequest) -> HttpResponse:
    """Question analysis for every question version, optionally for one topic."""
    course = current_course()
    topic = None
    if request.GET.get("topic", "").isdigit():
        topic = get_object_or_404(Topic, pk=request.GET["topic"], course=course)
    return render(
        request,
        "quizzes/results_questions.html",
        {
            "course": course,
            "topic": topic,
            "topics": Topic.objects.filter(course=course).in_order(),
            "versions": question_stats(course, topic),
            "section": "questions",
            **thresholds(),
        },
    )


@require_GET
@staff_required
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    """One question's versions with choice pick rates."""
    question = get_object_or_404(Question.objects.select_related("topic__course"), pk=question_id)
    versions = [
        s for s in question_stats(question.topic.course, question.topic) if s.question == question
    ]
    return render(
        request,
        "quizzes/results_question.html",
        {"question": question, "versions": versions, "section": "questions", **thresholds()},
    )


@require_GET
@staff_required
def learners(request: HttpRequest) -> HttpResponse:
    """Learners, newest first, searchable by username, with their answer counts."""
    query = request.GET.get("q", "").strip()
    people = Learner.objects.select_related("user").order_by("-pk")
    if query:
        people = people.filter(user__username__icontains=query)
    page = Paginator(people, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/results_learners.html",
        {
            "page": page,
            "rows": learner_rows(page.object_list),
            "query": query,
            "section": "learners",
        },
    )


@require_GET
@staff_required
def learner_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    """One learner's progress per topic and every answer, in order."""
    learner = get_object_or_404(Learner.objects.select_related("user"), pk=learner_id)
    context = {"learner": learner, "answers": learner_answers(learner), "section": "learners"}
    return render(
        request,
        "quizzes/results_learner.html",
        {**context, **course_progress(learner, current_course())},
    )


def stream_csv(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_required
def attempts_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every attempt as CSV, streamed."""
    return stream_csv(attempt_rows(current_course()), "attempts.csv")


@require_GET
@staff_required
def questions_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Question statistics per version as CSV, streamed."""
    return stream_csv(question_rows(current_course()), "question-statistics.csv")
