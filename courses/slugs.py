"""Slugs in any script: one pure definition for file names, authored slugs and URLs.

No Django here (the parser imports it). A slug is lowercase letters of any script, digits
and combining marks, in runs joined by single hyphens: `base-images`, `café-crème`, `日本語`.
For ASCII input the result is exactly what the ASCII-only rule gave before, so existing
topics keep their slugs (a slug is a topic's identity).
"""

from __future__ import annotations

import re
import unicodedata

# Unicode categories that make up a word: letters, digits and the marks that combine with
# them (Python's `\w` drops marks, which would split Devanagari or Thai words apart).
WORD_CATEGORIES = ("L", "N", "M")


def slugify(value: str) -> str:
    """'Café Crème' -> 'café-crème'; every run of other characters becomes one hyphen."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).lower())
    out: list[str] = []
    gap = False
    for char in text:
        if unicodedata.category(char)[0] in WORD_CATEGORIES:
            if gap and out:
                out.append("-")
            out.append(char)
            gap = False
        else:
            gap = True
    return "".join(out)


# What `slugify` makes of ASCII text: every URL is checked, and most are ASCII.
ASCII_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(value: object) -> bool:
    """True for a non-empty text that is already its own slug."""
    if not isinstance(value, str) or not value:
        return False
    if value.isascii():
        return ASCII_SLUG.fullmatch(value) is not None
    return slugify(value) == value


# Slugs a course may not take: the first URL segments of the site's own pages (a course lives
# at /<course>/). The admin's path is configurable; the importer adds its first segment.
RESERVED_COURSE_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "favicon-ico",
        "healthz",
        "i18n",
        "progress",
        "quiz",
        "readyz",
        "results",
        "review",
        "search",
        "static",
    }
)
# Slugs a chapter may not take: the course-level pages at /<course>/<page>/.
RESERVED_CHAPTER_SLUGS = frozenset({"progress", "review", "search"})
