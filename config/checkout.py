"""`manage.py` in a fresh clone runs with development settings, so the README works as written.

Settings refuse to start without SECRET_KEY unless DEBUG is on (config/settings.py), which is
right for a server and wrong for someone who has just cloned the project and types
`manage.py createsuperuser`. So manage.py, and only manage.py, turns DEBUG on when nothing
says this is a production machine: the settings module is the default one, the environment
sets neither SECRET_KEY nor DEBUG, DJANGO_ENV is not "production", and the project is a git
checkout (a `.git` next to manage.py; the Docker image has none and sets DJANGO_ENV). It says
so on stderr every time. gunicorn and config/wsgi.py never come here: a server without a key
still fails at start-up with the settings' clear error. DJANGO_ENV=development turns the
default on where there is no `.git` (an unpacked release, say).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

NOTICE = (
    "manage.py: development settings (DEBUG=1 and a development-only SECRET_KEY), because "
    "this is a git checkout and neither SECRET_KEY nor DEBUG is set. A server sets SECRET_KEY "
    "(docs/deploy.md); DJANGO_ENV=production turns this default off."
)


def use_development_defaults(environ: MutableMapping[str, str], project: Path) -> bool:
    """Set DEBUG=1 in `environ` when nothing says this is production; True when it did."""
    mode = environ.get("DJANGO_ENV", "").strip().lower()
    if mode == "production" or "SECRET_KEY" in environ or "DEBUG" in environ:
        return False
    if environ.get("DJANGO_SETTINGS_MODULE", "config.settings") != "config.settings":
        return False
    if mode != "development" and not (project / ".git").exists():
        return False
    environ["DEBUG"] = "1"
    return True
