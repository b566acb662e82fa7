"""`manage.py load_content [DIR] [--course SLUG] [--check] [--format text|github|json]`: a thin
wrapper over courses.importer.load_content (machine formats: courses.load_formats)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from courses.content import ContentError
from courses.importer import LoadReport, UnknownCourse, load_content
from courses.load_formats import github_lines, json_report

FORMATS = ("text", "github", "json")


class Command(BaseCommand):
    help = (
        "Load the courses under DIR (default: settings.CONTENT_DIR) into the database: DIR "
        "holds one course (a course.md) or one folder per course. "
        "Unchanged files are skipped; removed content is retired, never deleted. "
        "Any error leaves the database untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help=(
                "Content root: a course.md and one folder per chapter, or one folder per "
                "course (each with its course.md and chapter folders)."
            ),
        )
        parser.add_argument(
            "--course",
            metavar="SLUG",
            help="Load (or check) only this course; the others are left as they are.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=(
                "Validate, lint and report what would change (including the effect on "
                "learners' answers), without writing anything: the load runs in a "
                "transaction that is rolled back, so it fails exactly when a load would."
            ),
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=FORMATS,
            default="text",
            help=(
                "text (default): for people. github: GitHub Actions annotations (::error, "
                "::warning, ::notice) on standard output. json: one JSON report on standard "
                "output. Either way the command fails when the content has errors."
            ),
        )

    def handle(
        self,
        *args,
        directory=None,
        course=None,
        check=False,
        output_format="text",
        verbosity=1,
        **options,
    ):
        refuse_unmigrated_database()
        root = Path(directory) if directory else Path(settings.CONTENT_DIR)
        started = time.perf_counter()
        show_progress = verbosity >= 1 and output_format == "text"
        progress = self.progress_printer(started) if show_progress else None
        try:
            report = load_content(root, course=course, check=check, progress=progress)
        except UnknownCourse as error:
            raise CommandError(str(error)) from None
        except ContentError as error:
            if output_format == "text":
                for problem in error.problems:
                    self.stderr.write(str(problem))
            else:
                self.write_machine(output_format, root, error.problems, None, check)
            count = len(error.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {root}; nothing was loaded."
            ) from None
        if output_format != "text":
            self.write_machine(output_format, root, [], report, check)
            return
        elapsed = time.perf_counter() - started
        # Warnings never block a load; they are for the author, so they go with the errors.
        for warning in report.warnings if verbosity >= 1 else []:
            self.stderr.write(self.style.WARNING(str(warning)))
        if check and verbosity >= 1:
            self.stdout.write(
                "Impact on learner data:" if report.impact else "No learner data affected."
            )
            for line in report.impact:
                self.stdout.write(f"  {line}")
        if verbosity >= 1:
            verb = "Checked" if check else "Loaded"
            self.stdout.write(report.summary())
            self.stdout.write(self.style.SUCCESS(f"{verb} {root} in {elapsed:.2f}s."))

    def write_machine(
        self, output_format: str, root: Path, errors: list, report: LoadReport | None, check: bool
    ) -> None:
        """Everything on standard output, unstyled, for a CI runner or a script to read."""
        if output_format == "json":
            self.stdout.write(json_report(root, errors, report, check=check))
        else:
            for line in github_lines(root, errors, report):
                self.stdout.write(line)

    def progress_printer(self, started: float):
        """Show a progress line on a terminal once a load takes more than a moment."""
        is_tty = self.stdout.isatty()

        def show(done: int, total: int) -> None:
            if not is_tty or time.perf_counter() - started < 0.5:
                return
            end = "\n" if done == total else ""
            self.stdout.write(f"\rRendering topics: {done}/{total}", ending=end)
            self.stdout.flush()

        return show


def refuse_unmigrated_database() -> None:
    """A load (or a check, which is a rolled-back load) needs the current tables: say so plainly
    instead of failing on the first missing column."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "the database is missing migrations: run '.venv/bin/python manage.py migrate' "
            "first (make run does both)"
        )
