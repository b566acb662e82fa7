"""Every page of the site in every state a visitor can reach, fetched with the test client.

`collect_pages()` builds the data (both shipped courses, a learner, an admin), visits each page
as the right person and returns them by group, each with what a HEAD request to it answered.
Diagram states are not listed by hand: they are crawled from the topic page (its links and
GET forms, submitted as they are and with a value no form offers), so states added to a
diagram are checked without touching this file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Topic
from quizzes.models import Question, ReviewCard
from tests.factories import FIXTURE_COURSE, SHIPPED_CONTENT, answer, load

PASSWORD = "a long enough passphrase 42"
TOPIC = "/containers/images/base-images/"
GERMAN_TOPIC = "/git-grundlagen/erste-schritte/commits/"
READING_TOPIC = "/fixture/basics/reading/"  # a topic without questions: marked as read
MAX_DIAGRAM_STATES = 40
INVALID = "not-a-choice"  # a value no diagram form offers


@dataclass(frozen=True)
class Page:
    """One fetched page: what it is, where, and what GET (or POST) and HEAD answered."""

    group: str
    name: str
    url: str
    status: int
    html: str
    head_status: int | None = None  # None: not a GET page (a POST's answer)


class Visit:
    """Fetches pages as one person (one test client) and keeps them in `pages`."""

    def __init__(self, pages: list[Page], group: str, client: Client | None = None) -> None:
        self.pages, self.group = pages, group
        self.client = client or Client(raise_request_exception=False)

    def get(self, name: str, url: str, expect: int = 200) -> str:
        response = self.client.get(url, follow=True)
        final = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING")
        head = self.client.head(f"{final}?{query}" if query else final)
        return self.keep(name, url, response, expect, head)

    def post(self, name: str, url: str, data: dict, expect: int, **extra) -> str:
        response = self.client.post(url, data, follow=True, **extra)
        return self.keep(name, url, response, expect)

    def keep(self, name: str, url: str, response, expect: int, head=None) -> str:
        assert response.status_code == expect, f"{name} ({url}): {response.status_code}"
        html = response.content.decode()
        self.pages.append(
            Page(
                self.group,
                name,
                url,
                response.status_code,
                html,
                head.status_code if head is not None else None,
            )
        )
        return html


class Links(HTMLParser):
    """The links and GET forms of a page (forms as their fields with the values offered)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.forms: list[dict] = []
        self.form: dict | None = None  # the GET form being read
        self.select: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "form":
            get = a.get("method", "get").lower() == "get"
            self.form = {"action": a.get("action", ""), "fields": []} if get else None
            if self.form is not None:
                self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") != "checkbox":
            fields = self.form["fields"]
            # Radio buttons of one name are one field; anything else is a field of its own.
            same = [f for f in fields if f[0] == a["name"] and a.get("type") == "radio"]
            field = same[0] if same else (a["name"], [])
            if not same:
                fields.append(field)
            self.offer(field, a.get("value", ""), chosen="checked" in a)
        elif tag == "select":
            self.select = (a.get("name", ""), [])
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select:
            self.offer(self.select, a.get("value", ""), chosen="selected" in a)

    def offer(self, field: tuple[str, list[str]], value: str, chosen: bool) -> None:
        """A value `field` offers; the chosen one first (it is what the form sends)."""
        if chosen:
            field[1].insert(0, value)
        else:
            field[1].append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.form = None


def same_page_states(html: str, path: str) -> list[str]:
    """Query strings this page links or submits to on its own path (diagram states)."""
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.path in {"", path} and parts.query:
            found.append(parts.query)
    for form in parser.forms:
        if urlsplit(form["action"]).path not in {"", path}:
            continue
        offered = [(name, values) for name, values in form["fields"] if values]
        fields = [(name, values[0]) for name, values in offered]
        found.append(urlencode(fields))
        # A value no form offers (in its first choice): the state explaining what was wrong.
        choice = next((n for n, (_, values) in enumerate(offered) if len(values) > 1), None)
        if choice is not None:
            wrong = [(name, INVALID if n == choice else v) for n, (name, v) in enumerate(fields)]
            found.append(urlencode(wrong))
    return found


