"""Rendered text kept per content version, and split at the places a page view fills in.

Two small tools that page assembly (courses/assembly.py) and kept search answers
(courses/search_pages.py) are built on:

- `kept(key, build)`: a value that depends only on its key, from this process's LRU, else the
  shared cache, else built now (and kept in both). Keys carry the content version, so a kept
  value is never stale and nothing is ever invalidated by hand: after a load the version
  changes and old entries are simply never read again.
- `Markers` / `render_split` / `fill`: text rendered once with a marker wherever a per-visitor
  value goes (a CSRF token, a score, a question), split at the markers, and joined again per
  view with that visitor's values. A marker carries a random tag drawn for that one rendering,
  and the split checks that the tag occurs only inside whole markers, so nothing content holds
  can ever be taken for one.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

# Old entries are unreachable (not wrong) after a load; the timeout only bounds memory.
TIMEOUT = 24 * 3600
MARKER_TRIES = 3


class MarkerClash(Exception):
    """The rendered text held a marker's tag outside a marker (vanishingly unlikely)."""


@dataclass(frozen=True)
class Markers:
    """Markers with one random tag: `mark("csrf")` -> a string no escaping changes."""

    tag: str = field(default_factory=lambda: secrets.token_hex(12))

    def __call__(self, name: str, index: int | str = "") -> str:
        return f"{self.tag}_{name}_{index}_{self.tag}"

    def split(self, html: str) -> list[str]:
        """[text, name, index, text, name, index, …, text]; raises MarkerClash."""
        pattern = re.compile(f"{self.tag}_([a-z]+)_([0-9]*)_{self.tag}")
        pieces = pattern.split(html)
        markers = (len(pieces) - 1) // 3
        if html.count(self.tag) != 2 * markers:
            raise MarkerClash
        return pieces


def render_split(render: Callable[[Markers], str]) -> list[str]:
    """`render(mark)` split at its markers, with a fresh tag if content ever held one."""
    for _ in range(MARKER_TRIES):
        markers = Markers()
        try:
            return markers.split(render(markers))
        except MarkerClash:
            continue
    raise MarkerClash


def fill(pieces: list[str], value: Callable[[str, int], str]) -> str:
    """Join pieces split at markers, asking `value(name, index)` for each marker."""
    return "".join(filled(pieces, value))


def encode_text(pieces: list[str]) -> list[str | bytes]:
    """Split pieces with their text (not their markers' names) encoded once, for `fill_bytes`:
    a page's 40 KB encoded per view cost as much as filling all its slots."""
    return [piece.encode() if i % 3 == 0 else piece for i, piece in enumerate(pieces)]


def fill_bytes(pieces: list, value: Callable[[str, int], str | bytes]) -> bytes:
    """`fill` for pieces from `encode_text`: the response body, encoding only the values."""
    return b"".join(p if isinstance(p, bytes) else p.encode() for p in filled(pieces, value))


def filled(pieces: list, value: Callable[[str, int], Any]) -> list:
    """The pieces' text with each marker's value between (Markers.split gives [text, name,
    index, text, name, index, …, text])."""
    out = []
    for i in range(0, len(pieces) - 1, 3):
        out.append(pieces[i])
        out.append(value(pieces[i + 1], int(pieces[i + 2] or 0)))
    out.append(pieces[-1])
    return out


def fill_some(pieces: list[str], value: Callable[[str, int], str | None]) -> list[str]:
    """Pieces with the markers `value(name, index)` knows filled (None: kept for later)."""
    out = [pieces[0]]
    for i in range(1, len(pieces) - 1, 3):
        name, index, text = pieces[i : i + 3]
        filled = value(name, int(index or 0))
        if filled is None:
            out += [name, index, text]
        else:
            out[-1] += filled + text
    return out


class ProcessLRU:
    """Values that depend only on their key, kept in this process (least recently used go).

    Values are shared between requests: callers never mutate them.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()  # runserver and threaded servers share the process

    def get_or_render(self, key: str, render: Callable[[], Any]) -> Any:
        """The kept value, else `render()`'s (kept unless None)."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        found = render()
        if found is None:
            return None
        self.put({key: found})
        return found

    def put(self, values: dict[str, Any]) -> None:
        with self.lock:
            self.entries.update(values)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


# Whole pages (~40 KB each) and content rows (a topic's questions, a question as answering
# needs it: a few KB): also shared between workers through the cache, since building one costs
# queries and, for a page, a full template render. Apart, so that answers spread over many
# topics never push the pages out.
pages = ProcessLRU(256)
rows = ProcessLRU(4096)
# Small fragments (a score line, an answered question, a header link) are cheap to render
# and many: kept in this process only, so they never evict pages from a bounded shared cache.
pieces = ProcessLRU(4096)


def kept(key: str, build: Callable[[], Any], keep: ProcessLRU = pages) -> Any:
    """The value for `key`: from this process (`keep`), else the shared cache, else `build()`
    (None is never kept: the caller's "not found")."""

    def shared() -> Any:
        found = cache.get(key)
        if found is None:
            found = build()
            if found is not None:
                cache.set(key, found, TIMEOUT)
        return found

    return keep.get_or_render(key, shared)


def keep_too(values: dict[str, Any], keep: ProcessLRU) -> None:
    """Keep values built alongside the one asked for (in this process and the shared cache)."""
    if values:
        keep.put(values)
        cache.set_many(values, TIMEOUT)
