"""Diagram kinds authored as fenced YAML data: finding the fences, and validating them.

Pure Python. Each kind maps to a validator returning (line offset in the fence, message)
pairs, so the parser can report `path:line`. Adding a kind means adding a validator here
and a template partial for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml

from courses.content_questions import FENCE_RE
from courses.content_yaml import load_yaml
from courses.fences import is_known_language
from courses.sources import DiagramSource, Problem

Errors = list[tuple[int, str]]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LIBC_VALUES = ("glibc", "musl", "none")
TIER_TEXT_FIELDS = (
    "name",
    "size",
    "summary",
    "attack_surface",
    "debuggability",
    "typical_use",
    "mistake",
)
TIER_FIELDS = ("id", *TIER_TEXT_FIELDS, "examples", "size_mb", "shell", "package_manager", "libc")
# Axis keys before the labels named the list's ends (see axis_problems): old -> new.
OLD_AXIS_KEYS = {"debuggable": "top", "smaller": "bottom"}
# The axis is drawn one tick per decade between these: 1 KB to 1 PB.
SIZE_MB_RANGE = (0.001, 1_000_000_000)
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def validate_spectrum(data: object, block: list[str]) -> Errors:
    """An ordered list of tiers, each with its size and trade-offs; an optional picker."""
    found: list[dict[tuple, int]] = []

    def at(*path) -> int:
        # Composing the YAML again for line numbers costs as much as parsing it: only on error.
        if not found:
            found.append(key_lines(block))
        lines = found[0]
        while path and path not in lines:
            path = path[:-1]
        return lines.get(path, 0)

    if not isinstance(data, dict):
        return [(0, "expected a mapping with 'title' and 'tiers'")]
    errors: Errors = []
    for key in data:
        if key not in {"title", "caption", "axis", "tiers", "picker"}:
            errors.append((at(key), f"unknown key '{key}'"))
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        errors.append((at("title"), "'title' must be non-empty text"))
    if "caption" in data and not isinstance(data["caption"], str):
        errors.append((at("caption"), "'caption' must be text"))
    errors += axis_problems(data.get("axis"), at)
    tiers = data.get("tiers")
    if not isinstance(tiers, list) or len(tiers) < 2:
        errors.append((at("tiers"), "'tiers' must list at least two tiers"))
        return errors
    ids: set[str] = set()
    for i, tier in enumerate(tiers):
        if not isinstance(tier, dict):
            errors.append((at("tiers", i), f"tier {i + 1} must be a mapping of its fields"))
            continue
        tier_id = tier.get("id")
        label = tier_id if isinstance(tier_id, str) and ID_RE.match(tier_id) else f"#{i + 1}"
        for key in tier:
            if key not in TIER_FIELDS:
                errors.append((at("tiers", i, key), f"tier '{label}': unknown field '{key}'"))
        missing = [f for f in TIER_FIELDS if f not in tier]
        if missing:
            errors.append((at("tiers", i), f"tier '{label}' is missing {', '.join(missing)}"))
        if "id" in tier and (not isinstance(tier_id, str) or not ID_RE.match(tier_id)):
            errors.append(
                (
                    at("tiers", i, "id"),
                    f"tier id {tier_id!r} must be lowercase letters, digits and hyphens",
                )
            )
        elif tier_id in ids:
            errors.append((at("tiers", i, "id"), f"duplicate tier id '{tier_id}'"))
        if isinstance(tier_id, str):
            ids.add(tier_id)
        for field in TIER_TEXT_FIELDS:
            if field in tier and (not isinstance(tier[field], str) or not tier[field].strip()):
                errors.append(
                    (at("tiers", i, field), f"tier '{label}': '{field}' must be non-empty text")
                )
        if "size_mb" in tier and (message := size_problem(tier["size_mb"])):
            errors.append((at("tiers", i, "size_mb"), f"tier '{label}': 'size_mb' {message}"))
        for field in ("shell", "package_manager"):
            if field in tier and not isinstance(tier[field], bool):
                errors.append(
                    (at("tiers", i, field), f"tier '{label}': '{field}' must be true or false")
                )
        if "libc" in tier and tier["libc"] not in LIBC_VALUES:
            errors.append(
                (
                    at("tiers", i, "libc"),
                    f"tier '{label}': 'libc' must be one of {', '.join(LIBC_VALUES)}",
                )
            )
        examples = tier.get("examples")
        if "examples" in tier and (
            not isinstance(examples, list)
            or not examples
            or not all(isinstance(e, str) for e in examples)
        ):
            errors.append(
                (at("tiers", i, "examples"), f"tier '{label}': 'examples' must list image names")
            )
    if "picker" in data:
        errors += validate_picker(data["picker"], ids, at)
    return errors


def axis_problems(axis: object, at: Callable[..., int]) -> Errors:
    """The labels of the list's two ends: what the tier order means (the bars show size)."""
    if isinstance(axis, dict) and set(axis) & set(OLD_AXIS_KEYS):
        # Fences from before 'top'/'bottom' named the bottom end 'smaller', which the bars
        # contradicted whenever a tier lower down was bigger: make the author relabel it.
        key = next(k for k in axis if k in OLD_AXIS_KEYS)
        return [
            (
                at("axis", key),
                f"'axis.{key}' is now 'axis.{OLD_AXIS_KEYS[key]}': 'top' and 'bottom' label "
                "the two ends of the tier order (the bars show size, so do not call an end "
                "'smaller' unless every tier below is smaller)",
            )
        ]
    if (
        not isinstance(axis, dict)
        or set(axis) != {"top", "bottom"}
        or not all(isinstance(v, str) and v.strip() for v in axis.values())
    ):
        return [(at("axis"), "'axis' must map 'top' and 'bottom' to text")]
    return []


