"""The spectrum diagram: fence validation, the pure picker and scale, and the page's states."""

import re
from urllib.parse import parse_qs

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import spectrum
from courses.content import ContentError, parse_course
from tests.factories import load, minimal_tree, topic_text

TOPIC = reverse("courses:topic", args=["containers", "images", "base-images"])
FRAGMENT = reverse("courses:diagram", args=["containers", "images", "base-images", 0])
HTMX = {"HX-Request": "true"}

TIER = """\
  - id: {id}
    name: {id}
    examples: [{id}:1]
    size: ~{mb} MB
    size_mb: {mb}
    shell: true
    package_manager: true
    libc: glibc
    attack_surface: Some
    debuggability: Some
    summary: A tier.
    typical_use: Things
    mistake: Others
"""
AXIS = "axis:\n  smaller: Smaller\n  debuggable: Debuggable\n"


def fence(body: str) -> str:
    """A topic whose body is one spectrum fence: it opens on line 6, its YAML starts on 7."""
    return topic_text(body=f"```spectrum\n{body}```")


def problems(tmp_path, body: str) -> list[str]:
    minimal_tree(tmp_path / "content", {"01-a.md": fence(body)})
    with pytest.raises(ContentError) as excinfo:
        parse_course(tmp_path / "content")
    return [str(p) for p in excinfo.value.problems]


def two_tiers() -> str:
    return "tiers:\n" + TIER.format(id="big", mb=100) + TIER.format(id="small", mb=1)


# --- validation (path:line) -------------------------------------------------------------------


def test_valid_spectrum_parses(tmp_path):
    minimal_tree(tmp_path / "content", {"01-a.md": fence("title: T\n" + AXIS + two_tiers())})
    course = parse_course(tmp_path / "content")
    assert [t["id"] for t in course.topics[0].diagrams[0].data["tiers"]] == ["big", "small"]


def test_missing_axis_is_an_error_at_the_fence(tmp_path):
    assert problems(tmp_path, "title: T\n" + two_tiers()) == [
        "content/01-one/01-a.md:7: spectrum diagram: "
        "'axis' must map 'smaller' and 'debuggable' to text"
    ]


def test_empty_axis_label_points_at_the_axis(tmp_path):
    body = "title: T\naxis:\n  smaller: ''\n  debuggable: D\n" + two_tiers()
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:9: spectrum diagram: "
        "'axis' must map 'smaller' and 'debuggable' to text"
    ]


def test_bad_size_points_at_its_line(tmp_path):
    body = "title: T\n" + AXIS + two_tiers().replace("size_mb: 1\n", "size_mb: -1\n")
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:29: spectrum diagram: "
        "tier 'small': 'size_mb' must be a positive number"
    ]


def picker(questions: str, rules: str) -> str:
    return f"picker:\n  questions:\n{questions}  rules:\n{rules}"


def test_duplicate_picker_question_id(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n    - id: q\n      label: B?\n",
            "    - recommend: big\n      because: Why not.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:42: spectrum diagram: duplicate question id 'q'"
    ]


def test_picker_question_id_must_be_a_slug(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: Needs Shell\n      label: A?\n",
            "    - recommend: big\n      because: Why not.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:40: spectrum diagram: "
        "question id 'Needs Shell' must be lowercase letters, digits and hyphens"
    ]


def test_rule_recommending_unknown_tier(tmp_path):
    body = (
        "title: T\n"
        + AXIS
        + two_tiers()
        + picker(
            "    - id: q\n      label: A?\n",
            "    - when: {q: true}\n      recommend: huge\n      because: B.\n"
            "    - recommend: big\n      because: C.\n",
        )
    )
    assert problems(tmp_path, body) == [
        "content/01-one/01-a.md:44: spectrum diagram: 'recommend' must be a tier id, not 'huge'"
    ]


# --- pure: picker rules and scale -------------------------------------------------------------

RULES = [
    {"when": {"static": True, "shell": False}, "recommend": "scratch", "because": "static"},
    {"when": {"shell": True}, "recommend": "slim", "because": "shell"},
    {"recommend": "slim", "because": "default"},
]


