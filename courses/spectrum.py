"""The spectrum diagram's state: log-scale geometry, and the one mode the URL asks for.

Pure Python apart from gettext (no other Django). The template tag passes in the validated
fence data and the query parameters (as `urllib.parse.parse_qs` shapes them) and renders what
comes back, so the full page and its htmx fragment always show the same state for one URL.

A diagram shows one mode at a time: nothing, one tier (`?tier=`), two tiers compared
(`?compare=a,b`) or a recommendation (`?q-<question>=yes|no` for every picker question).
A URL that names several (links from before modes existed) gets the first of MODES that it
names: a recommendation, else a comparison, else a tier; the others' parameters are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext, gettext_lazy, ngettext

Params = Mapping[str, Sequence[str]]

ANSWERS = {"yes": True, "no": False}
# Precedence when one URL names several modes (see the module docstring).
MODES = ("recommend", "compare", "tier")
# What the tables list, in order: (label, tier field).
FACT_FIELDS = (
    (gettext_lazy("Size"), "size"),
    (gettext_lazy("Examples"), "examples"),
    (gettext_lazy("Shell"), "shell"),
    (gettext_lazy("Package manager"), "package_manager"),
    (gettext_lazy("C library"), "libc"),
    (gettext_lazy("Attack surface"), "attack_surface"),
    (gettext_lazy("Debuggability"), "debuggability"),
    (gettext_lazy("Typical use"), "typical_use"),
    (gettext_lazy("Common mistake"), "mistake"),
)
MAX_ECHO = 40  # longest user-supplied value quoted back in a message


@dataclass(frozen=True)
class Recommendation:
    tier: str
    because: str


@dataclass
class Mode:
    """What one diagram shows: `kind` is "" (plain), "tier", "compare" or "recommend"."""

    kind: str = ""
    tier: str = ""
    compare: list[str] = field(default_factory=list)
    answers: dict[str, bool] = field(default_factory=dict)
    recommendation: Recommendation | None = None
    messages: list[str] = field(default_factory=list)
    tried: list[str] = field(default_factory=list)  # a refused pair, kept in the compare form

    def params(self) -> list[tuple[str, str]]:
        """The canonical query parameters of this mode (unprefixed); none when plain."""
        if self.kind == "tier":
            return [("tier", self.tier)]
        if self.kind == "compare":
            return [("compare", ",".join(self.compare))]
        if self.kind == "recommend":
            return [(f"q-{k}", "yes" if v else "no") for k, v in self.answers.items()]
        return []


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


def last(params: Params, name: str) -> str:
    """The last non-blank value of a query parameter, stripped, or ""."""
    values = [v.strip() for v in params.get(name) or [] if v.strip()]
    return values[-1] if values else ""


def read_answers(
    questions: Sequence[Mapping], params: Params, pre: str = ""
) -> tuple[dict[str, bool], list[str]]:
    """Yes/no answers to the picker's questions, and a message for each value that is neither."""
    answers: dict[str, bool] = {}
    messages: list[str] = []
    for question in questions:
        value = last(params, f"{pre}q-{question['id']}")
        if not value:
            continue
        if value.lower() in ANSWERS:
            answers[question["id"]] = ANSWERS[value.lower()]
        else:
            messages.append(
                gettext("“%(value)s” is not an answer to “%(question)s”: choose yes or no.")
                % {"value": echo(value), "question": question["label"]}
            )
    return answers, messages


def read_compare(values: Sequence[str], tier_ids: Sequence[str]) -> tuple[list[str], str]:
    """Two distinct tier ids from `compare=a,b` (or the form's repeated `compare`), or a message."""
    picked = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if not picked:
        return [], ""
    unknown = [v for v in picked if v not in tier_ids]
    if unknown:
        return [], gettext("Cannot compare: there is no tier “%(tier)s” in this diagram.") % {
            "tier": echo(unknown[0])
        }
    if len(picked) != 2 or picked[0] == picked[1]:
        return [], gettext("To compare, pick two different tiers (for example slim and alpine).")
    return picked, ""


def echo(value: str) -> str:
    """A user-supplied value, shortened before it is quoted back."""
    return value if len(value) <= MAX_ECHO else value[: MAX_ECHO - 1] + "…"


def asked_for(diagram: Mapping, params: Params, pre: str) -> list[str]:
    """The modes whose parameters the URL carries (non-blank), in order of precedence."""
    questions = (diagram.get("picker") or {}).get("questions", [])
    present = {
        "recommend": any(last(params, f"{pre}q-{q['id']}") for q in questions),
        "compare": any(v.strip() for v in params.get(f"{pre}compare") or []),
        "tier": bool(last(params, f"{pre}tier")),
    }
    return [mode for mode in MODES if present[mode]]


