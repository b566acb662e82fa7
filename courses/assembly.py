"""Topic pages, assembled: one shell per topic and content version, filled in per view.

A topic page is the same for every visitor but for a few places (slots): the CSRF token, the
header's account links and due-review count, pending messages, the body when a diagram's
state is in the query string, each question (a fresh form with its own nonce and choice
order, or this learner's result), the score line and the end-of-topic summary. The page is
rendered once per topic and content version with a marker in each slot (courses/fragments.py),
and every view — an anonymous first visit, a learner with answers, a signed-in user, a form
sent back with an error — fills the markers in for its visitor:

    topic_page → shell_for (kept) → Visit(request, shell) → fill(shell.pieces, visit.slot)

What a slot shows that depends on a few values only (an answered question, a score line, the
account links) is itself rendered once per those values and kept in this process.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from courses.content_cache import content_version, find_topic, topic_questions
from courses.fragments import Markers, fill, kept, pieces, render_split
from courses.languages import use_course_language
from courses.models import Topic
from quizzes.context_processors import DueReviews
from quizzes.grading import shuffle_choices
from quizzes.learners import current_learner, order_seed
from quizzes.models import Question
from quizzes.progress import QuestionState, TopicStatus, question_state, read_status
from quizzes.progress import topic_attempts as attempts_of
from quizzes.visitors import order_key

TOPIC_TEMPLATE = "courses/topic_detail.html"


@dataclass(frozen=True)
class TopicLink:
    """Just enough of a neighbouring topic for the pager."""

    url: str
    number: int
    title: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(frozen=True)
class Offered:
    """A question's active choices as plain lists: a page view shuffles them, no more."""

    tokens: list[str]
    tokens_html: list[str]  # escaped once, here
    texts: list[str]
    pinned: list[bool]

    @classmethod
    def of(cls, question: Question) -> Offered:
        active = [c for c in question.choices.all() if c.is_active]
        return cls(
            [c.token for c in active],
            [escape(c.token) for c in active],
            [c.text_html for c in active],
            [c.pinned for c in active],
        )


@dataclass
class Shell:
    """A whole topic page split at its slots, and what filling them needs from content."""

    version: str  # the content version it was built from
    topic: Topic  # with its chapter and course; body unread
    pieces: list[str]
    questions: list[Question]
    forms: list[list[str]]  # each question's fresh form, split at its per-visitor values
    offered: list[Offered]  # each question's active choices, as its fresh form shuffles them
    body_html: str  # the body with its diagrams in their default state
    # The topic with its body, when it has diagrams: their state comes from the query string.
    diagram_topic: Topic | None = None


# -- the page view ---------------------------------------------------------------------------


def topic_page(
    request: HttpRequest, course_slug: str, chapter_slug: str, topic_slug: str
) -> HttpResponse:
    """The topic page for any visitor; a topic that moved chapter redirects."""
    shell = shell_for(course_slug, topic_slug)
    if shell is None:
        raise Http404("No such topic.")
    if shell.topic.chapter.slug != chapter_slug:
        return redirect(shell.topic, permanent=True)  # keep old links working
    return respond(request, shell)


def topic_response(
    request: HttpRequest, topic: Topic, override: QuestionState | None = None, status: int = 200
) -> HttpResponse:
    """The whole page of `topic`, with `override` as one question's state (a form sent back
    with an error, or a result, for browsers without JavaScript)."""
    shell = shell_for(topic.course.slug, topic.slug)
    if shell is None:
        raise Http404("No such topic.")
    return respond(request, shell, override, status)


def respond(
    request: HttpRequest, shell: Shell, override: QuestionState | None = None, status: int = 200
) -> HttpResponse:
    use_course_language(request, shell.topic.course)
    visit = Visit(request, shell, override)
    return HttpResponse(fill(shell.pieces, visit.slot), status=status)


def shell_for(course_slug: str, topic_slug: str) -> Shell | None:
    """The topic's shell for the current content, kept; None if there is no such topic."""
    version = content_version()
    if version is None:
        return None
    return kept(
        f"topic-shell:{version}:{course_slug}:{topic_slug}",
        lambda: build_shell(version, course_slug, topic_slug),
    )


# -- filling a shell for one visitor ---------------------------------------------------------


