"""CSRF tokens drawn by config/csrf_tokens.py: Django's format, checked by Django's middleware."""

import re
from collections import Counter

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from config.csrf_tokens import get_token, mask, random_chars
from quizzes.models import Attempt, Question
from tests.factories import question_form, tokens

SECRETS = st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=32, max_size=32)


@given(SECRETS)
def test_a_masked_token_unmasks_to_its_secret_with_djangos_own_function(secret):
    token = mask(secret)
    assert len(token) == 64
    assert set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_each_token_is_masked_afresh_but_keeps_the_browsers_secret():
    request = RequestFactory().get("/")
    first, second = get_token(request), get_token(request)
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second)
    assert request.META["CSRF_COOKIE"] == _unmask_cipher_token(first)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_browsers_existing_secret_is_kept():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    assert _unmask_cipher_token(get_token(request)) == "a" * 32


def test_every_character_is_equally_likely():
    """Bytes mapped modulo 62 without dropping the top 8 would make 8 characters about
    a fifth more likely than the others; here none strays far from 1/62."""
    counts = Counter("".join(random_chars(64) for _ in range(2000)))
    expected = 64 * 2000 / len(CSRF_ALLOWED_CHARS)
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert max(abs(n - expected) for n in counts.values()) < 0.12 * expected


@pytest.mark.django_db
def test_a_first_visitors_page_token_passes_djangos_csrf_check_and_a_forged_one_does_not(
    seed_course,
):
    question = Question.objects.get(key="alpine-musl")
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(question.topic.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    nonce, _ = question_form(page, question)
    data = {"nonce": nonce, "version": question.form_version}
    data["choice"] = tokens(question, correct=True)
    url = f"/quiz/answer/{question.pk}/"
    forged = mask(random_chars())
    assert strict.post(url, {**data, "csrfmiddlewaretoken": forged}).status_code == 403
    assert not Attempt.objects.exists()
    assert strict.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Attempt.objects.count() == 1
