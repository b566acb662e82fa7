"""Who is answering: the learner behind a request, and merging on login.

Anyone can learn without an account. A visitor's identity is fixed at their first page view
(quizzes/visitors.py: a random key in a signed cookie); their first answer creates the
anonymous learner with that key, idempotently, and the cookie then names it. Logging in or
signing up merges that learner into the account's. Visitors who never answer get no row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.http import HttpRequest

from quizzes.answer_store import NotThisBrowser
from quizzes.models import Attempt, Learner, TopicProgress, new_seed
from quizzes.review import merge_cards
from quizzes.visitors import reset_visitor, visitor

# Anonymous learners of earlier releases lived in the session; they move to the cookie.
LEGACY_SESSION_KEY = "learner_id"
T = TypeVar("T")


def current_learner(request: HttpRequest, *, verified: bool = False) -> Learner | None:
    """The request's learner, if it has one yet (never creates).

    An anonymous learner's id is in the signed visitor cookie and its seed derives from the
    visitor key, so for reading (pages) the cookie stands in for its row; a row deleted since
    only reads as no progress. `verified` reads the row, as writing (answering) needs.
    """
    cached = getattr(request, "_learner", False)
    if cached is not False and (not verified or getattr(request, "_learner_verified", False)):
        return cached
    learner, checked = None, True
    if request.user.is_authenticated:
        learner = Learner.objects.filter(user=request.user).first()
    else:
        browser = visitor(request)
        if browser.learner_id is not None and not verified:
            learner = Learner(pk=browser.learner_id, seed=browser.seed, visitor_key=browser.key)
            learner._state.adding = False
            checked = False
        elif verified:
            # By key, not by the cookie's id: the key is what makes the row this browser's.
            learner = Learner.objects.filter(visitor_key=browser.key, user=None).first()
            browser.attach(learner.pk if learner else None)
        if learner is None and LEGACY_SESSION_KEY in request.session:
            learner = adopt_legacy_learner(request)
    request._learner, request._learner_verified = learner, checked
    return learner


def adopt_legacy_learner(request: HttpRequest) -> Learner | None:
    """Move an anonymous learner kept in the session (earlier releases) to the visitor cookie.

    Its order seed becomes the visitor's (choices reshuffle once): earlier seeds came from a
    cookie the client could choose.
    """
    learner_id = request.session.pop(LEGACY_SESSION_KEY, None)
    browser = visitor(request)
    learner = Learner.objects.filter(pk=learner_id, user=None).first()
    if learner is None:
        return None
    learner.visitor_key, learner.seed = browser.key, browser.seed
    learner.save(update_fields=["visitor_key", "seed"])
    browser.attach(learner.pk)
    return learner


def record_as_this_browser(request: HttpRequest, record: Callable[..., T]) -> T:
    """`record(learner)` as the request's learner (an answer's writes).

    An anonymous learner the signed visitor cookie names is used without reading its row: the
    answer's own locking read checks the row is still this browser's (`verify_key` of
    quizzes/answer_store.py::read), which saves a query on every answer. Otherwise (an
    account, a first answer, a row gone or an account's now) the learner is read or created
    first."""
    if not request.user.is_authenticated and visitor(request).learner_id is not None:
        learner = current_learner(request)
        try:
            return record(learner, verify_key=learner.visitor_key)
        except NotThisBrowser:
            pass  # answer as whoever this browser is now
    return record(learner_for_answer(request))


def learner_for_answer(request: HttpRequest) -> Learner:
    """The request's learner, created on first use; parallel first answers share one row."""
    learner = current_learner(request, verified=True)
    if learner is None:
        if request.user.is_authenticated:
            learner = get_or_create_once(user=request.user, defaults={"seed": new_seed()})
        else:
            browser = visitor(request)
            learner = get_or_create_once(visitor_key=browser.key, defaults={"seed": browser.seed})
            browser.attach(learner.pk)
        request._learner, request._learner_verified = learner, True
    return learner


def get_or_create_once(**lookup) -> Learner:
    """`get_or_create` on a unique field: whoever loses the race reads the winner's row."""
    try:
        with transaction.atomic():
            return Learner.objects.get_or_create(**lookup)[0]
    except IntegrityError:
        lookup.pop("defaults", None)
        return Learner.objects.get(**lookup)


def order_seed(request: HttpRequest) -> str:
    """The secret seed that orders this visitor's choices: their learner's, else their key's."""
    learner = current_learner(request)
    return learner.seed if learner is not None else visitor(request).seed


@transaction.atomic
def merge_learners(source: Learner, target: Learner) -> None:
    """Move everything `source` did to `target`, then drop the empty `source`.

    Attempts keep their versions; `is_first` is recomputed so each question has exactly one
    first attempt (the earliest); a topic marked read twice keeps the earliest mark; of two
    review cards of one question the one reviewed last is kept (quizzes/review.py).
    """
    if source.pk == target.pk:
        return
    questions = list(
        Attempt.objects.filter(learner=source).values_list("question_id", flat=True).distinct()
    )
    Attempt.objects.filter(learner=source).update(learner=target)
    merge_cards(source, target)
    for row in (
        Attempt.objects.filter(learner=target, question_id__in=questions)
        .values("question_id")
        .annotate(n=Count("id"), first=Min("created_at"))
        .filter(n__gt=1)
    ):
        attempts = Attempt.objects.filter(learner=target, question_id=row["question_id"])
        first = attempts.order_by("created_at", "pk").first()
        attempts.exclude(pk=first.pk).update(is_first=False)
        attempts.filter(pk=first.pk).update(is_first=True)
    have = dict(TopicProgress.objects.filter(learner=target).values_list("topic_id", "read_at"))
    for progress in TopicProgress.objects.filter(learner=source):
        if progress.topic_id in have:
            if progress.read_at < have[progress.topic_id]:
                TopicProgress.objects.filter(learner=target, topic_id=progress.topic_id).update(
                    read_at=progress.read_at
                )
            progress.delete()
        else:
            progress.learner = target
            progress.save(update_fields=["learner"])
    source.delete()


def adopt_visitor_learner(request: HttpRequest, user) -> bool:
    """On login or signup: merge the browser's anonymous learner into the account.

    True when the browser had progress (an anonymous learner) that now is the account's.

    The browser then starts a new visitor identity, so whoever uses it after a logout does
    not read this account's progress.
    """
    browser = visitor(request)
    anonymous = Learner.objects.filter(visitor_key=browser.key, user=None).first()
    legacy_id = request.session.pop(LEGACY_SESSION_KEY, None)
    if anonymous is None and legacy_id is not None:
        anonymous = Learner.objects.filter(pk=legacy_id, user=None).first()
    reset_visitor(request)
    if hasattr(request, "_learner"):
        del request._learner
        request._learner_verified = False
    if anonymous is None:
        return False
    account = Learner.objects.filter(user=user).first()
    if account is None:
        anonymous.user, anonymous.visitor_key = user, None
        anonymous.save(update_fields=["user", "visitor_key"])
    else:
        merge_learners(anonymous, account)
    return True
