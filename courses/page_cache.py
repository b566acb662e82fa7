"""The topic page's content pieces, cached, so a page view renders only what is per visitor.

What a topic page shows from content — the body with its diagrams in their default state, the
questions with their choices, their fresh forms, the previous/next links — changes only when
content is loaded. The key carries the course's `updated_at`, which every `load_content` run
bumps (the importer always saves the course row), and the topic's own `updated_at` and
content hash, so after a re-import old entries are simply never read again: nothing has to be
invalidated by hand. Per-visitor parts (choice order, nonces, CSRF token, answers, diagram
state from the query string) are never cached.

A fresh question form differs between visitors only in its CSRF token, its nonce and the
order of its choices. It is rendered once through the template's `question` partial with
markers in those places, and a page view fills the markers in.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Course, Topic
from quizzes.models import Choice, Question

# Old entries are unreachable (not wrong) after a load; the timeout only bounds memory.
TIMEOUT = 24 * 3600
TOPIC_TEMPLATE = "courses/topic_detail.html"
# What only the cached body needs: page views can leave these columns unread.
BODY_FIELDS = ["body_html", "diagrams"]
# Pages are rendered once with markers where per-visitor values go, then split at them. A
# marker carries a random tag drawn for that one rendering, and the split checks that the tag
# occurs only inside whole markers, so nothing content holds can be taken for one.
MARKER_TRIES = 3


class MarkerClash(Exception):
    """The rendered text held a marker's tag outside a marker (vanishingly unlikely)."""


@dataclass(frozen=True)
class Markers:
    """Markers with one random tag: `mark("nonce")` -> a string no escaping changes."""

    tag: str = field(default_factory=lambda: secrets.token_hex(12))

    def __call__(self, name: str, index: int | str = "") -> str:
        return f"{self.tag}_{name}_{index}_{self.tag}"

    def split(self, html: str) -> list[str]:
        """[text, name, index, text, name, index, …, text]; raises MarkerClash."""
        pattern = re.compile(f"{self.tag}_([a-z]+)_([0-9]*)_{self.tag}")
        pieces = pattern.split(html)
        markers = (len(pieces) - 1) // 3
        if html.count(self.tag) != 2 * markers:
            raise MarkerClash
        return pieces


def render_split(render: Callable[[Markers], str]) -> list[str]:
    """`render(mark)` split at its markers, with a fresh tag if content ever held one."""
    for _ in range(MARKER_TRIES):
        markers = Markers()
        try:
            return markers.split(render(markers))
        except MarkerClash:
            continue
    raise MarkerClash


@dataclass(frozen=True)
class TopicLink:
    """Just enough of a neighbouring topic for the pager."""

    url: str
    number: int
    title: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass
class TopicPage:
    """Everything on a topic page that comes from content alone."""

    body_html: str
    questions: list[Question]
    previous_topic: TopicLink | None
    next_topic: TopicLink | None
    forms: dict[int, list[str]] = field(default_factory=dict)


def page_key(course: Course, topic: Topic) -> str:
    """A key that changes whenever the course is re-imported or this topic changes."""
    return (
        f"topic-page:{course.pk}:{course.updated_at.timestamp()}:"
        f"{topic.pk}:{topic.content_hash}:{topic.updated_at.timestamp()}"
    )


def topic_page(course: Course, topic: Topic) -> TopicPage:
    """The topic's content pieces, from the cache or built (and cached) now."""
    key = page_key(course, topic)
    page = cache.get(key)
    if page is None:
        page = build_page(course, topic)
        cache.set(key, page, TIMEOUT)
    return page


def body(request: HttpRequest, page: TopicPage, course: Course, topic: Topic) -> SafeString:
    """The body for this request: cached for the default diagram state, else rendered."""
    if request.META.get("QUERY_STRING"):
        # Diagrams read their state (?tier=, ?compare=…) from the query string.
        return mark_safe(render_body(request, course, topic))  # noqa: S308 - our template
    return mark_safe(page.body_html)  # noqa: S308 - rendered by our template


def questions(course: Course, topic: Topic) -> list[Question]:
    """The topic's active questions with their active choices."""
    # Cached apart from the page: answering needs only these, and a page costs far more.
    key = f"{page_key(course, topic)}:questions"
    found = cache.get(key)
    if found is None:
        found = list(
            Question.objects.for_topic(topic).prefetch_related(
                Prefetch("choices", queryset=Choice.objects.active())
            )
        )
        cache.set(key, found, TIMEOUT)
    return found


def build_page(course: Course, topic: Topic) -> TopicPage:
    questions_ = questions(course, topic)
    previous_topic, next_topic = (
        TopicLink(t.get_absolute_url(), t.number, t.title) if t else None
        for t in Topic.objects.neighbours(topic)
    )
    return TopicPage(
        # A blank request: the diagrams in their default state, whatever this request asked.
        body_html=render_body(HttpRequest(), course, topic),
        questions=questions_,
        previous_topic=previous_topic,
        next_topic=next_topic,
        forms={q.pk: form_pieces(q) for q in questions_},
    )


