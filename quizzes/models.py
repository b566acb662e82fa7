"""Knowledge-check questions (synced from content) and what learners do with them.

Questions and choices are never deleted by an import, only retired, because attempts point
at them. Each attempt records the question version the learner saw.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from courses.models import ContentQuerySet, Course, Topic


def new_token() -> str:
    """An opaque choice value: says nothing about position or correctness."""
    return secrets.token_urlsafe(9)


class QuestionQuerySet(ContentQuerySet):
    def for_topic(self, topic: Topic):
        return self.active().filter(topic=topic).order_by("position")

    def count_per_topic(self, topic_ids) -> dict[int, int]:
        """How many active questions each of these topics has (absent: none)."""
        rows = self.active().filter(topic_id__in=topic_ids).values("topic_id")
        return {r["topic_id"]: r["n"] for r in rows.annotate(n=models.Count("id"))}


class Question(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(max_length=100, help_text="Stable identity within the topic.")
    key_authored = models.BooleanField(
        null=True,
        help_text="True when the key is an author's id, False when the importer chose it "
        "(ids never name such a question); empty for rows loaded before this was recorded.",
    )
    position = models.PositiveIntegerField()
    prompt_html = models.TextField()
    prompt_text = models.TextField(help_text="The prompt as authored, for search and matching.")
    body_html = models.TextField(blank=True)
    explanation_html = models.TextField(blank=True)
    # Derived, never authored: the admin must not read like a setting someone could change.
    allows_many = models.BooleanField(
        _("several right answers"),
        default=False,
        help_text=_(
            "Set by the file: on when more than one choice is marked right. Learners then tick "
            "every right choice (checkboxes) instead of picking one."
        ),
    )
    version = models.CharField(max_length=12, help_text="Hash of the text and choices.")
    source_line = models.PositiveIntegerField(default=0)
    diagram = models.JSONField(
        default=dict,
        blank=True,
        help_text="For a question answered on a diagram (`<!-- on: spectrum -->`): what it "
        "shows of that diagram, copied at import; its choices are the diagram's tier ids.",
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "key"], name="question_unique_key"),
        ]

    def __str__(self) -> str:
        return self.prompt_text[:80]

    @property
    def anchor(self) -> str:
        return f"q-{self.key}"

    def choice_label(self, choice: Choice) -> str:
        """A choice as plain text for people: a diagram question's tier name, else its text."""
        for tier in self.diagram.get("tiers", ()):
            if tier["id"] == choice.text:
                return tier["name"]
        return choice.text

    @property
    def form_version(self) -> str:
        """The version as answer forms carry it: a MAC, so it tells nothing about the answer.

        `version` hashes public text together with which choices are right; a client could
        hash each guess of the answer key and compare. This value needs the server's secret.
        """
        return salted_hmac("coursedeck.question-version", f"{self.pk}:{self.version}").hexdigest()[
            :20
        ]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="choices")
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    text = models.TextField(help_text="As authored; its identity within the question.")
    text_html = models.TextField()
    is_correct = models.BooleanField(default=False)
    feedback_html = models.TextField(blank=True)
    pinned = models.BooleanField(default=False, help_text="Kept in place when shuffling.")
    position = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.text[:80]


def new_seed() -> str:
    return secrets.token_hex(8)


