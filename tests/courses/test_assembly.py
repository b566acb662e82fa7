"""Page assembly: every visitor's page is the template's, fresh after a re-import, few queries.

The reference for "the template's page" is the topic template rendered the plain way, with
every state computed for the request (`reference_page`): a shell filled in must match it for
visitors, learners with answers, signed-in users, forms sent back with an error, diagram
states from the query string, pending messages and topics without questions.
"""

import ast
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import assembly, content_cache, fragments, slot_html
from courses.content_cache import topic_questions
from courses.models import Course, Topic
from quizzes.learners import current_learner, order_seed
from quizzes.models import Attempt, Question
from quizzes.progress import LatestAttempt, question_state, read_status, topic_attempts
from tests.factories import (
    answer,
    copy_fixture,
    load,
    minimal_tree,
    question_form,
    tokens,
    topic_text,
    write,
)

pytestmark = pytest.mark.django_db
SEED_URL = "/containers/images/base-images/"
TEMPLATE = "courses/topic_detail.html"


def normalized(html: str) -> str:
    """A page with its per-view values (nonces, CSRF tokens) blanked out, spaces collapsed."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r'name="nonce" value="[0-9a-f]+"', 'name="nonce" value=""', html)
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")\w+', r"\1", html)


def reference_page(request, topic: Topic, override=None) -> str:
    """The topic page rendered the plain way: the whole template, every state computed now."""
    topic = Topic.objects.select_related("chapter", "course").get(pk=topic.pk)
    questions = topic_questions(topic)
    learner = current_learner(request)
    latest, score = topic_attempts(learner, questions)
    if not questions:
        score = read_status(learner, topic)
    retry = request.GET.get("retry")
    states = []
    for question in questions:
        attempt = None if question.key == retry else latest.get(question.pk)
        state = question_state(question, order_seed(request), attempt)
        states.append(override if override and override.question.pk == question.pk else state)
    before, after = Topic.objects.neighbours(topic)
    body = render_to_string(f"{TEMPLATE}#topic-body", {"topic": topic}, request=request)
    context = {
        "course": topic.course,
        "topic": topic,
        "body_html": body,
        "states": states,
        "questions": questions,
        "score": score,
        "previous_topic": before,
        "next_topic": after,
    }
    return render(request, TEMPLATE, context).content.decode()


def both(client: Client, url: str, override=None) -> tuple[str, str]:
    """(the assembled page, the reference page) for the same request of `client`."""
    response = client.get(url)
    request = response.wsgi_request
    assembled = response.content.decode()
    topic = Topic.objects.get(slug=request.resolver_match.kwargs["topic_slug"])
    return assembled, reference_page(request, topic, override)


def test_a_visitors_page_is_the_templates(client, seed_course):
    """A first-time visitor's page: fresh forms, nothing answered."""
    assembled, reference = both(client, SEED_URL)
    assert normalized(assembled) == normalized(reference)
    assert assembled.count('name="nonce"') == Question.objects.filter(is_active=True).count()


def test_newcomers_pages_in_any_choice_order_are_the_templates(seed_course):
    """Visitors with no progress share the shell's progress slots and its forms kept per
    choice order: twelve newcomers, each their own order, each the template's page."""
    orders = set()
    for _ in range(12):
        assembled, reference = both(Client(), SEED_URL)
        assert normalized(assembled) == normalized(reference)
        question = Question.objects.get(key="alpine-musl")
        orders.add(tuple(question_form(assembled, question)[1]))
    assert len(orders) > 1


def test_a_shell_keeps_a_bounded_number_of_ordered_forms(seed_course, monkeypatch):
    """A question with very many choices cannot grow a shell without end: past the bound,
    forms are still filled in the order asked for, just not kept."""
    monkeypatch.setattr(assembly, "MAX_ORDERED_FORMS", 5)
    shell = assembly.shell_for("containers", "base-images")
    offered = shell.offered[0]
    for order in itertools.permutations(range(len(offered.pks))):
        form = "".join(shell.fresh_form(0, list(order)))
        shown = re.findall(r'name="choice" value="([^"]+)"', form)
        assert shown == [offered.tokens_html[i] for i in order]
    assert len(shell.ordered_forms) == 5


