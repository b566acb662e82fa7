"""Live preview in development: an edited file shows on the next request, errors as a page."""

import pytest
from django.conf import settings

from courses import middleware
from tests.factories import copy_fixture

pytestmark = pytest.mark.django_db
TOPIC = "/fixture/basics/hello/"
RELOAD = "courses.middleware.ContentReloadMiddleware"


@pytest.fixture
def root(tmp_path, settings, monkeypatch):
    """The fixture course as the live content dir, with the middleware on and no throttle."""
    root = copy_fixture(tmp_path)
    settings.CONTENT_DIR = root
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, RELOAD]
    monkeypatch.setattr(middleware, "CHECK_INTERVAL", 0)
    return root


def edit(root, old: str, new: str) -> None:
    path = root / "01-basics" / "01-hello.md"
    path.write_text(path.read_text().replace(old, new))


def test_first_request_imports_the_content(client, root):
    assert client.get(TOPIC).status_code == 200


def test_an_edit_shows_on_the_next_request(client, root):
    client.get(TOPIC)
    edit(root, "Hello, **world**.", "Hello, **live preview**.")
    assert "<strong>live preview</strong>" in client.get(TOPIC).content.decode()


def test_a_broken_file_shows_every_problem_with_its_line(client, root):
    client.get(TOPIC)
    edit(root, "title: Hello\n", "title: Hello\ncolour: red\n")
    edit(root, "- [x] Starts a container from an image", "- [ ] Starts a container")
    response = client.get(TOPIC)
    html = response.content.decode()
    assert response.status_code == 503
    assert "<code>content/01-basics/01-hello.md:4</code>: unknown front matter key" in html
    assert "<code>content/01-basics/01-hello.md:18</code>: question has no correct choice" in html
    assert "Traceback" not in html


def test_fixing_the_file_brings_the_page_back(client, root):
    client.get(TOPIC)
    edit(root, "title: Hello\n", "title: Hello\ncolour: red\n")
    assert client.get(TOPIC).status_code == 503
    edit(root, "title: Hello\ncolour: red\n", "title: Hello again\n")
    response = client.get(TOPIC)
    assert response.status_code == 200
    assert "Hello again" in response.content.decode()


def test_checks_are_throttled(client, root, monkeypatch):
    monkeypatch.setattr(middleware, "CHECK_INTERVAL", 3600)
    client.get(TOPIC)
    edit(root, "Hello, **world**.", "Hello, **later**.")
    assert "<strong>later</strong>" not in client.get(TOPIC).content.decode()


def test_off_outside_development():
    assert not settings.DEBUG
    assert RELOAD not in settings.MIDDLEWARE
