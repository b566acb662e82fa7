"""Each page says what it is about in <meta name="description">, for search results and links."""

import html
import re

import pytest
from django.contrib.auth import get_user_model

from courses.models import Chapter, Course, Topic
from tests.factories import SHIPPED_CONTENT, load

pytestmark = pytest.mark.django_db
TOPIC = "/containers/images/base-images/"


@pytest.fixture
def shipped(db):
    load(SHIPPED_CONTENT)


def description(client, url: str) -> str:
    found = re.findall(
        r'<meta name="description" content="([^"]*)">', client.get(url).content.decode()
    )
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_the_course_page_describes_the_course(client, shipped):
    """Without a summary line, the course's description opens its page's description."""
    text = description(client, "/containers/")
    assert text.startswith("Build, ship and run container images the way production teams do")
    assert text == Course.objects.get(slug="containers").meta_description


def test_a_course_with_a_summary_uses_it(client, shipped):
    """The course list's one line describes a course that has one."""
    summary = Course.objects.get(slug="git-grundlagen").summary
    assert description(client, "/git-grundlagen/") == summary


def test_the_chapter_page_uses_the_chapter_summary(client, shipped):
    """A chapter page is described by its chapter's summary."""
    chapter = Chapter.objects.get(slug="images")
    assert description(client, "/containers/images/") == chapter.summary.replace("\n", " ")


def test_the_topic_page_uses_the_topic_summary(client, shipped):
    """A topic page (the visitors' cached page) is described by the topic's summary."""
    summary = Topic.objects.get(slug="base-images").summary
    assert description(client, TOPIC) == summary


def test_the_topic_page_of_a_signed_in_learner_has_it_too(client, shipped):
    """The page rendered for a signed-in learner carries the same description."""
    client.force_login(get_user_model().objects.create_user("ada"))
    assert description(client, TOPIC) == Topic.objects.get(slug="base-images").summary


def test_other_pages_have_a_sensible_default(client, shipped):
    """The course list and the login page say what the site is."""
    assert "open, interactive technical courses" in description(client, "/")
    assert "open, interactive technical courses" in description(client, "/accounts/login/")


def test_long_summaries_are_cut_and_lose_markdown_marks(client, shipped):
    """A long Markdown summary becomes one plain line of at most 200 characters."""
    Topic.objects.filter(slug="base-images").update(summary="Use `FROM` **wisely**.\n" * 30)
    text = description(client, TOPIC)
    assert text.startswith("Use FROM wisely. Use FROM wisely.")
    assert len(text) <= 200
    assert text.endswith("…")