def size_problem(size: object) -> str:
    """What is wrong with a tier's `size_mb`, or "" (the axis needs a finite log scale)."""
    if isinstance(size, bool) or not isinstance(size, int | float) or not size > 0:
        return "must be a positive number"
    low, high = SIZE_MB_RANGE
    if not low <= size <= high:  # also false for NaN and infinity
        return f"must be between {low:g} and {high:,}"
    return ""


def validate_picker(picker: object, tier_ids: set[str], at: Callable[..., int]) -> Errors:
    """Questions answered yes/no, and rules (first match wins) that recommend a tier."""
    if not isinstance(picker, dict):
        return [(at("picker"), "'picker' must have 'questions' and 'rules'")]
    errors: Errors = [
        (at("picker", key), f"picker: unknown key {key!r}")
        for key in picker
        if key not in {"questions", "rules"}
    ]
    questions = picker.get("questions")
    qids: set[str] = set()
    if not isinstance(questions, list) or not questions:
        errors.append((at("picker"), "'picker' needs a list of 'questions'"))
        questions = []
    for i, q in enumerate(questions):
        if (
            not isinstance(q, dict)
            or set(q) != {"id", "label"}
            or not isinstance(q.get("id"), str)
            or not isinstance(q.get("label"), str)
        ):
            errors.append(
                (
                    at("picker", "questions", i),
                    "each picker question needs 'id' and 'label', nothing else",
                )
            )
            continue
        if not ID_RE.match(q["id"]):
            errors.append(
                (
                    at("picker", "questions", i, "id"),
                    f"question id {q['id']!r} must be lowercase letters, digits and hyphens",
                )
            )
        elif q["id"] in qids:
            errors.append(
                (at("picker", "questions", i, "id"), f"duplicate question id '{q['id']}'")
            )
        qids.add(q["id"])
    rules = picker.get("rules")
    if not isinstance(rules, list) or not rules:
        errors.append((at("picker"), "'picker' needs a list of 'rules'"))
        rules = []
    for i, rule in enumerate(rules):
        where = ("picker", "rules", i)
        if not isinstance(rule, dict) or not set(rule) <= {"when", "recommend", "because"}:
            errors.append(
                (at(*where), "each rule has 'recommend', 'because' and an optional 'when'")
            )
            continue
        when = rule.get("when", {})
        if not isinstance(when, dict) or any(
            k not in qids or not isinstance(v, bool) for k, v in when.items()
        ):
            errors.append(
                (at(*where, "when"), "'when' must map picker question ids to true or false")
            )
        recommend = rule.get("recommend")
        if not isinstance(recommend, str) or recommend not in tier_ids:
            errors.append(
                (
                    at(*where, "recommend"),
                    f"'recommend' must be a tier id, not {rule.get('recommend')!r}",
                )
            )
        if not isinstance(rule.get("because"), str) or not rule["because"].strip():
            errors.append((at(*where, "because"), "'because' must explain the recommendation"))
    if rules and all(isinstance(r, dict) and r.get("when") for r in rules):
        errors.append(
            (
                at("picker", "rules"),
                "the last rule should have no 'when' so every answer gets a recommendation",
            )
        )
    return errors


DIAGRAM_KINDS: dict[str, Callable[[object, list[str]], Errors]] = {
    "spectrum": validate_spectrum,
}


def validate_diagram(kind: str, data: object, block: list[str]) -> Errors:
    """Validate a diagram fence's parsed YAML for its kind."""
    return DIAGRAM_KINDS[kind](data, block)


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
