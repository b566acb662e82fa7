"""Questions answered on a diagram: `<!-- on: spectrum -->` and choices that are tier ids.

Pure Python (no Django). The parser calls `attach_diagrams` once a topic's diagram fences and
its Knowledge Check are parsed. A question that names a diagram gets:

- `diagram`: what the answer mode shows of that diagram (title, axis, every tier's id, name,
  size and size_mb) and its index among the topic's diagrams. Questions are answered and
  graded without reading their topic's diagrams, so the question row carries this copy.
- its choices in the diagram's order, all pinned: the diagram shows its tiers in one public
  order, so that order cannot hint at the answer, and no learner sees another order.

A reference is `<kind>` (the topic's only diagram of that kind) or `<kind> <n>` (its n-th,
counting from 1 in page order).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from courses.sources import DiagramSource, Problem, QuestionSource

# Kinds a question can be answered on, and the fields of each tier the answer mode shows.
ANSWERABLE_KINDS = ("spectrum",)
TIER_FIELDS = ("id", "name", "size", "size_mb")
REF_RE = re.compile(r"^(?P<kind>[a-z][a-z0-9-]*)(?: (?P<n>[0-9]{1,4}))?$")
HOW = "write <!-- on: spectrum --> (or <!-- on: spectrum 2 --> for the topic's second one)"


def attach_diagrams(
    questions: Sequence[QuestionSource],
    diagrams: Sequence[DiagramSource],
    path: str,
    problems: list[Problem],
) -> None:
    """Resolve each question's `on` reference and check its choices name that diagram's tiers."""
    for question in questions:
        if not question.on_line:
            continue
        index = resolve(question, diagrams, path, problems)
        if index is None:
            continue
        diagram = diagrams[index]
        if check_tiers(question, diagram, path, problems):
            bind(question, diagram, index)


def resolve(
    question: QuestionSource,
    diagrams: Sequence[DiagramSource],
    path: str,
    problems: list[Problem],
) -> int | None:
    """The index (among all the topic's diagrams) of the one the question names, or None."""
    line = question.on_line
    match = REF_RE.match(question.on)
    if match is None:
        problems.append(
            Problem(path, line, f"cannot read diagram reference {question.on!r}: {HOW}")
        )
        return None
    kind = match["kind"]
    if kind not in ANSWERABLE_KINDS:
        kinds = ", ".join(ANSWERABLE_KINDS)
        problems.append(
            Problem(
                path, line, f"questions cannot be answered on a {kind!r} diagram (only {kinds})"
            )
        )
        return None
    found = [i for i, d in enumerate(diagrams) if d.kind == kind]
    if not found:
        problems.append(
            Problem(path, line, f"this topic has no {kind} diagram to answer the question on")
        )
        return None
    if match["n"] is None:
        if len(found) > 1:
            lines = ", ".join(str(diagrams[i].line) for i in found)
            problems.append(
                Problem(
                    path,
                    line,
                    f"which {kind}? this topic has {len(found)} (lines {lines}): write "
                    f"<!-- on: {kind} 1 --> for the first, <!-- on: {kind} 2 --> for the second",
                )
            )
            return None
        return found[0]
    n = int(match["n"])
    if not 1 <= n <= len(found):
        count = f"{len(found)} {kind} diagram{'s' if len(found) > 1 else ''}"
        problems.append(Problem(path, line, f"there is no {kind} {n}: this topic has {count}"))
        return None
    return found[n - 1]


def check_tiers(
    question: QuestionSource, diagram: DiagramSource, path: str, problems: list[Problem]
) -> bool:
    """Every choice must be a tier id of the diagram (reported at the choice's line)."""
    ids = [t["id"] for t in diagram.data["tiers"]]
    ok = True
    for choice in question.choices:
        if choice.text not in ids:
            problems.append(
                Problem(
                    path,
                    choice.line,
                    f"choice {choice.text!r} is not a tier id of the {diagram.kind} on line "
                    f"{diagram.line}: use one of {', '.join(ids)}",
                )
            )
            ok = False
    return ok


def bind(question: QuestionSource, diagram: DiagramSource, index: int) -> None:
    """Give the question its copy of the diagram, and its choices in the diagram's order."""
    data = diagram.data
    tiers = [{field: t[field] for field in TIER_FIELDS} for t in data["tiers"]]
    question.diagram = {
        "kind": diagram.kind,
        "index": index,
        "title": data["title"],
        "axis": {"top": data["axis"]["top"], "bottom": data["axis"]["bottom"]},
        "tiers": tiers,
    }
    order = {t["id"]: n for n, t in enumerate(tiers)}
    question.choices.sort(key=lambda c: order[c.text])
    for choice in question.choices:
        choice.pinned = True
