"""CPU time per request through Django's WSGI handler, in this process: the bare ceiling view,
a topic page for a first-time visitor, and the same page for a learner with answers.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:///site.sqlite3 \\
        BENCH_PAGE=page.html .venv/bin/python bench/inprocess.py --path /<course>/<ch>/<topic>/

The database must hold a loaded course (as `make bench` leaves one). Figures are the best of
five batches of process CPU time, so other work on the machine moves them less than wall time;
`--profile anonymous` prints a cProfile of that target instead (py-spy, in the bench extra,
samples with less overhead: `py-spy record -f raw -- python bench/inprocess.py ...`).
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default="/containers/chapter-1/base-images-1/")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", choices=["bare", "anonymous", "learner"])
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/run.py)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    targets = {
        "bare": ("/bench/bare/", ""),
        "anonymous": (args.path, ""),
        "learner": (args.path, learner_cookie(args.path)),
    }
    for path, cookie in targets.values():
        for _ in range(50):  # caches, imports, connections
            get(app, path, cookie)
    if args.profile:
        profile(app, *targets[args.profile], args.requests)
        return
    best = {
        name: batches(app, path, cookie, args.requests) for name, (path, cookie) in targets.items()
    }
    if args.json:
        print(json.dumps({f"{name}_ms": ms for name, ms in best.items()}))
        return
    print(
        " ".join(f"{name} {ms:.3f} ms" for name, ms in best.items())
        + f" | anonymous {best['bare'] / best['anonymous']:.2f}x"
        + f" learner {best['bare'] / best['learner']:.2f}x of bare"
    )


def get(app, path: str, cookie: str) -> bytes:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    status = []
    body = b"".join(app(environ, lambda s, headers, *_: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}")
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


def batches(app, path: str, cookie: str, requests: int) -> float:
    """The best of five batches' CPU milliseconds per request."""
    per_batch = max(requests // 5, 1)
    best = float("inf")
    for _ in range(5):
        began = time.process_time()
        for _ in range(per_batch):
            get(app, path, cookie)
        best = min(best, (time.process_time() - began) / per_batch * 1000)
    return best


def profile(app, path: str, cookie: str, requests: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        get(app, path, cookie)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
