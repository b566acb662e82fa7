"""The one Markdown pipeline: highlighting, anchors, table of contents, sanitizing."""

import pytest

from courses.markdown import render_inline, render_markdown, split_slots


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
