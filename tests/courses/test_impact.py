"""The impact report of `load_content --check`: what an edit would do to learner data."""

from io import StringIO

import pytest
from django.core.management import call_command

from courses.content import parse_course
from courses.impact import impact_report
from quizzes.models import Attempt, Question
from tests.factories import load, minimal_tree, topic_text
from tests.quizzes.results_data import answer

pytestmark = pytest.mark.django_db
PATH = "content/01-one/01-first.md"
QUESTIONS = """
### Which command starts a container?
<!-- id: start -->

- [ ] docker build
- [x] docker run
- [ ] docker push

Because.

### Which file describes an image build?

- [x] Dockerfile
- [ ] Makefile

Because.
"""


@pytest.fixture
def root(tmp_path):
    root = minimal_tree(
        tmp_path / "content",
        {
            "01-first.md": topic_text(1, "First", questions=QUESTIONS),
            "02-second.md": topic_text(2, "Second"),
        },
    )
    load(root)
    return root


@pytest.fixture
def learner(root):
    from quizzes.models import Learner

    learner = Learner.objects.create()
    answer(learner, "start", "docker run", first=True)
    answer(learner, "start", "docker build", first=False)
    key = Question.objects.get(prompt_text__startswith="Which file").key
    answer(learner, key, "Makefile", first=True)
    return learner


def edit(root, old: str, new: str) -> list[str]:
    path = root / "01-one" / "01-first.md"
    path.write_text(path.read_text().replace(old, new))
    return report(root)


def report(root) -> list[str]:
    return [str(p) for p in impact_report(parse_course(root))]


def test_no_impact_when_nothing_changed(root, learner):
    assert report(root) == []


def test_changed_correct_answer_counts_graded_attempts(root, learner):
    lines = edit(
        root, "- [ ] docker build\n- [x] docker run", "- [x] docker build\n- [ ] docker run"
    )
    version = Question.objects.get(key="start").version
    assert lines == [
        f"{PATH}:10: correct answer of 'start' changes: 2 attempts were graded under the old "
        f"answer (version {version}) and keep their grade; its review cards start afresh, "
        "due at once"
    ]


def test_reworded_feedback_is_a_new_version(root, learner):
    (line,) = edit(root, "- [ ] docker push", "- [ ] docker push\n  Push uploads.")
    assert line.startswith(f"{PATH}:10: question 'start' changes version ")
    assert line.endswith("its 2 attempts by 1 learner stay on their versions")


def test_removed_choice_is_retired_with_its_picks(root, learner):
    lines = edit(root, "- [ ] docker build\n", "")
    assert (
        f"{PATH}:10: choice 'docker build' would be retired (1 attempt picked it and keep it)"
        in (lines)
    )


def test_removed_question_would_be_retired(root, learner):
    text = (root / "01-one" / "01-first.md").read_text()
    (root / "01-one" / "01-first.md").write_text(text.split("### Which file")[0])
    assert report(root) == [
        f"{PATH}:19: question 'which-file-describes-an-image-build' would be retired (removed, "
        "or prompt and answer both reworded): hidden from learners, its 1 attempt by 1 learner "
        "kept"
    ]


def test_removed_topic_would_be_retired(root, learner):
    (root / "01-one" / "02-second.md").unlink()
    assert report(root) == [
        "content/01-one/02-second.md:1: topic 'second' would be retired (file removed or slug "
        "changed): hidden from learners, its 0 attempts kept"
    ]


def test_removed_chapter_would_be_retired(root, learner):
    import shutil

    from tests.factories import write

    shutil.move(root / "01-one", root / "02-two")
    write(root, "02-two/chapter.md", "---\nnumber: 2\ntitle: Two\n---\nSecond chapter.\n")
    lines = report(root)
    assert lines[0] == "content/01-one/chapter.md:1: chapter 'one' would be retired (folder or " + (
        "chapter.md removed)"
    )


def test_check_prints_impact_and_writes_nothing(root, learner):
    edit(root, "- [ ] docker build\n- [x] docker run", "- [x] docker build\n- [ ] docker run")
    before = Question.objects.get(key="start").version
    out, err = StringIO(), StringIO()
    call_command("load_content", str(root), check=True, stdout=out, stderr=err)
    assert "Impact on learner data:" in out.getvalue()
    assert f"{PATH}:10: correct answer of 'start' changes" in out.getvalue()
    assert Question.objects.get(key="start").version == before
    assert Attempt.objects.count() == 3


def test_check_without_changes_says_so(root, learner):
    out = StringIO()
    call_command("load_content", str(root), check=True, stdout=out, stderr=StringIO())
    assert "No learner data affected." in out.getvalue()


def test_load_prints_lint_warnings_but_still_loads(tmp_path):
    root = minimal_tree(
        tmp_path / "content",
        {"01-first.md": topic_text(1, "First", questions="### Q?\n\n- [x] Yes\n- [ ] No\n")},
    )
    err = StringIO()
    call_command("load_content", str(root), stdout=StringIO(), stderr=err)
    assert f"{PATH}:10: warning: no explanation" in err.getvalue()
    assert Question.objects.count() == 1
