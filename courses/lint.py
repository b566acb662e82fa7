"""Question-quality warnings for authors: habits that give answers away or confuse.

Pure Python over the parser's dataclasses (no Django). Warnings never block a load; each is
a `Problem` whose message starts with "warning:", so it prints as `path:line: warning: …`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from courses.content import CourseSource, Problem, QuestionSource, TopicSource

# The correct choice gives itself away when it is this much longer than every wrong one.
LONGEST_RATIO = 1.5
# Choices this similar (difflib ratio after normalising) read as the same answer twice.
NEAR_DUPLICATE = 0.9
# A topic needs this many single-answer questions before "always position N" means anything.
SAME_POSITION_MIN = 3
ABOVE_RE = re.compile(r"\b(all|none|both|neither) of the (above|previous|others)\b", re.I)


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, f"warning: {message}")


def normalise(text: str) -> str:
    """Lowercase, drop punctuation and Markdown marks, collapse spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def lint_course(course: CourseSource, topics: Iterable[TopicSource] | None = None) -> list[Problem]:
    """Question-quality warnings for `topics` (default: all), sorted by path and line."""
    found = [
        p for topic in (course.topics if topics is None else topics) for p in lint_topic(topic)
    ]
    return sorted(found, key=lambda p: (p.path, p.line, p.message))


def lint_topic(topic: TopicSource) -> list[Problem]:
    """Warnings for one topic's knowledge check."""
    found = [p for q in topic.questions for p in lint_question(topic.path, q)]
    found += same_position(topic)
    return found


def lint_question(path: str, q: QuestionSource) -> list[Problem]:
    """Warnings for one question."""
    if q.diagram is not None:
        # Answered on a diagram: learners see its tiers by name, in the diagram's fixed order
        # (tiers picked from a picture, not sentences to compare), so only the explanation
        # rule applies.
        return list(missing_explanation(path, q))
    return [
        *longest_correct(path, q),
        *near_duplicates(path, q),
        *above_without_pin(path, q),
        *missing_explanation(path, q),
    ]


def longest_correct(path: str, q: QuestionSource) -> Iterable[Problem]:
    right = [len(c.text) for c in q.choices if c.is_correct]
    wrong = [len(c.text) for c in q.choices if not c.is_correct]
    if right and wrong and min(right) >= LONGEST_RATIO * max(wrong):
        yield warning(
            path,
            q.line,
            f"the correct choice is the longest by far ({min(right)} characters, the longest "
            f"wrong one {max(wrong)}): learners can guess it from its length",
        )


def near_duplicates(path: str, q: QuestionSource) -> Iterable[Problem]:
    texts = [normalise(c.text) for c in q.choices]
    for i, choice in enumerate(q.choices):
        for j in range(i):
            matcher = difflib.SequenceMatcher(None, texts[j], texts[i], autojunk=False)
            # The quick ratios are cheap upper bounds: most pairs stop there.
            if (
                matcher.real_quick_ratio() < NEAR_DUPLICATE
                or matcher.quick_ratio() < NEAR_DUPLICATE
            ):
                continue
            ratio = matcher.ratio()
            if ratio >= NEAR_DUPLICATE:
                yield warning(
                    path,
                    choice.line,
                    f"choice {choice.text!r} is nearly the same as line {q.choices[j].line} "
                    f"({ratio:.0%} alike)",
                )
                break


def above_without_pin(path: str, q: QuestionSource) -> Iterable[Problem]:
    for choice in q.choices:
        if ABOVE_RE.search(choice.text) and not choice.pinned:
            yield warning(
                path,
                choice.line,
                f"{choice.text!r} refers to the other choices but is shuffled: "
                "add <!-- pin --> to keep it last",
            )


def missing_explanation(path: str, q: QuestionSource) -> Iterable[Problem]:
    if not q.explanation.strip():
        yield warning(path, q.line, "no explanation: add a paragraph after the choices saying why")


def same_position(topic: TopicSource) -> list[Problem]:
    """The right answer always in the same place in the file is a pattern readers learn."""
    # A diagram question's choices follow the diagram's order, so their place says nothing.
    single = [q for q in topic.questions if not q.allows_many and q.diagram is None]
    if len(single) < SAME_POSITION_MIN:
        return []
    positions = {next(i for i, c in enumerate(q.choices) if c.is_correct) for q in single}
    if len(positions) != 1:
        return []
    place = positions.pop() + 1
    return [
        warning(
            topic.path,
            single[0].line,
            f"the correct choice is choice {place} in all {len(single)} questions of this "
            "topic: vary its position (learners who see the file or an unshuffled list "
            "learn the pattern)",
        )
    ]
