"""The Knowledge Check section of a topic: `###` questions, task-list choices, feedback.

Pure Python (no Django). Fenced code is opaque: a code sample in a question's body, a
choice's feedback or its explanation may hold lines that look like `### ` headings or
`- [x]` choices, and they stay code.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from courses.sources import ChoiceSource, Problem, QuestionSource

KNOWLEDGE_CHECK = "knowledge check"
FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
CHOICE_RE = re.compile(r"^[-*+] \[(?P<mark>[ xX])\] ?(?P<text>.*)$")
ID_COMMENT_RE = re.compile(r"^<!--\s*id:\s*(?P<id>\S*)\s*-->$")
# The diagram a question is answered on (courses/diagram_questions.py resolves it).
ON_COMMENT_RE = re.compile(r"^<!--\s*on:(?P<ref>.*?)-->$")
PIN_RE = re.compile(r"\s*<!--\s*pin\s*-->\s*$")
# Question ids stay ASCII: they appear in anchors and `?retry=` links.
FENCE_STARTS = (" ", "`", "~")
COMMENT = "<!--"
QUESTION_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_QUESTION_ID = 100  # quizzes.models.Question.key


def heading(line: str, level: int) -> str | None:
    """The text of an ATX heading of exactly `level`, or None."""
    marks = "#" * level
    if line.startswith(marks + " ") and not line.startswith(marks + "#"):
        return line[level + 1 :].strip().rstrip("#").strip()
    return None


def fence_owners(lines: list[str]) -> tuple[list[int | None], int | None]:
    """Per line, the index of the fence opening it belongs to (None outside code fences),
    and the index of a fence left open at the end (None when all are closed).

    An HTML comment over several lines counts as a fence: Markdown shows none of it, so a
    commented-out heading or choice is neither a section nor a question. (An unclosed `<!--`
    is left as text, as before.)
    """
    owners: list[int | None] = [None] * len(lines)
    opened = None
    marker = ""
    last_close = None  # the last line holding "-->", looked for once a comment opens
    for i, line in enumerate(lines):
        match = FENCE_RE.match(line) if line[:1] in FENCE_STARTS else None
        if opened is None:
            if match:
                opened, marker = i, match["fence"]
            elif "<!--" in line and opens_comment(line):  # the test in C first: most lines
                if last_close is None:
                    last_close = max(
                        (j for j, text in enumerate(lines) if "-->" in text), default=-1
                    )
                opened, marker = (i, COMMENT) if last_close > i else (None, "")
            owners[i] = opened
            continue
        owners[i] = opened
        if marker == COMMENT:
            opened = None if "-->" in line else opened
        elif (
            match
            and match["fence"][0] == marker[0]
            and len(match["fence"]) >= len(marker)
            and not match["info"]
        ):
            opened = None
    return owners, opened


def opens_comment(line: str) -> bool:
    """An HTML comment starts on this line and does not end on it."""
    text = line.lstrip(" ")
    return len(line) - len(text) <= 3 and text.startswith(COMMENT) and "-->" not in text[4:]


def in_comment(lines: list[str], owners: list[int | None], i: int) -> bool:
    owner = owners[i]
    return owner is not None and opens_comment(lines[owner])


class Section(NamedTuple):
    """A topic body split around its Knowledge Check."""

    body: list[str]  # the page body: all lines but the section's
    lines: list[str]  # the section's lines after its heading
    start: int | None  # index of the section heading, None without one
    owners: list[int | None]  # fence_owners() of `lines`, indices relative to them
    unclosed: int | None  # index in `lines` of a fence never closed


def split_knowledge_check(lines: list[str]) -> Section:
    """Split body lines around the Knowledge Check section.

    The section runs from `## Knowledge Check` to the next `##` heading; anything after it
    stays in the page body. Headings inside code fences do not count.
    """
    owners, opened = fence_owners(lines)
    start = end = None
    for i, line in enumerate(lines):
        title = None if owners[i] is not None else heading(line, 2)
        if title is None:
            continue
        if start is None and title.lower() == KNOWLEDGE_CHECK:
            start = i
        elif start is not None and end is None:
            end = i
    if start is None:
        return Section(lines, [], None, [], None)
    end = len(lines) if end is None else end
    first = start + 1
    return Section(
        lines[:start] + lines[end:],
        lines[first:end],
        start,
        [None if o is None else o - first for o in owners[first:end]],
        opened - first if opened is not None and opened >= first else None,
    )


def parse_questions(
    section: Section, path: str, first_line: int, problems: list[Problem]
) -> list[QuestionSource]:
    """Parse the knowledge-check section: each `###` heading outside code is one question."""
    lines, owners, unclosed = section.lines, section.owners, section.unclosed
    if unclosed is not None:
        problems.append(Problem(path, first_line + unclosed, "code fence is never closed"))
    starts = [
        i for i, line in enumerate(lines) if owners[i] is None and heading(line, 3) is not None
    ]
    stray = [
        i
        for i, line in enumerate(lines[: starts[0] if starts else len(lines)])
        if line.strip() and not in_comment(lines, owners, i)
    ]
    if stray:
        problems.append(
            Problem(
                path,
                first_line + stray[0],
                "text in Knowledge Check before the first question: start each question "
                "with a '### ' heading",
            )
        )
    questions: list[QuestionSource] = []
    seen_ids: dict[str, int] = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        owned = [None if o is None else o - start for o in owners[start:end]]
        question = parse_question(lines[start:end], owned, path, first_line + start, problems)
        if question is None:
            continue
        if question.key:
            if question.key in seen_ids:
                problems.append(
                    Problem(
                        path,
                        question.line,
                        f"duplicate question id '{question.key}' (also on line "
                        f"{seen_ids[question.key]})",
                    )
                )
            seen_ids[question.key] = question.line
        questions.append(question)
    return questions


class QuestionParts:
    """What a question's lines add up to, filled in line by line."""

    def __init__(self) -> None:
        self.key = ""
        self.on = ""
        self.on_line = 0
        self.body: list[str] = []
        self.explanation: list[str] = []
        self.choices: list[ChoiceSource] = []
        self.feedback: list[list[str]] = []
        self.state = "body"  # body -> choices -> explanation
        self.fence_in_feedback = False
        self.fence_indent = 0

    def text(self, line: str) -> None:
        (self.body if self.state == "body" else self.explanation).append(line)

    def fenced(self, line: str, opens: bool) -> None:
        """A line of fenced code: verbatim, in the part where its fence opened."""
        if opens:
            # An indented fence under a choice is that choice's feedback, as text would be.
            self.fence_in_feedback = self.state == "choices" and line.startswith("  ")
            self.fence_indent = len(line) - len(line.lstrip(" "))
            if self.state == "choices" and not self.fence_in_feedback:
                self.state = "explanation"
        if self.fence_in_feedback:
            strip = min(self.fence_indent, len(line) - len(line.lstrip(" ")))
            self.feedback[-1].append(line[strip:])
        else:
            self.text(line)


