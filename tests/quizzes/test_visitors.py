"""Visitor identity and choice order: nothing a client can choose or see decides the order."""

import random
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quizzes import visitors
from quizzes.models import Learner, Question
from quizzes.progress import order_choices
from tests.factories import answer, question_form

pytestmark = pytest.mark.django_db
TOPIC_URL = "/containers/images/base-images/"
PASSWORD = "correct-horse-battery-9"


def shown_orders(html: str) -> dict[Question, list[str]]:
    """Each question's choice tokens, in the order the page shows them."""
    return {q: question_form(html, q)[1] for q in Question.objects.filter(is_active=True)}


def with_visitor(key: str) -> Client:
    client = Client()
    client.cookies[visitors.COOKIE] = visitors.cookie_value(visitors.Visitor(key))
    return client


def test_a_chosen_seed_cookie_does_not_reveal_the_authored_order(seed_course):
    """The attack on the old shuffle: choose the seed, invert the shown order, read the answers.

    The shipped course authors every right answer first; the old order was
    random.Random(f"{seed}:{pk}") applied to the authored order, so inverting it with the
    chosen seed put the right answer back in front for every question.
    """
    seed = "0123456789abcdef"
    client = with_visitor("attacker")
    client.cookies["cd_seed"] = seed
    recovered_right = []
    for question, shown in shown_orders(client.get(TOPIC_URL).content.decode()).items():
        positions = list(range(len(shown)))
        random.Random(f"{seed}:{question.pk}").shuffle(positions)
        authored = [None] * len(shown)
        for place, origin in enumerate(positions):
            authored[origin] = shown[place]
        first = question.choices.get(token=authored[0])
        recovered_right.append(first.is_correct)
    assert not all(recovered_right)


def test_pages_set_no_seed_cookie_only_a_signed_visitor_id(client, seed_course):
    """The cookie is an opaque signed identifier, never the seed that orders choices."""
    response = client.get(TOPIC_URL)
    assert "cd_seed" not in response.cookies
    value = response.cookies[visitors.COOKIE].value
    found = visitors.parse_cookie(value)
    assert found is not None
    assert found.seed not in value


def test_a_forged_visitor_cookie_is_replaced(seed_course):
    """A cookie the server did not sign names nobody: the visitor gets a fresh identity."""
    client = Client()
    client.cookies[visitors.COOKIE] = "chosen-key."
    response = client.get(TOPIC_URL)
    issued = visitors.parse_cookie(response.cookies[visitors.COOKIE].value)
    assert issued is not None
    assert issued.key != "chosen-key"


def test_the_order_is_keyed_by_the_server_secret(seed_course):
    """The same learner seed orders choices differently under another secret key."""
    questions = list(Question.objects.prefetch_related("choices"))
    with override_settings(SECRET_KEY="one-secret-" + "a" * 40):
        first = [[c.pk for c in order_choices(q, "seed")] for q in questions]
    with override_settings(SECRET_KEY="another-secret-" + "b" * 40):
        second = [[c.pk for c in order_choices(q, "seed")] for q in questions]
    assert first != second


