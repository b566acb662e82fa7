"""`make bench`: speed, scale and concurrency measured side by side in one run.

Everything runs on 127.0.0.1 (ports 8160-8179), every load is bounded in time and count, and
everything started here (gunicorn, nginx, a PostgreSQL cluster that was down) is stopped at the
end, also on error. Raw results go to bench/results/ (ignored by git); the table goes to
stdout and into docs/benchmarks.md between the generated-section markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
APP_PORT, NGINX_PORT, PG_APP_PORT, SEARCH_FULL_PORT, REVIEW_PORT = 8160, 8161, 8162, 8163, 8164
PG = {"user": "coursedeck_bench", "password": "coursedeck_bench", "db": "coursedeck_bench"}

started_processes: list[subprocess.Popen] = []
cleanups: list = []


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def base_env(database_url: str) -> dict[str, str]:
    """The production configuration: DEBUG off, a secret key, one allowed host."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        # TLS ends at a proxy in production; plain-HTTP loopback would only see redirects.
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def start(cmd: list[str], env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    started_processes.append(proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    if proc in started_processes:
        started_processes.remove(proc)


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


def gunicorn(env: dict, port: int, work: Path) -> subprocess.Popen:
    """The production app server with explicit flags (no config file): 2 sync workers = cores."""
    workers = str(os.cpu_count() or 2)
    proc = start(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", workers,
            "--worker-class", "sync",
            "--timeout", "30",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(work / f"gunicorn-{port}.log"),
        ],
        env=env,
    )  # fmt: skip
    wait_http(f"http://127.0.0.1:{port}/", timeout=30)
    return proc


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of `master`), in MB, read from /proc
    after the load: what a worker holds once its caches are warm."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue  # the process ended while we looked
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


# -- 1. load_content -------------------------------------------------------------------------


