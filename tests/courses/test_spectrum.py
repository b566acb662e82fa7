"""The spectrum diagram: fence validation, and the pure state (modes, picker, scale)."""

from urllib.parse import parse_qs

import pytest
import yaml
from django.urls import reverse

from courses import spectrum
from courses.content import ContentError, parse_course
from tests.factories import minimal_tree, topic_text

TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
FRAGMENT = reverse("courses:diagram", args=["containers", "images", "base-images", 0])
HTMX = {"HX-Request": "true"}

TIER = """\
  - id: {id}
    name: {id}
    examples: [{id}:1]
    size: ~{mb} MB
    size_mb: {mb}
    shell: true
    package_manager: true
    libc: glibc
    attack_surface: Some
    debuggability: Some
    summary: A tier.
    typical_use: Things
    mistake: Others
"""
AXIS = "axis:\n  top: More inside\n  bottom: Less inside\n"


def fence(body: str) -> str:
    """A topic whose body is one spectrum fence: it opens on line 6, its YAML starts on 7."""
    return topic_text(body=f"```spectrum\n{body}```")


def problems(tmp_path, body: str) -> list[str]:
    minimal_tree(tmp_path / "content", {"01-a.md": fence(body)})
    with pytest.raises(ContentError) as excinfo:
        parse_course(tmp_path / "content")
    return [str(p) for p in excinfo.value.problems]


def two_tiers() -> str:
    return "tiers:\n" + TIER.format(id="big", mb=100) + TIER.format(id="small", mb=1)


# --- validation (path:line) -------------------------------------------------------------------


def test_valid_spectrum_parses(tmp_path):
    minimal_tree(tmp_path / "content", {"01-a.md": fence("title: T\n" + AXIS + two_tiers())})
    course = parse_course(tmp_path / "content")
    assert [t["id"] for t in course.topics[0].diagrams[0].data["tiers"]] == ["big", "small"]


def test_missing_axis_is_an_error_at_the_fence(tmp_path):
    assert problems(tmp_path, "title: T\n" + two_tiers()) == [
        "content/01-one/01-a.md:7: spectrum diagram: 'axis' must map 'top' and 'bottom' to text"
    ]


def test_empty_axis_label_points_at_the_axis(tmp_path):
    body = "title: T\naxis:\n  top: ''\n  bottom: D\n" + two_tiers()
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:9: spectrum diagram: 'axis' must map 'top' and 'bottom' to text"
    ]


def test_old_axis_keys_say_what_replaced_them_at_their_line(tmp_path):
    """Fences from before 'top'/'bottom' get a path:line error naming the new key."""
    body = "title: T\naxis:\n  smaller: Smaller size\n  debuggable: D\n" + two_tiers()
    smaller, debuggable = problems(tmp_path, body)
    assert smaller.startswith(
        "content/01-one/01-a.md:9: spectrum diagram: 'axis.smaller' is now 'axis.bottom'"
    )
    assert debuggable.startswith(
        "content/01-one/01-a.md:10: spectrum diagram: 'axis.debuggable' is now 'axis.top'"
    )


def test_bad_size_points_at_its_line(tmp_path):
    body = "title: T\n" + AXIS + two_tiers().replace("size_mb: 1\n", "size_mb: -1\n")
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:29: spectrum diagram: "
        "tier 'small': 'size_mb' must be a number of megabytes from 0.001 to 1000000000, not -1"
    ]


def picker(questions: str, rules: str) -> str:
    return f"picker:\n  questions:\n{questions}  rules:\n{rules}"


def test_duplicate_picker_question_id(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n    - id: q\n      label: B?\n",
            "    - recommend: big\n      because: Why not.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:42: spectrum diagram: duplicate question id 'q'"
    ]


def test_picker_question_id_must_be_a_slug(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: Needs Shell\n      label: A?\n",
            "    - recommend: big\n      because: Why not.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:40: spectrum diagram: "
        "question #1: 'id' must be lowercase letters, digits and hyphens, not 'Needs Shell'"
    ]


def test_rule_recommending_unknown_tier(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n",
            "    - when: {q: true}\n      recommend: huge\n      because: B.\n"
            "    - recommend: big\n      because: C.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:44: spectrum diagram: 'recommend' must be a tier id, not 'huge'"
    ]


def test_unknown_tier_key_lists_the_allowed_ones_at_its_line(tmp_path):
    body = (
        "title: T\n" + AXIS + two_tiers().replace("    mistake: Others\n", "    misstake: X\n", 1)
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:12: spectrum diagram: tier 'big' is missing 'mistake'",
        "content/01-one/01-a.md:24: spectrum diagram: tier 'big': unknown key 'misstake' (did "
        "you mean 'mistake'? allowed: id, name, examples, size, size_mb, shell, "
        "package_manager, libc, attack_surface, debuggability, summary, typical_use, mistake)",
    ]


