"""Login throttling: failed logins counted per username and per client, 429 over the limit."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from quizzes import throttle
from quizzes.models import LoginFailureCount

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# "ada" with a FULLWIDTH LATIN SMALL LETTER A: the login form's NFKC makes it "ada".
LOOK_ALIKE = "ad\uff41"


@pytest.fixture(autouse=True)
def limits(settings):
    """The default limits."""
    settings.LOGIN_THROTTLE_USER_LIMIT = 5
    settings.LOGIN_THROTTLE_IP_LIMIT = 30
    settings.LOGIN_THROTTLE_WINDOW = 900
    settings.LOGIN_THROTTLE_PROXY_COUNT = 0


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


def test_retry_after_says_when_the_window_of_the_first_failure_ends(client, learner):
    """Retry-After and the page count down to the end of the window the first failure opened."""
    for _ in range(5):
        attempt(client)
    LoginFailureCount.objects.update(window_ends=timezone.now() + timedelta(seconds=59))
    response = attempt(client, password=PASSWORD)
    assert 0 < int(response.headers["Retry-After"]) <= 59
    assert "try again in 1 minute." in response.content.decode()


def test_the_lock_ends_with_the_window(client, learner):
    """Once the window has passed, the right password logs in again."""
    for _ in range(5):
        attempt(client)
    LoginFailureCount.objects.update(window_ends=timezone.now() - timedelta(seconds=1))
    assert attempt(client, password=PASSWORD).status_code == 302


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


def test_the_address_limit_is_looser_than_the_username_limit(client, learner):
    """A classroom behind one address: 29 failures across accounts still let ada log in."""
    for number in range(29):
        attempt(client, username=f"pupil{number}")
    assert attempt(client, password=PASSWORD).status_code == 302


def test_the_thirtieth_failure_from_one_address_locks_it(client, learner):
    """Thirty failures from one address: the next login from it, any account, gets 429."""
    for number in range(30):
        attempt(client, username=f"pupil{number}")
    assert attempt(client, password=PASSWORD).status_code == 429
    assert attempt(client, password=PASSWORD, ip="192.0.2.1").status_code == 302


def test_success_resets_the_username_count(client, learner):
    """Four failures, a success, then four more failures are not throttled."""
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client).status_code == 200
    assert attempt(client, password=PASSWORD).status_code == 302


def test_logging_into_ones_own_account_does_not_reset_the_address_count(client, settings):
    """Guesses at others, a login to one's own account, one more guess: the address is locked."""
    settings.LOGIN_THROTTLE_IP_LIMIT = 3
    User.objects.create_user("mallory", password=PASSWORD)
    attempt(client, username="victim1")
    attempt(client, username="victim2")
    assert attempt(client, username="mallory", password=PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, username="victim3").status_code == 200
    assert attempt(client, username="victim4").status_code == 429


def test_usernames_are_counted_case_insensitively(client, learner):
    """ADA and ada are one account's counter."""
    for _ in range(5):
        attempt(client, username="ADA")
    assert attempt(client).status_code == 429


@pytest.mark.parametrize("failing_as", [LOOK_ALIKE, "ada"])
def test_a_full_width_look_alike_is_refused_once_the_limit_is_reached(client, learner, failing_as):
    """Login turns the full-width look-alike into "ada" (NFKC); so does the throttle: 429."""
    for _ in range(5):
        attempt(client, username=failing_as)
    assert attempt(client, username=LOOK_ALIKE, password=PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_look_alike_failures_lock_the_real_account(client, learner):
    """Five failures as the full-width look-alike lock ada herself."""
    for _ in range(5):
        attempt(client, username=LOOK_ALIKE, ip="198.51.100.1")
    assert attempt(client, password=PASSWORD, ip="192.0.2.1").status_code == 429


def test_admin_login_is_throttled_too(client, learner):
    """Failures on the admin's login count and are refused there as well."""
    admin_login = reverse("admin:login")
    for _ in range(5):
        attempt(client, url=admin_login)
    assert attempt(client, url=admin_login).status_code == 429
    assert attempt(client).status_code == 429


def test_admin_login_refuses_the_look_alike(client, learner):
    """After five failures on the site login, the admin login refuses the look-alike too."""
    learner.is_staff = True
    learner.save()
    for _ in range(5):
        attempt(client)
    response = attempt(client, username=LOOK_ALIKE, password=PASSWORD, url=reverse("admin:login"))
    assert response.status_code == 429


def test_get_of_the_login_page_is_never_throttled(client, learner):
    """Only password submissions are refused."""
    for _ in range(5):
        attempt(client)
    assert client.get(reverse("login")).status_code == 200


def test_the_count_table_never_holds_what_was_typed(client, learner):
    """A password typed into the username box is not stored, nor the address."""
    attempt(client, username="hunter2-my-password")
    keys = list(LoginFailureCount.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("hunter2" in key or "203.0.113.7" in key for key in keys)


def test_a_failed_login_costs_a_few_queries(client, learner, django_assert_max_num_queries):
    """Check, count and prune add a handful of queries to a failed login, whatever the table."""
    LoginFailureCount.objects.bulk_create(
        LoginFailureCount(key=f"ip:{n}", failures=1, window_ends=timezone.now()) for n in range(50)
    )
    with django_assert_max_num_queries(8):
        assert attempt(client).status_code == 200


def test_a_refused_login_costs_one_query(client, learner, django_assert_max_num_queries):
    """Over the limit, the answer comes from one query, before any password is checked."""
    for _ in range(5):
        attempt(client)
    with django_assert_max_num_queries(1):
        assert attempt(client, password=PASSWORD).status_code == 429


def test_client_ip_trusts_forwarded_for_only_as_far_as_our_proxies(rf, settings):
    """With one proxy, the address it appended is the client; spoofed ones are ignored."""
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="172.18.0.2")
    settings.LOGIN_THROTTLE_PROXY_COUNT = 0
    assert throttle.client_ip(request) == "172.18.0.2"
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    assert throttle.client_ip(request) == "203.0.113.5"


def test_the_address_limit_uses_the_proxys_address_not_a_spoofed_one(client, settings):
    """Behind one proxy, a client rotating a forged X-Forwarded-For is still one address."""
    settings.LOGIN_THROTTLE_IP_LIMIT = 3
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    for number in range(3):
        client.post(
            reverse("login"),
            {"username": f"user{number}", "password": "wrong"},
            REMOTE_ADDR="172.18.0.2",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.5",
        )
    response = client.post(
        reverse("login"),
        {"username": "other", "password": "wrong"},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.5",
    )
    assert response.status_code == 429
