"""The search part of `make bench`: search under wrk against Django's ceiling in the same run.

On the 1,000-topic course: the search page (a visitor without an account) and the instant
results (the htmx fragment the header's box asks for while someone types), each over a
rotation of queries — whole words, words being typed, two-word queries, a code token, a
partial word, a miss — sent by a wrk Lua script. "Kept" runs go to the production
configuration: after the warm-up every answer comes from the per-version cache
(courses/search_pages.py), as popular queries do in production. "Full" runs go to a second
gunicorn started with BENCH_SEARCH_KEEP=0, so every request runs the whole search and renders
it (the long tail of queries never asked before). The ceiling is `/bench/bare/<file>/`, the
same bytes as the answer served from memory by the first gunicorn: ratios are per round.
"""

from __future__ import annotations

import statistics
import urllib.parse
import urllib.request
from pathlib import Path

COURSE = "/containers/search/"
QUERIES = [
    "slim", "sl", "sli", "debug", "debugging", "distroless", "glibc", "package manager",
    "python 3.12", "attack surface", "base image", "apt-get", "locales", "sane default",
    "ctl", "xyzzy", "part 512", "scratch",
]  # fmt: skip
LUA = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def paths() -> list[str]:
    return [f"{COURSE}?{urllib.parse.urlencode({'q': q})}" for q in QUERIES]


def script(work: Path) -> Path:
    path = work / "search.lua"
    path.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in paths())})
    return path


def save(base: str, path: str, target: Path, headers: dict | None = None) -> None:
    """Save one answer's bytes for the bare view (the ceiling with the same bytes)."""
    request = urllib.request.Request(base + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        target.write_bytes(response.read())


def bench_search(env: dict, work: Path, repeats: int, duration: int, tools) -> dict:
    """wrk rounds: page and fragment, kept and new, each beside its ceiling."""
    pages = work / "search-pages"
    pages.mkdir()
    env = {**env, "BENCH_PAGE": "/dev/null", "BENCH_PAGE_DIR": str(pages)}
    apps = [
        tools.gunicorn(env, tools.port),
        tools.gunicorn({**env, "BENCH_SEARCH_KEEP": "0"}, tools.port2),
    ]
    base, full = f"http://127.0.0.1:{tools.port}", f"http://127.0.0.1:{tools.port2}"
    htmx, lua = ["HX-Request: true"], script(work)
    save(base, paths()[0], pages / "page")
    save(base, paths()[0], pages / "fragment", {"HX-Request": "true"})
    targets = {
        "page_ceiling": (f"{base}/bench/bare/page/", [], None),
        "page_kept": (base, [], lua),
        "page_full": (full, [], lua),
        "fragment_ceiling": (f"{base}/bench/bare/fragment/", [], None),
        "fragment_kept": (base, htmx, lua),
        "fragment_full": (full, htmx, lua),
    }
    # The warm-up keeps every answer in both workers.
    rounds: dict = tools.wrk_rounds(targets, repeats, duration, "search wrk", warm_up=2)
    rounds["bytes"] = {p.name: p.stat().st_size for p in pages.iterdir()}
    for app in apps:
        tools.stop(app)
    return rounds


LABELS = [
    ("page_ceiling", "page_ceiling", "Django bare view, the search page's bytes (ceiling)"),
    ("page_kept", "page_ceiling", "search page, visitor, 18 queries (answers kept)"),
    ("page_full", "page_ceiling", "search page, every search run in full (nothing kept)"),
    ("fragment_ceiling", "fragment_ceiling", "Django bare view, instant results' bytes (ceiling)"),
    ("fragment_kept", "fragment_ceiling", "instant results (htmx), 18 queries (answers kept)"),
    ("fragment_full", "fragment_ceiling", "instant results, every search run in full"),
]


def report_rows(search: dict, row) -> None:
    """Table rows: req/s with p50/p99 and the per-round ratio to the same-bytes ceiling."""
    for name, ceiling, label in LABELS:
        runs = search[name]
        p50 = statistics.median(r["p50_ms"] for r in runs)
        p99 = statistics.median(r["p99_ms"] for r in runs)
        notes = f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        if name != ceiling:
            ratios = [r["rps"] / c["rps"] for r, c in zip(runs, search[ceiling], strict=True)]
            notes += (
                f"; **{statistics.median(ratios):.2f}x ceiling** "
                f"({min(ratios):.2f}-{max(ratios):.2f})"
            )
            notes += " (target 0.5x)"  # kept answers and fresh queries alike (issue 12)
        bad = sum(r["non_2xx"] for r in runs)
        if bad:
            notes += f"; {bad} non-2xx"
        row(label, "req/s", [r["rps"] for r in runs], notes=notes)
