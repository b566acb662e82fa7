"""Live preview for authors: re-import content/ when a file changes (development only).

Enabled in config/settings.py only when DEBUG is on. At most once per second a request
stats the Markdown files (cheap: no reading); when any mtime, name or count changed it runs
the normal incremental import, which skips unchanged files by hash. A broken tree answers
every request with a page listing each `path:line` problem until the files are fixed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courses.content import ContentError, Problem
from courses.importer import load_content

CHECK_INTERVAL = 1.0


def snapshot(root: Path) -> tuple:
    """Names, sizes and mtimes of the Markdown files under `root` (changes when any file does)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                stat = os.stat(os.path.join(folder, name))
                found.append((folder, name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class ContentReloadMiddleware:
    """Re-import changed content before the request; show import errors as a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self.seen: tuple | None = None
        self.problems: list[Problem] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.refresh()
        if self.problems:
            return render(
                request,
                "courses/content_error.html",
                {"problems": self.problems, "root": settings.CONTENT_DIR},
                status=503,
            )
        return self.get_response(request)

    def refresh(self) -> None:
        """Import the content again if its files changed since the last look."""
        now = time.monotonic()
        if now - self.checked_at < CHECK_INTERVAL:
            return
        # Threaded runserver: one request re-imports, the others wait and see the result.
        with self.lock:
            if now - self.checked_at < CHECK_INTERVAL:
                return
            root = Path(settings.CONTENT_DIR)
            current = snapshot(root)
            if current != self.seen:
                self.seen = current
                try:
                    load_content(root)
                    self.problems = []
                except ContentError as error:
                    self.problems = error.problems
            self.checked_at = time.monotonic()
