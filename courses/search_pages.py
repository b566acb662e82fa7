"""Search answers kept per content version, so a repeated query costs what a cached page does.

What a search page shows depends only on the content, the scope (a course, or every course),
the interface language and the query string. Each answer is rendered once and kept in this
process and in the shared cache under a key that carries the content version (as topic pages
are, courses/page_cache.py): after a load the version changes and old answers are never read
again. Instant results (the htmx fragment) are kept whole; a whole page is kept for visitors
without an account with a marker for its CSRF token, filled in per request (as
courses/page_shell.py does). Pages of signed-in users show their name: rendered each time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from courses.page_cache import TIMEOUT, Markers, content_version, fill, render_split
from courses.page_shell import ProcessLRU

TEMPLATE = "courses/search_results.html"
answers = ProcessLRU(2048)  # a few KB each


@dataclass(frozen=True)
class Answer:
    """A rendered answer, split at its CSRF marker (one piece for a fragment)."""

    language: str
    pieces: list[str]


def respond(request: HttpRequest, scope: str, build: Callable[[], dict]) -> HttpResponse:
    """The answer for this request: kept, or built now by `build()` (which may raise 404).

    `build` activates the answer's language (a course's, or the browser's) and returns the
    template context. `scope` names what is searched ("course:<slug>" or "all").
    """
    popup = bool(request.htmx)
    version = content_version()
    if version is None or (not popup and request.user.is_authenticated):
        return render(request, TEMPLATE + ("#popup" if popup else ""), build())
    # A course's pages speak its language, fixed by the slug; every-course pages the browser's.
    language = translation.get_language() if scope == "all" else ""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"search:{int(popup)}:{version}:{scope}:{language}:{path}"
    answer = answers.get_or_render(key, lambda: shared(key, lambda: make(request, build, popup)))
    translation.activate(answer.language)
    request.LANGUAGE_CODE = answer.language
    if popup:
        return HttpResponse(answer.pieces[0])
    csrf = escape(get_token(request))
    return HttpResponse(fill(answer.pieces, lambda name, index: csrf))


def shared(key: str, make_answer: Callable[[], Answer]) -> Answer:
    """The answer from the shared cache, else made now and put there."""
    found = cache.get(key)
    if found is None:
        found = make_answer()
        cache.set(key, found, TIMEOUT)
    return found


def make(request: HttpRequest, build: Callable[[], dict], popup: bool) -> Answer:
    context = build()
    if popup:
        html = render_to_string(f"{TEMPLATE}#popup", context)
        return Answer(translation.get_language(), [html])

    def page(mark: Markers) -> str:
        # What the context processors give a visitor without an account, the token marked.
        own = {"request": request, "user": request.user, "csrf_token": mark("csrf")}
        return render_to_string(TEMPLATE, {**context, **own})

    return Answer(translation.get_language(), render_split(page))
