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
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Subquery
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Course, Topic
from quizzes.grading import shuffle_choices
from quizzes.learners import current_learner, shuffle_seed
from quizzes.models import Choice, Question
from quizzes.progress import TopicStatus

# Old entries are unreachable (not wrong) after a load; the timeout only bounds memory.
TIMEOUT = 24 * 3600
TOPIC_TEMPLATE = "courses/topic_detail.html"
# What only the cached body needs: page views can leave these columns unread.
BODY_FIELDS = ["body_html", "diagrams"]
MARK = "\x00"
MARK_RE = re.compile(f"{MARK}([a-z]+)([0-9]*){MARK}")


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
    choices: list[_MarkedChoice]
    nonce: str = f"{MARK}nonce{MARK}"
    attempt: None = None
    error: str = ""
    answered: bool = False


def form_pieces(question: Question) -> list[str]:
    """The question's fresh form, split at its markers (see MARK_RE)."""
    count = sum(1 for c in question.choices.all() if c.is_active)
    choices = [_MarkedChoice(f"{MARK}token{i}{MARK}", f"{MARK}text{i}{MARK}") for i in range(count)]
    html = render_to_string(
        f"{TOPIC_TEMPLATE}#question",
        {"state": _MarkedState(question, choices), "csrf_token": f"{MARK}csrf{MARK}"},
    )
    return MARK_RE.split(html)


def question_form(page: TopicPage, state, csrf_token: str) -> SafeString | None:
    """A fresh (unanswered, error-free) question form for this visitor, or None."""
    pieces = page.forms.get(state.question.pk)
    if pieces is None or state.attempt is not None or state.error:
        return None
    values = {"csrf": csrf_token, "nonce": state.nonce}
    out = []
    # MARK_RE.split gives [text, name, index, text, name, index, …, text].
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        name, index = pieces[i + 1], pieces[i + 2]
        if name == "token":
            out.append(escape(state.choices[int(index)].token))
        elif name == "text":
            out.append(state.choices[int(index)].text_html)
        else:
            out.append(escape(values[name]))
    out.append(pieces[-1])
    return mark_safe("".join(out))  # noqa: S308 - our template's output, values escaped


# A visitor with no learner yet (no account, no answers) sees the same page as every other
# such visitor but for the CSRF token, the nonces and the choice order. For them the whole
# page is rendered once per topic and content version, with markers, and filled in per view.
SHELL_RE = re.compile(f"{MARK}([a-z]+)([0-9.]*){MARK}")


@dataclass
class Shell:
    """A whole topic page for visitors without a learner, split at its markers."""

    chapter_slug: str
    pieces: list[str]
    # Per question: its pk and its active choices as (token, text_html, pinned), in order.
    questions: list[tuple[int, list[tuple[str, str, bool]]]]


def content_version() -> str | None:
    """The current course and its last load (every load saves the course row), or None."""
    # The same as Course.objects.active().order_by("pk").values_list("pk", "updated_at")
    # .first(), in raw SQL: building that query cost 25x running it, on every page view.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('id')}, {quote('updated_at')} FROM {quote(Course._meta.db_table)} "  # noqa: S608 - names from our model
            f"WHERE {quote('is_active')} ORDER BY {quote('id')} LIMIT 1"
        )
        row = cursor.fetchone()
    # Keys must stay memcached-safe: no spaces.
    return f"{row[0]}:{row[1]}".replace(" ", "T") if row else None


def visitor_page(request: HttpRequest, chapter_slug: str, topic_slug: str) -> str | None:
    """The topic page for a visitor without a learner, or None when it has to be rendered."""
    if request.META.get("QUERY_STRING") or request.user.is_authenticated:
        return None
    if current_learner(request) is not None:
        return None
    version = content_version()
    if version is None:
        return None
    key = f"topic-shell:{version}:{topic_slug}"
    shell = cache.get(key)
    if shell is None:
        topic = find_topic(topic_slug)
        if topic is None:
            return None
        shell = build_shell(topic)
        cache.set(key, shell, TIMEOUT)
    if shell.chapter_slug != chapter_slug:
        return None  # the view redirects
    return fill_shell(request, shell)


def find_topic(topic_slug: str) -> Topic | None:
    """The active topic with this slug in the current course (the view's lookup)."""
    first_course = Course.objects.active().order_by("pk").values("pk")[:1]
    return (
        Topic.objects.in_order()
        .select_related("course")
        .defer(*BODY_FIELDS)
        .filter(course=Subquery(first_course), slug=topic_slug)
        .first()
    )


def build_shell(topic: Topic) -> Shell:
    course = topic.course
    page = topic_page(course, topic)
    states, offered = [], []
    for n, question in enumerate(page.questions):
        choices = [c for c in question.choices.all() if c.is_active]
        offered.append((question.pk, [(c.token, c.text_html, c.pinned) for c in choices]))
        marked = [
            _MarkedChoice(f"{MARK}token{n}.{i}{MARK}", f"{MARK}text{n}.{i}{MARK}")
            for i in range(len(choices))
        ]
        states.append(_MarkedState(question, marked, nonce=f"{MARK}nonce{n}{MARK}"))
    blank = HttpRequest()
    blank.path = blank.path_info = topic.get_absolute_url()
    html = render_to_string(
        TOPIC_TEMPLATE,
        {
            # What the context processors give a visitor without an account.
            "request": blank,
            "user": AnonymousUser(),
            "csrf_token": f"{MARK}csrf{MARK}",
            "course": course,
            "topic": topic,
            "body_html": mark_safe(page.body_html),  # noqa: S308 - our template's output
            "states": states,
            "score": TopicStatus(total=len(states)),
            "previous_topic": page.previous_topic,
            "next_topic": page.next_topic,
        },
    )
    return Shell(topic.chapter.slug, SHELL_RE.split(html), offered)


def fill_shell(request: HttpRequest, shell: Shell) -> str:
    """The shell with this visitor's CSRF token, fresh nonces and choice order."""
    seed = shuffle_seed(request)
    orders = [
        shuffle_choices(choices, [c[2] for c in choices], f"{seed}:{pk}")
        for pk, choices in shell.questions
    ]
    csrf = escape(get_token(request))
    pieces = shell.pieces
    out = []
    # SHELL_RE.split gives [text, name, index, text, name, index, …, text].
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        name, index = pieces[i + 1], pieces[i + 2]
        if name == "csrf":
            out.append(csrf)
        elif name == "nonce":
            out.append(secrets.token_hex(12))
        else:
            q, c = index.split(".")
            token, text_html, _ = orders[int(q)][int(c)]
            out.append(escape(token) if name == "token" else text_html)
    out.append(pieces[-1])
    return "".join(out)
