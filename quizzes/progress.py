"""Where a learner stands: per question on a topic page, per topic across the course.

Status and scores are computed from attempts (the only record of answers), never stored:
  not started — no answer and not marked read;
  in progress — some answers, not every active question answered right yet;
  complete    — every active question answered right at least once (or, for a topic
                without questions, marked as read).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from courses.models import Topic
from quizzes import clock
from quizzes.grading import shuffle_choices
from quizzes.models import Attempt, Choice, Learner, Question, TopicProgress
from quizzes.page_queries import attempt_rows
from quizzes.visitors import order_key

NOT_STARTED, IN_PROGRESS, COMPLETE = "not-started", "in-progress", "complete"
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    COMPLETE: _("Complete"),
}


@dataclass
class TopicStatus:
    total: int = 0
    answered: int = 0
    solved: int = 0
    first_right: int = 0
    read_at: datetime | None = None
    last_activity: datetime | None = None
    # Which questions: known when the score was counted from the learner's rows (topic page,
    # answering), for the end-of-topic summary; empty from the aggregate queries.
    answered_ids: frozenset[int] = frozenset()
    solved_ids: frozenset[int] = frozenset()

    @property
    def status(self) -> str:
        if self.total == 0:
            return COMPLETE if self.read_at else NOT_STARTED
        if self.solved >= self.total:
            return COMPLETE
        return IN_PROGRESS if self.answered or self.read_at else NOT_STARTED

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_complete(self) -> bool:
        return self.status == COMPLETE


@dataclass
class ProgressSummary:
    complete: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0


def topic_statuses(learner: Learner | None, topics: Sequence[Topic]) -> dict[int, TopicStatus]:
    """Status of each topic for `learner`, in three queries whatever the course size."""
    ids = [t.pk for t in topics]
    statuses = {pk: TopicStatus() for pk in ids}
    for topic_id, n in Question.objects.count_per_topic(ids).items():
        statuses[topic_id].total = n
    if learner is None:
        return statuses
    for row in (
        Attempt.objects.filter(
            learner=learner, question__is_active=True, question__topic_id__in=ids
        )
        .values("question__topic_id")
        .annotate(
            answered=Count("question", distinct=True),
            solved=Count("question", filter=Q(is_correct=True), distinct=True),
            first_right=Count("question", filter=Q(is_first=True, is_correct=True), distinct=True),
            last=Max("created_at"),
        )
    ):
        status = statuses[row["question__topic_id"]]
        status.answered, status.solved = row["answered"], row["solved"]
        status.first_right, status.last_activity = row["first_right"], row["last"]
    for topic_id, read_at in TopicProgress.objects.filter(
        learner=learner, topic_id__in=ids
    ).values_list("topic_id", "read_at"):
        statuses[topic_id].read_at = read_at
        last = statuses[topic_id].last_activity
        statuses[topic_id].last_activity = max(read_at, last) if last else read_at
    return statuses


def course_progress(learner: Learner | None, course) -> dict:
    """Every topic of the course in order with the learner's status, and the overall summary."""
    topics = list(Topic.objects.filter(course=course).in_order())
    statuses = topic_statuses(learner, topics)
    return {"rows": [(t, statuses[t.pk]) for t in topics], "progress": summarize(topics, statuses)}


def topic_score(
    learner: Learner | None, topic: Topic, questions: Sequence[Question]
) -> TopicStatus:
    """`topic_statuses` for one topic whose active `questions` are known: one query, usually."""
    status = TopicStatus(total=len(questions))
    if learner is None:
        return status
    if questions:
        row = Attempt.objects.filter(learner=learner, question__in=questions).aggregate(
            answered=Count("question", distinct=True),
            solved=Count("question", filter=Q(is_correct=True), distinct=True),
            first_right=Count("question", filter=Q(is_first=True, is_correct=True), distinct=True),
            last=Max("created_at"),
        )
        status.answered, status.solved = row["answered"], row["solved"]
        status.first_right, status.last_activity = row["first_right"], row["last"]
    if not status.answered:
        # Only a topic's "read" mark can still change its status.
        status.read_at = (
            TopicProgress.objects.filter(learner=learner, topic=topic)
            .values_list("read_at", flat=True)
            .first()
        )
        status.last_activity = status.last_activity or status.read_at
    return status


