"""Heading permalinks get an accessible name in the page's language."""

import pytest
from django.utils import translation

from courses.markdown import render_markdown
from courses.templatetags.topic_text import label_permalinks


def test_a_permalink_is_named_after_its_heading():
    html = label_permalinks(render_markdown("## Full vs Slim\n\n### `scratch` & co\n").html)
    assert (
        'aria-label="Link to section “Full vs Slim”"><span aria-hidden="true">#</span></a>' in html
    )
    assert 'aria-label="Link to section “scratch &amp; co”"' in html


def test_a_permalink_is_named_in_german_on_a_german_page():
    with translation.override("de"):
        html = label_permalinks(render_markdown("## Volle Images\n").html)
    assert 'aria-label="Link zum Abschnitt „Volle Images“"' in html


def test_a_heading_with_quotes_keeps_a_well_formed_label():
    html = label_permalinks(render_markdown('## The `"x"` flag\n').html)
    assert 'aria-label="Link to section “The &quot;x&quot; flag”"' in html


@pytest.mark.django_db
def test_the_topic_page_names_its_permalinks(client, seed_course):
    html = client.get("/containers/images/base-images/").content.decode()
    assert (
        'href="#full-vs-slim" rel="noopener noreferrer" aria-label="Link to section “Full vs Slim”"'
        in html
    )
