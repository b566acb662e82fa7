"""Answering, progress and accounts. Views stay thin: rules live in quizzes/*.py modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from courses import content_cache
from courses.assembly import topic_response
from courses.languages import use_course_language
from courses.listing import course_list
from courses.models import Course, Topic
from courses.views import active_course
from quizzes import clock, review
from quizzes.answers import check_answer, is_live, record_and_score, reveal_answer
from quizzes.forms import AnswerForm
from quizzes.grading import AnswerError
from quizzes.learners import (
    current_learner,
    learner_for_answer,
    order_seed,
    record_as_this_browser,
)
from quizzes.models import Attempt, Question, TopicProgress
from quizzes.progress import (
    TopicStatus,
    course_progress,
    mistakes,
    question_state,
    topic_score,
    topic_statuses,
)

# An answer is a handful of short tokens; anything bigger is not a real answer.
MAX_ANSWER_BYTES = 4096
TOPIC_PAGE = "courses/topic_detail.html"


def answerable(request: HttpRequest, question_id: int) -> content_cache.Answerable:
    """The question with its topic, chapter, course and choices, or 404; speaks its course."""
    found = content_cache.answerable(question_id)
    if found is None:
        raise Http404("No such question.")
    use_course_language(request, found.question.topic.course)
    return found


def question_response(
    request: HttpRequest,
    question: Question,
    *,
    attempt=None,
    picked: set[int] | None = None,
    error: str = "",
    status: int = 200,
    topic_question_ids: list[int] | None = None,
    score: TopicStatus | None = None,
) -> HttpResponse:
    """The question's partial (htmx) or the whole topic page, with the score alongside."""
    state = question_state(question, order_seed(request), attempt, picked=picked, error=error)
    if not request.htmx:
        return topic_response(request, question.topic, override=state, status=status)
    topic = question.topic
    context = {"state": state, "topic": topic, "score": score, "oob": True}
    if score is None:
        if topic_question_ids is None:
            topic_question_ids = [q.pk for q in content_cache.topic_questions(topic)]
        context["score"] = topic_score(current_learner(request), topic, topic_question_ids)
    else:
        # Counted from the learner's rows, so it knows which questions are left: the
        # end-of-topic summary follows the answer too.
        context["questions"] = content_cache.topic_questions(topic)
    response = render(request, f"{TOPIC_PAGE}#question-response", context, status=status)
    return response


@dataclass
class Submitted:
    """What became of a posted answer: recorded (attempt, score, picks) or refused (error)."""

    attempt: Attempt | None = None
    score: TopicStatus | None = None
    picked: set[int] = field(default_factory=set)
    error: str = ""
    status: int = 200


def submit(request: HttpRequest, found: content_cache.Answerable) -> Submitted:
    """Check a posted answer (size, form, version, choices) and record it; topic pages and
    review grade through here, so both give the same guarantees."""
    question = found.question
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_ANSWER_BYTES:
        return Submitted(error=_("That answer is too large to be real."), status=413)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return Submitted(error=next(iter(form.errors.values()))[0], status=400)
    if question.is_active and not constant_time_compare(
        form.cleaned_data["version"], question.form_version
    ):
        # Grade only what the learner actually saw: the question changed under them.
        message = _("This question was updated while you were reading. Review it and answer again.")
        return Submitted(error=message, status=409)
    try:
        grade = check_answer(question, form.tokens)
    except AnswerError as error:
        return Submitted(error=_(str(error)), status=400 if is_live(question) else 410)
    record = partial(
        record_and_score,
        question=question,
        grade=grade,
        nonce=form.cleaned_data["nonce"],
        topic_question_ids=found.topic_question_ids,
        now=clock.now(),
    )
    try:
        attempt, score = record_as_this_browser(request, record)
    except AnswerError as error:
        return Submitted(error=_(str(error)), status=409)
    picked = {c.pk for c in question.choices.all() if c.token in grade.picked}
    return Submitted(attempt=attempt, score=score, picked=picked)