class Learner(models.Model):
    """Someone answering questions: anonymous (tied to a session) until they have an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    seed = models.CharField(
        max_length=32, default=new_seed, help_text="Secret: keys their choice order."
    )
    visitor_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The browser identity of an anonymous learner (quizzes/visitors.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.user.get_username() if self.user else f"anonymous #{self.pk}"


class Attempt(models.Model):
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="attempts")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempts")
    version = models.CharField(max_length=12, help_text="The question version that was graded.")
    choices = models.ManyToManyField(Choice, related_name="attempts")
    is_correct = models.BooleanField()
    is_first = models.BooleanField(help_text="The learner's first attempt at this question.")
    nonce = models.CharField(max_length=32, help_text="One per rendered form: resends are ignored.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # "Show answer" after this (wrong) attempt: instructors tell a revealed answer from a
    # found one. Only the latest attempt can be marked, so a reveal always follows a try.
    revealed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the learner asked to see the answer after this attempt (Show answer).",
    )
    # What this answer did to the learner's review card (quizzes/review.py); empty for
    # answers given before spaced review existed.
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The FSRS rating: 1 again, 2 hard, 3 good."
    )
    elapsed_days = models.FloatField(
        null=True,
        blank=True,
        help_text="Days since the card's previous review; empty for its first (or a fresh start).",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "nonce"], name="attempt_unique_nonce"),
        ]
        indexes = [
            # Covering indexes for the results dashboard (quizzes/stats.py): first tries of a
            # question in learner order, and all attempts of a question grouped per learner.
            models.Index(
                fields=["question", "is_first", "learner", "version", "is_correct"],
                name="attempt_first_tries",
            ),
            models.Index(
                fields=["question", "learner", "version", "is_first", "is_correct"],
                name="attempt_by_learner",
            ),
            models.Index(fields=["learner", "created_at"], name="attempt_learner_history"),
            # Learners who asked for the answer, per question version (results dashboard):
            # few rows, so a partial index keeps that count off the big covering indexes.
            models.Index(
                fields=["question", "version", "learner"],
                condition=models.Q(revealed_at__isnull=False),
                name="attempt_reveals",
            ),
            # Retention on the results dashboard: answers given a day or more after the
            # card's previous review (few of all attempts), per question version.
            models.Index(
                fields=["question", "version", "is_correct"],
                condition=models.Q(elapsed_days__gte=1),
                name="attempt_delayed_reviews",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.question_id}: {'right' if self.is_correct else 'wrong'}"


class TopicProgress(models.Model):
    """A topic the learner marked as read (scores and status come from attempts).

    Only topics without questions are marked as read, so these rows are not "progress": the
    admin calls them what they are.
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="progress")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="progress")
    read_at = models.DateTimeField(
        _("marked as read at"), help_text=_("When the learner marked this topic as read.")
    )

    class Meta:
        verbose_name = _("topic marked as read")
        verbose_name_plural = _("topics marked as read")
        constraints = [
            models.UniqueConstraint(fields=["learner", "topic"], name="progress_unique_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.topic}"


class ReviewCardQuerySet(models.QuerySet):
    def due(self, learner: Learner | int, now: datetime):
        """The learner's cards of live questions (in every course) that are due at `now`."""
        return self.filter(learner=learner, is_active=True, due__lte=now)


class ReviewCard(models.Model):
    """One learner's spaced-review state of one question: an FSRS card (quizzes/review.py).

    The FSRS fields are plain columns so that "what is due" is an index range, not a scan of
    serialised cards. `course` and `is_active` copy what the question's topic and course say
    (kept in step by the importer), so the header's due count never joins.
    """

    # No single-column indexes: the unique (learner, question) and the two below serve every
    # lookup, and each index is one more write per answer.
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="cards", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="cards", db_index=False
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+", db_index=False)
    is_active = models.BooleanField(
        default=True, help_text="False while its question, topic or course is retired."
    )
    state = models.PositiveSmallIntegerField(
        help_text="FSRS state: 1 learning, 2 review, 3 relearning."
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "question"], name="card_unique_question"),
        ]
        indexes = [
            # The header's due count and the review queue: one range of this index per learner.
            models.Index(
                fields=["learner", "due"],
                condition=models.Q(is_active=True),
                name="card_due",
            ),
            # Retiring, restoring and restarting a question's cards at import.
            models.Index(fields=["question", "is_active"], name="card_question"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.question_id}: due {self.due:%Y-%m-%d %H:%M}"


# --- login throttling (quizzes/throttle.py): failed-login counts shared by every server ---

# How many ended windows one pruning pass deletes at most (pruning runs on every failure).
PRUNE_BATCH = 500


def _count_sql(connection: BaseDatabaseWrapper, table: str, rows: int) -> str:
    """Insert each key with 1 failure, or add 1 to it (1 again once its window has ended)."""
    table, key, failures, ends = (
        connection.ops.quote_name(name) for name in (table, "key", "failures", "window_ends")
    )
    values = ", ".join(["(%s, 1, %s)"] * rows)
    running = f"{table}.{ends} > %s"
    return (
        f"INSERT INTO {table} ({key}, {failures}, {ends}) VALUES {values} "  # noqa: S608 - names
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{failures} = CASE WHEN {running} THEN {table}.{failures} + 1 ELSE 1 END, "
        f"{ends} = CASE WHEN {running} THEN {table}.{ends} ELSE excluded.{ends} END"
    )


class LoginFailureQuerySet(models.QuerySet):
    def record(self, keys: Sequence[str], window: timedelta, now: datetime | None = None) -> None:
        """Count one failure against each key; a key whose window has ended starts a new one.

        One INSERT ... ON CONFLICT DO UPDATE (SQLite and PostgreSQL both speak it): the
        database makes the insert-or-increment atomic, so concurrent failures from any number
        of processes are all counted, a row deleted meanwhile by `prune()` is simply inserted
        again, and nothing is read into Python first. Keys are always written in the order
        given (username, then address), so two such statements cannot deadlock.
        """
        keys = list(dict.fromkeys(keys))
        if not keys:
            return
        now = now or timezone.now()
        connection = connections[self.db]
        adapt = connection.ops.adapt_datetimefield_value
        params: list = []
        for key in keys:
            params += [key, adapt(now + window)]
        params += [adapt(now), adapt(now)]
        with connection.cursor() as cursor:
            cursor.execute(_count_sql(connection, self.model._meta.db_table, len(keys)), params)

    def blocked_until(
        self, limits: Mapping[str, int], now: datetime | None = None
    ) -> datetime | None:
        """When the last window of a key at or over its limit ends; None when no key is."""
        now = now or timezone.now()
        rows = self.filter(key__in=list(limits), window_ends__gt=now).values_list(
            "key", "failures", "window_ends"
        )
        ends = [until for key, count, until in rows if count >= limits[key]]
        return max(ends, default=None)

    def forget(self, key: str) -> None:
        """Drop the count kept for this key."""
        self.filter(key=key).delete()

    def prune(self, now: datetime | None = None) -> int:
        """Delete rows whose window has ended (they count as nothing); return how many."""
        now = now or timezone.now()
        with transaction.atomic(using=self.db):
            # SKIP LOCKED (PostgreSQL; SQLite serialises writers anyway): pruning never waits
            # for a row another request is counting, so it cannot take part in a deadlock.
            ended = list(
                self.filter(window_ends__lte=now)
                .select_for_update(skip_locked=True)
                .values_list("key", flat=True)[:PRUNE_BATCH]
            )
            if not ended:
                return 0
            deleted, _ = self.filter(key__in=ended, window_ends__lte=now).delete()
        return deleted


class LoginFailureCount(models.Model):
    """Failed logins for one username or one client address, in a window from the first."""

    # "user:" or "ip:" and an HMAC of the value: people type passwords into the username box,
    # so the table never holds what was typed.
    key = models.CharField(max_length=80, primary_key=True)
    failures = models.PositiveIntegerField()
    window_ends = models.DateTimeField(db_index=True)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        verbose_name = "login failure count"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures} until {self.window_ends:%Y-%m-%d %H:%M:%S}"
