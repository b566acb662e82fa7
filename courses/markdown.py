"""The one Markdown pipeline: Markdown -> highlighted, sanitized HTML (plus a table of contents).

Pure Python, run at import time only; pages serve the stored result. Diagram fences become
empty slots (`<div class="diagram-slot" data-diagram="N">`) that the topic page fills with
the Nth diagram of the topic, rendered from its data.

Content shares the page with the app's own markup (htmx targets, feedback styling), so the
sanitizer keeps only what the renderer itself emits: its classes (RENDERER_CLASSES), its
heading ids and its slot numbers. Each render tags the renderer's own ids and slot numbers
with a fresh random marker; an `id` without it came from the author's raw HTML and gets a
`user-content-` prefix (as GitHub does), a `data-diagram` without it is dropped. Heading ids
stay readable slugs, but one that an app template uses (RESERVED_IDS, RESERVED_PREFIXES)
gets a `section-` prefix, so content can never produce an id of the app's.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from functools import partial
from html import escape

import markdown
import nh3
from markdown import util
from markdown.extensions.toc import slugify
from markdown.preprocessors import NormalizeWhitespace
from pygments.token import STANDARD_TYPES

from courses.diagrams import DIAGRAM_KINDS

# Bump when the rendering changes, so the importer re-renders files whose text did not.
RENDERER_VERSION = "3"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# nh3 strips `class` by default, which would silently remove all highlighting; `filter_attribute`
# then keeps only the renderer's own classes and ids.
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "div": {"data-diagram"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
}
# Every class the renderer emits: Pygments token classes, pymdownx.highlight's wrappers (line
# numbers, highlighted lines, titles), toc's anchors, task lists and diagram slots.
RENDERER_CLASSES = frozenset(STANDARD_TYPES.values()) - {""} | {
    "highlight", "highlighttable", "linenos", "linenodiv", "normal", "special", "hll",
    "filename", "code", "toc", "headerlink", "task-list", "task-list-item", "diagram-slot",
    "code-language",
}  # fmt: skip
# Ids the app's templates use (htmx targets, landmarks); a test checks every id="..." in
# templates/ against them. Heading ids must never equal one, nor start with a prefix.
RESERVED_IDS = frozenset(
    {
        "main",
        "knowledge-check",
        "topic-score",
        "read-status",
        "your-progress",
        "mistakes",
        "learner-search",
        "topic-filter",
        "site-search-q",
        "site-search-results",
        "site-search-status",
        "topic-summary",
        "topic-end",
        "copy-status",
        "review-item",
        "review-heading",
    }
)
AUTHOR_ID_PREFIX = "user-content-"
RESERVED_PREFIXES = ("q-", "v-", "chapter-", "spectrum-", AUTHOR_ID_PREFIX)
HEADING_ESCAPE = "section-"
SLOT_RE = re.compile(r'<div class="diagram-slot" data-diagram="(\d+)"></div>')
# A highlighted block as pymdownx.highlight writes it with `pygments_lang_class`: the fence's
# language (its info string), or "text" when it named none or one Pygments does not know.
CODE_BLOCK_RE = re.compile(r'<div class="language-([^"\s]+) highlight">')
# An inline code span on one line: a run of backticks, then text, then the same run.
CODE_SPAN_RE = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str


@dataclass
class RenderState:
    """Per-document state of a renderer: diagram slots so far and this render's marker."""

    slots: int = 0
    marker: str = ""

    def start(self) -> None:
        self.slots = 0
        # Unguessable per render, so raw HTML in the content cannot carry it.
        self.marker = f"m{secrets.token_hex(8)}-"


def is_reserved(anchor: str) -> bool:
    """Whether an app template may use this id."""
    return anchor in RESERVED_IDS or anchor.startswith(RESERVED_PREFIXES)


def public_anchor(slug: str) -> str:
    """A heading's id as the page shows it: its slug, unless an app template may use that."""
    slug = slug or "section"
    return HEADING_ESCAPE + slug if is_reserved(slug) else slug


def heading_id(state: RenderState, text: str, separator: str) -> str:
    """toc's slugify: a readable, marked anchor (toc then makes repeated ones unique)."""
    return state.marker + public_anchor(slugify(text, separator))


def diagram_slot(state: RenderState, source, language, css_class, options, md, **kwargs) -> str:
    """Superfences formatter: leave a numbered slot where the diagram goes."""
    state.slots += 1
    return f'<div class="diagram-slot" data-diagram="{state.marker}{state.slots - 1}"></div>'


