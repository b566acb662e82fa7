"""Content YAML (front matter and diagram fences): plain data only, each problem at its line.

Pure Python (no Django). Authors write titles, numbers, lists and yes/no values; everything
else YAML can express is refused here, before it can crash a later step or the database:
anchors and aliases (a few hundred bytes of them expand into gigabytes), tags (`!!int x`
raises inside the YAML library), dates, NaN and infinity, control characters (which
PostgreSQL rejects and which the page cache uses as markers), and absurd nesting.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import yaml

from courses.sources import Problem

# libyaml parses YAML ~10x faster; its error messages differ, so on a syntax error the
# pure-Python parser runs again to report the message authors are used to.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates (which no UTF-8
# file can hold but a YAML escape could): everything but these ranges. Written negated, as
# it scans a file a third faster than the positive class.
CONTROL_RE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\U0010ffff]")
# Deeper than any diagram needs (a picker rule's `when` sits at depth 5).
MAX_DEPTH = 12
FORBIDDEN_TOKENS = {
    yaml.AnchorToken: "anchors (&name) are not allowed: write the value out",
    yaml.AliasToken: "aliases (*name) are not allowed: write the value out",
    yaml.TagToken: "tags (!name, !!type) are not allowed: write a plain value",
}
STR, FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:float"
TIMESTAMP, MERGE = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge"


class Refused(yaml.constructor.ConstructorError):
    """A value content has no use for, raised while building it (so at its own line)."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(None, None, message, node.start_mark)


class ContentLoader(FastLoader):
    """The safe loader, refusing as it builds them the values no later step can store.

    The checks sit in the constructors, which run for every value anyway: a separate walk
    over the nodes cost as much again as building them.
    """

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise Refused(f"{node.value!r} is not a finite number", node)
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):
        raise Refused(f"{node.value!r} reads as a date: put it in quotes", node)


class EscapesLoader(ContentLoader):
    """For YAML with backslashes: only an escape can put a control character in a value
    (the file's own bytes are checked before), so only then is every string checked."""

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value = super().construct_yaml_str(node)
        message = control_message(value)
        if message:
            raise Refused(message, node)
        return value


ContentLoader.add_constructor(FLOAT, ContentLoader.construct_yaml_float)
ContentLoader.add_constructor(TIMESTAMP, ContentLoader.construct_yaml_timestamp)
EscapesLoader.add_constructor(STR, EscapesLoader.construct_yaml_str)


@dataclass
class Loaded:
    data: object
    key_lines: dict[str, int]  # top-level key -> line in the file


def control_message(text: str) -> str | None:
    """Why `text` cannot be content, or None when it holds no control character."""
    match = CONTROL_RE.search(text)
    if match is None:
        return None
    return f"control character U+{ord(match[0]):04X} is not allowed in content: remove it"


def load_yaml(
    text: str,
    path: str,
    first_line: int,
    problems: list[Problem],
    where: str,
    syntax: str = "",
) -> Loaded | None:
    """Parse `text` (starting at `first_line` of `path`) into plain data, or record why not.

    `where` names the block in messages ("front matter"); `syntax` prefixes syntax errors
    (default "invalid <where>").
    """
    found = forbidden_tokens(text)
    loader = (EscapesLoader if "\\" in text else ContentLoader)(text)
    try:
        node = None if found else loader.get_single_node()
        found = found or shape_problems(node, merges="<<" in text)
        data = None if found or node is None else loader.construct_document(node)
    except Refused as exc:
        found = [(exc.problem_mark.line, exc.problem)]
    except yaml.YAMLError as exc:
        problems.append(syntax_problem(text, exc, path, first_line, syntax or f"invalid {where}"))
        return None
    finally:
        loader.dispose()
    if found:
        problems += [
            Problem(path, first_line + line, f"{where}: {message}") for line, message in found
        ]
        return None
    return Loaded(data, top_level_lines(node, first_line))


def forbidden_tokens(text: str) -> list[tuple[int, str]]:
    """Anchors, aliases and tags, found by the scanner alone (nothing is built)."""
    if "&" not in text and "*" not in text and "!" not in text:
        return []
    found = []
    try:
        for token in yaml.scan(text, Loader=FastLoader):
            message = FORBIDDEN_TOKENS.get(type(token))
            if message:
                found.append((token.start_mark.line, message))
    except yaml.YAMLError:
        return found  # the load reports the syntax error itself
    return found


def shape_problems(root: yaml.Node | None, merges: bool) -> list[tuple[int, str]]:
    """Collections nested deeper than MAX_DEPTH (later steps recurse through them), and,
    when `merges` says the text may hold them, merge keys."""
    stack = [(root, 1)] if isinstance(root, yaml.CollectionNode) else []
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [(node.start_mark.line, f"nested more than {MAX_DEPTH} levels deep")]
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = [n for pair in node.value for n in pair]
            merge = next((k for k, _ in node.value if k.tag == MERGE), None) if merges else None
            if merge is not None:
                return [(merge.start_mark.line, "merge keys (<<) are not allowed: write them out")]
        stack += [(c, depth + 1) for c in children if isinstance(c, yaml.CollectionNode)]
    return []


def top_level_lines(node: yaml.Node | None, first_line: int) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    lines: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            lines.setdefault(key.value, first_line + key.start_mark.line)
    return lines


def syntax_problem(
    text: str, exc: yaml.YAMLError, path: str, first_line: int, prefix: str
) -> Problem:
    """The syntax error at its line, in the pure-Python parser's words when it has them."""
    exc = pure_python_error(text) or exc
    mark = getattr(exc, "problem_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    reason = getattr(exc, "problem", None) or "not valid YAML"
    return Problem(path, line, f"{prefix}: {reason}")


def pure_python_error(text: str) -> yaml.YAMLError | None:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return exc
    except Exception:  # e.g. RecursionError where libyaml stopped at its nesting limit
        return None  # keep libyaml's message
    return None
