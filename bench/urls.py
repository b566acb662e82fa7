"""Production URLs plus Django's ceiling: a bare view returning a saved page from memory."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as production_urlpatterns


@cache
def saved_page(name: str = "") -> bytes:
    if name:  # another saved page (the search bench's), by its file name
        return (Path(os.environ["BENCH_PAGE_DIR"]) / Path(name).name).read_bytes()
    return Path(os.environ["BENCH_PAGE"]).read_bytes()


def bare(request: HttpRequest, name: str = "") -> HttpResponse:
    """The same bytes as the topic page, with no query and no template: Django's floor cost."""
    return HttpResponse(saved_page(name), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare/<slug:name>/", bare),
    *production_urlpatterns,
]
