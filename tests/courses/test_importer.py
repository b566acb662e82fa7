"""The sync: idempotent, incremental, atomic, and never destructive."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.content import ContentError
from courses.importer import load_content
from courses.models import Chapter, Course, Topic
from quizzes.models import Attempt, Choice, Learner, Question
from tests.factories import SHIPPED_CONTENT, copy_fixture, minimal_tree, topic_text, write

pytestmark = pytest.mark.django_db

QUESTIONS = """
### What is a layer?

- [x] A filesystem diff
- [ ] A container
  No.

### Which are runtimes?

- [x] runc
- [x] crun
- [ ] bash
"""


def record_attempt(question: Question) -> Attempt:
    learner = Learner.objects.create()
    attempt = Attempt.objects.create(
        learner=learner,
        question=question,
        version=question.version,
        is_correct=True,
        is_first=True,
        nonce="n1",
    )
    attempt.choices.set(question.choices.filter(is_correct=True))
    return attempt


def test_first_load_creates_everything(tmp_path):
    report = load_content(copy_fixture(tmp_path))
    assert report.get("chapters", "created") == 2
    assert report.get("topics", "created") == 3
    assert report.get("questions", "created") == 3
    hello = Topic.objects.get(slug="hello")
    assert '<span class="nb">' in hello.body_html or 'class="highlight"' in hello.body_html
    assert hello.questions.order_by("position").first().key == "run"


def stored_questions() -> list[tuple]:
    """Every question with its choices, as a load leaves them (ids left out)."""
    return [
        (
            q.topic.slug,
            q.key,
            q.position,
            q.prompt_html,
            [
                (c.position, c.text_html, c.is_correct, c.feedback_html)
                for c in q.choices.order_by("position")
            ],
        )
        for q in Question.objects.select_related("topic").order_by("topic__slug", "position")
    ]


def test_a_cold_load_writes_a_topics_questions_and_their_choices_in_two_statements(tmp_path):
    """Per topic, not per question: most of a cold load's rows are questions and choices."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    root = minimal_tree(tmp_path, {"01-a.md": topic_text(1, "A", "Alpha.", QUESTIONS)})
    with CaptureQueriesContext(connection) as queries:
        load_content(root)
    inserts = [q["sql"].split("(")[0] for q in queries if q["sql"].startswith("INSERT INTO")]
    assert inserts.count(f'INSERT INTO "{Question._meta.db_table}" ') == 1
    assert inserts.count(f'INSERT INTO "{Choice._meta.db_table}" ') == 1
    assert (Question.objects.count(), Choice.objects.count()) == (2, 5)


def test_new_questions_are_written_the_same_whether_or_not_inserts_return_ids(monkeypatch):
    """SQLite before 3.35 tells no ids back from a many-row insert: questions then go one by
    one, and a cold load stores the same questions and choices."""
    from django.db import connection

    stored = []
    for returns_ids in (False, True):
        for model in (Choice, Question, Topic, Chapter, Course):
            model.objects.all().delete()
        features = type(connection.features)
        monkeypatch.setattr(features, "can_return_rows_from_bulk_insert", returns_ids)
        load_content(SHIPPED_CONTENT)
        stored.append(stored_questions())
    assert stored[0] == stored[1]
    assert sum(len(q[4]) for q in stored[0]) == Choice.objects.count() > 0


