"""The review page with a fresh question, assembled like a topic page (courses/assembly.py).

What it shows for a question is the same for every learner but for the frame's slots, the
due count and the form's nonce, CSRF token and choice order: rendered once per question and
content version with markers there, and filled in per view. Answered states and the htmx
fragments are rendered by the template as before: they follow an answer, not every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from courses import slot_html
from courses.assembly import PageVisit, frame_markers
from courses.fragments import Markers, encode_text, fill_bytes, kept, pieces, render_split
from quizzes.models import Question
from quizzes.progress import new_nonce
from quizzes.visitors import order_key

REVIEW_PAGE = "quizzes/review.html"


@dataclass
class ReviewShell:
    """The review page of one fresh question, split at its slots."""

    question: Question
    pieces: list  # text encoded (fragments.encode_text)
    offered: slot_html.Offered


def fresh_question(request: HttpRequest, question: Question, due: int) -> HttpResponse:
    """The whole review page asking `question`, with `due` questions due (its course's
    language is active)."""
    course = question.topic.course
    # Every load saves its courses: the course's time names this content's version.
    key = f"review-shell:{course.pk}:{course.updated_at.timestamp()}:{question.pk}"
    shell = kept(key, lambda: build(question))
    return HttpResponse(fill_bytes(shell.pieces, ReviewVisit(request, shell, due).slot))


class ReviewVisit(PageVisit):
    """The review page's own slots: the due count and the fresh form's markers."""

    def __init__(self, request: HttpRequest, shell: ReviewShell, due: int) -> None:
        super().__init__(request)
        self.shell, self.due = shell, due

    def slot(self, name: str, index: int) -> str:
        if name in {"token", "text"}:
            return self.choices(name, index)
        if name == "nonce":
            return new_nonce()
        return getattr(self, f"{name}_html")

    @cached_property
    def choices(self) -> Callable[[str, int], str | None]:
        """The fresh form's choices in this learner's order."""
        offered = self.shell.offered
        return slot_html.choices_in(
            offered, offered.order(order_key(self.seed, self.shell.question.pk))
        )

    @property
    def due_html(self) -> str:
        key = f"review-due:{self.language}:{self.due}"
        return pieces.get_or_render(
            key, lambda: render_to_string(f"{REVIEW_PAGE}#due-line", {"due": self.due})
        )


def build(question: Question) -> ReviewShell:
    def render(mark: Markers) -> str:
        state = slot_html.marked_state(question, mark)
        context = {"state": state, "question": question, "due_html": mark("due")}
        return render_to_string(REVIEW_PAGE, {**frame_markers(mark), **context})

    pieces = encode_text(render_split(render))
    return ReviewShell(question, pieces, slot_html.Offered.of(question))
