"""Search hits as HTML: each hit's list item rendered once and kept, its snippet filled in.

What a hit's item shows but its snippet (the topic, the section, the link) depends only on
the section, the content version and the interface language; whether the snippet is code
decides its wrapper. So an item is rendered from the template's `hit` partial once per those
values with a marker where the snippet goes (courses/fragments.py), and a new query only
fills in its snippets: the template's loop over twenty hits was most of a fresh search's
rendering. Snippets are escaped and marked before they get here (search.Hit.snippet).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from courses.fragments import Markers, ProcessLRU, fill, render_split
from courses.models import Course
from courses.search import Hit, Results

TEMPLATE = "courses/search_results.html"
items = ProcessLRU(8192)  # about 300 bytes each: every section of a large course, twice


@dataclass(frozen=True)
class Shown:
    """A course's results as the template shows them: its hits already in HTML."""

    course: Course
    more: bool
    hits_html: SafeString


def shown(version: str, results: Results) -> Shown:
    return Shown(results.course, results.more, hits_html(version, results.hits))


def hits_html(version: str, hits: list[Hit]) -> SafeString:
    """The hits' list items, in order."""
    language = translation.get_language()
    out = []
    for hit in hits:
        key = f"search-hit:{version}:{language}:{hit.section_id}:{hit.code:d}{bool(hit.snippet):d}"
        pieces = items.get_or_render(key, lambda hit=hit: render_split(lambda m: item(hit, m)))
        out.append(fill(pieces, lambda name, index, hit=hit: hit.snippet))
    return mark_safe("".join(out))  # noqa: S308 - rendered by the template, snippets escaped


def item(hit: Hit, mark: Markers) -> str:
    """The hit's list item with a marker for its snippet (none when it has none)."""
    snippet = mark_safe(mark("snippet")) if hit.snippet else ""  # noqa: S308 - our marker
    return render_to_string(f"{TEMPLATE}#hit", {"hit": replace(hit, snippet=snippet)})
