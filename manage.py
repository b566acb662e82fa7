#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.checkout import migrate_development_database, use_development_defaults

    # A fresh clone needs no environment and no `migrate` first (config/checkout.py says
    # when, and why it is safe).
    if use_development_defaults(os.environ, Path(__file__).resolve().parent):
        applied = migrate_development_database(sys.argv)
        if applied:
            print(
                f"manage.py: set up the development database ({applied} migrations).",
                file=sys.stderr,
            )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
