"""The JSON Schemas in docs/schema/: generated from the content models, current, and true to
the shipped content (what editors check as authors type)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from jsonschema import Draft7Validator

from courses.content_front import check_front_matter, split_front_matter
from courses.content_schema import SCHEMAS
from courses.content_tree import parse_content
from tests.factories import FIXTURE_COURSE, SECOND_COURSE, SHIPPED_CONTENT

SCHEMA_DIR = Path(settings.BASE_DIR) / "docs" / "schema"


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def kind_of(path: Path) -> str:
    return {"course.md": "course", "chapter.md": "chapter"}.get(path.name, "topic")


def front_matter_files() -> list[Path]:
    roots = (SHIPPED_CONTENT, FIXTURE_COURSE, SECOND_COURSE)
    return sorted(p for root in roots for p in root.rglob("*.md") if p.name != "README.md")


def test_committed_schemas_are_what_the_models_generate():
    """Fails after a model change until `manage.py content_schema` is run and committed."""
    call_command("content_schema", "--check", stdout=StringIO())


def test_check_fails_on_an_out_of_date_schema(tmp_path):
    call_command("content_schema", "--output", str(tmp_path), stdout=StringIO())
    (tmp_path / "topic.schema.json").write_text("{}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"out of date: .*topic\.schema\.json"):
        call_command("content_schema", "--output", str(tmp_path), "--check", stdout=StringIO())


def test_command_writes_one_schema_per_model(tmp_path):
    out = StringIO()
    call_command("content_schema", "--output", str(tmp_path), stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMAS
    )
    assert "4 changed" in out.getvalue()


@pytest.mark.parametrize("path", front_matter_files(), ids=lambda p: p.name)
def test_shipped_front_matter_is_valid_under_its_schema(path):
    data, *_ = split_front_matter(path.read_text(encoding="utf-8"), str(path), [])
    assert list(validator(kind_of(path)).iter_errors(data)) == []


def test_shipped_spectrum_fences_are_valid_under_the_schema():
    fences = [d.data for c in parse_content(SHIPPED_CONTENT) for t in c.topics for d in t.diagrams]
    assert fences
    assert [list(validator("spectrum").iter_errors(data)) for data in fences] == [[]] * len(fences)


@pytest.mark.parametrize(
    "front",
    [
        {"number": 1},  # no title
        {"number": 1, "title": "A", "tittle": "B"},
        {"number": "two", "title": "A"},
        {"number": 1, "title": "   "},
        {"number": 1, "title": "A", "slug": "Big Slug"},
        {"number": 1, "title": "A", "minutes": 0},
        {"number": 2**31, "title": "A"},
    ],
)
def test_the_schema_refuses_what_the_parser_refuses(front):
    """Editors flag the same mistakes as load_content (cross-references aside)."""
    problems = []
    assert check_front_matter(front, {}, "topic", "t.md", problems, "t") is None
    assert problems
    assert list(validator("topic").iter_errors(front))


def test_editor_messages_are_the_parsers_phrases():
    """The language server shows `errorMessage` for a wrong type or pattern."""
    tier = validator("spectrum").schema["definitions"]["Tier"]["properties"]
    assert tier["libc"]["errorMessage"] == "must be one of glibc, musl, none"
