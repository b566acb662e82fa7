"""Malformed requests get a clear 4xx, never a 500.

Django parses a POST body lazily, the first time something reads `request.POST`. For a body it
cannot parse (an urlencoded form in UTF-16, a multipart body without a boundary, too many
fields) that read raises, and it raises again on every later read: in the CSRF check, and in
Django's own error views, which run the CSRF check too (`requires_csrf_token`). The second
raise escapes the error path, and the server answers a bare 500.

So `MalformedRequestMiddleware` reads every POST body once, before the login throttle, the CSRF
check or a view do, and answers what it cannot read with a 400 (413 when too large); and the
400 and 500 handlers below never read the body, whatever went wrong before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

BAD_REQUEST = _(
    "This request could not be read: its form data was damaged or in an unsupported "
    "encoding. Reload the page and try again."
)
TOO_LARGE = _("This request is too large to be a form of this site. Reload the page and try again.")
MALFORMED = _("This request was malformed. Go back, reload the page and try again.")
CONTENT_LENGTH_RE = re.compile(r"[0-9]+")


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A short page saying what went wrong, or just the message when htmx asked."""
    if request.headers.get("HX-Request"):
        return HttpResponse(
            format_html('<p class="feedback error" role="alert">{}</p>', message), status=status
        )
    return render(request, "400.html", {"message": message}, status=status)


def body_problem(request: HttpRequest) -> tuple[int, str] | None:
    """Why this POST's body cannot be read, as (status, message), or None when it can."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not CONTENT_LENGTH_RE.fullmatch(length):
        return 400, BAD_REQUEST
    try:
        request.POST  # noqa: B018 - parse now, while a failure can still be answered
        request.FILES  # noqa: B018
    except RequestDataTooBig:
        return 413, TOO_LARGE
    except (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        # Unknown charsets, bad multipart, too many fields or files, a client that hung up.
        return 400, BAD_REQUEST
    return None


class MalformedRequestMiddleware:
    """Answer a POST whose body cannot be parsed before anything else reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            problem = body_problem(request)
            if problem:
                return error_response(request, *problem)
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's, minus the CSRF check that would read a broken body again."""
    return error_response(request, 400, MALFORMED)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django's, minus the CSRF check; no context, so it cannot fail in turn."""
    try:
        body = loader.get_template("500.html").render()
    except TemplateDoesNotExist:
        body = "<!doctype html><title>Server error</title><h1>Server error (500)</h1>"
    return HttpResponseServerError(body)
