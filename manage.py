#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.checkout import NOTICE, use_development_defaults

    # A fresh clone needs no environment (config/checkout.py says when, and why it is safe).
    if use_development_defaults(os.environ, Path(__file__).resolve().parent):
        print(NOTICE, file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
