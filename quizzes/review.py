"""Spaced review: every graded answer is a review of the learner's card of that question.

Scheduling is FSRS (the `fsrs` package, the scheduler behind Anki's modern mode); this module
only maps answers to ratings and keeps cards in the database (`ReviewCard`). docs/review.md
explains the choices. An answer's rating:

- wrong → Again;
- right, when the learner's previous answer to the question was wrong → Hard;
- right otherwise (a first answer, or the previous one was right too) → Good.

There is no "Show answer": an answer is only ever shown after a graded try, so the wrong try
already rated the card Again.

Easy is never given: a right choice cannot tell effortless recall from recall.
Times are timezone-aware UTC from `quizzes.clock` (FSRS refuses anything else).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext, ngettext
from fsrs import Card, Rating, Scheduler, State

from courses.models import Course
from quizzes import page_queries
from quizzes.models import Learner, Question, ReviewCard

# One 10-minute step instead of FSRS's default 1 and 10 minutes: a topic page is read once,
# and a right answer just after reading is already the first recall, so it graduates at
# once (back in about two days); a wrong one comes back ten minutes later, in review.
SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(timedelta(minutes=10),),
    relearning_steps=(timedelta(minutes=10),),
)
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review")


def rating_for(is_correct: bool, previous_correct: bool | None) -> Rating:
    """The rating of an answer, given whether the learner's previous answer (if any) was right."""
    if not is_correct:
        return Rating.Again
    return Rating.Hard if previous_correct is False else Rating.Good


def as_fsrs(values: Iterable | None, now: datetime) -> Card:
    """An FSRS card from stored FIELDS values, or a new card due now."""
    if values is None:
        return Card(card_id=0, due=now)  # an id: without one, Card() sleeps a millisecond
    state, step, stability, difficulty, due, last_review = values
    return Card(0, State(state), step, stability, difficulty, due, last_review)


def schedule(card: Card, rating: Rating, now: datetime) -> tuple[Card, float | None]:
    """The card after this review, and the days since its previous review (None: first)."""
    elapsed = None
    if card.last_review is not None:
        elapsed = max(0.0, (now - card.last_review).total_seconds() / 86400)
    reviewed, _ = SCHEDULER.review_card(card, rating, now)
    return reviewed, elapsed


def save_card(learner: Learner, question: Question, course_id: int, card: Card) -> None:
    """Insert or update the learner's card of `question` in one statement."""
    ReviewCard.objects.bulk_create(
        [
            ReviewCard(
                learner=learner,
                question=question,
                course_id=course_id,
                **{name: getattr(card, name) for name in FIELDS},
            )
        ],
        update_conflicts=True,
        unique_fields=["learner", "question"],
        update_fields=list(FIELDS),
    )


# --- the queue -----------------------------------------------------------------------------


def due_count(learner: Learner | None, now: datetime) -> int:
    """How many of the learner's cards are due, in every course: one query on the card_due
    index, none for a visitor who never answered."""
    if learner is None:
        return 0
    return page_queries.due_count(learner.pk, now)


def next_in_queue(learner: Learner | None, now: datetime) -> tuple[int | None, int]:
    """The question to review now (the longest overdue) and how many are due, in one query."""
    if learner is None:
        return None, 0
    return page_queries.next_due(learner.pk, now) or (None, 0)


def after_review(
    learner: Learner, question: Question, now: datetime
) -> tuple[int, datetime | None]:
    """How many cards are still due, and when `question` comes back, in one query."""
    row = ReviewCard.objects.filter(learner=learner, is_active=True).aggregate(
        due_now=Count("pk", filter=Q(due__lte=now)), back=Max("due", filter=Q(question=question))
    )
    return row["due_now"], row["back"]


def next_due(learner: Learner | None) -> datetime | None:
    """When the learner's next card is due, in any course (None: no cards)."""
    if learner is None:
        return None
    return (
        ReviewCard.objects.filter(learner=learner, is_active=True)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )


