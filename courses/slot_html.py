"""What fills a page's slots (courses/assembly.py): small fragments, each rendered once per
the few values it shows and kept in this process, and the fresh question form.
Each takes the page's interface language (read once per view: reading it costs more than a
kept fragment's lookup).

A fragment that holds a per-visitor value (the CSRF token of a form in it) is kept split at
it and filled per view. Keys carry the interface language and, where content shows, the
content version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape

from courses.fragments import Markers, fill, pieces, render_split
from courses.models import Topic
from quizzes.grading import choice_order, movable_places
from quizzes.models import Question
from quizzes.progress import LatestAttempt, QuestionState, TopicStatus

TOPIC_TEMPLATE = "courses/topic_detail.html"


def render_question(state: QuestionState, csrf: str) -> str:
    return render_to_string(f"{TOPIC_TEMPLATE}#question", {"state": state, "csrf_token": csrf})


def kept_fragment(key: str, render: Callable[[Markers], str], values: dict[str, str]) -> str:
    """A fragment rendered once per `key` by `render(mark)` with markers where per-visitor
    values go (a form's CSRF token, a log-in link's way back), kept split at them and filled
    from `values` (by marker name) on every view: no visitor is served another's values, and
    nothing a client sends becomes a key."""
    split = pieces.get_or_render(key, lambda: render_split(render))
    return fill(split, lambda name, _: values[name])


def answered_html(
    language: str,
    version: str,
    shown: list[int],
    latest: LatestAttempt,
    state: Callable[[], QuestionState],
    csrf: str,
) -> str:
    """An answered question's result, rendered from `state()` once per content version,
    choice order (`shown`: the choices' pks in this learner's order, which also names the
    question), picks, outcome and whether the answer was asked for."""
    picked = "-".join(str(pk) for pk in sorted(latest.picked))
    key = (
        f"answered:{version}:{language}:{'-'.join(map(str, shown))}:"
        f"{picked}:{latest.is_correct:d}{latest.revealed:d}"
    )
    return kept_fragment(key, lambda mark: render_question(state(), mark("csrf")), {"csrf": csrf})


def score_html(language: str, score: TopicStatus) -> str:
    """The score line, rendered once per distinct score (it shows nothing else)."""
    key = (
        f"score:{language}:{score.total}:{score.answered}:{score.solved}:"
        f"{score.first_right}:{score.status}"
    )
    return pieces.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score})
    )


def summary_html(
    language: str, version: str, topic: Topic, questions: list[Question], score: TopicStatus
) -> str:
    """The end-of-topic summary: the score, and which questions are still to answer right."""
    ids = ("-".join(map(str, sorted(ids))) for ids in (score.solved_ids, score.answered_ids))
    key = (
        f"summary:{version}:{topic.pk}:{language}:{score.total}:"
        f"{score.first_right}:{score.status}:{bool(score.read_at)}:{':'.join(ids)}"
    )
    context = {"score": score, "questions": questions, "topic": topic}
    return pieces.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-summary", context)
    )


def read_html(language: str, topic: Topic, score: TopicStatus, csrf: str) -> str:
    """ "Mark as read", or that it was (topics without questions)."""
    key = f"read:{language}:{topic.pk}:{bool(score.read_at)}"

    def render(mark: Markers) -> str:
        context = {"topic": topic, "score": score, "csrf_token": mark("csrf")}
        return render_to_string(f"{TOPIC_TEMPLATE}#read-status", context)

    return kept_fragment(key, render, {"csrf": csrf})


def review_link_html(language: str, count: int) -> str:
    """The header's review link with the due count, rendered once per language and count."""
    key = f"reviews:{language}:{count}"
    return pieces.get_or_render(
        key, lambda: render_to_string("base.html#review-link", {"reviews": {"count": count}})
    )


@dataclass(frozen=True)
class _Back:
    """Stands in for the request in the account links: its path is a marker."""

    path: str

    def get_full_path(self) -> str:
        return self.path


def account_html(language: str, request: HttpRequest, csrf: str, back: str) -> str:
    """The header's account links: the user's name and "Log out", or "Log in" and "Sign up"
    coming back to `back` (this page's address); rendered once per language and user."""
    user = request.user
    who = f"user:{user.get_username()}" if user.is_authenticated else "visitor"
    key = f"account:{language}:{who}"

    def render(mark: Markers) -> str:
        context = {"user": user, "request": _Back(mark("back")), "csrf_token": mark("csrf")}
        return render_to_string("base.html#account", context)

    # As the template's `urlencode` filter writes it (markers pass through it unchanged).
    back_html = escape(quote(back, safe="/"))
    return kept_fragment(key, render, {"csrf": csrf, "back": back_html})


def messages_html(request: HttpRequest) -> str:
    """Pending messages ("You are logged out"), shown once: rendered only when there are any."""
    if not get_messages(request):
        return ""
    return render_to_string("base.html#messages", request=request)


# -- the fresh question form -----------------------------------------------------------------


@dataclass(frozen=True)
class Offered:
    """A question's active choices as plain lists: a page view shuffles them, no more."""

    pks: list[int]
    tokens_html: list[str]  # escaped once, here
    texts: list[str]
    ids: list[bytes]  # what the order is keyed on: the tokens, encoded once
    movable: list[int]  # the places of the choices that are not pinned

    @classmethod
    def of(cls, question: Question) -> Offered:
        active = [c for c in question.choices.all() if c.is_active]
        return cls(
            [c.pk for c in active],
            [escape(c.token) for c in active],
            [c.text_html for c in active],
            [c.token.encode() for c in active],
            movable_places([c.pinned for c in active]),
        )

    def order(self, key: bytes) -> list[int]:
        """The choices' indices in the order the secret `key` gives them (one learner's):
        `shuffle_choices`'s order."""
        return choice_order(self.movable, self.ids, key)


def choices_in(offered: Offered, order: list[int]) -> Callable[[str, int], str | None]:
    """What a fresh form's choice markers take with the choices in `order` (None for its
    other markers: the nonce and the CSRF token)."""

    def value(name: str, n: int) -> str | None:
        if name == "token":
            return offered.tokens_html[order[n]]
        if name == "text":
            return offered.texts[order[n]]
        return None

    return value


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


def marked_state(question: Question, mark: Markers) -> _MarkedState:
    """A fresh form's state with markers for its nonce and its choices' tokens and texts."""
    active = [c for c in question.choices.all() if c.is_active]
    # A diagram question's choices are in the diagram's order for everyone (all pinned):
    # only the nonce and the CSRF token differ between visitors.
    choices = active
    if not question.diagram:
        choices = [_MarkedChoice(mark("token", i), mark("text", i)) for i in range(len(active))]
    return _MarkedState(question, choices, nonce=mark("nonce"))


def form_pieces(question: Question) -> list[str]:
    """The question's fresh form, split at its nonce, CSRF token and choices."""
    return render_split(lambda mark: render_question(marked_state(question, mark), mark("csrf")))