def score_from_rows(
    question_ids: Sequence[int], rows: Iterable[tuple[int, bool, bool, datetime]]
) -> TopicStatus:
    """`topic_score` from the learner's attempt rows (question_id, is_correct, is_first,
    created_at) already read, for a topic that has at least one of them answered."""
    active = set(question_ids)
    answered, solved, first_right = set(), set(), set()
    status = TopicStatus(total=len(active))
    for question_id, is_correct, is_first, created_at in rows:
        if question_id not in active:
            continue
        answered.add(question_id)
        if is_correct:
            solved.add(question_id)
            if is_first:
                first_right.add(question_id)
        if status.last_activity is None or created_at > status.last_activity:
            status.last_activity = created_at
    status.answered, status.solved, status.first_right = (
        len(answered),
        len(solved),
        len(first_right),
    )
    status.answered_ids, status.solved_ids = frozenset(answered), frozenset(solved)
    return status


def summarize(topics: Iterable[Topic], statuses: dict[int, TopicStatus]) -> ProgressSummary:
    topics = list(topics)
    return ProgressSummary(sum(statuses[t.pk].is_complete for t in topics), len(topics))


def continue_topic(topics: Sequence[Topic], statuses: dict[int, TopicStatus]) -> Topic | None:
    """Where to pick up: the last topic worked on if unfinished, else the next unfinished one."""
    active = [t for t in topics if statuses[t.pk].last_activity]
    if not active:
        return None
    last = max(active, key=lambda t: statuses[t.pk].last_activity)
    start = list(topics).index(last)
    for topic in list(topics)[start:] + list(topics)[:start]:
        if not statuses[topic.pk].is_complete:
            return topic
    return None


@dataclass
class QuestionState:
    """One question as this learner sees it on the topic page."""

    question: Question
    choices: list[Choice]
    attempt: Attempt | LatestAttempt | None = None
    picked: set[int] = field(default_factory=set)
    nonce: str = ""
    error: str = ""
    revealed: bool = False  # the learner asked for the answer after their latest attempt
    # The page shows the answer after any graded try (the review page, as a flashcard's back).
    answer_follows: bool = False

    @property
    def answered(self) -> bool:
        return self.attempt is not None

    @property
    def shows_answer(self) -> bool:
        """The right choices and the explanation are shown: answered right, or asked for.

        After a wrong answer a topic page shows only the picks' own feedback, so "Try again"
        is a real second try; the answer appears with "Show answer" (recorded).
        """
        if self.attempt is None:
            return False
        return self.attempt.is_correct or self.revealed or self.answer_follows

    @property
    def missed(self) -> int:
        """How many right choices the learner did not pick (said, never which)."""
        return sum(1 for c in self.choices if c.is_correct and c.pk not in self.picked)


def order_choices(question: Question, seed: str) -> list[Choice]:
    """This learner's stable order of the question's active choices (`seed` is secret)."""
    choices = [c for c in question.choices.all() if c.is_active]
    return shuffle_choices(
        choices,
        [c.pinned for c in choices],
        [c.token for c in choices],
        order_key(seed, question.pk),
    )


def question_state(
    question: Question,
    seed: str,
    attempt: Attempt | LatestAttempt | None = None,
    *,
    picked: set[int] | None = None,
    error: str = "",
) -> QuestionState:
    """A question shown as a fresh form (no attempt) or with its result."""
    state = QuestionState(question, order_choices(question, seed), attempt=attempt, error=error)
    if attempt is not None:
        if isinstance(attempt, LatestAttempt):
            state.revealed = attempt.revealed
            if picked is None:
                picked = set(attempt.picked)
        else:
            state.revealed = attempt.revealed_at is not None
        state.picked = picked if picked is not None else {c.pk for c in attempt.choices.all()}
    else:
        state.nonce = new_nonce()
    return state


