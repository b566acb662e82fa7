"""The review page: the learner's due questions, one at a time, graded in place.

Grading goes through quizzes/views.py::submit, as on topic pages, so the guarantees are the
same: the answer is only in the markup after answering, choices in the learner's own order,
one nonce per form, the question's form version, CSRF.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from courses import content_cache
from courses.languages import use_course_language
from quizzes import clock, review, review_shell
from quizzes.context_processors import remember_due
from quizzes.learners import current_learner, order_seed
from quizzes.models import Question
from quizzes.progress import QuestionState, question_state, topic_attempts
from quizzes.views import answerable, submit

REVIEW_PAGE = "quizzes/review.html"


def reviewable(request: HttpRequest, question_id: int | None) -> Question | None:
    """The question with its topic, course and choices (cached), speaking its course."""
    if question_id is None:
        return None
    found = content_cache.answerable(question_id)
    if found is None:
        return None
    use_course_language(request, found.question.topic.course)
    return found.question


def review_context(
    request: HttpRequest, state: QuestionState | None, now: datetime, due: int = 0
) -> dict:
    """What the review page shows around one question (or none left); `due` is counted here
    for an answered question (with when it comes back, in one query)."""
    context = {"state": state, "question": state.question if state else None, "due": due}
    learner = current_learner(request)
    if state is not None and state.answered:
        state.answer_follows = True
        context["due"], back = review.after_review(learner, state.question, now)
        context["comes_back"] = review.comes_back(back, now) if back else ""
    elif state is None:
        upcoming = review.next_due(learner)
        context["next_due"] = review.comes_back(upcoming, now) if upcoming else ""
    return context


@require_safe
@vary_on_headers("HX-Request")
def review_page(request: HttpRequest) -> HttpResponse:
    """The next due question as a fresh form; with ?answered=<id>, that question's result."""
    now = clock.now()
    learner = current_learner(request)
    answered = request.GET.get("answered", "")
    if answered.isdigit() and learner is not None:
        # After a form sent without JavaScript: the result, from the learner's own attempt.
        question = reviewable(request, int(answered))
        latest = topic_attempts(learner, [question])[0] if question else {}
        if question is not None and question.pk in latest:
            state = question_state(question, order_seed(request), latest[question.pk])
            return show(request, review_context(request, state, now))
    question_id, due = review.next_in_queue(learner, now)
    question = reviewable(request, question_id)
    if question is not None and not request.htmx:
        remember_due(request, due)
        return review_shell.fresh_question(request, question, due)
    state = question_state(question, order_seed(request)) if question else None
    return show(request, review_context(request, state, now, due))


@require_POST
@vary_on_headers("HX-Request")
def review_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    """Grade a review answer; the result and when the question comes back, in place."""
    found = answerable(request, question_id)
    question = found.question
    done = submit(request, found)
    now = clock.now()
    if not done.error and not request.htmx:
        return redirect(f"{reverse('quizzes:review')}?answered={question.pk}")
    if done.error:
        state = question_state(question, order_seed(request), error=done.error)
        due = review.due_count(current_learner(request), now)
    else:
        state = question_state(question, order_seed(request), done.attempt, picked=done.picked)
        due = 0  # counted with when it comes back
    return show(request, review_context(request, state, now, due), status=done.status)


def show(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The whole page, or its review item for htmx."""
    remember_due(request, context["due"])
    name = f"{REVIEW_PAGE}#review-item" if request.htmx else REVIEW_PAGE
    return render(request, name, context, status=status)
