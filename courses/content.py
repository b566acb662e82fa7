"""Parse a course tree of Markdown files into plain dataclasses.

Pure Python (no Django): the importer turns these into rows, tests feed it strings. Every
problem is collected as a `Problem` with its `path:line`, and `parse_course` raises one
`ContentError` carrying all of them, so an author fixes a whole tree in one pass.
The format is documented in docs/authoring.md.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from courses.diagrams import DIAGRAM_KINDS, validate_diagram
from courses.fences import is_known_language

COURSE_FILE = "course.md"
CHAPTER_FILE = "chapter.md"
IGNORED_FILES = {"readme.md"}
KNOWLEDGE_CHECK = "knowledge check"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBER_PREFIX_RE = re.compile(r"^\d+[-_ ]+")
FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
CHOICE_RE = re.compile(r"^[-*+] \[(?P<mark>[ xX])\] ?(?P<text>.*)$")
ID_COMMENT_RE = re.compile(r"^<!--\s*id:\s*(?P<id>\S*)\s*-->$")
PIN_RE = re.compile(r"\s*<!--\s*pin\s*-->\s*$")


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

    @property
    def allows_many(self) -> bool:
        """More than one correct choice makes it select-all-that-apply."""
        return sum(c.is_correct for c in self.choices) > 1

    @property
    def version(self) -> str:
        """A short hash of everything a learner sees and is graded on."""
        parts = [self.prompt, self.body, self.explanation]
        parts += [f"{c.is_correct}|{c.pinned}|{c.text}|{c.feedback}" for c in self.choices]
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


@dataclass
class ChapterSource:
    path: str
    number: int
    title: str
    slug: str
    summary: str
    content_hash: str
    topics: list[TopicSource] = field(default_factory=list)


@dataclass
class CourseSource:
    path: str
    title: str
    slug: str
    description: str
    content_hash: str
    chapters: list[ChapterSource] = field(default_factory=list)

    @property
    def topics(self) -> list[TopicSource]:
        return [t for ch in self.chapters for t in ch.topics]


# --- front matter -------------------------------------------------------------------------

FRONT_MATTER_KEYS = {
    "course": {"title": True, "slug": False},
    "chapter": {"number": True, "title": True, "slug": False, "summary": False},
    "topic": {
        "number": True,
        "title": True,
        "slug": False,
        "summary": False,
        "minutes": False,
    },
}


FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


# libyaml parses YAML ~10x faster; its error messages differ, so on an error the
# pure-Python parser runs again to report the message authors are used to.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """yaml.safe_load, through libyaml when it is there."""
    try:
        return yaml.load(text, Loader=FastLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def split_front_matter(text: str, path: str, problems: list[Problem]) -> tuple[dict, str, int]:
    """Return (front matter, body, line number of the body's first line).

    The front matter dict carries each key's line under the private key `__lines__`.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "missing front matter: the file must start with '---'"))
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        problems.append(Problem(path, 1, "front matter is not closed: add a '---' line after it"))
        return {}, "", len(lines)
    try:
        data = load_yaml("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or "not valid YAML"
        problems.append(Problem(path, line, f"invalid front matter: {reason}"))
        return {}, "\n".join(lines[end + 1 :]), end + 2
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "invalid front matter: expected 'key: value' lines"))
        data = {}
    lines_of = {}
    for n, line in enumerate(lines[1:end], start=2):
        match = FRONT_KEY_RE.match(line)
        if match:
            lines_of.setdefault(match[1], n)
    data["__lines__"] = lines_of
    return data, "\n".join(lines[end + 1 :]), end + 2


