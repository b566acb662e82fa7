"""Reading gettext catalogs and template text for the translation tests (no extra libraries)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CATALOG = PROJECT / "locale" / "de" / "LC_MESSAGES" / "django.po"
TEMPLATES = PROJECT / "templates"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def read_catalog(path: Path = CATALOG) -> list[Entry]:
    """The entries of a .po file (the header excluded)."""
    entries, entry, target = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[(\d)\])?)\s+(".*")$', line)
            if match:
                target = (match[1], int(match[2] or 0))
                text = ast.literal_eval(match[3])
            else:
                text = ast.literal_eval(line.strip())
            name, index = target
            if name == "msgid":
                entry.msgid += text
            elif name == "msgid_plural":
                entry.msgid_plural += text
            else:
                entry.msgstr[index] = entry.msgstr.get(index, "") + text
    return entries


# Template syntax, replaced before reading the HTML that remains.
COMMENT_RE = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
BLOCKTRANS_RE = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
TRANS_RE = re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.S)
TAG_RE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
# Text attributes a reader (or a screen reader) meets.
TEXT_ATTRIBUTES = {"alt", "aria-label", "title", "placeholder", "aria-description"}
# What may stay as written in any language.
ALLOWED = {"Coursedeck", "CSV", "D"}
WORD_RE = re.compile(r"[^\W\d_]{2,}")


class TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self.found.append((self.getpos()[0], value))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.found.append((self.getpos()[0], data.strip()))


def untranslated_text(path: Path) -> list[str]:
    """Human text in a template that no {% translate %} or {% blocktranslate %} covers."""
    source = path.read_text(encoding="utf-8")

    def blank(match: re.Match) -> str:
        # Keep line numbers: replace with as many newlines as the match had.
        return "\n" * match[0].count("\n")

    for pattern in (COMMENT_RE, BLOCKTRANS_RE, TRANS_RE, TAG_RE):
        source = pattern.sub(blank, source)
    collector = TextCollector()
    collector.feed(source)
    problems = []
    for line, text in collector.found:
        words = [w for w in WORD_RE.findall(text) if w not in ALLOWED]
        if words:
            problems.append(f"{path.relative_to(PROJECT)}:{line}: {text!r}")
    return problems
