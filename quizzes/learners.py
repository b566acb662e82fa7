"""Who is answering: the learner behind a request, and merging on login.

Anyone can learn without an account. The first answer creates an anonymous learner whose id
lives in the session; logging in or signing up merges that learner into the account's.
Visitors who never answer get no session and no row: only a cookie with their shuffle seed.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse

from quizzes.models import Attempt, Learner, TopicProgress, new_seed

SESSION_KEY = "learner_id"
SEED_SESSION_KEY = "learner_seed"  # lets pages skip reading the learner row
SEED_COOKIE = "cd_seed"
SEED_RE = re.compile(r"^[0-9a-f]{16}$")


def current_learner(request: HttpRequest, *, verified: bool = False) -> Learner | None:
    """The request's learner, if it has one yet (never creates).

    An anonymous learner's id and seed never change, so for reading (pages) the session
    stands in for its row; a row deleted since only reads as no progress. `verified` reads
    the row, as writing (answering) needs.
    """
    cached = getattr(request, "_learner", False)
    if cached is not False and (not verified or getattr(request, "_learner_verified", False)):
        return cached
    learner = None
    checked = True
    if request.user.is_authenticated:
        learner = Learner.objects.filter(user=request.user).first()
    elif SESSION_KEY in request.session:
        learner_id, seed = request.session[SESSION_KEY], request.session.get(SEED_SESSION_KEY)
        if seed and not verified:
            learner = Learner(pk=learner_id, seed=seed)
            learner._state.adding = False
            checked = False
        else:
            learner = Learner.objects.filter(pk=learner_id, user=None).first()
            if learner is not None and seed != learner.seed:
                request.session[SEED_SESSION_KEY] = learner.seed  # once per older session
    request._learner, request._learner_verified = learner, checked
    return learner


def learner_for_answer(request: HttpRequest) -> Learner:
    """The request's learner, created (and tied to the session or account) on first use."""
    learner = current_learner(request, verified=True)
    if learner is None:
        user = request.user if request.user.is_authenticated else None
        learner = Learner.objects.create(user=user, seed=shuffle_seed(request))
        if user is None:
            request.session[SESSION_KEY] = learner.pk
            request.session[SEED_SESSION_KEY] = learner.seed
        request._learner, request._learner_verified = learner, True
    return learner


def shuffle_seed(request: HttpRequest) -> str:
    """The seed that orders this visitor's choices: their learner's, else their cookie's."""
    learner = current_learner(request)
    if learner is not None:
        return learner.seed
    cookie = request.COOKIES.get(SEED_COOKIE, "")
    if SEED_RE.match(cookie):
        return cookie
    if not hasattr(request, "_new_seed"):
        request._new_seed = new_seed()
    return request._new_seed


def remember_seed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep a new visitor's choice order stable across reloads (no database row needed)."""
    seed = getattr(request, "_new_seed", None)
    if seed:
        response.set_cookie(
            SEED_COOKIE,
            seed,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@transaction.atomic
def merge_learners(source: Learner, target: Learner) -> None:
    """Move everything `source` did to `target`, then drop the empty `source`.

    Attempts keep their versions; `is_first` is recomputed so each question has exactly one
    first attempt (the earliest); a topic marked read twice keeps the earliest mark.
    """
    if source.pk == target.pk:
        return
    questions = list(
        Attempt.objects.filter(learner=source).values_list("question_id", flat=True).distinct()
    )
    Attempt.objects.filter(learner=source).update(learner=target)
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


def adopt_session_learner(request: HttpRequest, user) -> None:
    """On login or signup: merge the session's anonymous learner into the account."""
    learner_id = request.session.pop(SESSION_KEY, None)
    request.session.pop(SEED_SESSION_KEY, None)
    anonymous = Learner.objects.filter(pk=learner_id, user=None).first() if learner_id else None
    if anonymous is None:
        return
    account = Learner.objects.filter(user=user).first()
    if account is None:
        anonymous.user = user
        anonymous.save(update_fields=["user"])
    else:
        merge_learners(anonymous, account)
    if hasattr(request, "_learner"):
        del request._learner
        request._learner_verified = False