def test_first_matching_rule_wins():
    rec = spectrum.recommend(RULES, {"static": True, "shell": True})
    assert rec == spectrum.Recommendation("slim", "shell")


def test_rule_needs_every_condition():
    assert spectrum.recommend(RULES, {"static": True, "shell": False}).tier == "scratch"
    assert spectrum.recommend(RULES, {"static": False, "shell": False}).because == "default"


def test_unanswered_question_never_matches():
    assert spectrum.recommend(RULES, {"static": True}).because == "default"


def test_no_rule_matches_gives_none():
    assert spectrum.recommend(RULES[:2], {"static": False, "shell": False}) is None


def test_read_answers_accepts_yes_no_and_reports_others():
    questions = [{"id": "a", "label": "A?"}, {"id": "b", "label": "B?"}, {"id": "c", "label": "C"}]
    answers, messages = spectrum.read_answers(questions, {"q-a": ["Yes"], "q-b": ["maybe"]})
    assert answers == {"a": True}
    assert messages == ["“maybe” is not an answer to “B?”: choose yes or no."]


def test_log_scale_puts_decades_evenly():
    lo, hi = spectrum.log_range([2, 5, 25, 120, 1000])
    assert (lo, hi) == (0, 3)
    assert [t["label"] for t in spectrum.ticks(lo, hi)] == ["1 MB", "10 MB", "100 MB", "1 GB"]
    assert spectrum.position(10, lo, hi) == pytest.approx(33.33)
    assert spectrum.position(1000, lo, hi) == 100


def test_smallest_size_on_a_decade_keeps_a_visible_bar():
    lo, hi = spectrum.log_range([1, 10])
    assert spectrum.position(1, lo, hi) > 0
    assert spectrum.format_mb(10.0**lo) == "100 KB"


def test_read_compare():
    ids = ["a", "b", "c"]
    assert spectrum.read_compare(["a,c"], ids) == (["a", "c"], "")
    assert spectrum.read_compare(["b", "a"], ids) == (["b", "a"], "")
    assert spectrum.read_compare(["a,a"], ids)[0] == []
    assert "no tier “z”" in spectrum.read_compare(["a,z"], ids)[1]


def test_second_diagram_uses_prefixed_params():
    data = yaml.safe_load("title: T\n" + AXIS + two_tiers())
    assert spectrum.build_state(data, parse_qs("tier=big"), 1)["selected"] is None
    state = spectrum.build_state(data, parse_qs("d1-tier=big"), 1)
    assert state["selected"]["id"] == "big"
    assert state["tiers"][1]["query"] == "d1-tier=small"


# --- the page and its fragment -------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def figure(html: str) -> str:
    return html[html.index('<figure class="spectrum"') : html.index("</figure>")]


def selected_tier(html: str) -> list[str]:
    return re.findall(r'id="spectrum-0-tier-([a-z-]+)"[^>]*aria-current="true"', html)


@pytestmark_db
def test_page_without_state_selects_nothing(client, seed_course):
    html = figure(client.get(TOPIC).content.decode())
    assert selected_tier(html) == []
    assert "Select a tier above" in html
    assert "~1 GB" in html
    assert "a few MB" in html
    # The log axis: one decade per third of the bar track.
    assert re.findall(r"<text [^>]*>([^<]+)</text>", html) == [
        "1 MB",
        "10 MB",
        "100 MB",
        "1 GB",
    ]


@pytestmark_db
@pytest.mark.parametrize("tier", ["full", "slim", "alpine", "distroless", "scratch"])
def test_deep_link_selects_tier(client, seed_course, tier):
    response = client.get(TOPIC, {"tier": tier})
    assert response.status_code == 200
    assert selected_tier(response.content.decode()) == [tier]


@pytestmark_db
def test_deep_link_shows_tier_detail(client, seed_course):
    html = figure(client.get(TOPIC, {"tier": "distroless"}).content.decode())
    assert "Adopting it without a debugging plan" in html
    assert "gcr.io/distroless/python3-debian12" in html