def test_a_learners_page_is_the_templates(client, seed_course):
    """A learner with answers (wrong, right, revealed) sees them exactly as the template does."""
    answer(client, Question.objects.get(key="alpine-musl"), correct=False)
    answer(client, Question.objects.get(key="scratch-viable"), correct=True)
    assembled, reference = both(client, SEED_URL)
    assert "Not quite." in assembled
    assert "Correct!" in assembled
    assert normalized(assembled) == normalized(reference)


def test_a_signed_in_users_page_is_the_templates(client, seed_course):
    """A signed-in user's page comes from the same shell: their name, log-out form, answers."""
    user = get_user_model().objects.create_user("ada", password="a-long-passphrase-1")
    client.force_login(user)
    answer(client, Question.objects.get(key="alpine-musl"), correct=False)
    assembled, reference = both(client, SEED_URL)
    assert "ada" in assembled
    assert "Log out" in assembled
    assert normalized(assembled) == normalized(reference)


def test_a_signed_in_users_page_costs_five_queries_once_warm(
    client, seed_course, django_assert_max_num_queries
):
    """Session, user, learner, content version, attempts with the due count: the shell
    serves accounts too, so their page adds only who they are."""
    client.force_login(get_user_model().objects.create_user("ada", password="pw-long-1234"))
    answer(client, Question.objects.get(key="alpine-musl"), correct=False)
    client.get(SEED_URL)
    with django_assert_max_num_queries(5):
        html = client.get(SEED_URL).content.decode()
    assert "Not quite." in html


def test_two_users_never_see_each_others_name(seed_course):
    """The account links are kept per user: the second user sees only their own name."""
    for name in ("ada", "grace"):
        client = Client()
        client.force_login(get_user_model().objects.create_user(name, password="pw-long-1234"))
        html = client.get(SEED_URL).content.decode()
        assert f"<span>{name}</span>" in html
        others = {"ada", "grace"} - {name}
        assert not others & set(re.findall(r"<span>(\w+)</span>", html))


def test_retry_and_diagram_state_pages_are_the_templates(client, seed_course):
    """?retry= shows that question fresh; ?tier= renders the diagram in that state."""
    question = Question.objects.get(key="alpine-musl")
    answer(client, question, correct=False)
    assembled, reference = both(client, f"{SEED_URL}?retry={question.key}&tier=alpine")
    assert normalized(assembled) == normalized(reference)
    assert "Not quite." not in assembled


def test_a_pending_message_is_shown_once(client, seed_course):
    """A message ("You are logged out") is on the next page, then gone."""
    user = get_user_model().objects.create_user("ada", password="a-long-passphrase-1")
    client.force_login(user)
    client.post(reverse("logout"))
    first = client.get(SEED_URL).content.decode()
    assert 'class="messages"' in first
    assert 'class="messages"' not in client.get(SEED_URL).content.decode()


def test_a_form_sent_back_with_an_error_is_the_templates(client, seed_course):
    """Without JavaScript, a refused answer comes back in the whole page, with its error."""
    question = Question.objects.get(key="alpine-musl")
    client.get(SEED_URL)
    response = client.post(
        reverse("quizzes:answer", args=[question.pk]),
        {"nonce": "a" * 24, "version": question.form_version},
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = "Choose an answer before checking."
    assert html.count(error) == 1
    request = response.wsgi_request
    override = question_state(question, order_seed(request), error=error)
    topic = Topic.objects.get(slug="base-images")
    assert normalized(html) == normalized(reference_page(request, topic, override))


def test_a_topic_without_questions_is_the_templates(client, tmp_path):
    """A topic to mark as read: its read status is filled in like a question."""
    load(minimal_tree(tmp_path / "content", {"01-a.md": topic_text(body="Just reading.")}))
    url = reverse("courses:topic", args=["course", "one", "a"])
    assembled, reference = both(client, url)
    assert "Mark as read" in assembled
    assert normalized(assembled) == normalized(reference)
    topic = Topic.objects.get(slug="a")
    client.post(reverse("quizzes:mark-read", args=[topic.pk]))
    assembled, reference = both(client, url)
    assert "Marked as read." in assembled
    assert normalized(assembled) == normalized(reference)


def test_reimported_text_shows_at_once(client, tmp_path):
    """Editing a topic and loading again changes the page: no stale cache."""
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(body="Old words.")})
    load(root)
    url = reverse("courses:topic", args=["course", "one", "a"])
    assert "Old words." in client.get(url).content.decode()
    write(root, "01-one/01-a.md", topic_text(body="New words."))
    load(root)
    html = client.get(url).content.decode()
    assert "New words." in html
    assert "Old words." not in html


