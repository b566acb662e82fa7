"""Test data: small content trees written to disk, and rows built through the real importer."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from courses.importer import LoadReport, load_course

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
SHIPPED_CONTENT = Path(__file__).resolve().parent.parent / "content"


def copy_fixture(tmp_path: Path, name: str = "content") -> Path:
    """A writable copy of the fixture course."""
    target = tmp_path / name
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def write(root: Path, relative: str, text: str) -> Path:
    """Write a dedented file under root, creating folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def topic_text(
    number: int = 1,
    title: str = "A topic",
    body: str = "Some text.",
    questions: str = "",
    extra_front: str = "",
) -> str:
    """A topic file's text, with an optional Knowledge Check section."""
    text = f"---\nnumber: {number}\ntitle: {title}\n{extra_front}---\n\n{body}\n"
    if questions:
        text += "\n## Knowledge Check\n\n" + textwrap.dedent(questions).strip() + "\n"
    return text


def minimal_tree(root: Path, topics: dict[str, str] | None = None) -> Path:
    """course.md, one chapter folder and the given topic files (name -> text)."""
    write(root, "course.md", "---\ntitle: Course\nslug: course\n---\nAbout.\n")
    write(root, "01-one/chapter.md", "---\nnumber: 1\ntitle: One\n---\nFirst chapter.\n")
    for name, text in (topics or {}).items():
        (root / "01-one" / name).write_text(text, encoding="utf-8")
    return root


def load(root: Path) -> LoadReport:
    return load_course(root)