def test_second_load_is_idempotent(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    before = list(Topic.objects.values_list("pk", "updated_at"))
    report = load_content(root)
    assert report.get("topics", "unchanged") == 3
    assert report.get("topics", "updated") == 0
    assert list(Topic.objects.values_list("pk", "updated_at")) == before


def test_only_changed_file_is_rerendered(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    path = root / "01-basics" / "02-reading.md"
    path.write_text(path.read_text() + "\nOne more line.\n")
    report = load_content(root)
    assert (report.get("topics", "updated"), report.get("topics", "unchanged")) == (1, 2)
    assert "One more line." in Topic.objects.get(slug="reading").body_html


def test_removed_topic_is_retired_not_deleted(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    attempt = record_attempt(Question.objects.get(key="run"))
    (root / "01-basics" / "01-hello.md").unlink()
    report = load_content(root)
    assert report.get("topics", "retired") == 1
    topic = Topic.objects.get(slug="hello")
    assert not topic.is_active
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_restored_topic_comes_back_with_its_questions(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    path = root / "01-basics" / "01-hello.md"
    text = path.read_text()
    question = Question.objects.get(key="run")
    path.unlink()
    load_content(root)
    path.write_text(text)
    load_content(root)
    assert Topic.objects.get(slug="hello").is_active
    assert Question.objects.get(key="run").pk == question.pk


def test_removed_chapter_is_retired(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    for f in (root / "02-images").iterdir():
        f.unlink()
    (root / "02-images").rmdir()
    report = load_content(root)
    assert report.get("chapters", "retired") == 1
    assert not Chapter.objects.get(slug="images").is_active
    assert not Topic.objects.get(slug="layers").is_active


def test_error_leaves_database_untouched(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    snapshot = list(Topic.objects.values_list("pk", "title", "body_html", "is_active"))
    write(root, "01-basics/01-hello.md", topic_text(1, "Changed title"))
    write(root, "01-basics/09-broken.md", "no front matter\n")
    with pytest.raises(ContentError):
        load_content(root)
    assert list(Topic.objects.values_list("pk", "title", "body_html", "is_active")) == snapshot


def test_error_during_write_rolls_back(tmp_path, monkeypatch):
    """A failure halfway through the sync leaves no partial rows behind."""
    root = copy_fixture(tmp_path)
    import courses.importer as importer

    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    original = importer.sync_questions
    monkeypatch.setattr(importer, "sync_questions", failing)
    with pytest.raises(RuntimeError):
        load_content(root)
    assert Topic.objects.count() == 0
    assert Question.objects.count() == 0


def test_question_identity_survives_reword_and_reorder(tmp_path):
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=QUESTIONS)})
    load_content(root)
    layer = Question.objects.get(prompt_text="What is a layer?")
    runtimes = Question.objects.get(prompt_text="Which are runtimes?")
    attempt = record_attempt(layer)
    reordered = QUESTIONS.split("### ")
    reworded = (
        "### "
        + reordered[2]
        + "### What is an image layer, exactly?"
        + reordered[1].split("?", 1)[1]
    )
    write(root, "01-one/01-a.md", topic_text(questions=reworded))
    report = load_content(root)
    assert report.get("questions", "created") == 0
    assert report.get("questions", "retired") == 0
    layer.refresh_from_db()
    runtimes.refresh_from_db()
    assert layer.prompt_text == "What is an image layer, exactly?"
    assert (runtimes.position, layer.position) == (0, 1)
    attempt.refresh_from_db()
    assert attempt.question_id == layer.pk
    assert attempt.version != layer.version  # the attempt keeps the version it was graded on


def test_explicit_id_keeps_identity_through_full_rewrite(tmp_path):
    questions = "### Old?\n<!-- id: keep -->\n- [x] a\n- [ ] b\n"
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=questions)})
    load_content(root)
    pk = Question.objects.get(key="keep").pk
    write(
        root,
        "01-one/01-a.md",
        topic_text(questions="### New?\n<!-- id: keep -->\n- [x] c\n- [ ] d\n"),
    )
    load_content(root)
    question = Question.objects.get(pk=pk)
    assert question.prompt_text == "New?"
    assert sorted(question.choices.active().values_list("text", flat=True)) == ["c", "d"]
    assert sorted(
        Choice.objects.filter(question=question, is_active=False).values_list("text", flat=True)
    ) == ["a", "b"]


def test_removed_question_is_retired(tmp_path):
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=QUESTIONS)})
    load_content(root)
    write(root, "01-one/01-a.md", topic_text(questions=QUESTIONS.split("### Which")[0]))
    report = load_content(root)
    assert report.get("questions", "retired") == 1
    assert not Question.objects.get(prompt_text="Which are runtimes?").is_active


