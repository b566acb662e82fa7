"""The pure parser: files -> dataclasses, and every problem reported at path:line."""

import gc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.content import ContentError, parse_course, parse_topic_text
from tests.factories import FIXTURE_COURSE, minimal_tree, topic_text, write


def parse_topic(text: str):
    problems = []
    topic = parse_topic_text(text, "t.md", problems)
    return topic, problems


def problems_for(tmp_path: Path, topics: dict[str, str]) -> list[str]:
    minimal_tree(tmp_path / "content", topics)
    with pytest.raises(ContentError) as excinfo:
        parse_course(tmp_path / "content")
    return [str(p) for p in excinfo.value.problems]


def test_parses_front_matter_and_body():
    """Front matter fields land on the topic; the body excludes the knowledge check."""
    topic, problems = parse_topic(
        topic_text(7, "Layers", "Intro.", "### Q?\n\n- [x] a\n- [ ] b\n", "minutes: 4\nslug: lay\n")
    )
    assert problems == []
    assert (topic.number, topic.title, topic.slug, topic.minutes) == (7, "Layers", "lay", 4)
    assert "Intro." in topic.body
    assert "Knowledge Check" not in topic.body


def test_question_choices_feedback_and_explanation():
    """A task list gives the choices; indented lines are feedback; trailing text explains."""
    topic, _ = parse_topic(
        topic_text(
            questions="""
            ### Pick one
            <!-- id: pick -->

            - [x] Right
              Well done.
            - [ ] Wrong
              Not this one.

            Because.
            """
        )
    )
    (q,) = topic.questions
    assert q.key == "pick"
    assert [(c.text, c.is_correct, c.feedback) for c in q.choices] == [
        ("Right", True, "Well done."),
        ("Wrong", False, "Not this one."),
    ]
    assert q.explanation == "Because."
    assert not q.allows_many


def test_several_correct_choices_make_select_all():
    topic, _ = parse_topic(topic_text(questions="### Q\n- [x] a\n- [X] b\n- [ ] c\n"))
    assert topic.questions[0].allows_many


def test_pinned_choice():
    """`<!-- pin -->` keeps a choice in place and is not part of its text."""
    topic, _ = parse_topic(
        topic_text(questions="### Q\n- [x] a\n- [ ] None of the above <!-- pin -->\n")
    )
    last = topic.questions[0].choices[-1]
    assert (last.text, last.pinned) == ("None of the above", True)


def test_sections_after_knowledge_check_stay_in_body():
    topic, _ = parse_topic(
        topic_text(questions="### Q\n- [x] a\n- [ ] b\n\n## Further reading\n\nMore.\n")
    )
    assert "Further reading" in topic.body
    assert len(topic.questions) == 1


def test_heading_inside_code_fence_is_not_a_section():
    body = "```markdown\n## Knowledge Check\n```\n"
    topic, problems = parse_topic(topic_text(body=body))
    assert problems == []
    assert topic.questions == []
    assert "## Knowledge Check" in topic.body


def test_version_changes_with_text_and_correctness():
    base = topic_text(questions="### Q\n- [x] a\n- [ ] b\n")
    reworded = topic_text(questions="### Q again\n- [x] a\n- [ ] b\n")
    rekeyed = topic_text(questions="### Q\n- [ ] a\n- [x] b\n")
    versions = {parse_topic(t)[0].questions[0].version for t in (base, reworded, rekeyed)}
    assert len(versions) == 3


def test_fixture_course_parses():
    course = parse_course(FIXTURE_COURSE)
    assert course.title == "Fixture Course"
    assert [c.slug for c in course.chapters] == ["basics", "images"]
    assert [t.slug for t in course.topics] == ["hello", "reading", "layers"]
    assert course.topics[0].questions[1].allows_many


# --- one test per bad input, each with its path:line -----------------------------------


def test_missing_front_matter(tmp_path):
    assert problems_for(tmp_path, {"01-a.md": "# No front matter\n"}) == [
        "content/01-one/01-a.md:1: missing front matter: the file must start with '---'"
    ]


def test_invalid_front_matter_yaml(tmp_path):
    problems = problems_for(tmp_path, {"01-a.md": "---\nnumber: 1\ntitle: [unclosed\n---\nx\n"})
    assert len(problems) == 1
    assert problems[0].startswith("content/01-one/01-a.md:3: invalid front matter")


