"""Search results as HTML, from pieces rendered once and kept: a new query fills them in.

- A hit's list item: what it shows but its snippet (the topic, the section, the link)
  depends only on the section, the content version and the interface language; whether the
  snippet is code decides its wrapper. It is rendered from the template's `hit` partial once
  per those values with a marker where the snippet goes (courses/fragments.py).
- The results around the hits (the count sentence, the groups, the links to more; for the
  instant results also the live region's text): they depend on the query only through its
  text, so they are rendered once per shape (how many hits, whether there are more, which
  courses) with markers for the query and for each group's hits.

So a fresh search renders no template: the template's loop over twenty hits and its count
sentences were most of its rendering. Snippets are escaped and marked before they get here
(search.Hit.snippet), the query when it is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from courses.fragments import Markers, ProcessLRU, fill, render_split
from courses.models import Course
from courses.search import Hit, Results

TEMPLATE = "courses/search_results.html"
items = ProcessLRU(8192)  # about 300 bytes each: every section of a large course, twice
shapes = ProcessLRU(1024)  # results without their query and hits, 1-3 KB each


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
    return render_to_string(f"{TEMPLATE}#hit", {"hit": hit._replace(snippet=snippet)})


def query_url(query: str) -> str:
    """The query as the template's links carry it (what the `urlencode` filter gives)."""
    return quote(query)


def results_html(where: str, popup: bool, context: dict) -> str:
    """The results (or, for `popup`, the instant results) for the context's query, its
    groups already Shown, from pieces kept per shape; `where` names the content version,
    scope and language."""
    groups: list[Shown] = context["groups"]
    shape = ",".join(f"{g.course.slug}:{g.more:d}" for g in groups)
    key = f"search-results:{where}:{popup:d}:{context['shown']}:{context['more']:d}:{shape}"
    pieces = shapes.get_or_render(key, lambda: render_split(lambda m: shaped(context, m, popup)))
    query = context["query"]
    values = {"query": escape(query), "url": escape(query_url(query))}
    return fill(pieces, lambda name, i: groups[i].hits_html if name == "hits" else values[name])


def shaped(context: dict, mark: Markers, popup: bool) -> str:
    """The results with markers for the query and for each group's hits."""
    query, url = (mark_safe(mark(name)) for name in ("query", "url"))  # noqa: S308 - markers
    groups = [
        replace(g, hits_html=mark_safe(mark("hits", i)))  # noqa: S308 - our marker
        for i, g in enumerate(context["groups"])
    ]
    marked = {**context, "query": query, "query_url": url, "groups": groups}
    return render_to_string(f"{TEMPLATE}#{'popup' if popup else 'results'}", marked)
