"""The spectrum diagram on the topic page and as an htmx fragment: one mode at a time."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.templatetags.diagrams import breakable
from tests.courses.test_spectrum import AXIS, fence, two_tiers
from tests.factories import load, minimal_tree, topic_text

pytestmark = pytest.mark.django_db

TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
FRAGMENT = reverse("courses:diagram", args=["containers", "images", "base-images", 0])
HTMX = {"HX-Request": "true"}
PICKS = "q-static-binary=no&q-needs-shell=no&q-glibc-only=yes&q-debug-containers=yes"


def figure(html: str) -> str:
    return html[html.index('<figure class="spectrum"') : html.index("</figure>")]


def page(client, query: str = "") -> str:
    return figure(client.get(f"{TOPIC}?{query}" if query else TOPIC).content.decode())


def result(html: str) -> str:
    """The diagram's result region: what the last action produced."""
    return html[html.index('class="spectrum-result') : html.index('class="spectrum-tools"')]


def selected_tier(html: str) -> list[str]:
    return re.findall(r'id="spectrum-0-tier-([a-z-]+)"[^>]*aria-current="true"', html)


def test_page_without_state_selects_nothing(client, seed_course):
    html = page(client)
    assert selected_tier(html) == []
    assert "Select a tier above" in result(html)
    assert "~1 GB" in html
    assert "a few MB" in html
    # The log axis: one decade per third of the bar track.
    assert re.findall(r"<text [^>]*>([^<]+)</text>", html) == ["1 MB", "10 MB", "100 MB", "1 GB"]


def test_axis_labels_name_the_ends_of_the_order_and_the_bars_size(client, seed_course):
    """Nothing claims the list runs by size: the ends say what is in the image."""
    html = page(client)
    assert "▲</span> More in the image: easier to debug" in html
    assert "▼</span> Less in the image: less to attack" in html
    assert "Size (bar, log scale)" in html
    assert "Smaller size" not in html


@pytest.mark.parametrize("tier", ["full", "slim", "alpine", "distroless", "scratch"])
def test_deep_link_selects_tier(client, seed_course, tier):
    response = client.get(TOPIC, {"tier": tier})
    assert response.status_code == 200
    assert selected_tier(response.content.decode()) == [tier]


def test_tier_result_describes_that_tier(client, seed_course):
    html = result(page(client, "tier=distroless"))
    assert "Adopting it without a debugging plan" in html
    assert "<code>gcr.io/<wbr>distroless/<wbr>python3-debian12</code>" in html
    assert ">Clear selection</a>" in html


def test_compare_result_is_the_table_alone(client, seed_course):
    html = page(client, "compare=slim,alpine")
    found = result(html)
    assert "slim and alpine side by side" in found
    assert '<th scope="row">C library</th><td>glibc</td><td>musl</td>' in found
    assert selected_tier(html) == []
    assert ">Close comparison</a>" in found


def test_compare_from_the_form_repeated_params(client, seed_course):
    assert "full debian and scratch side by side" in page(client, "compare=full&compare=scratch")


def test_recommendation_describes_the_recommended_tier(client, seed_course):
    query = "q-static-binary=yes&q-needs-shell=no&q-glibc-only=no&q-debug-containers=no"
    html = page(client, query)
    assert 'Recommended: <strong>scratch</strong> · <span class="spectrum-size">a few MB' in result(
        html
    )
    assert "Empty — a static binary plus its certs" in result(html)
    assert re.findall(r'class="spectrum-tier is-recommended">\s*<a[^>]*tier-(\w+)', html) == [
        "scratch"
    ]
    assert ">Clear recommendation</a>" in result(html)


def test_picker_falls_through_to_the_last_rule(client, seed_course):
    query = "q-static-binary=no&q-needs-shell=no&q-glibc-only=yes&q-debug-containers=no"
    html = result(page(client, query))
    assert "Recommended: <strong>slim</strong>" in html
    assert "Glibc-only dependencies" in html


def test_old_link_with_every_mode_shows_only_the_recommendation(client, seed_course):
    """The issue's pile-up: a tier, a comparison and a recommendation at once."""
    html = page(client, f"tier=alpine&compare=slim,alpine&{PICKS}")
    assert "Recommended: <strong>distroless</strong>" in result(html)
    assert "side by side</caption>" not in result(html)
    assert selected_tier(html) == []
    assert "musl quirks" not in result(html)  # alpine's detail is not shown beside it


