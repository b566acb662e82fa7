"""What the parser produces: plain dataclasses for a course tree, and its problems.

Pure Python (no Django). `courses.content` builds these from files; the importer, the lint
and the impact report read them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, at a file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content cannot be loaded; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ChoiceSource:
    text: str
    is_correct: bool
    feedback: str = ""
    pinned: bool = False
    line: int = 0


@dataclass
class QuestionSource:
    prompt: str
    choices: list[ChoiceSource]
    key: str = ""  # the author's stable id, or "" to let the importer recognise it
    body: str = ""
    explanation: str = ""
    line: int = 0
    # `<!-- on: spectrum -->`: the diagram the question is answered on, as written, and its
    # line; `diagram` is what of that diagram the question shows, filled in once resolved
    # (courses/diagram_questions.py). Its choices are then the diagram's tier ids.
    on: str = ""
    on_line: int = 0
    diagram: dict | None = None

    @property
    def tier_names(self) -> dict[str, str]:
        """Tier id -> tier name for a question answered on a diagram (else empty)."""
        return {t["id"]: t["name"] for t in self.diagram["tiers"]} if self.diagram else {}

    @property
    def allows_many(self) -> bool:
        """More than one correct choice makes it select-all-that-apply."""
        return sum(c.is_correct for c in self.choices) > 1

    @property
    def version(self) -> str:
        """A short hash of everything a learner sees and is graded on."""
        parts = [self.prompt, self.body, self.explanation]
        parts += [f"{c.is_correct}|{c.pinned}|{c.text}|{c.feedback}" for c in self.choices]
        if self.diagram is not None:
            # What the answer mode shows of the diagram (tier names, sizes, axis) is seen too.
            # Only then: every other question keeps the version its attempts were graded on.
            parts.append(json.dumps(self.diagram, sort_keys=True, ensure_ascii=False))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


@dataclass
class DiagramSource:
    kind: str
    data: dict
    line: int = 0


@dataclass
class TopicSource:
    path: str
    number: int
    title: str
    slug: str
    summary: str
    minutes: int | None
    body: str
    questions: list[QuestionSource]
    diagrams: list[DiagramSource]
    content_hash: str
    chapter_slug: str = ""
    # Front matter key -> line; a slug missing here came from the file name.
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class ChapterSource:
    path: str
    number: int
    title: str
    slug: str
    summary: str
    content_hash: str
    topics: list[TopicSource] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class CourseSource:
    path: str
    title: str
    slug: str
    description: str
    content_hash: str
    chapters: list[ChapterSource] = field(default_factory=list)
    summary: str = ""
    language: str = "en"
    order: int | None = None
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def topics(self) -> list[TopicSource]:
        return [t for ch in self.chapters for t in ch.topics]
