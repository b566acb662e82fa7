"""Upsert a topic's knowledge-check questions, keeping each question's identity.

Identity rule (documented in docs/authoring.md):
1. A question with an `id` is the question whose key that id was (`key_authored`).
2. Otherwise it is the topic's question with the same prompt text (ignoring case and spacing),
3. else the one with the same correct-choice text, so rewording either the prompt or the
   answers keeps attempts attached — rewording both at once makes a new question.
Ids and automatic keys are separate namespaces: an id never names a question whose key the
importer chose, even when the strings are equal. That question keeps its row (and attempts)
and moves to a fresh automatic key, and the id goes to the question that has it. A matched
question keeps its key even if it was an automatic one; an author adding an `id` to such a
question renames the key in place. Unmatched old questions are retired.
Choices are identified by their text within the question; edited text is a new choice.
A question whose set of right choices changes (by that identity) keeps its attempts, but its
review cards start afresh (quizzes/review.py::restart_cards): learners remember the old answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.utils.text import slugify

from courses.content import QuestionSource
from courses.models import Topic
from quizzes import clock
from quizzes.models import Choice, Question
from quizzes.review import restart_cards

if TYPE_CHECKING:
    from courses.importer import LoadReport


@dataclass
class RenderedChoice:
    text_html: str
    feedback_html: str


@dataclass
class RenderedQuestion:
    prompt_html: str
    body_html: str
    explanation_html: str
    choices: list[RenderedChoice]


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def correct_key(texts: list[tuple[str, bool]]) -> str:
    return "\x1f".join(sorted(normalize(t) for t, ok in texts if ok))


def same_prompt(src: QuestionSource, q: Question) -> bool:
    return normalize(src.prompt) == normalize(q.prompt_text)


def same_answer(src: QuestionSource, q: Question) -> bool:
    return correct_key([(c.text, c.is_correct) for c in src.choices]) == correct_key(
        [(c.text, c.is_correct) for c in q.choices.all()]
    )


def answer_changed(src: QuestionSource, q: Question) -> bool:
    """Whether the right choices of the file's question differ from the stored live ones."""
    live = [(c.text, c.is_correct) for c in q.choices.all() if c.is_active]
    return correct_key(live) != correct_key([(c.text, c.is_correct) for c in src.choices])


def key_is_authored(q: Question, idless: list[QuestionSource]) -> bool:
    """Whether `q`'s key came from an author's id (so an id may name it)."""
    if q.key_authored is not None:
        return q.key_authored
    # Rows loaded before this was recorded: a key that an id-less question in the file still
    # matches by prompt or answer was the importer's.
    return not any(same_prompt(src, q) or same_answer(src, q) for src in idless)


def match_questions(
    sources: list[QuestionSource], existing: list[Question]
) -> list[Question | None]:
    """Pair each source question with the existing row it continues, or None when new."""
    idless = [src for src in sources if not src.key]
    by_key = {q.key: q for q in existing if key_is_authored(q, idless)}
    claimed: set[int] = set()
    matches: list[Question | None] = [None] * len(sources)
    for i, src in enumerate(sources):
        if src.key and src.key in by_key:
            matches[i] = by_key[src.key]
            claimed.add(by_key[src.key].pk)
    candidates = [q for q in existing if q.pk not in claimed]
    # Active rows first, so a restored copy of a question does not steal from the live one.
    candidates.sort(key=lambda q: (not q.is_active, q.position))
    for rule in (same_prompt, same_answer):
        for i, src in enumerate(sources):
            if matches[i] is not None:
                continue
            for q in candidates:
                if q.pk not in claimed and rule(src, q):
                    matches[i] = q
                    claimed.add(q.pk)
                    break
    return matches


def new_key(prompt: str, taken: set[str]) -> str:
    base = slugify(prompt)[:60].strip("-") or "question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def plan_keys(
    sources: list[QuestionSource], matches: list[Question | None], existing: list[Question]
) -> tuple[list[str], dict[int, str]]:
    """The key of each source question, and the new key of each row whose key changes.

    A row whose automatic key an id now names moves to a fresh automatic key.
    """
    ids = {src.key for src in sources if src.key}
    named = {q.pk: src.key for src, q in zip(sources, matches, strict=True) if q and src.key}
    taken = ids | {q.key for q in existing}
    moves = {
        q.pk: named.get(q.pk) or new_key(q.prompt_text, taken)
        for q in existing
        if q.key != named.get(q.pk, q.key) or (q.pk not in named and q.key in ids)
    }
    keys = [
        src.key or (moves.get(q.pk, q.key) if q else new_key(src.prompt, taken))
        for src, q in zip(sources, matches, strict=True)
    ]
    return keys, moves


