"""The spectrum diagram's state: log-scale geometry, tier selection, comparison and the picker.

Pure Python (no Django). The template tag passes in the validated fence data and the query
parameters (as `urllib.parse.parse_qs` shapes them) and renders what comes back, so the full
page and its htmx fragment always show the same state for the same URL.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

Params = Mapping[str, Sequence[str]]

ANSWERS = {"yes": True, "no": False}
# What the compare table lists, in order: (label, tier field).
COMPARE_FIELDS = (
    ("Size", "size"),
    ("Examples", "examples"),
    ("Shell", "shell"),
    ("Package manager", "package_manager"),
    ("C library", "libc"),
    ("Attack surface", "attack_surface"),
    ("Debuggability", "debuggability"),
    ("Typical use", "typical_use"),
    ("Common mistake", "mistake"),
)
MAX_ECHO = 40  # longest user-supplied value quoted back in a message


@dataclass(frozen=True)
class Recommendation:
    tier: str
    because: str


def prefix(index: int) -> str:
    """Query-parameter prefix of the index-th diagram on a page: none for the first one."""
    return "" if index == 0 else f"d{index}-"


def recommend(rules: Sequence[Mapping], answers: Mapping[str, bool]) -> Recommendation | None:
    """The first rule whose `when` matches the answers; an unanswered question never matches."""
    for rule in rules:
        when = rule.get("when") or {}
        if all(key in answers and answers[key] is value for key, value in when.items()):
            return Recommendation(rule["recommend"], rule["because"])
    return None


def read_answers(
    questions: Sequence[Mapping], params: Params, pre: str = ""
) -> tuple[dict[str, bool], list[str]]:
    """Yes/no answers to the picker's questions, and a message for each value that is neither."""
    answers: dict[str, bool] = {}
    messages: list[str] = []
    for question in questions:
        values = params.get(f"{pre}q-{question['id']}")
        if not values:
            continue
        value = values[-1].strip().lower()
        if value in ANSWERS:
            answers[question["id"]] = ANSWERS[value]
        else:
            messages.append(
                f"“{echo(values[-1])}” is not an answer to “{question['label']}”: choose yes or no."
            )
    return answers, messages


def read_compare(values: Sequence[str], tier_ids: Sequence[str]) -> tuple[list[str], str]:
    """Two distinct tier ids from `compare=a,b` (or the form's repeated `compare`), or a message."""
    picked = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if not picked:
        return [], ""
    unknown = [v for v in picked if v not in tier_ids]
    if unknown:
        return [], f"Cannot compare: there is no tier “{echo(unknown[0])}” in this diagram."
    if len(picked) != 2 or picked[0] == picked[1]:
        return [], "To compare, pick two different tiers (for example slim and alpine)."
    return picked, ""


def echo(value: str) -> str:
    """A user-supplied value, shortened before it is quoted back."""
    return value if len(value) <= MAX_ECHO else value[: MAX_ECHO - 1] + "…"


def log_range(sizes: Sequence[float]) -> tuple[int, int]:
    """Decade exponents bounding the sizes, so the smallest bar is never zero-width."""
    lo = math.ceil(math.log10(min(sizes))) - 1
    hi = max(math.ceil(math.log10(max(sizes))), lo + 1)
    return lo, hi


def position(size: float, lo: int, hi: int) -> float:
    """Where a size sits on the log axis, in percent of its length."""
    return round((math.log10(size) - lo) / (hi - lo) * 100, 2)


def format_mb(mb: float) -> str:
    """A tick label in decimal units: 0.1 -> '100 KB', 1000 -> '1 GB'."""
    if mb >= 1000:
        return f"{mb / 1000:g} GB"
    if mb >= 1:
        return f"{mb:g} MB"
    return f"{mb * 1000:g} KB"


def ticks(lo: int, hi: int) -> list[dict]:
    """One labelled tick per decade of the axis."""
    return [
        {"pct": position(10.0**e, lo, hi), "label": format_mb(10.0**e)} for e in range(lo, hi + 1)
    ]


