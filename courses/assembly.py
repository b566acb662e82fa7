"""Topic pages, assembled: one shell per topic and content version, filled in per view.

A topic page is the same for every visitor but for a few places (slots): the CSRF token, the
header's account links and due-review count, pending messages, the body when a diagram's
state is in the query string, each question (a fresh form with its own nonce and choice
order, or this learner's result), the score line and the end-of-topic summary. The page is
rendered once per topic and content version with a marker in each slot (courses/fragments.py),
and every view — an anonymous first visit, a learner with answers, a signed-in user, a form
sent back with an error — fills the markers in for its visitor:

    topic_page → shell_for (kept) → TopicVisit(request, shell)
               → fill_bytes(shell.pieces, visit.slot)

What a slot shows that depends on a few values only (an answered question, a score line, the
account links) is itself rendered once per those values and kept (courses/slot_html.py). The
frame's slots (CSRF token, account links, messages, review count) are `PageVisit`'s, which
other assembled pages build on (the review page, quizzes/review_shell.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from config.csrf_tokens import get_token
from courses import slot_html
from courses.content_cache import find_topic, seen_content_version, topic_questions
from courses.fragments import (
    Markers,
    encode_text,
    fill,
    fill_bytes,
    fill_some,
    kept,
    render_split,
)
from courses.languages import use_course_language
from courses.models import Topic
from quizzes import clock
from quizzes.context_processors import DueReviews
from quizzes.learners import current_learner, order_seed
from quizzes.models import Question
from quizzes.progress import (
    QuestionState,
    TopicAttempts,
    TopicStatus,
    new_nonce,
    question_state,
    read_status,
)
from quizzes.progress import topic_attempts_and_due as attempts_and_due
from quizzes.visitors import order_key


@dataclass(frozen=True)
class TopicLink:
    """Just enough of a neighbouring topic for the pager."""

    url: str
    number: int
    title: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass
class Shell:
    """A whole topic page split at its slots, and what filling them needs from content."""

    version: str  # the content version it was built from
    topic: Topic  # with its chapter and course; body unread
    pieces: list  # text encoded (fragments.encode_text)
    questions: list[Question]
    forms: list[list[str]]  # each question's fresh form, split at its per-visitor values
    # Each question's active choices, as its fresh form shuffles them.
    offered: list[slot_html.Offered]
    body: bytes  # the body with its diagrams in their default state, encoded
    # The topic with its body, when it has diagrams: their state comes from the query string.
    diagram_topic: Topic | None = None
    # `pieces` with the slots that show progress filled as for a visitor who has none.
    newcomer_pieces: list = field(default_factory=list)
    # Fresh forms by question and choice order, filled in as this process meets them.
    ordered_forms: dict = field(default_factory=dict, repr=False)

    def fresh_form(self, index: int, order: list[int]) -> list[str]:
        """Question `index`'s fresh form with its choices in `order` (kept: four choices have
        24 orders; a question with very many keeps filling its choices in per view)."""
        key = (index, *order)
        found = self.ordered_forms.get(key)
        if found is None:
            choices = slot_html.choices_in(self.offered[index], order)
            found = fill_some(self.forms[index], choices)
            if len(self.ordered_forms) < MAX_ORDERED_FORMS:
                self.ordered_forms[key] = found
        return found


MAX_ORDERED_FORMS = 512  # per shell: 7 questions of 4 choices need 168


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
    visit = TopicVisit(request, shell, override)
    # A visitor with no progress: its slots come filled in the newcomers' frame.
    pieces = shell.newcomer_pieces if visit.learner is None else shell.pieces
    return HttpResponse(fill_bytes(pieces, visit.slot), status=status)


def shell_for(course_slug: str, topic_slug: str) -> Shell | None:
    """The topic's shell for the current content, kept; None if there is no such topic."""
    version = seen_content_version()
    if version is None:
        return None
    return kept(
        f"topic-shell:{version}:{course_slug}:{topic_slug}",
        lambda: build_shell(version, course_slug, topic_slug),
    )


# -- filling a shell for one visitor ---------------------------------------------------------


class PageVisit:
    """One view of an assembled page: what each slot shows this visitor, read when asked.

    The slots every page has are here (`csrf`, `account`, `messages`, `reviews`); a page's
    own slots are its subclass's `<name>_html` attributes or its `slot`.
    """

    def __init__(self, request: HttpRequest, back: str | None = None) -> None:
        self.request = request
        self.learner = current_learner(request)
        # Where the log-in and sign-up links come back to: this page.
        self.back = request.get_full_path() if back is None else back

    def slot(self, name: str, index: int) -> str:
        return getattr(self, f"{name}_html")

    @cached_property
    def seed(self) -> str:
        """The secret that orders this visitor's choices."""
        return order_seed(self.request)

    @cached_property
    def language(self) -> str:
        """The interface language, as the view activated it before filling the page."""
        return translation.get_language()

    @cached_property
    def csrf_html(self) -> str:
        return escape(get_token(self.request))

    @property
    def account_html(self) -> str:
        return slot_html.account_html(self.language, self.request, self.csrf_html, self.back)

    @property
    def messages_html(self) -> str:
        return slot_html.messages_html(self.request)

    @property
    def reviews_html(self) -> str:
        return slot_html.review_link_html(self.language, DueReviews(self.request).count)


