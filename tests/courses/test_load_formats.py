"""`load_content --format=github|json`: annotations a CI runner shows on the pull request, and
one JSON report for scripts."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.load_formats import annotation, escape_data, escape_property
from courses.sources import Problem
from tests.factories import load, minimal_tree, topic_text, two_courses

pytestmark = pytest.mark.django_db
QUESTION = "### Pick one\n\n- [x] Right\n- [ ] Wrong\n\nBecause.\n"


def run(*args: str) -> tuple[str, str, bool]:
    """(stdout, stderr, failed) of load_content with these arguments."""
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", *args, stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), True
    return out.getvalue(), err.getvalue(), False


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A one-topic course at ./content, run from its parent (as CI runs from the repo root)."""
    monkeypatch.chdir(tmp_path)
    return minimal_tree(tmp_path / "content", {"01-a.md": topic_text(questions=QUESTION)})


def test_message_escaping_follows_githubs_rules():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"


def test_property_escaping_also_covers_separators():
    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"


def test_an_annotation_cannot_be_split_by_the_message():
    line = annotation("error", Problem("content/x.md", 3, "one\n::error::two"), "content")
    assert line == "::error file=content/x.md,line=3::one%0A::error::two"


def test_errors_become_error_annotations_and_the_command_fails(content):
    (content / "01-one" / "01-a.md").write_text("---\nnumber: two\ntitle: A\n---\nx\n")
    out, _, failed = run(str(content), "--check", "--format=github")
    assert failed
    assert out.splitlines() == [
        "::error file=content/01-one/01-a.md,line=2::'number' must be a whole number, not 'two'"
    ]


def test_warnings_become_warning_annotations(content):
    text = topic_text(questions=QUESTION.replace("\nBecause.\n", ""))
    (content / "01-one" / "01-a.md").write_text(text)
    out, _, failed = run(str(content), "--check", "--format=github")
    assert not failed
    assert (
        "::warning file=content/01-one/01-a.md,line=10::no explanation: add a paragraph after "
        "the choices saying why"
    ) in out.splitlines()


def test_effects_on_learner_data_become_notices(content):
    load(content)
    (content / "01-one" / "01-a.md").unlink()
    out, _, _ = run(str(content), "--check", "--format=github")
    assert out.splitlines()[0].startswith(
        "::notice file=content/01-one/01-a.md,line=1,title=Learner data::topic 'a' would be retired"
    )


def test_annotation_paths_are_relative_to_the_working_directory(content, monkeypatch):
    """An absolute content path still annotates the file in the checked-out repository."""
    (content / "01-one" / "01-a.md").write_text("---\nnumber: two\ntitle: A\n---\nx\n")
    monkeypatch.chdir(content)
    out, _, _ = run(str(content.resolve()), "--check", "--format=github")
    assert out.startswith("::error file=01-one/01-a.md,line=2::")


def test_json_report_lists_errors_with_their_lines(content):
    (content / "01-one" / "01-a.md").write_text("---\nnumber: two\ntitle: A\n---\nx\n")
    out, _, failed = run(str(content), "--check", "--format=json")
    report = json.loads(out)
    assert failed
    assert (report["ok"], report["counts"]) == (False, None)
    assert report["errors"] == [
        {
            "file": "content/01-one/01-a.md",
            "line": 2,
            "message": "'number' must be a whole number, not 'two'",
        }
    ]


def test_json_report_counts_per_course_and_in_total(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, _, failed = run(str(two_courses(tmp_path)), "--check", "--format=json")
    report = json.loads(out)
    assert not failed
    assert (report["schema_version"], report["check"], report["ok"]) == (1, True, True)
    assert report["counts"]["total"]["topics"]["created"] == 4
    assert {slug: c["topics"]["created"] for slug, c in report["counts"]["courses"].items()} == {
        "fixture": 3,
        "zweiter": 1,
    }


def test_json_report_separates_warnings_and_impact(content):
    load(content)
    (content / "01-one" / "01-a.md").unlink()
    report = json.loads(run(str(content), "--check", "--format=json")[0])
    assert [i["message"].split(" would")[0] for i in report["impact"]] == ["topic 'a'"]
    assert report["warnings"] == []


def test_text_stays_the_default(content):
    out, _, _ = run(str(content), "--check")
    assert "Topics: 1 created, 0 updated, 0 unchanged, 0 retired" in out
    assert "::" not in out
