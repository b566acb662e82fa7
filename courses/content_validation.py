"""Validate content data with its model (courses/content_models.py) and say what is wrong.

Pure Python (no Django). pydantic reports each error with a location, a tuple of keys and
list indices like ('tiers', 2, 'libc'); the parser maps it to the YAML node's line. Here
each error becomes one sentence an author can act on: the field's own `errorMessage` phrase
when it has one, a sentence for each kind of structural error (a missing or unknown key, a
value that is not a mapping), and pydantic's wording only for what neither covers.
"""

from __future__ import annotations

import difflib
import re
from types import UnionType
from typing import Annotated, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from courses.content_models import ID_PATTERN

M = TypeVar("M", bound=BaseModel)
Located = tuple[tuple, str]  # (location in the data, message)

# Errors about a value's size: said with the limit, whatever the field's phrase.
LIMITS = {
    "string_too_long": "is longer than {max_length} characters",
    "too_long": "is longer than {max_length} characters",
    "less_than_equal": "must be at most {le}",
}
GENERIC = {
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "too_short": "must list at least {min_length}",
    "literal_error": "must be one of {expected}",
    "greater_than_equal": "must be at least {ge}",
}
# Errors whose message quotes the value the author wrote.
QUOTE_INPUT = {
    "string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type",
    "literal_error", "string_pattern_mismatch", "greater_than_equal", "greater_than",
    "less_than_equal", "finite_number",
}  # fmt: skip
MAX_QUOTE = 40
# Error types raised by the models' own validators, whose message is already a sentence.
CUSTOM = {"slug"}
ID_RE = re.compile(ID_PATTERN)


def validate(model: type[M], data: object) -> tuple[M | None, list[Located]]:
    """The model built from `data`, or None and every problem with its location."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, explain(model, data, error.errors(include_url=False))


def explain(model: type[BaseModel], data: object, errors: list[ErrorDetails]) -> list[Located]:
    """One (location, message) per problem; the missing keys of one mapping are one problem."""
    found: list[Located] = []
    missing: dict[tuple, list[str]] = {}
    renamed: set[tuple] = set()  # mappings using an old key name: not also "missing" the new
    for error in errors:
        loc, kind = tuple(error["loc"]), error["type"]
        if kind == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
        elif kind in ("extra_forbidden", "invalid_key"):
            key = error["input"] if kind == "invalid_key" else loc[-1]
            message, is_renamed = unknown_key(model, data, loc[:-1], key)
            found.append(((*loc[:-1], key), message))
            renamed |= {loc[:-1]} if is_renamed else set()
        else:
            found.append((loc, value_message(model, data, loc, error)))
    for parent, keys in missing.items():
        if parent not in renamed:
            found.append((parent, missing_message(model, data, parent, keys)))
    # A mapping's bad key and its bad value can say the same thing: say it once.
    return list(dict.fromkeys((tuple(p for p in loc if p != "[key]"), m) for loc, m in found))


def value_message(model: type[BaseModel], data: object, loc: tuple, error: ErrorDetails) -> str:
    """A value of the wrong type, form or size."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in CUSTOM:
        return error["msg"]  # a validator's own sentence
    steps, reached = walk(model, loc)
    if kind == "model_type" and model_in(reached):
        return model_message(reached) or f"{where(model, data, loc)} {mapping_of(reached)}"
    if not steps:
        return error["msg"]
    owner, name, info, _ = steps[-1]
    if not is_limit(kind, error.get("input")) and model_message(owner) and not phrase(info):
        return model_message(owner)
    if kind in LIMITS and is_limit(kind, error.get("input")):
        said = LIMITS[kind].format(**{k: plain(v) for k, v in ctx.items()})
    else:
        said = phrase(info) or GENERIC.get(kind, "").format(**ctx) or error["msg"]
        if kind in QUOTE_INPUT and loc[-1] == name:
            said += quote(error.get("input"))
    item = item_label(model, data, loc)
    return f"{item + ': ' if item else ''}'{name}' {said}"


def is_limit(kind: str, value: object) -> bool:
    """A database column's limit: a text's length or a whole number's size. (A number with a
    fraction has its range in its meaning, which the field's own phrase says.)"""
    if kind == "less_than_equal":
        return isinstance(value, int)
    return kind in LIMITS and isinstance(value, str)


