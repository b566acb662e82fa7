"""Parse a course tree of Markdown files into plain dataclasses.

Pure Python (no Django): the importer turns these into rows, tests feed it strings. Every
problem is collected as a `Problem` with its `path:line`, and `parse_course` raises one
`ContentError` carrying all of them, so an author fixes a whole tree in one pass. Nothing
else ever leaves the parser, and what it accepts the database accepts too.
The format is documented in docs/authoring.md. Front matter is read by
`courses.content_front`, YAML by `courses.content_yaml`, the Knowledge Check by
`courses.content_questions`.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from courses.content_front import MAX_PATH, check_front_matter, split_front_matter
from courses.content_questions import fence_owners, parse_questions, split_knowledge_check
from courses.content_yaml import CONTROL_RE, control_message
from courses.diagram_questions import attach_diagrams
from courses.diagrams import find_diagrams
from courses.slugs import RESERVED_CHAPTER_SLUGS, slugify
from courses.sources import (
    ChapterSource,
    ChoiceSource,
    ContentError,
    CourseSource,
    DiagramSource,
    Problem,
    QuestionSource,
    TopicSource,
)

__all__ = [
    "ChapterSource",
    "ChoiceSource",
    "ContentError",
    "CourseSource",
    "DiagramSource",
    "Problem",
    "QuestionSource",
    "TopicSource",
    "parse_course",
    "parse_topic_text",
]

COURSE_FILE = "course.md"
CHAPTER_FILE = "chapter.md"
IGNORED_FILES = {"readme.md"}
NUMBER_PREFIX_RE = re.compile(r"^\d+[-_ ]+")
# A binary file would otherwise give one problem per line.
MAX_CONTROL_PROBLEMS = 5
# `&#27;` renders as a raw control character; in code it is shown as written.
CHAR_REF_RE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<dec>[0-9]{1,10}));")


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


def control_problems(text: str, path: str) -> list[Problem]:
    """A problem per line holding a control character (a few, then how many more)."""
    if CONTROL_RE.search(text) is None:
        return []
    found = []
    for n, line in enumerate(text.split("\n"), start=1):
        message = control_message(line)
        if message:
            found.append(Problem(path, n, message))
    if len(found) > MAX_CONTROL_PROBLEMS:
        more = len(found) - MAX_CONTROL_PROBLEMS
        found = found[:MAX_CONTROL_PROBLEMS]
        found.append(Problem(path, found[-1].line, f"… and {more} more lines like these"))
    return found


def reference_problems(markdown: str, path: str, first_line: int) -> list[Problem]:
    """Character references (`&#27;`) to control characters, outside code."""
    if "&#" not in markdown:
        return []
    lines = markdown.split("\n")
    owners, _ = fence_owners(lines)
    found = []
    for n, line in enumerate(lines):
        for match in CHAR_REF_RE.finditer(line) if owners[n] is None else ():
            if line[: match.start()].count("`") % 2:
                continue  # inside a code span
            code = int(match["hex"], 16) if match["hex"] else int(match["dec"])
            if code > 0x10FFFF or CONTROL_RE.match(chr(code)):
                found.append(
                    Problem(
                        path,
                        first_line + n,
                        f"{match[0]} stands for a control character, which is not allowed "
                        "in content: remove it",
                    )
                )
    return found


def name_problems(rel: str) -> list[Problem]:
    """File and folder names become paths in the database and in messages."""
    if len(rel) > MAX_PATH:
        return [Problem(rel, 1, f"the path is longer than {MAX_PATH} characters: shorten it")]
    if CONTROL_RE.search(rel):
        # Names that are not UTF-8 arrive as lone surrogates: show them as U+FFFD.
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        shown = CONTROL_RE.sub("\ufffd", shown)
        return [
            Problem(
                shown,
                1,
                "the file or folder name holds a control character or is not UTF-8: rename it",
            )
        ]
    return []


def default_slug(name: str) -> str:
    """'02-images' -> 'images'; '12-base-images.md' -> 'base-images'; '' when none."""
    return slugify(NUMBER_PREFIX_RE.sub("", name.removesuffix(".md")))


# --- the tree ------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the length of a parse.

    A parse allocates hundreds of thousands of small objects (YAML nodes, validated models,
    dataclasses) that mostly live until it returns, so each burst of allocations set off a
    collection walking the growing heap to free nothing: a fifth of the time of parsing a
    1,000-topic course, without any saving in memory. Reference counting still frees
    everything else at once, and the collector runs again when the parse returns.
    """
    if not gc.isenabled():
        yield  # an enclosing parse paused it
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parse_course(root: Path, base: Path | None = None) -> CourseSource:
    """Parse the course folder `root`, raising ContentError with every problem.

    Paths in problems and rows start at `base` (the content tree's root; default `root`).
    """
    with collector_paused():
        return read_course(Path(root), base)


