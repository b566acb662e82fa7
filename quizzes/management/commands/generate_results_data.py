"""`manage.py generate_results_data`: synthetic learners and attempts for the results dashboard.

Realistic enough for question analysis to mean something: each learner has an ability, each
question a difficulty and a discrimination (a few negative), some distractors are never
picked, some questions have older versions, and learners drop off along the course.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from courses.models import Topic
from quizzes.models import Attempt, Choice, Learner, Question

BATCH = 5000


class Command(BaseCommand):
    help = (
        "Create synthetic learners and attempts on the loaded, active questions, for the "
        "results dashboard and its benchmark. Never run it against a real database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=1000, help="Learners to create.")
        parser.add_argument("--attempts", type=int, default=20000, help="Attempts to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable data).")
        parser.add_argument(
            "--users", type=float, default=0.5, help="Share of learners with an account."
        )

    def handle(self, *args, learners, attempts, seed, users, verbosity=1, **options):
        if learners < 1 or attempts < 0:
            raise CommandError("--learners must be at least 1 and --attempts not negative.")
        topics = list(Topic.objects.in_order())
        questions = [
            list(Question.objects.active().filter(topic=t).prefetch_related("choices"))
            for t in topics
        ]
        questions = [qs for qs in questions if qs]
        if not questions:
            raise CommandError("No active questions: run `manage.py load_content` first.")
        rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
        with transaction.atomic():
            people = self.create_learners(learners, users, seed)
            made = Generator(rng, questions).fill(people, attempts)
        if verbosity >= 1:
            self.stdout.write(f"Created {len(people)} learners and {made} attempts.")

    def create_learners(self, count: int, share: float, seed: int) -> list[Learner]:
        """Learners in bulk; a share of them with a user account (searchable by username)."""
        User = get_user_model()
        with_user = int(count * share)
        names = [f"learner-{seed}-{i}" for i in range(with_user)]
        # "!" is Django's unusable password: these accounts cannot log in.
        accounts = [User(username=name, password="!") for name in names]  # noqa: S106
        User.objects.bulk_create(accounts, batch_size=BATCH)
        accounts = list(User.objects.filter(username__in=names).order_by("pk"))
        people = [Learner(user=u) for u in accounts] + [
            Learner() for _ in range(count - len(accounts))
        ]
        # bulk_create returns primary keys on SQLite and PostgreSQL.
        return Learner.objects.bulk_create(people, batch_size=BATCH)


class Generator:
    """Draws answers from a two-parameter logistic model, then stores them in batches."""

    def __init__(self, rng: random.Random, topics: list[list[Question]]) -> None:
        self.rng = rng
        self.topics = topics
        self.items = {}
        for qs in topics:
            for q in qs:
                choices = [c for c in q.choices.all() if c.is_active]
                wrong = [c for c in choices if not c.is_correct]
                weights = [rng.random() for _ in wrong]
                if len(wrong) > 2 and rng.random() < 0.4:
                    weights[-1] = 0.0  # a distractor nobody falls for
                # A third of the questions were edited once: older answers carry the old hash.
                old = f"{rng.getrandbits(48):012x}" if rng.random() < 0.33 else None
                self.items[q.pk] = {
                    "difficulty": rng.gauss(0, 1.2),
                    "slope": -0.6 if rng.random() < 0.08 else rng.uniform(0.5, 2.0),
                    "right": [c for c in choices if c.is_correct],
                    "wrong": wrong,
                    "weights": weights,
                    "old": old,
                }
        self.start = timezone.now() - timedelta(days=60)
        self.batch: list[tuple[Attempt, list[Choice]]] = []
        self.made = 0

    def fill(self, learners: list[Learner], total: int) -> int:
        """First passes through the course, then review answers until `total` is reached."""
        budget = max(1, math.ceil(2 * total / len(learners)))
        seen: dict[int, list[Question]] = {}
        for learner in learners:
            if self.made >= total:
                break
            ability = self.rng.gauss(0, 1)
            seen[learner.pk] = answered = []
            spent = 0
            for qs in self.topics:
                for q in qs:
                    tries = 0
                    while tries < 3 and spent < budget and self.made < total:
                        right = self.answer(learner, q, ability, first=tries == 0)
                        tries, spent = tries + 1, spent + 1
                        if right:
                            break
                    if tries:
                        answered.append(q)
                # Each topic loses some learners; weaker ones give up sooner.
                if spent >= budget or self.rng.random() < 0.12 - 0.04 * ability:
                    break
            learner.ability = ability
        pool = [(lr, seen[lr.pk]) for lr in learners if seen.get(lr.pk)]
        while self.made < total and pool:
            learner, answered = self.rng.choice(pool)
            self.answer(learner, self.rng.choice(answered), learner.ability, first=False)
        self.flush()
        return self.made

    def answer(self, learner: Learner, q: Question, ability: float, *, first: bool) -> bool:
        item = self.items[q.pk]
        chance = 1 / (1 + math.exp(-item["slope"] * (ability - item["difficulty"])))
        right = self.rng.random() < (chance if first else max(chance, 0.7))
        if right or not item["wrong"]:
            picked = item["right"]
        elif sum(item["weights"]):
            picked = self.rng.choices(item["wrong"], weights=item["weights"])
        else:
            picked = item["wrong"][:1]
        # A third of the learners saw the old version of an edited question.
        version = item["old"] if item["old"] and learner.pk % 3 == 0 else q.version
        when = self.start + timedelta(seconds=self.made * 20 + self.rng.randrange(20))
        attempt = Attempt(
            learner=learner,
            question=q,
            version=version,
            is_correct=right,
            is_first=first,
            nonce=f"gen{self.made}",
            created_at=when,
            # Every fourth wrong answer asks for the answer (not drawn from the random
            # stream, so a seed keeps giving the same attempts).
            revealed_at=when + timedelta(seconds=5) if not right and self.made % 4 == 0 else None,
        )
        self.batch.append((attempt, picked))
        self.made += 1
        if len(self.batch) >= BATCH:
            self.flush()
        return right

    def flush(self) -> None:
        if not self.batch:
            return
        field = Attempt._meta.get_field("created_at")
        # auto_now_add would stamp every row "now"; the dashboard needs a spread of dates.
        field.auto_now_add = False
        try:
            stored = Attempt.objects.bulk_create([a for a, _ in self.batch])
        finally:
            field.auto_now_add = True
        Through = Attempt.choices.through
        Through.objects.bulk_create(
            [
                Through(attempt_id=a.pk, choice_id=c.pk)
                for a, (_, picked) in zip(stored, self.batch, strict=True)
                for c in picked
            ]
        )
        self.batch = []