class Visit:
    """One view of a shell: what each slot shows this visitor, read when it is asked for."""

    def __init__(self, request: HttpRequest, shell: Shell, override: QuestionState | None):
        self.request, self.shell, self.override = request, shell, override
        self.learner = current_learner(request)
        # Diagrams read their state (?tier=, ?compare=…) and "Try again" (?retry=) from it.
        self.query = bool(request.META.get("QUERY_STRING"))

    def slot(self, name: str, index: int) -> str:
        if name == "question":
            return self.question(index)
        return getattr(self, f"{name}_html")

    @cached_property
    def seed(self) -> str:
        """The secret that orders this visitor's choices."""
        return order_seed(self.request)

    @cached_property
    def csrf_html(self) -> str:
        return escape(get_token(self.request))

    @cached_property
    def attempts(self):
        """Each question's latest attempt and the topic's score (one query once answered)."""
        return attempts_of(self.learner, self.shell.questions)

    @cached_property
    def score(self) -> TopicStatus:
        if not self.shell.questions:
            return read_status(self.learner, self.shell.topic)
        return self.attempts[1]

    @property
    def body_html(self) -> str:
        if self.query and self.shell.diagram_topic is not None:
            return render_body(self.request, self.shell.diagram_topic)
        return self.shell.body_html

    @property
    def account_html(self) -> str:
        return account_html(self.request, self.csrf_html)

    @property
    def messages_html(self) -> str:
        if not get_messages(self.request):
            return ""
        return render_to_string("base.html#messages", request=self.request)

    @property
    def reviews_html(self) -> str:
        return review_link_html(DueReviews(self.request).count)

    @property
    def score_html(self) -> str:
        return score_html(self.score)

    @property
    def summary_html(self) -> str:
        return summary_html(self.shell, self.score)

    @property
    def read_html(self) -> str:
        return read_html(self.shell.topic, self.score, self.csrf_html)

    def question(self, index: int) -> str:
        question = self.shell.questions[index]
        if self.override is not None and self.override.question.pk == question.pk:
            return render_question(self.override, self.csrf_html)
        latest = self.attempts[0].get(question.pk)
        if latest is None or (self.query and self.request.GET.get("retry") == question.key):
            return self.fresh_form(index)
        state = question_state(question, self.seed, latest)
        return fill(answered_pieces(self.shell.version, state), lambda *_: self.csrf_html)

    def fresh_form(self, index: int) -> str:
        offered = self.shell.offered[index]
        key = order_key(self.seed, self.shell.questions[index].pk)
        order = shuffle_choices(range(len(offered.tokens)), offered.pinned, offered.tokens, key)

        def value(name: str, n: int) -> str:
            if name == "token":
                return offered.tokens_html[order[n]]
            if name == "text":
                return offered.texts[order[n]]
            return secrets.token_hex(12) if name == "nonce" else self.csrf_html

        return fill(self.shell.forms[index], value)


# -- kept fragments --------------------------------------------------------------------------


def render_question(state: QuestionState, csrf: str) -> str:
    return render_to_string(f"{TOPIC_TEMPLATE}#question", {"state": state, "csrf_token": csrf})


def answered_pieces(version: str, state: QuestionState) -> list[str]:
    """An answered question's result, rendered once per content version, choice order,
    picks, outcome and whether the answer was asked for, split at its CSRF token (of its
    "Show answer" form)."""
    order = "-".join(str(c.pk) for c in state.choices)
    picked = "-".join(str(pk) for pk in sorted(state.picked))
    outcome = f"{state.attempt.is_correct:d}{state.revealed:d}"
    key = (
        f"answered:{version}:{translation.get_language()}:{state.question.pk}:"
        f"{order}:{picked}:{outcome}"
    )
    return pieces.get_or_render(
        key, lambda: render_split(lambda mark: render_question(state, mark("csrf")))
    )


def score_html(score: TopicStatus) -> str:
    """The score line, rendered once per distinct score (it shows nothing else)."""
    key = (
        f"score:{translation.get_language()}:{score.total}:{score.answered}:{score.solved}:"
        f"{score.first_right}:{score.status}"
    )
    return pieces.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score})
    )


def summary_html(shell: Shell, score: TopicStatus) -> str:
    """The end-of-topic summary: the score, and which questions are still to answer right."""
    ids = ("-".join(map(str, sorted(ids))) for ids in (score.solved_ids, score.answered_ids))
    key = (
        f"summary:{shell.version}:{shell.topic.pk}:{translation.get_language()}:{score.total}:"
        f"{score.first_right}:"
        f"{score.status}:{bool(score.read_at)}:{':'.join(ids)}"
    )
    context = {"score": score, "questions": shell.questions, "topic": shell.topic}
    return pieces.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-summary", context)
    )


