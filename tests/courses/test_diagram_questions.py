"""Questions answered on a spectrum: `<!-- on: spectrum -->`, tier-id choices, path:line errors."""

from courses.content import parse_topic_text
from courses.lint import lint_topic
from courses.sources import ChoiceSource, QuestionSource
from tests.courses.test_spectrum import AXIS, TIER
from tests.factories import topic_text

PATH = "content/01-one/01-topic.md"
QUESTION = """
    ### Which tier is smallest?
    <!-- on: spectrum -->

    - [x] small
    - [ ] big
      Far too big.
    - [ ] mid

    Small is small.
    """


def spectrum(title: str = "T", names: tuple[str, ...] = ("big", "mid", "small")) -> str:
    """A spectrum fence with tiers big (100 MB), mid (10 MB), small (1 MB), in that order."""
    tiers = "".join(
        TIER.format(id=i, mb=mb)
        for i, mb in zip(("big", "mid", "small"), (100, 10, 1), strict=True)
    )
    for tier, name in zip(("big", "mid", "small"), names, strict=True):
        tiers = tiers.replace(f"name: {tier}\n", f"name: {name}\n")
    return f"```spectrum\ntitle: {title}\n{AXIS}tiers:\n{tiers}```"


def parse(questions: str = QUESTION, body: str | None = None):
    """(topic or None, problems as strings) for a topic with these questions."""
    problems = []
    text = topic_text(body=spectrum() if body is None else body, questions=questions)
    topic = parse_topic_text(text, PATH, problems)
    return topic, [str(p) for p in problems]


def line_of(needle: str, questions: str = QUESTION, body: str | None = None) -> int:
    text = topic_text(body=spectrum() if body is None else body, questions=questions)
    return text[: text.index(needle)].count("\n") + 1


def test_choices_follow_the_diagrams_order_and_are_pinned():
    topic, problems = parse()
    assert problems == []
    question = topic.questions[0]
    assert [c.text for c in question.choices] == ["big", "mid", "small"]
    assert all(c.pinned for c in question.choices)
    assert [c.is_correct for c in question.choices] == [False, False, True]
    assert question.choices[0].feedback == "Far too big."


def test_the_question_carries_what_it_shows_of_the_diagram():
    topic, _ = parse()
    diagram = topic.questions[0].diagram
    assert diagram["index"] == 0
    assert diagram["title"] == "T"
    assert diagram["axis"] == {"top": "More inside", "bottom": "Less inside"}
    assert diagram["tiers"][0] == {"id": "big", "name": "big", "size": "~100 MB", "size_mb": 100}


def test_a_choice_that_is_not_a_tier_id_is_an_error_at_its_line():
    questions = QUESTION.replace("- [ ] mid", "- [ ] Medium")
    _, problems = parse(questions)
    assert problems == [
        f"{PATH}:{line_of('- [ ] Medium', questions)}: choice 'Medium' is not a tier id of the "
        "spectrum on line 6: use one of big, mid, small"
    ]


def test_a_topic_without_a_spectrum_is_an_error_at_the_comment():
    _, problems = parse(body="No diagram here.")
    line = line_of("<!-- on:", body="No diagram here.")
    assert problems == [
        f"{PATH}:{line}: this topic has no spectrum diagram to answer the question on"
    ]


def test_an_unknown_diagram_kind_is_an_error():
    questions = QUESTION.replace("on: spectrum", "on: pie")
    _, problems = parse(questions)
    assert problems == [
        f"{PATH}:{line_of('<!-- on:')}: questions cannot be answered on a 'pie' diagram "
        "(only spectrum)"
    ]


def test_an_unreadable_reference_is_an_error():
    _, problems = parse(QUESTION.replace("on: spectrum", "on: the spectrum above"))
    assert len(problems) == 1
    assert "cannot read diagram reference 'the spectrum above'" in problems[0]


def test_two_spectra_need_a_number():
    body = spectrum() + "\n\nBetween.\n\n" + spectrum()
    _, problems = parse(body=body)
    assert problems == [
        f"{PATH}:{line_of('<!-- on:', body=body)}: which spectrum? this topic has 2 "
        f"(lines 6, {line_of('Between', body=body) + 2}): write <!-- on: spectrum 1 --> for the "
        "first, <!-- on: spectrum 2 --> for the second"
    ]


def test_a_number_picks_that_spectrum():
    body = spectrum() + "\n\nBetween.\n\n" + spectrum(title="Second", names=("B", "M", "S"))
    topic, problems = parse(QUESTION.replace("on: spectrum", "on: spectrum 2"), body=body)
    assert problems == []
    assert topic.questions[0].diagram["index"] == 1
    assert topic.questions[0].tier_names == {"big": "B", "mid": "M", "small": "S"}


def test_a_number_beyond_the_spectra_is_an_error():
    _, problems = parse(QUESTION.replace("on: spectrum", "on: spectrum 2"))
    assert problems == [
        f"{PATH}:{line_of('<!-- on:')}: there is no spectrum 2: this topic has 1 spectrum diagram"
    ]


def test_a_broken_fence_is_reported_once_not_again_by_its_questions():
    broken = spectrum().replace(AXIS, "")
    _, problems = parse(body=broken)
    assert len(problems) == 1
    assert "'axis' must map 'top' and 'bottom' to text" in problems[0]


def test_the_version_changes_when_a_tier_name_it_shows_changes():
    before, _ = parse()
    after, _ = parse(body=spectrum(names=("big", "middle", "small")))
    assert before.questions[0].version != after.questions[0].version


def test_other_questions_keep_the_version_their_attempts_were_graded_on():
    """The hash of a question without a diagram is what it was before diagram questions."""
    question = QuestionSource(
        "Which?",
        [ChoiceSource("a", True, "fb"), ChoiceSource("b", False, pinned=True)],
        body="B",
        explanation="E",
    )
    assert question.version == "b1e718393e23"


def test_position_and_length_warnings_skip_diagram_questions():
    """Their order is the diagram's, so the right tier's place or length gives nothing away."""
    questions = "\n".join(
        QUESTION.replace("smallest?", f"smallest {n}?")
        .replace("- [x] small", "- [x] big")
        .replace("- [ ] big\n      Far too big.", "- [ ] small")
        for n in range(3)
    )
    topic, problems = parse(questions)
    assert problems == []
    assert [c.is_correct for c in topic.questions[0].choices] == [True, False, False]
    assert lint_topic(topic) == []


def test_a_diagram_question_without_explanation_is_still_warned():
    topic, _ = parse(QUESTION.replace("Small is small.", ""))
    assert [w.message for w in lint_topic(topic)] == [
        "warning: no explanation: add a paragraph after the choices saying why"
    ]
