"""`load_content --format=github|json`: a load's or a check's outcome for machines.

Pure Python (no Django at run time). Both formats name each file relative to the working
directory, so a CI job run from the repository root gets paths GitHub can annotate and a
script can open, wherever the content tree sits.

- `github`: one workflow command per problem (https://docs.github.com/actions/reference/
  workflow-commands-for-github-actions): `::error` for what blocks the load, `::warning`
  for lint warnings, `::notice` for effects on learner data; then the counts as plain lines.
- `json`: one object, versioned by `schema_version` (bump it when a key changes meaning or
  goes away; adding keys is compatible).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from courses.sources import Problem

if TYPE_CHECKING:
    from courses.importer import LoadReport

SCHEMA_VERSION = 1
KINDS = ("courses", "chapters", "topics", "questions")
OUTCOMES = ("created", "updated", "unchanged", "retired")
WARNING_PREFIX = "warning: "


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ',' and ':', which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def file_of(problem: Problem, root: Path) -> str:
    """The problem's file relative to the working directory (its path starts at root's name)."""
    relative = Path(*Path(problem.path).parts[1:]) if Path(root).name else Path(problem.path)
    if problem.path == str(root):  # the root itself ("content directory does not exist")
        relative = Path()
    return os.path.relpath(Path(root) / relative)


def annotation(command: str, problem: Problem, root: Path, title: str = "") -> str:
    properties = [f"file={escape_property(file_of(problem, root))}"]
    if problem.line > 0:  # GitHub counts lines from 1; 0 means "the file as a whole"
        properties.append(f"line={problem.line}")
    if title:
        properties.append(f"title={escape_property(title)}")
    message = problem.message.removeprefix(WARNING_PREFIX)
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def github_lines(root: Path, errors: list[Problem], report: LoadReport | None) -> list[str]:
    """Workflow commands for every problem, warning and impact, then the counts."""
    lines = [annotation("error", p, root) for p in errors]
    if report is None:
        return lines
    lines += [annotation("warning", p, root) for p in report.warnings]
    lines += [annotation("notice", p, root, "Learner data") for p in report.impact]
    lines += report.summary().splitlines()
    return lines


def entries(problems: Iterable[Problem], root: Path) -> list[dict]:
    return [
        {
            "file": file_of(p, root),
            "line": p.line,
            "message": p.message.removeprefix(WARNING_PREFIX),
        }
        for p in problems
    ]


def table(counts: dict) -> dict:
    """Every kind and outcome, zeros included, so consumers need no defaults."""
    return {kind: {o: counts.get(kind, {}).get(o, 0) for o in OUTCOMES} for kind in KINDS}


def json_report(
    root: Path, errors: list[Problem], report: LoadReport | None, *, check: bool
) -> str:
    """The whole outcome as one JSON document; `counts` is null when nothing could load."""
    counts = None
    if report is not None:
        counts = {
            "total": table(report.counts),
            "courses": {slug: table(c) for slug, c in sorted(report.by_course.items())},
        }
    document = {
        "schema_version": SCHEMA_VERSION,
        "check": check,
        "root": os.path.relpath(root),
        "ok": not errors,
        "errors": entries(errors, root),
        "warnings": entries(report.warnings if report else [], root),
        "impact": entries(report.impact if report else [], root),
        "counts": counts,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