def comes_back(due: datetime, now: datetime) -> str:
    """When `due` is, seen from `now`, in the active language: "in 3 days", "in 1 hour"."""
    seconds = (due - now).total_seconds()
    if seconds < 60:
        return gettext("now")
    minutes, hours, days = (int(seconds // unit) for unit in (60, 3600, 86400))
    if hours < 1:
        return ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}
    if days < 1:
        return ngettext("in %(count)d hour", "in %(count)d hours", hours) % {"count": hours}
    if days < 60:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    months = days // 30  # the same rounding down as the units above
    return ngettext("in %(count)d month", "in %(count)d months", months) % {"count": months}


# --- retention per topic (the learner's progress page) -------------------------------------


@dataclass
class Retention:
    """How well a topic's answered questions are retained now, and when one is due next."""

    cards: int = 0
    total: float = 0.0  # sum of retrievabilities
    due_now: int = 0
    next_due: datetime | None = None
    comes_back: str = ""

    @property
    def percent(self) -> int | None:
        return round(100 * self.total / self.cards) if self.cards else None


def topic_retention(learner: Learner | None, course: Course, now: datetime) -> dict[int, Retention]:
    """Per topic of `course`: mean FSRS retrievability of the learner's cards, and the next due
    date; one query."""
    found: dict[int, Retention] = defaultdict(Retention)
    if learner is None:
        return found
    rows = ReviewCard.objects.filter(learner=learner, course=course, is_active=True).values_list(
        "question__topic_id", *FIELDS
    )
    for topic_id, *values in rows:
        card = as_fsrs(values, now)
        entry = found[topic_id]
        entry.cards += 1
        entry.total += SCHEDULER.get_card_retrievability(card, now)
        entry.due_now += card.due <= now
        if entry.next_due is None or card.due < entry.next_due:
            entry.next_due = card.due
    for entry in found.values():
        entry.comes_back = comes_back(entry.next_due, now)
    return found


# --- content edits and merged learners -----------------------------------------------------


def restart_cards(question_ids: Iterable[int], now: datetime) -> int:
    """A fresh start for every card of these questions (their answer key changed): what the
    learners remember is the old answer, so each card is new again and due now."""
    return ReviewCard.objects.filter(question_id__in=list(question_ids)).update(
        state=State.Learning.value,
        step=0,
        stability=None,
        difficulty=None,
        due=now,
        last_review=None,
    )


def sync_card_activity(courses: QuerySet[Course]) -> None:
    """Copy onto the cards whether their question is live (question, topic and course all
    active), after an import: retired questions leave the queue, restored ones come back
    with their cards. Two updates, each touching only the rows that change."""
    questions = Question.objects.filter(topic__course__in=courses)
    live = Q(is_active=True, topic__is_active=True, topic__course__is_active=True)
    ReviewCard.objects.filter(is_active=True, question__in=questions.exclude(live)).update(
        is_active=False
    )
    ReviewCard.objects.filter(is_active=False, question__in=questions.filter(live)).update(
        is_active=True
    )


def merge_cards(source: Learner, target: Learner) -> None:
    """Move `source`'s cards to `target`; where both have a card of a question, keep the one
    reviewed last (it holds the latest evidence of what is remembered; ties: `target`'s)."""
    theirs = {
        c.question_id: c
        for c in ReviewCard.objects.filter(learner=source).only("question_id", "last_review")
    }
    losers = [
        mine.pk
        if last_reviewed(theirs[mine.question_id]) > last_reviewed(mine)
        else theirs[mine.question_id].pk
        for mine in ReviewCard.objects.filter(learner=target, question_id__in=theirs).only(
            "question_id", "last_review"
        )
    ]
    ReviewCard.objects.filter(pk__in=losers).delete()
    ReviewCard.objects.filter(learner=source).update(learner=target)


def last_reviewed(card: ReviewCard) -> datetime:
    return card.last_review or NEVER
