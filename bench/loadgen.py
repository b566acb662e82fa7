"""HTTP learners for the bench: real sessions, CSRF tokens and nonces read from the page.

`python bench/loadgen.py grade --base http://127.0.0.1:PORT --paths ...` prepares learners and
runs the grading load through wrk, printing one JSON line; `... learner-cookie` answers a few
questions and prints the Cookie header of a learner with progress. Loopback only; every loop is
bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import subprocess
import tempfile
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

FORM_RE = re.compile(r'<form method="post" action="(/quiz/answer/\d+/)".*?</form>', flags=re.DOTALL)
NONCE_RE = re.compile(r'name="nonce" value="([0-9a-f]+)"')
CHOICE_RE = re.compile(r'name="choice" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="([^"]+)"')
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

    def open_topic(self, path: str) -> list[tuple[str, str, list[str], str]]:
        """GET a topic page; return its unanswered forms as (action, nonce, choices, version)."""
        status, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} -> {status}")
        match = CSRF_RE.search(html)
        if match:
            self.csrf = match.group(1)
        forms = []
        for form in FORM_RE.finditer(html):
            block = form.group(0)
            forms.append(
                (
                    form.group(1),
                    NONCE_RE.search(block).group(1),
                    CHOICE_RE.findall(block),
                    VERSION_RE.search(block).group(1),
                )
            )
        return forms

    def answer(
        self, action: str, nonce: str, choices: list[str], version: str, rng: random.Random
    ) -> int:
        # The server grades only the question version the page showed (409 otherwise).
        body = urlencode({"nonce": nonce, "version": version, "choice": rng.choice(choices)})
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


# The grading load runs in wrk (C, one event loop per thread): the Python generator it
# replaces used ~0.8 ms of CPU per request on the same two cores as the server under test.
# Learners are prepared here (untimed) and written into a generated Lua script.
WRK_LUA = r"""
local learners = %(learners)s
local threads = %(threads)d
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
local mine, n = {}, 0
function init(args)
  for i, learner in ipairs(learners) do
    if (i - 1) %% threads == id then table.insert(mine, learner) end
  end
  math.randomseed(os.time() * 100 + id)
end
function request()
  n = n + 1
  local learner = mine[(n %% #mine) + 1]
  local q = learner.questions[(math.floor(n / #mine) %% #learner.questions) + 1]
  -- A fresh nonce per request, so every answer is a new attempt: thread, counter, random.
  local nonce = string.format("%%02x%%08x%%08x", id, n, math.random(0, 2147483647))
  local body = "nonce=" .. nonce .. "&version=" .. q.version
    .. "&choice=" .. q.choices[math.random(#q.choices)]
  return wrk.format("POST", q.path, {
    ["Cookie"] = learner.cookie, ["X-CSRFToken"] = learner.csrf, ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\"requests\": %%d, \"non_2xx\": %%d, \"socket_errors\": %%d, " ..
    "\"duration_us\": %%d, \"p50_us\": %%d, \"p99_us\": %%d}\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    summary.duration, latency:percentile(50), latency:percentile(99)))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # tokens, cookies and paths are ASCII: a JSON string is Lua too


def prepare_learners(base: str, paths: list[str], learners: int) -> list[dict]:
    """Each learner opens a topic and answers once (session created), untimed."""
    rng = random.Random(42)
    crowd = []
    for i in range(learners):
        learner = Learner(base)
        forms = learner.open_topic(paths[i % len(paths)])
        if not forms:
            raise RuntimeError(f"no questions on {paths[i % len(paths)]}")
        action, nonce, choices, version = forms[0]
        status = learner.answer(action, nonce, choices, version, rng)
        if status != 200:
            raise RuntimeError(f"first answer -> {status}")
        cookie = "; ".join(f"{k}={v}" for k, v in learner.cookies.items())
        questions = [{"path": a, "version": v, "choices": c} for a, _, c, v in forms]
        crowd.append({"cookie": cookie, "csrf": learner.csrf, "questions": questions})
    return crowd


def lua_table(crowd: list[dict]) -> str:
    rows = []
    for learner in crowd:
        questions = ", ".join(
            f"{{path = {lua_string(q['path'])}, version = {lua_string(q['version'])}, "
            f"choices = {{{', '.join(lua_string(c) for c in q['choices'])}}}}}"
            for q in learner["questions"]
        )
        rows.append(
            f"  {{cookie = {lua_string(learner['cookie'])}, csrf = {lua_string(learner['csrf'])},"
            f" questions = {{{questions}}}}}"
        )
    return "{\n" + ",\n".join(rows) + "\n}"


def grade(base: str, paths: list[str], learners: int, duration: float, threads: int = 2) -> dict:
    """`learners` prepared learners answer through wrk on `learners` connections for `duration`."""
    crowd = prepare_learners(base, paths, learners)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_LUA % {"learners": lua_table(crowd), "threads": threads})
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{learners}", f"-d{max(1, round(duration))}s",
             "--timeout", "10s", "-s", script.name, base + "/"],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    raw = json.loads(out.split("WRK_JSON", 1)[1].strip().splitlines()[0])
    elapsed = raw["duration_us"] / 1e6
    bad = raw["non_2xx"] + raw["socket_errors"]
    return {
        "requests": raw["requests"],
        "ok": raw["requests"] - raw["non_2xx"],
        "non_2xx": bad,
        "rps": raw["requests"] / elapsed,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "elapsed_s": elapsed,
        "connections": learners,
        "prepared": len(crowd),
    }


def learner_cookie(base: str, path: str, answers: int) -> str:
    """Answer `answers` questions on `path`; return that learner's Cookie header."""
    learner = Learner(base)
    rng = random.Random(7)
    for action, nonce, choices, version in learner.open_topic(path)[:answers]:
        status = learner.answer(action, nonce, choices, version, rng)
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
    c = sub.add_parser("learner-cookie")
    c.add_argument("--base", required=True)
    c.add_argument("--path", required=True)
    c.add_argument("--answers", type=int, default=3)
    args = parser.parse_args()
    if args.command == "grade":
        result = grade(args.base, args.paths, args.learners, args.duration)
        print(json.dumps(result))
    else:
        print(learner_cookie(args.base, args.path, args.answers))


if __name__ == "__main__":
    main()
