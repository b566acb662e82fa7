"""Whole topic pages for visitors without an account, rendered once and filled in per view.

Built on the content pieces of courses/page_cache.py; see that module for the cache keys.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from courses.languages import use_course_language
from courses.models import Topic
from courses.page_cache import (
    TIMEOUT,
    TOPIC_TEMPLATE,
    Markers,
    content_version,
    fill,
    fill_form,
    find_topic,
    page_key,
    render_split,
    topic_page,
)
from quizzes.context_processors import DueReviews
from quizzes.grading import shuffle_choices
from quizzes.learners import current_learner, order_seed
from quizzes.models import Question
from quizzes.progress import TopicStatus, question_state, topic_attempts
from quizzes.visitors import order_key

# Visitors without an account see the same page as each other but for the CSRF token, the
# questions (fresh forms with their own nonces and choice order, or their answers) and the
# score. For them the whole page is rendered once per topic and content version with a
# marker in each of those places, and filled in per view.


@dataclass
class Shell:
    """A whole topic page for visitors without an account, split at its markers."""

    chapter_slug: str
    language: str  # the course's: the shell's text is in it, and so must be what fills it
    pieces: list[str]
    questions_key: str  # where page_cache.questions() keeps this topic's questions
    score_html: str  # the score line of a visitor who has answered nothing
    summary_html: str  # the end-of-topic summary of a visitor who has answered nothing
    forms: list[list[str]]  # each question's fresh form, in pieces (see form_pieces)
    # Per question: its pk and its active choices as (token, text_html, pinned), in order.
    offered: list[tuple[int, list[tuple[str, str, bool]]]]


def visitor_page(
    request: HttpRequest, course_slug: str, chapter_slug: str, topic_slug: str
) -> str | None:
    """The topic page for a visitor without an account, or None when it must be rendered."""
    # A pending message ("You are logged out") is shown once, by a page rendered for it.
    if request.META.get("QUERY_STRING") or request.user.is_authenticated or get_messages(request):
        return None
    version = content_version()
    if version is None:
        return None
    key = f"topic-shell:{version}:{course_slug}:{topic_slug}"
    shell = shells.get_or_render(key, lambda: cache.get(key))
    if shell is None:
        topic = find_topic(course_slug, topic_slug)
        if topic is None:
            return None
        use_course_language(request, topic.course)
        shell = build_shell(topic)
        cache.set(key, shell, TIMEOUT)
    if shell.chapter_slug != chapter_slug:
        return None  # the view redirects
    use_course_language(request, shell.language)
    learner = current_learner(request)
    if learner is None:
        return fill_shell(request, shell, {}, None)
    questions_ = shells.get_or_render(shell.questions_key, lambda: cache.get(shell.questions_key))
    if not questions_:
        return None  # evicted, or a topic marked as read instead: render it
    latest, score = topic_attempts(learner, questions_)
    if not latest:
        return fill_shell(request, shell, {}, None)
    seed = order_seed(request)
    answered = {
        q.pk: answered_pieces(version, question_state(q, seed, latest[q.pk]))
        for q in questions_
        if q.pk in latest
    }
    learner_parts = (score_html(score), summary_html(version, score, questions_))
    return fill_shell(request, shell, answered, learner_parts)


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


def answered_pieces(version: str, state) -> list[str]:
    """An answered question's result, rendered once per content version, question, choice
    order, picks, outcome and whether the answer was asked for, and split at its one
    per-visitor value, the CSRF token of its "Show answer" form."""
    order = "-".join(str(c.pk) for c in state.choices)
    picked = "-".join(str(pk) for pk in sorted(state.picked))
    outcome = f"{state.attempt.is_correct:d}{state.revealed:d}"
    key = f"answered:{version}:{state.question.pk}:{order}:{picked}:{outcome}"

    def render() -> list[str]:
        return render_split(
            lambda mark: render_to_string(
                f"{TOPIC_TEMPLATE}#question", {"state": state, "csrf_token": mark("csrf")}
            )
        )

    return fragments.get_or_render(key, render)


def score_html(score: TopicStatus) -> str:
    """The score line, rendered once per distinct score (it shows nothing else)."""
    key = (
        f"score:{get_language()}:{score.total}:{score.answered}:{score.solved}:"
        f"{score.first_right}:{score.status}"
    )
    return fragments.get_or_render(
        key, lambda: render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score})
    )


def summary_html(version: str, score: TopicStatus, questions_: list[Question]) -> str:
    """The end-of-topic summary: the score, and which questions are still to answer right."""
    ids = ("-".join(map(str, sorted(ids))) for ids in (score.solved_ids, score.answered_ids))
    key = (
        f"summary:{version}:{get_language()}:{questions_[0].topic_id}:{score.total}:"
        f"{score.first_right}:{score.status}:{':'.join(ids)}"
    )
    return fragments.get_or_render(
        key,
        lambda: render_to_string(
            f"{TOPIC_TEMPLATE}#topic-summary", {"score": score, "questions": questions_}
        ),
    )


def review_link_html(request: HttpRequest) -> str:
    """The header's review link with this visitor's due count (one query once they answered),
    rendered once per language and count."""
    count = DueReviews(request).count
    key = f"reviews:{get_language()}:{count}"
    return fragments.get_or_render(
        key, lambda: render_to_string("base.html#review-link", {"reviews": {"count": count}})
    )


@dataclass(frozen=True)
class _SlotState:
    question: Question
    prerendered: str


def build_shell(topic: Topic) -> Shell:
    course = topic.course
    page = topic_page(course, topic)
    offered = []
    for question in page.questions:
        choices = [c for c in question.choices.all() if c.is_active]
        offered.append((question.pk, [(c.token, c.text_html, c.pinned) for c in choices]))
    score = TopicStatus(total=len(page.questions))
    blank = HttpRequest()
    blank.path = blank.path_info = topic.get_absolute_url()

    def render(mark: Markers) -> str:
        states = [
            _SlotState(question, mark_safe(mark("question", n)))  # noqa: S308 - our marker
            for n, question in enumerate(page.questions)
        ]
        return render_to_string(
            TOPIC_TEMPLATE,
            {
                # What the context processors give a visitor without an account.
                "request": blank,
                "user": AnonymousUser(),
                "csrf_token": mark("csrf"),
                "course": course,
                "topic": topic,
                "body_html": mark_safe(page.body_html),  # noqa: S308 - our template's output
                "states": states,
                "score": score,
                "score_html": mark_safe(mark("score")),  # noqa: S308 - our marker
                "summary_html": mark_safe(mark("summary")),  # noqa: S308 - our marker
                "reviews_html": mark_safe(mark("reviews")),  # noqa: S308 - our marker
                "previous_topic": page.previous_topic,
                "next_topic": page.next_topic,
            },
        )

    return Shell(
        chapter_slug=topic.chapter.slug,
        language=course.language,
        pieces=render_split(render),
        questions_key=f"{page_key(course, topic)}:questions",
        score_html=render_to_string(f"{TOPIC_TEMPLATE}#topic-score", {"score": score}),
        summary_html=render_to_string(
            f"{TOPIC_TEMPLATE}#topic-summary", {"score": score, "questions": page.questions}
        ),
        forms=[page.forms[q.pk] for q in page.questions],
        offered=offered,
    )


def fill_shell(
    request: HttpRequest,
    shell: Shell,
    answered: dict[int, list[str]],
    learner_parts: tuple[str, str] | None,
) -> str:
    """The shell with this visitor's CSRF token, score, summary and questions (fresh or
    answered); `learner_parts` are the score line and summary of a learner with answers."""
    seed = order_seed(request)
    csrf = get_token(request)
    score_line, summary = learner_parts or (shell.score_html, shell.summary_html)

    def token(name: str, index: int) -> str:
        return escape(csrf)

    def value(name: str, index: int) -> str:
        if name == "csrf":
            return escape(csrf)
        if name == "score":
            return score_line
        if name == "summary":
            return summary
        if name == "reviews":
            return review_link_html(request)
        pk, choices = shell.offered[index]
        if pk in answered:
            return fill(answered[pk], token)
        order = shuffle_choices(
            choices, [c[2] for c in choices], [c[0] for c in choices], order_key(seed, pk)
        )
        return fill_form(shell.forms[index], secrets.token_hex(12), csrf, order)

    return fill(shell.pieces, value)
