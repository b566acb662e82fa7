"""The content format as typed models: front matter, and the data of a spectrum fence.

Pure Python (pydantic, no Django). These models are the one statement of the format: the
parser validates with them (`courses.content_validation` turns their errors into `path:line`
problems), and `manage.py content_schema` writes their JSON Schemas for editors
(docs/schema/). Values are checked against what the database takes (the limits mirror the
model fields; a test keeps them equal), so what the parser accepts also loads.

Each field may carry an `errorMessage` (a keyword YAML/JSON language servers show instead of
their generic "Incorrect type"): the one phrase an author reads, in the editor and from
`load_content` alike. Rules relating one value to another (unique ids, a rule recommending
a tier that exists) are beyond JSON Schema: `spectrum_references` checks them once the
models accept the data.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from courses.slugs import is_slug, slugify

MAX_TITLE = 200  # Course/Chapter/Topic.title
MAX_SLUG = 50  # Course/Chapter/Topic.slug
MAX_PATH = 500  # source_path
MAX_NUMBER = 2**31 - 1  # PositiveIntegerField, as PostgreSQL stores it
MAX_LANGUAGE = 35  # Course.language
# The spectrum's axis is drawn one tick per decade between these: 1 KB to 1 PB.
SIZE_MB_RANGE = (0.001, 1_000_000_000)
# BCP 47 (RFC 5646) as authors write it: a 2-3 letter language, then an optional script
# (4 letters), region (2 letters or 3 digits) and variants (5-8 characters, or a digit and 3).
# Spelled without inline flags, so that Python, pydantic and editors' JavaScript agree.
LANGUAGE_PATTERN = (
    r"^[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$"
)
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Slugs may be in any script (courses/slugs.py), which a portable regex cannot say: editors
# get this approximation (no spaces, capitals or ASCII punctuation but single inner hyphens);
# the parser applies the full rule.
SLUG_SEGMENT = r"[^\sA-Z!-/:-@\[-`{-~]+"
SLUG_PATTERN = rf"^{SLUG_SEGMENT}(?:-{SLUG_SEGMENT})*$"


def says(phrase: str, **schema) -> dict:
    """Field keywords: the error phrase for this value (CLI and editor), plus JSON Schema."""
    return {"json_schema_extra": {"errorMessage": phrase, **schema}}


class Strict(BaseModel):
    """YAML already typed every value: take them as written (no '12' -> 12), no other keys."""

    model_config = ConfigDict(strict=True, extra="forbid")
    # Lists whose items are named in messages: field -> noun ("tier 'slim'", "rule #2").
    item_nouns: ClassVar[dict[str, str]] = {}
    # What a message calls this model when it is the whole document.
    noun: ClassVar[str] = ""
    # Keys this model once had under another name: old -> new, and why it changed.
    renamed: ClassVar[dict[str, str]] = {}
    renamed_reason: ClassVar[str] = ""


def normal_slug(value: object) -> object:
    # The same slug typed on two systems can differ in Unicode form (é or e + ́).
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


def slug_rule(value: str) -> str:
    if not is_slug(value):
        hint = slugify(value)
        example = f" (for example {hint!r})" if hint else ""
        message = f"slug {value!r} must be lowercase letters, digits and hyphens{example}"
        raise PydanticCustomError("slug", "{message}", {"message": message})
    return value


def language_case(value: str) -> str:
    """Case conventions of BCP 47: language lower, script title, region upper."""
    first, *rest = value.split("-")
    tags = [
        tag.title() if len(tag) == 4 else tag.upper() if len(tag) == 2 else tag.lower()
        for tag in rest
    ]
    return "-".join([first.lower(), *tags])


NON_EMPTY = "must be non-empty text"
Text = Annotated[str, Field(min_length=1, pattern=r"\S", **says(NON_EMPTY))]
AnyText = Annotated[str, Field(**says("must be text"))]
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE, pattern=r"\S", **says(NON_EMPTY))]
Slug = Annotated[
    str,
    BeforeValidator(normal_slug),
    AfterValidator(slug_rule),
    Field(
        max_length=MAX_SLUG,
        description="The URL name and identity; defaults to the file or folder name.",
        **says("must be lowercase letters, digits and hyphens", pattern=SLUG_PATTERN),
    ),
]
WholeNumber = Annotated[int, Field(ge=0, le=MAX_NUMBER, **says("must be a whole number"))]
PositiveNumber = Annotated[
    int, Field(ge=1, le=MAX_NUMBER, **says("must be a positive whole number"))
]
Id = Annotated[
    str, Field(pattern=ID_PATTERN, **says("must be lowercase letters, digits and hyphens"))
]
Flag = Annotated[bool, Field(**says("must be true or false"))]


# --- front matter ----------------------------------------------------------------------------


class FrontMatter(Strict):
    # Front matter is read from the model, so its values are stored as the model has them:
    # trimmed. (Diagram data is stored as written, so it is validated as written: " slim" is
    # not the tier id "slim".)
    model_config = ConfigDict(str_strip_whitespace=True)
    noun: ClassVar[str] = "front matter"


class CourseFront(FrontMatter):
    """Front matter of a course's course.md."""

    title: Title = Field(description="The course's name.")
    slug: Slug = Field(default=None)  # not given: the folder's name
    summary: AnyText = Field(
        default="", description="One line for the course list (default: the first paragraph)."
    )
    language: Annotated[
        str,
        Field(
            max_length=MAX_LANGUAGE,
            pattern=LANGUAGE_PATTERN,
            description="The course's language, a BCP 47 tag: its pages speak it.",
            **says("must be a language tag such as en, de or pt-BR"),
        ),
        AfterValidator(language_case),
    ] = "en"
    order: WholeNumber | None = Field(
        default=None, description="Place in the course list (then by title)."
    )