def check_front_matter(
    data: dict, kind: str, path: str, problems: list[Problem], default_slug: str
) -> dict | None:
    """Validate front matter keys and types; return cleaned values or None when unusable."""
    allowed = FRONT_MATTER_KEYS[kind]
    lines_of = data.pop("__lines__", {})

    def line(key: str) -> int:
        return lines_of.get(key, 2)

    ok = True
    for key in data:
        if key not in allowed:
            names = ", ".join(allowed)
            problems.append(
                Problem(path, line(key), f"unknown front matter key '{key}' (allowed: {names})")
            )
            ok = False
    for key, required in allowed.items():
        if required and key not in data:
            problems.append(Problem(path, 1, f"front matter is missing '{key}'"))
            ok = False
    clean: dict = {}
    if "number" in data:
        number = data["number"]
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            problems.append(
                Problem(path, line("number"), f"'number' must be a whole number, not {number!r}")
            )
            ok = False
        clean["number"] = number
    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, line("title"), "'title' must be non-empty text"))
            ok = False
        else:
            clean["title"] = title.strip()
    slug = data.get("slug", default_slug)
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        problems.append(
            Problem(
                path, line("slug"), f"slug {slug!r} must be lowercase letters, digits and hyphens"
            )
        )
        ok = False
    clean["slug"] = slug
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        problems.append(Problem(path, line("summary"), "'summary' must be text"))
        ok = False
    clean["summary"] = str(summary).strip()
    minutes = data.get("minutes")
    if minutes is not None and (
        isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0
    ):
        problems.append(
            Problem(
                path, line("minutes"), f"'minutes' must be a positive whole number, not {minutes!r}"
            )
        )
        ok = False
    clean["minutes"] = minutes
    return clean if ok else None


# --- files ---------------------------------------------------------------------------------


def read_text(file: Path, rel: str, problems: list[Problem]) -> tuple[str, str] | None:
    """Return (text, sha256) of a UTF-8 file, or record why it cannot be used."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "file is not valid UTF-8 text"))
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, "file is empty"))
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, hashlib.sha256(raw).hexdigest()


def default_slug(name: str) -> str:
    """'02-images' -> 'images'; '12-base-images.md' -> 'base-images'."""
    stem = name.removesuffix(".md")
    stem = NUMBER_PREFIX_RE.sub("", stem).lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "untitled"


def parse_course(root: Path) -> CourseSource:
    """Parse the whole content tree under `root`, raising ContentError with every problem."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "content directory does not exist")])
    base = root.name

    def rel(path: Path) -> str:
        return str(Path(base) / path.relative_to(root))

    course = None
    course_file = root / COURSE_FILE
    if not course_file.is_file():
        problems.append(Problem(rel(course_file), 1, "missing course file (title, description)"))
    else:
        course = parse_course_file(course_file, rel(course_file), problems, default_slug(base))

    for stray in sorted(root.glob("*.md")):
        if stray.name != COURSE_FILE and stray.name.lower() not in IGNORED_FILES:
            problems.append(
                Problem(rel(stray), 1, "topic outside a chapter folder: move it into one")
            )

    chapters: list[ChapterSource] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        topic_files = sorted(
            p
            for p in folder.rglob("*.md")
            if p.name not in {CHAPTER_FILE} and p.name.lower() not in IGNORED_FILES
        )
        chapter_file = folder / CHAPTER_FILE
        if not chapter_file.is_file():
            if topic_files:
                problems.append(
                    Problem(
                        rel(topic_files[0]),
                        1,
                        f"topic outside a chapter folder: {rel(folder)} has no {CHAPTER_FILE}",
                    )
                )
            continue
        chapter = parse_chapter_file(chapter_file, rel(chapter_file), problems, folder.name)
        for topic_file in topic_files:
            if topic_file.parent != folder:
                problems.append(
                    Problem(
                        rel(topic_file),
                        1,
                        "topic outside a chapter folder: topics sit directly in a chapter folder",
                    )
                )
                continue
            topic = parse_topic_file(topic_file, rel(topic_file), problems)
            if topic is not None and chapter is not None:
                topic.chapter_slug = chapter.slug
                chapter.topics.append(topic)
        if chapter is not None:
            chapter.topics.sort(key=lambda t: t.number)
            chapters.append(chapter)

    chapters.sort(key=lambda c: c.number)
    check_unique(chapters, "chapter", problems)
    check_unique([t for c in chapters for t in c.topics], "topic", problems)
    if problems:
        raise ContentError(problems)
    assert course is not None
    course.chapters = chapters
    return course


def check_unique(items: list, kind: str, problems: list[Problem]) -> None:
    """Numbers and slugs must each name one chapter (or one topic) in the course."""
    for attr in ("number", "slug"):
        seen: dict = {}
        for item in items:
            value = getattr(item, attr)
            if value in seen:
                problems.append(
                    Problem(
                        item.path,
                        2,
                        f"duplicate {kind} {attr} {value!r}: also used by {seen[value]}",
                    )
                )
            else:
                seen[value] = item.path