def crawl_states(visit: Visit, path: str, html: str, depth: int = 2) -> None:
    """Visit every state reachable from `html` by links and GET forms, `depth` steps deep.

    States are told apart by the parameters they set (not their values), so every kind of
    state is checked once per path that reaches it, not every tier in every combination.
    """
    seen: set[frozenset[str]] = {frozenset()}
    frontier = [html]
    for _ in range(depth):
        following = []
        for page in frontier:
            for query in same_page_states(page, path):
                shape = frozenset(
                    f"{k}=!" if v == INVALID else k
                    for k, v in parse_qsl(query, keep_blank_values=True)
                )
                if shape in seen or len(visit.pages) >= MAX_DIAGRAM_STATES:
                    continue
                seen.add(shape)
                following.append(visit.get(f"topic ?{query}", f"{path}?{query}"))
        frontier = following


def login(client: Client, username: str) -> None:
    client.post(reverse("login"), {"username": username, "password": PASSWORD})


def learner_pages(pages: list[Page]) -> None:
    """What a visitor without an account sees: courses, chapters, topics, progress."""
    visit = Visit(pages, "learner pages")
    visit.get("course list", "/")
    visit.get("course", "/containers/")
    visit.get("course (German)", "/git-grundlagen/")
    visit.get("chapter", "/containers/images/")
    visit.get("chapter (German)", "/git-grundlagen/erste-schritte/")
    visit.get("topic, fresh", TOPIC)
    visit.get("topic, fresh (German)", GERMAN_TOPIC)
    visit.get("my progress, nothing done", "/progress/")
    visit.get("course progress, nothing done", "/containers/progress/")


def review_pages(pages: list[Page], learner: Visit) -> None:
    """The review page: nothing due, a due question, its result (answered without htmx)."""
    Visit(pages, "answered topics").get("review, nothing to review", "/review/")
    ReviewCard.objects.update(due=timezone.now() - timedelta(minutes=1))
    html = learner.get("review, a due question", "/review/")
    question = Question.objects.get(pk=re.search(r"/review/answer/(\d+)/", html).group(1))
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', html).group(1)
    picked = question.choices.filter(is_correct=True, is_active=True)
    data = {"nonce": nonce, "version": question.form_version, "choice": [c.token for c in picked]}
    learner.post("review, answered", f"/review/answer/{question.pk}/", data, 200)


def answered_pages(pages: list[Page]) -> None:
    """A topic answered right, answered wrong, retried, its answer shown; progress with mistakes."""
    questions = list(Question.objects.filter(topic__slug="base-images").order_by("pk"))
    right = Visit(pages, "answered topics")
    answer(right.client, questions[0], correct=True, htmx=False)
    right.get("topic, one answered right", TOPIC)
    wrong = Visit(pages, "answered topics")
    answer(wrong.client, questions[0], correct=False, htmx=False)
    wrong.get("topic, one answered wrong", TOPIC)
    wrong.get("topic, retrying", f"{TOPIC}?retry={questions[0].key}")
    reveal = reverse("quizzes:reveal", args=[questions[0].pk])
    wrong.post("topic, answer shown on request", reveal, {}, 200)
    on_diagram = next(q for q in questions if q.diagram)
    answer(wrong.client, on_diagram, correct=False, htmx=False)
    reveal = reverse("quizzes:reveal", args=[on_diagram.pk])
    wrong.post("topic, diagram question's answer shown", reveal, {}, 200)
    for question in questions[1:]:
        answer(wrong.client, question, correct=True, htmx=False)
    wrong.get("topic, all answered", TOPIC)
    wrong.get("course progress, with mistakes", "/containers/progress/")
    wrong.get("my progress, started", "/progress/")
    german = Question.objects.filter(topic__slug="commits").first()
    answer(wrong.client, german, correct=False, htmx=False)
    wrong.get("topic, answered wrong (German)", GERMAN_TOPIC)
    review_pages(pages, wrong)
    signed_in = Visit(pages, "answered topics")
    login(signed_in.client, "ada")
    signed_in.get("topic, signed in", TOPIC)
    reader = Visit(pages, "answered topics")
    reader.get("topic without questions", READING_TOPIC)
    topic_id = Topic.objects.get(slug="reading").pk
    reader.post("topic marked as read", reverse("quizzes:mark-read", args=[topic_id]), {}, 200)


def diagram_pages(pages: list[Page]) -> None:
    """Every spectrum diagram state its links and forms reach."""
    visit = Visit([], "diagram states")
    crawl_states(visit, TOPIC, visit.client.get(TOPIC).content.decode())
    assert visit.pages, "no diagram state found on the topic page"
    pages.extend(visit.pages)


