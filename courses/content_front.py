"""Front matter: the YAML between the `---` lines at the top of every content file.

Pure Python (no Django). Values are checked against what the database will take (the
limits below mirror the model fields, and a test keeps them equal), so anything the parser
accepts also loads, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata

from courses.content_yaml import load_yaml
from courses.slugs import is_slug, slugify
from courses.sources import Problem

MAX_TITLE = 200  # Course/Chapter/Topic.title
MAX_SLUG = 50  # Course/Chapter/Topic.slug
MAX_PATH = 500  # source_path
MAX_NUMBER = 2**31 - 1  # PositiveIntegerField, as PostgreSQL stores it
MAX_LANGUAGE = 35  # Course.language
# BCP 47 (RFC 5646) as authors write it: a 2-3 letter language, then an optional script
# (4 letters), region (2 letters or 3 digits) and variants (5-8 characters, or a digit and 3).
LANGUAGE_RE = re.compile(
    r"^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$",
    re.IGNORECASE,
)

FRONT_MATTER_KEYS = {
    "course": {
        "title": True,
        "slug": False,
        "summary": False,
        "language": False,
        "order": False,
    },
    "chapter": {"number": True, "title": True, "slug": False, "summary": False},
    "topic": {
        "number": True,
        "title": True,
        "slug": False,
        "summary": False,
        "minutes": False,
    },
}


def split_front_matter(
    text: str, path: str, problems: list[Problem]
) -> tuple[dict, dict[str, int], str, int]:
    """Return (front matter, line of each key, body, line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "missing front matter: the file must start with '---'"))
        return {}, {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        problems.append(Problem(path, 1, "front matter is not closed: add a '---' line after it"))
        return {}, {}, "", len(lines)
    body = "\n".join(lines[end + 1 :])
    loaded = load_yaml("\n".join(lines[1:end]), path, 2, problems, "front matter")
    if loaded is None:
        return {}, {}, body, end + 2
    data = {} if loaded.data is None else loaded.data
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "invalid front matter: expected 'key: value' lines"))
        data = {}
    return data, loaded.key_lines, body, end + 2


def check_front_matter(
    data: dict,
    lines: dict[str, int],
    kind: str,
    path: str,
    problems: list[Problem],
    default_slug: str,
) -> dict | None:
    """Validate front matter keys and types; return cleaned values or None when unusable."""
    allowed = FRONT_MATTER_KEYS[kind]

    def line(key: str) -> int:
        return lines.get(key, 2)

    before = len(problems)
    for key in data:
        if key not in allowed:
            names = ", ".join(allowed)
            problems.append(
                Problem(
                    path,
                    lines.get(str(key), 2),
                    f"unknown front matter key {key!r} (allowed: {names})",
                )
            )
    for key, required in allowed.items():
        if required and key not in data:
            problems.append(Problem(path, 1, f"front matter is missing '{key}'"))
    clean: dict = {}
    if "number" in data:
        clean["number"] = whole_number(data["number"], "number", 0, path, line("number"), problems)
    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, line("title"), "'title' must be non-empty text"))
        elif len(title.strip()) > MAX_TITLE:
            problems.append(
                Problem(path, line("title"), f"'title' is longer than {MAX_TITLE} characters")
            )
        else:
            clean["title"] = title.strip()
    clean["slug"] = check_slug(data, lines, path, problems, default_slug, kind)
    summary = data.get("summary", "")
    if not isinstance(summary, str):
        problems.append(Problem(path, line("summary"), "'summary' must be text"))
    clean["summary"] = str(summary).strip()
    minutes = data.get("minutes")
    if minutes is not None:
        minutes = whole_number(minutes, "minutes", 1, path, line("minutes"), problems)
    clean["minutes"] = minutes
    if kind == "course":
        clean["language"] = check_language(data, lines, path, problems)
        order = data.get("order")
        if order is not None:
            order = whole_number(order, "order", 0, path, line("order"), problems)
        clean["order"] = order
    return clean if len(problems) == before else None


def check_language(data: dict, lines: dict[str, int], path: str, problems: list[Problem]) -> str:
    """A BCP 47 tag, normalised as `de`, `pt-BR`, `zh-Hant-TW`; `en` when not given."""
    value = data.get("language", "en")
    if not isinstance(value, str) or not LANGUAGE_RE.match(value) or len(value) > MAX_LANGUAGE:
        problems.append(
            Problem(
                path,
                lines.get("language", 2),
                f"'language' must be a language tag such as en, de or pt-BR, not {value!r}",
            )
        )
        return "en"
    first, *rest = value.split("-")
    # Case conventions of BCP 47: language lower, script title, region upper.
    tags = [
        tag.title() if len(tag) == 4 else tag.upper() if len(tag) == 2 else tag.lower()
        for tag in rest
    ]
    return "-".join([first.lower(), *tags])


def whole_number(
    value: object, key: str, least: int, path: str, line: int, problems: list[Problem]
) -> object:
    """`value` when it is a whole number the database can store, else a problem."""
    kind = "whole number" if least == 0 else "positive whole number"
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        problems.append(Problem(path, line, f"'{key}' must be a {kind}, not {value!r}"))
    elif value > MAX_NUMBER:
        problems.append(Problem(path, line, f"'{key}' must be at most {MAX_NUMBER}"))
    return value


def check_slug(
    data: dict,
    lines: dict[str, int],
    path: str,
    problems: list[Problem],
    default_slug: str,
    kind: str,
) -> str:
    """The authored slug (normalised) or the one from the file name, with any problem."""
    if "slug" not in data:
        source = "folder name" if kind != "topic" else "file name"
        if not default_slug:
            problems.append(
                Problem(path, 1, f"the {source} gives no slug: add 'slug:' to the front matter")
            )
        elif len(default_slug) > MAX_SLUG:
            problems.append(
                Problem(
                    path,
                    1,
                    f"slug {default_slug!r} (from the {source}) is longer than {MAX_SLUG} "
                    "characters: add a shorter 'slug:' to the front matter",
                )
            )
        return default_slug
    slug, line = data["slug"], lines.get("slug", 2)
    if isinstance(slug, str):
        # The same slug typed on two systems can differ in Unicode form (é or e + ́).
        slug = unicodedata.normalize("NFKC", slug)
    if not is_slug(slug):
        hint = slugify(slug) if isinstance(slug, str) else ""
        problems.append(
            Problem(
                path,
                line,
                f"slug {slug!r} must be lowercase letters, digits and hyphens"
                + (f" (for example {hint!r})" if hint else ""),
            )
        )
    elif len(slug) > MAX_SLUG:
        problems.append(Problem(path, line, f"slug {slug!r} is longer than {MAX_SLUG} characters"))
    return slug
