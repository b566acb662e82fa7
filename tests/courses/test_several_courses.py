"""A content tree with several courses: parsed together, loaded in one transaction."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.content import ContentError
from courses.content_tree import parse_content
from courses.importer import UnknownCourse, load_content
from courses.models import Chapter, Course, Topic
from quizzes.models import Attempt, Question
from tests.factories import FIXTURE_COURSE, SHIPPED_CONTENT, answer, two_courses, write

pytestmark = pytest.mark.django_db


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as error:
        parse_content(root)
    return [str(p) for p in error.value.problems]


def test_one_course_at_the_root_is_still_one_course():
    """Today's layout (course.md at the root) parses as before."""
    (course,) = parse_content(FIXTURE_COURSE)
    assert (course.slug, course.language) == ("fixture", "en")
    assert course.path == "course/course.md"


def test_course_folders_are_each_a_course(tmp_path):
    courses = parse_content(two_courses(tmp_path))
    assert [(c.slug, c.language) for c in courses] == [("fixture", "en"), ("zweiter", "de")]
    assert courses[1].path == "content/zweiter/course.md"
    assert courses[1].topics[0].path == "content/zweiter/01-grundlagen/01-hello.md"
    assert courses[1].summary == "Ein kleiner Kurs für Tests mit mehreren Kursen."


def test_summary_defaults_to_the_first_paragraph_as_plain_text(tmp_path):
    root = two_courses(tmp_path)
    write(
        root,
        "fixture/course.md",
        "---\ntitle: F\nslug: fixture\n---\nA *small* [course](x).\n\nMore.\n",
    )
    assert parse_content(root)[0].summary == "A small course."


def test_chapters_and_topics_are_unique_within_a_course_only(tmp_path):
    """Both courses may have a chapter `basics` with a topic `hello`."""
    root = two_courses(tmp_path)
    (root / "zweiter" / "01-grundlagen").rename(root / "zweiter" / "01-basics")
    load_content(root)
    assert Topic.objects.filter(slug="hello", chapter__slug="basics").count() == 2


def test_duplicate_course_slug_names_both_files(tmp_path):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("slug: zweiter", "slug: fixture"))
    assert problems(root) == [
        "content/zweiter/course.md:3: duplicate course slug 'fixture': also used by "
        "content/fixture/course.md:3"
    ]


@pytest.mark.parametrize("slug", ["results", "quiz", "accounts", "progress", "static"])
def test_a_course_may_not_take_a_page_of_the_site(tmp_path, slug):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("slug: zweiter", f"slug: {slug}"))
    (found,) = problems(root)
    assert found.startswith(f"content/zweiter/course.md:3: course slug '{slug}' is taken by")


def test_a_chapter_may_not_take_a_course_page_name(tmp_path):
    root = two_courses(tmp_path)
    (root / "zweiter" / "01-grundlagen").rename(root / "zweiter" / "01-progress")
    (found,) = problems(root)
    assert found.startswith(
        "content/zweiter/01-progress/chapter.md:1: chapter slug 'progress' (from the folder"
    )


@pytest.mark.parametrize("value", ["deutsch!", "1de", "[de]", "d", "english", "en-a", "de-DEU1"])
def test_language_must_be_a_language_tag(tmp_path, value):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("language: de", f"language: '{value}'"))
    (found,) = problems(root)
    assert found.startswith("content/zweiter/course.md:4: 'language' must be a language tag")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("de", "de"),
        ("PT-br", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
    ],
)
def test_well_formed_tags_are_accepted(tmp_path, value, tag):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("language: de", f"language: {value}"))
    assert parse_content(root)[1].language == tag


def test_language_tags_are_normalised(tmp_path):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("language: de", "language: PT-br"))
    assert parse_content(root)[1].language == "pt-BR"


def test_a_language_without_interface_translation_is_a_warning(tmp_path):
    root = two_courses(tmp_path)
    text = (root / "zweiter" / "course.md").read_text()
    write(root, "zweiter/course.md", text.replace("language: de", "language: fr"))
    report = load_content(root)
    assert [str(w) for w in report.warnings if "language" in str(w) or "'fr'" in str(w)] == [
        "content/zweiter/course.md:4: warning: no interface translation for 'fr' "
        "(available: de, en): buttons and messages will be in English"
    ]


def test_a_folder_without_course_md_in_a_tree_of_courses_is_a_problem(tmp_path):
    root = two_courses(tmp_path)
    shutil.copytree(FIXTURE_COURSE / "01-basics", root / "01-basics")
    (found,) = problems(root)
    assert found.startswith("content/01-basics/course.md:1: 01-basics/ has no course.md")


