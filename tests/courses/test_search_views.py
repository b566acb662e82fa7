"""The search pages: linkable GET pages, htmx fragments of them, and the header's search box."""

import re
import shutil

import pytest
from django.test import Client

from courses import content_cache
from courses.models import Course
from tests.factories import SHIPPED_CONTENT, load, minimal_tree, topic_text, two_courses

pytestmark = pytest.mark.django_db

HREF_RE = re.compile(r'<li class="search-hit"><a href="([^"]+)"')


@pytest.fixture
def shipped(db):
    load(SHIPPED_CONTENT)


def page(url: str, **headers) -> str:
    response = Client().get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_results_link_to_their_section_on_the_topic_page(shipped):
    """Every result's #anchor is an id on the page it links to."""
    checked = 0
    for url in ["/containers/search/?q=musl", "/containers/search/?q=scratch", "/search/?q=commit"]:
        for href in HREF_RE.findall(page(url)):
            path, _, anchor = href.partition("#")
            if anchor:
                assert f'id="{anchor}"' in page(path), href
                checked += 1
    assert checked >= 8


def test_the_page_works_without_javascript_and_keeps_the_query(shipped):
    html = page("/containers/search/?q=musl")
    assert "<h1>Search in Containers in Practice</h1>" in html
    assert "3 results for “musl”." in html
    assert 'name="q" value="musl"' in html
    assert (
        '<form class="site-search" role="search" method="get" action="/containers/search/">' in html
    )


def test_htmx_gets_the_results_alone_and_the_count_for_the_live_region(shipped):
    response = Client().get("/containers/search/?q=musl", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert (
        '<p id="site-search-status" data-hx-swap-oob="innerHTML">3 results for “musl”.</p>' in html
    )
    assert html.count('class="search-hit"') == 3
    assert "HX-Request" in response["Vary"]


def test_an_empty_query_clears_the_instant_results(shipped):
    html = page("/containers/search/?q=", **{"HX-Request": "true"})
    assert html.strip() == '<p id="site-search-status" data-hx-swap-oob="innerHTML"></p>'


def test_nothing_found_is_said_politely(shipped):
    assert "Nothing found for “xyzzy”." in page("/containers/search/?q=xyzzy")


def test_without_a_query_the_page_says_what_to_do(shipped):
    assert "Type what you are looking for" in page("/containers/search/")


def test_every_course_is_searched_and_grouped_by_course(shipped):
    html = page("/search/?q=commit")
    groups = re.findall(
        r'<section class="search-group" lang="(\w+)">\s*<h2><a href="([^"]+)">', html
    )
    assert groups == [("en", "/containers/"), ("de", "/git-grundlagen/")]


def test_the_header_box_searches_this_course_on_its_pages_and_all_courses_elsewhere(shipped):
    topic = page("/containers/images/base-images/")
    assert 'action="/containers/search/"' in topic
    assert 'data-hx-get="/containers/search/"' in topic
    assert 'action="/search/"' in page("/")


def test_the_box_asks_for_results_as_one_types_and_cancels_older_requests(shipped):
    box = re.search(r'<input id="site-search-q"[^>]*>', page("/")).group(0)
    assert 'data-hx-trigger="input changed delay:200ms"' in box
    assert 'data-hx-sync="this:replace"' in box
    assert 'aria-keyshortcuts="/"' in box
    assert " hx-" not in box


def test_snippets_show_markup_in_content_as_text(tmp_path):
    body = "## Inject\n\n```html\n<script>alert('pwned & more')</script>\n```\n"
    load(minimal_tree(tmp_path, {"01-a.md": topic_text(body=body)}))
    html = page("/course/search/?q=alert")
    assert "&lt;script&gt;<mark>alert</mark>(&#x27;pwned &amp; more&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


def test_retired_topics_never_appear(tmp_path):
    root = minimal_tree(
        tmp_path, {"01-a.md": topic_text(body="Pelicans."), "02-b.md": topic_text(2, "B")}
    )
    load(root)
    (root / "01-one" / "01-a.md").unlink()
    load(root)
    assert "Nothing found" in page("/course/search/?q=pelicans")
    assert "Pelicans" not in page("/search/?q=pelicans")


def test_a_retired_or_unknown_course_has_no_search_page(tmp_path):
    root = two_courses(tmp_path)
    load(root)
    shutil.rmtree(root / "zweiter")
    load(root)
    assert Client().get("/zweiter/search/?q=hallo").status_code == 404
    assert Client().get("/nope/search/?q=hallo").status_code == 404
    assert "zweiter" not in page("/search/?q=hallo")


def test_a_course_retired_after_it_was_searched_has_no_search_page(tmp_path):
    """The active courses are kept per content version: the load that retires one ends that."""
    root = two_courses(tmp_path)
    load(root)
    assert Client().get("/zweiter/search/?q=hallo").status_code == 200
    shutil.rmtree(root / "zweiter")
    load(root)
    assert Client().get("/zweiter/search/?q=hallo").status_code == 404


def test_a_course_renamed_in_the_admin_shows_its_new_title_on_its_search_page(shipped):
    assert "Search in Containers" in page("/containers/search/?q=musl")
    course = Course.objects.get(slug="containers")
    course.title = "Pods and Images"
    course.save()
    assert "Search in Pods and Images" in page("/containers/search/?q=musl")


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=%ED%A0%80", "q=%FF%FE", "q=" + "x" * 5000, "q=a&q=b", "q=%22%2A%28", "q"],
)
def test_odd_query_strings_get_a_page(shipped, query):
    client = Client(enforce_csrf_checks=True)
    for url in (f"/containers/search/?{query}", f"/search/?{query}"):
        assert client.get(url).status_code == 200
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