def read_course(root: Path, base: Path | None) -> CourseSource:
    """parse_course, with the collector paused."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "content directory does not exist")])
    base = Path(base) if base is not None else root

    def rel(path: Path) -> str:
        return str(Path(base.name) / path.relative_to(base))

    def usable(path: Path) -> bool:
        found = name_problems(rel(path))
        problems.extend(found)
        return not found

    course = None
    course_file = root / COURSE_FILE
    if not course_file.is_file():
        problems.append(Problem(rel(course_file), 1, "missing course file (title, description)"))
    elif usable(course_file):
        course = parse_course_file(course_file, rel(course_file), problems, default_slug(root.name))

    for stray in sorted(root.glob("*.md")):
        if stray.name != COURSE_FILE and stray.name.lower() not in IGNORED_FILES:
            problems.append(
                Problem(rel(stray), 1, "topic outside a chapter folder: move it into one")
            )

    chapters: list[ChapterSource] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        chapter = parse_chapter_folder(folder, rel, usable, problems)
        if chapter is not None:
            chapters.append(chapter)

    chapters.sort(key=lambda c: c.number)
    check_unique(chapters, "chapter", problems)
    check_reserved(chapters, problems)
    check_unique([t for c in chapters for t in c.topics], "topic", problems)
    if problems:
        raise ContentError(problems)
    assert course is not None
    course.chapters = chapters
    return course


def parse_chapter_folder(
    folder: Path, rel, usable, problems: list[Problem]
) -> ChapterSource | None:
    """A chapter folder: its chapter.md and the topic files directly in it."""
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
        return None
    chapter = None
    if usable(chapter_file):
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
        if not usable(topic_file):
            continue
        topic = parse_topic_file(topic_file, rel(topic_file), problems)
        if topic is not None and chapter is not None:
            topic.chapter_slug = chapter.slug
            chapter.topics.append(topic)
    if chapter is not None:
        chapter.topics.sort(key=lambda t: t.number)
    return chapter


def check_unique(items: list, kind: str, problems: list[Problem]) -> None:
    """Numbers and slugs must each name one chapter (or one topic) in the course."""
    for attr in ("number", "slug"):
        seen: dict = {}
        for item in items:
            value = getattr(item, attr)
            where = f"{item.path}:{item.lines.get(attr, 1)}"
            if value not in seen:
                seen[value] = where
                continue
            # A slug not in the front matter came from the name, which line 1 stands for.
            name = "folder name" if kind == "chapter" else "file name"
            derived = attr == "slug" and attr not in item.lines
            origin = f" (from the {name}: set 'slug:' to change it)" if derived else ""
            problems.append(
                Problem(
                    item.path,
                    item.lines.get(attr, 1),
                    f"duplicate {kind} {attr} {value!r}{origin}: also used by {seen[value]}",
                )
            )


def check_reserved(chapters: list[ChapterSource], problems: list[Problem]) -> None:
    """A chapter may not be named like a course-level page (/<course>/progress/…)."""
    for chapter in chapters:
        if chapter.slug in RESERVED_CHAPTER_SLUGS:
            derived = "" if "slug" in chapter.lines else " (from the folder name)"
            problems.append(
                Problem(
                    chapter.path,
                    chapter.lines.get("slug", 1),
                    f"chapter slug {chapter.slug!r}{derived} is the name of a course page: "
                    "set another 'slug:'",
                )
            )


def first_paragraph(markdown: str) -> str:
    """The description's first paragraph as one line of plain text, for the course list."""
    paragraph = markdown.strip().split("\n\n", 1)[0]
    text = re.sub(r"\]\([^)]*\)|[*_`#>\[\]]", "", paragraph)
    return " ".join(text.split())