def test_old_link_with_tier_and_compare_shows_the_comparison(client, seed_course):
    html = page(client, "tier=scratch&compare=slim,alpine")
    assert "slim and alpine side by side" in result(html)
    assert selected_tier(html) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tier=ubuntu", "There is no tier “ubuntu” in this diagram"),
        ("tier=%3Cscript%3E", "There is no tier “&lt;script&gt;”"),
        ("compare=slim", "pick two different tiers"),
        ("compare=slim,slim", "pick two different tiers"),
        ("compare=slim,alpine,full", "pick two different tiers"),
        ("compare=slim,nope", "there is no tier “nope”"),
        ("q-needs-shell=maybe", "“maybe” is not an answer to “Do you need a shell"),
        ("q-needs-shell=yes", "Answer all 4 questions"),
    ],
)
def test_bad_params_show_a_message_not_an_error(client, seed_course, query, message):
    response = client.get(f"{TOPIC}?{query}")
    assert response.status_code == 200
    html = figure(response.content.decode())
    assert message in result(html)
    assert selected_tier(html) == []
    assert "side by side</caption>" not in result(html)
    assert "Recommended:" not in html


def test_unknown_params_are_ignored(client, seed_course):
    assert "spectrum-messages" not in page(client, "q-unknown=yes&utm_source=x&tier=")


def test_controls_carry_no_other_modes_state(client, seed_course):
    """Starting a mode replaces the current one: no hidden inputs, tier links name one tier."""
    html = page(client, f"tier=alpine&compare=slim,alpine&{PICKS}")
    assert 'type="hidden"' not in html
    assert f'href="{TOPIC}?tier=full#spectrum-0-result"' in html
    assert html.count(f'action="{TOPIC}#spectrum-0-result"') == 2


def test_clear_returns_to_the_plain_diagram(client, seed_course):
    html = result(page(client, "tier=alpine"))
    assert f'<a href="{TOPIC}#spectrum-0-result" data-hx-get="{FRAGMENT}"' in html


def test_diagram_uses_only_data_hx_attributes(client, seed_course):
    """data-hx-* validates as HTML; the diagram has no bare hx-* attribute."""
    html = page(client, "compare=slim,alpine")
    assert "data-hx-get=" in html
    assert re.findall(r"\shx-[a-z-]+=", html) == []


def test_fragment_for_htmx_is_the_diagram_body_only(client, seed_course):
    response = client.get(FRAGMENT, {"tier": "alpine"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert selected_tier(html) == ["alpine"]
    assert 'data-hx-swap-oob="innerHTML">Showing alpine, ~5 MB.' in html
    assert response["HX-Push-Url"] == f"{TOPIC}?tier=alpine#spectrum-0-result"
    assert "HX-Request" in response["Vary"]


def test_fragment_pushes_only_the_winning_mode(client, seed_course):
    response = client.get(FRAGMENT + "?tier=alpine&compare=slim,alpine", headers=HTMX)
    assert response["HX-Push-Url"] == f"{TOPIC}?compare=slim%2Calpine#spectrum-0-result"


def test_fragment_pushes_a_clean_url_for_bad_params(client, seed_course):
    response = client.get(FRAGMENT + "?tier=nope", headers=HTMX)
    assert response["HX-Push-Url"] == f"{TOPIC}#spectrum-0-result"


def test_fragment_without_htmx_redirects_to_the_page(client, seed_course):
    response = client.get(FRAGMENT, {"tier": "slim"})
    assert response.status_code == 302
    assert response["Location"] == f"{TOPIC}?tier=slim#spectrum-0-result"


def test_fragment_for_missing_diagram_is_404(client, seed_course):
    url = reverse("courses:diagram", args=["containers", "images", "base-images", 3])
    assert client.get(url, headers=HTMX).status_code == 404


def test_diagram_adds_no_queries(client, tmp_path, django_assert_max_num_queries):
    body = "title: T\n" + AXIS + two_tiers()
    topics = {"01-a.md": fence(body), "02-b.md": topic_text(number=2, title="B")}
    load(minimal_tree(tmp_path / "content", topics))
    with CaptureQueriesContext(connection) as plain:
        assert client.get(reverse("courses:topic", args=["course", "one", "b"])).status_code == 200
    with django_assert_max_num_queries(len(plain)):
        response = client.get(reverse("courses:topic", args=["course", "one", "a"]) + "?tier=small")
    assert selected_tier(response.content.decode()) == ["small"]


def test_fragment_query_budget(client, seed_course, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(FRAGMENT, {"tier": "alpine"}, headers=HTMX)


def test_two_spectra_on_one_page_do_not_clash(client, tmp_path):
    body = "title: T\n" + AXIS + two_tiers()
    text = topic_text(body=f"```spectrum\n{body}```\n\nBetween.\n\n```spectrum\n{body}```")
    load(minimal_tree(tmp_path / "content", {"01-a.md": text}))
    html = client.get(
        reverse("courses:topic", args=["course", "one", "a"]) + "?d1-tier=small"
    ).content
    html = html.decode()
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'id="spectrum-1-tier-small" ' in html
    assert re.findall(r'id="(spectrum-\d-tier-\w+)"[^>]*aria-current', html) == [
        "spectrum-1-tier-small"
    ]


def test_breakable_escapes_then_marks_break_points():
    assert breakable("<b>/x:y") == "&lt;b&gt;/<wbr>x:<wbr>y"