def unknown_key(
    model: type[BaseModel], data: object, parent: tuple, key: object
) -> tuple[str, bool]:
    """What to say about a key the model does not have, and whether it is a renamed one."""
    _, owner = walk(model, parent)
    renamed = getattr(owner, "renamed", {})
    if key in renamed:
        old, new = (".".join(map(str, (*parent, k))) for k in (key, renamed[key]))
        return f"'{old}' is now '{new}': {owner.renamed_reason}", True
    allowed = list(owner.model_fields)
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    names = ", ".join(allowed)
    if not parent and owner.noun == "front matter":
        return f"unknown front matter key {key!r} ({hint}allowed: {names})", False
    prefix = f"{where(model, data, parent)}: " if parent else ""
    return f"{prefix}unknown key {key!r} ({hint}allowed: {names})", False


def missing_message(model: type[BaseModel], data: object, parent: tuple, keys: list[str]) -> str:
    _, owner = walk(model, parent)
    inner = model_in(owner.model_fields[keys[0]].annotation)
    if len(keys) == 1 and inner is not None and model_message(inner):
        return model_message(inner)
    if model_message(owner):
        return model_message(owner)
    return f"{where(model, data, parent) if parent else owner.noun} is missing {quoted(keys)}"


def mapping_of(model: type[BaseModel]) -> str:
    keys = required(model)
    return (
        f"must be a mapping with {quoted(keys)}"
        if len(keys) <= 4
        else "must be a mapping of its keys"
    )


# --- finding the model and field a location points into ---------------------------------------


def walk(model: type[BaseModel], loc: tuple) -> tuple[list[tuple], object]:
    """The (model, field name, FieldInfo, index in `loc`) of each model field along `loc`,
    and the type that `loc` reaches (a model class when it ends on one)."""
    steps: list[tuple] = []
    current: object = model
    for i, part in enumerate(loc):
        current = unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                break
            steps.append((current, part, info, i))
            current = info.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]
        else:
            break
    return steps, unwrap(current)


def unwrap(annotation: object) -> object:
    """`X` from `Annotated[X, ...]` and from `X | None`."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def model_in(annotation: object) -> type[BaseModel] | None:
    inner = unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def phrase(info: FieldInfo) -> str:
    """The field's errorMessage, also when it sits on one arm of `X | None`."""
    extras = [info.json_schema_extra]
    for arm in get_args(info.annotation):
        extras += [m.json_schema_extra for m in get_args(arm)[1:] if isinstance(m, FieldInfo)]
    return next((e["errorMessage"] for e in extras if isinstance(e, dict) and e), "")


def model_message(model: type[BaseModel]) -> str:
    extra = model.model_config.get("json_schema_extra")
    return extra.get("errorMessage", "") if isinstance(extra, dict) else ""


def required(model: type[BaseModel]) -> list[str]:
    return [name for name, info in model.model_fields.items() if info.is_required()]


# --- naming things in messages ------------------------------------------------------------------


def item_label(model: type[BaseModel], data: object, loc: tuple) -> str:
    """The innermost named list item `loc` passes through: "tier 'slim'", "rule #2"."""
    found = ""
    for owner, name, _, i in walk(model, loc)[0]:
        noun = owner.item_nouns.get(name)
        if noun and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            found = f"{noun} {item_name(at(data, loc[: i + 2]), loc[i + 1])}"
    return found


def item_name(item: object, index: int) -> str:
    """An item's id when it has a well-formed one, else its place in the list."""
    name = item.get("id") if isinstance(item, dict) else None
    if isinstance(name, str) and len(name) <= MAX_QUOTE and ID_RE.match(name):
        return repr(name)
    return f"#{index + 1}"


def where(model: type[BaseModel], data: object, loc: tuple) -> str:
    """How a message names the value at `loc`: "tier 'slim'", "rule #2", "picker"."""
    if not loc:
        return model.noun
    if isinstance(loc[-1], int):
        return item_label(model, data, loc) or f"item #{loc[-1] + 1}"
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def at(data: object, path: tuple) -> object:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def quoted(names: list[str]) -> str:
    """'a', 'b' and 'c'."""
    items = [f"'{n}'" for n in names]
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else items[0]


def quote(value: object) -> str:
    """', not <value>' for a short value; nothing for an empty one or a long one."""
    if value is None or value == "":
        return ""
    shown = str(value).lower() if isinstance(value, bool) else repr(plain(value))
    return f", not {shown}" if len(shown) <= MAX_QUOTE else ""


def plain(value: object) -> object:
    """1e9 as 1000000000: limits read as the author would write them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
