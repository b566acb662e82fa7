"""A content tree holds one course or several: find them and parse each.

Pure Python (no Django). Two layouts:
- one course: `course.md` at the root, chapter folders beside it (the original layout);
- several courses: one folder per course, each with its own `course.md` and chapter folders.
Every problem of every course is collected before one ContentError is raised, so an author
fixes the whole tree in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from courses.content import (
    COURSE_FILE,
    IGNORED_FILES,
    default_slug,
    parse_course,
    parse_course_file,
)
from courses.slugs import RESERVED_COURSE_SLUGS
from courses.sources import ContentError, CourseSource, Problem


class UnknownCourse(ValueError):
    """A course was asked for by slug and the tree has none with that slug."""


def parse_content(
    root: Path, reserved: Iterable[str] = (), only: str | None = None
) -> list[CourseSource]:
    """Every course under `root`, in list order; raises ContentError with every problem.

    `reserved` adds slugs no course may take (the importer passes the admin's URL). `only`
    parses just the course with that slug, so another course's problems do not block it
    (UnknownCourse when there is none).
    """
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "content directory does not exist")])
    if only is not None:
        return parse_one(root, only, set(reserved))
    if (root / COURSE_FILE).is_file():
        problems = [
            Problem(rel(root, folder / COURSE_FILE), 1, nested_course_message(root))
            for folder in subfolders(root)
            if (folder / COURSE_FILE).is_file()
        ]
        courses, found = parse_each([root], root)
        problems += found
    else:
        folders = [f for f in subfolders(root) if (f / COURSE_FILE).is_file()]
        problems = stray_problems(root, folders)
        courses, found = parse_each(folders, root)
        problems += found
        if not folders and not problems:
            problems.append(
                Problem(
                    rel(root, root / COURSE_FILE),
                    1,
                    "missing course file: put a course.md here (one course) or one folder "
                    "per course, each with its own course.md",
                )
            )
    problems += slug_problems(courses, RESERVED_COURSE_SLUGS | set(reserved))
    if problems:
        raise ContentError(problems)
    return sorted(courses, key=lambda c: (c.order is None, c.order or 0, c.title.casefold()))


def parse_one(root: Path, slug: str, reserved: set[str]) -> list[CourseSource]:
    """The course with this slug alone, found by reading only the course files."""
    single = (root / COURSE_FILE).is_file()
    folders = [root] if single else [f for f in subfolders(root) if (f / COURSE_FILE).is_file()]
    slugs = {course_slug(folder, root): folder for folder in folders}
    if slug not in slugs:
        known = ", ".join(sorted(s for s in slugs if s)) or "none"
        raise UnknownCourse(f"no course {slug!r} in the content tree (courses: {known})")
    courses, problems = parse_each([slugs[slug]], root)
    problems += slug_problems(courses, RESERVED_COURSE_SLUGS | reserved)
    if problems:
        raise ContentError(problems)
    return courses


def course_slug(folder: Path, root: Path) -> str:
    """A course folder's slug from its course.md alone ('' when that file is unusable)."""
    course = parse_course_file(
        folder / COURSE_FILE, rel(root, folder / COURSE_FILE), [], default_slug(folder.name)
    )
    return course.slug if course is not None else ""


def rel(root: Path, path: Path) -> str:
    return str(Path(root.name) / path.relative_to(root))


def subfolders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def nested_course_message(root: Path) -> str:
    return (
        f"a course folder inside the single course at {root.name}/course.md: either keep one "
        "course (remove this course.md) or move each course into its own folder"
    )


def parse_each(folders: list[Path], root: Path) -> tuple[list[CourseSource], list[Problem]]:
    """Parse each course folder, collecting every folder's problems (paths from `root`)."""
    courses, problems = [], []
    for folder in folders:
        try:
            courses.append(parse_course(folder, base=root))
        except ContentError as error:
            problems += error.problems
    return courses, problems


def stray_problems(root: Path, courses: list[Path]) -> list[Problem]:
    """Markdown at the top of a several-courses tree that belongs to no course."""
    problems = []
    for stray in sorted(root.glob("*.md")):
        if stray.name.lower() not in IGNORED_FILES:
            problems.append(
                Problem(
                    rel(root, stray),
                    1,
                    "Markdown outside a course folder: move it into a course "
                    "(a folder with a course.md)",
                )
            )
    for folder in subfolders(root):
        if folder in courses or not any(folder.rglob("*.md")):
            continue
        problems.append(
            Problem(
                rel(root, folder / COURSE_FILE),
                1,
                f"{folder.name}/ has no course.md: add one to make it a course "
                "(title, description), or move its chapters into a course folder",
            )
        )
    return problems


def slug_problems(courses: list[CourseSource], reserved: set[str]) -> list[Problem]:
    """Course slugs are identities: unique across the tree, and not a page of the site."""
    problems, seen = [], {}
    for course in courses:
        line = course.lines.get("slug", 1)
        if course.slug in reserved:
            problems.append(
                Problem(
                    course.path,
                    line,
                    f"course slug {course.slug!r} is taken by a page of the site "
                    f"(/{course.slug}/): set another 'slug:'",
                )
            )
        if course.slug in seen:
            problems.append(
                Problem(
                    course.path,
                    line,
                    f"duplicate course slug {course.slug!r}: also used by {seen[course.slug]}",
                )
            )
        else:
            seen[course.slug] = f"{course.path}:{line}"
    return problems
