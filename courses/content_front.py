"""Front matter: the YAML between the `---` lines at the top of every content file.

Pure Python (no Django). Its keys and values are declared by the models in
`courses.content_models` (which mirror what the database takes); this module splits the
front matter off, validates it with them and reports each problem at its key's line.
"""

from __future__ import annotations

from courses.content_models import (
    MAX_NUMBER,
    MAX_PATH,
    MAX_SLUG,
    MAX_TITLE,
    ChapterFront,
    CourseFront,
    FrontMatter,
    TopicFront,
)
from courses.content_validation import validate
from courses.content_yaml import load_yaml
from courses.sources import Problem

__all__ = ["MAX_NUMBER", "MAX_PATH", "MAX_SLUG", "MAX_TITLE", "check_front_matter"]

MODELS: dict[str, type[FrontMatter]] = {
    "course": CourseFront,
    "chapter": ChapterFront,
    "topic": TopicFront,
}


def split_front_matter(
    text: str, path: str, problems: list[Problem]
) -> tuple[dict | None, dict[str, int], str, int]:
    """Return (front matter, line of each key, body, line number of the body's first line).

    The front matter is None when it could not be read (the problem is recorded): an empty
    one is `{}`, which its model then finds missing its required keys.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "missing front matter: the file must start with '---'"))
        return None, {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        problems.append(Problem(path, 1, "front matter is not closed: add a '---' line after it"))
        return None, {}, "", len(lines)
    body = "\n".join(lines[end + 1 :])
    loaded = load_yaml("\n".join(lines[1:end]), path, 2, problems, "front matter")
    if loaded is None:
        return None, {}, body, end + 2
    data = {} if loaded.data is None else loaded.data
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "invalid front matter: expected 'key: value' lines"))
        return None, {}, body, end + 2
    return data, loaded.key_lines, body, end + 2


def check_front_matter(
    data: dict | None,
    lines: dict[str, int],
    kind: str,
    path: str,
    problems: list[Problem],
    default_slug: str,
) -> FrontMatter | None:
    """The validated front matter of a `kind` file (its slug filled in), or None with problems.

    `lines` maps each top-level key to its line; a missing key is reported at line 1. `data`
    None (front matter that could not be read, already reported) gives None.
    """
    if data is None:
        return None
    front, found = validate(MODELS[kind], data)
    for loc, message in found:
        line = lines.get(str(loc[0]), 2) if loc else 1
        problems.append(Problem(path, line, message))
    if front is None:
        return None
    if front.slug is not None:
        return front
    slug_problem = default_slug_problem(default_slug, kind)
    if slug_problem:
        problems.append(Problem(path, 1, slug_problem))
        return None
    return front.model_copy(update={"slug": default_slug})


def default_slug_problem(slug: str, kind: str) -> str:
    """Why the slug made from the file or folder name cannot be used ("" when it can)."""
    source = "folder name" if kind != "topic" else "file name"
    if not slug:
        return f"the {source} gives no slug: add 'slug:' to the front matter"
    if len(slug) > MAX_SLUG:
        return (
            f"slug {slug!r} (from the {source}) is longer than {MAX_SLUG} characters: add a "
            "shorter 'slug:' to the front matter"
        )
    return ""
