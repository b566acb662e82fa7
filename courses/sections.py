"""A topic's searchable sections, cut from its rendered HTML (pure Python, no Django).

Search results are sections, not whole topics: the text before the first heading, then one
section per `##`/`###` heading, each linking to the heading's id. The ids are read from the
stored HTML, so they are exactly the anchors the page has (the renderer's slugs, `section-`
prefixed where an app id was taken, `_1` for repeats). Deeper headings stay in their
section's text. Code blocks (`<pre>`) are kept apart from prose: they weigh less in ranking.

The HTML is the sanitizer's own output (courses/markdown.py), so a few regular expressions
read it reliably and fast enough to index a thousand topics inside a load.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Section boundaries: the headings the table of contents lists (plus a stray h1).
HEADING_RE = re.compile(r'<h([1-3]) id="([^"]*)">(.*?)</h\1>', re.DOTALL)
PERMALINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
PRE_RE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.DOTALL)
# Tags that end a block: replaced by a space so words on either side stay apart.
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|li|ul|ol|tr|td|th|table|thead|tbody|tfoot|blockquote|h[1-6]|br|hr|dd|dt"
    r"|dl|details|summary|pre)\b[^>]*>"
)
TAG_RE = re.compile(r"<[^>]*>")
# Control characters never reach content (the parser refuses them); the snippet markers
# (courses/search.py) are among them, so indexed text can never hold one.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPACE_RE = re.compile(r"\s+")

# PostgreSQL text search configurations (stemmers) by language subtag; PostgreSQL 13+ has
# all of these. SQLite stems English only (FTS5's porter tokenizer); see courses/search.py.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
NO_STEMMING = "simple"


@dataclass(frozen=True)
class SectionText:
    """One searchable piece of a topic: its anchor ("" for the top), heading and text."""

    anchor: str
    heading: str
    prose: str
    code: str


def text_config(language: str) -> str:
    """The text search configuration for a course language: 'de-AT' -> 'german'."""
    return STEMMERS.get(language.split("-")[0].lower(), NO_STEMMING)


def plain_text(fragment: str) -> str:
    """Visible text of sanitized HTML, on one line."""
    text = TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", fragment))
    return SPACE_RE.sub(" ", CONTROL_RE.sub(" ", html.unescape(text))).strip()


def split_text(fragment: str) -> tuple[str, str]:
    """(prose, code) of a piece of body HTML: code blocks apart from everything else."""
    code = " ".join(plain_text(block) for block in PRE_RE.findall(fragment))
    return plain_text(PRE_RE.sub(" ", fragment)), code.strip()


def split_sections(body_html: str) -> list[SectionText]:
    """The topic body's sections in page order; the first is the text before any heading."""
    body_html = PERMALINK_RE.sub("", body_html)
    parts = HEADING_RE.split(body_html)
    sections = [SectionText("", "", *split_text(parts[0]))]
    # split() gives [intro, level, id, heading, text, level, id, heading, text, …].
    for i in range(1, len(parts), 4):
        anchor, heading, fragment = parts[i + 1], parts[i + 2], parts[i + 3]
        sections.append(
            SectionText(html.unescape(anchor), plain_text(heading), *split_text(fragment))
        )
    return sections


def prompt_text(prompt_html: str) -> str:
    """A question prompt as plain text (its rendered inline HTML, tags dropped)."""
    return plain_text(prompt_html)