def parse_course_file(
    file: Path, path: str, problems: list[Problem], slug: str
) -> CourseSource | None:
    read = read_text(file, path, problems)
    if read is None:
        return None
    text, digest = read
    data, body, _ = split_front_matter(text, path, problems)
    clean = check_front_matter(data, "course", path, problems, slug)
    if clean is None:
        return None
    return CourseSource(path, clean["title"], clean["slug"], body.strip(), digest)


def parse_chapter_file(
    file: Path, path: str, problems: list[Problem], folder: str
) -> ChapterSource | None:
    read = read_text(file, path, problems)
    if read is None:
        return None
    text, digest = read
    data, body, _ = split_front_matter(text, path, problems)
    clean = check_front_matter(data, "chapter", path, problems, default_slug(folder))
    if clean is None:
        return None
    summary = clean["summary"] or body.strip()
    return ChapterSource(path, clean["number"], clean["title"], clean["slug"], summary, digest)


def parse_topic_file(file: Path, path: str, problems: list[Problem]) -> TopicSource | None:
    read = read_text(file, path, problems)
    if read is None:
        return None
    return parse_topic_text(read[0], path, problems, default_slug(file.name), read[1])


def parse_topic_text(
    text: str,
    path: str,
    problems: list[Problem],
    slug: str = "topic",
    content_hash: str = "",
) -> TopicSource | None:
    """Parse one topic file's text; problems are appended, None when it cannot be used."""
    before = len(problems)
    data, body, first_line = split_front_matter(text, path, problems)
    clean = check_front_matter(data, "topic", path, problems, slug) if data else None
    lines = body.split("\n")
    body_lines, check_lines, check_start = split_knowledge_check(lines)
    diagrams = find_diagrams(body_lines, path, first_line, problems)
    questions: list[QuestionSource] = []
    if check_start is not None:
        questions = parse_questions(check_lines, path, first_line + check_start + 1, problems)
    if len(problems) > before or clean is None:
        return None
    return TopicSource(
        path=path,
        number=clean["number"],
        title=clean["title"],
        slug=clean["slug"],
        summary=clean["summary"],
        minutes=clean["minutes"],
        body="\n".join(body_lines).strip() + "\n",
        questions=questions,
        diagrams=diagrams,
        content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
    )


def heading(line: str, level: int) -> str | None:
    """The text of an ATX heading of exactly `level`, or None."""
    marks = "#" * level
    if line.startswith(marks + " ") and not line.startswith(marks + "#"):
        return line[level + 1 :].strip().rstrip("#").strip()
    return None


def split_knowledge_check(lines: list[str]) -> tuple[list[str], list[str], int | None]:
    """Split body lines into (page body, knowledge-check lines, index of the section heading).

    The section runs from `## Knowledge Check` to the next `##` heading; anything after it
    stays in the page body. Headings inside code fences do not count.
    """
    in_fence = None
    start = end = None
    for i, line in enumerate(lines):
        match = FENCE_RE.match(line)
        if match:
            marker = match["fence"]
            if in_fence is None:
                in_fence = marker
            elif (
                marker.startswith(in_fence[0])
                and len(marker) >= len(in_fence)
                and not match["info"]
            ):
                in_fence = None
            continue
        if in_fence:
            continue
        title = heading(line, 2)
        if title is not None:
            if start is None and title.lower() == KNOWLEDGE_CHECK:
                start = i
            elif start is not None and end is None:
                end = i
    if start is None:
        return lines, [], None
    end = len(lines) if end is None else end
    return lines[:start] + lines[end:], lines[start + 1 : end], start