def test_new_neighbour_shows_after_reimport(client, tmp_path):
    """The pager's links follow a re-import that adds a topic after this one."""
    root = minimal_tree(tmp_path / "content", {"01-a.md": topic_text(number=1)})
    load(root)
    url = reverse("courses:topic", args=["course", "one", "a"])
    assert 'rel="next"' not in client.get(url).content.decode()
    write(root, "01-one/02-b.md", topic_text(number=2, title="Bee"))
    load(root)
    assert "Bee" in client.get(url).content.decode()


def test_diagram_state_from_the_query_string_is_not_cached(client, seed_course):
    """A deep link's diagram state is rendered for it, and never served to plain visits."""
    plain = client.get(SEED_URL).content.decode()
    deep = client.get(f"{SEED_URL}?tier=alpine").content.decode()
    assert plain.count('aria-current="true"') < deep.count('aria-current="true"')
    assert client.get(SEED_URL).content.decode().count('aria-current="true"') == plain.count(
        'aria-current="true"'
    )


def test_warm_topic_page_costs_no_query(client, tmp_path, django_assert_num_queries):
    """Once kept, an anonymous topic page reads nothing: the content version this process
    read less than a second ago still holds (the next view after that reads it again)."""
    load(copy_fixture(tmp_path))
    url = reverse("courses:topic", args=["fixture", "basics", "hello"])
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
    content_cache.forget_seen_version()
    with django_assert_num_queries(1):
        client.get(url)


def test_a_load_in_another_process_shows_within_a_second(client, seed_course, monkeypatch):
    """Content changed by a load elsewhere (here: rows changed without this process's load)
    shows on pages once the version read is a second old, not before."""
    clock = [1000.0]
    monkeypatch.setattr(content_cache.time, "monotonic", lambda: clock[0])
    assert "Base Images" in client.get(SEED_URL).content.decode()
    Topic.objects.filter(slug="base-images").update(title="Picking a base")
    Course.objects.update(updated_at=timezone.now())  # every load saves its courses
    clock[0] += 0.5
    assert "Picking a base" not in client.get(SEED_URL).content.decode()
    clock[0] += 0.6
    assert "Picking a base" in client.get(SEED_URL).content.decode()


def test_answers_read_the_current_content_even_within_that_second(client, seed_course):
    """A question retired by a load elsewhere is refused at once, though the page that
    offered it may still show for up to a second."""
    question = Question.objects.get(key="alpine-musl")
    page = client.get(SEED_URL).content.decode()
    nonce, _ = question_form(page, question)
    Question.objects.filter(pk=question.pk).update(is_active=False)
    # What the load saves besides: the question's topic, and every course.
    Topic.objects.filter(pk=question.topic_id).update(updated_at=timezone.now())
    Course.objects.update(updated_at=timezone.now())
    assert client.get(SEED_URL).status_code == 200  # the kept page, for now
    data = {"nonce": nonce, "version": question.form_version}
    data["choice"] = tokens(question, correct=True)
    response = client.post(f"/quiz/answer/{question.pk}/", data, headers={"HX-Request": "true"})
    assert response.status_code == 410
    assert not Attempt.objects.exists()


def test_answered_result_changes_with_the_next_answer(client, seed_course):
    """Cached answered results are keyed by picks and outcome: a new answer shows at once."""
    question = Question.objects.get(key="alpine-musl")
    answer(client, question, correct=False)
    assert "Not quite." in client.get(SEED_URL).content.decode()
    answer(client, question, correct=True)
    html = client.get(SEED_URL).content.decode()
    assert "Not quite." not in html
    assert "Correct!" in html


