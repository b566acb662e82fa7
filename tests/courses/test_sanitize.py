"""Content cannot reach into the app's own markup: its ids, its classes, its diagram slots."""

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.content import parse_course
from courses.markdown import RENDERER_CLASSES, render_markdown, split_slots
from courses.spectrum import build_state
from quizzes.models import Question
from tests.factories import SEED_COURSE

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATE_ID_RE = re.compile(r'\bid="([^"]*)"')
EXPRESSION_RE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
SPECTRUM = parse_course(SEED_COURSE).topics[0].diagrams[0].data
# Template expressions whose value starts with a fixed text the app decides, by the real code.
FIXED_HEADS = {
    "question.anchor": Question(key="").anchor,
    "s.id": build_state(SPECTRUM, {}, index=7)["id"].removesuffix("7"),
}
# Template expressions whose value is free (a slug, a key, a number): the id ends its fixed part.
FREE = {"entry.chapter.slug", "v.question.pk", "v.version", "select.key", "tier.id"}


def template_ids() -> tuple[set[str], set[str]]:
    """Every literal id in templates/, and the fixed start of every id built from a variable."""
    literal, heads = set(), set()
    for path in TEMPLATES.rglob("*.html"):
        for value in TEMPLATE_ID_RE.findall(path.read_text()):
            expression = EXPRESSION_RE.search(value)
            if expression is None:
                literal.add(value)
                continue
            name = expression[1]
            assert name in FIXED_HEADS or name in FREE, f"{path}: unknown id part {name!r}"
            heads.add(value[: expression.start()] + FIXED_HEADS.get(name, ""))
    return literal, heads


def could_be_a_template_id(anchor: str) -> bool:
    literal, heads = template_ids()
    return anchor in literal or any(anchor.startswith(head) for head in heads)


def rendered_ids(text: str) -> list[str]:
    rendered = render_markdown(text)
    return TEMPLATE_ID_RE.findall(rendered.html + rendered.toc_html)


def test_templates_use_no_id_without_a_fixed_start():
    """Every template id is literal or starts with fixed text, so the test below means something."""
    literal, heads = template_ids()
    assert {"topic-score", "main", "knowledge-check"} <= literal
    assert {"q-", "spectrum-", "chapter-", "v-"} <= heads
    assert "" not in heads


def test_headings_named_like_app_ids_get_other_ids():
    """'## Topic score' would duplicate the score's htmx target: it gets a section- id."""
    literal, heads = template_ids()
    names = sorted(literal) + [head + "x" for head in heads]
    text = "\n\n".join(f"## {name.replace('-', ' ').title()}" for name in names)
    ids = rendered_ids(text)
    assert "section-topic-score" in ids
    assert not [anchor for anchor in ids if could_be_a_template_id(anchor)]


def test_headings_keep_readable_anchors_and_toc_links():
    """Ordinary headings keep their slug, so #alpine-and-the-musl-caveat links keep working."""
    rendered = render_markdown("## Alpine and the musl Caveat\n\n## Topic score\n")
    assert '<h2 id="alpine-and-the-musl-caveat">' in rendered.html
    assert 'href="#alpine-and-the-musl-caveat"' in rendered.toc_html
    assert 'href="#section-topic-score"' in rendered.toc_html


def test_author_ids_get_a_user_content_prefix():
    """Raw HTML cannot claim an id of the page: it gets GitHub's user-content- prefix."""
    html = render_markdown('<p id="topic-score">Fake score</p>\n\n<span id="q-x">x</span>\n').html
    assert 'id="user-content-topic-score"' in html
    assert 'id="user-content-q-x"' in html


def test_author_classes_are_dropped():
    """Content cannot fake "correct" feedback styling; the renderer's own classes stay."""
    html = render_markdown(
        '<p id="topic-score" class="feedback correct">Correct!</p>\n\n'
        '<span class="is-correct tag ok highlight">x</span>\n\n```python\nx = 1\n```\n'
    ).html
    assert 'class="feedback' not in html
    assert '<p id="user-content-topic-score">Correct!</p>' in html
    assert '<span class="highlight">x</span>' in html
    assert '<span class="n">x</span>' in html  # Pygments' token classes survive


def test_every_class_in_rendered_html_is_the_renderers():
    """A page full of features emits only classes in RENDERER_CLASSES (nothing lost to it)."""
    text = (
        "[TOC]\n\n## A\n\n- [x] done\n- [ ] todo\n\n"
        '```python title="a.py" linenums="1" hl_lines="1"\ndef f():\n    return 1\n```\n\n'
        "```spectrum\nx: 1\n```\n"
    )
    rendered = render_markdown(text)
    found = {
        name
        for value in re.findall(r'class="([^"]*)"', rendered.html + rendered.toc_html)
        for name in value.split()
    }
    assert {"headerlink", "task-list-item", "hll", "diagram-slot", "linenos"} <= found
    assert found <= RENDERER_CLASSES


def test_renderer_classes_are_not_the_apps():
    """No class the renderer keeps styles app markup, except the toc nav that wraps the toc."""
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text()):
            used |= set(re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value).split())
    assert used & RENDERER_CLASSES == {"toc"}


def test_raw_html_cannot_add_a_diagram_slot():
    """A hand-written slot would show a diagram twice, with duplicate spectrum-N ids."""
    html = render_markdown(
        'a\n\n<div class="diagram-slot" data-diagram="0"></div>\n\n```spectrum\nx: 1\n```\n'
    ).html
    assert [part for part in split_slots(html) if isinstance(part, int)] == [0]


def test_rendering_the_same_text_gives_the_same_html():
    """The per-render marker never leaks into the stored HTML."""
    text = "## A\n\n```spectrum\nx: 1\n```\n\n<p id='x'>y</p>\n"
    assert render_markdown(text) == render_markdown(text)


APP_WORDS = st.sampled_from(
    [*sorted(template_ids()[0]), "q", "v", "chapter", "spectrum", "user content", "section"]
)
HEADING = st.builds(
    lambda words, tail: " ".join(w.replace("-", " ") for w in words) + tail,
    st.lists(APP_WORDS, min_size=1, max_size=3),
    st.text(alphabet="ab1 -_!", max_size=6),
)


@given(st.lists(HEADING, min_size=1, max_size=6), st.lists(APP_WORDS, max_size=3))
@settings(max_examples=120, deadline=None)
def test_no_content_produces_an_app_id(headings, raw_ids):
    """Whatever headings and raw ids an author writes, no id can equal one of the templates'."""
    text = "\n\n".join(f"## {h}" for h in headings)
    text += "\n\n" + "\n\n".join(f'<p id="{r.replace(" ", "-")}">x</p>' for r in raw_ids)
    assert not [anchor for anchor in rendered_ids(text) if could_be_a_template_id(anchor)]
