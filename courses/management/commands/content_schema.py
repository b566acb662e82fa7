"""`manage.py content_schema [--output DIR] [--check]`: a thin wrapper over
courses.content_schema."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content_schema import stale_schemas, write_schemas


class Command(BaseCommand):
    help = (
        "Write the JSON Schemas of course, chapter and topic front matter and of the spectrum "
        "fence, generated from the content models, for editors with a YAML language server "
        "(docs/authoring.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="DIR",
            help="Folder to write <name>.schema.json into (default: docs/schema).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail when a schema file is missing or out of date.",
        )

    def handle(self, *args, output=None, check=False, verbosity=1, **options):
        folder = Path(output) if output else Path(settings.BASE_DIR) / "docs" / "schema"
        if check:
            stale = stale_schemas(folder)
            if stale:
                names = ", ".join(str(p) for p in stale)
                raise CommandError(f"out of date: {names}; run manage.py content_schema")
            if verbosity >= 1:
                self.stdout.write(f"The schemas in {folder} are up to date.")
            return
        changed = write_schemas(folder)
        if verbosity >= 1:
            for path in changed:
                self.stdout.write(f"Wrote {path}")
            self.stdout.write(self.style.SUCCESS(f"{len(changed)} changed in {folder}."))
