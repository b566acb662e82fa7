"""What a learner typed, made safe to search with, and snippets marked safely (pure Python).

Any text is a query: it is cleaned (lone surrogates and control characters such as NUL go,
full-width forms fold, at most MAX_QUERY characters and MAX_TERMS terms are kept) and read
the way web search engines read it, as PostgreSQL's `websearch_to_tsquery` does: words must
all match, "quoted words" match as a phrase, `-word` excludes, `or` between words offers
alternatives. Everything else is text: FTS operators, brackets, `*`, `:` or `^` are never
syntax, and terms with no letter or digit in them are dropped. Each engine gets the query
built from these terms (courses/search_sqlite.py, courses/search_postgres.py), never the
raw text.

Snippets arrive as plain text with the matched words between START and STOP (control
characters, which content cannot hold: the parser refuses them and the index strips them).
`marked_html` escapes the text first and only then turns the markers into `<mark>`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

MAX_QUERY = 200
MAX_TERMS = 12
# The last word typed also matches longer words ("dist" finds "distroless") from this length.
MIN_PREFIX = 2
START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 24

SURROGATE_RE = re.compile("[\ud800-\udfff]")
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD_RE = re.compile(r"\w+")
HAS_WORD_RE = re.compile(r"[^\W_]")
MARKS_RE = re.compile(f"([{START}{STOP}])")
UNMARKED = f"[^{START}{STOP}]*"
PAIRED_RE = re.compile(f"{UNMARKED}(?:{START}{UNMARKED}{STOP}{UNMARKED})*")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False  # "quoted words"
    negated: bool = False  # -word
    prefix: bool = False  # the last word: also matches words that start with it


@dataclass(frozen=True)
class Query:
    """Alternatives (`or`), each a list of terms that must all match."""

    groups: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def words(self) -> list[str]:
        """Every term to find, once each (the substring pass wants all of them)."""
        return self.texts(negated=False)

    @property
    def excluded(self) -> list[str]:
        """Every `-term`, once each."""
        return self.texts(negated=True)

    def texts(self, *, negated: bool) -> list[str]:
        seen = {t.text: None for g in self.groups for t in g if t.negated == negated}
        return list(seen)


def clean(text: str) -> str:
    """The query as searched and shown: no surrogates or control characters, NFKC, bounded."""
    # Cut first: a megabyte of query string should not be normalised in full.
    text = CONTROL_RE.sub(" ", SURROGATE_RE.sub("", text[: MAX_QUERY * 4]))
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())[:MAX_QUERY].strip()


def parse_query(text: str) -> Query:
    """Read cleaned text as a web search query; never fails (it may come back empty)."""
    groups: list[list[Term]] = [[]]
    count = 0
    for match in TOKEN_RE.finditer(text):
        negated, quoted, word = match[1] == "-", match[2], match[3]
        if word is not None and word.lower() == "or":
            groups.append([])
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        value = (quoted if quoted is not None else word).strip()
        if not HAS_WORD_RE.search(value) or count >= MAX_TERMS:
            continue
        count += 1
        groups[-1].append(Term(" ".join(value.split()), phrase=quoted is not None, negated=negated))
    # A group of exclusions alone would match nearly everything: it is dropped.
    kept = [g for g in groups if any(not t.negated for t in g)]
    if kept:
        last = kept[-1][-1]
        ends_typing = not text.endswith('"')
        if ends_typing and not (last.phrase or last.negated) and prefixable(last.text):
            kept[-1][-1] = Term(last.text, prefix=True)
    # Exclusions after the words in each group: engines need something to exclude from.
    return Query(tuple(tuple(sorted(g, key=lambda t: t.negated)) for g in kept))


def prefixable(word: str) -> bool:
    return len(word) >= MIN_PREFIX and WORD_RE.fullmatch(word) is not None


def fold(text: str) -> str:
    """Case and accents folded, to compare a word with a stem: 'Führen' -> 'fuhren'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


Spans = Callable[[str], list[tuple[int, int]]]


def word_starts(stems: list[str]) -> Spans:
    """Whole words that a stemmer could have cut to one of the stems.

    A word matches when it starts with the stem, or with all of it but its last letter for
    stems of four letters or more (stemmers rewrite endings: "jerry" -> "jerri", "making" ->
    "make"). Only the marking in a snippet depends on it, never what is found.
    """
    starts = tuple({fold(s)[:-1] if len(s) >= 4 else fold(s) for s in stems if s})

    def spans(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in WORD_RE.finditer(text) if fold(m[0]).startswith(starts)]

    return spans if starts else lambda text: []


def substrings(needles: list[str]) -> Spans:
    """Every place one of the needles occurs, ignoring case."""
    if not needles:
        return lambda text: []
    pattern = re.compile(
        "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)), re.I
    )
    return lambda text: [m.span() for m in pattern.finditer(text)]


def excerpt(text: str, spans: Spans, words: int = SNIPPET_WORDS) -> str:
    """About `words` words of `text` around its best run of matches, matches marked."""
    bounds = [m.span() for m in re.finditer(r"\S+", text)]
    if not bounds:
        return ""
    found = spans(text)
    ends = [b[1] for b in bounds]
    first = 0
    if found:
        # The window of `words` words holding the most matches (two pointers over the word
        # index of each match), started a few words before its first match.
        starts = [bisect_right(ends, s) for s, _ in found]
        best, count, lo = starts[0], 0, 0
        for hi, word in enumerate(starts):
            while word - starts[lo] >= words:
                lo += 1
            if hi - lo + 1 > count:
                best, count = starts[lo], hi - lo + 1
        first = max(0, best - 3)
    last = min(len(bounds), first + words) - 1
    begin, end = bounds[first][0], bounds[last][1]
    out, at = [], begin
    for s, e in found:
        if s < at or e > end:
            continue
        out += [text[at:s], START, text[s:e], STOP]
        at = e
    out.append(text[at:end])
    return ("…" if first else "") + "".join(out) + ("…" if last < len(bounds) - 1 else "")


def marked_html(text: str) -> SafeString:
    """Escape the snippet, then turn its START/STOP pairs into <mark> (unpaired ones go)."""
    # Escaping leaves the control characters alone, so the whole text is escaped at once.
    escaped = html.escape(text)
    if PAIRED_RE.fullmatch(text):  # as the engines cut them: each START closed before the next
        marked = escaped.replace(START, "<mark>").replace(STOP, "</mark>")
        return mark_safe(marked)  # noqa: S308 - every piece of text escaped above
    return mark_safe(paired(escaped))  # noqa: S308 - every piece of text escaped above


def paired(escaped: str) -> str:
    """Escaped text with START/STOP pairs as <mark>, markers out of pairs dropped."""
    out, open_ = [], False
    for piece in MARKS_RE.split(escaped):
        if piece == START and not open_:
            out.append("<mark>")
            open_ = True
        elif piece == STOP and open_:
            out.append("</mark>")
            open_ = False
        elif piece not in (START, STOP):
            out.append(piece)
    if open_ and out[-1] == "<mark>":
        out.pop()
    elif open_:
        out.append("</mark>")
    return "".join(out)
