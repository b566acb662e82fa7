"""Login throttling: failed logins counted per username and per client, 429 over the limit."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

from config import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def limits(settings):
    """The default limits, and a clean cache."""
    settings.LOGIN_THROTTLE_USER_LIMIT = 5
    settings.LOGIN_THROTTLE_IP_LIMIT = 30
    settings.LOGIN_THROTTLE_WINDOW = 900
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner():
    return User.objects.create_user("ada", password=PASSWORD)


def attempt(client, username="ada", password="wrong", ip="203.0.113.7", url=None):  # noqa: S107
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_failures_under_the_limit_get_the_login_form(client, learner):
    """Four wrong passwords: still the normal form."""
    for _ in range(4):
        assert attempt(client).status_code == 200
    assert attempt(client).status_code == 200  # the fifth failure itself is still answered


def test_over_the_limit_login_is_refused_with_429(client, learner):
    """After five failures the next try, even with the right password, gets 429."""
    for _ in range(5):
        attempt(client)
    response = attempt(client, password=PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert 0 < int(response.headers["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session


def test_the_username_limit_holds_across_addresses(client, learner):
    """Rotating the client address does not help guess one account's password."""
    for number in range(5):
        attempt(client, ip=f"198.51.100.{number}")
    assert attempt(client, ip="198.51.100.99").status_code == 429


def test_other_accounts_are_not_locked_by_one_users_failures(client, learner):
    """Another username from another address logs in normally."""
    User.objects.create_user("grace", password=PASSWORD)
    for _ in range(5):
        attempt(client)
    response = attempt(client, username="grace", password=PASSWORD, ip="192.0.2.1")
    assert response.status_code == 302


def test_the_address_limit_stops_spraying_many_usernames(client, settings):
    """One client guessing across many usernames hits the per-address limit."""
    settings.LOGIN_THROTTLE_IP_LIMIT = 3
    for number in range(3):
        attempt(client, username=f"user{number}")
    assert attempt(client, username="someone-else").status_code == 429


def test_success_resets_the_username_count(client, learner):
    """Four failures, a success, then four more failures are not throttled."""
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client).status_code == 200
    assert attempt(client, password=PASSWORD).status_code == 302


def test_usernames_are_counted_case_insensitively(client, learner):
    """ADA and ada are one account's counter."""
    for _ in range(5):
        attempt(client, username="ADA")
    assert attempt(client).status_code == 429


def test_admin_login_is_throttled_too(client, learner):
    """Failures on the admin's login count and are refused there as well."""
    admin_login = reverse("admin:login")
    for _ in range(5):
        attempt(client, url=admin_login)
    assert attempt(client, url=admin_login).status_code == 429
    assert attempt(client).status_code == 429


def test_get_of_the_login_page_is_never_throttled(client, learner):
    """Only password submissions are refused."""
    for _ in range(5):
        attempt(client)
    assert client.get(reverse("login")).status_code == 200


def test_client_ip_trusts_forwarded_for_only_as_far_as_our_proxies(rf, settings):
    """With one proxy, the address it appended is the client; spoofed ones are ignored."""
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="172.18.0.2")
    settings.LOGIN_THROTTLE_PROXY_COUNT = 0
    assert throttle.client_ip(request) == "172.18.0.2"
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    assert throttle.client_ip(request) == "203.0.113.5"