def move_keys(existing: list[Question], moves: dict[int, str]) -> None:
    """Give rows their new keys; parked first, so keys can trade places in one load."""
    rows = [q for q in existing if q.pk in moves]
    for q in rows:
        q.key = f"~{q.pk}"  # no id or automatic key has a "~"
    Question.objects.bulk_update(rows, ["key"])
    for q in rows:
        q.key = moves[q.pk]
    Question.objects.bulk_update(rows, ["key"])


def sync_questions(
    topic: Topic,
    sources: list[QuestionSource],
    rendered: list[RenderedQuestion],
    report: LoadReport,
) -> list[str]:
    """Upsert `sources` as the topic's active questions; retire the rest. Returns their keys."""
    existing = list(Question.objects.filter(topic=topic).prefetch_related("choices"))
    matches = match_questions(sources, existing)
    keys, moves = plan_keys(sources, matches, existing)
    if moves:
        move_keys(existing, moves)
    kept: set[int] = set()
    new_answer: list[int] = []
    new: list[tuple[Question, QuestionSource, RenderedQuestion]] = []
    rows = zip(sources, rendered, matches, keys, strict=True)
    for position, (src, page, question, key) in enumerate(rows):
        values = question_values(src, page, position)
        if question is None:
            new.append((Question(topic=topic, key=key, **values), src, page))
            report.add("questions", "created")
            continue
        if question.version != src.version and answer_changed(src, question):
            new_answer.append(question.pk)
        changed = question.version != src.version or question.pk in moves
        changed = changed or not question.is_active or question.position != position
        for k, v in values.items():
            setattr(question, k, v)
        question.save()
        report.add("questions", "updated" if changed else "unchanged")
        kept.add(question.pk)
        sync_choices(question, src, page)
    kept.update(create_questions(new))
    if new_answer:
        restart_cards(new_answer, clock.now())
    retired = (
        Question.objects.filter(topic=topic, is_active=True)
        .exclude(pk__in=kept)
        .update(is_active=False)
    )
    report.add("questions", "retired", retired)
    return keys


def question_values(src: QuestionSource, page: RenderedQuestion, position: int) -> dict:
    """The stored values of a question at `position` in its topic."""
    return {
        "position": position,
        "prompt_html": page.prompt_html,
        "prompt_text": src.prompt,
        "body_html": page.body_html,
        "explanation_html": page.explanation_html,
        "allows_many": src.allows_many,
        "version": src.version,
        "source_line": src.line,
        "diagram": src.diagram or {},
        "is_active": True,
        "key_authored": bool(src.key),
    }


def create_questions(new: list[tuple[Question, QuestionSource, RenderedQuestion]]) -> list[int]:
    """Write new questions and all their choices; returns their ids.

    Two statements for a topic's new questions (on a cold load, most rows) where the
    database tells the new ids back (SQLite 3.35 and later, PostgreSQL); one per question
    where it cannot.
    """
    questions = [q for q, _, _ in new]
    if connection.features.can_return_rows_from_bulk_insert:
        Question.objects.bulk_create(questions)
    else:
        for question in questions:
            question.save()
    Choice.objects.bulk_create([c for q, src, page in new for c in new_choices(q, src, page)])
    return [q.pk for q in questions]


CHOICE_FIELDS = [
    "text",
    "text_html",
    "is_correct",
    "feedback_html",
    "pinned",
    "position",
    "is_active",
]


def choice_values(src: QuestionSource, page: RenderedQuestion) -> list[dict]:
    """The stored values of each choice a question offers, in order."""
    return [
        {
            "text": choice_src.text,
            "text_html": choice_page.text_html,
            "is_correct": choice_src.is_correct,
            "feedback_html": choice_page.feedback_html,
            "pinned": choice_src.pinned,
            "position": position,
            "is_active": True,
        }
        for position, (choice_src, choice_page) in enumerate(
            zip(src.choices, page.choices, strict=True)
        )
    ]


def new_choices(question: Question, src: QuestionSource, page: RenderedQuestion) -> list[Choice]:
    """Unsaved choices of a question created just now (it has none to read or retire)."""
    return [Choice(question=question, **values) for values in choice_values(src, page)]


def sync_choices(question: Question, src: QuestionSource, page: RenderedQuestion) -> None:
    """Upsert the choices of a stored question by their text; retire the ones no longer
    offered."""
    existing = {normalize(c.text): c for c in question.choices.all()}
    kept: set[int] = set()
    to_create = []
    to_update = []
    for values in choice_values(src, page):
        choice = existing.get(normalize(values["text"]))
        if choice is None:
            to_create.append(Choice(question=question, **values))
        else:
            kept.add(choice.pk)
            if any(getattr(choice, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(choice, k, v)
                to_update.append(choice)
    Choice.objects.bulk_create(to_create)
    Choice.objects.bulk_update(to_update, CHOICE_FIELDS)
    question.choices.filter(is_active=True).exclude(pk__in=kept).exclude(
        pk__in=[c.pk for c in to_create]
    ).update(is_active=False)
