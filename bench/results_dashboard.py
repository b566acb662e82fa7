"""Time the results dashboard on a throwaway SQLite database full of synthetic attempts.

    .venv/bin/python bench/results_dashboard.py --learners 10000 --attempts 200000 --seed 1

Loads the seed content (plus --extra-topics synthetic topics, to spread answers over more
questions), runs `generate_results_data`, then requests each dashboard page as a staff user
with Django's test client and prints the median of --runs timings per page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def synthetic_topic(number: int, questions: int) -> str:
    """A topic file with `questions` four-choice questions."""
    parts = [f"---\nnumber: {number}\ntitle: Synthetic topic {number}\n---\n\nText.\n"]
    parts.append("\n## Knowledge Check\n")
    for q in range(questions):
        parts.append(
            f"\n### Synthetic question {number}.{q}?\n\n"
            f"- [x] Right answer {q}\n- [ ] Wrong answer A{q}\n"
            f"- [ ] Wrong answer B{q}\n- [ ] Wrong answer C{q}\n\nBecause.\n"
        )
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--attempts", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="Timed requests per page.")
    parser.add_argument("--extra-topics", type=int, default=0, help="Synthetic topics to add.")
    parser.add_argument("--keep", action="store_true", help="Keep the database, to inspect it.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="results-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from quizzes.models import Learner, Question

    try:
        content = work / "content"
        shutil.copytree(ROOT / "content" / "containers", content)
        for i in range(args.extra_topics):
            chapter = content / "90-synthetic"
            chapter.mkdir(exist_ok=True)
            (chapter / "chapter.md").write_text("---\nnumber: 90\ntitle: Synthetic\n---\nX.\n")
            (chapter / f"{i:02d}-synthetic-{i}.md").write_text(synthetic_topic(900 + i, 5))
        call_command("migrate", verbosity=0)
        call_command("load_content", str(content), verbosity=0)
        started = time.perf_counter()
        call_command(
            "generate_results_data",
            learners=args.learners,
            attempts=args.attempts,
            seed=args.seed,
            verbosity=0,
        )
        generated = time.perf_counter() - started
        staff = get_user_model().objects.create_user(
            "bench-staff", password="x", is_staff=True, is_superuser=True
        )
        client = Client()
        client.force_login(staff)
        question = Question.objects.active().first()
        learner = Learner.objects.filter(attempts__isnull=False).order_by("pk").first()
        pages = [
            ("topics", "/results/containers/"),
            ("questions", "/results/containers/questions/"),
            ("question", f"/results/containers/questions/{question.pk}/"),
            ("learners", "/results/containers/learners/"),
            ("learner search", "/results/containers/learners/?q=learner-1-42"),
            ("learner", f"/results/containers/learners/{learner.pk}/"),
            ("questions.csv", "/results/containers/questions.csv"),
            ("attempts.csv (whole)", "/results/containers/attempts.csv"),
        ]
        print(
            f"{Question.objects.count()} questions, {args.learners} learners, "
            f"{args.attempts} attempts (generated in {generated:.1f}s), "
            f"median of {args.runs} runs\n"
        )
        print(
            f"{'page':<22} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>8} "
            f"{'first byte ms':>14}"
        )
        for name, url in pages:
            times, firsts = [], []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    if response.streaming:
                        # A download: when its first piece is ready, then the whole file.
                        pieces = iter(response.streaming_content)
                        body = next(pieces)
                        firsts.append((time.perf_counter() - t0) * 1000)
                        body += b"".join(pieces)
                    else:
                        body = response.content
                    times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            first = f"{statistics.median(firsts):>14.1f}" if firsts else f"{'':>14}"
            print(
                f"{name:<22} {statistics.median(times):>10.1f} {min(times):>8.1f} "
                f"{len(queries):>8} {len(body) / 1024:>8.0f} {first}"
            )
    finally:
        if args.keep:
            print(f"\nKept {work / 'bench.sqlite3'}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