def shown(value: object) -> str:
    """A tier field as text for tables."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def build_state(diagram: Mapping, params: Params, index: int = 0) -> dict:
    """Everything the spectrum template shows for these query parameters."""
    pre = prefix(index)
    tiers = diagram["tiers"]
    ids = [t["id"] for t in tiers]
    by_id = {t["id"]: t for t in tiers}
    messages: list[str] = []

    tier = (params.get(f"{pre}tier") or [""])[-1].strip()
    if tier and tier not in by_id:
        messages.append(f"There is no tier “{echo(tier)}” in this diagram: pick one below.")
        tier = ""
    compare, problem = read_compare(params.get(f"{pre}compare") or [], ids)
    if problem:
        messages.append(problem)

    picker = diagram.get("picker")
    answers: dict[str, bool] = {}
    recommendation = None
    if picker:
        answers, problems = read_answers(picker["questions"], params, pre)
        messages += problems
        missing = len(picker["questions"]) - len(answers)
        if answers and not problems and missing:
            messages.append(
                f"Answer all {len(picker['questions'])} questions for a recommendation."
            )
        elif answers and not missing:
            recommendation = recommend(picker["rules"], answers)

    # Canonical state: only valid values, so links drop whatever was wrong with the URL.
    state = {"tier": tier, "compare": ",".join(compare)}
    state.update({f"q-{k}": "yes" if v else "no" for k, v in answers.items()})

    def query(**changes: str) -> str:
        merged = {**state, **{k.replace("_", "-"): v for k, v in changes.items()}}
        return urlencode([(pre + k, v) for k, v in merged.items() if v])

    def hidden(*keep: str) -> list[tuple[str, str]]:
        """State other forms carry along, as (name, value) hidden inputs."""
        return [(pre + k, v) for k, v in state.items() if v and (k in keep or k.startswith("q-"))]

    lo, hi = log_range([t["size_mb"] for t in tiers])
    shown_id = tier or (recommendation.tier if recommendation else "")
    rows = [
        {
            **t,
            "pct": max(position(t["size_mb"], lo, hi), 1.5),
            "selected": t["id"] == shown_id,
            "recommended": recommendation is not None and t["id"] == recommendation.tier,
            "query": query(tier=t["id"]),
            "facts": [(label, shown(t[field])) for label, field in COMPARE_FIELDS],
        }
        for t in tiers
    ]
    selected = next((r for r in rows if r["selected"]), None)
    compared = [next(r for r in rows if r["id"] == c) for c in compare]
    status = []
    if selected:
        status.append(f"Showing {selected['name']}, {selected['size']}.")
    if recommendation:
        status.append(f"Recommended: {by_id[recommendation.tier]['name']}.")
    if compared:
        status.append(f"Comparing {compared[0]['name']} and {compared[1]['name']}.")
    return {
        "id": f"spectrum-{index}",
        "index": index,
        "prefix": pre,
        "title": diagram["title"],
        "caption": diagram.get("caption", ""),
        "axis": diagram["axis"],
        "tiers": rows,
        "ticks": ticks(lo, hi),
        "selected": selected,
        "clear_query": query(tier=""),
        "compare": compared,
        "compare_rows": [
            {
                "label": label,
                "values": [shown(c[field]) for c in compared],
                "differs": len({shown(c[field]) for c in compared}) > 1,
            }
            for label, field in COMPARE_FIELDS
        ]
        if compared
        else [],
        "compare_selects": [
            {"key": key, "label": label, "value": value}
            for key, label, value in zip(
                "ab",
                ("Compare", "with"),
                compare or (ids[1:3] if len(ids) > 2 else ids),
                strict=False,
            )
        ],
        "compare_hidden": hidden("tier"),
        "clear_compare_query": query(compare=""),
        "picker": {
            "questions": [
                {**q, "name": f"{pre}q-{q['id']}", "answer": answers.get(q["id"])}
                for q in picker["questions"]
            ],
            "recommendation": recommendation
            and {"tier": by_id[recommendation.tier], "because": recommendation.because},
            "hidden": [
                (n, v) for n, v in hidden("tier", "compare") if not n.startswith(pre + "q-")
            ],
        }
        if picker
        else None,
        "messages": messages,
        "status": " ".join(status),
        "query": query(),
    }