def test_learners_with_the_same_picks_share_the_result_and_see_only_theirs(seed_course):
    """Two learners answering alike get the same result; another's picks are not shown."""
    question = Question.objects.get(key="alpine-musl")
    right, wrong, other = Client(), Client(), Client()
    answer(right, question, correct=True)
    answer(wrong, question, correct=False)
    answer(other, Question.objects.get(key="scratch-viable"), correct=True)
    assert "Correct!" in right.get(SEED_URL).content.decode()
    assert "Not quite." in wrong.get(SEED_URL).content.decode()
    page = other.get(SEED_URL).content.decode()
    assert "Not quite." not in page
    assert page.count("Your answer") == 1


def test_content_that_looks_like_a_marker_is_served_as_written(client, seed_course):
    """Text in content that mimics a page marker (old NUL ones included) is never filled in."""
    from django.db import connection

    # The old markers were NUL-framed; PostgreSQL cannot store NUL in text at all.
    nul = "" if connection.vendor == "postgresql" else "\x00"
    fake = f"{nul}csrf{nul} {nul}question0{nul} {nul}score{nul} _csrf__ _question_0_"
    Topic.objects.filter(slug="base-images").update(body_html=f"<p>{fake}</p>")
    question = Question.objects.get(key="alpine-musl")
    Question.objects.filter(pk=question.pk).update(prompt_html=f"Prompt {fake}")
    for _ in range(2):  # built, then from the cache
        response = client.get(SEED_URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count(fake) == 2
        assert html.count('name="nonce"') == 6


def test_a_marker_tag_found_in_content_is_drawn_again():
    """If rendered text ever held the random tag, the split retries with a fresh one."""
    seen = []

    def render(mark):
        seen.append(mark.tag)
        leaked = seen[0]  # content that happens to hold the first tag
        return f"a{mark('csrf')}b {leaked}"

    pieces = fragments.render_split(render)
    assert len(seen) == 2
    assert pieces == ["a", "csrf", "", f"b {seen[0]}"]


def test_filling_some_markers_keeps_the_others_for_each_view():
    """A search page gets its query and results once; the header's slots stay markers."""
    mark = fragments.Markers()
    text = f"a{mark('query')}b{mark('csrf')}c{mark('results')}d{mark('token', 2)}e"
    pieces = mark.split(text)
    values = {"query": "Q", "results": "R"}
    some = fragments.fill_some(pieces, lambda name, _: values.get(name))
    filled = fragments.fill(some, lambda name, index: f"{name.upper()}{index}")
    assert filled == "aQbCSRF0cRdTOKEN2e"


def test_a_cached_answered_result_depends_on_whether_the_answer_was_asked_for(seed_course):
    """Same question, order, picks and outcome: revealed and hidden are different fragments."""
    question = Question.objects.get(key="alpine-musl")
    wrong = question.choices.filter(is_correct=False).first()
    seed = "0123456789abcdef"

    def rendered(revealed: bool) -> str:
        attempt = LatestAttempt(False, frozenset({wrong.pk}), revealed=revealed)
        state = question_state(question, seed, attempt)
        shown = [c.pk for c in state.choices]
        return slot_html.answered_html("en", "v1", shown, attempt, lambda: state, "token")

    hidden, shown = rendered(False), rendered(True)
    assert question.explanation_html not in hidden
    assert question.explanation_html in shown


def test_junk_in_the_query_string_keeps_no_fragment_of_its_own(client, seed_course):
    """Visitors' log-in links come back to the page they are on, query included, yet no
    address a client makes up is kept: a stream of junk URLs cannot evict learners' pieces."""
    fragments.pieces.entries.clear()  # so that a full LRU cannot hide a new entry
    client.get(SEED_URL)
    kept = len(fragments.pieces.entries)
    for n in range(5):
        html = client.get(f"{SEED_URL}?utm={n}").content.decode()
        assert f'href="/accounts/login/?next={SEED_URL}%3Futm%3D{n}"' in html
    assert len(fragments.pieces.entries) == kept


def test_page_assembly_has_no_function_over_forty_lines():
    """Issue 15's promise: a reader follows a page view through page assembly in one
    sitting; no function of it runs over 40 lines."""
    modules = ["assembly", "fragments", "slot_html", "content_cache"]
    too_long = []
    for name in modules:
        path = Path(settings.BASE_DIR, "courses", f"{name}.py")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > 40:
                    too_long.append(f"courses/{name}.py::{node.name} ({lines} lines)")
    assert too_long == []
