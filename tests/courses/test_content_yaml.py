"""Odd YAML and odd characters in content: one ContentError at path:line, never a crash."""

import time

import pytest

from courses.content import ContentError, parse_course
from tests.factories import SEED_TOPIC, line_of, minimal_tree, seed_tree, topic_text

PATH = "content/01-one/12-base-images.md"
SEED = SEED_TOPIC.read_text(encoding="utf-8")


def problems(root) -> list[str]:
    with pytest.raises(ContentError) as excinfo:
        parse_course(root)
    return [str(p) for p in excinfo.value.problems]


def seed_problems(tmp_path, old: str, new: str) -> list[str]:
    """Problems of the seed topic with `old` replaced by `new` (once)."""
    assert old in SEED
    return problems(seed_tree(tmp_path / "content", lambda t: t.replace(old, new, 1)))


# --- control characters (a YAML escape makes them even when the bytes hold none) -----------


def test_nul_escape_in_front_matter_is_refused_at_its_line(tmp_path):
    found = seed_problems(tmp_path, "title: Base Images", r'title: "Base \0question97\0"')
    assert found == [
        f"{PATH}:3: front matter: control character U+0000 is not allowed in content: remove it"
    ]


def test_nul_escape_in_a_spectrum_field_is_refused_at_its_line(tmp_path):
    found = seed_problems(tmp_path, "    name: slim\n", '    name: "sl\\0im"\n')
    line = line_of(SEED, "    name: slim\n")
    assert found == [
        f"{PATH}:{line}: spectrum diagram: control character U+0000 is not allowed in "
        "content: remove it"
    ]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\x0b"])
def test_control_character_in_the_file_is_refused_at_its_line(tmp_path, char):
    found = seed_problems(tmp_path, "Every image starts", f"Every{char} image starts")
    line = line_of(SEED, "Every image starts")
    assert found == [
        f"{PATH}:{line}: control character U+{ord(char):04X} is not allowed in content: remove it"
    ]


@pytest.mark.parametrize("reference", ["&#27;", "&#x7F;", "&#X85;", "&#1114112;"])
def test_character_reference_to_a_control_character_is_refused(tmp_path, reference):
    """The renderer would turn it into the raw character."""
    found = seed_problems(tmp_path, "The trade is real", f"The {reference} trade is real")
    line = line_of(SEED, "The trade is real")
    assert found == [
        f"{PATH}:{line}: {reference} stands for a control character, which is not allowed in "
        "content: remove it"
    ]


def test_character_references_in_code_are_shown_as_written(tmp_path):
    root = seed_tree(
        tmp_path / "content",
        lambda t: t.replace("The trade is real", "Write `&#27;` or &#233;\n\n```\n&#0;\n```\n"),
    )
    assert parse_course(root).topics[0].slug == "base-images"


def test_control_character_in_a_file_name_is_refused(tmp_path):
    root = minimal_tree(tmp_path / "content", {"01-a\x1b[31m.md": topic_text()})
    assert problems(root) == [
        "content/01-one/01-a\ufffd[31m.md:1: the file or folder name holds a control character "
        "or is not UTF-8: rename it"
    ]


def test_tabs_and_line_endings_are_not_control_characters(tmp_path):
    root = seed_tree(
        tmp_path / "content",
        lambda t: t.replace("Every image starts", "Every\timage starts").replace("\n", "\r\n"),
    )
    assert parse_course(root).topics[0].slug == "base-images"