@pytestmark_db
def test_compare_renders_a_table(client, seed_course):
    html = figure(client.get(TOPIC + "?compare=slim,alpine").content.decode())
    assert "slim and alpine side by side" in html
    assert '<th scope="row">C library</th><td>glibc</td><td>musl</td>' in html


@pytestmark_db
def test_compare_from_the_form_repeated_params(client, seed_course):
    html = client.get(TOPIC + "?compare=full&compare=scratch").content.decode()
    assert "full debian and scratch side by side" in html


@pytestmark_db
def test_picker_recommends_and_highlights(client, seed_course):
    query = "q-static-binary=yes&q-needs-shell=no&q-glibc-only=no&q-debug-containers=no"
    html = figure(client.get(f"{TOPIC}?{query}").content.decode())
    assert "Recommended: <strong>scratch</strong>" in html
    assert re.findall(
        r'class="spectrum-tier is-selected is-recommended">\s*<a[^>]*tier-(\w+)', html
    ) == ["scratch"]


@pytestmark_db
def test_picker_falls_through_to_the_last_rule(client, seed_course):
    query = "q-static-binary=no&q-needs-shell=no&q-glibc-only=yes&q-debug-containers=no"
    html = figure(client.get(f"{TOPIC}?{query}").content.decode())
    assert "Recommended: <strong>slim</strong>. Glibc-only dependencies" in html


@pytestmark_db
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
    assert message in html
    assert selected_tier(html) == []
    assert "side by side" not in html
    assert "Recommended:" not in html


@pytestmark_db
def test_unknown_params_are_ignored(client, seed_course):
    html = figure(client.get(TOPIC + "?q-unknown=yes&utm_source=x&tier=").content.decode())
    assert "spectrum-messages" not in html


@pytestmark_db
def test_links_keep_valid_state_and_drop_bad(client, seed_course):
    html = client.get(TOPIC + "?compare=slim,alpine&tier=nope").content.decode()
    assert f'href="{TOPIC}?tier=full&amp;compare=slim%2Calpine#spectrum-0"' in html


@pytestmark_db
def test_fragment_for_htmx_is_the_diagram_body_only(client, seed_course):
    response = client.get(FRAGMENT, {"tier": "alpine"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert selected_tier(html) == ["alpine"]
    assert 'hx-swap-oob="innerHTML">Showing alpine, ~5 MB.' in html
    assert response["HX-Push-Url"] == f"{TOPIC}?tier=alpine#spectrum-0"
    assert "HX-Request" in response["Vary"]


@pytestmark_db
def test_fragment_pushes_a_clean_url_for_bad_params(client, seed_course):
    response = client.get(FRAGMENT + "?tier=nope&compare=slim,alpine", headers=HTMX)
    assert response["HX-Push-Url"] == f"{TOPIC}?compare=slim%2Calpine#spectrum-0"


@pytestmark_db
def test_fragment_without_htmx_redirects_to_the_page(client, seed_course):
    response = client.get(FRAGMENT, {"tier": "slim"})
    assert response.status_code == 302
    assert response["Location"] == f"{TOPIC}?tier=slim#spectrum-0"


@pytestmark_db
def test_fragment_for_missing_diagram_is_404(client, seed_course):
    url = reverse("courses:diagram", args=["containers", "images", "base-images", 3])
    assert client.get(url, headers=HTMX).status_code == 404


@pytestmark_db
def test_diagram_adds_no_queries(client, tmp_path, django_assert_max_num_queries):
    body = "title: T\n" + AXIS + two_tiers()
    topics = {"01-a.md": fence(body), "02-b.md": topic_text(number=2, title="B")}
    load(minimal_tree(tmp_path / "content", topics))
    with CaptureQueriesContext(connection) as plain:
        assert client.get(reverse("courses:topic", args=["course", "one", "b"])).status_code == 200
    with django_assert_max_num_queries(len(plain)):
        response = client.get(reverse("courses:topic", args=["course", "one", "a"]) + "?tier=small")
    assert selected_tier(response.content.decode()) == ["small"]


@pytestmark_db
def test_fragment_query_budget(client, seed_course, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(FRAGMENT, {"tier": "alpine"}, headers=HTMX)


@pytestmark_db
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
