"""A stamp of the running code, for the shared cache's key prefix.

Kept values (topic shells, questions, fragments) are pickles of this code's classes. Two
releases sharing one Redis would otherwise read each other's: a shell kept by the last
release, unpickled by this one, lacks the fields this code expects (a 500 on every topic page
until the content is reloaded). Keys carry this stamp, so each release reads only its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGES = ("config", "courses", "quizzes")


def code_stamp(root: Path, packages: tuple[str, ...] = PACKAGES) -> str:
    """A short hash of every Python file of `packages` under `root` (names and bytes)."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