def test_order_is_stable_from_first_view_to_first_answer_and_signup(seed_course):
    """A visitor keeps their order when they answer and when they sign up."""
    client = Client()
    first, second = Question.objects.order_by("position")[:2]

    def order_of_second():
        return question_form(client.get(TOPIC_URL).content.decode(), second)[1]

    before = order_of_second()
    answer(client, first)
    after_answer = order_of_second()
    client.post(
        reverse("signup"), {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert before == after_answer == order_of_second()


def test_visitors_get_different_orders(seed_course):
    """Two visitors see (almost surely) different orders of the same questions."""
    one = shown_orders(with_visitor("one").get(TOPIC_URL).content.decode())
    two = shown_orders(with_visitor("two").get(TOPIC_URL).content.decode())
    assert one != two


def test_identity_is_fixed_at_the_first_page_view(client, seed_course):
    """Reading sets the visitor cookie (no row); the first answer creates the learner with it."""
    client.get(TOPIC_URL)
    key = visitors.parse_cookie(client.cookies[visitors.COOKIE].value).key
    assert not Learner.objects.exists()
    answer(client, Question.objects.first())
    learner = Learner.objects.get()
    assert learner.visitor_key == key
    assert visitors.parse_cookie(client.cookies[visitors.COOKIE].value).learner_id == learner.pk


def test_login_starts_a_new_visitor_identity(client, seed_course):
    """After login (and so after the next logout) the browser no longer names the old learner."""
    answer(client, Question.objects.first())
    old = visitors.parse_cookie(client.cookies[visitors.COOKIE].value)
    client.post(
        reverse("signup"), {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )
    client.post(reverse("logout"))
    new = visitors.parse_cookie(client.cookies[visitors.COOKIE].value)
    assert new.key != old.key
    assert new.learner_id is None
    assert "You got" not in client.get(TOPIC_URL).content.decode()


def test_form_version_is_not_computable_from_the_page(seed_course):
    """The hidden version is a MAC: hashing public text with a guessed answer key never hits it.

    The old value was QuestionSource.version, a hash over prompt, body, explanation and each
    choice's correct flag: for a question without explanation or feedback, hashing the few
    possible correct sets recovered the answer.
    """
    import hashlib
    import itertools

    html = Client().get(TOPIC_URL).content.decode()
    for question in Question.objects.filter(is_active=True):
        shown = re.search(
            rf'id="{question.anchor}".*?name="version" value="([^"]+)"', html, re.DOTALL
        ).group(1)
        choices = list(question.choices.filter(is_active=True).order_by("position"))
        for picks in itertools.product([False, True], repeat=len(choices)):
            parts = [question.prompt_text, "", ""]
            parts += [f"{ok}|{c.pinned}|{c.text}|" for c, ok in zip(choices, picks, strict=True)]
            guess = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]
            assert guess != shown
        assert shown != question.version


def test_a_forged_version_is_refused(client, seed_course):
    """Only the MAC the page carried is accepted: a version computed by the client is a 409."""
    question = Question.objects.first()
    nonce, tokens = question_form(client.get(TOPIC_URL).content.decode(), question)
    response = client.post(
        reverse("quizzes:answer", args=[question.pk]),
        {"nonce": nonce, "version": question.version, "choice": tokens[:1]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409


def test_salted_mac_is_djangos_salted_hmac(settings):
    """The kept-key MAC gives Django's bytes, and follows a changed SECRET_KEY."""
    from django.utils.crypto import salted_hmac

    for value in ("", "seed:1", "ключ:42"):
        assert visitors.salted_mac("a.salt", value) == salted_hmac("a.salt", value).digest()
    before = visitors.salted_mac("a.salt", "v")
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    assert visitors.salted_mac("a.salt", "v") == salted_hmac("a.salt", "v").digest() != before


def test_the_visitor_cookie_is_signed_as_djangos_signer_signs_it(settings):
    """Cookies issued before keep working, with the current key or a fallback one; a
    changed payload or signature is refused."""
    from django.core.signing import Signer

    settings.SECRET_KEY_FALLBACKS = ["an-older-secret-key-" + "z" * 40]
    found = visitors.Visitor("k3y-With_chars", learner_id=42)
    signed = visitors.cookie_value(found)
    assert signed == Signer(salt=visitors.SALT).sign("k3y-With_chars.42")
    older = Signer(key=settings.SECRET_KEY_FALLBACKS[0], salt=visitors.SALT).sign("old.7")
    assert visitors.parse_cookie(older) == visitors.Visitor("old", learner_id=7)
    assert visitors.parse_cookie(signed) == visitors.Visitor("k3y-With_chars", learner_id=42)
    for forged in (signed.replace(".42", ".43"), signed[:-2] + "AA", "no-signature", ":", "é:é"):
        assert visitors.parse_cookie(forged) is None


@given(st.text(max_size=200))
def test_any_cookie_text_reads_as_a_visitor_or_none(value):
    found = visitors.parse_cookie(value)
    assert found is None or isinstance(found, visitors.Visitor)