def read_html(topic: Topic, score: TopicStatus, csrf: str) -> str:
    """ "Mark as read", or that it was (topics without questions)."""
    key = f"read:{translation.get_language()}:{topic.pk}:{bool(score.read_at)}"

    def render(mark: Markers) -> str:
        context = {"topic": topic, "score": score, "csrf_token": mark("csrf")}
        return render_to_string(f"{TOPIC_TEMPLATE}#read-status", context)

    return fill(pieces.get_or_render(key, lambda: render_split(render)), lambda *_: csrf)


def review_link_html(count: int) -> str:
    """The header's review link with the due count, rendered once per language and count."""
    key = f"reviews:{translation.get_language()}:{count}"
    return pieces.get_or_render(
        key, lambda: render_to_string("base.html#review-link", {"reviews": {"count": count}})
    )


def account_html(request: HttpRequest, csrf: str) -> str:
    """The header's account links: the user's name and "Log out", or "Log in" and "Sign up"
    coming back to this page; rendered once per language and user or page."""
    user = request.user
    # Visitors' links come back to this page; a user's name is the same on every page.
    who = f"user:{user.get_username()}" if user.is_authenticated else request.get_full_path()
    key = f"account:{translation.get_language()}:{who}"

    def render(mark: Markers) -> str:
        context = {"user": user, "request": request, "csrf_token": mark("csrf")}
        return render_to_string("base.html#account", context)

    return fill(pieces.get_or_render(key, lambda: render_split(render)), lambda *_: csrf)


# -- building a shell ------------------------------------------------------------------------


def build_shell(version: str, course_slug: str, topic_slug: str) -> Shell | None:
    topic = find_topic(course_slug, topic_slug)
    if topic is None:
        return None
    questions = topic_questions(topic)
    # The body is read once, here: the shell keeps it rendered, and keeps the rows it is
    # rendered from only when diagrams need them.
    full = Topic.objects.select_related("chapter", "course").get(pk=topic.pk)
    with translation.override(topic.course.language):
        shell = Shell(
            version=version,
            topic=topic,
            pieces=[],
            questions=questions,
            forms=[form_pieces(q) for q in questions],
            offered=[Offered.of(q) for q in questions],
            # A blank request: the diagrams in their default state.
            body_html=render_body(HttpRequest(), full),
            diagram_topic=full if full.diagrams else None,
        )
        shell.pieces = render_split(lambda mark: render_shell(shell, mark))
    return shell


@dataclass(frozen=True)
class _SlotState:
    question: Question
    prerendered: str


def render_shell(shell: Shell, mark: Markers) -> str:
    topic = shell.topic
    previous_topic, next_topic = (
        TopicLink(t.get_absolute_url(), t.number, t.title) if t else None
        for t in Topic.objects.neighbours(topic)
    )
    slots = ("csrf", "account", "messages", "reviews", "body", "score", "summary", "read")
    context = {name: mark_safe(mark(name)) for name in slots}  # noqa: S308 - our markers
    return render_to_string(
        TOPIC_TEMPLATE,
        {
            "user": AnonymousUser(),
            "csrf_token": context.pop("csrf"),
            **{f"{name}_html": value for name, value in context.items()},
            "course": topic.course,
            "topic": topic,
            "states": [
                _SlotState(q, mark_safe(mark("question", n)))  # noqa: S308 - our marker
                for n, q in enumerate(shell.questions)
            ],
            "questions": shell.questions,
            "previous_topic": previous_topic,
            "next_topic": next_topic,
        },
    )


def render_body(request: HttpRequest, topic: Topic) -> str:
    """The topic's body with its diagrams, in the state the request's query string asks for."""
    context = {"topic": topic, "course": topic.course}
    return render_to_string(f"{TOPIC_TEMPLATE}#topic-body", context, request=request)


@dataclass(frozen=True)
class _MarkedChoice:
    token: str
    text_html: str


@dataclass(frozen=True)
class _MarkedState:
    question: Question
    choices: list
    nonce: str
    attempt: None = None
    error: str = ""
    answered: bool = False


def form_pieces(question: Question) -> list[str]:
    """The question's fresh form, split at its nonce, CSRF token and choices."""
    active = [c for c in question.choices.all() if c.is_active]

    def render(mark: Markers) -> str:
        # A diagram question's choices are in the diagram's order for everyone (all pinned):
        # only the nonce and the CSRF token differ between visitors.
        choices = active
        if not question.diagram:
            choices = [_MarkedChoice(mark("token", i), mark("text", i)) for i in range(len(active))]
        state = _MarkedState(question, choices, nonce=mark("nonce"))
        return render_question(state, mark("csrf"))

    return render_split(render)
