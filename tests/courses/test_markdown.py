"""The one Markdown pipeline: highlighting, anchors, table of contents, sanitizing."""

import re
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.preprocessors import NormalizeWhitespace

from courses.content_tree import parse_content
from courses.markdown import (
    RenderState,
    build_renderer,
    convert,
    plain_text,
    render_inline,
    render_markdown,
    sanitize,
    split_slots,
)

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.mark.parametrize("language", ["dockerfile", "shell", "yaml", "python"])
def test_code_is_highlighted_with_classes_kept(language):
    html = render_markdown(f"```{language}\nFROM x  # a: b\nprint('x')\n```\n").html
    assert '<div class="highlight">' in html
    assert '<span class="' in html


def test_headings_get_anchors_and_toc():
    rendered = render_markdown("## Full vs Slim\n\nText.\n\n### Detail\n")
    assert '<h2 id="full-vs-slim">' in rendered.html
    assert 'href="#full-vs-slim"' in rendered.toc_html
    assert 'href="#detail"' in rendered.toc_html


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p style="position:fixed" onclick="alert(1)">x</p>',
        "<iframe src='https://example.com'></iframe>",
    ],
)
def test_dangerous_html_never_survives(evil):
    html = render_markdown(f"Text\n\n{evil}\n").html
    for marker in (
        "<script",
        "onerror",
        "javascript:",
        "onclick",
        "style=",
        "<iframe",
        "alert(1)</",
    ):
        assert marker not in html


def test_diagram_fence_becomes_a_numbered_slot():
    html = render_markdown("a\n\n```spectrum\nx: 1\n```\n\nb\n\n```spectrum\ny: 2\n```\n").html
    parts = split_slots(html)
    assert [p for p in parts if isinstance(p, int)] == [0, 1]


def test_inline_has_no_paragraph_wrapper():
    assert render_inline("What does `FROM` do?") == "What does <code>FROM</code> do?"


def code_text(html: str) -> list[str]:
    """The text of each <pre> block, as a reader would copy it."""
    blocks = re.findall(r"<pre>(.*?)</pre>", html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


RECIPE = "all:\n\tcc -o app main.c\n"


@pytest.mark.parametrize("info", ["make", "", "python"])
def test_tabs_in_fenced_code_are_kept(info):
    """A Makefile recipe copied from the page still has its tab, highlighted or not."""
    html = render_markdown(f"```{info}\n{RECIPE}```\n").html
    assert code_text(html) == [RECIPE]


def test_tabs_in_fenced_code_inside_a_list_are_kept():
    """Fences nested in a list item keep their tabs too."""
    text = "- Step one:\n\n    ```make\n    all:\n    \tcc -o app main.c\n    ```\n"
    html = render_markdown(text).html
    assert code_text(html) == [RECIPE]


def test_tabs_in_inline_code_are_kept():
    """`a<TAB>b` in inline code stays one tab, not four spaces."""
    assert render_inline("Separate with `cut -d\t-f1`.") == (
        "Separate with <code>cut -d\t-f1</code>."
    )


def test_tabs_outside_code_still_indent():
    """A tab-indented nested list is still a nested list."""
    html = render_markdown("- outer\n\t- inner\n").html
    assert re.search(r"<li>outer\s*<ul>\s*<li>inner</li>", html)


TEXT_WITH_TABS = st.text(alphabet="ab #-*>|1.\t\n", max_size=60)


@given(TEXT_WITH_TABS)
@settings(max_examples=150, deadline=None)
def test_text_without_code_renders_as_before(text):
    """Keeping code tabs changes nothing for Markdown without backticks or fences."""
    state = RenderState()
    state.start()
    stock = build_renderer(state)
    stock.preprocessors.register(NormalizeWhitespace(stock), "normalize_whitespace", 30)
    assert render_markdown(text).html == sanitize(stock.convert(text), state.marker)


def test_a_code_block_shows_its_fences_language():
    html = render_markdown("```dockerfile\nFROM x\n```\n").html
    assert '<div class="highlight"><span class="code-language">dockerfile</span><pre>' in html


@pytest.mark.parametrize("fence", ["```", "```text", "    "])
def test_plain_code_shows_no_language(fence):
    text = f"{fence}\nplain words\n```\n" if fence.startswith("`") else f"{fence}plain words\n"
    html = render_markdown(text).html
    assert "code-language" not in html
    assert "plain words" in html


def test_stored_html_holds_no_interface_text():
    """Permalinks are named per page, in the course's language: the renderer writes a bare #."""
    html = render_markdown("## Full vs Slim\n").html
    assert "title=" not in html
    assert re.search(r'<a class="headerlink" href="#full-vs-slim"[^>]*>#</a></h2>', html)


# Every character the plain-text shortcut accepts, and every one Markdown or smarty treats as
# syntax, so generated text walks the edge between the two.
PLAIN_CHARS = "aZzé漢09 ,;:?!()/%=.-\u2013\u2014\u2019"  # en and em dash, typographic apostrophe
SYNTAX_CHARS = "'\"_*`#>+|[]{}&<\\~\n\t"
text_near_plain = st.builds(
    str.__add__,
    st.sampled_from("aZé漢"),
    st.text(alphabet=PLAIN_CHARS + SYNTAX_CHARS, max_size=60)
    | st.text(alphabet=PLAIN_CHARS, max_size=60),
)


@settings(max_examples=500, deadline=None)
@given(text_near_plain)
def test_text_taken_as_plain_renders_as_the_full_pipeline_renders_it(text):
    if plain_text(text):
        assert render_markdown(text) == convert(text)


def test_sentences_of_prose_take_the_shortcut_and_markdown_does_not():
    assert plain_text("It works, but you ship and patch far more than the service uses.")
    assert plain_text("A pinned official -slim base: glibc — at 1/3 of the size (or less)?")
    for text in ("Use `FROM scratch`.", "It's small.", "1. first", "a -- b", "a...", "x_y_"):
        assert not plain_text(text), text


def test_every_shipped_question_renders_as_the_full_pipeline_renders_it():
    """Prompts, bodies, explanations, choices and feedback of the shipped content."""
    texts = [
        text
        for course in parse_content(CONTENT, reserved=set())
        for topic in course.topics
        for q in topic.questions
        for text in (q.prompt, q.body, q.explanation, *(c.text for c in q.choices))
        if text
    ] + [
        choice.feedback
        for course in parse_content(CONTENT, reserved=set())
        for topic in course.topics
        for q in topic.questions
        for choice in q.choices
        if choice.feedback
    ]
    assert sum(map(plain_text, texts)) > len(texts) // 2
    assert [render_markdown(t) for t in texts] == [convert(t) for t in texts]
