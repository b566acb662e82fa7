"""Sign-up, login and logout: errors where they belong, once; each change confirmed."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quizzes.models import Question
from tests.factories import answer

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
TOPIC = "/containers/images/base-images/"


@pytest.fixture
def ada(seed_course):
    return get_user_model().objects.create_user("ada", password=PASSWORD)


def messages_of(html: str) -> list[str]:
    """The confirmations a page shows (base.html's status region)."""
    region = re.search(r'<div class="messages" role="status">(.*?)</div>', html, re.DOTALL)
    return re.findall(r"<p [^>]*>(.*?)</p>", region.group(1)) if region else []


def errors_of(html: str, field: str) -> str:
    """The error list rendered with one field of a form ('' when it has none)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html)
    return match.group(1) if match else ""


def test_a_wrong_password_is_reported_once(client, ada):
    """The login form says "Please enter a correct username and password" one time."""
    html = client.post(reverse("login"), {"username": "ada", "password": "nope"}).content
    assert html.decode().count("Please enter a correct username and password") == 1


def test_a_weak_password_is_reported_on_the_password_field(client, seed_course):
    """Too short, too common: under "Password", not under "Password confirmation"."""
    data = {"username": "bob", "password1": "1234", "password2": "1234"}
    html = client.post(reverse("signup"), data).content.decode()
    assert "too short" in errors_of(html, "password1")
    assert "too common" in errors_of(html, "password1")
    assert errors_of(html, "password2") == ""


def test_a_mismatch_is_reported_on_the_confirmation(client, seed_course):
    """Two different passwords: the confirmation says so."""
    data = {"username": "bob", "password1": PASSWORD, "password2": PASSWORD + "x"}
    html = client.post(reverse("signup"), data).content.decode()
    assert "password fields didn" in errors_of(html, "password2")


def test_sign_up_says_the_browsers_progress_is_now_the_accounts(client, seed_course):
    """After answering anonymously, signing up confirms the progress moved to the account."""
    answer(client, Question.objects.first())
    data = {"username": "bob", "password1": PASSWORD, "password2": PASSWORD}
    html = client.post(reverse("signup"), data, follow=True).content.decode()
    assert messages_of(html) == [
        "Welcome, bob! Your account is ready, and the progress you made in this browser is now "
        "saved to it."
    ]


def test_sign_up_without_progress_says_progress_is_saved_from_now_on(client, seed_course):
    """A new account with nothing done yet: progress is saved to it from now on."""
    data = {"username": "bob", "password1": PASSWORD, "password2": PASSWORD}
    html = client.post(reverse("signup"), data, follow=True).content.decode()
    assert messages_of(html) == [
        "Welcome, bob! Your account is ready: from now on your progress is saved to it."
    ]


def test_login_says_the_browsers_progress_was_added(client, ada):
    """Answers given before logging in are confirmed as added to the account."""
    answer(client, Question.objects.first())
    data = {"username": "ada", "password": PASSWORD}
    html = client.post(reverse("login"), data, follow=True).content.decode()
    assert messages_of(html) == [
        "You are logged in as ada. The progress you made in this browser was added to your account."
    ]


def test_login_without_progress_says_progress_is_saved_to_the_account(client, ada):
    """Logging in with nothing done in this browser: progress is saved to the account."""
    data = {"username": "ada", "password": PASSWORD}
    html = client.post(reverse("login"), data, follow=True).content.decode()
    assert messages_of(html) == [
        "You are logged in as ada: your progress is saved to your account."
    ]


def test_logout_says_the_progress_stays_in_the_account(client, ada):
    """Logging out confirms it, and that the account keeps the progress."""
    client.force_login(ada)
    html = client.post(reverse("logout"), follow=True).content.decode()
    assert messages_of(html) == [
        "You are logged out. Your progress stays saved in your account: log in again to pick "
        "it up. Until then, what you do is kept in this browser only."
    ]


def test_a_message_shows_once(client, ada):
    """The confirmation is on the next page only, not on the one after."""
    client.post(reverse("login"), {"username": "ada", "password": PASSWORD}, follow=True)
    assert messages_of(client.get(TOPIC).content.decode()) == []


def test_logout_message_shows_on_a_cached_topic_page(client, ada):
    """Logging out back to a topic page (served from the visitors' shell) shows the message."""
    client.get(TOPIC)  # the visitors' shell of this topic is built and kept
    client.force_login(ada)
    html = client.post(reverse("logout"), {"next": TOPIC}, follow=True).content.decode()
    assert "You are logged out." in messages_of(html)[0]


LONG_NEXT = "/" + "a" * 17000  # over what Django will redirect to (16 KB)


def test_login_with_a_next_address_too_long_to_follow_lands_on_the_home_page(client, ada):
    """Logged in, not a 400: the address is dropped, as one from another site would be."""
    data = {"username": "ada", "password": PASSWORD, "next": LONG_NEXT}
    response = client.post(reverse("login"), data)
    assert (response.status_code, response["Location"]) == (302, reverse("courses:home"))
    assert client.session["_auth_user_id"] == str(ada.pk)


def test_sign_up_with_a_next_address_too_long_to_follow_lands_on_the_home_page(client, seed_course):
    data = {"username": "bob", "password1": PASSWORD, "password2": PASSWORD, "next": LONG_NEXT}
    response = client.post(reverse("signup"), data)
    assert (response.status_code, response["Location"]) == (302, reverse("courses:home"))
    assert get_user_model().objects.filter(username="bob").exists()


def test_logout_with_a_next_address_too_long_to_follow_lands_on_the_home_page(client, ada):
    client.force_login(ada)
    response = client.post(reverse("logout"), {"next": LONG_NEXT})
    assert (response.status_code, response["Location"]) == (302, reverse("courses:home"))