def load_seconds(env: dict, course: Path, cpu: list[float] | None = None) -> float:
    """The command's own timing; with `cpu`, also appends the CPU seconds it and its render
    workers used (less moved by other work on the machine than wall time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = manage(env, "load_content", str(course), timeout=400)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    match = re.search(r"Loaded .* in ([\d.]+)s", out)
    if not match:
        raise RuntimeError(f"unexpected load_content output: {out}")
    return float(match.group(1))


def bench_load(work: Path, course: Path, repeats: int) -> tuple[dict, Path]:
    template = work / "template.sqlite3"
    manage(base_env(f"sqlite:///{template}"), "migrate", "--noinput", "-v0")
    site = work / "site.sqlite3"
    results: dict[str, list[float]] = {
        "cold": [],
        "cold_cpu": [],
        "cold_no_index": [],
        "cold_no_index_cpu": [],
        "unchanged": [],
        "one_changed": [],
    }
    for i in range(repeats):
        # With and without the search index back to back, in turn first, so both meet the
        # same machine (the last run with the index becomes the site).
        for indexed in (False, True) if i % 2 == 0 else (True, False):
            name = "cold" if indexed else "cold_no_index"
            target = work / f"{name}-{i}.sqlite3"
            shutil.copy(template, target)
            env = base_env(f"sqlite:///{target}")
            if not indexed:
                env["BENCH_SEARCH_INDEX"] = "0"
            results[name].append(load_seconds(env, course, results[f"{name}_cpu"]))
            log(
                f"load_content {name} #{i + 1}: {results[name][-1]:.2f}s, "
                f"CPU {results[f'{name}_cpu'][-1]:.2f}s"
            )
            if indexed and i == repeats - 1:
                target.rename(site)
            else:
                target.unlink()
    env = base_env(f"sqlite:///{site}")
    for _ in range(repeats):
        results["unchanged"].append(load_seconds(env, course))
    topics = sorted(course.rglob("*-base-images-*.md"))
    for i in range(repeats):
        path = topics[(i * 97) % len(topics)]
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\nEdited for bench run {i}.\n")
        # The edit lands in the Knowledge Check's last explanation: the topic re-renders.
        results["one_changed"].append(load_seconds(env, course))
    log(f"load_content unchanged {results['unchanged']}, one changed {results['one_changed']}")
    return results, site


# -- 2. topic page under wrk -----------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str,
    duration: int,
    connections: int,
    headers: list[str] | None = None,
    script: Path | None = None,
) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for header in headers or []:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, timeout=duration + 30, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for q, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE):
        lat[q] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50_ms": lat.get("50"),
        "p99_ms": lat.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket.group(1) if socket else "",
    }


def wrk_rounds(
    targets: dict[str, tuple], repeats: int, duration: int, label: str, warm_up: int = 1
) -> dict[str, list[dict]]:
    """Each target, `(url, headers[, script])`, under wrk for `repeats` interleaved rounds
    after a short warm-up (caches, connections, imports); each round is logged."""
    for url, *rest in targets.values():
        wrk(url, warm_up, 8, *rest)
    rounds: dict[str, list[dict]] = {name: [] for name in targets}
    for r in range(repeats):
        for name, (url, *rest) in targets.items():
            rounds[name].append(wrk(url, duration, 32, *rest))
        log(
            f"{label} round {r + 1}: "
            + ", ".join(f"{n} {v[-1]['rps']:.0f}/s" for n, v in rounds.items())
        )
    return rounds


def bench_pages(env: dict, work: Path, topic_path: str, repeats: int, duration: int) -> dict:
    www = work / "www"
    www.mkdir()
    page_file = www / "page.html"
    env = {**env, "BENCH_PAGE": str(page_file)}
    app = gunicorn(env, APP_PORT, work)
    base = f"http://127.0.0.1:{APP_PORT}"
    with urllib.request.urlopen(base + topic_path, timeout=10) as response:
        page_file.write_bytes(response.read())
    os.chmod(work, 0o755)  # nginx workers read the page
    os.chmod(www, 0o755)
    conf_dir = work / "nginx"
    (conf_dir / "tmp").mkdir(parents=True)
    conf = (BENCH / "nginx.conf").read_text()
    conf = conf.replace("@PORT@", str(NGINX_PORT)).replace("@ROOT@", str(www))
    (conf_dir / "nginx.conf").write_text(conf)
    nginx = start(["nginx", "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf")])
    wait_http(f"http://127.0.0.1:{NGINX_PORT}/", timeout=10)
    cookie = subprocess.run(
        [PY, str(BENCH / "loadgen.py"), "learner-cookie", "--base", base, "--path", topic_path],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()  # fmt: skip
    targets = {
        "nginx": (f"http://127.0.0.1:{NGINX_PORT}/page.html", []),
        "ceiling": (f"{base}/bench/bare/", []),
        "anonymous": (base + topic_path, []),
        "learner": (base + topic_path, [f"Cookie: {cookie}"]),
    }
    rounds: dict = wrk_rounds(targets, repeats, duration, "wrk")
    weight = subprocess.run(
        [PY, str(BENCH / "page_weight.py"), base + topic_path],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if weight.returncode:
        log(f"page weight failed: {weight.stderr[-1500:]}")
        rounds["weight"] = None
    else:
        rounds["weight"] = json.loads(weight.stdout.strip().splitlines()[-1])
    rounds["page_bytes"] = page_file.stat().st_size
    # What a view costs the app alone (CPU per request through the WSGI handler): the figure
    # to compare changes by, less moved by the machine than requests per second.
    inproc = subprocess.run(
        [PY, str(BENCH / "inprocess.py"), "--path", topic_path, "--json"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if inproc.returncode:
        log(f"in-process timing failed: {inproc.stderr[-1500:]}")
    else:
        rounds["in_process"] = json.loads(inproc.stdout.strip().splitlines()[-1])
    rounds["worker_rss_mb"] = worker_rss_mb(app.pid)
    stop(nginx)
    rounds["_app"] = app
    return rounds


# -- 2b. several courses: 10 courses x 100 topics ---------------------------------------------

COURSES, COURSE_CHAPTERS, COURSE_TOPICS = 10, 5, 20


def bench_courses(work: Path, repeats: int, duration: int) -> dict:
    """Load 10 courses of 100 topics (cold, unchanged) and serve a topic page of one of them."""
    from gen_course import generate_many

    tree = work / "courses"
    generate_many(tree, COURSES, COURSE_CHAPTERS, COURSE_TOPICS)
    template = work / "courses-template.sqlite3"
    manage(base_env(f"sqlite:///{template}"), "migrate", "--noinput", "-v0")
    results: dict = {"cold": [], "unchanged": []}
    for i in range(repeats):
        target = work / f"courses-{i}.sqlite3"
        shutil.copy(template, target)
        results["cold"].append(load_seconds(base_env(f"sqlite:///{target}"), tree))
        log(f"10 courses cold #{i + 1}: {results['cold'][-1]:.2f}s")
    env = base_env(f"sqlite:///{target}")
    for _ in range(repeats):
        results["unchanged"].append(load_seconds(env, tree))
    manage(env, "collectstatic", "--noinput", "-v0")
    app = gunicorn({**env, "BENCH_PAGE": "/dev/null"}, APP_PORT, work)
    base = f"http://127.0.0.1:{APP_PORT}"
    # A topic in the middle of the sixth course.
    n = COURSE_CHAPTERS * COURSE_TOPICS // 2
    topic = f"{base}/course-6/chapter-3/base-images-{n}/"
    ceiling = f"{base}/bench/bare/"
    targets = {"anonymous": (topic, []), "ceiling": (ceiling, [])}
    results.update(wrk_rounds(targets, repeats, duration, "10 courses, wrk"))
    stop(app)
    return results


# -- 3. grading under concurrency ------------------------------------------------------------


def count_attempts(env: dict) -> int:
    out = manage(
        env,
        "shell",
        "-c",
        "from quizzes.models import Attempt; print(Attempt.objects.count())",
        timeout=60,
    )
    return int(out.strip().splitlines()[-1])


def bench_grading(env: dict, port: int, paths: list[str], repeats: int, duration: float) -> list:
    runs = []
    for r in range(repeats):
        before = count_attempts(env)
        out = subprocess.run(
            [PY, str(BENCH / "loadgen.py"), "grade", "--base", f"http://127.0.0.1:{port}",
             "--duration", str(duration), "--paths", *paths[r * 400 : (r + 1) * 400]],
            capture_output=True, text=True, timeout=duration + 180, check=True,
        ).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        # Each prepared learner answered once before the timed load (untimed).
        written = count_attempts(env) - before - result["prepared"]
        result["attempts_written"] = written
        # wrk stops with up to one request in flight per connection: the server may still
        # record those, so rows may exceed the 2xx count by at most that; fewer is a loss.
        result["lost"] = max(0, result["ok"] - written)
        result["in_flight"] = max(0, written - result["ok"])
        if result["in_flight"] > result["connections"]:
            result["lost"] = f"{written} rows for {result['ok']} 2xx: more than in flight"
        runs.append(result)
        log(
            f"grading run {r + 1}: {result['rps']:.0f} answers/s, p99 {result['p99_ms']:.1f} ms, "
            f"{result['non_2xx']} non-2xx, {written} rows / {result['ok']} ok"
        )
    return runs


def postgres_up() -> tuple[str | None, str]:
    """Start Debian's cluster if needed; return (DATABASE_URL or None, reason, ...)."""
    if shutil.which("pg_ctlcluster") is None:
        return None, "PostgreSQL is not installed (apt-get install postgresql)"
    status = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    lines = [line.split() for line in status.stdout.splitlines() if line.strip()]
    if not lines:
        return None, "no PostgreSQL cluster found"
    version, cluster, port, state = lines[0][:4]
    if state != "online":
        if os.geteuid() != 0:
            return None, "PostgreSQL is down and starting it needs root"
        started = subprocess.run(
            ["pg_ctlcluster", version, cluster, "start"], capture_output=True, text=True, timeout=60
        )
        if started.returncode:
            return None, f"pg_ctlcluster failed: {started.stderr.strip()[-300:]}"
        cleanups.append(
            lambda: subprocess.run(["pg_ctlcluster", version, cluster, "stop"], timeout=60)
        )

    def psql(sql: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["su", "postgres", "-c", f'psql -v ON_ERROR_STOP=1 -qc "{sql}"'],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    psql(f"DROP DATABASE IF EXISTS {PG['db']}")
    psql(f"DROP ROLE IF EXISTS {PG['user']}")
    for sql in (
        f"CREATE ROLE {PG['user']} LOGIN PASSWORD '{PG['password']}'",
        f"CREATE DATABASE {PG['db']} OWNER {PG['user']}",
    ):
        done = psql(sql)
        if done.returncode:
            return None, f"could not prepare the database: {done.stderr.strip()[-300:]}"
    cleanups.append(lambda: psql(f"DROP DATABASE IF EXISTS {PG['db']}"))
    cleanups.append(lambda: psql(f"DROP ROLE IF EXISTS {PG['user']}"))
    url = f"postgres://{PG['user']}:{PG['password']}@127.0.0.1:{port}/{PG['db']}"
    return url, f"PostgreSQL {version}"


# -- 5. dashboard ------------------------------------------------------------------------------


def bench_dashboard(work: Path) -> dict | None:
    script = BENCH / "results_dashboard.py"
    if not script.exists():
        print("dashboard: not available yet")
        return None
    done = subprocess.run(
        # The script requests pages through Django's test client, whose host is "testserver".
        [PY, str(script)], cwd=ROOT,
        env={**base_env(f"sqlite:///{work / 'dashboard.sqlite3'}"), "ALLOWED_HOSTS": "testserver"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    print(done.stdout)
    output = done.stdout.strip()[-2000:]
    if done.returncode:
        output += "\n" + done.stderr.strip()[-600:]  # say why in the table's file too
    return {"output": output, "returncode": done.returncode}


# -- 5. spaced review at 10,000 learners / 200,000 attempts -----------------------------------


def bench_review(work: Path, repeats: int, duration: int) -> dict | None:
    """The header's due count (in process), then the review page of a visitor with due
    questions against the bare view returning the same bytes, both under wrk."""
    folder = work / "review"
    folder.mkdir()
    env = base_env(f"sqlite:///{folder / 'review.sqlite3'}")
    done = subprocess.run(
        [PY, str(BENCH / "review_queue.py"), "--keep-in", str(folder), "--runs", "50"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    print(done.stdout)
    if done.returncode:
        log(f"review bench failed: {done.stderr[-1500:]}")
        return None
    found = json.loads(done.stdout.strip().splitlines()[-1])
    app = gunicorn({**env, "BENCH_PAGE": str(folder / "review.html")}, REVIEW_PORT, work)
    base = f"http://127.0.0.1:{REVIEW_PORT}"
    targets = {
        "ceiling": (f"{base}/bench/bare/", []),
        "review": (f"{base}/review/", [found["cookie"]]),
    }
    rounds = wrk_rounds(targets, repeats, duration, "review")
    stop(app)
    return {**rounds, "due_ms": found["due_ms"], "cards": found["cards"]}


# -- report ------------------------------------------------------------------------------------


def spread(values: list[float], fmt: str = "{:.0f}") -> tuple[str, str]:
    values = [v for v in values if v is not None]
    if not values:
        return "—", ""
    med = statistics.median(values)
    return fmt.format(med), f"{fmt.format(min(values))}-{fmt.format(max(values))}"


def machine() -> list[str]:
    import django

    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    pg = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    versions = {
        "gunicorn": subprocess.run(
            [str(Path(PY).parent / "gunicorn"), "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "wrk": (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout or "").split(
            "\n"
        )[0],
        "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip(),
    }
    return [
        f"- CPU: {os.cpu_count()} cores ({cpu}); memory {mem}; {platform.platform()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL "
        f"{pg.stdout.split()[0] if pg.stdout.strip() else 'not installed'}",
        f"- {versions['gunicorn']}; {versions['wrk']}; {versions['nginx']}",
    ]


def report(res: dict, args) -> str:
    rows = []

    def row(name, unit, values, fmt="{:.0f}", notes=""):
        med, rng = spread(values, fmt)
        rows.append(f"| {name} | {med} {unit} | {rng} | {notes} |")

    load = res.get("load")
    if load:
        cold = f"load_content cold ({res['topics']} topics)"
        row(cold, "s", load["cold"], "{:.2f}", "target < 15 s")
        if load.get("cold_no_index"):
            row("load_content cold without the search index", "s", load["cold_no_index"], "{:.2f}")
            for unit, key in (("wall", ""), ("CPU", "_cpu")):
                pairs = zip(load["cold" + key], load["cold_no_index" + key], strict=True)
                extra = [a / b - 1 for a, b in pairs]
                rows.append(
                    f"| search index's cost to a cold load, {unit} time | "
                    f"**{statistics.median(extra):+.1%}** | {min(extra):+.1%} to "
                    f"{max(extra):+.1%} | per round; target at most +15% |"
                )
            row("load_content cold, CPU (with index)", "s", load["cold_cpu"], "{:.2f}")
            row("load_content cold, CPU (no index)", "s", load["cold_no_index_cpu"], "{:.2f}")
        row("load_content unchanged re-run", "s", load["unchanged"], "{:.2f}", "target < 2 s")
        row("load_content one file changed", "s", load["one_changed"], "{:.2f}")
    pages = res.get("pages")
    if pages:
        for name, label in [
            ("nginx", "nginx, saved page as a static file (machine limit)"),
            ("ceiling", "Django bare view, same bytes from memory (ceiling)"),
            ("anonymous", "topic page, anonymous visitor"),
            ("learner", "topic page, learner with progress"),
        ]:
            runs = pages[name]
            p50 = statistics.median(r["p50_ms"] for r in runs)
            p99 = statistics.median(r["p99_ms"] for r in runs)
            notes = f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
            if name in {"anonymous", "learner"}:
                ceil = [r["rps"] / c["rps"] for r, c in zip(runs, pages["ceiling"], strict=True)]
                ngx = [r["rps"] / c["rps"] for r, c in zip(runs, pages["nginx"], strict=True)]
                notes += (
                    f"; **{statistics.median(ceil):.2f}x ceiling** "
                    f"({min(ceil):.2f}-{max(ceil):.2f}), {statistics.median(ngx):.3f}x nginx"
                )
            bad = sum(r["non_2xx"] for r in runs)
            if bad:
                notes += f"; {bad} non-2xx"
            row(label, "req/s", [r["rps"] for r in runs], notes=notes)
        inproc = pages.get("in_process")
        if inproc:
            rows.append(
                f"| topic page in process, CPU per request | anonymous "
                f"{inproc['anonymous_ms']:.2f} ms, learner {inproc['learner_ms']:.2f} ms | "
                f"bare view {inproc['bare_ms']:.2f} ms | bench/inprocess.py, best of 5 batches |"
            )
        weight = pages.get("weight")
        if weight:
            for visit in ("first", "repeat"):
                w = weight[visit]
                rows.append(
                    f"| topic page in Chromium, {visit} visit | {w['bytes'] / 1024:.1f} KB | "
                    f"{w['requests']} requests | DOMContentLoaded {w['dcl_ms']:.0f} ms; "
                    f"{w['cached']} from cache |"
                )
    search = res.get("search")
    if search:
        from search_bench import report_rows

        report_rows(search, row)
    courses = res.get("courses")
    if courses:
        total = COURSES * COURSE_CHAPTERS * COURSE_TOPICS
        row(f"load_content cold, {COURSES} courses x 100 topics ({total})", "s", courses["cold"],
            "{:.2f}")  # fmt: skip
        row(f"load_content unchanged, {COURSES} courses", "s", courses["unchanged"], "{:.2f}")
        ratios = [
            r["rps"] / c["rps"]
            for r, c in zip(courses["anonymous"], courses["ceiling"], strict=True)
        ]
        notes = f"**{statistics.median(ratios):.2f}x ceiling** (same run's bare view)"
        if pages:
            one = statistics.median(
                r["rps"] / c["rps"]
                for r, c in zip(pages["anonymous"], pages["ceiling"], strict=True)
            )
            change = statistics.median(ratios) / one - 1
            notes += f"; one course {one:.2f}x: {change:+.0%} (target within 10%)"
        row(
            f"topic page, anonymous, one of {COURSES} courses",
            "req/s",
            [r["rps"] for r in courses["anonymous"]],
            notes=notes,
        )
    for key, label in [("grading_sqlite", "SQLite"), ("grading_pg", "PostgreSQL")]:
        runs = res.get(key)
        if isinstance(runs, str):
            rows.append(f"| grading, 64 learners, {label} | skipped | | {runs} |")
        elif runs:
            p50 = statistics.median(r["p50_ms"] for r in runs)
            p99 = statistics.median(r["p99_ms"] for r in runs)
            non2xx = sum(r["non_2xx"] for r in runs)
            lost = [r["lost"] for r in runs]
            lost = sum(lost) if all(isinstance(n, int) for n in lost) else "; ".join(map(str, lost))
            in_flight = sum(r["in_flight"] for r in runs)
            total = sum(r["requests"] for r in runs)
            row(
                f"grading, 64 learners, {label}",
                "answers/s",
                [r["rps"] for r in runs],
                notes=f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; {non2xx} non-2xx of {total}; "
                f"2xx answers without a row = {lost} (rows written after wrk stopped, "
                f"in flight: {in_flight})",
            )
    spaced = res.get("review")
    if spaced:
        due = spaced["due_ms"]
        rows.append(
            f"| due count in the header, 10,000 learners / 200,000 attempts "
            f"({spaced['cards']} cards) | {due['median']:.2f} ms | p99 {due['p99']:.2f} ms, "
            f"max {due['max']:.2f} ms | {due['queries']} query per learner, "
            f"{due['learners']} learners timed in process |"
        )
        row("Django bare view, review page's bytes (ceiling, same run)", "req/s",
            [r["rps"] for r in spaced["ceiling"]])  # fmt: skip
        ratios = [
            r["rps"] / c["rps"] for r, c in zip(spaced["review"], spaced["ceiling"], strict=True)
        ]
        _, span = spread(ratios, "{:.2f}")
        p99 = statistics.median(r["p99_ms"] for r in spaced["review"])
        ratio = statistics.median(ratios)
        row("review page, visitor with due questions", "req/s",
            [r["rps"] for r in spaced["review"]],
            notes=f"p99 {p99:.1f} ms; **{ratio:.2f}x ceiling** ({span})")  # fmt: skip
    elif "review" in res:
        rows.append("| spaced review | failed | | see the log |")
    dash = res.get("dashboard")
    rows.append(
        "| results dashboard, 10,000 learners / 200,000 attempts | "
        + (f"see below | | exit {dash['returncode']} |" if dash else "not available yet | | |")
    )
    header = [
        f"Run of `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{args.repeats} repeats, medians with min-max. wrk: 2 threads, 32 connections, "
        f"{args.duration} s per run; grading: {args.grade_duration:.0f} s per run. "
        f"Whole run: {res['wall_s']:.0f} s.",
        "",
        *machine(),
        "",
        "| benchmark | median | min-max | notes |",
        "|---|---|---|---|",
        *rows,
    ]
    if pages:
        header += ["", f"Saved topic page: {pages['page_bytes'] / 1024:.1f} KB of HTML."]
        rss = pages.get("worker_rss_mb")
        if rss:
            sizes = ", ".join(f"{mb:.0f} MB" for mb in rss)
            header += [
                "",
                f"Worker resident memory after the page runs: {sizes} (target < 150 MB).",
            ]
        weight = pages.get("weight")
        if weight:
            header += ["", "First visit, resource by resource:", ""]
            for r in weight["first"]["resources"]:
                path = r["url"].split("127.0.0.1")[-1]
                header.append(f"- {path}: {r['bytes']} B {r['encoding']}")
    if dash:
        header += ["", "Dashboard output:", "", "```", dash["output"], "```"]
    return "\n".join(header)


def write_doc(table: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    DOC.write_text(f"{head}{START}\n{table}\n{END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--grade-duration", type=float, default=5.0)
    parser.add_argument("--chapters", type=int, default=50)
    parser.add_argument("--topics", type=int, default=20, help="per chapter")
    parser.add_argument("--only", default="load,pages,search,courses,sqlite,pg,dashboard,review")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    only = set(args.only.split(","))
    began = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="coursedeck-bench-"))
    results_dir = BENCH / "results"
    results_dir.mkdir(exist_ok=True)
    res: dict = {}
    try:
        sys.path.insert(0, str(BENCH))
        from gen_course import generate

        course = work / "course"
        res["topics"] = generate(course, args.chapters, args.topics)
        sizes = [p.stat().st_size for p in course.rglob("*-base-images-*.md")]
        log(f"generated {res['topics']} topics, {statistics.fmean(sizes) / 1024:.1f} KB each")
        paths = [
            f"/containers/chapter-{c}/base-images-{(c - 1) * args.topics + t}/"
            for c in range(1, args.chapters + 1)
            for t in range(1, args.topics + 1)
        ]
        if "load" in only:
            res["load"], site = bench_load(work, course, args.repeats)
        else:
            site = work / "site.sqlite3"
            env = base_env(f"sqlite:///{site}")
            manage(env, "migrate", "--noinput", "-v0")
            load_seconds(env, course)
        env = base_env(f"sqlite:///{site}")
        manage(env, "collectstatic", "--noinput", "-v0")
        app = None
        if "pages" in only:
            pages = bench_pages(env, work, paths[0], args.repeats, args.duration)
            app = pages.pop("_app")
            res["pages"] = pages
        if "sqlite" in only:
            if app is None:
                app = gunicorn({**env, "BENCH_PAGE": "/dev/null"}, APP_PORT, work)
            res["grading_sqlite"] = bench_grading(
                env, APP_PORT, paths[1:], args.repeats, args.grade_duration
            )
        if app is not None:
            stop(app)
        if "search" in only:
            from search_bench import bench_search

            tools = SimpleNamespace(
                gunicorn=lambda e, port: gunicorn(e, port, work),
                port=APP_PORT,
                port2=SEARCH_FULL_PORT,
                wrk_rounds=wrk_rounds,
                stop=stop,
            )
            res["search"] = bench_search(env, work, args.repeats, args.duration, tools)
        if "pg" in only:
            url, reason = postgres_up()
            if url is None:
                print(f"PostgreSQL skipped: {reason}")
                res["grading_pg"] = f"skipped: {reason}"
            else:
                pg_env = base_env(url)
                manage(pg_env, "migrate", "--noinput", "-v0")
                log(f"loading the course into {reason}: {load_seconds(pg_env, course):.1f}s")
                pg_app = gunicorn({**pg_env, "BENCH_PAGE": "/dev/null"}, PG_APP_PORT, work)
                res["grading_pg"] = bench_grading(
                    pg_env, PG_APP_PORT, paths[1:], args.repeats, args.grade_duration
                )
                stop(pg_app)
        if "courses" in only:
            res["courses"] = bench_courses(work, args.repeats, args.duration)
        if "dashboard" in only:
            res["dashboard"] = bench_dashboard(work)
        if "review" in only:
            res["review"] = bench_review(work, args.repeats, args.duration)
    finally:
        for proc in list(started_processes):
            stop(proc)
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as error:  # keep cleaning up
                print(f"cleanup failed: {error}")
        shutil.rmtree(work, ignore_errors=True)
    res["wall_s"] = time.monotonic() - began
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (results_dir / f"{stamp}.json").write_text(json.dumps(res, indent=2, default=str))
    table = report(res, args)
    print()
    print(table)
    if not args.no_doc:
        write_doc(table)
        log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