def parse_course_file(
    file: Path, path: str, problems: list[Problem], slug: str
) -> CourseSource | None:
    read = read_text(file, path, problems)
    if read is None or not clean_text(read[0], path, problems):
        return None
    text, digest = read
    data, lines, body, first_line = split_front_matter(text, path, problems)
    front = check_front_matter(data, lines, "course", path, problems, slug)
    found = reference_problems(body, path, first_line)
    problems.extend(found)
    if front is None or found:
        return None
    return CourseSource(
        path,
        front.title,
        front.slug,
        body.strip(),
        digest,
        summary=front.summary or first_paragraph(body),
        language=front.language,
        order=front.order,
        lines=lines,
    )


def parse_chapter_file(
    file: Path, path: str, problems: list[Problem], folder: str
) -> ChapterSource | None:
    read = read_text(file, path, problems)
    if read is None or not clean_text(read[0], path, problems):
        return None
    text, digest = read
    data, lines, body, _ = split_front_matter(text, path, problems)
    front = check_front_matter(data, lines, "chapter", path, problems, default_slug(folder))
    if front is None:
        return None
    summary = front.summary or body.strip()
    return ChapterSource(path, front.number, front.title, front.slug, summary, digest, lines=lines)


def parse_topic_file(file: Path, path: str, problems: list[Problem]) -> TopicSource | None:
    read = read_text(file, path, problems)
    if read is None:
        return None
    return parse_topic_text(read[0], path, problems, default_slug(file.name), read[1])


def clean_text(text: str, path: str, problems: list[Problem]) -> bool:
    """False (with problems) when the text holds control characters."""
    found = control_problems(text, path)
    problems.extend(found)
    return not found


def parse_topic_text(
    text: str,
    path: str,
    problems: list[Problem],
    slug: str = "topic",
    content_hash: str = "",
) -> TopicSource | None:
    """Parse one topic file's text; problems are appended, None when it cannot be used."""
    if not clean_text(text, path, problems):
        return None
    before = len(problems)
    data, key_lines, body, first_line = split_front_matter(text, path, problems)
    front = check_front_matter(data, key_lines, "topic", path, problems, slug)
    problems.extend(reference_problems(body, path, first_line))
    lines = body.split("\n")
    section = split_knowledge_check(lines)
    body_lines = section.body
    fence_problems = len(problems)
    diagrams = find_diagrams(body_lines, path, first_line, problems)
    fences_ok = len(problems) == fence_problems
    questions: list[QuestionSource] = []
    if section.start is not None:
        questions = parse_questions(section, path, first_line + section.start + 1, problems)
    if fences_ok:
        # A broken fence is already reported: questions on it would only echo that.
        attach_diagrams(questions, diagrams, path, problems)
    if len(problems) > before or front is None:
        return None
    return TopicSource(
        path=path,
        number=front.number,
        title=front.title,
        slug=front.slug,
        summary=front.summary,
        minutes=front.minutes,
        body="\n".join(body_lines).strip() + "\n",
        questions=questions,
        diagrams=diagrams,
        content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
        lines=key_lines,
    )