def read_mode(diagram: Mapping, params: Params, pre: str = "") -> Mode:
    """The one mode these parameters ask for; invalid values give the plain mode and a message."""
    wanted = asked_for(diagram, params, pre)
    if not wanted:
        return Mode()
    ids = [t["id"] for t in diagram["tiers"]]
    if wanted[0] == "recommend":
        picker = diagram["picker"]
        answers, messages = read_answers(picker["questions"], params, pre)
        count = len(picker["questions"])
        if messages:
            return Mode(answers=answers, messages=messages)
        if len(answers) < count:
            message = ngettext(
                "Answer the question for a recommendation.",
                "Answer all %(count)d questions for a recommendation.",
                count,
            ) % {"count": count}
            return Mode(answers=answers, messages=[message])
        found = recommend(picker["rules"], answers)
        if found is None:  # the validator requires a catch-all rule; this is belt and braces
            return Mode(answers=answers, messages=[gettext("No rule matches these answers.")])
        return Mode("recommend", answers=answers, recommendation=found)
    if wanted[0] == "compare":
        values = params.get(f"{pre}compare") or []
        picked, problem = read_compare(values, ids)
        if picked:
            return Mode("compare", compare=picked)
        tried = [v.strip() for value in values for v in value.split(",") if v.strip() in ids]
        return Mode(messages=[problem], tried=tried[:2] if len(tried) == 2 else [])
    tier = last(params, f"{pre}tier")
    if tier in ids:
        return Mode("tier", tier=tier)
    message = gettext("There is no tier “%(tier)s” in this diagram: pick one of the tiers above.")
    return Mode(messages=[message % {"tier": echo(tier)}])


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
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def fact(tier: Mapping, name: str) -> dict:
    """One field of a tier for a table cell: its text, and image names listed apart."""
    value = tier[name]
    return {"text": shown(value), "items": value if isinstance(value, list) else None}


def fact_rows(tiers: Sequence[Mapping]) -> list[dict]:
    """A table with one row per trade-off and one column per tier; rows marked where all agree."""
    return [
        {
            "label": label,
            "cells": [fact(t, name) for t in tiers],
            "differs": len({shown(t[name]) for t in tiers}) > 1,
        }
        for label, name in FACT_FIELDS
    ]


def status(mode: Mode, by_id: Mapping[str, Mapping]) -> str:
    """The line read out when the diagram changes."""
    if mode.kind == "tier":
        tier = by_id[mode.tier]
        return gettext("Showing %(name)s, %(size)s.") % {"name": tier["name"], "size": tier["size"]}
    if mode.kind == "compare":
        first, second = (by_id[c]["name"] for c in mode.compare)
        return gettext("Comparing %(first)s and %(second)s.") % {"first": first, "second": second}
    if mode.kind == "recommend":
        name = by_id[mode.recommendation.tier]["name"]
        return gettext("Recommended: %(name)s.") % {"name": name}
    return " ".join(mode.messages) or gettext("Nothing selected: the whole spectrum is shown.")


def build_state(diagram: Mapping, params: Params, index: int = 0) -> dict:
    """Everything the spectrum template shows for these query parameters."""
    pre = prefix(index)
    tiers = diagram["tiers"]
    by_id = {t["id"]: t for t in tiers}
    mode = read_mode(diagram, params, pre)
    recommended = mode.recommendation.tier if mode.recommendation else ""
    lo, hi = log_range([t["size_mb"] for t in tiers])
    rows = [
        {
            **t,
            "pct": max(position(t["size_mb"], lo, hi), 1.5),
            "selected": t["id"] == mode.tier,
            "compared": t["id"] in mode.compare,
            "recommended": t["id"] == recommended,
            "query": urlencode([(pre + "tier", t["id"])]),
            "facts": [(label, fact(t, name)) for label, name in FACT_FIELDS],
        }
        for t in tiers
    ]
    row_by_id = {r["id"]: r for r in rows}
    compared = [row_by_id[c] for c in mode.compare]
    picker = diagram.get("picker")
    ids = list(by_id)
    pair = mode.compare or mode.tried or (ids[1:3] if len(ids) > 2 else ids)
    return {
        "id": f"spectrum-{index}",
        "index": index,
        "prefix": pre,
        "mode": mode.kind,
        "title": diagram["title"],
        "caption": diagram.get("caption", ""),
        "axis": diagram["axis"],
        "tiers": rows,
        "ticks": ticks(lo, hi),
        "selected": row_by_id.get(mode.tier or recommended),
        "compare": compared,
        "compare_rows": fact_rows(compared) if compared else [],
        "all_rows": fact_rows(tiers),
        "compare_selects": [
            {"key": key, "label": label, "value": value}
            for key, label, value in zip(
                "ab",
                (gettext("Compare"), gettext("with")),
                pair,
                strict=False,
            )
        ],
        "picker": {
            "questions": [
                {**q, "name": f"{pre}q-{q['id']}", "answer": mode.answers.get(q["id"])}
                for q in picker["questions"]
            ],
            "recommendation": mode.recommendation
            and {"tier": by_id[recommended], "because": mode.recommendation.because},
        }
        if picker
        else None,
        "messages": mode.messages,
        "status": status(mode, by_id),
        "query": urlencode([(pre + k, v) for k, v in mode.params()]),
    }


def answer_state(diagram: Mapping, choices: Sequence[tuple[str, str]]) -> dict:
    """A question's answer mode: its (tier id, choice token) pairs as tiers on the diagram.

    `diagram` is the question's copy (quizzes.models.Question.diagram); the bars share the
    whole diagram's log scale, so they match the diagram on the page.
    """
    tiers = diagram["tiers"]
    by_id = {t["id"]: t for t in tiers}
    lo, hi = log_range([t["size_mb"] for t in tiers])
    return {
        "title": diagram["title"],
        "axis": diagram["axis"],
        "ticks": ticks(lo, hi),
        "tiers": [
            {
                "token": token,
                "name": by_id[tier]["name"],
                "size": by_id[tier]["size"],
                "pct": max(position(by_id[tier]["size_mb"], lo, hi), 1.5),
            }
            for tier, token in choices
            if tier in by_id
        ],
    }