def test_front_matter_missing_title(tmp_path):
    assert problems_for(tmp_path, {"01-a.md": "---\nnumber: 1\n---\nx\n"}) == [
        "content/01-one/01-a.md:1: front matter is missing 'title'"
    ]


def test_front_matter_unknown_key(tmp_path):
    """A misspelt key names the key it probably meant, and every allowed one."""
    problems = problems_for(tmp_path, {"01-a.md": "---\nnumber: 1\ntitle: A\ntittle: B\n---\nx\n"})
    assert problems == [
        "content/01-one/01-a.md:4: unknown front matter key 'tittle' "
        "(did you mean 'title'? allowed: number, title, slug, summary, minutes)"
    ]


def test_front_matter_bad_number(tmp_path):
    problems = problems_for(tmp_path, {"01-a.md": "---\nnumber: two\ntitle: A\n---\nx\n"})
    assert problems == ["content/01-one/01-a.md:2: 'number' must be a whole number, not 'two'"]


def test_duplicate_topic_numbers_point_at_the_number_key(tmp_path):
    """Item 12: the error named line 2 wherever `number:` was."""
    text = "---\ntitle: {}\nsummary: S.\nnumber: 3\n---\nx\n"
    problems = problems_for(tmp_path, {"01-a.md": text.format("A"), "02-b.md": text.format("B")})
    assert problems == [
        "content/01-one/02-b.md:4: duplicate topic number 3: also used by content/01-one/01-a.md:4"
    ]


def test_duplicate_topic_slugs_point_at_the_slug_key(tmp_path):
    problems = problems_for(
        tmp_path,
        {
            "01-a.md": topic_text(1, "A", extra_front="slug: same\n"),
            "02-b.md": topic_text(2, "B", extra_front="slug: same\n"),
        },
    )
    assert problems == [
        "content/01-one/02-b.md:4: duplicate topic slug 'same': also used by "
        "content/01-one/01-a.md:4"
    ]


def test_duplicate_slug_from_a_file_name_says_so_at_line_1(tmp_path):
    problems = problems_for(
        tmp_path,
        {
            "01-a.md": topic_text(1, "A", extra_front="slug: b\n"),
            "02-b.md": topic_text(2, "B"),
        },
    )
    assert problems == [
        "content/01-one/02-b.md:1: duplicate topic slug 'b' (from the file name: set 'slug:' to "
        "change it): also used by content/01-one/01-a.md:4"
    ]


def test_duplicate_chapter_number_points_at_its_key(tmp_path):
    root = minimal_tree(tmp_path / "content")
    write(root, "02-two/chapter.md", "---\ntitle: Two\nnumber: 1\n---\n")
    with pytest.raises(ContentError) as excinfo:
        parse_course(root)
    assert [str(p) for p in excinfo.value.problems] == [
        "content/02-two/chapter.md:3: duplicate chapter number 1: also used by "
        "content/01-one/chapter.md:2"
    ]


def test_question_without_correct_choice(tmp_path):
    text = topic_text(questions="### Which?\n- [ ] a\n- [ ] b\n")
    assert problems_for(tmp_path, {"01-a.md": text}) == [
        "content/01-one/01-a.md:10: question has no correct choice: mark one with '- [x]'"
    ]


def test_question_with_one_choice(tmp_path):
    text = topic_text(questions="### Which?\n- [x] a\n")
    assert problems_for(tmp_path, {"01-a.md": text}) == [
        "content/01-one/01-a.md:10: question needs at least two choices ('- [x]' / '- [ ]'), has 1"
    ]


def test_unknown_fence_kind(tmp_path):
    text = topic_text(body="Intro.\n\n```spectrom\ntiers: []\n```")
    problems = problems_for(tmp_path, {"01-a.md": text})
    assert problems == [
        "content/01-one/01-a.md:8: unknown fence kind 'spectrom': not a diagram kind "
        "(spectrum) nor a highlighting language"
    ]


def test_malformed_diagram_yaml(tmp_path):
    text = topic_text(body="```spectrum\ntitle: x\ntiers: [a, b\n```")
    problems = problems_for(tmp_path, {"01-a.md": text})
    assert len(problems) == 1
    assert problems[0].startswith("content/01-one/01-a.md:")
    assert "malformed spectrum diagram YAML" in problems[0]


