"""HTTP learners for the bench: real sessions, CSRF tokens and nonces read from the page.

`python bench/loadgen.py grade --base http://127.0.0.1:PORT --paths ...` runs the grading load
and prints one JSON line; `... learner-cookie` answers a few questions and prints the Cookie
header of a learner with progress. Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

FORM_RE = re.compile(r'<form method="post" action="(/quiz/answer/\d+/)".*?</form>', flags=re.DOTALL)
NONCE_RE = re.compile(r'name="nonce" value="([0-9a-f]+)"')
CHOICE_RE = re.compile(r'name="choice" value="([^"]+)"')
CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


class Learner:
    """One visitor: its own connection, cookie jar and CSRF token."""

    def __init__(self, base: str, timeout: float = 10.0) -> None:
        url = urlsplit(base)
        if url.hostname not in {"127.0.0.1", "localhost"}:
            raise SystemExit("the bench only targets the loopback interface")
        self.host, self.port, self.timeout = url.hostname, url.port or 80, timeout
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn's sync workers close after each response; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data.decode("utf-8", "replace")

    def open_topic(self, path: str) -> list[tuple[str, str, list[str]]]:
        """GET a topic page; return its unanswered forms as (action, nonce, choice tokens)."""
        status, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}")
        match = CSRF_RE.search(html)
        if match:
            self.csrf = match.group(1)
        forms = []
        for form in FORM_RE.finditer(html):
            block = form.group(0)
            forms.append((form.group(1), NONCE_RE.search(block).group(1), CHOICE_RE.findall(block)))
        return forms

    def answer(self, action: str, nonce: str, choices: list[str], rng: random.Random) -> int:
        body = urlencode({"nonce": nonce, "choice": rng.choice(choices)})
        status, _ = self.request(
            "POST",
            action,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": self.csrf,
            },
        )
        return status


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def grade(base: str, paths: list[str], learners: int, duration: float, topics_each: int) -> dict:
    """`learners` threads each open `topics_each` topic pages, then answer as fast as they can."""
    rng = random.Random(42)
    crowd = []
    for i in range(learners):
        learner = Learner(base)
        forms = []
        for k in range(topics_each):
            forms += learner.open_topic(paths[(i * topics_each + k) % len(paths)])
        crowd.append((learner, forms))
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(learners + 1)
    deadline = [0.0]

    def work(learner: Learner, forms, seed: int) -> None:
        own_rng = random.Random(seed)
        barrier.wait()
        mine = []
        for action, nonce, choices in forms:
            if time.perf_counter() > deadline[0]:
                break
            started = time.perf_counter()
            try:
                status = learner.answer(action, nonce, choices, own_rng)
            except OSError:
                status = 599
            mine.append((time.perf_counter() - started, status))
        with lock:
            results.extend(mine)

    threads = [
        threading.Thread(target=work, args=(learner, forms, i), daemon=True)
        for i, (learner, forms) in enumerate(crowd)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + duration
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(timeout=duration + 30)
    elapsed = time.perf_counter() - started
    latencies = [t * 1000 for t, _ in results]
    ok = sum(200 <= s < 300 for _, s in results)
    return {
        "requests": len(results),
        "ok": ok,
        "non_2xx": len(results) - ok,
        "rps": len(results) / elapsed,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
        "elapsed_s": elapsed,
        "rng": rng.random(),
    }


def learner_cookie(base: str, path: str, answers: int) -> str:
    """Answer `answers` questions on `path`; return that learner's Cookie header."""
    learner = Learner(base)
    rng = random.Random(7)
    for action, nonce, choices in learner.open_topic(path)[:answers]:
        status = learner.answer(action, nonce, choices, rng)
        if status != 200:
            raise RuntimeError(f"answer -> {status}")
    return "; ".join(f"{k}={v}" for k, v in learner.cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade")
    g.add_argument("--base", required=True)
    g.add_argument("--paths", nargs="+", required=True)
    g.add_argument("--learners", type=int, default=64)
    g.add_argument("--duration", type=float, default=5.0)
    g.add_argument("--topics-each", type=int, default=6)
    c = sub.add_parser("learner-cookie")
    c.add_argument("--base", required=True)
    c.add_argument("--path", required=True)
    c.add_argument("--answers", type=int, default=3)
    args = parser.parse_args()
    if args.command == "grade":
        result = grade(args.base, args.paths, args.learners, args.duration, args.topics_each)
        print(json.dumps(result))
    else:
        print(learner_cookie(args.base, args.path, args.answers))


if __name__ == "__main__":
    main()