class ChapterFront(FrontMatter):
    """Front matter of a chapter's chapter.md."""

    number: WholeNumber = Field(description="The chapter's number, unique in the course.")
    title: Title = Field(description="The chapter's name.")
    slug: Slug = Field(default=None)
    summary: AnyText = Field(default="", description="One line (default: the body).")


class TopicFront(FrontMatter):
    """Front matter of a topic file."""

    number: WholeNumber = Field(description="The topic's number, unique in the course.")
    title: Title = Field(description="The topic's name.")
    slug: Slug = Field(default=None)
    summary: AnyText = Field(default="", description="One sentence for lists.")
    minutes: PositiveNumber | None = Field(default=None, description="Estimated reading time.")


# --- the spectrum fence ----------------------------------------------------------------------


class Axis(Strict):
    """What the tier order means at the list's two ends (the bars show size)."""

    model_config = ConfigDict(
        json_schema_extra={"errorMessage": "'axis' must map 'top' and 'bottom' to text"}
    )
    # Keys from before the labels named the list's ends: old -> new. The old bottom key was
    # 'smaller', which the bars contradicted whenever a tier lower down was bigger: an old
    # fence is refused at that key, so the author relabels it rather than renames it.
    renamed: ClassVar[dict[str, str]] = {"debuggable": "top", "smaller": "bottom"}
    renamed_reason: ClassVar[str] = (
        "'top' and 'bottom' label the two ends of the tier order (the bars show size, so do "
        "not call an end 'smaller' unless every tier below is smaller)"
    )

    top: str = Field(min_length=1, pattern=r"\S", description="Label of the top end (▲).")
    bottom: str = Field(min_length=1, pattern=r"\S", description="Label of the bottom end (▼).")


