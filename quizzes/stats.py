"""Results for instructors: topic funnel, question analysis, per-learner history.

Every number is aggregated by the database in a fixed number of queries, whatever the number
of attempts: the views stay fast at 200,000 attempts. Definitions (docs/results.md):

- topic score: a learner's share of first attempts answered right among the topic's questions;
- facility: share of a question version's first attempts that were right;
- discrimination D: facility in the upper 27% of those learners (by topic score) minus the
  facility in the lower 27%;
- pick rate: share of a version's first attempts that picked the choice;
- revealed: learners who asked for a version's answer ("Show answer") after a wrong try.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext

from courses.models import Course, Topic
from quizzes.models import Attempt, Choice, Learner, Question, TopicProgress

TOO_EASY = 0.9
TOO_HARD = 0.3
UNPICKED = 0.05
# Below this many learners on a version, a flag is shown but marked as weak evidence.
MIN_LEARNERS = 20
GROUP_SHARE_PERCENT = 27

ATTEMPT = Attempt._meta.db_table
QUESTION = Question._meta.db_table
PICKS = Attempt.choices.through._meta.db_table
PROGRESS = TopicProgress._meta.db_table


def _rows(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(ids: Sequence[int]) -> str:
    """Placeholders for an IN list (at least one, so an empty list matches nothing)."""
    return ", ".join(["%s"] * max(len(ids), 1))


def _ids(ids: Sequence[int]) -> list[int]:
    return list(ids) or [-1]


# --- topics --------------------------------------------------------------------------------


@dataclass
class TopicStats:
    topic: Topic
    questions: int = 0
    reached: int = 0
    completed: int = 0
    average_score: float | None = None
    reach_share: float = 0.0  # of the learners who reached the first topic


def topic_stats(course: Course) -> list[TopicStats]:
    """Each active topic in course order with reach, completion and first-try score."""
    topics = list(Topic.objects.filter(course=course).in_order())
    ids = [t.pk for t in topics]
    stats = {t.pk: TopicStats(t) for t in topics}
    for topic_id, n in Question.objects.count_per_topic(ids).items():
        stats[topic_id].questions = n
    marks = _in(ids)
    # One pass over the attempts, grouped per (topic, learner), then per topic.
    for topic_id, reached, completed, average in _rows(
        f"SELECT per.topic_id, COUNT(*),"
        f" SUM(CASE WHEN per.solved = totals.total THEN 1 ELSE 0 END), AVG(per.score)"
        f" FROM ({_per_learner_sql(marks)}) per"
        f" JOIN (SELECT topic_id, COUNT(*) AS total FROM {QUESTION}"
        f" WHERE is_active AND topic_id IN ({marks}) GROUP BY topic_id) totals"
        f" ON totals.topic_id = per.topic_id"
        f" GROUP BY per.topic_id",
        _ids(ids) * 2,
    ):
        stats[topic_id].reached, stats[topic_id].completed = reached, completed
        stats[topic_id].average_score = None if average is None else float(average)
    # Learners who only marked a topic read (no answer there) reached it too.
    for topic_id, n in _rows(
        f"SELECT p.topic_id, COUNT(*) FROM {PROGRESS} p WHERE p.topic_id IN ({marks})"
        f" AND NOT EXISTS (SELECT 1 FROM {ATTEMPT} a JOIN {QUESTION} q ON q.id = a.question_id"
        f" WHERE a.learner_id = p.learner_id AND q.topic_id = p.topic_id)"
        f" GROUP BY p.topic_id",
        _ids(ids),
    ):
        stats[topic_id].reached += n
    # A topic without questions is completed by marking it read.
    without_questions = [pk for pk, s in stats.items() if not s.questions]
    for row in (
        TopicProgress.objects.filter(topic_id__in=without_questions)
        .values("topic_id")
        .annotate(n=Count("learner_id"))
    ):
        stats[row["topic_id"]].completed = row["n"]
    result = [stats[pk] for pk in ids]
    first = result[0].reached if result else 0
    for s in result:
        s.reach_share = s.reached / first if first else 0.0
    return result


def _per_learner_sql(marks: str) -> str:
    """Per (topic, learner) for the topics in `marks`: active questions solved, first-try score.

    The inner grouping by (question, learner) follows the attempt_by_learner index, so
    the database streams it without sorting all attempts.
    """
    return (
        f"SELECT q.topic_id AS topic_id, x.learner_id AS learner_id,"
        f" SUM(CASE WHEN q.is_active THEN x.solved ELSE 0 END) AS solved,"
        f" AVG(x.first_right) AS score"
        f" FROM (SELECT question_id, learner_id,"
        f" MAX(CASE WHEN is_correct THEN 1 ELSE 0 END) AS solved,"
        f" MAX(CASE WHEN is_first THEN (CASE WHEN is_correct THEN 1.0 ELSE 0.0 END) END)"
        f" AS first_right"
        f" FROM {ATTEMPT} WHERE question_id IN"
        f" (SELECT id FROM {QUESTION} WHERE topic_id IN ({marks}))"
        f" GROUP BY question_id, learner_id) x"
        f" JOIN {QUESTION} q ON q.id = x.question_id"
        f" GROUP BY q.topic_id, x.learner_id"
    )


# --- questions -----------------------------------------------------------------------------


@dataclass
class ChoiceStats:
    choice: Choice
    picks: int = 0
    rate: float = 0.0

    @property
    def unpicked(self) -> bool:
        return not self.choice.is_correct and self.rate < UNPICKED


@dataclass
class VersionStats:
    question: Question
    version: str
    attempts: int = 0
    learners: int = 0
    first_attempts: int = 0
    facility: float | None = None
    discrimination: float | None = None
    group_size: int = 0
    revealed: int = 0  # learners who asked for the answer after a wrong try
    choices: list[ChoiceStats] = field(default_factory=list)
    reviews: int = 0  # answers given a day or more after the learner's previous one
    recalled: int = 0  # of those, the right ones

    @property
    def retention(self) -> float | None:
        """The share of reviews a day or more apart that were recalled (docs/results.md)."""
        return self.recalled / self.reviews if self.reviews else None

    @property
    def is_current(self) -> bool:
        return self.version == self.question.version

    @property
    def enough_data(self) -> bool:
        return self.first_attempts >= MIN_LEARNERS

    @property
    def flags(self) -> list[str]:
        """Reasons to look at this question again (see docs/results.md)."""
        found = []
        if self.facility is not None and self.facility > TOO_EASY:
            found.append(gettext("too easy"))
        if self.facility is not None and self.facility < TOO_HARD:
            found.append(gettext("too hard"))
        if self.discrimination is not None and self.discrimination < 0:
            found.append(gettext("negative discrimination"))
        if self.first_attempts and any(c.unpicked for c in self.choices):
            found.append(gettext("distractor nobody picks"))
        return found


def question_stats(course: Course, topic: Topic | None = None) -> list[VersionStats]:
    """Every version of every question with answers (and each active question), in course order.

    Seven queries: questions with choices (2), attempt counts, first-attempt analysis, picks,
    reveals, retention.
    """
    questions = list(
        Question.objects.filter(topic__course=course, topic__is_active=True)
        .filter(Q(topic=topic) if topic else Q())
        .select_related("topic__chapter")
        .prefetch_related("choices")
        .order_by("topic__chapter__number", "topic__number", "-is_active", "position")
    )
    ids = [q.pk for q in questions]
    marks = _in(ids)
    by_pk = {q.pk: q for q in questions}
    versions: dict[tuple[int, str], VersionStats] = {}

    def entry(question_id: int, version: str) -> VersionStats:
        key = (question_id, version)
        if key not in versions:
            versions[key] = VersionStats(by_pk[question_id], version)
        return versions[key]

    for q in questions:
        if q.is_active:
            entry(q.pk, q.version)

    # Grouping by (question, learner, version) first follows an index; learners then
    # count as rows, which is cheaper than COUNT(DISTINCT) over every attempt.
    def per_version(sql: str) -> Iterator[tuple[VersionStats, list]]:
        """Rows of (question, version, values…) for this course's questions, with their entry."""
        for question_id, version, *values in _rows(sql, _ids(ids)):
            if question_id in by_pk:
                yield entry(question_id, version), values

    for stats, (n, learners) in per_version(
        f"SELECT question_id, version, SUM(n), COUNT(*) FROM ("
        f" SELECT question_id, learner_id, version, COUNT(*) AS n FROM {ATTEMPT}"
        f" WHERE question_id IN ({marks}) GROUP BY question_id, learner_id, version"
        f") per GROUP BY question_id, version"
    ):
        # PostgreSQL sums to Decimal: counts are ints (templates pluralise on them).
        stats.attempts, stats.learners = int(n), int(learners)
    for stats, (n, right, group, upper, lower) in per_version(_analysis_sql(marks)):
        stats.first_attempts, stats.facility = int(n), float(right) / int(n)
        stats.group_size = int(group or 0)
        if group and n >= 2:
            stats.discrimination = float(upper - lower) / int(group)
    picks: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for question_id, version, choice_id, n in _rows(
        f"SELECT a.question_id, a.version, p.choice_id, COUNT(*) FROM {ATTEMPT} a"
        f" JOIN {PICKS} p ON p.attempt_id = a.id"
        f" WHERE a.is_first AND a.question_id IN ({marks})"
        f" GROUP BY a.question_id, a.version, p.choice_id",
        _ids(ids),
    ):
        picks[question_id, version][choice_id] = n
    # Few attempts are revealed: the partial index attempt_reveals holds just those.
    for stats, (learners,) in per_version(
        f"SELECT question_id, version, COUNT(DISTINCT learner_id) FROM {ATTEMPT}"
        f" WHERE revealed_at IS NOT NULL AND question_id IN ({marks})"
        f" GROUP BY question_id, version"
    ):
        stats.revealed = int(learners)
    for (question_id, version), stats in versions.items():
        picked = picks.get((question_id, version), {})
        for choice in stats.question.choices.all():
            # Offered in this version: the live choices now, or anything that was picked then.
            if choice.pk in picked or (stats.is_current and choice.is_active):
                n = picked.get(choice.pk, 0)
                rate = n / stats.first_attempts if stats.first_attempts else 0.0
                stats.choices.append(ChoiceStats(choice, n, rate))
    # Reviews a day or more after the card's previous one: the attempt_delayed_reviews index.
    for stats, (n, right) in per_version(
        f"SELECT question_id, version, COUNT(*), SUM(CASE WHEN is_correct THEN 1 ELSE 0 END)"
        f" FROM {ATTEMPT} WHERE elapsed_days >= 1 AND question_id IN ({marks})"
        f" GROUP BY question_id, version"
    ):
        stats.reviews, stats.recalled = int(n), int(right)
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(
        versions.values(), key=lambda s: (order[s.question.pk], not s.is_current, s.version)
    )


