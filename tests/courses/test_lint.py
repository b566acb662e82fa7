"""Question-quality warnings: each rule, with its path:line, on small topic texts."""

import pytest

from courses.content import parse_topic_text
from courses.lint import lint_course, lint_topic
from tests.factories import topic_text

PATH = "content/01-one/01-topic.md"


def warnings(questions: str) -> list[str]:
    problems = []
    topic = parse_topic_text(topic_text(questions=questions), PATH, problems)
    assert not problems, problems
    return [str(w) for w in lint_topic(topic)]


def test_a_clean_question_has_no_warnings():
    assert (
        warnings(
            """
            ### Which command starts a container?

            - [ ] docker build
            - [x] docker run
            - [ ] docker push

            run = create + start.
            """
        )
        == []
    )


def test_correct_choice_longest_by_far():
    found = warnings(
        """
        ### What is an image?

        - [x] A read-only template of layers from which containers are created
        - [ ] A VM
        - [ ] A process

        Because.
        """
    )
    assert found == [
        f"{PATH}:10: warning: the correct choice is the longest by far (64 characters, the "
        "longest wrong one 9): learners can guess it from its length"
    ]


def test_correct_choice_in_the_same_place_in_every_question():
    question = """
        ### Question {n}?

        - [x] Right {n}
        - [ ] Wrong {n}

        Because.
        """
    found = warnings("\n".join(question.format(n=n) for n in range(3)))
    assert found == [
        f"{PATH}:10: warning: the correct choice is choice 1 in all 3 questions of this topic: "
        "vary its position (learners who see the file or an unshuffled list learn the pattern)"
    ]


def test_same_place_needs_three_questions():
    found = warnings(
        """
        ### One?

        - [x] Right
        - [ ] Wrong

        Because.

        ### Two?

        - [x] Right again
        - [ ] Wrong again

        Because.
        """
    )
    assert found == []


def test_near_duplicate_choices():
    found = warnings(
        """
        ### Which base image is smallest?

        - [ ] debian:bookworm-slim
        - [ ] Debian: bookworm slim.
        - [x] scratch

        Because.
        """
    )
    assert len(found) == 1
    assert found[0].startswith(f"{PATH}:13: warning: choice 'Debian: bookworm slim.' is nearly")
    assert "line 12" in found[0]


def test_all_of_the_above_without_pin():
    found = warnings(
        """
        ### Which are container runtimes?

        - [ ] runc, the reference runtime
        - [ ] crun, written in C
        - [x] All of the above

        Because.
        """
    )
    assert found == [
        f"{PATH}:14: warning: 'All of the above' refers to the other choices but is shuffled: "
        "add <!-- pin --> to keep it last"
    ]


def test_none_of_the_above_with_pin_is_fine():
    found = warnings(
        """
        ### Which is a shell?

        - [x] bash
        - [ ] runc
        - [ ] None of the above <!-- pin -->

        Because.
        """
    )
    assert found == []


def test_missing_explanation():
    found = warnings(
        """
        ### Which is a shell?

        - [ ] runc
        - [x] bash
        """
    )
    assert found == [
        f"{PATH}:10: warning: no explanation: add a paragraph after the choices saying why"
    ]


def test_the_seed_course_has_no_warnings():
    """The shipped course is the example authors copy: it passes its own lint."""
    from courses.content import parse_course
    from tests.factories import SEED_COURSE

    assert [str(w) for w in lint_course(parse_course(SEED_COURSE))] == []


@pytest.mark.django_db
def test_a_load_lints_only_changed_topics_and_check_lints_all(tmp_path):
    """Re-loading unchanged files repeats no warnings; --check always reviews the whole tree."""
    from courses.importer import load_content
    from tests.factories import minimal_tree

    root = minimal_tree(
        tmp_path / "content", {"01-a.md": topic_text(questions="### Q\n- [x] a\n- [ ] b\n")}
    )
    assert any("explanation" in str(w) for w in load_content(root).warnings)
    assert load_content(root).warnings == []
    assert any("explanation" in str(w) for w in load_content(root, check=True).warnings)
