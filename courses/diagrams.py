"""Diagram kinds authored as fenced YAML data: finding the fences, and validating them.

Pure Python. Each kind has a model (courses/content_models.py) and a check of the references
between its values; every problem comes back as (line offset in the fence, message), so the
parser can report `path:line`. Adding a kind means adding a model here and a template
partial for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import yaml
from pydantic import BaseModel

from courses.content_models import Spectrum, spectrum_references
from courses.content_questions import FENCE_RE
from courses.content_validation import Located, validate
from courses.content_yaml import load_yaml
from courses.fences import is_known_language
from courses.sources import DiagramSource, Problem

Errors = list[tuple[int, str]]
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class DiagramKind:
    model: type[BaseModel]
    # Rules between values (unique ids, references), checked once the model accepts the data.
    references: Callable[[BaseModel], list[Located]]


DIAGRAM_KINDS: dict[str, DiagramKind] = {
    "spectrum": DiagramKind(Spectrum, spectrum_references),
}


def key_lines(block: list[str]) -> dict[tuple, int]:
    """Map YAML paths like ('tiers', 2, 'libc') to 0-based line offsets within the block."""
    lines: dict[tuple, int] = {}
    try:
        root = yaml.compose("\n".join(block), Loader=FastLoader)
    except yaml.YAMLError:
        return lines

    def walk(node, path: tuple) -> None:
        lines[path] = node.start_mark.line
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return lines


def line_at(lines: dict[tuple, int], loc: tuple) -> int:
    """The line offset of the YAML node at `loc`, or of the nearest enclosing one.

    A mapping's path names the line its value starts on; a key missing from the YAML is
    reported at the mapping that lacks it.
    """
    path = tuple(part for part in loc if part != "[key]")
    while path:
        if path in lines:
            return lines[path]
        # A key YAML read as a number or yes/no: pydantic names it by value, YAML by text.
        spelled = (*path[:-1], str(path[-1]).lower())
        if spelled in lines:
            return lines[spelled]
        path = path[:-1]
    return lines.get((), 0)


def validate_diagram(kind: str, data: object, block: list[str]) -> Errors:
    """Validate a diagram fence's parsed YAML for its kind: (line offset, message) pairs."""
    spec = DIAGRAM_KINDS[kind]
    model, found = validate(spec.model, data)
    if model is not None:
        found = spec.references(model)
    if not found:
        return []
    # Composing the YAML again for line numbers costs as much as parsing it: only on error.
    lines = key_lines(block)
    return [(line_at(lines, loc), message) for loc, message in found]


# --- diagram fences in a topic body (called by the parser) ------------------------------


def find_diagrams(
    lines: list[str], path: str, first_line: int, problems: list[Problem]
) -> list[DiagramSource]:
    """Collect diagram fences (validating their data) and reject unknown fence kinds."""
    diagrams: list[DiagramSource] = []
    i = 0
    while i < len(lines):
        match = FENCE_RE.match(lines[i])
        if not match:
            i += 1
            continue
        marker, info, start = match["fence"], match["info"].lower(), i
        i += 1
        block: list[str] = []
        while i < len(lines):
            close = FENCE_RE.match(lines[i])
            if (
                close
                and close["fence"][0] == marker[0]
                and len(close["fence"]) >= len(marker)
                and not close["info"]
            ):
                break
            block.append(lines[i])
            i += 1
        else:
            problems.append(Problem(path, first_line + start, "code fence is never closed"))
        i += 1
        line_no = first_line + start
        if info in DIAGRAM_KINDS:
            diagram = parse_diagram(info, block, path, line_no, problems)
            if diagram is not None:
                diagrams.append(diagram)
        elif info and not is_known_language(info):
            kinds = ", ".join(sorted(DIAGRAM_KINDS))
            problems.append(
                Problem(
                    path,
                    line_no,
                    f"unknown fence kind '{info}': not a diagram kind ({kinds}) "
                    "nor a highlighting language",
                )
            )
    return diagrams


def parse_diagram(
    kind: str, block: list[str], path: str, line: int, problems: list[Problem]
) -> DiagramSource | None:
    loaded = load_yaml(
        "\n".join(block),
        path,
        line + 1,
        problems,
        f"{kind} diagram",
        syntax=f"malformed {kind} diagram YAML",
    )
    if loaded is None:
        return None
    data = loaded.data
    errors = validate_diagram(kind, data, block)
    for offset, message in errors:
        problems.append(Problem(path, line + 1 + offset, f"{kind} diagram: {message}"))
    return None if errors else DiagramSource(kind, data, line)