def _analysis_sql(marks: str) -> str:
    """Per (question, version): first attempts, right ones, group size, right in upper/lower.

    `marks` must cover every question of the topics concerned, so that each learner's topic
    score (a window over their first attempts in the topic) sees the whole topic. Learners are
    ranked within the version by topic score (best first, ties by learner id); the upper group
    is the first ceil(27% of n), the lower group the last as many.
    `learner_id + 0` keeps SQLite from walking the learner index (a table lookup per
    attempt) just to avoid a sort; the covering attempt_first_tries index is far cheaper.
    """
    return f"""
        WITH firsts AS (
            SELECT a.question_id, a.version, a.learner_id, a.is_correct,
                AVG(CASE WHEN a.is_correct THEN 1.0 ELSE 0.0 END)
                    OVER (PARTITION BY q.topic_id, a.learner_id + 0) AS score
            FROM {ATTEMPT} a JOIN {QUESTION} q ON q.id = a.question_id
            WHERE a.is_first AND a.question_id IN ({marks})
        ),
        ranked AS (
            SELECT question_id, version, is_correct,
                ROW_NUMBER() OVER (
                    PARTITION BY question_id, version ORDER BY score DESC, learner_id
                ) AS rn,
                COUNT(*) OVER (PARTITION BY question_id, version) AS n
            FROM firsts
        ),
        grouped AS (
            SELECT question_id, version, is_correct, rn, n,
                (n * {GROUP_SHARE_PERCENT} + 99) / 100 AS g
            FROM ranked
        )
        SELECT question_id, version, n,
            SUM(CASE WHEN is_correct THEN 1 ELSE 0 END),
            g,
            SUM(CASE WHEN is_correct AND rn <= g THEN 1 ELSE 0 END),
            SUM(CASE WHEN is_correct AND rn > n - g THEN 1 ELSE 0 END)
        FROM grouped
        GROUP BY question_id, version, n, g
    """