def test_search_is_read_only(shipped):
    assert Client().post("/containers/search/", {"q": "musl"}).status_code == 405


def test_a_course_search_costs_a_few_queries(shipped, django_assert_max_num_queries):
    """The content version, the course, then the ranked ids and their snippets."""
    with django_assert_max_num_queries(4):
        Client().get("/containers/search/?q=musl")
    with django_assert_max_num_queries(5):
        Client().get("/containers/search/?q=ctl")  # the substring pass too


def test_searching_every_course_costs_a_few_queries_per_course(
    shipped, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2 + 2 * 2):
        Client().get("/search/?q=commit")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_repeated_search_costs_one_query(shipped, django_assert_num_queries, htmx):
    """Answers are kept per content version: asking again reads only that version (and
    nothing within a second of reading it)."""
    headers = {"HX-Request": "true"} if htmx else {}
    first = Client().get("/containers/search/?q=musl", headers=headers).content
    content_cache.forget_seen_version()
    with django_assert_num_queries(1):
        again = Client().get("/containers/search/?q=musl", headers=headers).content
    with django_assert_num_queries(0):
        Client().get("/containers/search/?q=musl", headers=headers)
    assert again.count(b'class="search-hit"') == first.count(b'class="search-hit"') == 3


def test_other_parameters_share_the_kept_answer(shipped, django_assert_num_queries):
    """Junk in the query string cannot fill the cache with copies of one answer."""
    page("/containers/search/?q=musl")
    content_cache.forget_seen_version()
    with django_assert_num_queries(1):
        html = page("/containers/search/?q=++musl&utm=x&r=123")
    assert 'href="/accounts/login/?next=/containers/search/%3Fq%3Dmusl"' in html


def test_a_load_makes_the_next_search_see_the_new_content(tmp_path):
    root = minimal_tree(tmp_path, {"01-a.md": topic_text(body="Pelicans.")})
    load(root)
    assert "Nothing found" in page("/course/search/?q=cormorants")
    (root / "01-one" / "01-a.md").write_text(topic_text(body="Cormorants."), encoding="utf-8")
    load(root)
    assert "1 result for" in page("/course/search/?q=cormorants")


def test_each_visitor_gets_their_own_csrf_token_on_a_kept_page(shipped):
    tokens = {
        re.search(r'"X-CSRFToken": "([^"]+)"', page("/containers/search/?q=musl")).group(1)
        for _ in range(2)
    }
    assert len(tokens) == 2


def test_a_signed_in_user_sees_their_name_on_the_results_page(shipped, django_user_model):
    page("/containers/search/?q=musl")  # kept for visitors without an account
    client = Client()
    client.force_login(django_user_model.objects.create_user("ada", password="x" * 12))
    html = client.get("/containers/search/?q=musl").content.decode()
    assert "<span>ada</span>" in html
    assert "3 results for “musl”." in html


