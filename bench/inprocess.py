"""CPU time per request through Django's WSGI handler, in this process: the bare ceiling view,
a topic page for a first-time visitor, and the same page for a learner with answers; on
request (`--targets`), fresh searches: the search page and the instant results (the htmx
fragment) over bench/search_bench.py's QUERIES, one after the other, with answer keeping off
(as BENCH_SEARCH_KEEP=0), so every request runs the whole search.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:///site.sqlite3 \\
        BENCH_PAGE=page.html .venv/bin/python bench/inprocess.py --path /<course>/<ch>/<topic>/
    ... bench/inprocess.py --targets bare,search_page,search_instant --kinds

The database must hold a loaded course (as `make bench` leaves one). Figures are the best of
five batches of process CPU time, so other work on the machine moves them less than wall time;
`--profile anonymous` prints a cProfile of that target instead (py-spy, in the bench extra,
samples with less overhead: `py-spy record -f raw -- python bench/inprocess.py ...`);
`--kinds` adds each search query's own figure, and `--sql` what the search targets' SQL
statements cost in SQLite alone: captured once through Django, then replayed on a plain
sqlite3 connection (the part of a search no Python change can take away).
No server, no network: what a page view costs the app alone, to compare changes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


DEFAULT_TARGETS = "bare,anonymous,learner"
SEARCH_TARGETS = ("search_page", "search_instant")
TARGETS = (*DEFAULT_TARGETS.split(","), *SEARCH_TARGETS)
Request = tuple[str, str, dict]  # path, query string, extra WSGI environ (cookie, headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default="/containers/chapter-1/base-images-1/")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--targets", default=DEFAULT_TARGETS, help=f"of {', '.join(TARGETS)}")
    parser.add_argument("--kinds", action="store_true", help="each search query's own figure")
    parser.add_argument("--sql", action="store_true", help="search SQL in SQLite alone")
    parser.add_argument("--profile", choices=TARGETS)
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/run.py)")
    args = parser.parse_args()
    names = [args.profile] if args.profile else args.targets.split(",")
    if unknown := set(names) - set(TARGETS):
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    # Fresh searches only: every search request runs in full (as BENCH_SEARCH_KEEP=0).
    settings.SEARCH_KEEP_ANSWERS = False
    app = WSGIHandler()
    targets = {name: requests_for(name, args.path) for name in names}
    for requests in targets.values():
        for i in range(50):  # caches, imports, connections
            get(app, requests[i % len(requests)])
    if args.profile:
        profile(app, targets[args.profile], args.requests)
        return
    best = {name: batches(app, requests, args.requests) for name, requests in targets.items()}
    if args.json:
        print(json.dumps({f"{name}_ms": ms for name, ms in best.items()}))
        return
    print(summary(best))
    if args.kinds:
        print_kinds(app, targets, args.requests)
    if args.sql:
        for name in SEARCH_TARGETS:
            if name in targets:
                ms, statements = sql_alone(app, targets[name])
                print(f"{name} SQL alone {ms:.3f} ms ({statements:.1f} statements) per request")


def summary(best: dict[str, float]) -> str:
    line = " ".join(f"{name} {ms:.3f} ms" for name, ms in best.items())
    if "bare" not in best or len(best) == 1:
        return line
    ratios = " ".join(f"{n} {best['bare'] / ms:.2f}x" for n, ms in best.items() if n != "bare")
    return f"{line} | {ratios} of bare"


def requests_for(name: str, path: str) -> list[Request]:
    """The requests a target sends, in turn."""
    if name == "bare":
        return [("/bench/bare/", "", {})]
    if name == "anonymous":
        return [(path, "", {})]
    if name == "learner":
        return [(path, "", {"HTTP_COOKIE": learner_cookie(path)})]
    from bench.search_bench import COURSE, QUERIES

    extra = {"HTTP_HX_REQUEST": "true"} if name == "search_instant" else {}
    return [(COURSE, urllib.parse.urlencode({"q": q}), extra) for q in QUERIES]


def print_kinds(app, targets: dict[str, list[Request]], requests: int) -> None:
    """Each search query's figure per search target (best of five batches)."""
    for name, rotation in targets.items():
        if name not in SEARCH_TARGETS:
            continue
        each = max(requests // len(rotation), 50)
        figures = [
            f"{urllib.parse.parse_qs(r[1])['q'][0]!r} {batches(app, [r], each):.2f}"
            for r in rotation
        ]
        print(f"{name} ms: " + ", ".join(figures))


def get(app, request: Request) -> bytes:
    path, query, extra = request
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        **extra,
    }
    status = []
    body = b"".join(app(environ, lambda s, headers, *_: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}?{query}: {status[0]}")
    return body


def learner_cookie(path: str) -> str:
    """A visitor who answered three questions of the page (wrong), as its Cookie header."""
    from django.test import Client

    from quizzes.models import Question
    from tests.factories import answer

    client = Client(HTTP_HOST="127.0.0.1")
    slug = path.rstrip("/").split("/")[-1]
    for question in Question.objects.filter(is_active=True, topic__slug=slug)[:3]:
        response = answer(client, question, correct=False)
        if response.status_code != 200:
            raise SystemExit(f"answering {question.key}: {response.status_code}")
    return "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())


def batches(app, requests: list[Request], count: int) -> float:
    """The best of five batches' CPU milliseconds per request (the requests in turn)."""
    per_batch = max(count // 5, 1)
    best = float("inf")
    for _ in range(5):
        began = time.process_time()
        for i in range(per_batch):
            get(app, requests[i % len(requests)])
        best = min(best, (time.process_time() - began) / per_batch * 1000)
    return best


def sql_alone(app, requests: list[Request]) -> tuple[float, float]:
    """Milliseconds and statements per request that the requests' SQL costs in SQLite alone
    (best of five replays on a plain sqlite3 connection to the same database)."""
    import sqlite3

    from django.db import connection

    from config.sqlite_backend.base import qmark

    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((qmark(sql), params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        for request in requests:
            get(app, request)
    raw = sqlite3.connect(connection.settings_dict["NAME"])
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for sql, params in captured:
            raw.execute(sql, params).fetchall()
        best = min(best, (time.perf_counter() - began) / len(requests) * 1000)
    return best, len(captured) / len(requests)


def profile(app, requests: list[Request], count: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        get(app, requests[i % len(requests)])
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