# --- values the YAML library or the database would choke on --------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("minutes: 12", "minutes: !!int x", "front matter: tags (!name, !!type) are not allowed"),
        ("number: 12", "number: !!float x", "front matter: tags (!name, !!type) are not allowed"),
        ("summary: Every", "summary: !!binary aGk= #", "front matter: tags"),
        ("minutes: 12", "minutes: 2024-02-30", "front matter: '2024-02-30' reads as a date"),
        ("number: 12", "number: 99999999999", "'number' must be at most 2147483647"),
        ("minutes: 12", "minutes: 2147483648", "'minutes' must be at most 2147483647"),
        ("title: Base Images", "title: " + "x" * 201, "'title' is longer than 200 characters"),
        ("slug: base-images", "slug: " + "a" * 51, "is longer than 50 characters"),
    ],
)
def test_odd_front_matter_values_are_problems(tmp_path, old, new, message):
    (found,) = seed_problems(tmp_path, old, new)
    assert found.startswith(f"{PATH}:{line_of(SEED, old)}: ")
    assert message in found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    size_mb: 120\n", "    size_mb: .nan\n", "'.nan' is not a finite number"),
        ("    size_mb: 120\n", "    size_mb: .inf\n", "'.inf' is not a finite number"),
        ("    size_mb: 120\n", "    size_mb: 1.0e+999\n", "is not a finite number"),
        (
            "    size_mb: 120\n",
            "    size_mb: 1.0e+12\n",
            "'size_mb' must be a number of megabytes from 0.001 to 1000000000, not 1000000000000",
        ),
        (
            "  - id: slim\n",
            "  - id: [a]\n",
            "tier #2: 'id' must be lowercase letters, digits and hyphens, not ['a']",
        ),
        ("      recommend: scratch\n", "      recommend: [b]\n", "'recommend' must be a tier id"),
        ("    examples: [scratch]\n", "    examples: [2001-01-01]\n", "reads as a date"),
        ('title: "Base', 'caption: [x]\ntitle: "Base', "'caption' must be text"),
        ("  top: ", "  side: x\n  top: ", "axis: unknown key 'side' (allowed: top, bottom)"),
        ("  rules:\n", "  extra: x\n  rules:\n", "picker: unknown key 'extra'"),
    ],
)
def test_odd_spectrum_values_are_problems(tmp_path, old, new, message):
    found = seed_problems(tmp_path, old, new)[0]  # a broken tier id also breaks rules naming it
    assert found.startswith(f"{PATH}:{line_of(SEED, old)}: ")
    assert message in found


def test_alias_bomb_under_a_picker_key_is_refused_quickly(tmp_path):
    """A few hundred bytes of anchors and aliases would expand to gigabytes on save."""
    bomb = '  bomb: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    for n in range(1, 9):
        bomb += f"  b{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n"
    started = time.perf_counter()
    found = seed_problems(tmp_path, "picker:\n", "picker:\n" + bomb)
    assert time.perf_counter() - started < 2
    first = line_of(SEED, "picker:\n") + 1
    assert found[0] == (
        f"{PATH}:{first}: spectrum diagram: anchors (&name) are not allowed: write the value out"
    )
    assert f"{PATH}:{first + 1}: spectrum diagram: aliases (*name) are not allowed" in found[2]


def test_alias_in_front_matter_is_refused(tmp_path):
    text = topic_text(extra_front="summary: &s Short.\n").replace("title: A topic", "title: *s")
    root = minimal_tree(tmp_path / "content", {"01-a.md": text})
    assert [p.split(": ", 1)[0] for p in problems(root)] == [
        "content/01-one/01-a.md:3",
        "content/01-one/01-a.md:4",
    ]


def test_merge_key_is_refused(tmp_path):
    found = seed_problems(tmp_path, "  - id: slim\n", "  - <<: {id: slim}\n    id: slim\n")
    assert found == [
        f"{PATH}:{line_of(SEED, '  - id: slim')}: spectrum diagram: merge keys (<<) are not "
        "allowed: write them out"
    ]


def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path):
    deep = "[" * 500 + "]" * 500
    (found,) = seed_problems(tmp_path, "    examples: [scratch]", f"    examples: {deep}")
    assert "nested more than" in found


def test_nesting_beyond_libyaml_is_a_syntax_problem(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    (found,) = seed_problems(tmp_path, "    examples: [scratch]", f"    examples: {deep}")
    assert "malformed spectrum diagram YAML" in found
