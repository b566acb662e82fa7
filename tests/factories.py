"""Test data: small content trees written to disk, and rows built through the real importer."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from courses.importer import LoadReport, load_content

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
# A second small course (German), for trees with several courses.
SECOND_COURSE = Path(__file__).parent / "fixtures" / "second"
SHIPPED_CONTENT = Path(__file__).resolve().parent.parent / "content"
# The shipped course with the seed topic ("Base Images"), loaded on its own.
SEED_COURSE = SHIPPED_CONTENT / "containers"
SEED_TOPIC = SEED_COURSE / "02-images" / "12-base-images.md"


def copy_fixture(tmp_path: Path, name: str = "content") -> Path:
    """A writable copy of the fixture course."""
    target = tmp_path / name
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def two_courses(tmp_path: Path, name: str = "content") -> Path:
    """A writable tree with two course folders: `fixture` and `zweiter` (German)."""
    target = tmp_path / name
    shutil.copytree(FIXTURE_COURSE, target / "fixture")
    shutil.copytree(SECOND_COURSE, target / "zweiter")
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


def seed_tree(root: Path, edit=lambda text: text) -> Path:
    """A one-topic course holding the shipped seed topic, passed through `edit` first."""
    minimal_tree(root, {"12-base-images.md": edit(SEED_TOPIC.read_text(encoding="utf-8"))})
    return root


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in `text`."""
    return text[: text.index(needle)].count("\n") + 1


def load(root: Path) -> LoadReport:
    return load_content(root)


def question_form(html: str, question) -> tuple[str, list[str]]:
    """The nonce and choice tokens (in page order) of `question`'s form in a page."""
    import re

    match = re.search(
        rf'<div class="question" id="{question.anchor}".*?</form>', html, flags=re.DOTALL
    )
    assert match, f"no form for {question.anchor}"
    block = match.group(0)
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', block).group(1)
    return nonce, re.findall(r'name="choice" value="([^"]+)"', block)


def tokens(question, *, correct: bool) -> list[str]:
    """Tokens of the question's active choices that are (or are not) correct."""
    return list(
        question.choices.filter(is_active=True, is_correct=correct).values_list("token", flat=True)
    )


def answer(client, question, *, correct: bool = True, htmx: bool = True):
    """Open the topic page, then answer `question` right or wrong through its form."""
    page = client.get(f"{question.topic.get_absolute_url()}?retry={question.key}").content.decode()
    nonce, _ = question_form(page, question)
    picked = tokens(question, correct=True) if correct else tokens(question, correct=False)[:1]
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"nonce": nonce, "version": question.form_version, "choice": picked}
    return client.post(f"/quiz/answer/{question.pk}/", data, headers=headers)
