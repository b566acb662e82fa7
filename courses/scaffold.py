"""A new topic's file, ready to write in (`manage.py new_topic CHAPTER "Title"`).

Pure Python (no Django). It reads only what it needs of the tree (course and chapter slugs,
topic numbers and slugs), so a tree with unrelated problems still gets its new topic. The
file it writes loads as it is: front matter, a short body, and an example Knowledge Check
inside an HTML comment, which the parser skips as Markdown hides it from the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from courses.content import (
    CHAPTER_FILE,
    COURSE_FILE,
    IGNORED_FILES,
    default_slug,
    parse_chapter_file,
)
from courses.content_front import split_front_matter
from courses.content_models import MAX_SLUG, MAX_TITLE
from courses.content_tree import course_slug, subfolders
from courses.content_yaml import CONTROL_RE
from courses.slugs import is_slug, slugify

BODY = """\
What should a learner know or be able to do after this topic? Say why it matters first, then
explain it step by step.

## A first section

Sections (`##`) make the topic's table of contents. Code goes in fences:

```shell
echo "a command to try"
```

<!-- A Knowledge Check to start from: delete the two lines that open and close the comment
below. Question ids, pinned choices and select-all questions: see docs/authoring.md. -->
<!--
## Knowledge Check

### Which choice is right?

- [x] The right answer, about as long as the wrong ones
- [ ] A wrong answer that sounds plausible
  An indented line under a choice is its feedback, shown to a learner who picks it.
- [ ] Another plausible wrong answer

The paragraph after the choices explains the answer; learners see it after answering.
-->
"""


class ScaffoldError(ValueError):
    """The topic cannot be written; the message says why and what would work."""


@dataclass(frozen=True)
class ChapterPlace:
    course: str  # the course's slug
    course_folder: Path
    slug: str
    folder: Path

    def names(self) -> set[str]:
        """What CHAPTER may say: its slug or folder name, alone or after the course's."""
        own = {self.slug, self.folder.name}
        courses = {self.course, self.course_folder.name}
        return own | {f"{c}/{o}" for c in courses for o in own}


def chapters(root: Path) -> list[ChapterPlace]:
    """Every chapter folder of every course under `root`, in folder order."""
    root = Path(root)
    if not root.is_dir():
        raise ScaffoldError(f"content directory {root} does not exist")
    single = (root / COURSE_FILE).is_file()
    courses = [root] if single else [f for f in subfolders(root) if (f / COURSE_FILE).is_file()]
    found = []
    for course in courses:
        slug = course_slug(course, root) or default_slug(course.name)
        for folder in subfolders(course):
            if (folder / CHAPTER_FILE).is_file():
                found.append(ChapterPlace(slug, course, chapter_slug(folder), folder))
    return found


def chapter_slug(folder: Path) -> str:
    """The chapter's slug from its chapter.md, or from the folder's name when that is broken."""
    chapter = parse_chapter_file(folder / CHAPTER_FILE, CHAPTER_FILE, [], folder.name)
    return chapter.slug if chapter is not None else default_slug(folder.name)


def find_chapter(root: Path, wanted: str) -> ChapterPlace:
    """The one chapter `wanted` names (`chapter` or `course/chapter`, slugs or folder names)."""
    places = chapters(root)
    several = len({p.course_folder for p in places}) > 1
    found = [p for p in places if wanted.strip("/") in p.names()]
    if len(found) == 1:
        return found[0]
    shown = sorted(f"{p.course}/{p.slug}" if several else p.slug for p in places)
    if not found:
        known = ", ".join(shown) or "none"
        raise ScaffoldError(f"no chapter {wanted!r} in {root} (chapters: {known})")
    candidates = ", ".join(sorted(f"{p.course}/{p.slug}" for p in found))
    raise ScaffoldError(f"chapter {wanted!r} is in several courses: name one of {candidates}")


def course_topics(course_folder: Path) -> list[tuple[Path, object, str]]:
    """(file, number, slug) of each topic file in the course, read from front matter only."""
    topics = []
    for folder in subfolders(course_folder):
        for file in sorted(folder.glob("*.md")):
            if file.name == CHAPTER_FILE or file.name.lower() in IGNORED_FILES:
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            data, *_ = split_front_matter(text, file.name, [])
            data = data or {}
            topics.append((file, data.get("number"), data.get("slug") or default_slug(file.name)))
    return topics


def next_number(topics: list[tuple[Path, object, str]]) -> int:
    """One more than the highest topic number in the course (numbers are unique in it)."""
    numbers = [n for _, n, _ in topics if isinstance(n, int) and not isinstance(n, bool)]
    return max(numbers, default=0) + 1


def topic_slug(title: str, slug: str | None) -> str:
    if slug is not None:
        if not is_slug(slug) or len(slug) > MAX_SLUG:
            raise ScaffoldError(
                f"slug {slug!r} must be lowercase letters, digits and hyphens, at most "
                f"{MAX_SLUG} characters"
            )
        return slug
    made = slugify(title)[:MAX_SLUG].strip("-")
    if not made:
        raise ScaffoldError(f"the title {title!r} gives no slug: pass --slug")
    return made


def check_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > MAX_TITLE or CONTROL_RE.search(title):
        raise ScaffoldError(
            f"the title must be text of 1 to {MAX_TITLE} characters, without control characters"
        )
    return title


def topic_text(number: int, title: str, slug: str) -> str:
    """The new file's text: front matter (optional keys commented out) and the body."""
    front = yaml.safe_dump(
        {"number": number, "title": title, "slug": slug},
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    optional = "# summary: One sentence for lists (optional)\n# minutes: 5  # reading time\n"
    return f"---\n{front}{optional}---\n\n{BODY}"


def new_topic(root: Path, chapter: str, title: str, slug: str | None = None) -> Path:
    """Write a topic skeleton into the chapter `chapter` names; return the new file's path."""
    title = check_title(title)
    place = find_chapter(root, chapter)
    slug = topic_slug(title, slug)
    topics = course_topics(place.course_folder)
    taken = next((file for file, _, s in topics if s == slug), None)
    if taken is not None:
        raise ScaffoldError(
            f"the course {place.course!r} already has a topic {slug!r} ({taken}): "
            "choose another title or pass --slug"
        )
    number = next_number(topics)
    path = place.folder / f"{number:02d}-{slug}.md"
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never over an existing file
            file.write(topic_text(number, title, slug))
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists: not overwriting it") from None
    return path
