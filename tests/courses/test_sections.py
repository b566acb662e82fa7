"""A topic's sections are cut from its rendered HTML at the headings the page links to."""

import re

from courses.markdown import render_markdown
from courses.sections import plain_text, split_sections, text_config

BODY = """Intro with `inline` code &amp; an ampersand.

## Alpine and the musl Caveat

Prose about musl.

```shell
apk add --no-cache musl-dev
```

#### A deeper heading

Still the same section.

## Topic score

Named like an app id.

## Alpine and the musl Caveat

A repeated heading.
"""


def sections():
    return split_sections(render_markdown(BODY).html)


def test_the_first_section_is_the_text_before_any_heading():
    first = sections()[0]
    assert (first.anchor, first.heading) == ("", "")
    assert first.prose == "Intro with inline code & an ampersand."


def test_anchors_are_the_ids_the_page_has():
    """Including the section- prefix of an app id and toc's suffix for a repeated heading."""
    html = render_markdown(BODY).html
    page_ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert [s.anchor for s in sections()[1:]] == page_ids
    assert page_ids == [
        "alpine-and-the-musl-caveat",
        "section-topic-score",
        "alpine-and-the-musl-caveat_1",
    ]


def test_headings_leave_out_the_permalink_sign():
    assert sections()[1].heading == "Alpine and the musl Caveat"


def test_code_blocks_are_kept_apart_from_prose():
    caveat = sections()[1]
    assert caveat.code == "apk add --no-cache musl-dev"
    assert "apk add" not in caveat.prose


def test_deeper_headings_stay_in_their_section():
    assert "A deeper heading Still the same section." in sections()[1].prose


def test_plain_text_keeps_words_apart_across_blocks():
    assert plain_text("<ul><li>one</li><li>two</li></ul><p>a&lt;b</p>") == "one two a<b"


def test_plain_text_drops_control_characters():
    """The snippet markers are control characters: indexed text can never hold one."""
    assert plain_text("a\x02b\x03c") == "a b c"


def test_each_language_gets_its_stemmer_or_none():
    assert [text_config(t) for t in ("de", "de-AT", "EN", "pt-BR", "ja", "x-klingon")] == [
        "german",
        "german",
        "english",
        "portuguese",
        "simple",
        "simple",
    ]
