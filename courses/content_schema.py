"""JSON Schemas of the content format, generated from its models, for editors and CI.

Pure Python (no Django). `manage.py content_schema` writes them to docs/schema/; a test
fails when the committed files differ from what the models generate. They are draft-07
(`definitions`, not `$defs`): the draft VS Code's YAML and JSON language servers fully
support. Rules between values (unique ids, a rule recommending a tier that exists) are
beyond JSON Schema; `load_content --check` reports those.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from courses.content_models import ChapterFront, CourseFront, Spectrum, TopicFront

DRAFT = "http://json-schema.org/draft-07/schema#"
# File stem -> (model, title shown by editors).
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "course": (CourseFront, "Coursedeck course.md front matter"),
    "chapter": (ChapterFront, "Coursedeck chapter.md front matter"),
    "topic": (TopicFront, "Coursedeck topic front matter"),
    "spectrum": (Spectrum, "Coursedeck spectrum diagram (the YAML inside ```spectrum)"),
}


class AuthorSchema(GenerateJsonSchema):
    """Without pydantic's per-field titles ("Size Mb"): editors show the key and its
    description, and the title would only repeat the key."""

    def field_title_should_be_set(self, schema) -> bool:
        return False


def schema_for(name: str) -> dict:
    """The JSON Schema of one model, as written to docs/schema/<name>.schema.json."""
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(
        schema_generator=AuthorSchema, ref_template="#/definitions/{model}"
    )
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {"$schema": DRAFT, **tidy(schema), "title": title}


def tidy(node: object) -> object:
    """Drop `default: null`: an optional key left out is not a key set to null."""
    if isinstance(node, dict):
        return {k: tidy(v) for k, v in node.items() if not (k == "default" and v is None)}
    if isinstance(node, list):
        return [tidy(v) for v in node]
    return node


def render(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; return the files whose content changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        text = render(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[Path]:
    """The schema files in `folder` that are missing or differ from the models."""
    return [
        folder / f"{name}.schema.json"
        for name in SCHEMAS
        if not (folder / f"{name}.schema.json").is_file()
        or (folder / f"{name}.schema.json").read_text(encoding="utf-8") != render(name)
    ]
