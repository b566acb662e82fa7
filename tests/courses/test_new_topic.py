"""`manage.py new_topic CHAPTER "Title"`: a topic skeleton that loads cleanly as written."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.content import parse_course
from courses.importer import load_content
from courses.models import Topic
from courses.scaffold import ScaffoldError, new_topic
from tests.factories import FIXTURE_COURSE, SHIPPED_CONTENT, copy_fixture, two_courses, write


@pytest.fixture
def shipped(tmp_path):
    """A writable copy of the shipped two-course tree."""
    return shutil.copytree(SHIPPED_CONTENT, tmp_path / "content")


@pytest.mark.django_db
def test_a_new_topic_loads_with_no_error_and_no_warning(shipped):
    path = new_topic(shipped, "images", "Multi-stage builds")
    report = load_content(shipped)
    assert report.warnings == []
    topic = Topic.objects.get(course__slug="containers", slug="multi-stage-builds")
    assert (topic.title, topic.number, topic.source_path) == (
        "Multi-stage builds",
        13,
        "content/containers/02-images/13-multi-stage-builds.md",
    )
    assert path == shipped / "containers" / "02-images" / "13-multi-stage-builds.md"


@pytest.mark.django_db
def test_the_commented_example_is_no_question_on_the_page(shipped):
    new_topic(shipped, "images", "Multi-stage builds")
    load_content(shipped)
    topic = Topic.objects.get(slug="multi-stage-builds")
    assert topic.questions.count() == 0
    assert "Which choice is right" not in topic.body_html


@pytest.mark.django_db
def test_the_example_knowledge_check_loads_cleanly_once_uncommented(shipped):
    """The example is valid and lint-clean: uncommenting it gives one question, no warning."""
    path = new_topic(shipped, "images", "Multi-stage builds")
    text = path.read_text().replace("<!--\n## Knowledge Check", "## Knowledge Check")
    path.write_text(text.removesuffix("-->\n"))
    report = load_content(shipped)
    assert report.warnings == []
    assert Topic.objects.get(slug="multi-stage-builds").questions.count() == 1


def test_the_number_is_the_next_free_one_in_the_course(tmp_path):
    """Topics number across the course's chapters: basics has 1 and 2, images has 3."""
    root = copy_fixture(tmp_path)
    assert new_topic(root, "basics", "Volumes").name == "04-volumes.md"


def test_a_title_in_any_script_gives_its_slug(tmp_path):
    path = new_topic(copy_fixture(tmp_path), "basics", "Café crème: Schichten")
    (topic,) = [t for t in parse_course(path.parent.parent).topics if t.number == 4]
    assert (topic.slug, topic.title) == ("café-crème-schichten", "Café crème: Schichten")


def test_course_and_chapter_may_be_named_by_folder(tmp_path):
    root = two_courses(tmp_path)
    assert new_topic(root, "zweiter/01-grundlagen", "Zweites").parent.name == "01-grundlagen"


def test_a_chapter_name_in_two_courses_must_be_qualified(tmp_path):
    root = two_courses(tmp_path)
    shutil.copytree(FIXTURE_COURSE / "01-basics", root / "zweiter" / "02-basics")
    write(root, "zweiter/02-basics/chapter.md", "---\nnumber: 2\ntitle: Basics\n---\nZwei.\n")
    with pytest.raises(ScaffoldError) as excinfo:
        new_topic(root, "basics", "Volumes")
    assert str(excinfo.value) == (
        "chapter 'basics' is in several courses: name one of fixture/basics, zweiter/basics"
    )
    assert new_topic(root, "zweiter/basics", "Volumes").parent.name == "02-basics"


def test_an_unknown_chapter_lists_the_known_ones(tmp_path):
    root = two_courses(tmp_path)
    with pytest.raises(CommandError) as excinfo:
        call_command("new_topic", "nope", "Volumes", "--content", str(root), stdout=StringIO())
    assert str(excinfo.value) == (
        f"no chapter 'nope' in {root} (chapters: fixture/basics, fixture/images, "
        "zweiter/grundlagen)"
    )


def test_a_taken_slug_is_refused(tmp_path):
    root = copy_fixture(tmp_path)
    with pytest.raises(ScaffoldError, match="already has a topic 'hello'"):
        new_topic(root, "basics", "Hello")


def test_an_existing_file_is_never_overwritten(tmp_path):
    root = copy_fixture(tmp_path)
    draft = "---\nslug: a-draft\n---\nNot a topic yet.\n"
    existing = write(root, "01-basics/04-volumes.md", draft)
    with pytest.raises(ScaffoldError, match="already exists: not overwriting it"):
        new_topic(root, "basics", "Volumes")
    assert existing.read_text() == draft


def test_command_uses_the_content_dir_setting(tmp_path, settings):
    settings.CONTENT_DIR = copy_fixture(tmp_path)
    out = StringIO()
    call_command("new_topic", "images", "Volumes", stdout=out)
    assert f"Wrote {settings.CONTENT_DIR / '02-images' / '04-volumes.md'}" in out.getvalue()
