"""What every full page's header needs from quizzes: the learner's due reviews."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import cached_property

from quizzes import clock, review
from quizzes.learners import current_learner


class DueReviews:
    """The due count, read only when a template shows it (htmx fragments never do)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def count(self) -> int:
        known = getattr(self.request, "_due_reviews", None)
        if known is not None:  # the review page counted them already
            return known
        # Error pages answered before the middleware ran (config/errors.py) know no one.
        if not hasattr(self.request, "user"):
            return 0
        # One indexed query (card_due), none for a visitor who never answered; the learner
        # comes from the cookie or the row the page reads anyway.
        return review.due_count(current_learner(self.request), clock.now())


def remember_due(request: HttpRequest, count: int) -> None:
    """Tell the header how many are due, when the view counted them anyway."""
    request._due_reviews = count


def reviews(request: HttpRequest) -> dict:
    """`reviews.count` for the header."""
    return {"reviews": DueReviews(request)}