@require_POST
@vary_on_headers("HX-Request")
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    """Grade an answer on the server and record it as an attempt."""
    found = answerable(request, question_id)
    question, ids = found.question, found.topic_question_ids
    done = submit(request, found)
    if done.error:
        return question_response(
            request, question, error=done.error, status=done.status, topic_question_ids=ids
        )
    if not request.htmx:
        return redirect(f"{question.topic.get_absolute_url()}#{question.anchor}")
    return question_response(
        request, question, attempt=done.attempt, picked=done.picked, score=done.score
    )


@require_safe
@vary_on_headers("HX-Request")
def retry(request: HttpRequest, question_id: int) -> HttpResponse:
    """ "Try again": the question as a fresh form."""
    found = answerable(request, question_id)
    question = found.question
    if not request.htmx:
        return redirect(
            f"{question.topic.get_absolute_url()}?retry={question.key}#{question.anchor}"
        )
    return question_response(request, question, topic_question_ids=found.topic_question_ids)


@require_POST
@vary_on_headers("HX-Request")
def reveal(request: HttpRequest, question_id: int) -> HttpResponse:
    """ "Show answer" after a wrong answer: recorded, then the question with its answer."""
    found = answerable(request, question_id)
    question, ids = found.question, found.topic_question_ids
    try:
        latest = reveal_answer(current_learner(request, verified=True), question)
    except AnswerError as error:
        status = 409 if is_live(question) else 410
        return question_response(
            request, question, error=_(str(error)), status=status, topic_question_ids=ids
        )
    if not request.htmx:
        return redirect(f"{question.topic.get_absolute_url()}#{question.anchor}")
    state = question_state(question, order_seed(request), latest)
    return render(request, f"{TOPIC_PAGE}#question", {"state": state, "topic": question.topic})


@require_POST
@vary_on_headers("HX-Request")
def mark_read(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Mark a topic without questions as read."""
    topic = get_object_or_404(
        Topic.objects.active().filter(course__is_active=True).select_related("chapter", "course"),
        pk=topic_id,
    )
    use_course_language(request, topic.course)
    learner = learner_for_answer(request)
    TopicProgress.objects.get_or_create(
        learner=learner, topic=topic, defaults={"read_at": timezone.now()}
    )
    if not request.htmx:
        return redirect(topic)
    score = topic_statuses(learner, [topic])[topic.pk]
    context = {"topic": topic, "score": score, "oob": True}
    return render(request, f"{TOPIC_PAGE}#read-response", context)


@require_safe
def progress_list(request: HttpRequest) -> HttpResponse:
    """My progress in every course (with one course: that course's progress)."""
    courses = list(Course.objects.listed())
    if len(courses) == 1:
        return redirect("quizzes:course-progress", courses[0].slug)
    context = course_list(courses, current_learner(request))
    return render(request, "quizzes/progress_list.html", {**context, "courses": courses})


@require_safe
def progress_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    """My progress in one course: each topic's status and first-try score, and my mistakes."""
    course = active_course(course_slug)
    use_course_language(request, course)
    learner = current_learner(request)
    progress = course_progress(learner, course)
    retention = review.topic_retention(learner, course, clock.now())
    context = {
        "course": course,
        "mistakes": mistakes(learner, course),
        "courses": list(Course.objects.listed()),
        "progress": progress["progress"],
        "rows": [(t, status, retention.get(t.pk)) for t, status in progress["rows"]],
    }
    return render(request, "quizzes/progress_detail.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A missing or stale CSRF token: say what to do, in the fragment when htmx asked."""
    message = _("Your session has expired or this form is stale. Reload the page and try again.")
    if request.headers.get("HX-Request"):
        return HttpResponse(f'<p class="feedback error" role="alert">{message}</p>', status=403)
    return render(request, "403_csrf.html", {"message": message}, status=403)
