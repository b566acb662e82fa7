"""Fuzz: mutated content files (item 6). Only ContentError escapes parse, check and load, and
`--check` fails exactly when the load does, counting exactly what the load does.

The mutations start from real content (the shipped seed topic in the fixture course, with its
questions answered on the spectrum) and are the mistakes careless authors and editors make:
lines dropped, repeated or swapped, bytes flipped, files cut short or holding invalid UTF-8,
odd YAML scalars, tags and aliases, diagram references and tier choices out of place.
"""

from __future__ import annotations

import re
import shutil

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.content import ContentError, parse_course
from courses.importer import load_content
from tests.factories import SEED_TOPIC, copy_fixture

pytestmark = pytest.mark.django_db

FILES = [
    "02-images/12-base-images.md",
    "01-basics/01-hello.md",
    "01-basics/chapter.md",
    "course.md",
]
ODD_SCALARS = [
    ".nan", ".inf", "-.inf", "1.0e+400", "99999999999999999999", "-1", "0", "1.5", "0x1F",
    "!!int x", "!!float x", "!!binary aGk=", "!!set {a}", "!!timestamp x", "!foo x",
    "2001-02-30", "2001-01-01", "~", "null", "yes", "''", "[a]", "{a: b}", "[[[[[[x]]]]]]",
    "&a x", "*a", "<<: {a: 1}", '"\\0"', '"\\x85"', '"\\e[31m"', '"\\ud800"', "'" + "x" * 260 + "'",
]  # fmt: skip
INSERTED_LINES = [
    b"bomb: &a [1, 1, 1]", b"more: [*a, *a, *a]", b"  - *a", b"x: !!python/object:os.system",
    b"### Not a question", b"- [x] stray choice", b"```", b"~~~python", b"## Knowledge Check",
    b"<!-- id: run -->", b"<!-- id: what-does-docker-run-do -->", b"---", b"\t- [ ] tab",
    # Questions answered on the spectrum (the seed topic has two): references and tier choices.
    b"<!-- on: spectrum -->", b"<!-- on: spectrum 2 -->", b"<!-- on: pie -->", b"<!-- on:",
    b"- [x] scratch", b"- [ ] slim", b"- [ ] nowhere", b"  - id: scratch", b"```spectrum",
]  # fmt: skip
VALUE_RE = re.compile(rb"^(\s*(?:- )?[\w-]+:) ?(.*)$")

MUTATIONS = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 10**4)),
    st.tuples(st.just("repeat"), st.integers(0, 10**4)),
    st.tuples(st.just("swap"), st.integers(0, 10**4), st.integers(0, 10**4)),
    st.tuples(st.just("flip"), st.integers(0, 10**5), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**5)),
    st.tuples(st.just("bad-utf8"), st.integers(0, 10**5), st.sampled_from([b"\xff", b"\xc3("])),
    st.tuples(st.just("scalar"), st.integers(0, 10**4), st.sampled_from(ODD_SCALARS)),
    st.tuples(st.just("insert"), st.integers(0, 10**4), st.sampled_from(INSERTED_LINES)),
)


def mutate(data: bytes, mutation: tuple) -> bytes:
    """Apply one mutation; positions wrap around the file's length."""
    kind, at, *rest = mutation
    lines = data.split(b"\n")
    i = at % len(lines)
    if kind == "drop":
        del lines[i]
    elif kind == "repeat":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = rest[0] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "insert":
        lines.insert(i, rest[0])
    elif kind == "scalar":
        valued = [n for n, line in enumerate(lines) if VALUE_RE.match(line)]
        if valued:
            n = valued[at % len(valued)]
            lines[n] = VALUE_RE.sub(lambda m: m[1] + b" " + rest[0].encode(), lines[n])
    else:
        p = at % (len(data) + 1)
        if kind == "flip" and data:
            p = min(p, len(data) - 1)
            return data[:p] + bytes([data[p] ^ rest[0]]) + data[p + 1 :]
        if kind == "truncate":
            return data[:p]
        if kind == "bad-utf8":
            return data[:p] + rest[0] + data[p:]
    return b"\n".join(lines)


def outcome(action) -> tuple[str, object]:
    """("error", None) for a ContentError, ("ok", counts) otherwise; anything else raises."""
    try:
        report = action()
    except ContentError as error:
        problems = [str(p) for p in error.problems]  # printable, as the command prints them
        return ("error", None) if problems else ("no problems listed", None)
    counts = getattr(report, "counts", None)
    return "ok", {k: dict(v) for k, v in (counts or {}).items()}


@pytest.fixture
def tree(tmp_path):
    """The fixture course with the seed topic added, loaded: edits then meet stored rows."""
    root = copy_fixture(tmp_path)
    shutil.copy(SEED_TOPIC, root / FILES[0])
    load_content(root)
    return root


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(FILES),
    st.lists(MUTATIONS, min_size=1, max_size=3),
)
def test_mutated_content_gives_content_errors_and_check_agrees_with_load(tree, name, mutations):
    path = tree / name
    original = path.read_bytes()
    data = original
    for mutation in mutations:
        data = mutate(data, mutation)
    path.write_bytes(data)
    try:
        parsed = outcome(lambda: parse_course(tree))
        checked = outcome(lambda: load_content(tree, check=True))
        with transaction.atomic():
            loaded = outcome(lambda: load_content(tree))
            transaction.set_rollback(True)
    finally:
        path.write_bytes(original)
    assert parsed[0] in ("ok", "error")
    assert parsed[0] == checked[0] == loaded[0]
    assert checked == loaded


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(MUTATIONS, min_size=1, max_size=4))
def test_mutated_seed_topic_only_ever_gives_content_errors(tmp_path, mutations):
    """The parser alone, over many more mutations than the loads above can afford."""
    root = tmp_path / "content"
    if not root.exists():
        shutil.copytree(SEED_TOPIC.parent.parent, root)
    data = SEED_TOPIC.read_bytes()
    for mutation in mutations:
        data = mutate(data, mutation)
    (root / "02-images" / "12-base-images.md").write_bytes(data)
    assert outcome(lambda: parse_course(root))[0] in ("ok", "error")
