"""The one Markdown pipeline: Markdown -> highlighted, sanitized HTML (plus a table of contents).

Pure Python, run at import time only; pages serve the stored result. Diagram fences become
empty slots (`<div class="diagram-slot" data-diagram="N">`) that the topic page fills with
the Nth diagram of the topic, rendered from its data.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import partial

import markdown
import nh3
from markdown import util
from markdown.preprocessors import NormalizeWhitespace

from courses.diagrams import DIAGRAM_KINDS

# Bump when the rendering changes, so the importer re-renders files whose text did not.
RENDERER_VERSION = "2"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# nh3 strips `class` by default, which would silently remove all highlighting.
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "div": {"data-diagram"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}
SLOT_RE = re.compile(r'<div class="diagram-slot" data-diagram="(\d+)"></div>')
# An inline code span on one line: a run of backticks, then text, then the same run.
CODE_SPAN_RE = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str


def diagram_slot(counter: list[int], source, language, css_class, options, md, **kwargs) -> str:
    """Superfences formatter: leave a numbered slot where the diagram goes."""
    counter[0] += 1
    return f'<div class="diagram-slot" data-diagram="{counter[0] - 1}"></div>'


def expand_tabs_outside_code(line: str, size: int) -> str:
    """Expand a line's tabs to `size` columns, except inside inline code spans."""
    if "\t" not in line:
        return line
    out: list[str] = []
    column = last = 0
    for span in (*CODE_SPAN_RE.finditer(line), None):
        end = span.start() if span else len(line)
        # Expand from the current column so tab stops land where they would have.
        text = (" " * column + line[last:end]).expandtabs(size)[column:]
        out.append(text)
        column += len(text)
        if span:
            out.append(span.group())
            column += len(span.group())
            last = span.end()
    return "".join(out)


class KeepCodeTabs(NormalizeWhitespace):
    """Python-Markdown's whitespace normalisation, keeping tabs inside inline code.

    The stock step expands every tab to spaces, which breaks a copied Makefile recipe. Fenced
    code is stashed before this runs (superfences' `preserve_tabs`); inline code spans keep
    their tabs here. Tabs elsewhere still expand, since indentation decides the structure.
    """

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        size = self.md.tab_length
        source = "\n".join(expand_tabs_outside_code(line, size) for line in source.split("\n"))
        source = re.sub(r"(?<=\n) +\n", "\n", source)
        return source.split("\n")


def build_renderer(counter: list[int]) -> markdown.Markdown:
    fences = [
        {"name": kind, "class": "diagram", "format": partial(diagram_slot, counter)}
        for kind in DIAGRAM_KINDS
    ]
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            "smarty",
            "toc",
            "pymdownx.superfences",
            "pymdownx.highlight",
            "pymdownx.tasklist",
        ],
        extension_configs={
            "toc": {
                "permalink": "#",
                "permalink_title": "Link to this section",
                "toc_depth": "2-3",
            },
            # preserve_tabs stashes fenced code before whitespace normalisation expands tabs.
            "pymdownx.superfences": {"custom_fences": fences, "preserve_tabs": True},
            "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False},
        },
        output_format="html",
    )
    # Same name and priority: replaces the stock step that expands every tab.
    md.preprocessors.register(KeepCodeTabs(md), "normalize_whitespace", 30)
    return md


def sanitize(html: str) -> str:
    """Strip everything but harmless markup (no script, no event handlers, no styles)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_local = threading.local()


def renderer() -> tuple[markdown.Markdown, list[int]]:
    """This thread's renderer and its slot counter, reset for a new document.

    Building a Markdown instance (extensions, Pygments set-up) cost more than converting a
    whole topic, so each thread builds one and reuses it.
    """
    if not hasattr(_local, "md"):
        _local.counter = [0]
        _local.md = build_renderer(_local.counter)
    _local.counter[0] = 0
    _local.md.reset()
    return _local.md, _local.counter


def render_markdown(text: str) -> Rendered:
    """Render a Markdown document to sanitized HTML and its table of contents."""
    md, _ = renderer()
    html = md.convert(text)
    return Rendered(html=sanitize(html), toc_html=sanitize(md.toc))


def render_inline(text: str) -> str:
    """Render a short Markdown snippet (a question prompt) without the wrapping <p>."""
    html = render_markdown(text).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def split_slots(html: str) -> list[str | int]:
    """Split stored HTML into text pieces and diagram indexes, in page order."""
    parts: list[str | int] = []
    for i, piece in enumerate(SLOT_RE.split(html)):
        if i % 2:
            parts.append(int(piece))
        elif piece:
            parts.append(piece)
    return parts
