"""Every piece of interface text is translatable, and German courses speak German."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quizzes.models import Learner, Question
from tests.catalogs import CATALOG, TEMPLATES, read_catalog, untranslated_text
from tests.factories import answer, load, two_courses

PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sd]|%%")


def templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_untranslated_text(path):
    """Text, and labels like aria-label, go through {% translate %} or {% blocktranslate %}."""
    assert untranslated_text(path) == []


def test_the_scanner_finds_untranslated_text(tmp_path):
    """The check above can fail: plain text and a plain aria-label are both reported."""
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<nav aria-label="Pages"><p>{% translate "Fine" %}</p>\n'
        "<p>Plain words {{ value }}</p></nav>",
        encoding="utf-8",
    )
    found = [line.split(": ", 1)[1] for line in untranslated_text_at(page)]
    assert found == ["'Pages'", "'Plain words'"]


def untranslated_text_at(path: Path) -> list[str]:
    import tests.catalogs as catalogs

    original = catalogs.PROJECT
    catalogs.PROJECT = path.parent
    try:
        return untranslated_text(path)
    finally:
        catalogs.PROJECT = original


def test_german_catalog_is_complete():
    """Every message has a German translation, none of them fuzzy."""
    missing = [
        e.msgid
        for e in read_catalog()
        if e.fuzzy or not all(e.msgstr.values()) or len(e.msgstr) < (2 if e.msgid_plural else 1)
    ]
    assert missing == []


def test_german_catalog_keeps_every_placeholder():
    """A translation that drops %(name)s would raise or show the wrong number."""
    wrong = []
    for e in read_catalog():
        wanted = sorted(PLACEHOLDER_RE.findall(e.msgid_plural or e.msgid))
        for text in e.msgstr.values():
            if sorted(PLACEHOLDER_RE.findall(text)) != wanted and not e.msgid_plural:
                wrong.append(e.msgid)
    assert wrong == []


def test_every_translate_tag_is_in_the_catalog():
    """A {% translate "…" %} added to a template without `make messages` is caught here."""
    # makemessages doubles % in template strings (they become python-format).
    known = {e.msgid.replace("%%", "%") for e in read_catalog()}
    literal = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1""")
    missing = [
        f"{path.relative_to(TEMPLATES)}: {match[2]!r}"
        for path in templates()
        for match in literal.finditer(path.read_text(encoding="utf-8"))
        if match[2] not in known
    ]
    assert missing == []


def english_phrases() -> list[str]:
    """Interface phrases whose German differs, as fragments a page would show verbatim."""
    phrases = set()
    for e in read_catalog():
        texts = [e.msgid, e.msgid_plural] if e.msgid_plural else [e.msgid]
        if e.msgid in e.msgstr.values():
            continue  # the same word in both languages (Status, Version)
        for text in texts:
            for part in PLACEHOLDER_RE.split(re.sub(r"<[^>]+>", " ", text)):
                part = part.strip(" .:,()·—")
                if len(part) >= 4 and re.search(r"[a-z]{3}", part):
                    phrases.add(part)
    return sorted(phrases, key=len, reverse=True)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|title|alt)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", f"{text} {labels}")


@pytest.fixture
def german(tmp_path, db):
    """A site with the fixture course and a German one; a learner who answered in German."""
    load(two_courses(tmp_path))
    return Question.objects.get(topic__course__slug="zweiter", key="run")


def assert_german(html: str, where: str, content: str = "") -> None:
    """No interface phrase in English; `content` (the author's text) may hold any words."""
    assert '<html lang="de">' in html, where
    text = visible_text(html)
    english = [p for p in english_phrases() if p in text and p not in content]
    assert english == [], f"{where}: English interface text {english}"


def test_a_german_course_shows_no_english_interface_text(german):
    client = Client()
    topic = german.topic.get_absolute_url()
    pages = {
        "course": "/zweiter/",
        "chapter": "/zweiter/grundlagen/",
        "topic": topic,
        "progress (empty)": "/zweiter/progress/",
    }
    for where, url in pages.items():
        assert_german(client.get(url).content.decode(), where)
    wrong = answer(client, german, correct=False).content.decode()
    assert "Nicht ganz." in wrong
    pages = {"topic after a wrong answer": topic, "progress": "/zweiter/progress/"}
    for where, url in pages.items():
        assert_german(client.get(url).content.decode(), where)
    answer(client, german, correct=True)
    assert_german(client.get(topic).content.decode(), "topic after a right answer")


def test_a_german_courses_results_speak_german(german):
    answer(Client(), german, correct=True)
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "r@example.invalid"))
    learner = Learner.objects.get()
    for name, args in [
        ("results:topics", ["zweiter"]),
        ("results:questions", ["zweiter"]),
        ("results:question", ["zweiter", german.pk]),
        ("results:learners", ["zweiter"]),
        ("results:learner", ["zweiter", learner.pk]),
    ]:
        assert_german(admin.get(reverse(name, args=args)).content.decode(), name)


def test_errors_in_a_german_course_are_german(german):
    client = Client()
    client.get(german.topic.get_absolute_url())
    response = client.post(
        reverse("quizzes:answer", args=[german.pk]),
        {"nonce": "0" * 24, "version": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "Diese Frage wurde geändert" in response.content.decode()


def test_an_english_course_stays_english(german):
    html = Client().get("/fixture/basics/hello/").content.decode()
    assert '<html lang="en">' in html
    assert "Check answer" in html


def test_pages_of_no_course_follow_the_browser_language(german):
    german_browser = Client(headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Kurse" in german_browser.get("/").content.decode()
    assert '<html lang="en">' in Client().get("/").content.decode()


def test_plurals_and_numbers_follow_the_language(german):
    html = Client().get("/").content.decode()
    assert "1 chapter · 1 topic" in html
    assert "2 chapters · 3 topics" in html
    german_browser = Client(headers={"Accept-Language": "de"})
    assert "2 Kapitel · 3 Themen" in german_browser.get("/").content.decode()


def test_catalog_file_exists():
    assert CATALOG.is_file()


@pytest.fixture
def german_spectrum(tmp_path, db):
    """The seed topic (its spectrum diagram with a picker) in a course whose language is German."""
    from tests.factories import SEED_TOPIC, write

    root = tmp_path / "content"
    write(root, "course.md", "---\ntitle: Kurs\nslug: kurs\nlanguage: de\n---\nEin Kurs.\n")
    write(root, "02-images/chapter.md", "---\nnumber: 2\ntitle: Images\n---\n")
    (root / "02-images" / "12-base-images.md").write_text(
        SEED_TOPIC.read_text(encoding="utf-8"), encoding="utf-8"
    )
    load(root)
    return "/kurs/images/base-images/"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?tier=alpine",
        "?compare=slim&compare=alpine",
        "?q-static-binary=no&q-needs-shell=no&q-glibc-only=yes&q-debug-containers=yes",
        "?tier=nope",
    ],
)
def test_the_spectrum_speaks_the_courses_language_in_every_mode(client, german_spectrum, query):
    """The diagram's labels, messages and controls; its data is the author's (English here)."""
    from tests.factories import SEED_TOPIC

    html = client.get(german_spectrum + query).content.decode()
    assert_german(html, query or "plain", content=SEED_TOPIC.read_text(encoding="utf-8"))
    assert "Stufe" in html
