"""Search finds sections a person would call right, on SQLite and on PostgreSQL alike."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Course, Section
from courses.search import search_course, search_courses
from tests.factories import SHIPPED_CONTENT, load, minimal_tree, topic_text

pytestmark = pytest.mark.django_db

BASE_IMAGES = "/containers/images/base-images/"


def found(text: str, course: str = "containers") -> list[str]:
    """URLs of the hits for `text`, best first."""
    _, results = search_course(text, Course.objects.get(slug=course))
    return [hit.url for hit in results.hits]


def hits(text: str, course: str = "course"):
    return search_course(text, Course.objects.get(slug=course))[1].hits


@pytest.fixture
def shipped(db):
    """Both shipped courses: Containers in Practice and the German Git-Grundlagen."""
    load(SHIPPED_CONTENT)


def test_musl_finds_the_alpine_section_first(seed_course):
    assert found("musl")[0] == BASE_IMAGES + "#alpine-and-the-musl-caveat"


def test_a_heading_hit_ranks_before_passing_mentions(seed_course):
    """ "distroless" is mentioned in six sections; the one it names comes first."""
    urls = found("distroless")
    assert urls[0] == BASE_IMAGES + "#distroless"
    assert BASE_IMAGES + "#common-mistakes" in urls[1:]


def test_a_title_hit_ranks_before_a_passing_mention(tmp_path):
    mention = "Images, networks and, in passing, volumes are all objects. " * 3
    load(
        minimal_tree(
            tmp_path,
            {
                "01-a.md": topic_text(1, "Objects", mention),
                "02-b.md": topic_text(2, "Volumes", "Where data outlives a container."),
            },
        )
    )
    assert found("volumes", "course") == ["/course/one/b/", "/course/one/a/"]


def test_a_title_hit_ranks_first_when_more_match_than_are_shown(tmp_path):
    """Ranked among all matches, not only the first the index holds: the title named last in
    the course still comes first when only two of six hits are shown."""
    mention = "Images, networks and, in passing, volumes are all objects."
    files = {
        f"0{n}-{c}.md": topic_text(n, f"Objects {c}", mention) for n, c in enumerate("abcde", 1)
    }
    files["06-f.md"] = topic_text(6, "Volumes", "Where data outlives a container.")
    load(minimal_tree(tmp_path, files))
    _, results = search_course("volumes", Course.objects.get(slug="course"), limit=2)
    assert len(results.hits) == 2
    assert results.hits[0].url == "/course/one/f/"
    assert results.more


def test_a_german_word_finds_its_section(shipped):
    assert found("Zusammenführen", "git-grundlagen") == [
        "/git-grundlagen/erste-schritte/branches/#zusammenfuhren"
    ]


def test_branch_and_branches_find_the_same_sections(shipped):
    """Stemming on PostgreSQL ('german'), the last word as a prefix on SQLite."""
    branches = found("Branches", "git-grundlagen")
    assert branches[0] == "/git-grundlagen/erste-schritte/branches/"  # the title
    assert "/git-grundlagen/erste-schritte/branches/#branches-anlegen-und-wechseln" in branches
    assert set(branches) <= set(found("Branch", "git-grundlagen"))


def test_english_words_are_stemmed(seed_course):
    """ "debugs" (in no section) finds "debug" and "debugging"."""
    assert BASE_IMAGES + "#distroless" in found("debugs")


def test_the_last_word_typed_matches_longer_words(seed_course):
    assert found("distrol")[0] == BASE_IMAGES + "#distroless"


def test_words_inside_longer_words_match_when_no_word_does(seed_course):
    """ "ctl" is in `kubectl` only: the substring pass finds it, and marks just that part."""
    (hit,) = search_course("ctl", Course.objects.get(slug="containers"))[1].hits
    assert hit.url == BASE_IMAGES + "#distroless"
    assert "kube<mark>ctl</mark>" in hit.snippet
    assert hit.code


def test_cjk_text_is_found_inside_a_sentence(tmp_path):
    body = "容器镜像很小\uff0c启动很快\u3002"  # with a full-width comma and stop
    load(minimal_tree(tmp_path, {"01-a.md": topic_text(1, "镜像", body, extra_front="")}))
    assert [h.url for h in hits("启动")] == ["/course/one/a/"]  # starts a run of text
    assert [h.url for h in hits("容器镜")] == ["/course/one/a/"]
    (inside,) = hits("很小")  # inside a run: found by the substring pass
    assert "镜像<mark>很小</mark>\uff0c" in inside.snippet


def test_parts_of_words_match_in_any_case(tmp_path):
    """Case folds beyond ASCII in the substring pass too ("ÜBERG" inside "Zwischenübergänge")."""
    load(minimal_tree(tmp_path, {"01-a.md": topic_text(body="Die Zwischenübergänge.")}))
    assert [h.url for h in hits("ÜBERG")] == ["/course/one/a/"]


def test_quoted_words_match_as_a_phrase(seed_course):
    assert found('"musl caveat"') == [BASE_IMAGES + "#alpine-and-the-musl-caveat"]
    assert found('"caveat musl"') == []


def test_a_minus_excludes_sections(seed_course):
    urls = found("alpine -musl")
    assert urls
    assert BASE_IMAGES + "#alpine-and-the-musl-caveat" not in urls


def test_or_offers_alternatives(seed_course):
    urls = found("scratch or distroless")
    assert {BASE_IMAGES + "#distroless", BASE_IMAGES + "#scratch-and-static-binaries"} <= set(urls)


def test_snippets_mark_the_words_found(seed_course):
    (first, *_) = search_course("musl", Course.objects.get(slug="containers"))[1].hits
    assert first.heading == "Alpine and the musl Caveat"
    assert "built on <mark>musl</mark> libc" in first.snippet


def test_snippets_escape_content_before_marking(tmp_path):
    """Code holding `<script>` and `&` shows as text; only <mark> is markup."""
    body = (
        "Tom &amp; Jerry <b>bold</b>.\n\n## Inject\n\n```html\n<script>alert('x & y')</script>\n```"
    )
    load(minimal_tree(tmp_path, {"01-a.md": topic_text(body=body)}))
    (hit,) = hits("alert")
    assert hit.code
    assert hit.url.endswith("#inject")
    assert (
        str(hit.snippet) == "&lt;script&gt;<mark>alert</mark>(&#x27;x &amp; y&#x27;)&lt;/script&gt;"
    )
    (prose,) = hits("jerry")
    assert str(prose.snippet) == "Tom &amp; <mark>Jerry</mark> bold."


def test_every_course_is_searched_and_grouped(shipped):
    query, groups = search_courses("commit", list(Course.objects.listed()))
    assert query == "commit"
    assert [g.course.slug for g in groups] == ["containers", "git-grundlagen"]
    assert all(len(g.hits) <= 5 for g in groups)


def test_questions_are_found_by_their_prompt(seed_course):
    hit = next(h for h in hits("free size win", "containers"))
    assert hit.is_question
    assert hit.url == BASE_IMAGES + "#q-alpine-musl"


BAD_QUERIES = [
    "",
    "   ",
    "x" * 1000,
    "musl " * 300,
    '"',
    '"musl',
    "*",
    "musl*",
    "NEAR(",
    "NEAR(musl alpine)",
    "(",
    ")",
    ":",
    "title:musl",
    "-",
    "-musl",
    "^",
    "^musl",
    "AND",
    "musl AND",
    "OR",
    "NOT musl",
    "musl & | ! <-> :*",
    "' OR 1=1 --",
    "'; DROP TABLE courses_section; --",
    "%_\\",
    "容器",
    "🐳",
    "🐳 musl",
    "\x00",
    "musl\x00alpine",
    "\ud800",
    "\udfff musl",
    "\u200b",
]


@pytest.mark.parametrize("text", BAD_QUERIES)
def test_bad_queries_give_results_or_nothing_never_an_error(seed_course, text):
    query, results = search_course(text, Course.objects.get(slug="containers"))
    assert len(query) <= 200
    assert all(hit.url.startswith(BASE_IMAGES) for hit in results.hits)
    assert Section.objects.exists()  # and nothing was dropped


OPERATORS = st.sampled_from(
    ['"', "*", "NEAR(", "(", ")", ":", "-", "^", "AND", "OR", "NOT", "or", "'", "\\", "\x00"]
)
QUERY_TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),
    st.text(max_size=1200),
    st.lists(
        st.one_of(OPERATORS, st.sampled_from(["musl", "alpine", "容器", "🐳"])), max_size=12
    ).map(" ".join),
    st.lists(st.one_of(OPERATORS, st.text(max_size=8)), max_size=20).map("".join),
)


@given(text=QUERY_TEXT)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_a_query(seed_course, text):
    """Arbitrary text — NUL, lone surrogates, operators, 1,000+ characters — never fails."""
    query, results = search_course(text, Course.objects.get(slug="containers"))
    assert len(query) <= 200
    assert "\x00" not in query
    assert all("<script" not in hit.snippet for hit in results.hits)
