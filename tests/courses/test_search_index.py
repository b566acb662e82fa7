"""The search index is written by load_content, in the same transaction as the content."""

import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import search_index
from courses.importer import load_content
from courses.models import Course, Section, Topic
from courses.search import search_course
from tests.factories import minimal_tree, topic_text, two_courses, write

pytestmark = pytest.mark.django_db

QUESTION = """
### Which animal is the platypus?
<!-- id: platypus -->

- [x] A monotreme from zanzibarish waters
- [ ] A narwhalish fish
  Quokkaish feedback: fish have gills.

Xylophonish explanation: it lays eggs.
"""


def found(text: str, course: str = "course") -> list[str]:
    """URLs of the hits for `text` in a course, best first."""
    _, results = search_course(text, Course.objects.get(slug=course))
    return [hit.url for hit in results.hits]


def tree(tmp_path, **topics: str):
    return minimal_tree(tmp_path / "content", topics)


def test_a_load_indexes_each_section_of_each_topic(tmp_path):
    body = "Opening words.\n\n## Layers\n\nA layer is a filesystem diff."
    load_content(tree(tmp_path, **{"01-a.md": topic_text(title="Images", body=body)}))
    assert found("filesystem") == ["/course/one/a/#layers"]
    assert found("opening") == ["/course/one/a/"]


def test_prompts_are_indexed_and_link_to_their_question(tmp_path):
    load_content(tree(tmp_path, **{"01-a.md": topic_text(questions=QUESTION)}))
    assert found("platypus") == ["/course/one/a/#q-platypus"]


@pytest.mark.parametrize("word", ["zanzibarish", "narwhalish", "quokkaish", "xylophonish"])
def test_choices_feedback_and_explanations_are_never_indexed(tmp_path, word):
    """Nothing that is only shown after answering, and no choice (right or wrong), is found."""
    load_content(tree(tmp_path, **{"01-a.md": topic_text(questions=QUESTION)}))
    assert found(word) == []
    assert found(word[:5]) == []  # nor a fragment of it
    stored = Section.objects.values_list("title", "summary", "heading", "prose", "code")
    assert not [row for row in stored if word in " ".join(row).lower()]


def test_unchanged_topics_are_not_reindexed(tmp_path):
    root = tree(
        tmp_path,
        **{"01-a.md": topic_text(1, "A", "Alpha."), "02-b.md": topic_text(2, "B", "Beta.")},
    )
    load_content(root)
    before = list(Section.objects.filter(topic__slug="a").values_list("pk", flat=True))
    (root / "01-one" / "02-b.md").write_text(topic_text(2, "B", "Gamma."), encoding="utf-8")
    with CaptureQueriesContext(connection) as queries:
        load_content(root)
    assert list(Section.objects.filter(topic__slug="a").values_list("pk", flat=True)) == before
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "courses_section"')]
    assert len(inserts) == 1  # one bulk insert, for b alone
    assert Section.objects.filter(topic__slug="b").count() == 1


def test_an_edited_topic_is_found_by_its_new_text_only(tmp_path):
    root = tree(tmp_path, **{"01-a.md": topic_text(body="Pelicans.")})
    load_content(root)
    (root / "01-one" / "01-a.md").write_text(topic_text(body="Cormorants."), encoding="utf-8")
    load_content(root)
    assert (found("pelicans"), found("cormorants")) == ([], ["/course/one/a/"])


def test_a_retired_topic_leaves_the_index_and_comes_back_with_its_file(tmp_path):
    root = tree(tmp_path, **{"01-a.md": topic_text(body="Pelicans."), "02-b.md": topic_text(2)})
    load_content(root)
    text = (root / "01-one" / "01-a.md").read_text()
    (root / "01-one" / "01-a.md").unlink()
    load_content(root)
    assert found("pelicans") == []
    assert not Section.objects.filter(topic__slug="a").exists()
    (root / "01-one" / "01-a.md").write_text(text, encoding="utf-8")
    load_content(root)
    assert found("pelicans") == ["/course/one/a/"]


def test_a_retired_course_is_never_found_and_is_found_again_when_it_returns(tmp_path):
    root = two_courses(tmp_path)
    load_content(root)
    assert found("hallo", "zweiter")
    shutil.move(root / "zweiter", tmp_path / "away")
    load_content(root)
    assert found("hallo", "zweiter") == []
    shutil.move(tmp_path / "away", root / "zweiter")
    load_content(root)
    assert found("hallo", "zweiter")


def test_a_failed_load_leaves_the_index_as_it_was(tmp_path, monkeypatch):
    root = tree(tmp_path, **{"01-a.md": topic_text(body="Pelicans.")})
    load_content(root)
    (root / "01-one" / "01-a.md").write_text(topic_text(body="Cormorants."), encoding="utf-8")
    written = search_index.CourseIndex.write

    def write_then_fail(self):
        written(self)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(search_index.CourseIndex, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        load_content(root)
    assert (found("pelicans"), found("cormorants")) == (["/course/one/a/"], [])


def test_a_check_leaves_the_index_as_it_was(tmp_path):
    root = tree(tmp_path, **{"01-a.md": topic_text(body="Pelicans.")})
    load_content(root)
    (root / "01-one" / "01-a.md").write_text(topic_text(body="Cormorants."), encoding="utf-8")
    load_content(root, check=True)
    assert (found("pelicans"), found("cormorants")) == (["/course/one/a/"], [])


def test_a_course_language_change_changes_its_stemming(tmp_path):
    """English stems "images" to the "image" of the text; a language with no stemmer does not."""
    root = tree(tmp_path, **{"01-a.md": topic_text(body="One image.")})
    load_content(root)
    assert found("images") == ["/course/one/a/"]
    write(root, "course.md", "---\ntitle: Course\nslug: course\nlanguage: ja\n---\nAbout.\n")
    load_content(root)
    assert set(Section.objects.values_list("config", flat=True)) == {"simple"}
    assert found("images") == []


def test_with_indexing_off_a_load_writes_none_and_the_next_fills_it_in(tmp_path, settings):
    """The bench measures a load without the index; a later load indexes what is missing."""
    root = tree(tmp_path, **{"01-a.md": topic_text(body="Pelicans.")})
    settings.SEARCH_INDEX = False
    load_content(root)
    assert not Section.objects.exists()
    settings.SEARCH_INDEX = True
    load_content(root)
    assert found("pelicans") == ["/course/one/a/"]
    assert Topic.objects.get().sections.count() == 1