def new_nonce() -> str:
    """A fresh form's nonce: the answer it sends is recorded once, however often it is sent."""
    return secrets.token_hex(12)


@dataclass(frozen=True)
class LatestAttempt:
    """What a topic page shows of a question's latest attempt."""

    is_correct: bool
    picked: frozenset[int]  # the picked choices' pks
    revealed: bool = False  # "Show answer" was asked after it


class TopicAttempts(NamedTuple):
    """What a learner's topic page reads: each question's latest attempt, the topic's score,
    and how many of their review cards are due (the header's count)."""

    latest: dict[int, LatestAttempt]
    score: TopicStatus
    due: int


def topic_attempts(
    learner: Learner | None, questions: Sequence[Question]
) -> tuple[dict[int, LatestAttempt], TopicStatus]:
    """Each question's latest attempt (with its picks) and the topic's score, in 1 query."""
    found = topic_attempts_and_due(learner, questions, None)
    return found.latest, found.score


def topic_attempts_and_due(
    learner: Learner | None, questions: Sequence[Question], now: datetime | None
) -> TopicAttempts:
    """`topic_attempts`, and how many of the learner's cards are due at `now` (or the clock's
    now), in the same one query."""
    if learner is None or not questions:
        return TopicAttempts({}, TopicStatus(total=len(questions)), 0)
    # Plain rows, attempts joined to their picks (one row per pick), in SQL written once:
    # building model instances, a prefetch or even the QuerySet cost more than the page's
    # whole template work (quizzes/page_queries.py).
    rows, due = attempt_rows(learner.pk, [q.pk for q in questions], now or clock.now())
    latest: dict[int, tuple[int, bool, bool, set[int]]] = {}
    scored = []  # one (question_id, is_correct, is_first, created_at) per attempt
    for pk, question_id, is_correct, is_first, created_at, revealed, choice_id in rows:
        current = latest.get(question_id)
        if current is None or current[0] != pk:
            current = latest[question_id] = (pk, is_correct, revealed, set())
            scored.append((question_id, is_correct, is_first, created_at))
        if choice_id is not None:
            current[3].add(choice_id)
    status = score_from_rows([q.pk for q in questions], scored)
    return TopicAttempts(
        {
            question_id: LatestAttempt(is_correct, frozenset(picked), revealed)
            for question_id, (_, is_correct, revealed, picked) in latest.items()
        },
        status,
        due,
    )


def read_status(learner: Learner | None, topic: Topic) -> TopicStatus:
    """A topic without questions: whether the learner marked it read (one query, none for a
    visitor who never answered)."""
    if learner is None:
        return TopicStatus()
    read_at = (
        TopicProgress.objects.filter(learner=learner, topic=topic)
        .values_list("read_at", flat=True)
        .first()
    )
    return TopicStatus(read_at=read_at, last_activity=read_at)


def mistakes(learner: Learner | None, course) -> list[dict]:
    """Active questions of `course` the learner answered wrong at least once, and whether
    they fixed it."""
    if learner is None:
        return []
    rows = (
        Attempt.objects.filter(
            learner=learner,
            question__is_active=True,
            question__topic__is_active=True,
            question__topic__course=course,
        )
        .values("question_id")
        .annotate(
            wrong=Count("id", filter=Q(is_correct=False)),
            right=Count("id", filter=Q(is_correct=True)),
            last=Max("created_at"),
        )
        .filter(wrong__gt=0)
    )
    by_question = {row["question_id"]: row for row in rows}
    questions = Question.objects.filter(pk__in=by_question).select_related(
        "topic__chapter", "topic__course"
    )
    return sorted(
        (
            {
                "question": q,
                "fixed": by_question[q.pk]["right"] > 0,
                "last": by_question[q.pk]["last"],
            }
            for q in questions
        ),
        key=lambda m: (
            m["question"].topic.chapter.number,
            m["question"].topic.number,
            m["question"].position,
        ),
    )
