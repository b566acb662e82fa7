"""`load_content --check`: the real load, rolled back, so it agrees with a load in every way."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.content import ContentError
from courses.content_front import MAX_NUMBER, MAX_PATH, MAX_SLUG, MAX_TITLE
from courses.content_questions import MAX_QUESTION_ID
from courses.importer import load_content
from courses.models import Chapter, Course, Topic
from quizzes.models import Choice, Question
from tests.factories import copy_fixture, seed_tree

pytestmark = pytest.mark.django_db

KINDS = ("chapters", "topics", "questions")


def counts(report) -> dict:
    return {kind: dict(report.counts.get(kind, {})) for kind in KINDS}


def test_check_on_an_empty_database_counts_what_a_load_creates(tmp_path):
    """Item 15: the check said "0 created" for chapters and questions."""
    root = copy_fixture(tmp_path)
    report = load_content(root, check=True)
    assert (
        report.get("chapters", "created"),
        report.get("topics", "created"),
        report.get("questions", "created"),
    ) == (2, 3, 3)


def test_check_writes_nothing(tmp_path):
    load_content(copy_fixture(tmp_path), check=True)
    assert (Course.objects.count(), Chapter.objects.count(), Topic.objects.count()) == (0, 0, 0)
    assert (Question.objects.count(), Choice.objects.count()) == (0, 0)


def test_check_counts_equal_the_load_after_an_edit(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    hello = root / "01-basics" / "01-hello.md"
    hello.write_text(hello.read_text().replace("Starts a container", "Runs a container"))
    (root / "01-basics" / "02-reading.md").unlink()
    checked = counts(load_content(root, check=True))
    assert checked == counts(load_content(root))
    assert checked["questions"]["updated"] == 1


def test_command_check_prints_exact_counts(tmp_path):
    out = StringIO()
    call_command("load_content", str(copy_fixture(tmp_path)), "--check", stdout=out)
    assert "Chapters: 2 created, 0 updated, 0 unchanged, 0 retired" in out.getvalue()
    assert "Questions: 3 created, 0 updated, 0 unchanged, 0 retired" in out.getvalue()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    size_mb: 120\n", "    size_mb: .nan\n"),
        ("    size_mb: 120\n", "    size_mb: .inf\n"),
        ("minutes: 12", "minutes: !!int x"),
        ("number: 12", "number: !!float x"),
        ("number: 12", "number: 4294967296"),
        ("  - id: slim\n", "  - id: [a]\n"),
        ("      recommend: scratch\n", "      recommend: [b]\n"),
    ],
)
def test_check_and_load_fail_alike_with_path_and_line(tmp_path, old, new):
    """Item 6: these passed --check and then crashed the load, or crashed both."""
    root = seed_tree(tmp_path / "content", lambda text: text.replace(old, new, 1))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(root), "--check", stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("content/01-one/12-base-images.md:")
    with pytest.raises(ContentError):
        load_content(root)
    assert Topic.objects.count() == 0


def test_parser_limits_match_the_model_fields():
    """The parser refuses what the database would: its limits are the columns' sizes."""
    for model in (Course, Chapter, Topic):
        assert model._meta.get_field("title").max_length == MAX_TITLE
        assert model._meta.get_field("slug").max_length == MAX_SLUG
        assert model._meta.get_field("source_path").max_length == MAX_PATH
    assert Question._meta.get_field("key").max_length == MAX_QUESTION_ID
    assert MAX_NUMBER == 2**31 - 1  # PostgreSQL's integer, behind PositiveIntegerField


@pytest.mark.django_db(transaction=True)
def test_a_database_missing_migrations_is_named_instead_of_a_traceback(tmp_path):
    """`load_content --check` before `migrate` failed on a missing column with a traceback."""
    call_command("migrate", "quizzes", "0006", verbosity=0)
    try:
        with pytest.raises(CommandError, match=r"manage\.py migrate"):
            call_command("load_content", str(copy_fixture(tmp_path)), "--check")
    finally:
        call_command("migrate", verbosity=0)