def test_a_course_folder_inside_a_single_course_is_a_problem(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    shutil.copytree(FIXTURE_COURSE, root / "nested")
    assert any("a course folder inside the single course" in p for p in problems(root))


def test_every_course_is_loaded(tmp_path):
    report = load_content(two_courses(tmp_path))
    assert report.get("courses", "created") == 2
    assert Course.objects.get(slug="zweiter").language == "de"
    assert Topic.objects.filter(course__slug="zweiter").count() == 1


def test_one_broken_course_writes_nothing_and_every_problem_is_reported(tmp_path):
    root = two_courses(tmp_path)
    write(root, "fixture/01-basics/01-hello.md", "---\nnumber: x\ntitle: Hello\n---\n")
    write(root, "zweiter/01-grundlagen/01-hello.md", "---\nnumber: 1\n---\n")
    with pytest.raises(ContentError) as error:
        load_content(root)
    paths = {p.path for p in error.value.problems}
    assert paths == {
        "content/fixture/01-basics/01-hello.md",
        "content/zweiter/01-grundlagen/01-hello.md",
    }
    assert not Course.objects.exists()


def test_course_option_loads_only_that_course(tmp_path):
    root = two_courses(tmp_path)
    load_content(root, course="zweiter")
    assert list(Course.objects.values_list("slug", flat=True)) == ["zweiter"]
    load_content(root)
    shutil.rmtree(root / "zweiter")
    load_content(root, course="fixture")  # the other course is not retired by a one-course load
    assert Course.objects.get(slug="zweiter").is_active


def test_course_option_with_an_unknown_slug_lists_the_known_ones(tmp_path):
    root = two_courses(tmp_path)
    with pytest.raises(UnknownCourse, match="courses: fixture, zweiter"):
        load_content(root, course="nope")
    with pytest.raises(CommandError, match="no course 'nope'"):
        call_command("load_content", str(root), "--course", "nope", stdout=StringIO())


def test_command_checks_one_course(tmp_path):
    root = two_courses(tmp_path)
    out = StringIO()
    call_command("load_content", str(root), "--course", "zweiter", "--check", stdout=out)
    assert "Courses: 1 created" in out.getvalue()
    assert not Course.objects.exists()


def test_a_removed_course_is_retired_with_its_learner_data_and_comes_back(client, tmp_path):
    root = two_courses(tmp_path)
    load_content(root)
    question = Question.objects.get(topic__course__slug="zweiter", key="run")
    answer(client, question)
    kept = tmp_path / "kept"
    shutil.move(root / "zweiter", kept)
    report = load_content(root)
    assert report.get("courses", "retired") == 1
    course = Course.objects.get(slug="zweiter")
    assert not course.is_active
    assert client.get("/zweiter/grundlagen/hello/").status_code == 404
    assert Attempt.objects.filter(question=question).count() == 1
    shutil.move(kept, root / "zweiter")
    load_content(root)
    assert Course.objects.get(slug="zweiter").is_active
    page = client.get("/zweiter/grundlagen/hello/").content.decode()
    assert "Du hast 1 von 1 beim ersten Versuch richtig beantwortet." in page


def test_check_reports_a_course_that_would_be_retired(tmp_path):
    root = two_courses(tmp_path)
    load_content(root)
    shutil.rmtree(root / "zweiter")
    out = StringIO()
    call_command("load_content", str(root), "--check", stdout=out)
    assert "course 'zweiter' is no longer in the tree: it will be retired" in out.getvalue()
    assert "Courses: 0 created, 0 updated, 1 unchanged, 1 retired" in out.getvalue()
    assert Course.objects.get(slug="zweiter").is_active


def test_moving_a_single_course_into_a_course_folder_keeps_everything(client, tmp_path):
    """Today's tree becomes content/<course>/: same slugs, so learner data stays attached."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSE, root)
    load_content(root)
    question = Question.objects.get(key="run")
    answer(client, question)
    moved = tmp_path / "tree"
    shutil.copytree(FIXTURE_COURSE, moved / "fixture")
    report = load_content(moved)
    assert report.get("courses", "created") == 0
    assert Question.objects.get(key="run").pk == question.pk
    assert Chapter.objects.get(slug="basics").source_path == "tree/fixture/01-basics/chapter.md"


def test_the_shipped_tree_has_two_courses_one_in_german():
    courses = parse_content(SHIPPED_CONTENT)
    assert [(c.slug, c.language) for c in courses] == [
        ("containers", "en"),
        ("git-grundlagen", "de"),
    ]
    assert [len(c.topics) for c in courses] == [1, 2]


def test_course_option_is_not_blocked_by_another_broken_course(tmp_path):
    """Loading one course reads only its files: a problem in another does not stop it."""
    root = two_courses(tmp_path)
    write(root, "fixture/01-basics/01-hello.md", "---\nnumber: x\n---\n")
    load_content(root, course="zweiter")
    assert Course.objects.get().slug == "zweiter"
