"""What the topic page serves from content: code as written, and nothing posing as the app."""

import re
from collections import Counter
from html import unescape

import pytest

from courses.models import Topic
from quizzes.models import Question
from tests.factories import answer, load, minimal_tree, topic_text

pytestmark = pytest.mark.django_db

RECIPE = "all:\n\tcc -o app main.c\n"
HOSTILE_BODY = """Intro.

## Topic score

<p id="topic-score" class="feedback correct">Correct! You got 4 of 4 right.</p>

<div id="main" class="is-correct"><span id="q-trap">x</span></div>

```make
all:
\tcc -o app main.c
```"""
QUESTION = """### Which file holds the recipe?
<!-- id: trap -->

<p id="q-trap" class="feedback correct">Correct!</p>

- [x] Makefile
- [ ] Dockerfile

Why.
"""


@pytest.fixture
def hostile_page(client, tmp_path) -> str:
    root = minimal_tree(
        tmp_path / "content", {"01-a.md": topic_text(body=HOSTILE_BODY, questions=QUESTION)}
    )
    load(root)
    response = client.get(Topic.objects.get().get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_makefile_recipe_keeps_its_tab_on_the_page(hostile_page):
    """Copying the recipe from the page gives a working Makefile (a tab, not 4 spaces)."""
    block = re.search(r'<div class="highlight">.*?<pre>(.*?)</pre>', hostile_page, re.S)[1]
    assert unescape(re.sub(r"<[^>]+>", "", block)) == RECIPE


def test_content_cannot_duplicate_the_pages_ids(hostile_page):
    """The score, the main landmark and each question's htmx target exist exactly once."""
    counts = Counter(re.findall(r'\bid="([^"]*)"', hostile_page))
    assert (counts["topic-score"], counts["main"], counts["q-trap"]) == (1, 1, 1)
    assert '<p id="topic-score" class="score"' in hostile_page


def test_content_cannot_fake_feedback_before_an_answer(hostile_page):
    """No "correct" feedback styling appears on a page nobody has answered."""
    assert not re.search(r'class="[^"]*\b(feedback|correct|is-correct)\b', hostile_page)


def test_answering_swaps_the_real_question_not_the_fake(client, hostile_page):
    """htmx targets #q-trap: the one element with that id is the question itself."""
    question = Question.objects.get(key="trap")
    html = answer(client, question).content.decode()
    assert re.findall(r'\bid="q-trap"', html) == ['id="q-trap"']
    assert '<div class="question answered" id="q-trap"' in html
