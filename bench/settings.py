"""Bench-only settings: production settings plus a bare view, never used outside `make bench`."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