def test_topic_moved_to_another_chapter_keeps_identity(tmp_path):
    root = copy_fixture(tmp_path)
    load_content(root)
    topic = Topic.objects.get(slug="reading")
    (root / "01-basics" / "02-reading.md").rename(root / "02-images" / "02-reading.md")
    load_content(root)
    moved = Topic.objects.get(slug="reading")
    assert moved.pk == topic.pk
    assert moved.chapter.slug == "images"


def add_slug(path, slug: str) -> None:
    path.write_text(path.read_text().replace("title:", f"slug: {slug}\ntitle:", 1))


def test_renamed_topic_file_moves_its_source_path(tmp_path):
    """Same bytes under a new name: the row cites the file that exists (item 14)."""
    root = copy_fixture(tmp_path)
    add_slug(root / "01-basics" / "02-reading.md", "reading")
    load_content(root)
    (root / "01-basics" / "02-reading.md").rename(root / "01-basics" / "02-reading-files.md")
    load_content(root)
    assert Topic.objects.get(slug="reading").source_path == "content/01-basics/02-reading-files.md"


def test_renamed_chapter_folder_moves_chapter_and_topic_paths(tmp_path):
    root = copy_fixture(tmp_path)
    add_slug(root / "02-images" / "chapter.md", "images")
    load_content(root)
    (root / "02-images").rename(root / "02-images-and-layers")
    load_content(root)
    assert Chapter.objects.get(slug="images").source_path == (
        "content/02-images-and-layers/chapter.md"
    )
    assert Topic.objects.get(slug="layers").source_path == (
        "content/02-images-and-layers/03-layers.md"
    )


def test_command_reports_counts(tmp_path):
    out = StringIO()
    call_command("load_content", str(copy_fixture(tmp_path)), stdout=out)
    assert "Topics: 3 created, 0 updated, 0 unchanged, 0 retired" in out.getvalue()


def test_command_reports_every_problem_and_fails(tmp_path):
    root = minimal_tree(tmp_path / "content", {"01-a.md": "oops\n", "02-b.md": ""})
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems"):
        call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "content/01-one/01-a.md:1: missing front matter: the file must start with '---'",
        "content/01-one/02-b.md:1: file is empty",
    ]


def test_command_check_option(tmp_path):
    out = StringIO()
    call_command("load_content", str(copy_fixture(tmp_path)), "--check", stdout=out)
    assert "Checked" in out.getvalue()
    assert Topic.objects.count() == 0


def test_shipped_content_loads_clean():
    """Two courses: the containers course with the seed topic, and a short one in German."""
    report = load_content(SHIPPED_CONTENT)
    assert report.get("courses", "created") == 2
    assert report.get("topics", "created") == 3
    assert Course.objects.get(slug="git-grundlagen").language == "de"
    topic = Topic.objects.get(slug="base-images")
    assert topic.course.slug == "containers"
    assert (topic.chapter.number, topic.number) == (2, 12)
    assert Question.objects.filter(topic=topic, is_active=True).count() == 6
    assert [t["id"] for t in topic.diagrams[0]["tiers"]] == [
        "full",
        "slim",
        "alpine",
        "distroless",
        "scratch",
    ]


def test_shipped_content_loads_without_warnings():
    """A newcomer's first `load_content` prints nothing but the counts."""
    out, err = StringIO(), StringIO()
    call_command("load_content", str(SHIPPED_CONTENT), stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "warning" not in out.getvalue()


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_once_a_load_takes_a_moment():
    from courses.management.commands.load_content import Command

    out = Terminal()
    show = Command(stdout=out).progress_printer(started=time.perf_counter() - 1)
    show(1, 2)
    show(2, 2)
    assert out.getvalue() == "\rRendering topics: 1/2\rRendering topics: 2/2\n"


def test_no_progress_when_quick_or_not_a_terminal():
    from courses.management.commands.load_content import Command

    quick, piped = Terminal(), StringIO()
    Command(stdout=quick).progress_printer(started=time.perf_counter())(1, 2)
    Command(stdout=piped).progress_printer(started=time.perf_counter() - 1)(1, 2)
    assert quick.getvalue() == piped.getvalue() == ""
