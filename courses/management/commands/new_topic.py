"""`manage.py new_topic CHAPTER "Title" [--content DIR] [--slug SLUG]`: a thin wrapper over
courses.scaffold.new_topic."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.scaffold import ScaffoldError, new_topic


class Command(BaseCommand):
    help = (
        "Write a new topic file into a chapter of the content tree: the course's next free "
        "topic number, a slug from the title, front matter, a short body and a commented-out "
        "Knowledge Check. It loads as written; never overwrites a file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "chapter",
            help=(
                "The chapter: its slug or folder name, or COURSE/CHAPTER (slugs or folder "
                "names) when several courses have a chapter of that name."
            ),
        )
        parser.add_argument("title", help="The topic's title; the slug is made from it.")
        parser.add_argument(
            "--content",
            metavar="DIR",
            help="Content root (default: settings.CONTENT_DIR).",
        )
        parser.add_argument(
            "--slug", help="The topic's slug, instead of the one made from the title."
        )

    def handle(self, *args, chapter, title, content=None, slug=None, verbosity=1, **options):
        root = Path(content) if content else Path(settings.CONTENT_DIR)
        try:
            path = new_topic(root, chapter, title, slug=slug)
        except ScaffoldError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
            self.stdout.write("Preview it with `manage.py load_content --check`.")