# --- learners ------------------------------------------------------------------------------


@dataclass
class LearnerRow:
    learner: Learner
    attempts: int = 0
    questions: int = 0
    first_right: int = 0
    revealed: int = 0  # answers shown on request
    last: datetime | None = None


def course_learners(course: Course) -> QuerySet[Learner]:
    """Learners who answered a question of the course or marked one of its topics read."""
    return Learner.objects.filter(
        Q(pk__in=Attempt.objects.filter(question__topic__course=course).values("learner_id"))
        | Q(pk__in=TopicProgress.objects.filter(topic__course=course).values("learner_id"))
    )


def learner_rows(learners: Sequence[Learner], course: Course) -> list[LearnerRow]:
    """Answer counts in `course` for one page of learners, in one query."""
    rows = {learner.pk: LearnerRow(learner) for learner in learners}
    for row in (
        Attempt.objects.filter(learner_id__in=rows, question__topic__course=course)
        .values("learner_id")
        .annotate(
            n=Count("id"),
            questions=Count("question_id", distinct=True),
            first_right=Count("id", filter=Q(is_first=True, is_correct=True)),
            revealed=Count("id", filter=Q(revealed_at__isnull=False)),
            last=Max("created_at"),
        )
    ):
        entry = rows[row["learner_id"]]
        entry.attempts, entry.questions = row["n"], row["questions"]
        entry.first_right, entry.last = row["first_right"], row["last"]
        entry.revealed = row["revealed"]
    return list(rows.values())


def learner_answers(learner: Learner, course: Course) -> QuerySet[Attempt]:
    """Every answer the learner gave in `course`, oldest first, with question and picks."""
    return (
        Attempt.objects.filter(learner=learner, question__topic__course=course)
        .select_related("question__topic__chapter")
        .prefetch_related("choices")
        .order_by("created_at", "pk")
    )