def test_a_kept_results_page_shows_each_visitors_own_header(shipped, clock):
    """One kept page, three visitors: a learner with a due review sees their count, a
    signed-in user their name, a newcomer neither."""
    from django.contrib.auth import get_user_model

    from quizzes.models import Question
    from tests.factories import answer

    url = "/containers/search/?q=musl"
    newcomer = page(url)  # keeps the answer
    learner = Client()
    answer(learner, Question.objects.get(key="alpine-musl"), correct=False)
    clock.move(hours=1)
    user = Client()
    user.force_login(get_user_model().objects.create_user("grace", password="x" * 12))
    due = learner.get(url).content.decode()
    signed_in = user.get(url).content.decode()
    assert '<span class="badge">1<' in due
    assert "<span>grace</span>" in signed_in
    assert "Log out" in signed_in
    assert "badge" not in newcomer
    assert "grace" not in newcomer
    assert "Log in" in newcomer
    assert "grace" not in due
    assert "Log in" in due


def test_a_new_query_gets_its_own_title_box_and_results_on_a_kept_frame(shipped):
    """The page around the results is kept once per course: it holds nothing of the query
    that built it."""
    page("/containers/search/?q=musl")
    html = page("/containers/search/?q=%3Cb%3Exyzzy")
    assert "<title>Search: &lt;b&gt;xyzzy · Containers in Practice</title>" in html
    assert 'name="q" value="&lt;b&gt;xyzzy"' in html
    assert "Nothing found for “&lt;b&gt;xyzzy”." in html
    assert "musl" not in html


def test_every_course_search_speaks_each_browsers_language_on_a_kept_frame(shipped):
    """The every-course frame is kept per language: a German browser first, then English."""
    german = page("/search/?q=musl", **{"Accept-Language": "de"})
    english = page("/search/?q=commit", **{"Accept-Language": "en"})
    assert '<html lang="de">' in german
    assert '<html lang="en">' in english
    assert "<h1>Search all courses</h1>" in english


def snippets(html: str) -> dict[str, str]:
    """Each hit's snippet paragraph by the hit's link."""
    found = re.findall(r'<a href="([^"]+)">.*?</a>\s*<p class="search-snippet">(.*?)</p>', html)
    return dict(found)


def test_a_section_found_again_shows_the_new_querys_snippet(shipped):
    """Hits are kept per section with their snippet left out: the next query marks its own."""
    section = "/containers/images/base-images/#alpine-and-the-musl-caveat"
    page("/containers/search/?q=musl")
    snippet = snippets(page("/containers/search/?q=libc"))[section]
    assert "musl <mark>libc</mark>" in snippet
    assert "<mark>musl</mark>" not in snippet


@pytest.mark.parametrize("order", [("distroless", "busybox"), ("busybox", "distroless")])
def test_a_kept_hit_wraps_code_snippets_in_code_and_prose_not(shipped, order):
    section = "/containers/images/base-images/#distroless"
    found = {query: snippets(page(f"/containers/search/?q={query}"))[section] for query in order}
    assert found["busybox"].startswith("<code>")
    assert "<mark>busybox</mark>" in found["busybox"]
    assert not found["distroless"].startswith("<code>")


def test_instant_results_of_the_same_shape_show_each_their_own_query(shipped):
    """Results are kept per shape (three hits, no more) without their query: "busybox"
    after "musl" says and links "busybox" only."""
    page("/containers/search/?q=musl", **{"HX-Request": "true"})
    html = page("/containers/search/?q=busybox", **{"HX-Request": "true"})
    assert html.count("3 results for “busybox”.") == 2  # the list and the live region
    assert 'href="/containers/search/?q=busybox">All results</a>' in html
    assert "musl</mark>" not in html.replace("<mark>musl</mark>", "")
    assert "for “musl”" not in html


def test_a_query_is_escaped_in_kept_results_and_its_links_are_encoded(shipped):
    """The "<&" is no term (no letter or digit): "alpine <&" finds what "alpine" does."""
    page("/containers/search/?q=alpine", **{"HX-Request": "true"})
    html = page("/containers/search/?q=alpine+%3C%26", **{"HX-Request": "true"})
    assert "7 results for “alpine &lt;&amp;”." in html
    assert 'href="/containers/search/?q=alpine%20%3C%26">All results</a>' in html
