"""Course pages: thin views over the models; all text was rendered at import."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from courses import legacy, page_cache, page_shell
from courses.languages import use_course_language
from courses.listing import course_list
from courses.models import Chapter, Course, Topic
from courses.templatetags.diagrams import deep_link, diagram_context
from quizzes.learners import current_learner, order_seed
from quizzes.progress import (
    QuestionState,
    continue_topic,
    question_state,
    summarize,
    topic_attempts,
    topic_statuses,
)


def active_course(course_slug: str) -> Course:
    """The active course with this slug, or 404."""
    return get_object_or_404(Course.objects.active(), slug=course_slug)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The course list; with one course, that course."""
    courses = list(Course.objects.listed())
    if len(courses) == 1:
        return redirect(courses[0])
    return render(
        request,
        "courses/course_list.html",
        course_list(courses, current_learner(request)),
    )


@require_safe
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = Course.objects.active().filter(slug=course_slug).first()
    if course is None:
        return legacy.redirect_chapter(course_slug)
    use_course_language(request, course)
    topics = list(Topic.objects.filter(course=course).in_order())
    learner = current_learner(request)
    statuses = topic_statuses(learner, topics) if learner else {}
    chapters: dict[int, dict] = {}
    for topic in topics:
        entry = chapters.setdefault(topic.chapter_id, {"chapter": topic.chapter, "topics": []})
        entry["topics"].append(topic)
    for entry in chapters.values():
        entry["rows"] = [(t, statuses.get(t.pk)) for t in entry["topics"]]
        entry["progress"] = summarize(entry["topics"], statuses) if learner else None
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "chapters": list(chapters.values()),
            "progress": summarize(topics, statuses) if learner else None,
            "continue_topic": continue_topic(topics, statuses) if learner else None,
            "courses": list(Course.objects.listed()),
        },
    )


@require_safe
def chapter_detail(request: HttpRequest, course_slug: str, chapter_slug: str) -> HttpResponse:
    course = Course.objects.active().filter(slug=course_slug).first()
    if course is None:
        # /<chapter>/<topic>/ from before there were several courses.
        return legacy.redirect_topic(course_slug, chapter_slug, request)
    use_course_language(request, course)
    chapter = get_object_or_404(Chapter.objects.active(), course=course, slug=chapter_slug)
    chapter.course = course
    topics = list(chapter.topics.active().select_related("chapter", "course").order_by("number"))
    learner = current_learner(request)
    statuses = topic_statuses(learner, topics) if learner else {}
    return render(
        request,
        "courses/chapter_detail.html",
        {
            "course": course,
            "chapter": chapter,
            "rows": [(t, statuses.get(t.pk)) for t in topics],
            "progress": summarize(topics, statuses) if learner else None,
        },
    )


def active_topic(course_slug: str, topic_slug: str) -> Topic:
    """The active topic with this slug in this course, or 404 (in one query)."""
    topic = page_cache.find_topic(course_slug, topic_slug)
    if topic is None:
        raise Http404("No such topic.")
    return topic


def render_topic(
    request: HttpRequest,
    topic: Topic,
    *,
    override: QuestionState | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole topic page; `override` replaces one question's state (e.g. with an error)."""
    use_course_language(request, topic.course)
    learner = current_learner(request)
    seed = order_seed(request)
    page = page_cache.topic_page(topic.course, topic)
    questions = page.questions
    latest, score = topic_attempts(learner, questions)
    if not questions:
        score = topic_statuses(learner, [topic])[topic.pk]
    retry = request.GET.get("retry")
    states = []
    for question in questions:
        if override is not None and override.question.pk == question.pk:
            states.append(override)
            continue
        attempt = None if question.key == retry else latest.get(question.pk)
        states.append(question_state(question, seed, attempt))
    csrf_token = get_token(request)
    for state in states:
        state.prerendered = page_cache.question_form(page, state, csrf_token) or ""
    response = render(
        request,
        "courses/topic_detail.html",
        {
            "course": topic.course,
            "topic": topic,
            "body_html": page_cache.body(request, page, topic.course, topic),
            "states": states,
            "score": score,
            "previous_topic": page.previous_topic,
            "next_topic": page.next_topic,
        },
        status=status,
    )
    return response


@require_safe
def topic_detail(
    request: HttpRequest, course_slug: str, chapter_slug: str, topic_slug: str
) -> HttpResponse:
    html = page_shell.visitor_page(request, course_slug, chapter_slug, topic_slug)
    if html is not None:
        return HttpResponse(html)
    topic = active_topic(course_slug, topic_slug)
    if topic.chapter.slug != chapter_slug:
        # The topic moved to another chapter: keep old links working.
        return redirect(topic, permanent=True)
    return render_topic(request, topic)


@require_safe
@vary_on_headers("HX-Request")
def diagram_fragment(
    request: HttpRequest, course_slug: str, chapter_slug: str, topic_slug: str, index: int
) -> HttpResponse:
    """One diagram's body for htmx; plain requests go to the topic page in the same state."""
    topic = get_object_or_404(
        Topic.objects.in_order(),
        course__slug=course_slug,
        slug=topic_slug,
        chapter__slug=chapter_slug,
    )
    if index >= len(topic.diagrams):
        raise Http404("No such diagram.")
    use_course_language(request, topic.course)
    diagram = topic.diagrams[index]
    context = diagram_context(request, topic, diagram, index)
    url = deep_link(topic, context)
    if not request.htmx:
        return redirect(url)
    response = render(
        request, f"courses/_{diagram['kind']}.html#{diagram['kind']}-fragment", context
    )
    # Forms build their query in the browser, so the server names the URL to push.
    response["HX-Push-Url"] = url
    return response