def account_pages(pages: list[Page]) -> None:
    """Sign-up and login, empty and with errors, and the pages their messages land on."""
    visit = Visit(pages, "accounts")
    visit.get("sign-up", reverse("signup"))
    visit.post(
        "sign-up, with errors",
        reverse("signup"),
        {"username": "ada", "password1": "1234", "password2": "12345"},
        expect=200,
    )
    visit.get("login", reverse("login"))
    visit.post(
        "login, wrong password",
        reverse("login"),
        {"username": "ada", "password": "wrong"},
        expect=200,
    )
    visit.post(
        "after sign-up",
        reverse("signup"),
        {"username": "grace", "password1": PASSWORD, "password2": PASSWORD},
        expect=200,
    )
    visit.post("after logout", reverse("logout"), {}, expect=200)
    visit.post(
        "after login", reverse("login"), {"username": "ada", "password": PASSWORD}, expect=200
    )


def results_pages(pages: list[Page]) -> None:
    """The results dashboard as an admin, after some answers."""
    visit = Visit(pages, "results")
    login(visit.client, "admin")
    question = Question.objects.filter(topic__slug="base-images").order_by("pk").first()
    learner_id = question.attempts.values_list("learner_id", flat=True).first()
    visit.get("results: courses", reverse("results:courses"))
    for name in ("topics", "questions", "learners"):
        visit.get(f"results: {name}", reverse(f"results:{name}", args=["containers"]))
    visit.get("results: German course", reverse("results:topics", args=["git-grundlagen"]))
    visit.get("results: question", reverse("results:question", args=["containers", question.pk]))
    visit.get("results: learner", reverse("results:learner", args=["containers", learner_id]))


def search_pages(pages: list[Page]) -> None:
    """Search pages: one course, every course, the German course, nothing typed or found."""
    visit = Visit(pages, "search")
    visit.get("search: course", "/containers/search/?q=musl")
    visit.get("search: course, nothing found", "/containers/search/?q=zzzzqqq")
    visit.get("search: course, no query", "/containers/search/")
    visit.get("search: every course", "/search/?q=commit")
    visit.get("search: every course, no query", "/search/")
    visit.get("search: German course", "/git-grundlagen/search/?q=Branch")
    visit.get("search: code and markup in snippets", "/containers/search/?q=%3Cscript%3E+FROM")


def error_pages(pages: list[Page]) -> None:
    """400, 403 (CSRF and staff only), 404 and 429."""
    visit = Visit(pages, "error pages")
    visit.get("404", "/no-such-course/", expect=404)
    visit.get("404 (German course)", "/git-grundlagen/no-such-chapter/", expect=404)
    question = Question.objects.first()
    url = reverse("quizzes:answer", args=[question.pk])
    unreadable = visit.client.generic(
        "POST", url, b"choice=x", content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    visit.keep("400", url, unreadable, expect=400)
    strict = Visit(pages, "error pages", Client(enforce_csrf_checks=True))
    strict.post("403, stale form", reverse("login"), {"username": "ada"}, expect=403)
    learner = Visit(pages, "error pages")
    login(learner.client, "ada")
    learner.get("403, staff only", reverse("results:courses"), expect=403)
    guesser = Visit([], "error pages")
    for _ in range(30):
        response = guesser.client.post(reverse("login"), {"username": "ada", "password": "x"})
        if response.status_code == 429:
            break
    guesser.post("429", reverse("login"), {"username": "ada", "password": "x"}, expect=429)
    pages.extend(guesser.pages)


GROUPS: dict[str, Callable[[list[Page]], None]] = {
    "learner pages": learner_pages,
    "answered topics": answered_pages,
    "diagram states": diagram_pages,
    "accounts": account_pages,
    "results": results_pages,
    "search": search_pages,
    "error pages": error_pages,
}


def collect_pages() -> list[Page]:
    """Load the shipped courses (and one with a topic without questions), create a learner and
    an admin, and fetch every page."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(SHIPPED_CONTENT, root)
        shutil.copytree(FIXTURE_COURSE, root / "fixture")
        load(root)
    users = get_user_model().objects
    users.create_user("ada", password=PASSWORD)
    users.create_superuser("admin", password=PASSWORD)
    pages: list[Page] = []
    for collect in GROUPS.values():
        collect(pages)
    return pages