def parse_question(
    lines: list[str], owners: list[int | None], path: str, line: int, problems: list[Problem]
) -> QuestionSource | None:
    prompt = heading(lines[0], 3) or ""
    before = len(problems)
    if not prompt:
        problems.append(Problem(path, line, "question heading is empty"))
    parts = QuestionParts()
    for offset, text in enumerate(lines[1:], start=1):
        owner = owners[offset]
        if owner is not None:
            if not opens_comment(lines[owner]):  # a comment shows nothing: skip its lines
                parts.fenced(text, opens=owner == offset)
        else:
            read_line(parts, text, path, line + offset, problems)
    choices = parts.choices
    for choice, feedback in zip(choices, parts.feedback, strict=True):
        choice.feedback = "\n".join(feedback).strip()
    check_choices(choices, path, line, problems)
    if len(problems) > before:
        return None
    return QuestionSource(
        prompt=prompt,
        choices=choices,
        key=parts.key,
        body="\n".join(parts.body).strip(),
        explanation="\n".join(parts.explanation).strip(),
        line=line,
        on=parts.on,
        on_line=parts.on_line,
    )


def read_line(parts: QuestionParts, text: str, path: str, at: int, problems: list[Problem]) -> None:
    """One line outside code: an id, a choice, feedback, or body or explanation text."""
    id_match = ID_COMMENT_RE.match(text.strip())
    if id_match and parts.state == "body" and not parts.key:
        parts.key = id_match["id"]
        if not QUESTION_ID_RE.match(parts.key):
            problems.append(
                Problem(
                    path,
                    at,
                    f"question id {parts.key!r} must be lowercase letters, digits and hyphens",
                )
            )
        elif len(parts.key) > MAX_QUESTION_ID:
            problems.append(
                Problem(path, at, f"question id is longer than {MAX_QUESTION_ID} characters")
            )
        return
    on_match = ON_COMMENT_RE.match(text.strip())
    if on_match and parts.state == "body" and not parts.on_line:
        parts.on, parts.on_line = " ".join(on_match["ref"].split()), at
        return
    choice = CHOICE_RE.match(text)
    if choice:
        if parts.state == "explanation":
            problems.append(
                Problem(path, at, "choices must form one list: this choice follows the explanation")
            )
            return
        parts.state = "choices"
        raw = choice["text"]
        pinned = bool(PIN_RE.search(raw))
        raw = PIN_RE.sub("", raw).strip()
        if not raw:
            problems.append(Problem(path, at, "choice text is empty"))
        parts.choices.append(ChoiceSource(raw, choice["mark"] != " ", pinned=pinned, line=at))
        parts.feedback.append([])
        return
    if parts.state == "choices":
        if text.startswith(("  ", "\t")) and text.strip():
            parts.feedback[-1].append(text.strip())
            return
        if not text.strip():
            return
        parts.state = "explanation"
    parts.text(text)


def check_choices(
    choices: list[ChoiceSource], path: str, line: int, problems: list[Problem]
) -> None:
    """At least two choices, one of them correct, none twice."""
    if len(choices) < 2:
        problems.append(
            Problem(
                path,
                line,
                f"question needs at least two choices ('- [x]' / '- [ ]'), has {len(choices)}",
            )
        )
    elif not any(c.is_correct for c in choices):
        problems.append(
            Problem(path, line, "question has no correct choice: mark one with '- [x]'")
        )
    # The importer knows a choice by its text, case and spacing ignored (quizzes.sync).
    texts = [" ".join(c.text.split()).lower() for c in choices]
    for c, text in zip(choices, texts, strict=True):
        if texts.count(text) > 1:
            problems.append(
                Problem(path, c.line, f"choice {c.text!r} appears twice in this question")
            )
            break