def frame_markers(mark: Markers) -> dict:
    """The template context that puts the markers of every page's own slots in the frame
    (templates/base.html), as a visitor without an account would see it."""
    return {
        "user": AnonymousUser(),
        "csrf_token": mark("csrf"),
        **{
            f"{name}_html": mark_safe(mark(name))  # noqa: S308 - our markers
            for name in ("account", "messages", "reviews")
        },
    }


class TopicVisit(PageVisit):
    """A topic page's slots: its body, questions, score line, summary and read status."""

    def __init__(self, request: HttpRequest, shell: Shell, override: QuestionState | None):
        super().__init__(request)
        self.shell, self.override = shell, override
        # Diagrams read their state (?tier=, ?compare=…) and "Try again" (?retry=) from it.
        self.query = bool(request.META.get("QUERY_STRING"))

    def slot(self, name: str, index: int) -> str:
        if name == "question":
            return self.question(index)
        return super().slot(name, index)

    @cached_property
    def attempts(self) -> TopicAttempts:
        """Each question's latest attempt, the topic's score and the learner's due count, in
        one query once they have answered (the header asks first: it shows the count)."""
        return attempts_and_due(self.learner, self.shell.questions, clock.now())

    @property
    def reviews_html(self) -> str:
        if self.learner is None or not self.shell.questions:
            return super().reviews_html
        return slot_html.review_link_html(self.language, self.attempts.due)

    @cached_property
    def score(self) -> TopicStatus:
        if not self.shell.questions:
            return read_status(self.learner, self.shell.topic)
        return self.attempts.score

    @property
    def body_html(self) -> str | bytes:
        if self.query and self.shell.diagram_topic is not None:
            return render_body(self.request, self.shell.diagram_topic)
        return self.shell.body

    @property
    def score_html(self) -> str:
        return slot_html.score_html(self.language, self.score)

    @property
    def summary_html(self) -> str:
        shell = self.shell
        return slot_html.summary_html(
            self.language, shell.version, shell.topic, shell.questions, self.score
        )

    @property
    def read_html(self) -> str:
        return slot_html.read_html(self.language, self.shell.topic, self.score, self.csrf_html)

    def fresh_value(self, name: str, _: int) -> str:
        """What a fresh form fills in per view: a new nonce, the visitor's CSRF token."""
        return new_nonce() if name == "nonce" else self.csrf_html

    def question(self, index: int) -> str:
        question = self.shell.questions[index]
        if self.override is not None and self.override.question.pk == question.pk:
            return slot_html.render_question(self.override, self.csrf_html)
        latest = self.attempts.latest.get(question.pk)
        offered = self.shell.offered[index]
        order = offered.order(order_key(self.seed, question.pk))
        if latest is None or (self.query and self.request.GET.get("retry") == question.key):
            return fill(self.shell.fresh_form(index, order), self.fresh_value)
        return slot_html.answered_html(
            self.language,
            self.shell.version,
            [offered.pks[i] for i in order],
            latest,
            lambda: question_state(question, self.seed, latest),
            self.csrf_html,
        )


# -- building a shell ------------------------------------------------------------------------


def build_shell(version: str, course_slug: str, topic_slug: str) -> Shell | None:
    topic = find_topic(course_slug, topic_slug)
    if topic is None:
        return None
    questions = topic_questions(topic)
    # The body is read apart (the shell's topic is read without it): the shell keeps it
    # rendered, and keeps the row it is rendered from only when diagrams need it.
    full = Topic.objects.select_related("chapter", "course").get(pk=topic.pk)
    with translation.override(topic.course.language):
        shell = Shell(
            version=version,
            topic=topic,
            pieces=[],
            questions=questions,
            forms=[slot_html.form_pieces(q) for q in questions],
            offered=[slot_html.Offered.of(q) for q in questions],
            # A blank request: the diagrams in their default state.
            body=render_body(HttpRequest(), full).encode(),
            diagram_topic=full if full.diagrams else None,
        )
        split = render_split(lambda mark: render_shell(shell, mark))
        shell.pieces = encode_text(split)
        newcomers = newcomer_slots(shell, translation.get_language())
        shell.newcomer_pieces = encode_text(fill_some(split, lambda name, _: newcomers.get(name)))
    return shell


def newcomer_slots(shell: Shell, language: str) -> dict[str, str]:
    """What the slots showing progress hold for a visitor who has none (no learner yet):
    the same for every such visitor, so filled in once per shell (in its course's language,
    the one every view of the topic speaks)."""
    score = TopicStatus(total=len(shell.questions))  # what TopicVisit reads for them
    return {
        "score": slot_html.score_html(language, score),
        "summary": slot_html.summary_html(
            language, shell.version, shell.topic, shell.questions, score
        ),
        "reviews": slot_html.review_link_html(language, 0),
    }


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
    slots = ("body", "score", "summary", "read")
    return render_to_string(
        slot_html.TOPIC_TEMPLATE,
        {
            **frame_markers(mark),
            **{f"{name}_html": mark_safe(mark(name)) for name in slots},  # noqa: S308 - markers
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
    return render_to_string(f"{slot_html.TOPIC_TEMPLATE}#topic-body", context, request=request)