def render_body(request: HttpRequest, course: Course, topic: Topic) -> str:
    """The topic's body with its diagrams, in the state the request's query string asks for."""
    # Page views load topics without their (cached) body; fetch it only when it is rendered.
    if topic.get_deferred_fields() & set(BODY_FIELDS):
        topic.refresh_from_db(fields=BODY_FIELDS)
    return render_to_string(
        f"{TOPIC_TEMPLATE}#topic-body", {"topic": topic, "course": course}, request=request
    )


@dataclass(frozen=True)
class _MarkedChoice:
    token: str
    text_html: str


@dataclass(frozen=True)
class _MarkedState:
    question: Question
    choices: list[_MarkedChoice] | list[Choice]
    nonce: str
    attempt: None = None
    error: str = ""
    answered: bool = False


def form_pieces(question: Question) -> list[str]:
    """The question's fresh form, split at its markers (see Markers)."""
    active = [c for c in question.choices.all() if c.is_active]

    def render(mark: Markers) -> str:
        # A diagram question's choices are in the diagram's order for everyone (all pinned):
        # only the nonce and the CSRF token differ between visitors.
        choices = active
        if not question.diagram:
            choices = [_MarkedChoice(mark("token", i), mark("text", i)) for i in range(len(active))]
        state = _MarkedState(question, choices, nonce=mark("nonce"))
        return render_to_string(
            f"{TOPIC_TEMPLATE}#question", {"state": state, "csrf_token": mark("csrf")}
        )

    return render_split(render)


def question_form(page: TopicPage, state, csrf_token: str) -> SafeString | None:
    """A fresh (unanswered, error-free) question form for this visitor, or None."""
    pieces = page.forms.get(state.question.pk)
    if pieces is None or state.attempt is not None or state.error:
        return None
    choices = [(c.token, c.text_html) for c in state.choices]
    return fill_form(pieces, state.nonce, csrf_token, choices)


def fill(pieces: list[str], value: Callable[[str, int], str]) -> str:
    """Join pieces split at markers, asking `value(name, index)` for each marker."""
    out = []
    # Markers.split gives [text, name, index, text, name, index, …, text].
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        out.append(value(pieces[i + 1], int(pieces[i + 2] or 0)))
    out.append(pieces[-1])
    return "".join(out)


def fill_form(
    pieces: list[str], nonce: str, csrf_token: str, choices: Sequence[tuple[str, str]]
) -> SafeString:
    """Form pieces with this visitor's nonce, CSRF token and (token, text_html, …) choices."""

    def value(name: str, index: int) -> str:
        if name == "token":
            return escape(choices[index][0])
        if name == "text":
            return choices[index][1]
        return escape(nonce if name == "nonce" else csrf_token)

    return mark_safe(fill(pieces, value))  # noqa: S308 - our template's output, values escaped


def content_version() -> str | None:
    """The content's version: changes with every load (each saves its courses), None if empty."""
    # Course.objects.aggregate(Count, Max) in raw SQL: building that query cost 25x running
    # it, on every page view.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX({quote('updated_at')}) "  # noqa: S608 - names from our model
            f"FROM {quote(Course._meta.db_table)}"
        )
        count, latest = cursor.fetchone()
    # Keys must stay memcached-safe: no spaces.
    return f"{count}:{latest}".replace(" ", "T") if count else None


@dataclass
class Answerable:
    """A question as the answer view needs it, and its topic's active question ids."""

    question: Question  # with its topic (body deferred), chapter, course and choices
    topic_question_ids: list[int]


def answerable(question_id: int) -> Answerable | None:
    """The question with its topic, chapter, course and choices; None if there is no such one.

    Cached per content version (one raw query), so answering builds no ORM query for it.
    """
    version = content_version()
    key = f"answerable:{version}:{question_id}"
    found = cache.get(key) if version else None
    if found is None:
        found = build_answerable(question_id)
        if found is not None and version:
            cache.set(key, found, TIMEOUT)
    return found


def build_answerable(question_id: int) -> Answerable | None:
    question = (
        Question.objects.select_related("topic__chapter", "topic__course")
        .defer(*(f"topic__{name}" for name in BODY_FIELDS))
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        return None
    topic = question.topic
    active = questions(topic.course, topic)
    ids = [q.pk for q in active]
    for known in active:
        if known.pk == question.pk:
            # The same row as of this content version, choices included: no second query.
            known.topic = topic
            return Answerable(known, ids)
    # Retired (its answer will be refused): read its choices.
    prefetch_related_objects(
        [question], Prefetch("choices", queryset=Choice.objects.order_by("position"))
    )
    return Answerable(question, ids)


def find_topic(course_slug: str, topic_slug: str) -> Topic | None:
    """The active topic with this slug in this active course (the view's lookup, one query)."""
    return (
        Topic.objects.in_order()
        .defer(*BODY_FIELDS)
        .filter(course__slug=course_slug, slug=topic_slug)
        .first()
    )