def test_a_tier_that_is_not_a_mapping_is_named_by_its_place(tmp_path):
    body = "title: T\n" + AXIS + two_tiers() + "  - just a name\n"
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:38: spectrum diagram: tier #3 must be a mapping of its keys"
    ]


def test_duplicate_tier_id_points_at_the_second(tmp_path):
    body = "title: T\n" + AXIS + "tiers:\n" + TIER.format(id="big", mb=100) * 2
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:25: spectrum diagram: duplicate tier id 'big'"
    ]


def test_rule_naming_an_unknown_question(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n",
            "    - when: {r: true}\n      recommend: big\n      because: B.\n"
            "    - recommend: big\n      because: C.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:43: spectrum diagram: 'when' names 'r', which is not a picker "
        "question id (q)"
    ]


def test_a_rule_missing_its_reason_is_named_by_its_place(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker("    - id: q\n      label: A?\n", "    - recommend: big\n")
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:43: spectrum diagram: rule #1 is missing 'because'"
    ]


def test_every_rule_with_a_condition_leaves_answers_without_a_recommendation(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n",
            "    - when: {q: true}\n      recommend: big\n      because: B.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:43: spectrum diagram: the last rule should have no 'when' so "
        "every answer gets a recommendation"
    ]


def test_a_question_key_yaml_reads_as_a_number_points_at_its_line(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n",
            "    - when:\n        q: true\n        3: maybe\n      recommend: big\n"
            "      because: B.\n    - recommend: big\n      because: C.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:45: spectrum diagram: rule #1: 'when' must map picker question "
        "ids to true or false"
    ]


def test_an_id_with_spaces_is_refused_not_trimmed(tmp_path):
    """The fence is stored as written: a trimmed id would match a rule the page cannot find."""
    body = "title: T\n" + AXIS + two_tiers().replace("id: small", "id: ' small'")
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:25: spectrum diagram: tier #2: 'id' must be lowercase letters, "
        "digits and hyphens, not ' small'"
    ]


# --- pure: picker rules and scale -------------------------------------------------------------

RULES = [
    {"when": {"static": True, "shell": False}, "recommend": "scratch", "because": "static"},
    {"when": {"shell": True}, "recommend": "slim", "because": "shell"},
    {"recommend": "slim", "because": "default"},
]


def test_first_matching_rule_wins():
    rec = spectrum.recommend(RULES, {"static": True, "shell": True})
    assert rec == spectrum.Recommendation("slim", "shell")


def test_rule_needs_every_condition():
    assert spectrum.recommend(RULES, {"static": True, "shell": False}).tier == "scratch"
    assert spectrum.recommend(RULES, {"static": False, "shell": False}).because == "default"


def test_unanswered_question_never_matches():
    assert spectrum.recommend(RULES, {"static": True}).because == "default"


def test_no_rule_matches_gives_none():
    assert spectrum.recommend(RULES[:2], {"static": False, "shell": False}) is None


def test_read_answers_accepts_yes_no_and_reports_others():
    questions = [{"id": "a", "label": "A?"}, {"id": "b", "label": "B?"}, {"id": "c", "label": "C"}]
    answers, messages = spectrum.read_answers(questions, {"q-a": ["Yes"], "q-b": ["maybe"]})
    assert answers == {"a": True}
    assert messages == ["“maybe” is not an answer to “B?”: choose yes or no."]


def test_log_scale_puts_decades_evenly():
    lo, hi = spectrum.log_range([2, 5, 25, 120, 1000])
    assert (lo, hi) == (0, 3)
    assert [t["label"] for t in spectrum.ticks(lo, hi)] == ["1 MB", "10 MB", "100 MB", "1 GB"]
    assert spectrum.position(10, lo, hi) == pytest.approx(33.33)
    assert spectrum.position(1000, lo, hi) == 100


def test_smallest_size_on_a_decade_keeps_a_visible_bar():
    lo, hi = spectrum.log_range([1, 10])
    assert spectrum.position(1, lo, hi) > 0
    assert spectrum.format_mb(10.0**lo) == "100 KB"


def test_read_compare():
    ids = ["a", "b", "c"]
    assert spectrum.read_compare(["a,c"], ids) == (["a", "c"], "")
    assert spectrum.read_compare(["b", "a"], ids) == (["b", "a"], "")
    assert spectrum.read_compare(["a,a"], ids)[0] == []
    assert "no tier “z”" in spectrum.read_compare(["a,z"], ids)[1]


