"""A small hand-made results data set whose statistics are worked out by hand in the tests."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model

from courses.models import Course
from quizzes.models import Attempt, Learner, Question
from tests.factories import load, minimal_tree, topic_text

FOUR = """
### Q1?
<!-- id: q1 -->

- [x] A
- [ ] B
- [ ] C
- [ ] D

Why.

### Q2?
<!-- id: q2 -->

- [x] Right two
- [ ] Wrong two

Why.

### Q3?
<!-- id: q3 -->

- [x] Right three
- [ ] Wrong three

Why.

### Q4?
<!-- id: q4 -->

- [x] Right four
- [ ] Wrong four

Why.
"""
ONE = """
### Q5?
<!-- id: q5 -->

- [x] Right five
- [ ] Wrong five

Why.
"""
RIGHT = {"q1": "A", "q2": "Right two", "q3": "Right three", "q4": "Right four", "q5": "Right five"}
WRONG = {"q2": "Wrong two", "q3": "Wrong three", "q4": "Wrong four", "q5": "Wrong five"}
OLD_VERSION = "0ld0ld0ld0ld"


def answer(learner: Learner, key: str, text: str, *, first: bool, version: str = "") -> Attempt:
    """Store an attempt picking the choice with `text`, graded like the site would."""
    question = Question.objects.get(key=key)
    choice = question.choices.get(text=text)
    attempt = Attempt.objects.create(
        learner=learner,
        question=question,
        version=version or question.version,
        is_correct=choice.is_correct,
        is_first=first,
        nonce=secrets.token_hex(8),
    )
    attempt.choices.set([choice])
    return attempt


def build(tmp_path: Path) -> list[Learner]:
    """Two topics, five learners; see tests/quizzes/test_stats.py for the expected numbers.

    First tries (✓ right, ✗ wrong) on topic 1, and the learners' topic scores:
        L1: ✓ ✗ ✓ ✓  0.75     (then Q2 right on a retry: completes topic 1)
        L2: ✓ ✗ ✓ ✓  0.75
        L3: ✓ ✗ ✓ ✗  0.50
        L4: ✗ ✓ ✗ ✗  0.25     (Q1 picks B, then right on a retry)
        L5: ✗ ✓ ✗ ✗  0.25     (Q1 picks B; Q3 answered on the old version)
    Topic 2 (Q5): L1 right, L2 wrong.
    """
    root = minimal_tree(
        tmp_path / "content",
        {
            "01-first.md": topic_text(1, "First", questions=FOUR),
            "02-second.md": topic_text(2, "Second", questions=ONE),
        },
    )
    load(root)
    users = get_user_model().objects
    learners = [Learner.objects.create(user=users.create_user(f"l{i}")) for i in range(1, 6)]
    l1, l2, l3, l4, l5 = learners
    table = {
        l1: "✓✗✓✓",
        l2: "✓✗✓✓",
        l3: "✓✗✓✗",
        l4: "✗✓✗✗",
        l5: "✗✓✗✗",
    }
    for learner, marks in table.items():
        for key, mark in zip(["q1", "q2", "q3", "q4"], marks, strict=True):
            text = RIGHT[key] if mark == "✓" else WRONG.get(key, "B")
            version = OLD_VERSION if learner is l5 and key == "q3" else ""
            answer(learner, key, text, first=True, version=version)
    answer(l1, "q2", RIGHT["q2"], first=False)
    answer(l4, "q1", RIGHT["q1"], first=False)
    answer(l1, "q5", RIGHT["q5"], first=True)
    answer(l2, "q5", WRONG["q5"], first=True)
    return learners


def course() -> Course:
    return Course.objects.get(slug="course")