class Tier(Strict):
    """One tier of the spectrum, drawn as a row with a bar for its size."""

    id: Id = Field(description="Unique in the diagram; used in links (?tier=slim).")
    name: Text = Field(description="The tier's name, as shown.")
    examples: list[str] = Field(
        min_length=1,
        description="Image names, e.g. [python:3.12-slim].",
        **says("must list image names"),
    )
    size: Text = Field(description="The size label shown, e.g. ~120 MB.")
    size_mb: float = Field(
        ge=SIZE_MB_RANGE[0],
        le=SIZE_MB_RANGE[1],
        allow_inf_nan=False,
        description="The size placed on the log-scale axis, in megabytes.",
        **says("must be a number of megabytes from 0.001 to 1000000000"),
    )
    shell: Flag = Field(description="Whether the image has a shell.")
    package_manager: Flag = Field(description="Whether the image has a package manager.")
    libc: Literal["glibc", "musl", "none"] = Field(
        description="The C library.", **says("must be one of glibc, musl, none")
    )
    attack_surface: Text = Field(description="How much there is to attack and patch.")
    debuggability: Text = Field(description="How easy it is to debug inside.")
    summary: Text = Field(description="One sentence about the tier.")
    typical_use: Text = Field(description="What it is used for.")
    mistake: Text = Field(description="A common mistake with it.")


class PickerQuestion(Strict):
    """A question the learner answers yes or no."""

    id: Id = Field(description="Unique in the picker; rules name it in `when`.")
    label: Text = Field(description="The question, e.g. Do you need a shell to debug?")


class Rule(Strict):
    """Recommends a tier when every answer in `when` matches (the first matching rule wins)."""

    when: dict[str, bool] = Field(
        default_factory=dict,
        description="Question id -> the answer this rule needs (true or false).",
        **says("must map picker question ids to true or false"),
    )
    recommend: str = Field(
        description="The id of the tier it recommends.", **says("must be a tier id")
    )
    because: Text = Field(
        description="Why, shown with the recommendation.", **says("must explain the recommendation")
    )


class Picker(Strict):
    """Yes/no questions, and rules that recommend a tier from the answers."""

    item_nouns: ClassVar[dict[str, str]] = {"questions": "question", "rules": "rule"}

    questions: list[PickerQuestion] = Field(
        min_length=1, description="Asked in order.", **says("must list at least one question")
    )
    rules: list[Rule] = Field(
        min_length=1,
        description="The first rule whose `when` matches wins; end with one without `when`.",
        **says("must list at least one rule"),
    )


class Spectrum(Strict):
    """A ```spectrum fence: tiers in the order of a trade-off, and an optional picker."""

    noun: ClassVar[str] = "the fence"
    item_nouns: ClassVar[dict[str, str]] = {"tiers": "tier"}

    title: Text = Field(description="The diagram's heading.")
    caption: AnyText = Field(default="", description="A line under the heading.")
    axis: Axis
    tiers: list[Tier] = Field(
        min_length=2,
        description="In spectrum order (top to bottom), not size order.",
        **says("must list at least two tiers"),
    )
    picker: Picker = Field(default=None, description="Optional: recommends a tier from answers.")


def spectrum_references(spectrum: Spectrum) -> list[tuple[tuple, str]]:
    """(location, message) for each id used twice or referring to nothing."""
    found: list[tuple[tuple, str]] = []
    tier_ids = unique_ids(spectrum.tiers, ("tiers",), "tier", found)
    if spectrum.picker is None:
        return found
    questions = spectrum.picker.questions
    question_ids = unique_ids(questions, ("picker", "questions"), "question", found)
    known = ", ".join(q.id for q in questions)
    for i, rule in enumerate(spectrum.picker.rules):
        where = ("picker", "rules", i)
        for key in rule.when:
            if key not in question_ids:
                message = f"'when' names {key!r}, which is not a picker question id ({known})"
                found.append(((*where, "when", key), message))
        if rule.recommend not in tier_ids:
            found.append(
                ((*where, "recommend"), f"'recommend' must be a tier id, not {rule.recommend!r}")
            )
    if all(rule.when for rule in spectrum.picker.rules):
        found.append(
            (
                ("picker", "rules"),
                "the last rule should have no 'when' so every answer gets a recommendation",
            )
        )
    return found


def unique_ids(items: list, where: tuple, noun: str, found: list) -> set[str]:
    """The items' ids, with a problem for each id seen before."""
    ids: set[str] = set()
    for i, item in enumerate(items):
        if item.id in ids:
            found.append(((*where, i, "id"), f"duplicate {noun} id {item.id!r}"))
        ids.add(item.id)
    return ids
