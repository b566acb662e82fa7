"""Time spaced review at scale on a throwaway SQLite database full of synthetic answers.

    .venv/bin/python bench/review_queue.py --learners 10000 --attempts 200000 --seed 1

Loads the seed content, runs `generate_results_data`, gives every (learner, question) pair
answered a review card (due dates spread from 30 days ago to 30 days ahead), then times, in
this process and through Django's test client:

- the header's due count (quizzes/review.py::due_count) for --learners-timed learners;
- the review page of a learner with due questions, against Django's ceiling measured in the
  same run: bench/urls.py's bare view returning the same bytes from memory, through the same
  middleware. The ratio is the review page's requests per second over the ceiling's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_cards(now, seed: int) -> int:
    """A card for every (learner, question) answered, due anywhere in ±30 days."""
    from quizzes.models import Attempt, ReviewCard

    rng = random.Random(seed)
    pairs = (
        Attempt.objects.values_list("learner_id", "question_id", "question__topic__course_id")
        .distinct()
        .order_by()
    )
    batch, made = [], 0
    for learner_id, question_id, course_id in pairs.iterator(chunk_size=5000):
        stability = rng.uniform(1, 40)
        due = now + timedelta(days=rng.uniform(-30, 30))
        batch.append(
            ReviewCard(
                learner_id=learner_id,
                question_id=question_id,
                course_id=course_id,
                state=2,
                stability=stability,
                difficulty=rng.uniform(2, 8),
                due=due,
                last_review=due - timedelta(days=stability),
            )
        )
        if len(batch) == 5000:
            made += len(ReviewCard.objects.bulk_create(batch))
            batch = []
    return made + len(ReviewCard.objects.bulk_create(batch))


def timed(call, runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--attempts", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--learners-timed", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=300, help="Timed requests per page.")
    parser.add_argument(
        "--keep-in",
        type=Path,
        help="Keep the database and the saved review page in this folder, and end with a JSON "
        "line for bench/run.py (the due count's timings and the visitor's cookie).",
    )
    args = parser.parse_args()

    work = args.keep_in or Path(tempfile.mkdtemp(prefix="review-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'review.sqlite3'}"
    os.environ["BENCH_PAGE"] = str(work / "review.html")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from quizzes import clock, review
    from quizzes.models import Learner, ReviewCard

    try:
        call_command("migrate", verbosity=0)
        call_command("load_content", str(ROOT / "content"), verbosity=0)
        call_command(
            "generate_results_data",
            learners=args.learners,
            attempts=args.attempts,
            seed=args.seed,
            verbosity=0,
        )
        now = clock.now()
        started = time.perf_counter()
        cards = make_cards(now, args.seed)
        print(
            f"{args.learners} learners, {args.attempts} attempts, {cards} review cards "
            f"(made in {time.perf_counter() - started:.1f}s)"
        )
        rng = random.Random(args.seed)
        ids = list(Learner.objects.values_list("pk", flat=True))
        sample = [Learner(pk=pk) for pk in rng.sample(ids, min(args.learners_timed, len(ids)))]
        counts = iter(sample * 2)
        review.due_count(sample[0], now)  # warm: connection, statement cache
        with CaptureQueriesContext(connection) as queries:
            review.due_count(sample[0], now)
        times = timed(lambda: review.due_count(next(counts), now), len(sample))
        times.sort()
        due_ms = {
            "median": statistics.median(times),
            "p99": times[int(len(times) * 0.99)],
            "max": times[-1],
            "queries": len(queries),
            "learners": len(sample),
        }
        print(
            f"due count: median {statistics.median(times):.3f} ms, "
            f"p99 {times[int(len(times) * 0.99)]:.3f} ms, max {times[-1]:.3f} ms, "
            f"{len(queries)} query, {len(sample)} learners"
        )

        # A visitor without an account (the signed cookie names their learner) with due
        # questions, as most learners are.
        from quizzes.visitors import COOKIE, cookie_value, new_visitor

        due_learner = ReviewCard.objects.filter(due__lte=now, learner__user=None).first().learner
        browser = new_visitor()
        browser.attach(due_learner.pk)
        Learner.objects.filter(pk=due_learner.pk).update(visitor_key=browser.key)
        client = Client()
        client.cookies[COOKIE] = cookie_value(browser)
        # As under gunicorn with CONN_MAX_AGE: the connection stays open between requests.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        test_host = {"ALLOWED_HOSTS": ["testserver"], "SECURE_SSL_REDIRECT": False}
        with override_settings(ROOT_URLCONF="bench.urls", **test_host):
            first = client.get("/review/")
            assert first.status_code == 200
            assert b"/review/answer/" in first.content
            Path(os.environ["BENCH_PAGE"]).write_bytes(first.content)
            with CaptureQueriesContext(connection) as queries:
                client.get("/review/")
            page = timed(lambda: client.get("/review/"), args.runs)
            bare = timed(lambda: client.get("/bench/bare/"), args.runs)
        ratio = statistics.median(bare) / statistics.median(page)
        print(
            f"review page: median {statistics.median(page):.2f} ms ({len(queries)} queries, "
            f"{len(first.content) / 1024:.1f} KB); ceiling (bare view, same bytes): median "
            f"{statistics.median(bare):.2f} ms; review page at {ratio:.2f}x the ceiling"
        )
        if args.keep_in:
            cookie = f"Cookie: {COOKIE}={client.cookies[COOKIE].value}"
            print(json.dumps({"due_ms": due_ms, "cookie": cookie, "cards": cards}))
    finally:
        if not args.keep_in:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