def test_non_utf8_file(tmp_path):
    root = minimal_tree(tmp_path / "content")
    (root / "01-one" / "01-a.md").write_bytes(b"---\nnumber: 1\ntitle: caf\xe9\n---\n")
    with pytest.raises(ContentError) as excinfo:
        parse_course(root)
    assert [str(p) for p in excinfo.value.problems] == [
        "content/01-one/01-a.md:3: file is not valid UTF-8 text"
    ]


def test_empty_file(tmp_path):
    assert problems_for(tmp_path, {"01-a.md": "  \n"}) == [
        "content/01-one/01-a.md:1: file is empty"
    ]


def test_topic_outside_a_chapter_folder(tmp_path):
    root = minimal_tree(tmp_path / "content")
    write(root, "stray.md", topic_text())
    write(root, "loose/01-x.md", topic_text())
    with pytest.raises(ContentError) as excinfo:
        parse_course(root)
    assert [str(p) for p in excinfo.value.problems] == [
        "content/loose/01-x.md:1: topic outside a chapter folder: content/loose has no chapter.md",
        "content/stray.md:1: topic outside a chapter folder: move it into one",
    ]


def test_missing_course_file(tmp_path):
    root = tmp_path / "content"
    write(root, "01-one/chapter.md", "---\nnumber: 1\ntitle: One\n---\n")
    with pytest.raises(ContentError) as excinfo:
        parse_course(root)
    assert [str(p) for p in excinfo.value.problems] == [
        "content/course.md:1: missing course file (title, description)"
    ]


def test_all_problems_reported_in_one_run(tmp_path):
    problems = problems_for(
        tmp_path,
        {
            "01-a.md": "# no front matter\n",
            "02-b.md": topic_text(2, "B", questions="### Q\n- [ ] a\n- [ ] b\n"),
            "03-c.md": "",
        },
    )
    assert [p.split(":")[0] for p in problems] == [
        "content/01-one/01-a.md",
        "content/01-one/02-b.md",
        "content/01-one/03-c.md",
    ]


def test_duplicate_question_id(tmp_path):
    question = "### {}\n<!-- id: same -->\n- [x] a\n- [ ] b\n\n"
    text = topic_text(questions=question.format("A") + question.format("B"))
    assert problems_for(tmp_path, {"01-a.md": text}) == [
        "content/01-one/01-a.md:15: duplicate question id 'same' (also on line 10)"
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400))
def test_parser_raises_nothing_but_content_errors(text):
    """Arbitrary text either parses or yields problems; it never crashes the parser."""
    problems = []
    for candidate in (
        text,
        "---\n" + text,
        "---\nnumber: 1\ntitle: T\n---\n## Knowledge Check\n" + text,
    ):
        parse_topic_text(candidate, "t.md", problems)
    assert all(p.path == "t.md" and p.line >= 0 for p in problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_tree_with_arbitrary_bytes_raises_only_content_error(tmp_path_factory, data):
    root = minimal_tree(tmp_path_factory.mktemp("c") / "content")
    (root / "01-one" / "01-x.md").write_bytes(data)
    try:
        parse_course(root)
    except ContentError as error:
        problems = error.problems
    else:
        problems = ["parsed"]
    assert problems


def test_empty_front_matter_is_a_problem_not_a_skipped_topic(tmp_path):
    """A topic whose front matter held nothing was silently left out of the course."""
    assert problems_for(tmp_path, {"01-a.md": "---\n---\nBody.\n"}) == [
        "content/01-one/01-a.md:1: front matter is missing 'number' and 'title'"
    ]


def test_a_key_yaml_reads_as_a_number_is_unknown_at_its_line(tmp_path):
    problems = problems_for(tmp_path, {"01-a.md": "---\nnumber: 1\ntitle: A\n7: B\n---\nx\n"})
    assert problems == [
        "content/01-one/01-a.md:4: unknown front matter key 7 "
        "(allowed: number, title, slug, summary, minutes)"
    ]


def test_a_slug_names_its_fix(tmp_path):
    text = topic_text(extra_front="slug: Big Slug\n")
    assert problems_for(tmp_path, {"01-a.md": text}) == [
        "content/01-one/01-a.md:4: slug 'Big Slug' must be lowercase letters, digits and "
        "hyphens (for example 'big-slug')"
    ]


def test_the_garbage_collector_runs_again_after_a_failed_parse(tmp_path):
    """The parser pauses it for speed; an error must not leave it off for the process."""
    minimal_tree(tmp_path / "content", {"01-a.md": "---\n---\n"})
    with pytest.raises(ContentError):
        parse_course(tmp_path / "content")
    assert gc.isenabled()
