"""Course pages: thin views over the models; all text was rendered at import."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from courses import assembly, legacy
from courses.languages import use_course_language
from courses.listing import course_list
from courses.models import Chapter, Course, Topic
from courses.templatetags.diagrams import deep_link, diagram_context
from quizzes.learners import current_learner
from quizzes.progress import continue_topic, summarize, topic_statuses


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


@require_safe
def topic_detail(
    request: HttpRequest, course_slug: str, chapter_slug: str, topic_slug: str
) -> HttpResponse:
    return assembly.topic_page(request, course_slug, chapter_slug, topic_slug)


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