def find_diagrams(
    lines: list[str], path: str, first_line: int, problems: list[Problem]
) -> list[DiagramSource]:
    """Collect diagram fences (validating their data) and reject unknown fence kinds."""
    diagrams: list[DiagramSource] = []
    i = 0
    while i < len(lines):
        match = FENCE_RE.match(lines[i])
        if not match:
            i += 1
            continue
        marker, info, start = match["fence"], match["info"].lower(), i
        i += 1
        block: list[str] = []
        while i < len(lines):
            close = FENCE_RE.match(lines[i])
            if (
                close
                and close["fence"][0] == marker[0]
                and len(close["fence"]) >= len(marker)
                and not close["info"]
            ):
                break
            block.append(lines[i])
            i += 1
        else:
            problems.append(Problem(path, first_line + start, "code fence is never closed"))
        i += 1
        line_no = first_line + start
        if info in DIAGRAM_KINDS:
            diagram = parse_diagram(info, block, path, line_no, problems)
            if diagram is not None:
                diagrams.append(diagram)
        elif info and not is_known_language(info):
            kinds = ", ".join(sorted(DIAGRAM_KINDS))
            problems.append(
                Problem(
                    path,
                    line_no,
                    f"unknown fence kind '{info}': not a diagram kind ({kinds}) "
                    "nor a highlighting language",
                )
            )
    return diagrams


def parse_diagram(
    kind: str, block: list[str], path: str, line: int, problems: list[Problem]
) -> DiagramSource | None:
    text = "\n".join(block)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = line + 1 + mark.line if mark is not None else line
        reason = getattr(exc, "problem", None) or "not valid YAML"
        problems.append(Problem(path, at, f"malformed {kind} diagram YAML: {reason}"))
        return None
    errors = validate_diagram(kind, data, block)
    for offset, message in errors:
        problems.append(Problem(path, line + 1 + offset, f"{kind} diagram: {message}"))
    return None if errors else DiagramSource(kind, data, line)


def parse_questions(
    lines: list[str], path: str, first_line: int, problems: list[Problem]
) -> list[QuestionSource]:
    """Parse the knowledge-check section: each `###` heading is one question."""
    starts = [i for i, line in enumerate(lines) if heading(line, 3) is not None]
    stray = [
        i for i, line in enumerate(lines[: starts[0] if starts else len(lines)]) if line.strip()
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
        question = parse_question(lines[start:end], path, first_line + start, problems)
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


def parse_question(
    lines: list[str], path: str, line: int, problems: list[Problem]
) -> QuestionSource | None:
    prompt = heading(lines[0], 3) or ""
    before = len(problems)
    if not prompt:
        problems.append(Problem(path, line, "question heading is empty"))
    key = ""
    body: list[str] = []
    explanation: list[str] = []
    choices: list[ChoiceSource] = []
    state = "body"  # body -> choices -> explanation
    for offset, text in enumerate(lines[1:], start=1):
        at = line + offset
        id_match = ID_COMMENT_RE.match(text.strip())
        if id_match and state == "body" and not key:
            key = id_match["id"]
            if not SLUG_RE.match(key):
                problems.append(
                    Problem(
                        path,
                        at,
                        f"question id {key!r} must be lowercase letters, digits and hyphens",
                    )
                )
            continue
        choice = CHOICE_RE.match(text)
        if choice:
            if state == "explanation":
                problems.append(
                    Problem(
                        path, at, "choices must form one list: this choice follows the explanation"
                    )
                )
                continue
            state = "choices"
            raw = choice["text"]
            pinned = bool(PIN_RE.search(raw))
            raw = PIN_RE.sub("", raw).strip()
            if not raw:
                problems.append(Problem(path, at, "choice text is empty"))
            choices.append(ChoiceSource(raw, choice["mark"] != " ", pinned=pinned, line=at))
            continue
        if state == "choices":
            if text.startswith(("  ", "\t")) and text.strip():
                feedback = choices[-1].feedback
                choices[-1].feedback = (feedback + "\n" + text.strip()).strip()
                continue
            if not text.strip():
                continue
            state = "explanation"
        (body if state == "body" else explanation).append(text)
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
    texts = [c.text.strip().lower() for c in choices]
    for c in choices:
        if texts.count(c.text.strip().lower()) > 1:
            problems.append(
                Problem(path, c.line, f"choice {c.text!r} appears twice in this question")
            )
            break
    if len(problems) > before:
        return None
    return QuestionSource(
        prompt=prompt,
        choices=choices,
        key=key,
        body="\n".join(body).strip(),
        explanation="\n".join(explanation).strip(),
        line=line,
    )
