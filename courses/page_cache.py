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
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Subquery, prefetch_related_objects
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.models import Course, Topic
from quizzes.grading import shuffle_choices
from quizzes.learners import current_learner, shuffle_seed
from quizzes.models import Choice, Question
from quizzes.progress import TopicStatus, question_state, topic_attempts

# Old entries are unreachable (not wrong) after a load; the timeout only bounds memory.
TIMEOUT = 24 * 3600
TOPIC_TEMPLATE = "courses/topic_detail.html"
# What only the cached body needs: page views can leave these columns unread.
BODY_FIELDS = ["body_html", "diagrams"]
# NUL never comes from content: YAML refuses it in front matter and the HTML sanitizer drops
# it from rendered Markdown, so it can only be one of our markers.
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
    choices = [(c.token, c.text_html) for c in state.choices]
    return fill_form(pieces, state.nonce, csrf_token, choices)


def fill_form(
    pieces: list[str], nonce: str, csrf_token: str, choices: list[tuple[str, str]]
) -> SafeString:
    """Form pieces with this visitor's nonce, CSRF token and (token, text_html) choices."""
    out = []
    # MARK_RE.split gives [text, name, index, text, name, index, …, text].
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        name, index = pieces[i + 1], pieces[i + 2]
        if name == "token":
            out.append(escape(choices[int(index)][0]))
        elif name == "text":
            out.append(choices[int(index)][1])
        elif name == "nonce":
            out.append(escape(nonce))
        else:
            out.append(escape(csrf_token))
    out.append(pieces[-1])
    return mark_safe("".join(out))  # noqa: S308 - our template's output, values escaped


# Visitors without an account see the same page as each other but for the CSRF token, the
# questions (fresh forms with their own nonces and choice order, or their answers) and the
# score. For them the whole page is rendered once per topic and content version with a
# marker in each of those places, and filled in per view.
SHELL_RE = re.compile(f"{MARK}([a-z]+)([0-9]*){MARK}")


@dataclass
class Shell:
    """A whole topic page for visitors without an account, split at its markers."""

    chapter_slug: str
    pieces: list[str]
    questions_key: str  # where page_cache.questions() keeps this topic's questions
    score_html: str  # the score line of a visitor who has answered nothing
    forms: list[list[str]]  # each question's fresh form, in pieces (see form_pieces)
    # Per question: its pk and its active choices as (token, text_html, pinned), in order.
    offered: list[tuple[int, list[tuple[str, str, bool]]]]


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


def visitor_page(request: HttpRequest, chapter_slug: str, topic_slug: str) -> str | None:
    """The topic page for a visitor without an account, or None when it must be rendered."""
    if request.META.get("QUERY_STRING") or request.user.is_authenticated:
        return None
    version = content_version()
    if version is None:
        return None
    key = f"topic-shell:{version}:{topic_slug}"
    shell = shells.get_or_render(key, lambda: cache.get(key))
    if shell is None:
        topic = find_topic(topic_slug)
        if topic is None:
            return None
        shell = build_shell(topic)
        cache.set(key, shell, TIMEOUT)
    if shell.chapter_slug != chapter_slug:
        return None  # the view redirects
    learner = current_learner(request)
    if learner is None:
        return fill_shell(request, shell, {}, None)
    questions_ = shells.get_or_render(shell.questions_key, lambda: cache.get(shell.questions_key))
    if not questions_:
        return None  # evicted, or a topic marked as read instead: render it
    latest, score = topic_attempts(learner, questions_)
    if not latest:
        return fill_shell(request, shell, {}, None)
    seed = shuffle_seed(request)
    answered = {
        q.pk: answered_html(version, question_state(q, seed, latest[q.pk]))
        for q in questions_
        if q.pk in latest
    }
    return fill_shell(request, shell, answered, score_html(score))


class ProcessLRU:
    """Values that depend only on their key, kept in this process (least recently used go).

    Fragments are not put in the shared cache: there are many small ones, and a bounded cache
    (locmem keeps 300) would evict the page shells for them. Shells and question lists are
    also kept here in front of the shared cache: their keys carry the content version, so a
    kept value is never stale, and a page view no longer unpickles 25 KB. Values are shared
    between requests: callers never mutate them.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()  # runserver and threaded servers share the process

    def get_or_render(self, key: str, render):
        """The kept value, else `render()`'s (kept unless None)."""
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
                return html
        html = render()
        if html is None:
            return None
        with self.lock:
            self.entries[key] = html
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return html


fragments = ProcessLRU(4096)
shells = ProcessLRU(256)  # ~25 KB each


def answered_html(version: str, state) -> str:
    """An answered question's result, rendered once per content version, question, choice
    order, picks and outcome: nothing else on it is per learner (no form, no token)."""
    order = "-".join(str(c.pk) for c in state.choices)
    picked = "-".join(str(pk) for pk in sorted(state.picked))
    key = f"answered:{version}:{state.question.pk}:{order}:{picked}:{state.attempt.is_correct:d}"
    return fragments.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#question", {"state": state})
    )


def score_html(score: TopicStatus) -> str:
    """The score line, rendered once per distinct score (it shows nothing else)."""
    key = f"score:{score.total}:{score.answered}:{score.first_right}:{score.status}"
    return fragments.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score})
    )


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


@dataclass(frozen=True)
class _SlotState:
    question: Question
    prerendered: str


def build_shell(topic: Topic) -> Shell:
    course = topic.course
    page = topic_page(course, topic)
    states, offered = [], []
    for n, question in enumerate(page.questions):
        choices = [c for c in question.choices.all() if c.is_active]
        offered.append((question.pk, [(c.token, c.text_html, c.pinned) for c in choices]))
        states.append(_SlotState(question, mark_safe(f"{MARK}question{n}{MARK}")))  # noqa: S308
    score = TopicStatus(total=len(states))
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
            "score": score,
            "score_html": mark_safe(f"{MARK}score{MARK}"),  # noqa: S308
            "previous_topic": page.previous_topic,
            "next_topic": page.next_topic,
        },
    )
    return Shell(
        chapter_slug=topic.chapter.slug,
        pieces=SHELL_RE.split(html),
        questions_key=f"{page_key(course, topic)}:questions",
        score_html=render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score}),
        forms=[page.forms[q.pk] for q in page.questions],
        offered=offered,
    )


def fill_shell(
    request: HttpRequest, shell: Shell, answered: dict[int, str], score_html: str | None
) -> str:
    """The shell with this visitor's CSRF token, score and questions (fresh or answered)."""
    seed = shuffle_seed(request)
    csrf = get_token(request)
    pieces = shell.pieces
    out = []
    # SHELL_RE.split gives [text, name, index, text, name, index, …, text].
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        name, index = pieces[i + 1], pieces[i + 2]
        if name == "csrf":
            out.append(escape(csrf))
        elif name == "score":
            out.append(score_html or shell.score_html)
        else:
            pk, choices = shell.offered[int(index)]
            if pk in answered:
                out.append(answered[pk])
                continue
            order = shuffle_choices(choices, [c[2] for c in choices], f"{seed}:{pk}")
            nonce = secrets.token_hex(12)
            out.append(fill_form(shell.forms[int(index)], nonce, csrf, order))
    out.append(pieces[-1])
    return "".join(out)
