"""Bench-only settings: production settings plus a bare view, never used outside `make bench`."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# BENCH_SEARCH_INDEX=0: loads write no search index, to measure what indexing costs a load.
SEARCH_INDEX = os.environ.get("BENCH_SEARCH_INDEX", "1") != "0"
# BENCH_SEARCH_KEEP=0: every search runs in full (nothing kept between requests).
SEARCH_KEEP_ANSWERS = os.environ.get("BENCH_SEARCH_KEEP", "1") != "0"
