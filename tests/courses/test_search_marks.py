"""Snippets' marks: START/STOP pairs become <mark> after escaping, however the text runs."""

import html

from hypothesis import given
from hypothesis import strategies as st

from courses.search_query import START, STOP, marked_html, paired


def test_pairs_become_marks_after_escaping():
    text = f"a <b> & {START}slim{STOP} c {START}x{STOP}"
    assert marked_html(text) == "a &lt;b&gt; &amp; <mark>slim</mark> c <mark>x</mark>"


def test_markers_out_of_pairs_go():
    assert marked_html(f"{STOP}a {START}b{START}c{STOP}{STOP} d") == "a <mark>bc</mark> d"


@given(st.text(alphabet=["a", " ", "<", "&", START, STOP], max_size=30))
def test_the_quick_way_marks_as_the_careful_one(text):
    """Well-paired snippets take a shortcut; it must give what pairing them one by one does."""
    assert marked_html(text) == paired(html.escape(text))