def filter_attribute(marker: str, tag: str, attribute: str, value: str) -> str | None:
    """Keep the renderer's classes, ids and slot numbers; prefix or drop the author's."""
    if attribute == "class":
        return " ".join(c for c in value.split() if c in RENDERER_CLASSES) or None
    own = value.startswith(marker)
    if attribute == "id":
        return public_anchor(value[len(marker) :]) if own else AUTHOR_ID_PREFIX + value
    if attribute == "data-diagram":
        number = value[len(marker) :]
        return number if own and number.isdigit() else None
    if attribute == "href" and value.startswith("#" + marker):
        return "#" + public_anchor(value[len(marker) + 1 :])
    return value


def label_code_language(match: re.Match) -> str:
    """A code block's opening with its language shown (none for plain text)."""
    language = match[1]
    if language == "text":
        return '<div class="highlight">'
    return f'<div class="highlight"><span class="code-language">{escape(language)}</span>'


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


def build_renderer(state: RenderState) -> markdown.Markdown:
    fences = [
        {"name": kind, "class": "diagram", "format": partial(diagram_slot, state)}
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
            # The permalink's accessible name is added per page, in the course's language
            # (courses/templatetags/topic_text.py): stored HTML holds no interface text.
            "toc": {
                "permalink": "#",
                "permalink_title": "",
                "toc_depth": "2-3",
                "slugify": partial(heading_id, state),
            },
            # preserve_tabs stashes fenced code before whitespace normalisation expands tabs.
            "pymdownx.superfences": {"custom_fences": fences, "preserve_tabs": True},
            "pymdownx.highlight": {
                "css_class": "highlight",
                "guess_lang": False,
                "pygments_lang_class": True,
            },
        },
        output_format="html",
    )
    # Same name and priority: replaces the stock step that expands every tab.
    md.preprocessors.register(KeepCodeTabs(md), "normalize_whitespace", 30)
    return md


def sanitize(html: str, marker: str = "") -> str:
    """Strip everything but harmless markup (no script, no event handlers, no styles).

    Only ids and slot numbers carrying `marker` are the renderer's; without one, every id
    is treated as the author's.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=partial(filter_attribute, marker or "\0"),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_local = threading.local()


def renderer() -> tuple[markdown.Markdown, RenderState]:
    """This thread's renderer and its state, reset for a new document.

    Building a Markdown instance (extensions, Pygments set-up) cost more than converting a
    whole topic, so each thread builds one and reuses it.
    """
    if not hasattr(_local, "md"):
        _local.state = RenderState()
        _local.md = build_renderer(_local.state)
    _local.state.start()
    _local.md.reset()
    return _local.md, _local.state


# One line of prose with nothing Markdown or its typography (smarty) would turn into
# markup: letters, digits, spaces and the punctuation below, starting with a letter.
PLAIN_TEXT_RE = re.compile(r"[^\W\d_][\w ,;:?!()/%=.\-\u2013\u2014\u2019]*")
NOT_PLAIN = ("_", "--", "..", ". .", "  ")


def plain_text(text: str) -> bool:
    """Whether the full pipeline would render `text` as one paragraph of the same text.

    Most choices, their feedback and prompts are such sentences: rendered directly, they
    cost a string format instead of a Markdown conversion (most of a cold load's rendering).
    tests/courses/test_markdown.py checks the two agree on any text this accepts.
    """
    return (
        PLAIN_TEXT_RE.fullmatch(text) is not None
        and not text.endswith(" ")
        and not any(s in text for s in NOT_PLAIN)
    )


def render_markdown(text: str) -> Rendered:
    """Render a Markdown document to sanitized HTML and its table of contents."""
    if plain_text(text):
        return Rendered(html=f"<p>{text}</p>", toc_html=empty_toc())
    return convert(text)


def convert(text: str) -> Rendered:
    """The full pipeline: Markdown, highlighting, sanitizing."""
    md, state = renderer()
    html = CODE_BLOCK_RE.sub(label_code_language, md.convert(text))
    return Rendered(html=sanitize(html, state.marker), toc_html=sanitize(md.toc, state.marker))


def empty_toc() -> str:
    """The table of contents of a document without headings, as the pipeline renders it."""
    if not hasattr(_local, "empty_toc"):
        md, state = renderer()
        md.convert("x")
        _local.empty_toc = sanitize(md.toc, state.marker)
    return _local.empty_toc


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
