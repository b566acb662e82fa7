"""Course pages: thin views over the models; all text was rendered at import."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.vary import vary_on_headers

from courses.models import Chapter, Course, Topic
from courses.templatetags.diagrams import deep_link, diagram_context
from quizzes.models import Choice, Question


def current_course() -> Course:
    """The course this site serves (one content tree, one course)."""
    course = Course.objects.active().order_by("pk").first()
    if course is None:
        raise Http404("No course has been loaded yet: run `manage.py load_content`.")
    return course


def home(request: HttpRequest) -> HttpResponse:
    course = current_course()
    topics = list(Topic.objects.filter(course=course).in_order())
    chapters: dict[int, dict] = {}
    for topic in topics:
        entry = chapters.setdefault(topic.chapter_id, {"chapter": topic.chapter, "topics": []})
        entry["topics"].append(topic)
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "chapters": list(chapters.values())},
    )


def chapter_detail(request: HttpRequest, chapter_slug: str) -> HttpResponse:
    course = current_course()
    chapter = get_object_or_404(Chapter.objects.active(), course=course, slug=chapter_slug)
    topics = list(chapter.topics.active().order_by("number"))
    return render(
        request,
        "courses/chapter_detail.html",
        {"course": course, "chapter": chapter, "topics": topics},
    )


def topic_detail(request: HttpRequest, chapter_slug: str, topic_slug: str) -> HttpResponse:
    course = current_course()
    topic = get_object_or_404(Topic.objects.in_order(), course=course, slug=topic_slug)
    if topic.chapter.slug != chapter_slug:
        # The topic moved to another chapter: keep old links working.
        return redirect(topic, permanent=True)
    previous_topic, next_topic = Topic.objects.neighbours(topic)
    return render(
        request,
        "courses/topic_detail.html",
        {
            "course": course,
            "topic": topic,
            "questions": Question.objects.for_topic(topic).prefetch_related(
                Prefetch("choices", queryset=Choice.objects.active())
            ),
            "previous_topic": previous_topic,
            "next_topic": next_topic,
        },
    )


@vary_on_headers("HX-Request")
def diagram_fragment(
    request: HttpRequest, chapter_slug: str, topic_slug: str, index: int
) -> HttpResponse:
    """One diagram's body for htmx; plain requests go to the topic page in the same state."""
    topic = get_object_or_404(
        Topic.objects.in_order(),
        course=current_course(),
        slug=topic_slug,
        chapter__slug=chapter_slug,
    )
    if index >= len(topic.diagrams):
        raise Http404("No such diagram.")
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
