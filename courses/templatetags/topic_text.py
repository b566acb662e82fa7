"""`|labelled_permalinks`: heading permalinks named in the page's language.

Stored HTML is rendered once for every language, so it holds no interface text: the renderer
writes each heading's permalink as a bare "#", and the page (cached per course, so rendered
in the course's language) gives it an accessible name here.
"""

from __future__ import annotations

import re
from html import escape, unescape

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

# A heading with the renderer's permalink at its end (toc's `permalink`, then nh3's rel).
HEADING_RE = re.compile(
    r'(?P<open><h(?P<level>[1-6]) id="(?P<id>[^"]*)">)(?P<text>.*?)'
    r'<a class="headerlink" href="#(?P=id)"(?P<attrs>[^>]*)>#</a>(?P<close></h(?P=level)>)',
    re.DOTALL,
)


def label_permalinks(html: str) -> str:
    """`html` with each heading's "#" permalink named "Link to section “…”" (translated)."""

    def label(match: re.Match) -> str:
        title = " ".join(unescape(strip_tags(match["text"])).split())
        name = gettext("Link to section “%(title)s”") % {"title": title}
        return (
            f'{match["open"]}{match["text"]}<a class="headerlink" href="#{match["id"]}"'
            f'{match["attrs"]} aria-label="{escape(name)}"><span aria-hidden="true">#</span></a>'
            f"{match['close']}"
        )

    return HEADING_RE.sub(label, html)


@register.filter(is_safe=True)
def labelled_permalinks(html: str) -> SafeString:
    """Stored (sanitized) HTML with named permalinks."""
    return mark_safe(label_permalinks(html))  # noqa: S308 - sanitized at import, names escaped
