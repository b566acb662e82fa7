"""The Knowledge Check parser: fenced code is opaque, wherever in a question it sits."""

import textwrap

from courses.content import parse_topic_text
from tests.factories import topic_text

MARKDOWN_SAMPLE = """\
```markdown
### Not a question
- [x] not a choice
<!-- id: not-an-id -->
```"""


def questions_of(questions: str) -> tuple[list, list]:
    problems = []
    topic = parse_topic_text(topic_text(questions=questions), "t.md", problems)
    return (topic.questions if topic else []), [str(p) for p in problems]


def test_fence_in_a_question_body_stays_in_the_body():
    """Item 10: a `### ` line in a code sample split the question in two."""
    questions, problems = questions_of(
        f"### Which line is a heading?\n<!-- id: h -->\n\n{MARKDOWN_SAMPLE}\n\n- [x] The first\n"
        "- [ ] None\n"
    )
    assert problems == []
    (question,) = questions
    assert question.key == "h"
    assert question.body == MARKDOWN_SAMPLE
    assert [c.text for c in question.choices] == ["The first", "None"]


def test_fence_in_an_explanation_adds_no_choice():
    questions, problems = questions_of(
        f"### Pick\n\n- [x] a\n- [ ] b\n\nBecause:\n\n{MARKDOWN_SAMPLE}\n"
    )
    assert problems == []
    assert [c.text for c in questions[0].choices] == ["a", "b"]
    assert questions[0].explanation == f"Because:\n\n{MARKDOWN_SAMPLE}"


def test_fence_right_after_the_choices_is_the_explanation():
    questions, problems = questions_of(f"### Pick\n\n- [x] a\n- [ ] b\n{MARKDOWN_SAMPLE}\n")
    assert problems == []
    assert questions[0].explanation == MARKDOWN_SAMPLE


def test_fence_in_feedback_keeps_its_code_as_written():
    """Indentation and blank lines inside the fence survive; nothing becomes a choice."""
    code = "def f():\n\n    return 1\n- [x] still code"
    feedback = textwrap.indent(f"Try:\n```python\n{code}\n```", "  ")
    questions, problems = questions_of(f"### Pick\n\n- [x] a\n{feedback}\n- [ ] b\n")
    assert problems == []
    (question,) = questions
    assert [c.text for c in question.choices] == ["a", "b"]
    assert question.choices[0].feedback == f"Try:\n```python\n{code}\n```"


def test_unclosed_fence_in_the_knowledge_check_is_a_problem():
    _, problems = questions_of("### Pick\n\n```\n- [x] a\n- [ ] b\n")
    assert "t.md:12: code fence is never closed" in problems


def test_feedback_without_fences_reads_as_before():
    """Questions without code keep their text, so their version (and attempts) are unchanged."""
    questions, _ = questions_of("### Pick\n\n- [x] a\n  Yes.\n   Indeed.  \n- [ ] b\n")
    assert questions[0].choices[0].feedback == "Yes.\nIndeed."


def test_choices_differing_only_in_spacing_are_the_same_choice():
    """The importer knows choices by their text ignoring spacing, so one would vanish."""
    _, problems = questions_of("### Pick\n\n- [x] a b\n- [ ] a  B\n")
    assert problems == ["t.md:12: choice 'a b' appears twice in this question"]


# --- HTML comments show nothing, so they hold no section and no question -----------------------

COMMENTED_CHECK = """\
<!--
## Knowledge Check

### What is it?

- [x] Right
- [ ] Wrong
-->
"""


def test_a_commented_out_knowledge_check_has_no_questions():
    """It was parsed as a real Knowledge Check, and cut the comment open on the page."""
    problems = []
    topic = parse_topic_text(topic_text(body=f"Intro.\n\n{COMMENTED_CHECK}"), "t.md", problems)
    assert (problems, topic.questions) == ([], [])
    assert topic.body.endswith(COMMENTED_CHECK)


def test_a_commented_out_choice_is_no_choice():
    questions, problems = questions_of("### Pick\n\n- [x] a\n<!--\n- [x] b\n-->\n- [ ] c\n")
    assert problems == []
    assert [c.text for c in questions[0].choices] == ["a", "c"]


def test_a_comment_before_the_first_question_is_not_stray_text():
    questions, problems = questions_of(
        "<!-- a note\nfor authors -->\n\n### Pick\n\n- [x] a\n- [ ] b\n"
    )
    assert (problems, len(questions)) == ([], 1)


def test_an_unclosed_comment_is_still_text():
    """Without its `-->` it is not a comment the parser skips: here, stray text."""
    _, problems = questions_of("<!--\n### Pick\n\n- [x] a\n- [ ] b\n")
    assert problems == [
        "t.md:10: text in Knowledge Check before the first question: start each question with "
        "a '### ' heading"
    ]
