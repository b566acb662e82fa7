"""Production URLs plus Django's ceiling: a bare view returning a saved page from memory."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as production_urlpatterns


@cache
def saved_page() -> bytes:
    return Path(os.environ["BENCH_PAGE"]).read_bytes()


def bare(request: HttpRequest) -> HttpResponse:
    """The same bytes as the topic page, with no query and no template: Django's floor cost."""
    return HttpResponse(saved_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), *production_urlpatterns]