def test_second_diagram_uses_prefixed_params():
    data = yaml.safe_load("title: T\n" + AXIS + two_tiers())
    assert spectrum.build_state(data, parse_qs("tier=big"), 1)["selected"] is None
    state = spectrum.build_state(data, parse_qs("d1-tier=big"), 1)
    assert state["selected"]["id"] == "big"
    assert state["tiers"][1]["query"] == "d1-tier=small"


# --- pure: one mode at a time -----------------------------------------------------------------

PICKED = "q-static=yes&q-shell=no"


def modal() -> dict:
    """Three tiers and a two-question picker, as the validator would pass them."""
    data = yaml.safe_load("title: T\n" + AXIS + two_tiers() + TIER.format(id="tiny", mb=0.5))
    rules = [
        {"when": {"static": True, "shell": False}, "recommend": "tiny", "because": "static"},
        {"recommend": "big", "because": "default"},
    ]
    questions = [{"id": "static", "label": "Static?"}, {"id": "shell", "label": "Shell?"}]
    data["picker"] = {"questions": questions, "rules": rules}
    return data


def mode(query: str) -> spectrum.Mode:
    return spectrum.read_mode(modal(), parse_qs(query))


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("", ""),
        ("tier=big", "tier"),
        ("compare=big,small", "compare"),
        (PICKED, "recommend"),
        ("tier=big&compare=big,small", "compare"),
        (f"tier=big&{PICKED}", "recommend"),
        (f"tier=big&compare=big,small&{PICKED}", "recommend"),
        (f"{PICKED}&compare=big,small&tier=big", "recommend"),
    ],
)
def test_old_links_naming_several_modes_get_one_by_precedence(query, kind):
    """A recommendation beats a comparison, which beats a tier, whatever the order."""
    assert mode(query).kind == kind


def test_the_winning_mode_alone_makes_the_canonical_query():
    state = spectrum.build_state(modal(), parse_qs(f"tier=big&compare=big,small&{PICKED}"))
    assert state["query"] == "q-static=yes&q-shell=no"
    assert state["compare"] == []
    assert state["selected"]["id"] == "tiny"  # the recommended tier, not ?tier=big


def test_an_invalid_winning_mode_shows_the_plain_diagram_and_why():
    found = mode("tier=big&compare=big,nope")
    assert (found.kind, found.tier) == ("", "")
    assert found.messages == ["Cannot compare: there is no tier “nope” in this diagram."]


def test_partial_answers_ask_for_the_rest_and_keep_what_was_answered():
    found = mode("tier=big&q-static=yes")
    assert found.kind == ""
    assert found.answers == {"static": True}
    assert found.messages == ["Answer all 2 questions for a recommendation."]


def test_blank_values_name_no_mode():
    assert mode("tier=&compare=&q-static=&q-unknown=yes").kind == ""
    assert mode("tier=&compare=&q-static=").messages == []


def test_tier_links_and_params_carry_only_their_own_mode():
    state = spectrum.build_state(modal(), parse_qs("compare=big,small"))
    assert [t["query"] for t in state["tiers"]] == ["tier=big", "tier=small", "tier=tiny"]
    assert state["query"] == "compare=big%2Csmall"
    assert [t["id"] for t in state["tiers"] if t["compared"]] == ["big", "small"]
    assert state["selected"] is None


def test_plain_state_has_an_empty_query_and_says_nothing_is_selected():
    state = spectrum.build_state(modal(), {})
    assert state["query"] == ""
    assert state["status"] == "Nothing selected: the whole spectrum is shown."


def test_forms_show_only_their_own_modes_values():
    """Compare selects show the pair compared; radios are checked only for a recommendation."""
    compared = spectrum.build_state(modal(), parse_qs("compare=big,tiny"))
    assert [s["value"] for s in compared["compare_selects"]] == ["big", "tiny"]
    assert [q["answer"] for q in compared["picker"]["questions"]] == [None, None]
    recommended = spectrum.build_state(modal(), parse_qs(f"compare=big,tiny&{PICKED}"))
    assert [s["value"] for s in recommended["compare_selects"]] == ["small", "tiny"]
    assert [q["answer"] for q in recommended["picker"]["questions"]] == [True, False]


def test_a_refused_pair_stays_in_the_compare_form():
    state = spectrum.build_state(modal(), parse_qs("compare=tiny&compare=tiny"))
    assert state["mode"] == ""
    assert [s["value"] for s in state["compare_selects"]] == ["tiny", "tiny"]
