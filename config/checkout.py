"""`manage.py` in a fresh clone runs with development settings, so the README works as written.

Settings refuse to start without SECRET_KEY unless DEBUG is on (config/settings.py), which is
right for a server and wrong for someone who has just cloned the project and types
`manage.py createsuperuser`. So manage.py, and only manage.py, turns DEBUG on when nothing
says this is a production machine: the settings module is the default one, the environment
sets neither SECRET_KEY nor DEBUG, DJANGO_ENV is not "production", and the project is a git
checkout (a `.git` next to manage.py; the Docker image has none and sets DJANGO_ENV).
gunicorn and config/wsgi.py never come here: a server without a key still fails at start-up
with the settings' clear error. DJANGO_ENV=development turns the default on where there is no
`.git` (an unpacked release, say).

In the same mode an embedded SQLite database is brought up to date before a command runs, so
`manage.py createsuperuser` or `load_content` works in a fresh clone without `migrate` first
(and says so on stderr, once). PostgreSQL databases are never migrated behind anyone's back.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

# Commands that manage migrations themselves, or need no database at all.
LEAVES_DATABASE_ALONE = frozenset(
    {"help", "version", "migrate", "makemigrations", "showmigrations", "sqlmigrate",
     "squashmigrations", "optimizemigration"}
)  # fmt: skip


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


def migrate_development_database(argv: list[str]) -> int:
    """Apply pending migrations to an SQLite database before `argv`'s command; how many."""
    command = argv[1] if len(argv) > 1 else "help"
    if command in LEAVES_DATABASE_ALONE or {"-h", "--help"} & set(argv):
        return 0
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "sqlite":
        return 0
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return len(pending)
