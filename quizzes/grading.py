"""Grading and choice order: pure functions, no Django, so the rules are easy to test.

The server is the only place an answer is graded; pages carry opaque choice tokens only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalog; views translate it when they show it."""
    return message


class AnswerError(ValueError):
    """The submitted answer cannot be graded; the message says why, for the learner.

    The message is the English original: show it through gettext (see quizzes/views.py).
    """


@dataclass(frozen=True)
class Grade:
    is_correct: bool
    picked: frozenset
    correct: frozenset

    @property
    def missed(self) -> frozenset:
        """Correct choices the learner did not pick."""
        return self.correct - self.picked

    @property
    def wrong(self) -> frozenset:
        """Picked choices that are not correct."""
        return self.picked - self.correct


def grade_answer(
    correct: Iterable[Hashable],
    offered: Iterable[Hashable],
    picked: Sequence[Hashable],
    *,
    allows_many: bool,
) -> Grade:
    """Grade `picked` against the `correct` choices among those `offered`.

    Right means exactly the correct set: for select-all questions, every correct choice and
    no other. Raises AnswerError for an empty pick, an unknown choice, or several picks on a
    single-answer question.
    """
    offered_set = frozenset(offered)
    picked_set = frozenset(picked)
    if not picked_set:
        raise AnswerError(gettext_noop("Choose an answer before checking."))
    if not picked_set <= offered_set:
        raise AnswerError(
            gettext_noop("That choice is not part of this question. Reload the page and try again.")
        )
    if not allows_many and len(picked_set) > 1:
        raise AnswerError(gettext_noop("This question has one answer: choose only one."))
    correct_set = frozenset(correct)
    return Grade(picked_set == correct_set, picked_set, correct_set)


def shuffle_choices(
    choices: Sequence[T], pinned: Sequence[bool], ids: Sequence[str], key: bytes
) -> list[T]:
    """A stable order per `key`; pinned choices keep their authored position.

    Movable choices are ranked by a MAC of their stable `ids` under `key`, a secret the
    client never sees: an order seen on a page says nothing about the authored order (where
    authors tend to put the right answer first). Adding a choice leaves the others in order.
    The MAC is keyed BLAKE2b (a PRF by design): a quarter of HMAC-SHA256's cost, and every
    page view ranks each choice of each fresh question.
    """
    if not len(choices) == len(pinned) == len(ids):
        raise ValueError("choices, pinned and ids differ in length")
    order = choice_order(movable_places(pinned), [i.encode() for i in ids], key)
    return [choices[n] for n in order]


def movable_places(pinned: Sequence[bool]) -> list[int]:
    """Where the choices that are not pinned stand, in authored order."""
    return [n for n, pin in enumerate(pinned) if not pin]


def choice_order(movable: Sequence[int], ids: Sequence[bytes], key: bytes) -> list[int]:
    """`shuffle_choices` as indices, for callers that keep `movable_places` and the encoded
    ids (a page view orders seven questions with the same few choices)."""
    ranks = {n: hashlib.blake2b(ids[n], key=key, digest_size=16).digest() for n in movable}
    order = list(range(len(ids)))
    for place, n in zip(movable, sorted(movable, key=ranks.__getitem__), strict=True):
        order[place] = n
    return order
